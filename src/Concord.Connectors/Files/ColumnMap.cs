using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Connections;
using Concord.Core.Sync.Running;

namespace Concord.Connectors.Files;

/// <summary>One column of an exchange layout: its heading, and the field it carries or the fixed text it is written with.</summary>
public sealed record MapColumn(string Heading, int Field, string Fixed = "")
{
    /// <summary><see cref="Field"/> of the column that carries the record's code.</summary>
    public const int Code = -1;

    /// <summary><see cref="Field"/> of a column the layout has but Concord does not fill (written empty or with <see cref="Fixed"/>).</summary>
    public const int Extra = -2;
}

/// <summary>
/// A column map (X4): which column of an accounting package's customer file carries which synced
/// field, in the package's column order, with the extra columns its layout has. It reads a row of
/// the package's export into a <see cref="SyncRecord"/> and turns a record into a row of its import
/// file. Written as text (docs/FILE-LAYOUTS.md): one line per column, <c>HEADING = FIELD</c>,
/// <c>HEADING =</c> (written empty) or <c>HEADING = "TEXT"</c> (written with that text); a field
/// given to several columns (street lines) is written split at ", " and read joined with ", ".
/// Lines <c>@separator ;</c> and <c>@country GB</c> set the CSV separator and the country of
/// VAT numbers written without a prefix. Presets are written the same way (<see cref="ColumnMapPresets"/>).
/// </summary>
public sealed class ColumnMap
{
    private readonly int[][] _columnsOf;
    private readonly Dictionary<string, int> _fieldIndex;

