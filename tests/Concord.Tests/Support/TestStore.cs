using System.Text;
using Concord.Store;
using Npgsql;

namespace Concord.Tests.Support;

/// <summary>
/// A fresh, empty store for one test: a SQLite file in a temporary folder, or a schema of its
/// own on the PostgreSQL server the test command started (CONCORD_TEST_PG). The server is checked
/// once per test run; a missing or unreachable server fails every PostgreSQL test loudly, never skips it.
/// </summary>
public sealed class TestStore : IDisposable
{
    public const string PostgresVariable = "CONCORD_TEST_PG";

    private static readonly Lazy<string> Server = new(CheckServer);

    private readonly string? _schema;

    public TestStore(StoreKind kind)
    {
        Kind = kind;
        // Not made here: `init` makes it, as it does for a person. A space in its name, as in many
        // people's folders: every path and hint must survive it.
        DataDirectory = Path.Combine(Path.GetTempPath(), "concord test-" + Guid.NewGuid().ToString("N"));
        if (kind == StoreKind.Postgres)
        {
            _schema = "t_" + Guid.NewGuid().ToString("N");
            using (var connection = new NpgsqlConnection(Server.Value))
            {
                connection.Open();
                using var command = new NpgsqlCommand($"CREATE SCHEMA {_schema}", connection);
                command.ExecuteNonQuery();
            }
            ConnectionString = new NpgsqlConnectionStringBuilder(Server.Value) { SearchPath = _schema }.ToString();
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

    public Database Open() => Database.Open(DataDirectory, ConnectionString, TimeProvider.System);

    public void Dispose()
    {
        // Only this store's pooled connections: other tests are running on theirs.
        if (ConnectionString is not null)
        {
            using var pooled = new NpgsqlConnection(ConnectionString);
            NpgsqlConnection.ClearPool(pooled);
        }
        else if (File.Exists(Path.Combine(DataDirectory, Database.SqliteFileName)))
        {
            Open().ClearPool();
        }
        if (_schema is not null)
        {
            using var connection = new NpgsqlConnection(Server.Value);
            connection.Open();
            using var command = new NpgsqlCommand($"DROP SCHEMA IF EXISTS {_schema} CASCADE", connection);
            command.ExecuteNonQuery();
        }
        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // a file still held open by a connection in use; the temp folder is cleaned later
        }
    }

    private static string CheckServer()
    {
        var server = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrWhiteSpace(server))
        {
            throw new InvalidOperationException(
                $"{PostgresVariable} is not set: run the tests with scripts/test.sh, which starts a PostgreSQL server on 127.0.0.1.");
        }
        try
        {
            using var connection = new NpgsqlConnection(server);
            connection.Open();
            using var command = new NpgsqlCommand("SELECT 1", connection);
            command.ExecuteScalar();
        }
        catch (NpgsqlException error)
        {
            throw new InvalidOperationException($"the PostgreSQL server of {PostgresVariable} cannot be used: {error.Message}", error);
        }
        return server;
    }

    /// <summary>Every byte the store keeps, as text (the SQLite files; every table of the PostgreSQL schema): for secrets that must not be there.</summary>
    public string StoredText()
    {
        if (Kind == StoreKind.Sqlite)
        {
            Open().ClearPool();
            var text = new StringBuilder();
            foreach (var file in Directory.GetFiles(DataDirectory, Database.SqliteFileName + "*"))
            {
                text.Append(Encoding.UTF8.GetString(File.ReadAllBytes(file)));
            }
            Assert.NotEqual(0, text.Length);
            return text.ToString();
        }
        using var connection = new NpgsqlConnection(ConnectionString);
        connection.Open();
        var tables = new List<string>();
        using (var list = new NpgsqlCommand("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()", connection))
        using (var reader = list.ExecuteReader())
        {
            while (reader.Read())
            {
                tables.Add(reader.GetString(0));
            }
        }
        Assert.Contains("sync_connections", tables);
        var dump = new StringBuilder();
        foreach (var table in tables)
        {
            using var rows = new NpgsqlCommand($"SELECT CAST(t AS text) FROM \"{table}\" t", connection);
            using var reader = rows.ExecuteReader();
            while (reader.Read())
            {
                dump.AppendLine(reader.GetString(0));
            }
        }
        return dump.ToString();
    }
}
