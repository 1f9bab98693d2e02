using System.Text.Json;
using Concord.Core.Common;
using Concord.Core.Connectors;

namespace Concord.Core.Sync.Connections;

/// <summary>
/// One line of a field map (S8): the Concord field (a synced field, or another field of the
/// operational customer), the accounting system's field it goes to, and optionally a condition on
/// another field of the same record (seed 002: written only when that field has this value).
/// </summary>
public sealed record FieldMapping(string Field, string Target, string? WhenField = null, string? WhenValue = null)
{
    /// <summary>Whether the condition holds for <paramref name="record"/> (no condition: always).</summary>
    public bool Holds(SyncRecord record, FieldMap map) =>
        WhenField is null || string.Equals(map.Value(record, WhenField)?.Trim(), WhenValue?.Trim(), StringComparison.OrdinalIgnoreCase);

    public override string ToString() => $"{Field} → {Target}{(WhenField is null ? "" : $" when {WhenField}={WhenValue}")}";
}

/// <summary>
/// A connection's field map (S8): the synced fields go to the side's own field of the same
/// meaning unless mapped elsewhere; further fields of the operational customer (custom fields)
/// travel when mapped, after the synced ones. Records carry the values of <see cref="Fields"/>, in
/// that order. Validated when built; the engine then trusts it.
/// </summary>
public sealed class FieldMap
{
    public static readonly FieldMap Standard = new([]);

    private readonly Dictionary<string, FieldMapping> _byField;
    private readonly Dictionary<string, int> _index;

    public FieldMap(IReadOnlyList<FieldMapping> entries)
    {
        Entries = entries;
        _byField = entries.ToDictionary(e => e.Field, StringComparer.Ordinal);
        Fields = [.. SyncFields.All, .. entries.Select(e => e.Field).Where(f => !SyncFields.All.Contains(f))];
        _index = Fields.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i, StringComparer.Ordinal);
    }

    public IReadOnlyList<FieldMapping> Entries { get; }

    /// <summary>The fields records carry: the synced ones, then the custom fields mapped.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>The mapped fields that are not synced by default (custom fields).</summary>
    public IEnumerable<FieldMapping> Custom => Entries.Where(e => !SyncFields.All.Contains(e.Field));

    public bool IsStandard => Entries.Count == 0;

    public FieldMapping? Of(string field) => _byField.GetValueOrDefault(field);

    /// <summary>The side's field for <paramref name="field"/>: the mapped one, else <paramref name="otherwise"/>.</summary>
    public string TargetOf(string field, string otherwise) => Of(field)?.Target ?? otherwise;

    public int IndexOf(string field) => _index[field];

    /// <summary>A record's value of a field of this map (a record read before a field was mapped has none).</summary>
    public string? Value(SyncRecord record, string field) =>
        _index.TryGetValue(field, out var i) && i < record.Values.Length ? record.Values[i] : null;

    /// <summary>The record's values by field name.</summary>
    public Dictionary<string, string?> ToDictionary(SyncRecord record) =>
        Fields.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i < record.Values.Length ? record.Values[p.i] : null);

    /// <summary>Whether the record's value of <paramref name="field"/> may be written: it has no condition, or its condition holds (seed 002).</summary>
    public bool Writes(SyncRecord record, string field) => Of(field) is not { WhenField: not null } conditional || conditional.Holds(record, this);

    /// <summary>The record as it may be written: the values of conditional fields whose condition fails left out.</summary>
    public SyncRecord ForWrite(SyncRecord record)
    {
        if (Entries.All(e => e.WhenField is null) || Fields.All(f => Writes(record, f)))
        {
            return record;
        }
        var values = (string?[])record.Values.Clone();
        for (var i = 0; i < values.Length && i < Fields.Count; i++)
        {
            if (!Writes(record, Fields[i]))
            {
                values[i] = null;
            }
        }
        return new SyncRecord(record.Code, values) { Modified = record.Modified, Type = record.Type, Active = record.Active, Relation = record.Relation };
    }

    /// <summary>The map with <paramref name="mapping"/> added or replacing the field's line; checked.</summary>
    public FieldMap With(FieldMapping mapping, string label)
    {
        var field = Field(mapping.Field, label, "field");
        var target = mapping.Target.Trim();
        if (target.Length == 0 || target.Length > 100 || target.Any(char.IsControl))
        {
            throw new UserError(label, "target", $"'{mapping.Target}' is not a field name of the accounting system");
        }
        string? whenField = null;
        if (mapping.WhenField is not null)
        {
            whenField = Field(mapping.WhenField, label, "when");
            if (whenField == field)
            {
                throw new UserError(label, "when", "a field cannot be conditional on itself");
            }
        }
        var entries = Entries.Where(e => e.Field != field).Append(new FieldMapping(field, target, whenField, whenField is null ? null : mapping.WhenValue?.Trim())).ToList();
        return Checked(entries, label);
    }

    public FieldMap Without(string field, string label)
    {
        var name = Field(field, label, "field");
        if (Of(name) is null)
        {
            throw new UserError(label, "field", $"'{field}' is not mapped");
        }
        return Checked([.. Entries.Where(e => e.Field != name)], label);
    }

    /// <summary>Parses "FIELD=VALUE" as typed for --when.</summary>
    public static (string Field, string Value) ParseCondition(string text, string label)
    {
        var parts = text.Split('=', 2);
        return parts.Length == 2 && parts[0].Trim().Length > 0
            ? (parts[0].Trim(), parts[1].Trim())
            : throw new UserError(label, "when", $"'{text}' is not FIELD=VALUE");
    }

    public string? ToJson() => IsStandard ? null : JsonSerializer.Serialize(Entries);

    public static FieldMap FromJson(string? json) =>
        string.IsNullOrWhiteSpace(json) ? Standard : new FieldMap(JsonSerializer.Deserialize<List<FieldMapping>>(json) ?? []);

    // A condition must name a field the records carry: a synced one or one mapped in its own right.
    private static FieldMap Checked(List<FieldMapping> entries, string label)
    {
        var map = new FieldMap(entries);
        foreach (var entry in entries.Where(e => e.WhenField is not null && !map._index.ContainsKey(e.WhenField!)))
        {
            throw new UserError(label, "when", $"'{entry.WhenField}' is neither a synced field nor mapped; map it first (records carry only those)");
        }
        return map;
    }

    /// <summary>A field of the operational customer by its name (as typed), or a message listing them.</summary>
    private static string Field(string name, string label, string what)
    {
        var field = Operational.OperationalCustomer.Schema.Find(name.Trim());
        return field is not null && !Unmappable.Contains(field.Name)
            ? field.Name
            : throw new UserError(label, what, $"'{name}' is not a field of the operational customer; the fields are {string.Join(", ", Operational.OperationalCustomer.Schema.Fields.Select(f => f.Name).Where(n => !Unmappable.Contains(n)))}");
    }

    // The record's identity and the sync's own switches are not data to carry.
    private static readonly string[] Unmappable = ["code", "kind", "sync-to-accounting", "site", "account", "created-at", "modified-at"];
}
