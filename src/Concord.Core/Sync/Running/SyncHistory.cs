using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Sync.Connections;
using Concord.Core.Sync.Inbox;
using Concord.Core.Users;

namespace Concord.Core.Sync.Running;

/// <summary>One run as the history keeps it (S16).</summary>
public sealed record RunSummary(long Id, string Connection, string User, string StartedAt, string? FinishedAt, string Status, string Mode,
    long Created, long Updated, long Linked, long Skipped, long Conflicts, long Errors, string? Message, long Posted = 0);

/// <summary>Where a connection stands: last run, changes waiting (the O4 queue), inbox, unsettled writes.</summary>
public sealed record ConnectionStatus(string Connection, RunSummary? LastRun, long WaitingChanges, int InboxOpen, int UnsettledWrites, bool PostAccounts, string? Schedule);

/// <summary>The run history, the status of connections and the inbox as a person reads and resolves them.</summary>
public sealed class SyncHistory(Session session)
{
    public IReadOnlyList<RunSummary> Runs(string name, long? runId = null)
    {
        var connection = new ConnectionService(session).Get(name);
        using var db = session.Database.OpenConnection();
        return Read(db, connection, runId);
    }

    public IReadOnlyList<JournalEntry> RunWrites(long runId)
    {
        using var db = session.Database.OpenConnection();
        return Journal.OfRun(db, runId);
    }

    public IReadOnlyList<ConnectionStatus> Status(string? name)
    {
        var connections = name is null ? new ConnectionService(session).List() : [new ConnectionService(session).Get(name)];
        using var db = session.Database.OpenConnection();
        return [.. connections.Select(c => new ConnectionStatus(
            c.Name,
            Read(db, c, null, lastOnly: true).FirstOrDefault(),
            ChangedSince(db, c.OperationalCursor),
            new InboxStore(c.Id, session.Clock).OpenEntries(db).Count,
            new Journal(c.Id, session.Clock).Open(db).Count,
            c.PostAccounts,
            c.Schedule))];
    }

    public IReadOnlyList<InboxEntry> Inbox(string name)
    {
        var connection = new ConnectionService(session).Get(name);
        using var db = session.Database.OpenConnection();
        return new InboxStore(connection.Id, session.Clock).OpenEntries(db);
    }

    /// <summary>Settles an inbox entry by taking one side (S17); the next run applies it.</summary>
    public void Resolve(string name, string code, string take)
    {
        session.Require(Role.Clerk, "resolve inbox entries");
        var side = take.Trim().ToLowerInvariant();
        if (side is not ("accounting" or "operational"))
        {
            throw new UserError($"inbox {code}", "take", $"'{take}' is not accounting or operational");
        }
        var connection = new ConnectionService(session).Get(name);
        session.Database.InTransaction((db, transaction) =>
        {
            if (!new InboxStore(connection.Id, session.Clock).Resolve(db, transaction, code, side, session.User.Name))
            {
                throw new UserError($"inbox {code}", null, $"has no open entry in connection {connection.Name}");
            }
            session.Audit.Write(db, transaction, "resolve", "inbox", code, null, System.Text.Json.JsonSerializer.Serialize(new { connection = connection.Name, take = side }));
        });
    }

    /// <summary>Account customers written since the operational cursor: the post-accounts queue (O4).</summary>
    public static long ChangedSince(DbConnection db, long cursor) =>
        Sql.Scalar<long>(db, null, $"SELECT COUNT(*) FROM customers WHERE {Connectors.OperationalConnector.TakesPart} AND change_seq > @c", ("c", cursor));

    /// <summary>The connection's latest run still marked running: the lock holder's, once it has started its run.</summary>
    public static RunSummary? Running(DbConnection db, SyncConnection connection) =>
        Read(db, connection, null, lastOnly: true, running: true).FirstOrDefault();

    private static List<RunSummary> Read(DbConnection db, SyncConnection connection, long? runId, bool lastOnly = false, bool running = false)
    {
        using var command = Sql.Command(db, null,
            "SELECT id, user_name, started_at, finished_at, status, mode, created, updated, linked, skipped, conflicts, errors, message, posted FROM sync_runs " +
            $"WHERE connection_id = @c {(runId is null ? "" : "AND id = @r")} {(running ? "AND status = 'running'" : "")} ORDER BY id DESC{(lastOnly ? " LIMIT 1" : "")}",
            ("c", connection.Id), ("r", runId ?? 0));
        using var reader = command.ExecuteReader();
        var runs = new List<RunSummary>();
        while (reader.Read())
        {
            runs.Add(new RunSummary(reader.GetInt64(0), connection.Name, reader.GetString(1), reader.GetString(2), reader.TextOrNull(3), reader.GetString(4), reader.GetString(5),
                reader.GetInt64(6), reader.GetInt64(7), reader.GetInt64(8), reader.GetInt64(9), reader.GetInt64(10), reader.GetInt64(11), reader.TextOrNull(12), reader.GetInt64(13)));
        }
        return runs;
    }
}
