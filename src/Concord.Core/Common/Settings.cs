using System.Data.Common;

namespace Concord.Core.Common;

/// <summary>Store-wide settings (company name, default user) as key/value rows.</summary>
public static class Settings
{
    public static string? Get(DbConnection connection, DbTransaction? transaction, string key) =>
        Sql.Scalar<string?>(connection, transaction, "SELECT value FROM settings WHERE key = @k", ("k", key));

    /// <summary>Several settings in one read: those stored, by key.</summary>
    public static Dictionary<string, string> Get(DbConnection connection, DbTransaction? transaction, params string[] keys)
    {
        using var command = Sql.Command(connection, transaction,
            $"SELECT key, value FROM settings WHERE key IN ({string.Join(", ", keys.Select((_, i) => "@k" + i))})", [.. keys.Select((key, i) => ("k" + i, (object?)key))]);
        using var reader = command.ExecuteReader();
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.Read())
        {
            found[reader.GetString(0)] = reader.GetString(1);
        }
        return found;
    }

    public static void Set(DbConnection connection, DbTransaction transaction, string key, string value)
    {
        // One statement, so two writers setting the same key at once (two first postings fixing the year) never collide.
        Sql.Execute(connection, transaction,
            "INSERT INTO settings (key, value) VALUES (@k, @v) ON CONFLICT (key) DO UPDATE SET value = excluded.value", ("k", key), ("v", value));
    }
}
