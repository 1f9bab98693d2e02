using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Users;

namespace Concord.Core.Exchange;

/// <summary>What an import does with a row whose code is already in the store, or is not.</summary>
public enum ImportMode
{
    /// <summary>Only new records; an existing code is an error (the default).</summary>
    Create,

    /// <summary>Only changes to existing records; a code not in the store is an error.</summary>
    Update,

    /// <summary>New records created, existing ones changed.</summary>
    Upsert,
}

/// <summary>
/// Imports records of one schema from a CSV file (X5), in one pass and one transaction: every
/// row is checked, new records stream into the store's bulk path, changed ones are updated with
/// a before/after audit line each (only the file's columns change), and if any row is invalid
/// the transaction is rolled back, so nothing is written and every error is listed — unless the
/// caller asked to skip invalid rows, in which case the valid ones are committed.
/// </summary>
public sealed class CsvImporter<T>(Session session, RecordTable<T> table) where T : class
{
    /// <summary>Fills the defaults of a new record after the file's values are applied; the predicate says whether a field had a value in the row.</summary>
    public Action<T, Func<string, bool>> Complete { get; init; } = (_, _) => { };

    /// <summary>Fills what the row's values imply before the checks (e.g. a ledger account's profiles), for new and changed records.</summary>
    public Action<T, CsvRow<T>, DbConnection> Prepare { get; init; } = (_, _, _) => { };

    /// <summary>Checks one record against the rules; the lookup sees the store and the rows before it.</summary>
    public required Action<T, ReferenceResolver, Func<string, T?>, List<RecordError>, int> Check { get; init; }

    /// <summary>Checks a change to a stored record (before, after) that a new record does not need.</summary>
    public Action<T, T, DbConnection, List<RecordError>, int> CheckChange { get; init; } = (_, _, _, _, _) => { };

    /// <summary>The system field stamped with the time of a change.</summary>
    public required string ModifiedStamp { get; init; }

    /// <summary>What later rows of the file may refer to, kept in memory during the import (null: nothing).</summary>
    public Func<T, T?> Remember { get; init; } = record => record;

    /// <summary>Reports rows read so far, for progress on long imports.</summary>
    public IProgress<ProgressStep>? Progress { get; init; }

    public ImportResult Import(string path, bool skipInvalid, ImportMode mode = ImportMode.Create)
    {
        session.Require(Role.Clerk, $"import {table.Schema.Entity}s");
        if (!File.Exists(path))
        {
            throw new UserError($"file {path}", null, "does not exist");
        }
        var schema = table.Schema;
        var stamps = schema.Fields.Where(f => f.SystemOnly && f.Kind == FieldKind.Timestamp).ToList();
        var modified = schema.Find(ModifiedStamp)!;
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
        var created = new List<string>();
        var updates = new List<(T Before, T After)>();
        var unchanged = 0;
        long rows = 0;
        using (var bulk = session.Database.Dialect.OpenBulkWriter(writing, transaction, schema.Table, table.InsertColumns))
        {
            foreach (var row in CsvRows<T>.Read(schema, path))
            {
                var before = errors.Count;
                errors.AddRange(row.Errors);
                if (row.Errors.Count == 0)
                {
                    var stored = Stored(row, mode, existing, seen, reading, errors);
                    var record = stored is null ? schema.Create() : RecordEditor.Copy(schema, stored);
                    var parsed = errors.Count;
                    if (parsed == before)
                    {
                        row.ApplyTo(record, errors); // a row refused for its code alone is not checked further
                    }
                    if (stored is not null)
                    {
                        schema.Code.Set(record, schema.Code.Get(stored)); // the code as stored, whatever its case in the file
                    }
                    if (errors.Count == before)
                    {
                        if (stored is null)
                        {
                            Complete(record, row.Has);
                        }
                        Prepare(record, row, reading);
                        Check(record, references, Lookup, errors, row.Line);
                        if (stored is not null)
                        {
                            CheckChange(stored, record, reading, errors, row.Line);
                        }
                    }
                    if (errors.Count == before)
                    {
                        var code = (string)schema.Code.Get(record)!;
                        if (Remember(record) is { } remembered)
                        {
                            kept[Codes.Key(code)] = remembered;
                        }
                        if (skipInvalid || errors.Count == 0)
                        {
                            if (stored is null)
                            {
                                foreach (var stamp in stamps)
                                {
                                    stamp.Set(record, now);
                                }
                                bulk.Write(table.InsertValues(record, changes?.Next() ?? 0));
                                created.Add(code);
                            }
                            else if (schema.ToAuditJson(stored) == schema.ToAuditJson(record))
                            {
                                unchanged++;
                            }
                            else
                            {
                                modified.Set(record, now);
                                updates.Add((stored, record));
                            }
                        }
                    }
                }
                // Often enough for a person watching the count move; the report itself costs nothing when nobody draws it.
                if (++rows % 5_000 == 0)
                {
                    Progress?.Report(new ProgressStep(rows, null, "rows read"));
                }
            }
            if (errors.Count > 0 && !skipInvalid)
            {
                throw new UserError(errors);
            }
            bulk.Complete();
        }
        foreach (var (stored, record) in updates)
        {
            table.Update(writing, transaction, record, changes?.Next());
            session.Audit.Write(writing, transaction, "update", schema.Entity, (string)schema.Code.Get(record)!,
                schema.ToAuditJson(stored), schema.ToAuditJson(record));
        }
        changes?.Save(writing, transaction);
        if (created.Count + updates.Count > 0)
        {
            // One audit line per import: who, when, which file, and the code of every record it created
            // (each updated record has its own before/after line).
            session.Audit.Write(writing, transaction, "import", schema.Entity, Path.GetFileName(path), null,
                System.Text.Json.JsonSerializer.Serialize(new { file = Path.GetFullPath(path), rows = created.Count, updated = updates.Count, rejected = errors.Count, codes = created }));
        }
        transaction.Commit();
        return new ImportResult(created.Count, updates.Count, unchanged, errors);
    }

    /// <summary>
    /// The stored record the row changes, or null for a new record; records the errors of a code
    /// given twice in the file, of a new code in update mode and of an existing one in create mode.
    /// </summary>
    private T? Stored(CsvRow<T> row, ImportMode mode, HashSet<string> existing, Dictionary<string, int> seen, DbConnection reading, List<RecordError> errors)
    {
        if (row.Code is not { Length: > 0 } code)
        {
            return null; // the code field's own check says it is required
        }
        var key = Codes.Key(code);
        if (seen.TryGetValue(key, out var firstLine))
        {
            errors.Add(new RecordError(row.Label, "code", $"appears twice in the file (first on line {firstLine})", row.Line));
            return null;
        }
        seen[key] = row.Line;
        var exists = existing.Contains(key);
        if (exists && mode == ImportMode.Create)
        {
            errors.Add(new RecordError(row.Label, "code", "already exists in the store; import with --update (or --mode upsert) to change it", row.Line));
        }
        else if (!exists && mode == ImportMode.Update)
        {
            errors.Add(new RecordError(row.Label, null, "does not exist", row.Line));
        }
        return exists && mode != ImportMode.Create ? table.Find(reading, null, code) : null;
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
