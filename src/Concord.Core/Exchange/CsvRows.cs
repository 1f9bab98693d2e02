using System.Text;
using Concord.Core.Common;
using CsvHelper;

namespace Concord.Core.Exchange;

/// <summary>
/// One CSV row: its line, its cells under the fields their columns name (null for columns the
/// import ignores), and the errors found reading it (a record too long, cells missing or extra,
/// a quote never closed).
/// </summary>
public sealed class CsvRow<T>(int line, CsvColumns<T> columns, string?[] cells, List<RecordError> errors)
    where T : class
{
    public int Line { get; } = line;

    public List<RecordError> Errors { get; } = errors;

    /// <summary>The code cell as written, or null when the row has none.</summary>
    public string? Code => columns.CodeColumn < cells.Length ? cells[columns.CodeColumn]?.Trim() : null;

    /// <summary>The row as messages name it: "customer CODE".</summary>
    public string Label => $"{columns.Schema.Entity} {Code}";

    /// <summary>Whether the file has a column for the field and this row a value in it.</summary>
    public bool Has(string name) => Cell(name) is { } value && !string.IsNullOrWhiteSpace(value);

    /// <summary>The row's values by field name: present columns only ("" for an empty cell); absent fields are not listed.</summary>
    public IReadOnlyDictionary<string, string?> Values
    {
        get
        {
            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < columns.Fields.Length; i++)
            {
                if (columns.Fields[i] is { } column)
                {
                    values[column.Name] = cells[i] ?? "";
                }
            }
            return values;
        }
    }

    /// <summary>
    /// Sets every field the file has a column for from its cell (an empty cell clears the field,
    /// as an edit would); fields without a column keep their value. Bad values are added to
    /// <paramref name="errors"/> with this row's line.
    /// </summary>
    public void ApplyTo(T record, List<RecordError> errors)
    {
        for (var i = 0; i < columns.Fields.Length; i++)
        {
            if (columns.Fields[i] is not { } field)
            {
                continue;
            }
            try
            {
                field.Set(record, field.Parse(cells[i]));
            }
            catch (FieldValueError error)
            {
                errors.Add(new RecordError(Label, field.Name, error.Reason, Line));
            }
        }
    }

    private string? Cell(string name)
    {
        for (var i = 0; i < columns.Fields.Length; i++)
        {
            if (columns.Fields[i]?.Name == name)
            {
                return cells[i];
            }
        }
        return null;
    }
}

/// <summary>What the header of a file says: the field under each column (null: a system column, ignored).</summary>
public sealed class CsvColumns<T>(RecordSchema<T> schema, Field<T>?[] fields)
    where T : class
{
    public RecordSchema<T> Schema { get; } = schema;

    public Field<T>?[] Fields { get; } = fields;

    public int CodeColumn { get; } = Array.IndexOf(fields, schema.Code);

    /// <summary>
    /// Reads the header: each heading must name a field (by name or alias) once, and the code must be
    /// there. Columns the system stamps (first created, balance …) are in every export; they are
    /// ignored rather than refused, so an export imports as it is.
    /// </summary>
    public static CsvColumns<T> FromHeader(RecordSchema<T> schema, IReadOnlyList<string> header, string file)
    {
        var fields = new Field<T>?[header.Count];
        var seen = new HashSet<Field<T>>();
        var errors = new List<RecordError>();
        for (var i = 0; i < header.Count; i++)
        {
            var field = schema.Find(header[i]);
            if (field is null)
            {
                var reason = header[i].Contains('\uFFFD', StringComparison.Ordinal)
                    ? "contains an invalid character (bad encoding); check the file is saved as UTF-8"
                    : $"is not a field of a {schema.Entity}";
                errors.Add(new RecordError($"column {i + 1}", header[i], reason, 1));
            }
            else if (!seen.Add(field))
            {
                errors.Add(new RecordError($"column {i + 1}", header[i], $"names the field {field.Name} a second time", 1));
            }
            else if (!field.SystemOnly)
            {
                fields[i] = field;
            }
        }
        if (!seen.Contains(schema.Code))
        {
            errors.Add(new RecordError($"file {file}", "code", "has no code column", 1));
        }
        return errors.Count > 0 ? throw new UserError(errors) : new CsvColumns<T>(schema, fields);
    }
}

