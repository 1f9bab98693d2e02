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
        using var command = Sql.Command(connection, transaction,
            $"SELECT {Schema.SelectColumns} FROM {Schema.Table} WHERE code_key = @key", ("key", Codes.Key(code)));
        using var reader = command.ExecuteReader();
        return reader.Read() ? Schema.Read(reader) : null;
    }

    public bool Exists(DbConnection connection, DbTransaction? transaction, string code) =>
        Sql.Scalar<long>(connection, transaction, $"SELECT COUNT(*) FROM {Schema.Table} WHERE code_key = @key", ("key", Codes.Key(code))) > 0;

    public void Insert(DbConnection connection, DbTransaction transaction, T record)
    {
        var values = InsertValues(record, Journaled ? NextChange(connection, transaction) : 0);
        Sql.ExecuteRepeated(connection, transaction, InsertSql, [.. values.Select((v, i) => (ParameterNames[i], v))]);
    }

    public void Update(DbConnection connection, DbTransaction transaction, T record)
    {
        var fields = Schema.Fields.Skip(1).ToList();
        var journal = Journaled ? ", change_seq = @seq" : "";
        using var command = Sql.Command(connection, transaction,
            $"UPDATE {Schema.Table} SET {string.Join(", ", fields.Select((f, i) => $"{f.Column} = @p{i}"))}{journal} WHERE code_key = @key",
            [.. fields.Select((f, i) => ("p" + i, f.ToStore(f.Get(record)))), ("key", Codes.Key((string)Schema.Code.Get(record)!)),
                ("seq", Journaled ? NextChange(connection, transaction) : 0L)]);
        command.ExecuteNonQuery();
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

    /// <summary>Streams only <paramref name="fields"/> of the records matching <paramref name="where"/> (big reads that need few fields).</summary>
    public IEnumerable<T> StreamFields(DbConnection connection, IReadOnlyList<Field<T>> fields, string where)
    {
        using var command = Sql.Command(connection, null,
            $"SELECT {string.Join(", ", fields.Select(f => f.Column))} FROM {Schema.Table} {(where.Length > 0 ? "WHERE " + where : "")} ORDER BY code_key");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            yield return Schema.Read(reader, fields);
        }
    }

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
