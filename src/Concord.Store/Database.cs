using System.Data.Common;
using System.Globalization;
using Dapper;

namespace Concord.Store;

/// <summary>
/// A Concord store: a SQLite file in the data folder, or a PostgreSQL database given by a
/// connection string. Opening it applies any migration it has not seen yet.
/// </summary>
public sealed class Database
{
    public const string SqliteFileName = "concord.db";

    private Database(Dialect dialect) => Dialect = dialect;

    public Dialect Dialect { get; }

    public StoreKind Kind => Dialect.Kind;

    /// <summary>Opens (creating and migrating when needed) the store for a data folder.</summary>
    public static Database Open(string dataDirectory, string? connectionString)
    {
        Dialect dialect;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            Directory.CreateDirectory(dataDirectory);
            dialect = new SqliteDialect(Path.Combine(dataDirectory, SqliteFileName));
        }
        else
        {
            dialect = new PostgresDialect(connectionString);
        }
        var database = new Database(dialect);
        database.Migrate();
        return database;
    }

    public DbConnection OpenConnection() => Dialect.CreateConnection();

    /// <summary>Closes this store's idle pooled connections, so its files can be removed.</summary>
    public void ClearPool() => Dialect.ClearPool();

    /// <summary>Runs <paramref name="work"/> in one transaction, committed only when it returns.</summary>
    public T InTransaction<T>(Func<DbConnection, DbTransaction, T> work)
    {
        using var connection = OpenConnection();
        using var transaction = connection.BeginTransaction();
        var result = work(connection, transaction);
        transaction.Commit();
        return result;
    }

    public void InTransaction(Action<DbConnection, DbTransaction> work) =>
        InTransaction((c, t) =>
        {
            work(c, t);
            return 0;
        });

    private void Migrate()
    {
        using var connection = OpenConnection();
        if (Kind == StoreKind.Sqlite)
        {
            connection.Execute("PRAGMA journal_mode = WAL;");
        }
        connection.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        foreach (var (version, name, script) in Migrations.All())
        {
            using var transaction = connection.BeginTransaction();
            if (Kind == StoreKind.Postgres)
            {
                // Two processes opening a fresh database at once must not both migrate it.
                connection.Execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE", transaction: transaction);
            }
            var applied = connection.ExecuteScalar<long>(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, transaction);
            if (applied == 0)
            {
                connection.Execute(Dialect.ExpandDdl(script), transaction: transaction);
                connection.Execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                    new { version, name, at = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture) },
                    transaction);
            }
            transaction.Commit();
        }
    }
}
