using Concord.Core.Common;
using Concord.Core.Connectors;

namespace Concord.Connectors.Files;

/// <summary>
/// An accounting package reached through an exchange folder (X4): its customer export is this
/// side's records; creates and updates become import files in the package's layout
/// (<see cref="ExchangeFolder"/>), which a person or the package imports. A record written but not
/// yet in the export counts as present, with the values written, so a second run never writes it
/// again; it stops counting once the export shows it (same values), or once its import file was
/// taken away and the export is newer than the write. There is no change cursor: every run reads
/// the whole export, once per connector (the index serves reads and look-ups alike), and again
/// only when the export or the written files changed since.
/// </summary>
public sealed class FileConnector(FileOptions options, ITableFormat format, TimeProvider clock) : IConnector
{
    private readonly ExchangeFolder _folder = new(options.Folder, options.Export, format.Extension, clock);
    private readonly Lock _gate = new();
    private SideIndex? _index;
    private (long, long, long) _version;

    public string Kind => format.Extension;

    public ConnectorCapabilities Capabilities => ConnectorCapabilities.Create | ConnectorCapabilities.Update | ConnectorCapabilities.FieldMap;

    /// <summary>A field only where a column of the layout carries it (Sage 50 has no country column, Xero no credit limit).</summary>
    public bool Carries(string field) => options.Map.IndexOf(field) is var i and >= 0 && options.Map.Carries(i);

    /// <summary>The company= setting, else the folder's name; only for a side that is there to be read.</summary>
    public Task<string> CompanyNameAsync(CancellationToken cancellation)
    {
        _folder.CheckReachable();
        return Task.FromResult(options.Company ?? Path.GetFileName(Path.TrimEndingDirectorySeparator(_folder.Root)));
    }

    public IAsyncEnumerable<SyncRecord> ReadAllAsync(CancellationToken cancellation) => Snapshot(cancellation).ToAsyncEnumerable();

    /// <summary>Without a change cursor every record counts as changed.</summary>
    public IAsyncEnumerable<SyncRecord> ReadChangesAsync(string? cursor, CancellationToken cancellation) => ReadAllAsync(cancellation);

    public Task<string?> CurrentCursorAsync(CancellationToken cancellation) => Task.FromResult<string?>(null);

    public Task<IReadOnlyList<SyncRecord>> FindByCodesAsync(IReadOnlyCollection<string> codes, CancellationToken cancellation)
    {
        var index = Index(cancellation);
        return Task.FromResult<IReadOnlyList<SyncRecord>>([.. codes.Select(index.Find).OfType<SyncRecord>().Distinct()]);
    }

    public Task<IReadOnlyList<SyncRecord>> FindByVatsAsync(IReadOnlyCollection<string> vats, CancellationToken cancellation)
    {
        var index = Index(cancellation);
        return Task.FromResult<IReadOnlyList<SyncRecord>>([.. vats.Distinct(StringComparer.Ordinal).SelectMany(index.WithVat)]);
    }

    public Task<IReadOnlyList<WriteOutcome>> CreateAsync(IReadOnlyList<SyncRecord> records, CancellationToken cancellation)
    {
        var index = Index(cancellation);
        var batch = new Batch(records.Count);
        for (var i = 0; i < records.Count; i++)
        {
            var record = records[i];
            if (AsWritten(record, out var refused) is not { } written)
            {
                batch.Outcomes[i] = refused;
                continue;
            }
            if (index.Find(record.Code) is { } existing)
            {
                // Written by an earlier run (or already in the package) with these very values: nothing to write again.
                batch.Outcomes[i] = existing.SameValues(written)
                    ? WriteOutcome.Ok(existing.Code) with { Stored = existing }
                    : new WriteOutcome(record.Code, false, "code", $"is already in {Where(existing)}; Concord does not create it twice");
            }
            else if (!batch.Add(i, written))
            {
                batch.Outcomes[i] = new WriteOutcome(record.Code, false, "code", "is given twice in one batch");
            }
        }
        return Task.FromResult(Write(batch, index, cancellation));
    }

    /// <summary>What <see cref="CreateAsync"/> would refuse for the layout's sake (a code of the wrong shape, no name, a cell the layout cannot take), writing nothing.</summary>
    public Task<IReadOnlyList<WriteOutcome?>> WouldRefuseAsync(IReadOnlyList<SyncRecord> records, CancellationToken cancellation) =>
        Task.FromResult<IReadOnlyList<WriteOutcome?>>([.. records.Select(record => AsWritten(record, out var refused) is null ? refused : null)]);

