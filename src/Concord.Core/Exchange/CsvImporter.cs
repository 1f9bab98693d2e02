using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Users;

namespace Concord.Core.Exchange;

/// <summary>
/// Imports records of one schema from a CSV file (X5). The whole file is validated first; any
/// invalid row and nothing is written, unless the caller asked to skip invalid rows. The valid
/// rows are then written in one transaction by the store's bulk path, each audited.
/// </summary>
public sealed class CsvImporter<T>(Session session, RecordTable<T> table) where T : class
{
    /// <summary>Sets the defaults of a new record before the file's values are applied.</summary>
    public required Action<T> Prepare { get; init; }

    /// <summary>Adjusts a record after the file's values are applied (derived defaults).</summary>
    public Action<T, IReadOnlyDictionary<string, string?>> Complete { get; init; } = (_, _) => { };

    /// <summary>Checks one record against the rules; the lookup sees the store and the rows before it.</summary>
    public required Action<T, ReferenceResolver, Func<string, T?>, List<RecordError>, int> Check { get; init; }

    /// <summary>Which records later rows may refer to (kept in memory during the import).</summary>
    public Func<T, bool> KeepForLookup { get; init; } = _ => true;

    /// <summary>Reports rows read so far (validation, then writing) for a progress bar.</summary>
    public IProgress<(string Phase, long Rows)>? Progress { get; init; }

    public ImportResult Import(string path, bool skipInvalid)
    {
        session.Require(Role.Clerk, $"import {table.Schema.Entity}s");
        if (!File.Exists(path))
        {
            throw new UserError($"file {path}", null, "does not exist");
        }
        var schema = table.Schema;
        using var connection = session.Database.OpenConnection();
        var existing = ExistingKeys(connection);
        var errors = new List<RecordError>();
        var invalidLines = new HashSet<int>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var kept = new Dictionary<string, T>(StringComparer.Ordinal);
        var references = new ReferenceResolver(connection, null);
        long rows = 0;
        T? Lookup(string code) => kept.GetValueOrDefault(Codes.Key(code)) ?? table.Find(connection, null, code);
        foreach (var (line, record, rowErrors, values) in Read(path))
        {
            var before = errors.Count;
            errors.AddRange(rowErrors);
            var code = (string?)schema.Code.Get(record);
            if (rowErrors.Count == 0 && code is not null)
            {
                var key = Codes.Key(code);
                if (seen.TryGetValue(key, out var firstLine))
                {
                    errors.Add(new RecordError($"{schema.Entity} {code}", "code", $"appears twice in the file (first on line {firstLine})", line));
                }
                else
                {
                    seen[key] = line;
                    if (existing.Contains(key))
                    {
                        errors.Add(new RecordError($"{schema.Entity} {code}", "code", "already exists in the store", line));
                    }
                }
                Complete(record, values);
                Check(record, references, Lookup, errors, line);
                if (errors.Count == before && KeepForLookup(record))
                {
                    kept[key] = record;
                }
            }
            if (errors.Count > before)
            {
                invalidLines.Add(line);
            }
            if (++rows % 10_000 == 0)
            {
                Progress?.Report(("checking", rows));
            }
        }
        if (errors.Count > 0 && !skipInvalid)
        {
            throw new UserError(errors);
        }
        var written = Write(connection, path, invalidLines, Lookup);
        return new ImportResult(written, errors);
    }

    private int Write(DbConnection connection, string path, HashSet<int> invalidLines, Func<string, T?> lookup)
    {
        var schema = table.Schema;
        using var transaction = connection.BeginTransaction();
        var now = session.Now;
        var written = 0;
        using (var records = session.Database.Dialect.OpenBulkWriter(connection, transaction, schema.Table, table.InsertColumns))
        {
            var references = new ReferenceResolver(connection, transaction);
            foreach (var (line, record, rowErrors, values) in Read(path))
            {
                if (invalidLines.Contains(line) || rowErrors.Count > 0)
                {
                    continue;
                }
                Complete(record, values);
                Check(record, references, lookup, [], line);
                StampCreated(record, now);
                records.Write(table.InsertValues(record));
                written++;
                if (written % 10_000 == 0)
                {
                    Progress?.Report(("writing", written));
                }
            }
            records.Complete();
        }
        session.Audit.Write(connection, transaction, "import", schema.Entity, Path.GetFileName(path), null,
            System.Text.Json.JsonSerializer.Serialize(new { file = Path.GetFullPath(path), rows = written }));
        transaction.Commit();
        return written;
    }

    private void StampCreated(T record, DateTimeOffset now)
    {
        foreach (var field in table.Schema.Fields.Where(f => f.SystemOnly && f.Kind == FieldKind.Timestamp))
        {
            field.Set(record, now);
        }
    }

    private IEnumerable<(int Line, T Record, List<RecordError> Errors, IReadOnlyDictionary<string, string?> Values)> Read(string path)
    {
        var schema = table.Schema;
        using var csv = OpenReader(path);
        var hasRow = csv.Read();
        if (csv.Headers.Count == 0)
        {
            throw new UserError($"file {path}", null, "is empty; the first line must name the columns");
        }
        var header = csv.Headers;
        var fields = new Field<T>?[header.Count];
        var headerErrors = new List<RecordError>();
        for (var i = 0; i < header.Count; i++)
        {
            fields[i] = schema.Find(header[i]);
            if (fields[i] is null)
            {
                headerErrors.Add(new RecordError($"column {i + 1}", header[i], $"is not a field of a {schema.Entity}", 1));
            }
            else if (fields[i]!.SystemOnly)
            {
                headerErrors.Add(new RecordError($"column {i + 1}", header[i], "is stamped by the system and cannot be imported", 1));
            }
        }
        if (!fields.Any(f => f == schema.Code))
        {
            headerErrors.Add(new RecordError($"file {Path.GetFileName(path)}", "code", "has no code column", 1));
        }
        if (headerErrors.Count > 0)
        {
            throw new UserError(headerErrors);
        }
        if (!hasRow)
        {
            yield break;
        }
        do
        {
            var line = (int)csv.LineNumber;
            var record = schema.Create();
            Prepare(record);
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < fields.Length; i++)
            {
                values[fields[i]!.Name] = i < csv.FieldCount ? csv.GetString(i) : null;
            }
            var errors = new List<RecordError>();
            if (csv.FieldCount > fields.Length)
            {
                errors.Add(new RecordError($"{schema.Entity} {values[schema.Code.Name]}", $"column {fields.Length + 1}", $"has {csv.FieldCount} cells but the header names {fields.Length} columns", line));
            }
            RecordEditor.Apply(schema, record, values, $"{schema.Entity} {values[schema.Code.Name]}", errors, line);
            yield return (line, record, errors, values);
        }
        while (csv.Read());
    }

    private static CsvHelper.CsvReader OpenReader(string path)
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

    private HashSet<string> ExistingKeys(DbConnection connection)
    {
        var keys = new HashSet<string>(StringComparer.Ordinal);
        using var command = Sql.Command(connection, null, $"SELECT code_key FROM {table.Schema.Table}");
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            keys.Add(reader.GetString(0));
        }
        return keys;
    }
}
