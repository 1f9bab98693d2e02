using Concord.Core.Common;
using Concord.Core.Sync.Connections;

namespace Concord.Core.Sync.Running;

/// <summary>
/// One run per connection at a time (SYNC-NOTES invariant 7), whoever starts it: a person, the
/// `serve` worker, a second `serve` sharing the PostgreSQL store. The connection's lock lives in the
/// store (<see cref="Concord.Store.Dialect.TryLock"/>), is held for the whole run and dies with its holder,
/// so a killed run never blocks the next one. Two runs planning from the same state would each
/// create the same missing records.
/// </summary>
public sealed class RunLock : IDisposable
{
    /// <summary>How often a waiting run looks whether the lock is free.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(200);

    /// <summary>How many more looks a refused run takes for the holder's run, which it records a moment after taking the lock.</summary>
    private const int NamingLooks = 15;

    private readonly IDisposable _held;

    private RunLock(IDisposable held) => _held = held;

    /// <summary>The lock if it is free now, else null.</summary>
    public static RunLock? TryTake(Session session, SyncConnection connection) =>
        session.Database.Dialect.TryLock($"sync-connection-{connection.Id}") is { } held ? new RunLock(held) : null;

    /// <summary>
    /// Takes the lock, waiting up to <paramref name="wait"/> for it; otherwise refuses with a
    /// <see cref="RunInProgressError"/> naming the run that holds it. The wait is counted in looks
    /// (one every <see cref="Poll"/>), so it ends even under a clock that does not move.
    /// </summary>
    public static RunLock Take(Session session, SyncConnection connection, TimeSpan wait, CancellationToken cancellation)
    {
        var looks = wait <= TimeSpan.Zero ? 0 : (long)Math.Ceiling(wait / Poll);
        for (var look = 0L; ; look++)
        {
            if (TryTake(session, connection) is { } taken)
            {
                return taken;
            }
            if (look >= looks)
            {
                var holder = Holder(session, connection);
                for (var again = 0; holder is null && again < NamingLooks && !cancellation.WaitHandle.WaitOne(Poll); again++)
                {
                    if (TryTake(session, connection) is { } freed)
                    {
                        return freed;
                    }
                    holder = Holder(session, connection);
                }
                throw new RunInProgressError(connection.Name, holder, wait);
            }
            if (cancellation.WaitHandle.WaitOne(Poll))
            {
                throw new UserError($"connection {connection.Name}", null, "stopped while waiting for the run that holds it; nothing was written");
            }
        }
    }

    private static RunSummary? Holder(Session session, SyncConnection connection)
    {
        using var db = session.Database.OpenConnection();
        return SyncHistory.Running(db, connection);
    }

    public void Dispose() => _held.Dispose();
}

/// <summary>A run refused because another run of the connection holds its lock; names that run (S11, invariant 7).</summary>
public sealed class RunInProgressError(string connection, RunSummary? holder, TimeSpan waited)
    : UserError($"connection {connection}", null, Describe(holder, waited))
{
    /// <summary>The run holding the lock, null when it has only just taken it and not yet recorded its run.</summary>
    public RunSummary? Holder { get; } = holder;

    /// <summary>The run that holds the connection, as a person reads it.</summary>
    public string HolderText => Who(Holder);

    private static string Who(RunSummary? holder) => holder is null
        ? "another run that is just starting"
        : $"run {holder.Id} (started by {holder.User} at {Timestamps.Parse(holder.StartedAt).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture)} UTC, {holder.Mode})";

    private static string Describe(RunSummary? holder, TimeSpan waited)
    {
        var who = Who(holder);
        return waited > TimeSpan.Zero
            ? $"is still being synced by {who} after waiting {waited.TotalSeconds:0.#} s; try again when it ends, or wait longer with --wait SECONDS"
            : $"is being synced by {who}; try again when it ends, or wait for it with --wait 60";
    }
}
