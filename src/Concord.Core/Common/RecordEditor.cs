namespace Concord.Core.Common;

/// <summary>
/// Applies values typed by a person (command-line options, CSV cells) to a record through its
/// schema, collecting every error with the record and field it belongs to.
/// </summary>
public static class RecordEditor
{
    /// <param name="values">field name → raw text; null text leaves the field as it is.</param>
    public static void Apply<T>(RecordSchema<T> schema, T record, IEnumerable<KeyValuePair<string, string?>> values, string recordLabel, List<RecordError> errors, int? line = null)
        where T : class
    {
        foreach (var (name, raw) in values)
        {
            if (raw is null)
            {
                continue;
            }
            var field = schema.Find(name);
            if (field is null)
            {
                errors.Add(new RecordError(recordLabel, name, $"is not a field of a {schema.Entity}", line));
                continue;
            }
            if (field.SystemOnly)
            {
                errors.Add(new RecordError(recordLabel, field.Name, "is stamped by the system and cannot be set", line));
                continue;
            }
            try
            {
                field.Set(record, field.Parse(raw));
            }
            catch (FieldValueError error)
            {
                errors.Add(new RecordError(recordLabel, field.Name, error.Reason, line));
            }
        }
    }

    /// <summary>
    /// A copy of <paramref name="before"/> with the typed values applied; the code cannot change.
    /// Throws a <see cref="UserError"/> listing every bad value.
    /// </summary>
    public static T Edited<T>(RecordSchema<T> schema, T before, IReadOnlyDictionary<string, string?> values)
        where T : class
    {
        var code = (string)schema.Code.Get(before)!;
        var label = $"{schema.Entity} {code}";
        var errors = new List<RecordError>();
        if (values.TryGetValue(schema.Code.Name, out var newCode) && newCode is not null && !Codes.Same(newCode, code))
        {
            errors.Add(new RecordError(label, schema.Code.Name, $"cannot be changed; add a new {schema.Entity} instead"));
        }
        var record = Copy(schema, before);
        Apply(schema, record, values.Where(v => v.Key != schema.Code.Name), label, errors);
        ThrowIfAny(errors);
        return record;
    }

    /// <summary>A copy of <paramref name="record"/> made through its schema.</summary>
    public static T Copy<T>(RecordSchema<T> schema, T record)
        where T : class
    {
        var copy = schema.Create();
        foreach (var field in schema.Fields)
        {
            field.Set(copy, field.Get(record));
        }
        return copy;
    }

    public static void ThrowIfAny(List<RecordError> errors)
    {
        if (errors.Count > 0)
        {
            throw new UserError(errors);
        }
    }
}
