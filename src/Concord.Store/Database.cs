using System.Data.Common;
using System.Globalization;
using Dapper;

namespace Concord.Store;

/// <summary>
/// A Concord store: a SQLite file in the data folder, or a PostgreSQL database given by a
/// connection string. Only <see cref="Create"/> makes one (`init`, `demo`); <see cref="Open"/>
/// finds an existing one and applies any migration it has not seen yet.
/// </summary>
public sealed class Database
{
    public const string SqliteFileName = "concord.db";

    /// <summary>The data folder holds the store's file and the keys of its secrets: its owner only.</summary>
    public const UnixFileMode PrivateFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    public const UnixFileMode PrivateFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private Database(Dialect dialect, string dataDirectory)
    {
        Dialect = dialect;
        DataDirectory = dataDirectory;
    }

    public Dialect Dialect { get; }

    public StoreKind Kind => Dialect.Kind;

    /// <summary>The data folder this store was opened with (for PostgreSQL it holds only the keys of the store's secrets).</summary>
    public string DataDirectory { get; }

    /// <summary>Whether this process may only read the store (a SQLite file it may not write).</summary>
    public bool IsReadOnly => Dialect.IsReadOnly;

    /// <summary>Creates the data folder (0700) and the store when they are missing, and migrates it: what `init` does.</summary>
    public static Database Create(string dataDirectory, string? connectionString, TimeProvider clock)
    {
        CreatePrivateFolder(dataDirectory);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            var path = Path.Combine(dataDirectory, SqliteFileName);
            if (!File.Exists(path))
            {
                // Made here rather than by SQLite so that it is never readable by others, not even for a moment;
                // SQLite gives its -wal and -shm files the database file's mode.
                var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
                if (!OperatingSystem.IsWindows())
                {
                    options.UnixCreateMode = PrivateFile;
                }
                try
                {
                    using var _ = new FileStream(path, options);
                }
                catch (IOException) when (File.Exists(path))
                {
                    // another init made it at the same moment
                }
            }
        }
        return Connect(dataDirectory, connectionString, clock, create: true);
    }

    /// <summary>
    /// Opens an existing store and migrates it when needed; a folder or database without a Concord
    /// store is a <see cref="StoreProblem.Missing"/> error, and nothing is created.
    /// </summary>
    public static Database Open(string dataDirectory, string? connectionString, TimeProvider clock)
    {
        if (string.IsNullOrWhiteSpace(connectionString) && !File.Exists(Path.Combine(dataDirectory, SqliteFileName)))
        {
            if (Directory.Exists(dataDirectory))
            {
                // A folder this user may not open hides its store: say that, not "run init" (UnauthorizedAccessException).
                _ = Directory.EnumerateFileSystemEntries(dataDirectory).Any();
            }
            throw new StoreException(StoreProblem.Missing, $"no Concord store in {dataDirectory}");
        }
        return Connect(dataDirectory, connectionString, clock, create: false);
    }

    /// <summary>Whether <paramref name="error"/> is the store refusing a write because it may only be read.</summary>
    public static bool IsReadOnlyRefusal(DbException error) =>
        error is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 8 } // SQLITE_READONLY
        || error is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.ReadOnlySqlTransaction };

    /// <summary>
    /// Whether the store undid a write because another writer held the same rows at that moment
    /// (a deadlock or serialisation failure on PostgreSQL, a lock past the busy timeout on SQLite):
    /// nothing was written, and the same command can simply be run again.
    /// </summary>
    public static bool IsWriteConflict(DbException error) =>
        error is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 } // SQLITE_BUSY, SQLITE_LOCKED
        || error is Npgsql.PostgresException { SqlState: Npgsql.PostgresErrorCodes.DeadlockDetected or Npgsql.PostgresErrorCodes.SerializationFailure };

    /// <summary>Whether the store did not answer a command in time (a row another writer holds too long, a slow server): the transaction is undone.</summary>
    public static bool IsTimeout(DbException error) => error.InnerException is TimeoutException;

    /// <summary>What the command line and the API say of a <see cref="IsWriteConflict"/> failure, before "nothing was written".</summary>
    public const string WriteConflictWords = "another writer held the same records at the same moment";

    /// <summary>What the command line and the API say of a <see cref="IsTimeout"/> failure, before "nothing was written".</summary>
    public const string TimeoutWords = "the store did not answer in time (another writer may hold the same records, or the server is slow or out of reach)";

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

    /// <summary>Creates <paramref name="path"/> for its owner only (0700) when it is missing.</summary>
    public static void CreatePrivateFolder(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(path);
        }
        else if (!Directory.Exists(path))
        {
            Directory.CreateDirectory(path, PrivateFolder);
        }
    }

    private static Database Connect(string dataDirectory, string? connectionString, TimeProvider clock, bool create)
    {
        Dialect dialect;
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            dialect = new SqliteDialect(Path.Combine(dataDirectory, SqliteFileName));
        }
        else
        {
            PostgresConnectionString.Parse(connectionString);
            dialect = new PostgresDialect(connectionString); // as given: the driver pools by this text
        }
        var database = new Database(dialect, dataDirectory);
        database.Migrate(clock, create);
        return database;
    }

    private void Migrate(TimeProvider clock, bool create)
    {
        using var connection = OpenConnection();
        if (create && Kind == StoreKind.Sqlite && !IsReadOnly)
        {
            connection.Execute("PRAGMA journal_mode = WAL;");
        }
        var applied = Dialect.TableExists(connection, "schema_migrations")
            ? connection.Query<long>("SELECT version FROM schema_migrations").ToHashSet()
            : null;
        if (applied is null && !create)
        {
            throw new StoreException(StoreProblem.Missing, $"no Concord store in {(Kind == StoreKind.Sqlite ? DataDirectory : Dialect.Describe())}");
        }
        var pending = Migrations.All().Where(m => applied is null || !applied.Contains(m.Version)).ToList();
        if (pending.Count == 0)
        {
            return;
        }
        if (IsReadOnly)
        {
            throw new StoreException(StoreProblem.ReadOnly,
                $"the store ({Dialect.Describe()}) is read-only and must first be brought up to this version of Concord by someone who may write it");
        }
        connection.Execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)");
        foreach (var (version, name, script) in pending)
        {
            using var transaction = connection.BeginTransaction();
            if (Kind == StoreKind.Postgres)
            {
                // Two processes opening a fresh database at once must not both migrate it.
                connection.Execute("LOCK TABLE schema_migrations IN EXCLUSIVE MODE", transaction: transaction);
            }
            var done = connection.ExecuteScalar<long>(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @version", new { version }, transaction);
            if (done == 0)
            {
                connection.Execute(Dialect.ExpandDdl(script), transaction: transaction);
                connection.Execute(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                    new { version, name, at = clock.GetUtcNow().ToString("O", CultureInfo.InvariantCulture) },
                    transaction);
            }
            transaction.Commit();
        }
    }
}