    private ColumnMap(string name, IReadOnlyList<MapColumn> columns, char separator, string? country, IReadOnlyList<string>? fields = null)
    {
        Name = name;
        Columns = columns;
        Separator = separator;
        Country = country;
        Fields = fields ?? SyncFields.All;
        _fieldIndex = Fields.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => p.i, StringComparer.Ordinal);
        _columnsOf = [.. Fields.Select((_, f) => Enumerable.Range(0, columns.Count).Where(i => columns[i].Field == f).ToArray())];
        CodeColumn = Enumerable.Range(0, columns.Count).Single(i => columns[i].Field == MapColumn.Code);
    }

    /// <summary>The preset or map file it came from, for messages.</summary>
    public string Name { get; }

    public IReadOnlyList<MapColumn> Columns { get; }

    public char Separator { get; }

    /// <summary>The country of VAT numbers written without a prefix (a package of one country), or null.</summary>
    public string? Country { get; }

    public int CodeColumn { get; }

    /// <summary>The fields records carry, by name, which <see cref="MapColumn.Field"/> indexes: the synced ones, then the custom fields of a connection's field map.</summary>
    public IReadOnlyList<string> Fields { get; }

    /// <summary>The index of a field of <see cref="Fields"/> by name, or -1.</summary>
    public int IndexOf(string field) => _fieldIndex.GetValueOrDefault(field, -1);

    public IReadOnlyList<string> Headings => [.. Columns.Select(c => c.Heading)];

    /// <summary>Whether any column carries the synced field at <paramref name="field"/>.</summary>
    public bool Carries(int field) => _columnsOf[field].Length > 0;

    /// <summary>
    /// Reads a map: <paramref name="text"/> in the map syntax, applied over <paramref name="basis"/>
    /// (a preset) when given: a heading the preset has changes what that column carries, a new
    /// heading adds a column at the end. Errors name the line.
    /// </summary>
    public static ColumnMap Parse(string name, string text, ColumnMap? basis = null)
    {
        var columns = basis?.Columns.ToList() ?? [];
        var separator = basis?.Separator ?? ',';
        var country = basis?.Country;
        var number = 0;
        foreach (var raw in text.Split('\n'))
        {
            number++;
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }
            FieldValueError Error(string reason) => new($"line {number} ('{line}') {reason}");
            if (line.StartsWith('@'))
            {
                var (key, value) = Split(line[1..], ' ');
                switch (key.ToLowerInvariant())
                {
                    case "separator" when value is [var c] && c is ',' or ';' or '\t' or '|':
                        separator = c;
                        break;
                    case "separator" when value.Equals("tab", StringComparison.OrdinalIgnoreCase):
                        separator = '\t';
                        break;
                    case "country" when value.Length == 2 && value.All(char.IsAsciiLetter):
                        country = value.ToUpperInvariant();
                        break;
                    default:
                        throw Error("is not an option; the options are '@separator ,' (or ; tab |) and '@country CC'");
                }
                continue;
            }
            if (!line.Contains('=', StringComparison.Ordinal))
            {
                throw Error("has no '='; a column reads HEADING = FIELD, HEADING = or HEADING = \"TEXT\"");
            }
            var (heading, source) = Split(line, '=');
            if (heading.Length == 0)
            {
                throw Error("has no heading before '='");
            }
            var column = source.Length >= 2 && source[0] == '"' && source[^1] == '"'
                ? new MapColumn(heading, MapColumn.Extra, source[1..^1])
                : source.Length == 0
                    ? new MapColumn(heading, MapColumn.Extra)
                    : new MapColumn(heading, FieldOf(source) ?? throw Error(
                        $"names '{source}', which is not a synced field; the fields are code, {string.Join(", ", SyncFields.All)}"));
            var at = columns.FindIndex(c => SameHeading(c.Heading, heading));
            if (at >= 0 && basis is not null && at < basis.Columns.Count)
            {
                columns[at] = column;
            }
            else if (at >= 0)
            {
                throw Error($"names the column '{heading}' a second time");
            }
            else
            {
                columns.Add(column);
            }
        }
        if (columns.Count(c => c.Field == MapColumn.Code) != 1 || !columns.Any(c => c.Field == 0))
        {
            throw new FieldValueError("needs exactly one column for code and at least one for name (e.g. 'Account = code' and 'Name = name')");
        }
        return new ColumnMap(name, columns, separator, country);
    }

    /// <summary>
    /// This layout following a connection's field map (S8): a mapped field is carried by the column
    /// whose heading is its target, which must be one the layout leaves empty (a synced field mapped
    /// there leaves its own columns empty). A target the layout has not, or a column that already
    /// carries something, is refused naming the field: a new column is added with a map= file line.
    /// </summary>
    public ColumnMap Following(FieldMap map)
    {
        if (map.IsStandard)
        {
            return this;
        }
        var columns = Columns.ToList();
        bool Free(MapColumn c) => c.Field == MapColumn.Extra && c.Fixed.Length == 0;
        string FreeList() => string.Join(", ", columns.Where(Free).Select(c => $"'{c.Heading}'"));
        // Synced fields first: one moved away frees its column for a custom field.
        foreach (var entry in map.Entries.OrderBy(e => SyncFields.All.Contains(e.Field) ? 0 : 1))
        {
            var field = map.IndexOf(entry.Field);
            var at = columns.FindIndex(c => SameHeading(c.Heading, entry.Target));
            UserError Refused(string reason) => new(ConnectorFactory.FieldMapRecord, entry.Field, $"the layout {Name} {reason}");
            if (at < 0)
            {
                throw Refused($"has no column '{entry.Target}'; its free columns are {FreeList()}; to add one, write the line '{entry.Target} =' in a map= file (docs/FILE-LAYOUTS.md)");
            }
            var column = columns[at];
            if (column.Field == field)
            {
                continue;
            }
            if (!Free(column))
            {
                var what = column.Field switch
                {
                    MapColumn.Code => "the code",
                    MapColumn.Extra => $"the fixed text \"{column.Fixed}\"",
                    var f => $"the {map.Fields[f]}",
                };
                throw Refused($"writes {what} in the column '{column.Heading}'; a field goes to a column the layout leaves empty: {FreeList()}");
            }
            for (var i = 0; i < columns.Count; i++)
            {
                if (columns[i].Field == field)
                {
                    columns[i] = columns[i] with { Field = MapColumn.Extra };
                }
            }
            columns[at] = column with { Field = field };
        }
        return new ColumnMap(Name, columns, Separator, Country, map.Fields);
    }

    /// <summary>Headings compare as people write them: case, spaces around, and the '*' some packages put on required columns do not count.</summary>
    public static bool SameHeading(string a, string b) =>
        string.Equals(a.Trim().TrimStart('*').Trim(), b.Trim().TrimStart('*').Trim(), StringComparison.OrdinalIgnoreCase);

    /// <summary>The cells of a record's row in the import file (not yet defused): its code, its fields split over their columns, the fixed texts.</summary>
    public string[] Cells(SyncRecord record)
    {
        var cells = new string[Columns.Count];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = Columns[i].Field == MapColumn.Code ? record.Code : Columns[i].Fixed;
        }
        for (var field = 0; field < _columnsOf.Length; field++)
        {
            var at = _columnsOf[field];
            if (at.Length == 0 || record.Values[field] is not { } value)
            {
                continue;
            }
            var parts = at.Length == 1 ? [value] : value.Split(", ", at.Length, StringSplitOptions.TrimEntries);
            for (var p = 0; p < parts.Length; p++)
            {
                cells[at[p]] = parts[p];
            }
        }
        return cells;
    }

    /// <summary>
    /// The record a row holds, in canonical form (blanks as null, VAT numbers normalised, countries
    /// in upper case, amounts with two decimals); <paramref name="cells"/> are in this map's column
    /// order. A bad value is a <see cref="CellError"/> naming the column.
    /// </summary>
    public SyncRecord Record(IReadOnlyList<string?> cells)
    {
        string? Cell(int column) => cells[column]?.Trim() is { Length: > 0 } text ? text : null;
        var code = Cell(CodeColumn) ?? throw new CellError(CodeColumn, "is empty; every customer needs a code");
        var values = new string?[Fields.Count];
        for (var field = 0; field < values.Length; field++)
        {
            var parts = _columnsOf[field].Select(Cell).OfType<string>().ToList();
            values[field] = parts.Count == 0 ? null : string.Join(", ", parts);
        }
        var name = _columnsOf[SyncFields.Name];
        if (values[SyncFields.Name] is null)
        {
            throw new CellError(name[0], "is empty; every customer needs a name");
        }
        var country = SyncFields.IndexOf("country");
        if (values[country] is { } cc)
        {
            values[country] = cc.Length == 2 && cc.All(char.IsAsciiLetter)
                ? cc.ToUpperInvariant()
                : throw new CellError(_columnsOf[country][0], $"'{cc}' is not a two-letter country code (ISO 3166, e.g. GB)");
        }
        if (values[SyncFields.Vat] is { } vat)
        {
            values[SyncFields.Vat] = Guard(_columnsOf[SyncFields.Vat][0], () => VatNumber.Normalise(vat, values[country] ?? Country));
        }
        var limit = SyncFields.IndexOf("credit-limit");
        if (Carries(limit))
        {
            // A blank limit is no limit, as on the operational side ("0.00").
            values[limit] = values[limit] is { } amount ? Guard(_columnsOf[limit][0], () => Money.Format(Money.Parse(amount))) : Money.Format(0m);
        }
        return new SyncRecord(code, values);
    }

    private static string Guard(int column, Func<string> parse)
    {
        try
        {
            return parse();
        }
        catch (FieldValueError error)
        {
            throw new CellError(column, error.Reason);
        }
    }

    private static int? FieldOf(string name) =>
        Codes.Same(name, "code") ? MapColumn.Code
        : SyncFields.All.Select((f, i) => (f, i)).Where(p => Codes.Same(p.f, name)).Select(p => (int?)p.i).FirstOrDefault();

    private static (string Key, string Value) Split(string text, char at)
    {
        var i = text.IndexOf(at, StringComparison.Ordinal);
        return i < 0 ? (text.Trim(), "") : (text[..i].Trim(), text[(i + 1)..].Trim());
    }
}

/// <summary>A cell of a row that cannot be read: its column in the map, and why.</summary>
public sealed class CellError(int column, string reason) : Exception(reason)
{
    public int Column { get; } = column;

    public string Reason { get; } = reason;
}
