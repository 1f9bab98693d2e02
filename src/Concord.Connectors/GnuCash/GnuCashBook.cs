using System.Globalization;
using System.Text.RegularExpressions;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Microsoft.Data.Sqlite;

namespace Concord.Connectors.GnuCash;

/// <summary>
/// A GnuCash book in SQLite format, opened the way an outside writer must open it: reads in short
/// read transactions, each write batch in one <c>BEGIN IMMEDIATE</c> transaction that first makes
/// sure GnuCash does not hold the book (its <c>gnclock</c> row) and that the book's format is one
/// this code knows. The file keeps GnuCash's rollback journal (never WAL). One connection serves
/// every transaction, one at a time: between them it holds no lock, and SQLite keeps its page
/// cache while no other program changed the file, so a run does not re-read the book per batch.
/// </summary>
public sealed partial class GnuCashBook : IDisposable
{
    // The format this code was checked against (GnuCash 4.13): a book needing a newer release to resave, or with other table layouts, is not written.
    private const long NewestResave = 19920;
    private static readonly (string Table, long Version)[] KnownTables = [("customers", 2), ("vendors", 1), ("slots", 4)];
    private static readonly string[] BookTables = ["gnclock", "versions", "books", "slots", "customers", "vendors", "commodities"];

    private readonly SemaphoreSlim _gate = new(1, 1);
    private SqliteConnection? _connection;

    private GnuCashBook(string path) => Path = path;

    public string Path { get; }

    /// <summary>
    /// Opens a book after checking it is one: a missing file or another kind of file is named with
    /// its path; <paramref name="correct"/> says how to correct the setting.
    /// </summary>
    public static GnuCashBook Open(string path, string correct = "correct the path in the connection's setting gnucash:PATH")
    {
        var full = System.IO.Path.GetFullPath(path);
        if (!File.Exists(full))
        {
            throw new ConnectorUnavailableException($"the GnuCash book {full} does not exist",
                $"{correct}; nothing was written");
        }
        var book = new GnuCashBook(full);
        try
        {
            using var connection = book.Connect();
            using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name IN (SELECT value FROM json_each(@tables))";
            command.Parameters.AddWithValue("@tables", System.Text.Json.JsonSerializer.Serialize(BookTables));
            if ((long)command.ExecuteScalar()! == BookTables.Length)
            {
                return book;
            }
        }
        catch (SqliteException error) when (error.SqliteErrorCode is 26 /* SQLITE_NOTADB */)
        {
        }
        throw new UserError(full, "accounting",
            "is not a GnuCash book in SQLite format (GnuCash saves XML by default: open it in GnuCash and use File ▸ Save As… with Data Format 'sqlite3')");
    }

