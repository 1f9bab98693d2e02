using System.Data.Common;

namespace Concord.Core.Common;

/// <summary>
/// The store's change sequence (S13): every write to a synced record takes the next number, so
/// a sync reads "what changed since number N" instead of comparing whole tables. The counter row
/// is held until the writing transaction ends, so numbers become visible in the order they were
/// given and a cursor never steps over one that commits later.
/// </summary>
public sealed class ChangeCounter
{
    private long _next;
    private long _last;

    private ChangeCounter(long current)
    {
        _next = current + 1;
        _last = current;
    }

    /// <summary>Takes the counter for the rest of <paramref name="transaction"/>.</summary>
    public static ChangeCounter Take(DbConnection connection, DbTransaction transaction)
    {
        // An UPDATE first: it takes SQLite's write lock and PostgreSQL's row lock before reading.
        Sql.Execute(connection, transaction, "UPDATE change_counter SET value = value WHERE name = 'changes'");
        return new ChangeCounter(Sql.Scalar<long>(connection, transaction, "SELECT value FROM change_counter WHERE name = 'changes'"));
    }

    public long Next() => _last = _next++;

    /// <summary>
    /// Takes the counter for the rest of <paramref name="transaction"/> and returns its value: every
    /// number handed out after it until the transaction ends is this transaction's own.
    /// </summary>
    public static long Hold(DbConnection connection, DbTransaction transaction) => Take(connection, transaction)._last;

    /// <summary>Takes one number in one statement; the counter row stays held until <paramref name="transaction"/> ends.</summary>
    public static long Next(DbConnection connection, DbTransaction transaction) =>
        Sql.ScalarRepeated<long>(connection, transaction, "UPDATE change_counter SET value = value + 1 WHERE name = 'changes' RETURNING value");

    /// <summary>Stores the numbers handed out; call before the transaction commits.</summary>
    public void Save(DbConnection connection, DbTransaction transaction) =>
        Sql.Execute(connection, transaction, "UPDATE change_counter SET value = @v WHERE name = 'changes'", ("v", _last));

    /// <summary>The highest number handed out and committed so far.</summary>
    public static long Current(DbConnection connection, DbTransaction? transaction = null) =>
        Sql.Scalar<long>(connection, transaction, "SELECT value FROM change_counter WHERE name = 'changes'");
}
