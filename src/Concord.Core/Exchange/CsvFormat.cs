using CsvHelper;

namespace Concord.Core.Exchange;

/// <summary>
/// How Concord reads and writes CSV: UTF-8 (bad bytes become U+FFFD and are reported by the
/// field checks), separator detected (comma, semicolon or tab), RFC 4180 quoting; on export,
/// text that a spreadsheet would run as a formula gets a leading apostrophe (OWASP).
/// </summary>
public static class CsvFormat
{
    public static CsvReader OpenReader(string path) =>
        CsvReader.FromFile(path, new CsvReaderOptions { TrackLineNumbers = true, MaxRecordSize = 1 << 20 });

    public static CsvWriter OpenWriter(Stream output) =>
        CsvWriter.Create(output, new CsvWriterOptions { Injection = CsvInjection.Escape, NewLine = "\n" }, leaveOpen: true);
}