    /// <summary>A connection that waits up to 5 s for a busy file (a GnuCash commit holds it for milliseconds).</summary>
    private SqliteConnection Connect()
    {
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = Path, Mode = SqliteOpenMode.ReadWrite, Pooling = false, DefaultTimeout = 5 }.ToString());
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="work"/> in one transaction on the book's connection, opened on first
    /// use with a page cache of up to 64 MiB (it only grows as pages are read). A failed
    /// transaction closes the connection: the next one starts afresh.
    /// </summary>
    private async Task<T> InTransactionAsync<T>(bool write, Func<SqliteConnection, SqliteTransaction, Task<T>> work, CancellationToken cancellation)
    {
        await _gate.WaitAsync(cancellation);
        try
        {
            if (_connection is null)
            {
                _connection = Connect();
                using var cache = _connection.CreateCommand();
                cache.CommandText = "PRAGMA cache_size = -65536";
                cache.ExecuteNonQuery();
            }
            await using var transaction = write
                ? _connection.BeginTransaction(deferred: false)
                : (SqliteTransaction)await _connection.BeginTransactionAsync(System.Data.IsolationLevel.Serializable, cancellation);
            var result = await work(_connection, transaction);
            await transaction.CommitAsync(cancellation);
            return result;
        }
        catch
        {
            _connection?.Dispose();
            _connection = null;
            throw;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// A number that changes when another connection — GnuCash, another process — commits to the
    /// book, and stays the same for this book's own commits (SQLite's <c>PRAGMA data_version</c>).
    /// Only meaningful inside a transaction of this book.
    /// </summary>
    public static async Task<long> DataVersionAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellation) =>
        (long)(await Command(connection, transaction, "PRAGMA data_version").ExecuteScalarAsync(cancellation))!;

    public void Dispose()
    {
        _connection?.Dispose();
        _connection = null;
        _gate.Dispose();
    }

    /// <summary>
    /// Runs <paramref name="read"/> in one read transaction. Keep it short: GnuCash has no busy
    /// timeout, so a reader that holds the file while GnuCash commits makes GnuCash's save fail.
    /// Opened read-write: after a writer was killed mid-commit the first reader must roll its
    /// journal back, which a read-only connection cannot do ("attempt to write a readonly database").
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> read, CancellationToken cancellation)
    {
        try
        {
            return await InTransactionAsync(write: false, read, cancellation);
        }
        catch (SqliteException error)
        {
            throw Unavailable("read", error);
        }
    }

    /// <summary>
    /// Runs <paramref name="write"/> in one <c>BEGIN IMMEDIATE</c> transaction and commits it, or
    /// writes nothing: refused while GnuCash has the book open (S14) or when the book's format is
    /// not one this code knows. SQLite commits atomically (the rollback journal undoes a commit cut
    /// short), so a batch is either wholly in the book or not at all, and a failure is never an
    /// uncertain write (S19).
    /// </summary>
    public async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellation)
    {
        try
        {
            return await InTransactionAsync(write: true, async (connection, transaction) =>
            {
                await RefuseWhenLockedAsync(connection, transaction, cancellation);
                await RefuseUnknownFormatAsync(connection, transaction, cancellation);
                return await write(connection, transaction);
            }, cancellation);
        }
        catch (SqliteException error)
        {
            throw Unavailable("written", error);
        }
    }

    private ConnectorUnavailableException Unavailable(string what, SqliteException error) =>
        error.SqliteErrorCode is 5 or 6 /* SQLITE_BUSY, SQLITE_LOCKED */
            ? new ConnectorUnavailableException($"the GnuCash book {Path} is busy: another program is writing to it",
                "run again in a moment; nothing was written", error)
            : new ConnectorUnavailableException($"the GnuCash book {Path} could not be {what}: {error.Message}",
                "check that the file can be read and written and that its disk has room, then run again; nothing was written", error);

    private async Task RefuseWhenLockedAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellation)
    {
        await using var command = Command(connection, transaction, "SELECT Hostname, PID FROM gnclock");
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        if (await reader.ReadAsync(cancellation))
        {
            var host = reader.IsDBNull(0) ? "an unknown host" : $"host {reader.GetString(0)}";
            var pid = reader.IsDBNull(1) ? "" : $" (process {reader.GetInt64(1)})";
            throw new ConnectorUnavailableException($"the GnuCash book {Path} is open in GnuCash on {host}{pid}",
                "close the book in GnuCash and run again. If GnuCash is not running there any more (it crashed), the lock is stale: " +
                "open the book in GnuCash, choose 'Open Anyway', then close it; Concord never removes the lock itself. Nothing was written");
        }
    }

    private async Task RefuseUnknownFormatAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellation)
    {
        await using var command = Command(connection, transaction, "SELECT table_name, table_version FROM versions");
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        var versions = new Dictionary<string, long>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellation))
        {
            versions[reader.GetString(0)] = reader.GetInt64(1);
        }
        var resave = versions.GetValueOrDefault("Gnucash-Resave");
        var unknown = resave > NewestResave
            ? $"it was saved by a GnuCash release that older ones may not write (Gnucash-Resave {resave})"
            : KnownTables.Where(t => versions.GetValueOrDefault(t.Table) != t.Version)
                .Select(t => $"its {t.Table} table has version {versions.GetValueOrDefault(t.Table)}, Concord writes version {t.Version}")
                .FirstOrDefault();
        if (unknown is not null)
        {
            throw new ConnectorUnavailableException($"the GnuCash book {Path} has a format Concord does not write: {unknown}",
                "sync from this book only (--direction from-accounting) until Concord knows its format; nothing was written");
        }
    }

    public static SqliteCommand Command(SqliteConnection connection, SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        return command;
    }

    /// <summary>
    /// Hands out the next numbers of a GnuCash counter (gncCustomer, gncVendor) the way GnuCash
    /// does — counter + 1 in the book's format (File ▸ Properties ▸ Counters; "%06d" unset) —
    /// skipping the ids in <paramref name="inUse"/> (the ids of the counter's table, as <see cref="Codes.Key"/>:
    /// GnuCash does not check; people type ids by hand), to which it adds those it hands out, and
    /// keeps the counter past the last one. <paramref name="format"/> is the book's
    /// <c>counter_formats/NAME</c> slot (<see cref="CounterFormatsSql"/>). Call <see cref="Counter.SaveAsync"/> in the same transaction.
    /// </summary>
    public static async Task<Counter> CounterAsync(SqliteConnection connection, SqliteTransaction transaction, string name, HashSet<string> inUse, string? format,
        CancellationToken cancellation)
    {
        var book = (string)(await Command(connection, transaction, "SELECT guid FROM books LIMIT 1").ExecuteScalarAsync(cancellation))!;
        var frame = (string?)await Command(connection, transaction,
            "SELECT guid_val FROM slots WHERE obj_guid = @book AND name = 'counters'", ("@book", book)).ExecuteScalarAsync(cancellation);
        if (frame is null)
        {
            // A book where GnuCash never numbered anything has no counters frame yet.
            frame = NewGuid();
            await Command(connection, transaction, InsertSlot, Slot(book, "counters", 9, null, frame)).ExecuteNonQueryAsync(cancellation);
        }
        var slot = $"counters/{name}";
        var last = await Command(connection, transaction, "SELECT int64_val FROM slots WHERE obj_guid = @frame AND name = @name", ("@frame", frame), ("@name", slot))
            .ExecuteScalarAsync(cancellation);
        if (last is null)
        {
            await Command(connection, transaction, InsertSlot, Slot(frame, slot, 1, null)).ExecuteNonQueryAsync(cancellation);
        }
        return new Counter(frame, slot, (long?)last ?? 0, CounterFormat.Parse(format), inUse);
    }

    /// <summary>The book's counter formats: rows of the counter's name (gncCustomer…) and its format.</summary>
    public const string CounterFormatsSql = "SELECT substr(name, 17), string_val FROM slots WHERE name LIKE 'counter\\_formats/%' ESCAPE '\\' AND slot_type = 4";

    /// <summary>One GnuCash counter during a write transaction.</summary>
    public sealed class Counter(string frame, string slot, long last, CounterFormat format, HashSet<string> inUse)
    {
        public string Next()
        {
            string id;
            do
            {
                id = format.Format(++last);
            }
            while (!inUse.Add(Codes.Key(id)));
            return id;
        }

        public Task SaveAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellation) =>
            Command(connection, transaction, "UPDATE slots SET int64_val = @last WHERE obj_guid = @frame AND name = @name",
                ("@last", last), ("@frame", frame), ("@name", slot)).ExecuteNonQueryAsync(cancellation);
    }

    /// <summary>
    /// A counter format as GnuCash takes it: text around one printf conversion of a 64-bit integer
    /// ("CU%04li", "%.6lli"). Like GnuCash, a format it would refuse (e.g. "%06d") counts as unset,
    /// which is "%.6li": 000001.
    /// </summary>
    public sealed partial record CounterFormat(string Before, bool Left, bool Zeros, int Width, int? Digits, string After)
    {
        public static CounterFormat Parse(string? format)
        {
            var match = Conversion().Match(format ?? "");
            if (!match.Success)
            {
                return new CounterFormat("", false, false, 0, 6, "");
            }
            var flags = match.Groups["flags"].Value;
            int? Number(string group) => int.TryParse(match.Groups[group].Value, CultureInfo.InvariantCulture, out var n) ? n : null;
            return new CounterFormat(Unescape(match.Groups["before"].Value), flags.Contains('-'), flags.Contains('0'),
                Number("width") ?? 0, match.Groups["precision"].Success ? Number("digits") ?? 0 : null, Unescape(match.Groups["after"].Value));
        }

        /// <summary>The id for a counter value as C's printf writes it (counters start at 1, so no sign).</summary>
        public string Format(long number)
        {
            var digits = number.ToString(CultureInfo.InvariantCulture).PadLeft(Digits ?? 0, '0');
            if (Zeros && !Left && Digits is null)
            {
                digits = digits.PadLeft(Width, '0');
            }
            return Before + (Left ? digits.PadRight(Width) : digits.PadLeft(Width)) + After;
        }

        private static string Unescape(string text) => text.Replace("%%", "%", StringComparison.Ordinal);

        [GeneratedRegex("""^(?<before>(?:[^%]|%%)*)%(?<flags>[#0\- +'I]*)(?<width>\d*)(?<precision>\.(?<digits>\d*))?(?:lli|li|I64i)(?<after>(?:[^%]|%%)*)$""")]
        private static partial Regex Conversion();
    }

    /// <summary>
    /// A new GnuCash GUID: 32 lower-case hex digits, as GnuCash writes its own random ones. Taken
    /// from a time-ordered (version 7) UUID — 48 bits of milliseconds, then 74 random bits — so the
    /// rows of one batch sit side by side in the book's GUID indexes instead of on a page each;
    /// GnuCash reads a GUID only as an identity.
    /// </summary>
    public static string NewGuid() => Guid.CreateVersion7().ToString("N");

    /// <summary>A KVP slot row as GnuCash writes it, with the values of <see cref="Slot"/>.</summary>
    public const string InsertSlot =
        "INSERT INTO slots (obj_guid, name, slot_type, int64_val, string_val, double_val, timespec_val, guid_val, numeric_val_num, numeric_val_denom, gdate_val) " +
        "VALUES (@slot_owner, @slot_name, @slot_type, @slot_number, @slot_text, NULL, '1970-01-01 00:00:00', @slot_guid, 0, 1, NULL)";

    /// <summary>
    /// Text slots (type 4) of one record in one statement: <paramref name="names"/> (letters, digits,
    /// '-', '_', '.', as Concord's own and a field map's slot names are) written into it, the owner
    /// bound as @slot_owner and each value as @slot_text0, @slot_text1…
    /// </summary>
    public static string InsertTextSlots(IReadOnlyList<string> names) =>
        "INSERT INTO slots (obj_guid, name, slot_type, int64_val, string_val, double_val, timespec_val, guid_val, numeric_val_num, numeric_val_denom, gdate_val) VALUES " +
        string.Join(", ", names.Select((name, i) => $"(@slot_owner, '{name.Replace("'", "''", StringComparison.Ordinal)}', 4, 0, @slot_text{i}, NULL, '1970-01-01 00:00:00', NULL, 0, 1, NULL)"));

    /// <summary>The values of a slot: type 1 int64 (<paramref name="number"/>), 4 string (<paramref name="text"/>), 9 frame (its children's owner in <paramref name="frame"/>).</summary>
    public static (string, object?)[] Slot(string owner, string name, int type, string? text, string? frame = null, long number = 0) =>
        [("@slot_owner", owner), ("@slot_name", name), ("@slot_type", type), ("@slot_number", number), ("@slot_text", text), ("@slot_guid", frame)];
}
