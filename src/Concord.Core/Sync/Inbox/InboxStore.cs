using System.Data.Common;
using Concord.Core.Common;

namespace Concord.Core.Sync.Inbox;

/// <summary>The durable conflict inbox of one connection (S17). Nothing leaves it but by resolution or a clean sync.</summary>
public sealed class InboxStore(long connectionId, TimeProvider clock)
{
    private const string Columns =
        "id, record_key, operational_code, accounting_code, kind, field, reason, operational_json, accounting_json, created_at, take, resolved_by";

    /// <summary>Puts a record in the inbox, or refreshes its open entry with the latest reason and values.</summary>
    public void Hold(DbConnection db, DbTransaction transaction, long runId, string? operational, string? accounting, string kind, string? field,
        string reason, string? operationalJson, string? accountingJson)
    {
        var record = operational ?? accounting!;
        var refreshed = Sql.Execute(db, transaction,
            "UPDATE sync_inbox SET kind = @k, field = @f, reason = @r, operational_json = @oj, accounting_json = @aj, run_id = @run, " +
            "operational_code = @o, accounting_code = @a WHERE connection_id = @c AND record_key = @key AND closed_at IS NULL AND take IS NULL",
            ("k", kind), ("f", field), ("r", reason), ("oj", operationalJson), ("aj", accountingJson), ("run", runId),
            ("o", operational), ("a", accounting), ("c", connectionId), ("key", Codes.Key(record)));
        if (refreshed == 0)
        {
            Sql.Execute(db, transaction,
                "INSERT INTO sync_inbox (connection_id, record_key, operational_code, accounting_code, kind, field, reason, operational_json, accounting_json, run_id, created_at) " +
                "VALUES (@c, @key, @o, @a, @k, @f, @r, @oj, @aj, @run, @at)",
                ("c", connectionId), ("key", Codes.Key(record)), ("o", operational), ("a", accounting), ("k", kind), ("f", field), ("r", reason),
                ("oj", operationalJson), ("aj", accountingJson), ("run", runId), ("at", Timestamps.Format(clock.GetUtcNow())));
        }
    }

    /// <summary>Closes the record's open entries: it synced cleanly (or its resolution was applied).</summary>
    public int Close(DbConnection db, DbTransaction transaction, string? operational, string? accounting)
    {
        var closed = 0;
        foreach (var code in new[] { operational, accounting }.OfType<string>())
        {
            closed += Sql.Execute(db, transaction, "UPDATE sync_inbox SET closed_at = @at WHERE connection_id = @c AND record_key = @k AND closed_at IS NULL",
                ("at", Timestamps.Format(clock.GetUtcNow())), ("c", connectionId), ("k", Codes.Key(code)));
        }
        return closed;
    }

    public IReadOnlyList<InboxEntry> OpenEntries(DbConnection db, DbTransaction? transaction = null)
    {
        using var command = Sql.Command(db, transaction, $"SELECT {Columns} FROM sync_inbox WHERE connection_id = @c AND closed_at IS NULL ORDER BY record_key", ("c", connectionId));
        using var reader = command.ExecuteReader();
        var entries = new List<InboxEntry>();
        while (reader.Read())
        {
            entries.Add(new InboxEntry(reader.GetInt64(0), reader.GetString(1), reader.TextOrNull(2), reader.TextOrNull(3), reader.GetString(4), reader.TextOrNull(5), reader.GetString(6),
                reader.TextOrNull(7), reader.TextOrNull(8), reader.GetString(9), reader.TextOrNull(10), reader.TextOrNull(11)));
        }
        return entries;
    }

    /// <summary>Records a person's decision; the next run applies it and closes the entry.</summary>
    public bool Resolve(DbConnection db, DbTransaction transaction, string code, string take, string user) =>
        Sql.Execute(db, transaction,
            "UPDATE sync_inbox SET take = @t, resolved_by = @u, resolved_at = @at WHERE connection_id = @c AND closed_at IS NULL " +
            "AND (record_key = @k OR UPPER(operational_code) = @k OR UPPER(accounting_code) = @k)",
            ("t", take), ("u", user), ("at", Timestamps.Format(clock.GetUtcNow())), ("c", connectionId), ("k", Codes.Key(code))) > 0;
}
