using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Concord.Store;

/// <summary>
/// Everything that differs between SQLite and PostgreSQL, in one place: connections,
/// DDL tokens and the bulk-insert fast path. The rest of the code does not know which engine it runs on.
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

    /// <summary>Whether this process may only read the store.</summary>
    public virtual bool IsReadOnly => false;

    /// <summary>Whether <paramref name="table"/> exists in the store (in the schema the connection uses).</summary>
    public abstract bool TableExists(DbConnection connection, string table);

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

    public override DbConnection CreateConnection()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        if (!_probed)
        {
            // Before anything reads the file: a read is what makes the -shm file.
            connection = Probe(connection);
        }
        using var pragma = connection.CreateCommand();
        // secure_delete: a replaced or deleted value (a connection's old setting) does not linger in the
        // file's free space; FAST zeroes it only in pages written anyway, so writes cost no more I/O.
        pragma.CommandText = "PRAGMA busy_timeout = 60000; PRAGMA synchronous = NORMAL; PRAGMA secure_delete = FAST;";
        pragma.ExecuteNonQuery();
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

    // SQLite compares text byte by byte: the index on the column gives this order as it is.
    public override string OrdinalOrder(string column) => column;

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

    public override string OrdinalOrder(string column) => $"{column} COLLATE \"C\"";

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
