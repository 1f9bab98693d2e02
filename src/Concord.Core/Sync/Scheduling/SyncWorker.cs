using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Connections;
using Concord.Core.Sync.Running;

namespace Concord.Core.Sync.Scheduling;

/// <summary>What one tick of the worker did for one connection.</summary>
public sealed record WorkerEvent(string Connection, string Mode, RunReport? Report, string? Problem);

/// <summary>
/// The unattended side of syncing, run by `concord serve`: "post accounts" pushes changed account
/// customers as soon as they are seen (O4), and each connection runs on its schedule (S12).
/// Unattended runs write only to the company a person confirmed in an earlier run (S1); an
/// unreachable system is reported and tried again at the next due time, its work kept waiting.
/// A connection another run holds (a person's, another `serve`'s) is left for a later tick.
/// </summary>
public sealed class SyncWorker(Session session)
{
    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan LongestRetry = TimeSpan.FromMinutes(5);

    private readonly HashSet<string> _reported = new(StringComparer.Ordinal);

    /// <summary>Connections found held by another run, reported once until a run of ours gets through.</summary>
    private readonly HashSet<string> _busy = new(StringComparer.Ordinal);

    /// <summary>Connections whose accounting system could not be reached: when to try again, and the wait after that (S14).</summary>
    private readonly Dictionary<string, (DateTimeOffset NotBefore, TimeSpan Wait)> _backOff = new(StringComparer.Ordinal);

    /// <summary>Stops the worker: a run under way is interrupted between batches and nothing more is started.</summary>
    public CancellationToken Stop { get; init; }

    /// <summary>Runs what is due now; call it every second or so.</summary>
    public IReadOnlyList<WorkerEvent> Tick()
    {
        var stop = Stop;
        var events = new List<WorkerEvent>();
        var now = session.Now;
        foreach (var connection in new ConnectionService(session).List())
        {
            var scheduled = connection.Schedule is { } cron
                && Schedule.Next(cron, connection.LastScheduledAt ?? connection.CreatedAt) is { } due && due <= now;
            var posted = !scheduled && connection.PostAccounts && Waiting(connection) > 0;
            if (!scheduled && !posted)
            {
                continue;
            }
            var mode = scheduled ? "schedule" : "post";
            if (_backOff.TryGetValue(connection.Name, out var backOff) && now < backOff.NotBefore)
            {
                continue;
            }
            if (connection.ConfirmedCompany is null)
            {
                if (_reported.Add(connection.Name + mode))
                {
                    events.Add(new WorkerEvent(connection.Name, mode, null,
                        $"waits for a first '{CommandHint.For($"sync run {CommandHint.Quote(connection.Name)} --yes --company …")}' to confirm the target company"));
                }
                continue;
            }
            if (stop.IsCancellationRequested)
            {
                break;
            }
            try
            {
                var report = new SyncEngine(session).Run(connection.Name, new RunOptions
                {
                    Mode = mode,
                    Cancellation = stop,
                    CancellationReason = () => "stopped with concord serve",
                });
                _backOff.Remove(connection.Name);
                _busy.Remove(connection.Name);
                events.Add(new WorkerEvent(connection.Name, mode, report, null));
            }
            catch (RunInProgressError busy)
            {
                // Not an error: the holder does the work. Due work stays due (a schedule is not marked run), so a later tick runs it.
                if (_busy.Add(connection.Name))
                {
                    events.Add(new WorkerEvent(connection.Name, mode, null, $"{busy.HolderText} holds the connection; tried again once it ends"));
                }
                continue;
            }
            catch (ConnectorUnavailableException error)
            {
                // The queued changes stay queued (the cursors did not move); try again later, waiting longer each time.
                var wait = _backOff.TryGetValue(connection.Name, out var previous) ? Min(previous.Wait * 2, LongestRetry) : FirstRetry;
                _backOff[connection.Name] = (now + wait, wait);
                events.Add(new WorkerEvent(connection.Name, mode, null, $"{error.Message}; trying again in {wait.TotalSeconds:0} s"));
                continue;
            }
            catch (UserError error)
            {
                events.Add(new WorkerEvent(connection.Name, mode, null, error.Message));
            }
            if (scheduled && !stop.IsCancellationRequested)
            {
                session.Database.InTransaction((db, transaction) => ConnectionService.MarkScheduled(db, transaction, connection, now));
            }
        }
        return events;
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private long Waiting(SyncConnection connection)
    {
        using var db = session.Database.OpenConnection();
        return SyncHistory.ChangedSince(db, connection.OperationalCursor);
    }
}
