using Concord.Store;
using Npgsql;

namespace Concord.Tests.Support;

/// <summary>
/// A fresh, empty store for one test: a SQLite file in a temporary folder, or a schema of its
/// own on the PostgreSQL server the test command started (CONCORD_TEST_PG). A missing server
/// fails the test loudly; it is never skipped.
/// </summary>
public sealed class TestStore : IDisposable
{
    public const string PostgresVariable = "CONCORD_TEST_PG";

    private readonly string? _schema;

    public TestStore(StoreKind kind)
    {
        Kind = kind;
        DataDirectory = Path.Combine(Path.GetTempPath(), "concord-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(DataDirectory);
        if (kind == StoreKind.Postgres)
        {
            var server = Environment.GetEnvironmentVariable(PostgresVariable);
            if (string.IsNullOrWhiteSpace(server))
            {
                throw new InvalidOperationException(
                    $"{PostgresVariable} is not set: run the tests with scripts/test.sh, which starts a PostgreSQL server on 127.0.0.1.");
            }
            _schema = "t_" + Guid.NewGuid().ToString("N");
            using (var connection = new NpgsqlConnection(server))
            {
                connection.Open();
                using var command = new NpgsqlCommand($"CREATE SCHEMA {_schema}", connection);
                command.ExecuteNonQuery();
            }
            ConnectionString = new NpgsqlConnectionStringBuilder(server) { SearchPath = _schema }.ToString();
        }
    }

    public StoreKind Kind { get; }

    public string DataDirectory { get; }

    /// <summary>The PostgreSQL connection string, or null for SQLite.</summary>
    public string? ConnectionString { get; }

    /// <summary>The global options that point `concord` at this store.</summary>
    public string[] GlobalArguments => ConnectionString is null
        ? ["--data", DataDirectory]
        : ["--data", DataDirectory, "--store", ConnectionString];

    public Database Open() => Database.Open(DataDirectory, ConnectionString);

    public void Dispose()
    {
        if (_schema is not null)
        {
            NpgsqlConnection.ClearAllPools();
            using var connection = new NpgsqlConnection(Environment.GetEnvironmentVariable(PostgresVariable));
            connection.Open();
            using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
            command.ExecuteNonQuery();
        }
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open by a pooled connection; the temp folder is cleaned later
        }
    }
}
