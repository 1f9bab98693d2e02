using Concord.Core.Common;

namespace Concord.Core.Exchange;

/// <summary>One CSV row turned into a record, with the errors found while parsing its cells.</summary>
public sealed record CsvRow<T>(int Line, T Record, List<RecordError> Errors, Func<string, bool> Has);

/// <summary>Reads a CSV file into records of a schema: the header names the fields (or their aliases), each cell parses by its field.</summary>
public static class CsvRows<T> where T : class
{
    public static IEnumerable<CsvRow<T>> Read(RecordSchema<T> schema, string path)
    {
        using var csv = Open(path);
        var hasRow = csv.Read();
        if (csv.Headers.Count == 0)
        {
            throw new UserError($"file {path}", null, "is empty; the first line must name the columns");
        }
        var fields = Columns(schema, csv.Headers, Path.GetFileName(path));
        var names = fields.Select(f => f.Name).ToArray();
        var codeColumn = Array.IndexOf(fields, schema.Code);
        while (hasRow)
        {
            var line = (int)csv.LineNumber;
            var record = schema.Create();
            var cells = new string?[fields.Length];
            for (var i = 0; i < fields.Length && i < csv.FieldCount; i++)
            {
                cells[i] = csv.GetString(i);
            }
            var errors = new List<RecordError>();
            string Label() => $"{schema.Entity} {cells[codeColumn]}";
            if (csv.FieldCount > fields.Length)
            {
                errors.Add(new RecordError(Label(), $"column {fields.Length + 1}", $"has {csv.FieldCount} cells but the header names {fields.Length} columns", line));
            }
            for (var i = 0; i < fields.Length; i++)
            {
                try
                {
                    fields[i].Set(record, fields[i].Parse(cells[i]));
                }
                catch (FieldValueError error)
                {
                    errors.Add(new RecordError(Label(), fields[i].Name, error.Reason, line));
                }
            }
            yield return new CsvRow<T>(line, record, errors, name => Array.IndexOf(names, name) is >= 0 and var at && !string.IsNullOrWhiteSpace(cells[at]));
            hasRow = csv.Read();
        }
    }

    private static Field<T>[] Columns(RecordSchema<T> schema, IReadOnlyList<string> header, string file)
    {
        var fields = new Field<T>[header.Count];
        var errors = new List<RecordError>();
        for (var i = 0; i < header.Count; i++)
        {
            var field = schema.Find(header[i]);
            if (field is null)
            {
                errors.Add(new RecordError($"column {i + 1}", header[i], $"is not a field of a {schema.Entity}", 1));
            }
            else if (field.SystemOnly)
            {
                errors.Add(new RecordError($"column {i + 1}", header[i], "is stamped by the system and cannot be imported", 1));
            }
            else if (fields.Contains(field))
            {
                errors.Add(new RecordError($"column {i + 1}", header[i], $"names the field {field.Name} a second time", 1));
            }
            else
            {
                fields[i] = field;
            }
        }
        if (!fields.Contains(schema.Code))
        {
            errors.Add(new RecordError($"file {file}", "code", "has no code column", 1));
        }
        return errors.Count > 0 ? throw new UserError(errors) : fields;
    }

    private static CsvHelper.CsvReader Open(string path)
    {
        try
        {
            return CsvFormat.OpenReader(path);
        }
        catch (IOException error)
        {
            throw new UserError($"file {path}", null, $"cannot be read: {error.Message}");
        }
    }
}
