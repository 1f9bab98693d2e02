using System.Data.Common;
using Concord.Core.Common;

namespace Concord.Core.Sync.Running;

/// <summary>One write the engine meant to make, and what became of it (S11, S19).</summary>
public sealed record JournalEntry(long Id, long RunId, string Side, string Action, string? OperationalCode, string? AccountingCode, string Payload, string State, string? Outcome, string At);

/// <summary>
/// Intent before effect: a write is recorded (and committed) before it leaves for the other side;
/// its outcome is recorded after, with the correspondence, in one local transaction. An intent
/// left without an outcome by a crash or a time-out is settled by reading the target back.
/// </summary>
public sealed class Journal(long connectionId, TimeProvider clock)
{
    private const string Columns = "id, run_id, side, action, operational_code, accounting_code, payload_json, state, outcome, at";

    public long Intend(DbConnection db, long runId, string side, string action, string? operational, string? accounting, string payload) =>
        IntendMany(db, runId, side, action, [(operational, accounting, payload)])[0];

    /// <summary>Records the intents of a batch of writes in one transaction; returns their ids in order.</summary>
    public List<long> IntendMany(DbConnection db, long runId, string side, string action, IReadOnlyList<(string? Operational, string? Accounting, string Payload)> writes)
    {
        using var transaction = db.BeginTransaction();
        var at = Timestamps.Format(clock.GetUtcNow());
        var ids = writes.Select(w => Sql.ScalarRepeated<long>(db, transaction,
            "INSERT INTO sync_journal (run_id, connection_id, side, action, operational_code, accounting_code, payload_json, state, at) " +
            "VALUES (@r, @c, @s, @a, @o, @ac, @p, 'intent', @at) RETURNING id",
            ("r", runId), ("c", connectionId), ("s", side), ("a", action), ("o", w.Operational), ("ac", w.Accounting), ("p", w.Payload), ("at", at))).ToList();
        transaction.Commit();
        return ids;
    }

    /// <summary>
    /// Settles many writes with the same outcome: a batch's intents have consecutive ids, so one
    /// statement over their range settles those still open (the refused ones were settled before).
    /// </summary>
    public static void SettleMany(DbConnection db, DbTransaction transaction, IReadOnlyList<long> ids, string state, string outcome)
    {
        if (ids.Count == 0)
        {
            return;
        }
        var (first, last) = (ids.Min(), ids.Max());
        if (last - first + 1 == ids.Count)
        {
            Sql.ExecuteRepeated(db, transaction, "UPDATE sync_journal SET state = @s, outcome = @o WHERE id BETWEEN @first AND @last AND state = 'intent'",
                ("s", state), ("o", outcome), ("first", first), ("last", last));
            return;
        }
        foreach (var id in ids)
        {
            Sql.ExecuteRepeated(db, transaction, "UPDATE sync_journal SET state = @s, outcome = @o WHERE id = @id", ("s", state), ("o", outcome), ("id", id));
        }
    }

    public static void Settle(DbConnection db, DbTransaction transaction, long id, string state, string outcome) =>
        Sql.Execute(db, transaction, "UPDATE sync_journal SET state = @s, outcome = @o WHERE id = @id", ("s", state), ("o", outcome), ("id", id));

    public IReadOnlyList<JournalEntry> Open(DbConnection db) => Read(db, "connection_id = @c AND state = 'intent'", ("c", connectionId));

    public static IReadOnlyList<JournalEntry> OfRun(DbConnection db, long runId) => Read(db, "run_id = @r", ("r", runId));

    private static List<JournalEntry> Read(DbConnection db, string where, params (string, object?)[] parameters)
    {
        using var command = Sql.Command(db, null, $"SELECT {Columns} FROM sync_journal WHERE {where} ORDER BY id", parameters);
        using var reader = command.ExecuteReader();
        var entries = new List<JournalEntry>();
        while (reader.Read())
        {
            entries.Add(new JournalEntry(reader.GetInt64(0), reader.GetInt64(1), reader.GetString(2), reader.GetString(3), reader.TextOrNull(4), reader.TextOrNull(5),
                reader.GetString(6), reader.GetString(7), reader.TextOrNull(8), reader.GetString(9)));
        }
        return entries;
    }
}
