using System.Data.Common;
using System.Text.Json;
using Concord.Core.Common;
using Concord.Core.Sync.Connections;

namespace Concord.Core.Sync.Running;

/// <summary>
/// The run history (sync_runs): a row started before anything is read, finished whatever ends
/// the run (completed, failed with the message, interrupted with the reason), with the audit line
/// and the connection's cursors saved in the same transaction.
/// </summary>
internal sealed class RunLog(Session session)
{
    /// <summary>
    /// Finishes the rows of runs whose process ended without finishing them. The lock is ours, so a
    /// run still marked running is not running; done at once, so that a run refused meanwhile names
    /// this run as the holder, not one of those.
    /// </summary>
    public void MarkAbandoned(SyncConnection connection) =>
        session.Database.InTransaction((db, transaction) => Sql.Execute(db, transaction,
            "UPDATE sync_runs SET status = @s, finished_at = @at, message = @m WHERE connection_id = @c AND status = @running",
            ("s", RunStatus.Interrupted), ("at", Timestamps.Format(session.Now)), ("m", SyncEngine.EndedWithItsProcess), ("c", connection.Id), ("running", RunStatus.Running)));

    public long Start(DbConnection db, SyncConnection connection, RunOptions options)
    {
        using var transaction = db.BeginTransaction();
        var id = Sql.Scalar<long>(db, transaction,
            "INSERT INTO sync_runs (connection_id, user_name, started_at, status, mode, created, updated, linked, skipped, conflicts, errors) " +
            "VALUES (@c, @u, @at, @s, @m, 0, 0, 0, 0, 0, 0) RETURNING id",
            ("c", connection.Id), ("u", session.User.Name), ("at", Timestamps.Format(session.Now)), ("s", RunStatus.Running), ("m", options.Mode + (options.Full ? " full" : "")));
        transaction.Commit();
        return id;
    }

    public void Finish(DbConnection db, SyncConnection connection, RunReport report, bool saveProgress = true) =>
        RunContext.Within(db, (d, t) =>
        {
            Sql.Execute(d, t,
                "UPDATE sync_runs SET finished_at = @at, status = @s, created = @cr, updated = @up, linked = @li, skipped = @sk, conflicts = @co, errors = @er, posted = @po, message = @m WHERE id = @id",
                ("at", Timestamps.Format(session.Now)), ("s", report.Status), ("cr", (long)report.Created), ("up", (long)report.Updated),
                ("li", (long)report.Linked), ("sk", (long)report.Skipped), ("co", (long)report.Conflicts), ("er", (long)report.Errors), ("po", (long)report.Posted),
                ("m", report.Message ?? (report.ErrorList.Count == 0 ? null : JsonSerializer.Serialize(report.ErrorList))), ("id", report.RunId));
            if (saveProgress)
            {
                ConnectionService.SaveProgress(d, t, connection);
            }
            session.Audit.Write(d, t, "sync", "connection", connection.Name, null, JsonSerializer.Serialize(new
            {
                run = report.RunId, report.Status, report.Created, report.Updated, report.Linked, report.Skipped, report.Conflicts, report.Errors, report.Posted,
            }));
        });

    /// <summary>Finishes a failed run's row if the store still answers; if not, the next run marks it interrupted.</summary>
    public void TryFinish(DbConnection db, SyncConnection connection, RunReport report)
    {
        try
        {
            Finish(db, connection, report, saveProgress: false);
        }
        catch (DbException)
        {
            // the error being rethrown says what went wrong; this one would hide it
        }
        catch (InvalidOperationException)
        {
            // the connection is broken (closed mid-transaction): as above
        }
    }
}
