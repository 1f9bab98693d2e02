using Concord.Core.Common;
using Concord.Core.Connectors;

namespace Concord.Connectors.Files;

/// <summary>
/// The accounting side as one connector sees it: the export's records in its order, with the
/// records Concord wrote since laid over them (the newest write of a code wins) until the export
/// catches up; indexed by code and by VAT number. Built once per connector.
/// </summary>
internal sealed class SideIndex
{
    private readonly List<SyncRecord> _records = [];
    private readonly Dictionary<string, int> _byCode = new(Codes.Comparer);
    private readonly HashSet<string> _pending = new(Codes.Comparer);
    private Dictionary<string, List<int>>? _byVat;

    public IReadOnlyList<SyncRecord> Records => _records;

    public SyncRecord? Find(string code) => _byCode.TryGetValue(code, out var at) ? _records[at] : null;

    public bool IsPending(string code) => _pending.Contains(code);

    public IEnumerable<SyncRecord> WithVat(string vat)
    {
        if (_byVat is null)
        {
            _byVat = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            for (var i = 0; i < _records.Count; i++)
            {
                if (_records[i].Vat is { } v)
                {
                    (_byVat.TryGetValue(v, out var list) ? list : _byVat[v] = []).Add(i);
                }
            }
        }
        return _byVat.TryGetValue(vat, out var found) ? found.Select(i => _records[i]) : [];
    }

    /// <summary>Adds a record or replaces the one with its code (in place, keeping the side's order).</summary>
    public void Put(SyncRecord record, bool pending)
    {
        if (_byCode.TryGetValue(record.Code, out var at))
        {
            _records[at] = record;
        }
        else
        {
            _byCode[record.Code] = _records.Count;
            _records.Add(record);
        }
        if (pending)
        {
            _pending.Add(record.Code);
        }
        _byVat = null;
    }

    public static SideIndex Load(ExchangeFolder folder, ITableFormat format, ColumnMap map, CancellationToken cancellation)
    {
        folder.CheckReachable();
        folder.Recover();
        var index = new SideIndex();
        var exported = new Dictionary<string, int>(Codes.Comparer);
        foreach (var (line, record) in Rows(format, map, folder.ExportPath, cancellation))
        {
            if (!exported.TryAdd(record.Code, line))
            {
                throw new UserError([new RecordError($"file {Path.GetFileName(folder.ExportPath)}", Column(map, map.CodeColumn, null),
                    $"'{record.Code}' is the code of line {exported[record.Code]} too; each customer appears once", line)]);
            }
            index.Put(record, pending: false);
        }
        var exportTime = File.GetLastWriteTimeUtc(folder.ExportPath);
        var newest = new Dictionary<string, (SyncRecord Record, WrittenFile File)>(Codes.Comparer);
        var files = folder.Written();
        foreach (var file in files)
        {
            foreach (var (_, record) in Rows(format, map, file.StatePath, cancellation))
            {
                newest[record.Code] = (record, file);
            }
        }
        var open = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (record, file) in newest.Values)
        {
            var inExport = index.Find(record.Code);
            var caughtUp = inExport is not null && (inExport.SameValues(record) || (!file.InImport && exportTime > file.WrittenUtc));
            if (!caughtUp)
            {
                index.Put(record, pending: true);
                open.Add(file.Name);
            }
        }
        // A file whose every record the export shows (or a later write replaced), and which the package has taken: its copy is done with.
        foreach (var file in files.Where(f => !f.InImport && !open.Contains(f.Name)))
        {
            ExchangeFolder.Forget(file);
        }
        return index;
    }

    /// <summary>The records of a file in the map's layout, each with its line; a bad row is an error naming the file, the line and the column.</summary>
    private static IEnumerable<(int Line, SyncRecord Record)> Rows(ITableFormat format, ColumnMap map, string path, CancellationToken cancellation)
    {
        var file = Path.GetFileName(path);
        int[]? positions = null;
        foreach (var row in format.Read(path))
        {
            cancellation.ThrowIfCancellationRequested();
            if (positions is null)
            {
                positions = Bind(map, row.Cells, file);
                continue;
            }
            if (row.Problem is { } problem)
            {
                throw new UserError([new RecordError($"file {file}", null, problem, row.Line)]);
            }
            var cells = new string?[positions.Length];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = positions[i] >= 0 && positions[i] < row.Cells.Length ? row.Cells[positions[i]] : null;
            }
            if (cells.All(string.IsNullOrWhiteSpace))
            {
                continue;
            }
            SyncRecord record;
            try
            {
                record = map.Record(cells);
            }
            catch (CellError error)
            {
                throw new UserError([new RecordError($"file {file}", Column(map, error.Column, positions[error.Column]), error.Reason, row.Line)]);
            }
            yield return (row.Line, record);
        }
        if (positions is null)
        {
            throw new UserError([new RecordError($"file {file}", null, "is empty; its first line must name the columns", 1)]);
        }
    }

    /// <summary>Where each of the map's columns is in the file; every column that carries a field must be there.</summary>
    private static int[] Bind(ColumnMap map, IReadOnlyList<string?> header, string file)
    {
        var positions = new int[map.Columns.Count];
        var errors = new List<RecordError>();
        for (var i = 0; i < positions.Length; i++)
        {
            var heading = map.Columns[i].Heading;
            positions[i] = Enumerable.Range(0, header.Count).FirstOrDefault(h => header[h] is { } text && ColumnMap.SameHeading(text, heading), -1);
        }
        // Every field needs its column; a field over several columns (street lines) one of them, as an export may leave out lines nobody uses.
        foreach (var columns in Enumerable.Range(0, positions.Length).Where(i => map.Columns[i].Field != MapColumn.Extra).GroupBy(i => map.Columns[i].Field))
        {
            if (columns.All(i => positions[i] < 0))
            {
                var field = columns.Key == MapColumn.Code ? "code" : map.Fields[columns.Key];
                errors.Add(new RecordError($"file {file}", $"column '{map.Columns[columns.First()].Heading}'",
                    $"is missing; the layout {map.Name} reads the {field} from it (the header names {string.Join(", ", header.Select(h => $"'{h}'"))})", 1));
            }
        }
        return errors.Count > 0 ? throw new UserError(errors) : positions;
    }

    /// <summary>A column as messages name it: its heading and, where the file has it, its spreadsheet letter.</summary>
    private static string Column(ColumnMap map, int column, int? position) =>
        $"column {(position is >= 0 and var p ? Letters(p) + " " : "")}'{map.Columns[column].Heading}'";

    private static string Letters(int position)
    {
        var letters = "";
        for (var n = position + 1; n > 0; n = (n - 1) / 26)
        {
            letters = (char)('A' + ((n - 1) % 26)) + letters;
        }
        return letters;
    }
}
