using ClosedXML.Excel;
using Concord.Core.Common;
using Concord.Core.Exchange;

namespace Concord.Connectors.Files;

/// <summary>A row of an exchange file: its line (the header is line 1) and its cells, or why it could not be read.</summary>
public sealed record TableRow(int Line, string?[] Cells, string? Problem = null);

/// <summary>How exchange files of one kind are read and written: CSV (<see cref="CsvTable"/>) or XLSX (<see cref="XlsxTable"/>).</summary>
public interface ITableFormat
{
    /// <summary>"csv" or "xlsx": the connector's kind and its files' extension.</summary>
    string Extension { get; }

    /// <summary>The header (line 1) and then every row of the file, streaming.</summary>
    IEnumerable<TableRow> Read(string path);

    /// <summary>Writes the header and the rows, each cell a formula no spreadsheet runs.</summary>
    void Write(Stream output, ColumnMap map, IEnumerable<string[]> rows, CancellationToken cancellation);
}

/// <summary>
/// CSV through Concord's own CSV layer (<see cref="CsvSource"/>, <see cref="CsvFormat"/>): a byte
/// order mark is taken off, the separator found (comma, semicolon or tab), quoted values read, and
/// the apostrophe of a defused formula taken off again; written with the map's separator, CRLF
/// line ends (RFC 4180) and a byte order mark, so that Windows packages read UTF-8 as UTF-8; a
/// formula defused, a phone number not (<see cref="CsvFormat.DefuseFormulas"/>).
/// </summary>
public sealed class CsvTable : ITableFormat
{
    public string Extension => "csv";

    public IEnumerable<TableRow> Read(string path)
    {
        using var source = CsvSource.Open(path);
        yield return new TableRow(1, [.. source.Header()]);
        while (source.Next() is { } record)
        {
            yield return new TableRow(record.Line, record.Cells?.Select(CsvFormat.Restore).ToArray() ?? [], record.Problem);
        }
    }

    public void Write(Stream output, ColumnMap map, IEnumerable<string[]> rows, CancellationToken cancellation)
    {
        using var csv = CsvFormat.OpenWriter(output, map.Separator, "\r\n", byteOrderMark: true);
        csv.WriteRecord([.. map.Headings]);
        foreach (var row in rows)
        {
            cancellation.ThrowIfCancellationRequested();
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = CsvFormat.DefuseFormulas(row[i]);
            }
            csv.WriteRecord(row);
        }
        csv.Flush();
    }
}

/// <summary>
/// XLSX through ClosedXML: the first worksheet, headings in row 1. Every cell is written as text
/// (never a formula); text a spreadsheet would take for a formula if typed again also gets Excel's
/// quote prefix (the apostrophe Excel shows in front of it), so the value itself stays exact.
/// </summary>
public sealed class XlsxTable : ITableFormat
{
    public string Extension => "xlsx";

    public IEnumerable<TableRow> Read(string path)
    {
        XLWorkbook book;
        try
        {
            book = new XLWorkbook(path);
        }
        catch (Exception error) when (error is not OutOfMemoryException)
        {
            throw new UserError($"file {Path.GetFileName(path)}", null, $"cannot be read as an XLSX workbook: {error.Message}");
        }
        using (book)
        {
            var sheet = book.Worksheets.First();
            var width = sheet.LastColumnUsed()?.ColumnNumber() ?? 0;
            var last = sheet.LastRowUsed()?.RowNumber() ?? 0;
            for (var r = 1; r <= last; r++)
            {
                var row = sheet.Row(r);
                if (r > 1 && row.IsEmpty())
                {
                    continue;
                }
                var cells = new string?[width];
                for (var c = 0; c < width; c++)
                {
                    cells[c] = row.Cell(c + 1).GetString();
                }
                yield return new TableRow(r, cells);
            }
        }
    }

    public void Write(Stream output, ColumnMap map, IEnumerable<string[]> rows, CancellationToken cancellation)
    {
        using var book = new XLWorkbook();
        var sheet = book.AddWorksheet("Customers");
        var headings = map.Headings;
        for (var c = 0; c < headings.Count; c++)
        {
            Put(sheet.Cell(1, c + 1), headings[c]);
        }
        var r = 1;
        foreach (var row in rows)
        {
            cancellation.ThrowIfCancellationRequested();
            r++;
            for (var c = 0; c < row.Length; c++)
            {
                if (row[c].Length > 0)
                {
                    Put(sheet.Cell(r, c + 1), row[c]);
                }
            }
        }
        book.SaveAs(output);
    }

    private static void Put(IXLCell cell, string text)
    {
        cell.SetValue(text);
        cell.DataType = XLDataType.Text;
        if (CsvFormat.IsFormulaStart(text[0]))
        {
            cell.Style.IncludeQuotePrefix = true;
        }
    }
}