    public Task<IReadOnlyList<WriteOutcome>> UpdateAsync(IReadOnlyList<SyncUpdate> updates, CancellationToken cancellation)
    {
        var index = Index(cancellation);
        var batch = new Batch(updates.Count);
        for (var i = 0; i < updates.Count; i++)
        {
            var update = updates[i];
            var current = batch.Find(update.Code) ?? index.Find(update.Code);
            if (current is null)
            {
                batch.Outcomes[i] = new WriteOutcome(update.Code, false, "code", $"is not in {_folder.ExportPath} nor in an import file Concord wrote");
                continue;
            }
            var values = (string?[])current.Values.Clone();
            var unknown = update.Changes.Keys.FirstOrDefault(f => options.Map.IndexOf(f) < 0);
            if (unknown is not null)
            {
                batch.Outcomes[i] = new WriteOutcome(update.Code, false, unknown, "is not a synced field");
                continue;
            }
            foreach (var (field, value) in update.Changes)
            {
                values[options.Map.IndexOf(field)] = value;
            }
            if (AsWritten(new SyncRecord(current.Code, values), out var refused) is not { } written)
            {
                batch.Outcomes[i] = refused;
                continue;
            }
            if (written.SameValues(current))
            {
                batch.Outcomes[i] = WriteOutcome.Ok(current.Code) with { Stored = current };
                continue;
            }
            batch.Put(i, written);
        }
        return Task.FromResult(Write(batch, index, cancellation));
    }

    public void Dispose()
    {
    }

    /// <summary>
    /// The record as the package will hold it after importing its row (fields the layout lacks are
    /// blank): what this side reads back. Null, with <paramref name="refused"/>, for a record the
    /// layout cannot take: a code of the wrong shape, no name, a value the layout reads as wrong.
    /// </summary>
    private SyncRecord? AsWritten(SyncRecord record, out WriteOutcome? refused)
    {
        try
        {
            Codes.Check(record.Code);
        }
        catch (FieldValueError error)
        {
            refused = new WriteOutcome(record.Code, false, "code", error.Reason);
            return null;
        }
        try
        {
            refused = null;
            return options.Map.Record(options.Map.Cells(record));
        }
        catch (CellError error)
        {
            var field = options.Map.Columns[error.Column].Field;
            refused = new WriteOutcome(record.Code, false, field >= 0 ? options.Map.Fields[field] : "code", error.Reason);
            return null;
        }
    }

    private string Where(SyncRecord record) =>
        Index(CancellationToken.None).IsPending(record.Code) ? $"an import file Concord wrote to {_folder.ImportFolder}" : $"the export {_folder.ExportPath}";

    /// <summary>Writes the batch's rows as one import file; the outcomes of its records follow, with what the side now holds.</summary>
    private IReadOnlyList<WriteOutcome> Write(Batch batch, SideIndex index, CancellationToken cancellation)
    {
        if (batch.Rows.Count > 0)
        {
            var rows = batch.Rows.Select(r => options.Map.Cells(r.Record));
            try
            {
                _folder.Write(output => format.Write(output, options.Map, rows, cancellation));
            }
            catch (Exception error) when (error is IOException or UnauthorizedAccessException)
            {
                throw new ConnectorUnavailableException($"the import file cannot be written to {_folder.ImportFolder}: {error.Message}",
                    "free space on the disk or correct the folder's permissions, then run the sync again; no import file was written");
            }
            lock (_gate)
            {
                _version = _folder.Version();
            }
            foreach (var (at, record) in batch.Rows)
            {
                index.Put(record, pending: true);
                batch.Outcomes[at] = WriteOutcome.Ok(record.Code) with { Stored = record };
            }
        }
        return batch.Outcomes!;
    }

    /// <summary>The index, loaded on first use and again only when the export or the written files changed since (another run, a new export).</summary>
    private SideIndex Index(CancellationToken cancellation)
    {
        lock (_gate)
        {
            if (_index is null || _folder.Version() != _version)
            {
                _index = SideIndex.Load(_folder, format, options.Map, cancellation);
                _version = _folder.Version();
            }
            return _index;
        }
    }

    /// <summary>The records as they are when reading starts (loaded then, not before): writes made while the engine reads do not disturb it.</summary>
    private IEnumerable<SyncRecord> Snapshot(CancellationToken cancellation)
    {
        foreach (var record in Index(cancellation).Records.ToArray())
        {
            cancellation.ThrowIfCancellationRequested();
            yield return record;
        }
    }

    /// <summary>The rows one call writes (by input position) and the outcomes of the rest.</summary>
    private sealed class Batch(int count)
    {
        public WriteOutcome?[] Outcomes { get; } = new WriteOutcome?[count];

        public List<(int At, SyncRecord Record)> Rows { get; } = [];

        private readonly Dictionary<string, int> _byCode = new(Codes.Comparer);

        public SyncRecord? Find(string code) => _byCode.TryGetValue(code, out var row) ? Rows[row].Record : null;

        public bool Add(int at, SyncRecord record)
        {
            if (!_byCode.TryAdd(record.Code, Rows.Count))
            {
                return false;
            }
            Rows.Add((at, record));
            return true;
        }

        /// <summary>An update; a second one of the same record in the batch replaces its row (the first then reports the same result).</summary>
        public void Put(int at, SyncRecord record)
        {
            if (_byCode.TryGetValue(record.Code, out var row))
            {
                Outcomes[Rows[row].At] = WriteOutcome.Ok(record.Code) with { Stored = record };
                Rows[row] = (at, record);
                return;
            }
            Add(at, record);
        }
    }
}
