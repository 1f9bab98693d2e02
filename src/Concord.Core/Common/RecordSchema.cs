using System.Data.Common;
using System.Text.Json;

namespace Concord.Core.Common;

/// <summary>
/// The fields of one kind of record and the table that holds it. Gives the one way to read a
/// row, write a row, describe a record for the audit log and find a field by name.
/// </summary>
public sealed class RecordSchema<T>(string entity, string table, IReadOnlyList<Field<T>> fields, Func<T> create)
    where T : class
{
    public string Entity { get; } = entity;

    public string Table { get; } = table;

    public IReadOnlyList<Field<T>> Fields { get; } = fields;

    public Field<T> Code => Fields[0];

    public IEnumerable<Field<T>> UserFields => Fields.Where(f => !f.SystemOnly);

    public string SelectColumns => string.Join(", ", Fields.Select(f => f.Column));

    public T Create() => create();

    /// <summary>The field a person or file names: by its name, JSON name or column (any case), else by an alias.</summary>
    public Field<T>? Find(string name)
    {
        if (_byName.TryGetValue(name, out var known))
        {
            return known;
        }
        var wanted = name.Trim();
        var found = Fields.FirstOrDefault(f => Codes.Same(f.Name, wanted) || Codes.Same(f.JsonName, wanted) || Codes.Same(f.Column, wanted))
            ?? Fields.FirstOrDefault(f => f.Aliases.Any(a => Codes.Same(a, wanted)));
        if (found is not null)
        {
            _byName.TryAdd(name, found);
        }
        return found;
    }

    // Names looked up once: a batch looks the same few names up for every record.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, Field<T>> _byName = new(StringComparer.Ordinal);

    public T Read(DbDataReader reader)
    {
        var record = create();
        for (var i = 0; i < Fields.Count; i++)
        {
            Fields[i].Set(record, Fields[i].FromStore(reader.GetValue(i)));
        }
        return record;
    }

    /// <summary>The record as name → text, for the audit log's before/after and for comparisons.</summary>
    /// <summary>The record for the audit log: one JSON object of its fields as text, empty fields left out.</summary>
    public string ToAuditJson(T? record)
    {
        if (record is null)
        {
            return "null";
        }
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            foreach (var field in Fields)
            {
                var text = field.Format(field.Get(record));
                if (text.Length > 0)
                {
                    writer.WriteString(field.Name, text);
                }
            }
            writer.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    /// <summary>Writes the record as one JSON object with typed values (numbers as numbers).</summary>
    public void WriteJson(Utf8JsonWriter writer, T record)
    {
        writer.WriteStartObject();
        foreach (var field in Fields)
        {
            writer.WritePropertyName(field.JsonProperty);
            switch (field.Get(record))
            {
                case null: writer.WriteNullValue(); break;
                case decimal amount: writer.WriteNumberValue(amount); break;
                case int n: writer.WriteNumberValue(n); break;
                case bool flag: writer.WriteBooleanValue(flag); break;
                case var other: writer.WriteStringValue(field.Format(other)); break;
            }
        }
        writer.WriteEndObject();
    }
}
