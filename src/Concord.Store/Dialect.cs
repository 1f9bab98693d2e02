using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Concord.Store;

/// <summary>
/// Everything that differs between SQLite and PostgreSQL, in one place: connections,
/// DDL tokens, the bulk-insert fast path and locks between processes. The rest of the code does
/// not know which engine it runs on.
/// </summary>
public abstract class Dialect
{
    public abstract StoreKind Kind { get; }

    public abstract DbConnection CreateConnection();

    /// <summary>Expands the engine-specific tokens of a migration script.</summary>
    public abstract string ExpandDdl(string script);

    /// <summary>Opens a bulk writer for <paramref name="table"/>: prepared statements on SQLite, binary COPY on PostgreSQL.</summary>
    public abstract BulkWriter OpenBulkWriter(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns);

    /// <summary>Closes the idle pooled connections to this store (and only this store).</summary>
    public abstract void ClearPool();

    /// <summary>SQL that describes where the store is, without secrets, for messages.</summary>
    public abstract string Describe();

    /// <summary>An ORDER BY term for <paramref name="column"/> in byte (ordinal) order, whatever the database's collation.</summary>
    public abstract string OrdinalOrder(string column);

    /// <summary>
    /// Takes the store-wide exclusive lock <paramref name="name"/> if it is free: a handle that holds
    /// it until disposed, or null when another holder (this process or any other sharing the store)
    /// has it. The lock dies with its holder, so a killed process never blocks for good: a session
    /// advisory lock on PostgreSQL, an OS file lock next to the database file on SQLite. Neither
    /// holds a transaction open, so other writers are not blocked.
    /// </summary>
    /// <param name="name">letters, digits and dashes, e.g. "sync-connection-3".</param>
    public abstract IDisposable? TryLock(string name);

    /// <summary>Refuses lock names that could not be a file name or would collide once normalised.</summary>
    protected static string CheckLockName(string name) =>
        name.Length is > 0 and <= 100 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            ? name
            : throw new ArgumentException($"'{name}' is not a lock name (lower-case letters, digits and dashes)", nameof(name));

    internal static string Expand(string script, string id, string money) =>
        script.Replace("{{id}}", id, StringComparison.Ordinal).Replace("{{bigint}}", money, StringComparison.Ordinal);
}

internal sealed class SqliteDialect(string path) : Dialect
{
    private readonly string _connectionString = new SqliteConnectionStringBuilder
    {
        DataSource = path,
        Mode = SqliteOpenMode.ReadWriteCreate,
        Pooling = true,
        DefaultTimeout = 60,
    }.ToString();

    public override StoreKind Kind => StoreKind.Sqlite;

    public override DbConnection CreateConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        using var pragma = connection.CreateCommand();
        pragma.CommandText = "PRAGMA busy_timeout = 60000; PRAGMA synchronous = NORMAL;";
        pragma.ExecuteNonQuery();
        return connection;
    }

    public override string ExpandDdl(string script) =>
        Expand(script, "INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER");

    public override void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    public override BulkWriter OpenBulkWriter(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns) =>
        new PreparedStatementBulkWriter(connection, transaction, table, columns);

    public override string Describe() => $"SQLite file {path}";

    // flock(2) on Linux (FileShare.None): released by the kernel when the process ends, however it ends.
    // The file stays; deleting a lock file while another process opens it would let two holders in.
    public override IDisposable? TryLock(string name)
    {
        try
        {
            return new FileStream($"{path}.{CheckLockName(name)}.lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException error) when (error is not (DirectoryNotFoundException or FileNotFoundException or PathTooLongException))
        {
            return null;
        }
    }

    // SQLite compares text byte by byte: the index on the column gives this order as it is.
    public override string OrdinalOrder(string column) => column;
}

internal sealed class PostgresDialect(string connectionString) : Dialect
{
    public override StoreKind Kind => StoreKind.Postgres;

    public override DbConnection CreateConnection()
    {
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return connection;
    }

    public override string ExpandDdl(string script) =>
        Expand(script, "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BIGINT");

    public override void ClearPool()
    {
        using var connection = new NpgsqlConnection(connectionString);
        NpgsqlConnection.ClearPool(connection);
    }

    public override BulkWriter OpenBulkWriter(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns) =>
        new BinaryCopyBulkWriter((NpgsqlConnection)connection, table, columns);

    public override string OrdinalOrder(string column) => $"{column} COLLATE \"C\"";

    // A session advisory lock on a connection of its own, outside the pool, so that closing it (or the
    // holder dying) ends the session and the lock with it. The server notices a holder that died with
    // its machine (no FIN ever comes) by TCP keepalive, within about a minute rather than hours.
    // The key includes the schema: stores that share a database in different schemas do not share locks.
    public override IDisposable? TryLock(string name)
    {
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        try
        {
            connection.Open();
            using (var keepalive = new NpgsqlCommand("SET tcp_keepalives_idle = 30; SET tcp_keepalives_interval = 10; SET tcp_keepalives_count = 3", connection))
            {
                keepalive.ExecuteNonQuery();
            }
            using var command = new NpgsqlCommand("SELECT pg_try_advisory_lock(hashtextextended(current_schema() || '/' || @name, 0))", connection);
            command.Parameters.AddWithValue("name", CheckLockName(name));
            if (command.ExecuteScalar() is true)
            {
                return connection;
            }
        }
        catch
        {
            connection.Dispose();
            throw;
        }
        connection.Dispose();
        return null;
    }

    public override string Describe()
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        return $"PostgreSQL database {builder.Database} on {builder.Host}:{builder.Port}";
    }
}
