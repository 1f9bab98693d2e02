using System.Data.Common;

namespace Concord.Core.Common;

/// <summary>
/// Reads and writes records of one schema in its table, keyed by code (case-insensitively,
/// through the code_key column). Parameterised SQL only; the same statements run on both engines.
/// </summary>
/// <param name="journaled">every write takes the next change sequence number (synced tables, S13).</param>
public sealed class RecordTable<T>(RecordSchema<T> schema, bool journaled = false)
    where T : class
{
    public RecordSchema<T> Schema { get; } = schema;

    public bool Journaled { get; } = journaled;

    private string[] ParameterNames => field ??= [.. InsertColumns.Select((_, i) => "p" + i)];

    private string InsertSql => field ??=
        $"INSERT INTO {Schema.Table} ({string.Join(", ", InsertColumns)}) VALUES ({string.Join(", ", InsertColumns.Select((_, i) => "@p" + i))})";

    public IReadOnlyList<string> InsertColumns =>
        Journaled ? [.. Schema.Fields.Select(f => f.Column), "code_key", "change_seq"] : [.. Schema.Fields.Select(f => f.Column), "code_key"];

    /// <summary>The values of <see cref="InsertColumns"/> for one record, as the store keeps them.</summary>
    public object?[] InsertValues(T record, long changeSeq = 0)
    {
        var values = new object?[Schema.Fields.Count + (Journaled ? 2 : 1)];
        for (var i = 0; i < Schema.Fields.Count; i++)
        {
            values[i] = Schema.Fields[i].ToStore(Schema.Fields[i].Get(record));
        }
        values[Schema.Fields.Count] = Codes.Key((string)Schema.Code.Get(record)!);
        if (Journaled)
        {
            values[^1] = changeSeq;
        }
        return values;
    }

    public T? Find(DbConnection connection, DbTransaction? transaction, string code)
    {
        using var reader = Sql.QueryRepeated(connection, transaction, FindSql, ("key", Codes.Key(code)));
        return reader.Read() ? Schema.Read(reader) : null;
    }

    private string FindSql => field ??= $"SELECT {Schema.SelectColumns} FROM {Schema.Table} WHERE code_key = @key";

    /// <summary>What an update writes: every field but the code and those kept apart.</summary>
    private Field<T>[] Updated => field ??= [.. Schema.Fields.Skip(1).Where(f => !f.KeptApart)];

    private string UpdateSql => field ??=
        $"UPDATE {Schema.Table} SET {string.Join(", ", Updated.Select((f, i) => $"{f.Column} = @p{i}"))}{(Journaled ? ", change_seq = @seq" : "")} WHERE code_key = @key";

    public void Insert(DbConnection connection, DbTransaction transaction, T record)
    {
        var values = InsertValues(record, Journaled ? NextChange(connection, transaction) : 0);
        Sql.ExecuteRepeated(connection, transaction, InsertSql, [.. values.Select((v, i) => (ParameterNames[i], v))]);
    }

    /// <summary>
    /// Inserts many records by the store's bulk path in the caller's transaction, each journaled
    /// table row with its change number (one counter update for the lot).
    /// </summary>
    public void InsertMany(DbConnection connection, DbTransaction transaction, Concord.Store.Dialect dialect, IReadOnlyList<T> records)
    {
        if (records.Count == 0)
        {
            return;
        }
        var changes = Journaled ? ChangeCounter.Take(connection, transaction) : null;
        using (var writer = dialect.OpenBulkWriter(connection, transaction, Schema.Table, InsertColumns))
        {
            foreach (var record in records)
            {
                writer.Write(InsertValues(record, changes?.Next() ?? 0));
            }
            writer.Complete();
        }
        changes?.Save(connection, transaction);
    }

    /// <summary>
    /// Adds many records at once (a sync batch) in the caller's transaction: <paramref name="build"/>
    /// makes and checks each from its values (given the stored code of an existing record, if any,
    /// and the time) and refuses one by throwing; the rest are written by the bulk path, each with
    /// its own audit line.
    /// </summary>
    public IReadOnlyList<(T? Record, UserError? Refused)> AddMany(Session session, DbConnection connection, DbTransaction transaction,
        IReadOnlyList<IReadOnlyDictionary<string, string?>> values, Func<IReadOnlyDictionary<string, string?>, Func<string, string?>, DateTimeOffset, T> build)
    {
        var now = session.Now;
        var existing = Existing(connection, transaction, values.Select(v => v.GetValueOrDefault(Schema.Code.Name)).OfType<string>());
        var results = new List<(T?, UserError?)>(values.Count);
        var added = new List<T>(values.Count);
        foreach (var value in values)
        {
            try
            {
                var record = build(value, code => existing.GetValueOrDefault(Codes.Key(code)), now);
                var code = (string)Schema.Code.Get(record)!;
                existing[Codes.Key(code)] = code;
                added.Add(record);
                results.Add((record, null));
            }
            catch (UserError refused)
            {
                results.Add((null, refused));
            }
        }
        InsertMany(connection, transaction, session.Database.Dialect, added);
        session.Audit.WriteMany(connection, transaction, session.Database.Dialect, "create", Schema.Entity,
            added.Select(r => ((string)Schema.Code.Get(r)!, (string?)null, (string?)Schema.ToAuditJson(r))));
        return results;
    }

    /// <summary>
    /// What <see cref="AddMany"/> would refuse of <paramref name="values"/>, writing nothing: each
    /// record made and checked by the same <paramref name="build"/>, its refusal (or null) in order.
    /// No code counts as stored: a sync gives a record whose code is taken a free one.
    /// </summary>
    public static IReadOnlyList<UserError?> Refusals(Session session, IReadOnlyList<IReadOnlyDictionary<string, string?>> values,
        Func<IReadOnlyDictionary<string, string?>, Func<string, string?>, DateTimeOffset, T> build)
    {
        var now = session.Now;
        var refusals = new UserError?[values.Count];
        for (var i = 0; i < values.Count; i++)
        {
            try
            {
                build(values[i], _ => null, now);
            }
            catch (UserError refused)
            {
                refusals[i] = refused;
            }
        }
        return refusals;
    }

    /// <summary>Which of <paramref name="codes"/> the table already holds: key → the code as stored (a few queries for many codes).</summary>
    public Dictionary<string, string> Existing(DbConnection connection, DbTransaction? transaction, IEnumerable<string> codes)
    {
        var found = new Dictionary<string, string>(StringComparer.Ordinal);
        Sql.ForEachIn(connection, transaction, $"SELECT code_key, code FROM {Schema.Table} WHERE code_key IN", codes.Select(Codes.Key),
            reader => found[reader.GetString(0)] = reader.GetString(1));
        return found;
    }

    /// <param name="changeSeq">the record's change number when the caller holds the counter (<see cref="ChangeCounter.Take"/>); else the next one is taken.</param>
    public void Update(DbConnection connection, DbTransaction transaction, T record, long? changeSeq = null)
    {
        var fields = Updated;
        var parameters = new (string, object?)[fields.Length + 2];
        for (var i = 0; i < fields.Length; i++)
        {
            parameters[i] = (ParameterNames[i], fields[i].ToStore(fields[i].Get(record)));
        }
        parameters[^2] = ("key", Codes.Key((string)Schema.Code.Get(record)!));
        parameters[^1] = ("seq", Journaled ? changeSeq ?? NextChange(connection, transaction) : 0L);
        Sql.ExecuteRepeated(connection, transaction, UpdateSql, parameters);
    }

    private static long NextChange(DbConnection connection, DbTransaction transaction) => ChangeCounter.Next(connection, transaction);

    public void Delete(DbConnection connection, DbTransaction transaction, string code)
    {
        using var command = Sql.Command(connection, transaction,
            $"DELETE FROM {Schema.Table} WHERE code_key = @key", ("key", Codes.Key(code)));
        command.ExecuteNonQuery();
    }

    /// <summary>Streams the records matching <paramref name="where"/>, one at a time, ordered by code.</summary>
    public IEnumerable<T> Stream(DbConnection connection, string where, params (string Name, object? Value)[] parameters) =>
        Stream(connection, null, where, parameters);

    /// <summary>As <see cref="Stream(DbConnection, string, (string, object?)[])"/>, inside a transaction.</summary>
    public IEnumerable<T> Stream(DbConnection connection, DbTransaction? transaction, string where, params (string Name, object? Value)[] parameters)
    {
        using var command = Sql.Command(connection, transaction,
            $"SELECT {Schema.SelectColumns} FROM {Schema.Table} {(where.Length > 0 ? "WHERE " + where : "")} ORDER BY code_key",
            parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return Schema.Read(reader);
        }
    }
}
