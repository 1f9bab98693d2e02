using System.Data.Common;

namespace Concord.Core.Common;

/// <summary>Store-wide settings (company name, default user) as key/value rows.</summary>
public static class Settings
{
    public static string? Get(DbConnection connection, DbTransaction? transaction, string key) =>
        Sql.Scalar<string?>(connection, transaction, "SELECT value FROM settings WHERE key = @k", ("k", key));

    public static void Set(DbConnection connection, DbTransaction transaction, string key, string value)
    {
        if (Sql.Execute(connection, transaction, "UPDATE settings SET value = @v WHERE key = @k", ("k", key), ("v", value)) == 0)
        {
            Sql.Execute(connection, transaction, "INSERT INTO settings (key, value) VALUES (@k, @v)", ("k", key), ("v", value));
        }
    }
}
