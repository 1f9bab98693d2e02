using System.Data.Common;
using System.Text.Json;
using Concord.Core.Common;

namespace Concord.Core.Sync.Correspondence;

/// <summary>The correspondence table of one connection: the only source of "these two are the same".</summary>
public sealed class LinkStore(long connectionId)
{
    private const string Columns = "id, operational_code, accounting_code, sync_option, base_json, linked_by, synced_at";

    public IEnumerable<Link> All(DbConnection db, DbTransaction? transaction = null) =>
        Read(db, transaction, "", []);

    public Link? ByOperational(DbConnection db, DbTransaction? transaction, string code) => One(db, transaction, "operational_key", code);

    public Link? ByAccounting(DbConnection db, DbTransaction? transaction, string code) => One(db, transaction, "accounting_key", code);

    /// <summary>The link of one code (a point look-up that a run repeats for every changed record).</summary>
    private Link? One(DbConnection db, DbTransaction? transaction, string keyColumn, string code)
    {
        using var reader = Sql.QueryRepeated(db, transaction, $"SELECT {Columns} FROM sync_links WHERE connection_id = @connection AND {keyColumn} = @k",
            ("connection", connectionId), ("k", Codes.Key(code)));
        return reader.Read() ? ToLink(reader) : null;
    }

    /// <summary>Links the two records (or records an option for one), replacing what either code had before.</summary>
    public long Put(DbConnection db, DbTransaction transaction, string? operational, string? accounting, LinkOption option, string?[]? baseState, string linkedBy, string? syncedAt)
    {
        Sql.ExecuteRepeated(db, transaction,
            "DELETE FROM sync_links WHERE connection_id = @c AND (operational_key = @o OR accounting_key = @a)",
            ("c", connectionId), ("o", operational is null ? "\u0001" : Codes.Key(operational)), ("a", accounting is null ? "\u0001" : Codes.Key(accounting)));
        return Sql.ScalarRepeated<long>(db, transaction, InsertSql + " RETURNING id", InsertValues(operational, accounting, option, baseState, linkedBy, syncedAt));
    }

    /// <summary>Links many pairs at once (a batch of creates), replacing what their codes had before: one clearing statement per few hundred.</summary>
    public void PutMany(DbConnection db, DbTransaction transaction, IReadOnlyList<(string Operational, string Accounting, string?[] Base)> pairs, string linkedBy, string syncedAt)
    {
        foreach (var chunk in pairs.Chunk(200))
        {
            // One statement per key column, so each uses its index.
            foreach (var (column, key) in new (string, Func<(string Operational, string Accounting, string?[] Base), string>)[]
                     { ("operational_key", p => Codes.Key(p.Operational)), ("accounting_key", p => Codes.Key(p.Accounting)) })
            {
                Sql.Execute(db, transaction,
                    $"DELETE FROM sync_links WHERE connection_id = @c AND {column} IN ({string.Join(", ", chunk.Select((_, i) => "@k" + i))})",
                    [("c", connectionId), .. chunk.Select((p, i) => ("k" + i, (object?)key(p)))]);
            }
        }
        foreach (var (operational, accounting, baseState) in pairs)
        {
            Sql.ExecuteRepeated(db, transaction, InsertSql, InsertValues(operational, accounting, LinkOption.Normal, baseState, linkedBy, syncedAt));
        }
    }

    private const string InsertSql =
        "INSERT INTO sync_links (connection_id, operational_code, operational_key, accounting_code, accounting_key, sync_option, base_json, linked_by, synced_at) " +
        "VALUES (@c, @o, @ok, @a, @ak, @opt, @b, @by, @at)";

    private (string, object?)[] InsertValues(string? operational, string? accounting, LinkOption option, string?[]? baseState, string linkedBy, string? syncedAt) =>
    [
        ("c", connectionId), ("o", operational), ("ok", operational is null ? null : Codes.Key(operational)),
        ("a", accounting), ("ak", accounting is null ? null : Codes.Key(accounting)), ("opt", option.ToString().ToLowerInvariant()),
        ("b", baseState is null ? null : JsonSerializer.Serialize(baseState)), ("by", linkedBy), ("at", syncedAt),
    ];

    public void SetBase(DbConnection db, DbTransaction transaction, long linkId, string?[] baseState, string syncedAt) =>
        Sql.ExecuteRepeated(db, transaction, "UPDATE sync_links SET base_json = @b, synced_at = @at WHERE id = @id",
            ("b", JsonSerializer.Serialize(baseState)), ("at", syncedAt), ("id", linkId));

    public void SetOption(DbConnection db, DbTransaction transaction, long linkId, LinkOption option) =>
        Sql.Execute(db, transaction, "UPDATE sync_links SET sync_option = @o WHERE id = @id", ("o", option.ToString().ToLowerInvariant()), ("id", linkId));

    public void Remove(DbConnection db, DbTransaction transaction, long linkId) =>
        Sql.Execute(db, transaction, "DELETE FROM sync_links WHERE id = @id", ("id", linkId));

    private IEnumerable<Link> Read(DbConnection db, DbTransaction? transaction, string where, (string, object?)[] parameters)
    {
        using var command = Sql.Command(db, transaction,
            $"SELECT {Columns} FROM sync_links WHERE connection_id = @connection {where} ORDER BY id",
            [("connection", connectionId), .. parameters]);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return ToLink(reader);
        }
    }

    private static Link ToLink(DbDataReader reader)
    {
        return new Link(reader.GetInt64(0), reader.TextOrNull(1), reader.TextOrNull(2),
            Enum.Parse<LinkOption>(reader.GetString(3), ignoreCase: true),
            reader.TextOrNull(4) is { } json ? JsonSerializer.Deserialize<string?[]>(json) : null,
            reader.GetString(5), reader.TextOrNull(6));
    }
}
