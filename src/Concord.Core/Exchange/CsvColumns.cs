using Concord.Core.Common;

namespace Concord.Core.Exchange;

/// <summary>
/// The columns of a fixed-layout CSV file (transactions, invoices): each heading mapped to the
/// column it names (several spellings each), the required ones present, none named twice; then
/// each line read as its cells by column, or as the error that it cannot be read.
/// </summary>
public sealed class CsvColumns
{
    private readonly Dictionary<string, int> _at;
    private readonly int _count;

    private CsvColumns(Dictionary<string, int> at, int count) => (_at, _count) = (at, count);

    /// <param name="headings">each accepted heading (case does not matter) → the column it names.</param>
    /// <param name="what">what one line is, for messages ("transaction").</param>
    public static CsvColumns Read(CsvSource source, string file, IReadOnlyDictionary<string, string> headings, IReadOnlyList<string> required, string what)
    {
        var header = source.Header();
        var at = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < header.Count; i++)
        {
            var name = headings.GetValueOrDefault(header[i].Trim())
                ?? throw new UserError($"file {file}", header[i], $"is not a {what} column ({string.Join(", ", headings.Values.Distinct())})");
            if (!at.TryAdd(name, i))
            {
                throw new UserError($"file {file}", header[i], $"names the {name} column a second time");
            }
        }
        foreach (var column in required)
        {
            if (!at.ContainsKey(column))
            {
                throw new UserError($"file {file}", column, $"column is missing; a {what} needs {string.Join(", ", required)}");
            }
        }
        return new CsvColumns(at, header.Count);
    }

    /// <summary>
    /// The next line: its number and a reader of its cells by column (blank cells as null), or its
    /// error when it cannot be read or has another number of cells than the header; null at the end.
    /// </summary>
    public (int Line, Func<string, string?>? Cell, string? Problem)? Next(CsvSource source)
    {
        if (source.Next() is not { } read)
        {
            return null;
        }
        if (read.Problem is { } problem || read.Cells!.Length != _count)
        {
            return (read.Line, null, read.Problem ?? $"has {read.Cells!.Length} cells but the header names {_count} columns");
        }
        return (read.Line, name => _at.TryGetValue(name, out var i) && CsvFormat.Restore(read.Cells[i]) is { } value && value.Trim().Length > 0 ? value.Trim() : null, null);
    }
}