/// <summary>
/// Reads a CSV file into rows of a schema: the header names the fields (or their aliases). A row
/// that cannot be read as it should — longer than <see cref="CsvFormat.MaxRecordBytes"/>, with
/// fewer or more cells than the header, with a quote never closed — comes back with its error and
/// line, and reading goes on after it where the file allows.
/// </summary>
public static class CsvRows<T> where T : class
{
    public static IEnumerable<CsvRow<T>> Read(RecordSchema<T> schema, string path)
    {
        var file = Path.GetFileName(path);
        using var source = CsvSource.Open(path);
        var header = source.Header();
        if (header.Count == 0)
        {
            throw new UserError($"file {file}", null, "is empty; the first line must name the columns");
        }
        var columns = CsvColumns<T>.FromHeader(schema, header, file);
        var width = columns.Fields.Length;
        var rows = 0;
        while (source.Next() is { } read)
        {
            rows++;
            var errors = new List<RecordError>();
            var cells = new string?[width];
            if (read.Cells is { } values)
            {
                for (var i = 0; i < width && i < values.Length; i++)
                {
                    cells[i] = CsvFormat.Restore(values[i]);
                }
            }
            var row = new CsvRow<T>(read.Line, columns, cells, errors);
            var label = row.Code is { Length: > 0 } ? row.Label : $"{schema.Entity} record";
            if (read.Problem is { } problem)
            {
                errors.Add(new RecordError(label, read.Field is { } at && at < width ? columns.Fields[at]?.Name ?? header[at] : null, problem, read.Line));
            }
            else if (read.Cells!.Length != width)
            {
                var fewer = read.Cells.Length < width;
                errors.Add(new RecordError(label, null,
                    $"has {read.Cells.Length} {(read.Cells.Length == 1 ? "cell" : "cells")} but the header names {width} columns; " +
                    (fewer ? "the line may be cut off" : "a value may hold an unquoted separator"), read.Line));
            }
            yield return row;
        }
        if (rows == 0)
        {
            throw new UserError($"file {file}", null, "has a header but no rows; nothing to import");
        }
    }
}

/// <summary>One record as read from a file: its line and cells, or why it could not be read (and which cell, when known).</summary>
public sealed record CsvRecord(int Line, string[]? Cells, string? Problem = null, int? Field = null);

/// <summary>
/// CsvHelper's reader over a file, turning its parse exceptions into errors of the line they
/// happened on. After a record too long for the reader, reading goes on at the next record: the
/// bad record's end is found by following the quotes, and a new reader starts there.
/// </summary>
public sealed class CsvSource : IDisposable
{
    private readonly string _path;
    private readonly bool _utf8;
    private CsvReader _csv;
    private long _offsetBase;
    private int _lineBase;
    private char _separator;
    private (long Offset, int Line)? _afterLast;
    private CsvHelper.CsvMalformedRecord? _malformed;
    private bool _done;

    private CsvSource(string path, bool utf8)
    {
        _path = path;
        _utf8 = utf8;
        _csv = CsvReader.FromFile(path, Options(null, hasHeader: true));
    }

    public static CsvSource Open(string path)
    {
        try
        {
            return new CsvSource(path, IsUtf8(path));
        }
        catch (IOException error)
        {
            throw new UserError($"file {path}", null, $"cannot be read: {error.Message}");
        }
    }

    private CsvReaderOptions Options(char? separator, bool hasHeader)
    {
        return CsvFormat.ReaderOptions(separator, hasHeader) with { OnMalformedRecord = record => _malformed = record };
    }

    public IReadOnlyList<string> Header()
    {
        try
        {
            var header = _csv.Headers;
            if (header.Count > 0)
            {
                _separator = _csv.Separator;
            }
            return header;
        }
        catch (CsvFormatException)
        {
            throw new UserError($"file {Path.GetFileName(_path)}", null,
                $"line 1 (the header) is longer than {CsvFormat.MaxRecordBytes / (1 << 20)} MiB; the first line must name the columns");
        }
    }

