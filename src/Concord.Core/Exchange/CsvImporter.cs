using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Users;

namespace Concord.Core.Exchange;

/// <summary>
/// Imports records of one schema from a CSV file (X5), in one pass and one transaction: every
/// row is checked, valid rows stream into the store's bulk path, and if any row is invalid the
/// transaction is rolled back, so nothing is written and every error is listed — unless the
/// caller asked to skip invalid rows, in which case the valid ones are committed.
/// </summary>
public sealed class CsvImporter<T>(Session session, RecordTable<T> table) where T : class
{
    /// <summary>Adjusts a record after the file's values are applied; the predicate says whether a field had a value in the row.</summary>
    public Action<T, Func<string, bool>> Complete { get; init; } = (_, _) => { };

    /// <summary>Checks one record against the rules; the lookup sees the store and the rows before it.</summary>
    public required Action<T, ReferenceResolver, Func<string, T?>, List<RecordError>, int> Check { get; init; }

    /// <summary>What later rows of the file may refer to, kept in memory during the import (null: nothing).</summary>
    public Func<T, T?> Remember { get; init; } = record => record;

    /// <summary>Reports rows read so far, for progress on long imports.</summary>
    public IProgress<long>? Progress { get; init; }

    public ImportResult Import(string path, bool skipInvalid)
    {
        session.Require(Role.Clerk, $"import {table.Schema.Entity}s");
        if (!File.Exists(path))
        {
            throw new UserError($"file {path}", null, "does not exist");
        }
        var schema = table.Schema;
        var stamps = schema.Fields.Where(f => f.SystemOnly && f.Kind == FieldKind.Timestamp).ToList();
        using var reading = session.Database.OpenConnection();
        var existing = ExistingKeys(reading);
        var references = new ReferenceResolver(reading, null);
        var kept = new Dictionary<string, T>(StringComparer.Ordinal);
        T? Lookup(string code) => kept.GetValueOrDefault(Codes.Key(code)) ?? table.Find(reading, null, code);

        // PostgreSQL's COPY holds its connection, so the rows go through one of their own.
        using var writing = session.Database.OpenConnection();
        using var transaction = writing.BeginTransaction();
        var changes = table.Journaled ? ChangeCounter.Take(writing, transaction) : null;
        var errors = new List<RecordError>();
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var now = session.Now;
        var writtenCodes = new List<string>();
        long rows = 0;
        using (var bulk = session.Database.Dialect.OpenBulkWriter(writing, transaction, schema.Table, table.InsertColumns))
        {
            foreach (var row in CsvRows<T>.Read(schema, path))
            {
                var before = errors.Count;
                errors.AddRange(row.Errors);
                if (row.Errors.Count == 0)
                {
                    var code = (string)schema.Code.Get(row.Record)!;
                    var key = Codes.Key(code);
                    if (seen.TryGetValue(key, out var firstLine))
                    {
                        errors.Add(new RecordError($"{schema.Entity} {code}", "code", $"appears twice in the file (first on line {firstLine})", row.Line));
                    }
                    else
                    {
                        seen[key] = row.Line;
                        if (existing.Contains(key))
                        {
                            errors.Add(new RecordError($"{schema.Entity} {code}", "code", "already exists in the store", row.Line));
                        }
                    }
                    Complete(row.Record, row.Has);
                    Check(row.Record, references, Lookup, errors, row.Line);
                    if (errors.Count == before)
                    {
                        if (Remember(row.Record) is { } remembered)
                        {
                            kept[key] = remembered;
                        }
                        if (skipInvalid || errors.Count == 0)
                        {
                            foreach (var stamp in stamps)
                            {
                                stamp.Set(row.Record, now);
                            }
                            bulk.Write(table.InsertValues(row.Record, changes?.Next() ?? 0));
                            writtenCodes.Add(code);
                        }
                    }
                }
                if (++rows % 100_000 == 0)
                {
                    Progress?.Report(rows);
                }
            }
            if (errors.Count > 0 && !skipInvalid)
            {
                throw new UserError(errors);
            }
            bulk.Complete();
        }
        changes?.Save(writing, transaction);
        // One audit line per import: who, when, which file, and the code of every record it created.
        session.Audit.Write(writing, transaction, "import", schema.Entity, Path.GetFileName(path), null,
            System.Text.Json.JsonSerializer.Serialize(new { file = Path.GetFullPath(path), rows = writtenCodes.Count, rejected = errors.Count, codes = writtenCodes }));
        transaction.Commit();
        return new ImportResult(writtenCodes.Count, errors);
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
