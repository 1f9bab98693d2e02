using CsvHelper;

namespace Concord.Core.Exchange;

/// <summary>
/// How Concord reads and writes CSV: UTF-8 (bad bytes become U+FFFD and are reported by the
/// field checks), separator detected (comma, semicolon or tab), RFC 4180 quoting, records of at
/// most 1 MiB; on export, text that a spreadsheet would run as a formula gets a leading
/// apostrophe (OWASP), which import takes off again, so a round trip gives the same values.
/// </summary>
public static partial class CsvFormat
{
    /// <summary>The largest record a file may hold; a longer one is refused as an error of its line.</summary>
    public const int MaxRecordBytes = 1 << 20;

    private const char Apostrophe = '\'';

    public static CsvReaderOptions ReaderOptions(char? separator = null, bool hasHeader = true) => new()
    {
        TrackLineNumbers = true,
        MaxRecordSize = MaxRecordBytes,
        Separator = separator,
        HasHeader = hasHeader,
    };

    /// <summary>A writer of RFC 4180 CSV; formulas are defused by the caller (<see cref="Defuse"/>), not by CsvHelper.</summary>
    public static CsvWriter OpenWriter(Stream output, char separator = ',', string newLine = "\n", bool byteOrderMark = false) =>
        CsvWriter.Create(output, new CsvWriterOptions
        {
            Injection = CsvInjection.None,
            NewLine = newLine,
            Separator = separator,
            WriteByteOrderMark = byteOrderMark,
        }, leaveOpen: true);

    /// <summary>
    /// Whether a spreadsheet would take text starting with <paramref name="c"/> as a formula: = + - @,
    /// their full-width forms (which some spreadsheets fold to ASCII), tab and carriage return.
    /// </summary>
    public static bool IsFormulaStart(char c) => c is '=' or '+' or '-' or '@' or '\t' or '\r' or '＝' or '＋' or '－' or '＠';

    /// <summary>
    /// The cell as exported: an apostrophe in front of text a spreadsheet would run as a formula, and in
    /// front of text that already reads as defused (apostrophes then a formula start), so that
    /// <see cref="Restore"/> gives back exactly the value.
    /// </summary>
    public static string Defuse(string value) => LooksDefused(value, 0) ? Apostrophe + value : value;

    /// <summary>
    /// As <see cref="Defuse"/>, except that a number or phone number — a sign, then only digits,
    /// spaces, brackets, dots, dashes and slashes, such as +44 20 7946 0000 — stays as it is: a
    /// spreadsheet can at most calculate with it, and a package importing the file keeps the value
    /// as written instead of with an apostrophe in front.
    /// </summary>
    public static string DefuseFormulas(string value) => NumberLike().IsMatch(value) ? value : Defuse(value);

    [System.Text.RegularExpressions.GeneratedRegex(@"^[+-][ (]*[0-9][0-9 ()./-]*$")]
    private static partial System.Text.RegularExpressions.Regex NumberLike();

    /// <summary>The value of an imported cell: the one apostrophe <see cref="Defuse"/> adds is taken off.</summary>
    public static string Restore(string cell) => cell.Length > 1 && cell[0] == Apostrophe && LooksDefused(cell, 1) ? cell[1..] : cell;

    /// <summary>Whether <paramref name="text"/> from <paramref name="start"/> is apostrophes (any number) followed by a formula start.</summary>
    private static bool LooksDefused(string text, int start)
    {
        var i = start;
        while (i < text.Length && text[i] == Apostrophe)
        {
            i++;
        }
        return i < text.Length && IsFormulaStart(text[i]);
    }
}
