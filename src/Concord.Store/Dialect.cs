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

    /// <summary>Whether this process may only read the store.</summary>
    public virtual bool IsReadOnly => false;

    /// <summary>Whether <paramref name="table"/> exists in the store (in the schema the connection uses).</summary>
    public abstract bool TableExists(DbConnection connection, string table);

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

internal sealed class SqliteDialect : Dialect
{
    private readonly string _path;
    private readonly bool _writeProtected;
    private string _connectionString;
    private bool _probed;
    private bool _readOnly;

    public SqliteDialect(string path)
    {
        _path = path;
        // Root may write any file, so the file's mode decides too: a file nobody may write is opened read-only.
        _writeProtected = !OperatingSystem.IsWindows()
            && (File.GetUnixFileMode(path) & (UnixFileMode.UserWrite | UnixFileMode.GroupWrite | UnixFileMode.OtherWrite)) == 0;
        _connectionString = ConnectionString(path, _writeProtected ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWrite);
    }

    public override StoreKind Kind => StoreKind.Sqlite;

    public override bool IsReadOnly
    {
        get
        {
            if (!_probed)
            {
                using var _ = CreateConnection();
            }
            return _readOnly;
        }
    }

    /// <summary>The SQLite handles whose settings are made (a handle outlives its pooled connections).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<SQLitePCL.sqlite3, object> Configured = [];

    public override DbConnection CreateConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        if (!_probed)
        {
            // Before anything reads the file: a read is what makes the -shm file.
            connection = Probe(connection);
        }
        if (!Configured.TryGetValue(connection.Handle!, out _))
        {
            // Once per SQLite handle: the pool hands the same handle out again with its settings kept.
            using var pragma = connection.CreateCommand();
            // secure_delete: a replaced or deleted value (a connection's old setting) does not linger in the
            // file's free space; FAST zeroes it only in pages written anyway, so writes cost no more I/O.
            pragma.CommandText = "PRAGMA busy_timeout = 60000; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = FAST;";
            pragma.ExecuteNonQuery();
            Configured.AddOrUpdate(connection.Handle!, Configured);
        }
        return connection;
    }

    /// <summary>
    /// The first connection finds out whether this process may write the file: SQLite opens a file
    /// it may not write read-only, as access(2) would tell (and root is held to the file's mode).
    /// </summary>
    private SqliteConnection Probe(SqliteConnection connection)
    {
        _readOnly = _writeProtected || SQLitePCL.raw.sqlite3_db_readonly(connection.Handle, "main") == 1;
        _probed = true;
        if (_readOnly && !File.Exists(_path + "-wal"))
        {
            // A reader of a WAL database needs a -shm file beside it, which it would have to create:
            // impossible in a folder it may not write, and left behind (owned by the reader) in one it may.
            // With no -wal file every committed change is in the database file itself, so it is read as
            // an immutable file instead: no -shm, no locks, nothing created.
            connection.Dispose();
            _connectionString = ConnectionString(new Uri(Path.GetFullPath(_path)).AbsoluteUri + "?immutable=1", SqliteOpenMode.ReadOnly);
            connection = new SqliteConnection(_connectionString);
            connection.Open();
        }
        else if (_readOnly)
        {
            try
            {
                using var read = connection.CreateCommand();
                read.CommandText = "SELECT COUNT(*) FROM sqlite_master";
                read.ExecuteScalar();
            }
            catch (SqliteException error) when (error.SqliteErrorCode == 14) // SQLITE_CANTOPEN: no -shm, none can be made
            {
                connection.Dispose();
                throw new StoreException(StoreProblem.ReadOnly,
                    $"the store ({Describe()}) is read-only and its -wal file holds changes its -shm file is needed to read, which this user " +
                    "cannot create; open it once as a user who may write it (any command), then it can be read");
            }
        }
        return connection;
    }

    private static string ConnectionString(string dataSource, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = dataSource,
        Mode = mode,
        Pooling = true,
        DefaultTimeout = 60,
    }.ToString();

    public override string ExpandDdl(string script) =>
        Expand(script, "INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER");

    public override void ClearPool()
    {
        using var connection = new SqliteConnection(_connectionString);
        SqliteConnection.ClearPool(connection);
    }

    public override BulkWriter OpenBulkWriter(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns) =>
        new PreparedStatementBulkWriter(connection, transaction, table, columns);

    public override string Describe() => $"SQLite file {_path}";

    // flock(2) on Linux (FileShare.None): released by the kernel when the process ends, however it ends.
    // The file stays; deleting a lock file while another process opens it would let two holders in.
    public override IDisposable? TryLock(string name)
    {
        try
        {
            return new FileStream($"{_path}.{CheckLockName(name)}.lock", FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.None);
        }
        catch (IOException error) when (error is not (DirectoryNotFoundException or FileNotFoundException or PathTooLongException))
        {
            return null;
        }
    }

    // SQLite compares text byte by byte: the index on the column gives this order as it is.

    public override bool TableExists(DbConnection connection, string table)
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = $t";
        command.Parameters.Add(new SqliteParameter("$t", table));
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) > 0;
    }
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
        var schema = string.IsNullOrEmpty(builder.SearchPath) ? "" : $" (schema {builder.SearchPath})";
        return $"PostgreSQL database {builder.Database ?? builder.Username}{schema} on {builder.Host}:{builder.Port}";
    }

    public override bool TableExists(DbConnection connection, string table)
    {
        using var command = new NpgsqlCommand("SELECT to_regclass(@t) IS NOT NULL", (NpgsqlConnection)connection);
        command.Parameters.AddWithValue("t", table);
        return command.ExecuteScalar() is true;
    }
}
