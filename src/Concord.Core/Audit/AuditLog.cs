using System.Data.Common;
using System.Text.Json;
using Concord.Core.Common;

namespace Concord.Core.Audit;

/// <summary>One line of the audit log: who did what to which record, when, with the record before and after.</summary>
public sealed record AuditEntry(long Id, string At, string User, string Action, string Entity, string Record, string? Before, string? After)
{
    /// <summary>What changed, on one line: "phone: '' -> '031 …'; name: …", or every field of a record created or deleted.</summary>
    public string Changes() => Changes(Before, After);

    /// <summary>What changed between two audit JSON objects (field: 'before' -> 'after'), or every field when one side is empty.</summary>
    public static string Changes(string? beforeJson, string? afterJson)
    {
        static Dictionary<string, string> Fields(string? json)
        {
            if (json is null)
            {
                return [];
            }
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind != JsonValueKind.Object
                ? new Dictionary<string, string> { ["value"] = document.RootElement.ToString() }
                : document.RootElement.EnumerateObject()
                    .Where(p => p.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) && p.Value.ToString().Length > 0)
                    .ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.Ordinal);
        }
        var before = Fields(beforeJson);
        var after = Fields(afterJson);
        if (before.Count == 0 || after.Count == 0)
        {
            return string.Join("; ", (after.Count > 0 ? after : before).Select(f => $"{f.Key}: '{f.Value}'"));
        }
        return string.Join("; ", before.Keys.Union(after.Keys)
            .Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k))
            .Select(k => $"{k}: '{before.GetValueOrDefault(k) ?? ""}' -> '{after.GetValueOrDefault(k) ?? ""}'"));
    }
}

/// <summary>
/// The audit log. Every write goes through <see cref="Write"/> inside the same transaction as
/// the change itself, so a change and its audit line land together or not at all.
/// </summary>
public sealed class AuditLog(string userName, TimeProvider clock)
{
    public void Write(DbConnection connection, DbTransaction transaction, string action, string entity, string record, string? beforeJson, string? afterJson) =>
        Sql.ExecuteRepeated(connection, transaction,
            "INSERT INTO audit_log (at, user_name, action, entity, record_key, before_json, after_json) VALUES (@at, @u, @a, @e, @r, @b, @f)",
            ("at", Timestamps.Format(clock.GetUtcNow())), ("u", userName), ("a", action), ("e", entity), ("r", record),
            ("b", beforeJson), ("f", afterJson));

    /// <summary>Writes one line per record of a bulk change (a sync batch) by the store's bulk path, in the change's transaction.</summary>
    public void WriteMany(DbConnection connection, DbTransaction transaction, Concord.Store.Dialect dialect, string action, string entity,
        IEnumerable<(string Record, string? Before, string? After)> lines)
    {
        var at = Timestamps.Format(clock.GetUtcNow());
        using var writer = dialect.OpenBulkWriter(connection, transaction, "audit_log", ["at", "user_name", "action", "entity", "record_key", "before_json", "after_json"]);
        foreach (var (record, before, after) in lines)
        {
            writer.Write([at, userName, action, entity, record, before, after]);
        }
        writer.Complete();
    }

    public static IEnumerable<AuditEntry> Read(DbConnection connection, string? entity, string? record)
    {
        var conditions = new List<string> { "1 = 1" };
        if (entity is not null)
        {
            conditions.Add("entity = @e");
        }
        if (record is not null)
        {
            conditions.Add("UPPER(record_key) = @r");
        }
        using var command = Sql.Command(connection, null,
            "SELECT id, at, user_name, action, entity, record_key, before_json, after_json FROM audit_log " +
            $"WHERE {string.Join(" AND ", conditions)} ORDER BY id",
            ("e", entity ?? ""), ("r", record is null ? "" : Codes.Key(record)));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return new AuditEntry(reader.GetInt64(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                reader.GetString(4), reader.GetString(5), reader.TextOrNull(6), reader.TextOrNull(7));
        }
    }
}
