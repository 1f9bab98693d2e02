using System.Data.Common;
using Concord.Core.Common;

namespace Concord.Core.Sync.Running;

/// <summary>
/// Records a run looked at but did not settle. Skipped ("not this time") and uncertain records are
/// planned again by the next run. Proposals and ambiguous matches wait for a person instead: they
/// stay listed until a full run plans them again or a person's decision marks them to revisit.
/// </summary>
public sealed class Deferred(long connectionId)
{
    private const string WaitingReasons = "IN ('proposal', 'ambiguous')";
    private const string Revisit = "NOT " + WaitingReasons;

    /// <summary>The records the next run must plan again.</summary>
    public IReadOnlyList<(string Side, string Code)> All(DbConnection db)
    {
        using var command = Sql.Command(db, null, $"SELECT side, code FROM sync_deferred WHERE connection_id = @c AND reason {Revisit} ORDER BY id", ("c", connectionId));
        using var reader = command.ExecuteReader();
        var list = new List<(string, string)>();
        while (reader.Read())
        {
            list.Add((reader.GetString(0), reader.GetString(1)));
        }
        return list;
    }

    /// <summary>The records that wait for a person's decision, with their codes as written and why.</summary>
    public IReadOnlyList<(string Side, string Code, string Reason)> WaitingEntries(DbConnection db)
    {
        using var command = Sql.Command(db, null, $"SELECT side, code, reason FROM sync_deferred WHERE connection_id = @c AND reason {WaitingReasons} ORDER BY code_key", ("c", connectionId));
        using var reader = command.ExecuteReader();
        var entries = new List<(string, string, string)>();
        while (reader.Read())
        {
            entries.Add((reader.GetString(0), reader.GetString(1), reader.GetString(2)));
        }
        return entries;
    }

    /// <summary>Whether the record waits for a person's decision (proposed or ambiguous): one indexed look-up.</summary>
    public bool IsWaiting(DbConnection db, string side, string code) =>
        Sql.ScalarRepeated<long>(db, null, $"SELECT COUNT(*) FROM sync_deferred WHERE connection_id = @c AND side = @s AND code_key = @k AND reason {WaitingReasons}",
            ("c", connectionId), ("s", side), ("k", Codes.Key(code))) > 0;

    /// <summary>Forgets what this run plans again; a full run also forgets waiting proposals (it finds them again).</summary>
    public void Clear(DbConnection db, DbTransaction transaction, bool full) =>
        Sql.Execute(db, transaction, $"DELETE FROM sync_deferred WHERE connection_id = @c {(full ? "" : $"AND reason {Revisit}")}", ("c", connectionId));

    public void Add(DbConnection db, DbTransaction transaction, string side, string code, string reason)
    {
        Sql.ExecuteRepeated(db, transaction, "DELETE FROM sync_deferred WHERE connection_id = @c AND side = @s AND code_key = @k",
            ("c", connectionId), ("s", side), ("k", Codes.Key(code)));
        Sql.ExecuteRepeated(db, transaction, "INSERT INTO sync_deferred (connection_id, side, code, code_key, reason) VALUES (@c, @s, @code, @k, @r)",
            ("c", connectionId), ("s", side), ("code", code), ("k", Codes.Key(code)), ("r", reason));
    }
}