    public CsvRecord? Next()
    {
        if (_done)
        {
            return null;
        }
        bool read;
        _malformed = null;
        try
        {
            read = _csv.Read();
        }
        catch (CsvFormatException)
        {
            return Skip();
        }
        if (!read)
        {
            _done = true;
            return null;
        }
        var line = _lineBase + (int)_csv.LineNumber;
        var raw = _csv.RawRecord;
        _afterLast = (_offsetBase + _csv.ByteOffset + raw.Length, line + raw.Count((byte)'\n'));
        var cells = new string[_csv.FieldCount];
        var longest = 0;
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = _csv.GetString(i);
            if (cells[i].Length > cells[longest].Length)
            {
                longest = i;
            }
        }
        if (raw.Length > CsvFormat.MaxRecordBytes)
        {
            return new CsvRecord(line, cells, TooLong, longest);
        }
        if (_malformed is { } malformed)
        {
            if (malformed.Reason == CsvHelper.CsvMalformedReason.UnterminatedQuote)
            {
                _done = true;
                return new CsvRecord(line, cells, "has a quoted value that is never closed (the quote runs to the end of the file)");
            }
            if (malformed.Reason == CsvHelper.CsvMalformedReason.TextAfterClosingQuote)
            {
                return new CsvRecord(line, cells, "has text after the closing quote of a value; quote the whole value and double any quote inside it");
            }
        }
        return new CsvRecord(line, cells);
    }

    private static string TooLong => $"is longer than {CsvFormat.MaxRecordBytes / (1 << 20)} MiB; no field of a record is that long";

    /// <summary>After a record the reader refused: the error of its line, and a new reader after it.</summary>
    private CsvRecord Skip()
    {
        _done = true;
        _csv.Dispose();
        using var file = new BufferedStream(File.OpenRead(_path), 1 << 16);
        var (offset, line) = _afterLast ?? AfterHeader(file);
        if (!_utf8)
        {
            return new CsvRecord(line + 1, null, TooLong + "; the rest of the file is not read (save it as UTF-8 to have the other lines read)");
        }
        // The line breaks (and empty lines) before the record.
        file.Position = offset;
        int b;
        while ((b = file.ReadByte()) is '\r' or '\n')
        {
            line += b == '\n' ? 1 : 0;
            offset++;
        }
        var start = line;
        var (end, innerLines, closed, cells, longest) = EndOfRecord(file, offset, (byte)_separator);
        if (!closed)
        {
            return new CsvRecord(start, cells, "has a quoted value that is never closed (the quote runs to the end of the file)");
        }
        var stream = File.OpenRead(_path);
        stream.Position = end;
        _csv = CsvReader.Create(stream, Options(_separator, hasHeader: false), leaveOpen: false);
        _offsetBase = end;
        _lineBase = start + innerLines - 1;
        _afterLast = (end, start + innerLines);
        _done = false;
        return new CsvRecord(start, cells, TooLong, longest);
    }

    /// <summary>Where the header ends (its line break) and the line it ends on.</summary>
    private (long Offset, int Line) AfterHeader(Stream file)
    {
        var bom = 0;
        var first = new byte[3];
        file.Position = 0;
        if (file.Read(first, 0, 3) == 3 && first is [0xEF, 0xBB, 0xBF])
        {
            bom = 3;
        }
        var (end, innerLines, _, _, _) = EndOfRecord(file, bom, (byte)_separator);
        return (end, 1 + innerLines);
    }

    /// <summary>
    /// Follows one record from <paramref name="start"/> by the quoting rules: where it ends (its
    /// line break, or the end of the file), how many line breaks lie inside its quotes, whether
    /// every quote was closed, the start of each cell (enough to name the record by its code) and
    /// which cell is the longest.
    /// </summary>
    private static (long End, int InnerLines, bool Closed, string[] Starts, int Longest) EndOfRecord(Stream file, long start, byte separator)
    {
        const int kept = 64;
        file.Position = start;
        var position = start;
        var inQuotes = false;
        var fieldStart = true;
        var lines = 0;
        var starts = new List<string>();
        var cell = new List<byte>(kept);
        long cellLength = 0;
        long longestLength = -1;
        var longest = 0;
        void EndCell()
        {
            if (cellLength > longestLength)
            {
                longestLength = cellLength;
                longest = starts.Count;
            }
            starts.Add(Encoding.UTF8.GetString([.. cell]));
            cell.Clear();
            cellLength = 0;
        }
        void Keep(int b)
        {
            cellLength++;
            if (cell.Count < kept)
            {
                cell.Add((byte)b);
            }
        }
        int b;
        while ((b = file.ReadByte()) >= 0)
        {
            if (inQuotes)
            {
                if (b == '"')
                {
                    if (file.ReadByte() is var next && next == '"')
                    {
                        Keep(b);
                        position += 2;
                        continue;
                    }
                    inQuotes = false;
                    file.Position = position + 1;
                }
                else
                {
                    lines += b == '\n' ? 1 : 0;
                    Keep(b);
                }
            }
            else if (b is '\n' or '\r')
            {
                EndCell();
                return (position, lines, true, [.. starts], longest);
            }
            else if (b == '"' && fieldStart)
            {
                inQuotes = true;
            }
            else if (b == separator)
            {
                EndCell();
            }
            else
            {
                Keep(b);
            }
            fieldStart = !inQuotes && b == separator;
            position++;
        }
        EndCell();
        return (position, lines, !inQuotes, [.. starts], longest);
    }

    /// <summary>Whether the file is UTF-8 (no UTF-16 or UTF-32 byte order mark): only then do byte offsets point into it.</summary>
    private static bool IsUtf8(string path)
    {
        Span<byte> start = stackalloc byte[2];
        using var file = File.OpenRead(path);
        return file.Read(start) < 2 || !(start is [0xFF, 0xFE] or [0xFE, 0xFF]);
    }

    public void Dispose() => _csv.Dispose();
}
