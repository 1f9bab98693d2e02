using Concord.Core.Common;

namespace Concord.Core.Connectors;

/// <summary>
/// How one side's records map to the fields a connection carries (S8's field map): which of the
/// side's fields carries each of <paramref name="fields"/> (the synced ones, then the custom fields
/// mapped), and how blanks read. Used by the sides built on Concord's own record schemas
/// (operational customers, the embedded ledger).
/// </summary>
public sealed class RecordMapping<T>(RecordSchema<T> schema, IReadOnlyList<string> fields, IReadOnlyDictionary<string, string> sideNames, IReadOnlyDictionary<string, string> blankAs)
    where T : class
{
    private readonly Field<T>[] _fields = [.. fields.Select(f => schema.Find(sideNames.GetValueOrDefault(f, f))
        ?? throw new ArgumentException($"{schema.Entity} has no field '{sideNames.GetValueOrDefault(f, f)}'", nameof(sideNames)))];

    private readonly IReadOnlyList<string> _names = fields;

    private int IndexOf(string field)
    {
        for (var i = 0; i < _names.Count; i++)
        {
            if (_names[i] == field)
            {
                return i;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(field), field, "not a field this connection carries");
    }

    /// <summary>The record's fields a sync reads: the code, the synced fields and <paramref name="extra"/>.</summary>
    public IReadOnlyList<Field<T>> ReadFields(params string[] extra) =>
        [schema.Code, .. _fields, .. extra.Select(name => schema.Find(name) ?? throw new InvalidOperationException($"{schema.Entity} has no field {name}"))];

    public SyncRecord ToSync(T record, DateTimeOffset? modified, string? type, bool active, string relation = "customer")
    {
        var values = new string?[_fields.Length];
        for (var i = 0; i < _fields.Length; i++)
        {
            values[i] = Canonical(i, _fields[i].Format(_fields[i].Get(record)));
        }
        return new SyncRecord((string)schema.Code.Get(record)!, values) { Modified = modified, Type = type is null ? null : Share(type), Active = active, Relation = Share(relation) };
    }

    /// <summary>
    /// The code and synced values of a row read with <see cref="ReadFields"/>, straight from the
    /// store's values (no record in between: a full sync reads every row of both sides).
    /// </summary>
    public (string Code, string?[] Values) ReadValues(System.Data.Common.DbDataReader reader)
    {
        var values = new string?[_fields.Length];
        for (var i = 0; i < _fields.Length; i++)
        {
            var field = _fields[i];
            values[i] = reader.IsDBNull(i + 1)
                ? Canonical(i, "")
                : Canonical(i, field.Kind is FieldKind.Money or FieldKind.Integer or FieldKind.Flag or FieldKind.Timestamp
                    ? field.Format(field.FromStore(reader.GetValue(i + 1)))
                    : reader.GetString(i + 1));
        }
        return (reader.GetString(0), values);
    }

    /// <summary>A text as the sync carries it: blank as the side reads blanks, short values shared.</summary>
    private string? Canonical(int field, string text) =>
        text.Length == 0 ? _blanks[field] : text.Length <= 8 ? Share(text) : text;

    private readonly string?[] _blanks = [.. fields.Select(f => blankAs.GetValueOrDefault(f))];

    // Short values repeat across a large side (countries, amounts, postcodes): keep one copy of each.
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _shared = new(StringComparer.Ordinal);

    private int _sharedCount;

    /// <summary>A shared copy of a short text that repeats (a type, a relation, a country).</summary>
    public string Share(string text)
    {
        if (_shared.TryGetValue(text, out var shared))
        {
            return shared;
        }
        if (_sharedCount < 100_000 && _shared.TryAdd(text, text))
        {
            Interlocked.Increment(ref _sharedCount);
        }
        return text;
    }

    /// <summary>Synced field values as this side's field names and raw text, ready for an add or edit.</summary>
    public Dictionary<string, string?> ToSide(IEnumerable<KeyValuePair<string, string?>> values) =>
        values.ToDictionary(v => _fields[IndexOf(v.Key)].Name, v => (string?)(v.Value ?? ""));

    /// <summary>A record's non-blank synced values as this side's field names, ready for an add.</summary>
    public Dictionary<string, string?> ToSide(SyncRecord record)
    {
        var values = new Dictionary<string, string?>(_fields.Length + 1);
        for (var i = 0; i < _fields.Length && i < record.Values.Length; i++)
        {
            if (record.Values[i] is { } value)
            {
                values[_fields[i].Name] = value;
            }
        }
        return values;
    }

    /// <summary>This side's name for a synced field, for messages.</summary>
    public string SideName(string field) => _fields[IndexOf(field)].Name;

    /// <summary>The synced field a side field carries, or the side field's own name.</summary>
    public string SyncName(string sideField) =>
        _names.FirstOrDefault(f => _fields[IndexOf(f)].Name == sideField) ?? sideField;
}
