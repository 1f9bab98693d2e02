using System.CommandLine;
using System.Text.Json;
using System.Text.RegularExpressions;
using Concord.Core.Common;

namespace Concord.Cli;

/// <summary>How listings and records are printed: a table or one JSON document on stdout.</summary>
public static partial class Output
{
    /// <summary>A new --json option for a command (see <see cref="GlobalOptions"/> for why not one shared instance).</summary>
    public static Option<bool> Json => new("--json") { Description = "Print one JSON document on stdout" };

    /// <summary>Given to every command that has <see cref="Json"/>: tables as wide as their widest cells.</summary>
    public static Option<bool> Wide => new("--wide") { Description = "Print tables at full width, each cell on one line, instead of fitting the terminal" };

    /// <summary>The width a table fits when it is not --wide and stdout is not a terminal (COLUMNS, else 80).</summary>
    public const int DefaultWidth = 80;

    /// <summary>Prints records as a table of <paramref name="columns"/> (rows read first, to fit their widths), or all fields as a JSON array, streaming.</summary>
    public static int List<T>(CliContext context, RecordSchema<T> schema, IEnumerable<T> records, IReadOnlyList<string> columns)
        where T : class
    {
        if (context.Value(Json))
        {
            var count = Core.Exchange.Exporter.WriteJson(schema, records, context.Stdout);
            context.Stdout.Write("\n"u8);
            context.Say($"{count} {Plural(schema.Entity, count)}.");
            return CliApp.Ok;
        }
        var fields = columns.Select(c => schema.Find(c)!).ToList();
        var rows = records.Select(r => fields.Select(f => f.Format(f.Get(r))).ToArray()).ToList();
        Table(context, fields.Select(f => f.Name).ToArray(), rows);
        context.Say($"{rows.Count} {Plural(schema.Entity, rows.Count)}.");
        return CliApp.Ok;
    }

    /// <summary>The columns a person asked for with --columns (checked against the schema), else <paramref name="defaults"/>.</summary>
    public static IReadOnlyList<string> Columns<T>(RecordSchema<T> schema, string? asked, IReadOnlyList<string> defaults)
        where T : class
    {
        if (string.IsNullOrWhiteSpace(asked))
        {
            return defaults;
        }
        var names = asked.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = names.Where(n => schema.Find(n) is null).ToList();
        if (unknown.Count > 0)
        {
            throw new UserError("--columns", null,
                $"{string.Join(", ", unknown.Select(u => $"'{u}'"))} {(unknown.Count == 1 ? "is not a field" : "are not fields")}; the fields are {string.Join(", ", schema.Fields.Select(f => f.Name))}");
        }
        return [.. names.Select(n => schema.Find(n)!.Name)];
    }

    /// <summary>Prints one record: every field as "name  value", or as a JSON object.</summary>
    public static int Show<T>(CliContext context, RecordSchema<T> schema, T record, IReadOnlyDictionary<string, object?>? extra = null)
        where T : class
    {
        if (context.Value(Json))
        {
            using var json = Core.Exchange.Exporter.OpenJson(context.Stdout);
            schema.WriteJson(json, record);
            json.Flush();
            context.Stdout.Write("\n"u8);
            return CliApp.Ok;
        }
        var rows = schema.Fields.Select(f => new[] { f.Name, f.Format(f.Get(record)) }).ToList();
        rows.AddRange((extra ?? new Dictionary<string, object?>()).Select(e => new[] { e.Key, Convert.ToString(e.Value, System.Globalization.CultureInfo.InvariantCulture) ?? "" }));
        Table(context, ["field", "value"], rows);
        return CliApp.Ok;
    }

    /// <summary>Prints one JSON document on stdout (web conventions: camelCase names).</summary>
    public static int Document(CliContext context, object value)
    {
        using var json = Core.Exchange.Exporter.OpenJson(context.Stdout);
        System.Text.Json.JsonSerializer.Serialize(json, value, System.Text.Json.JsonSerializerOptions.Web);
        json.Flush();
        context.Stdout.Write("\n"u8);
        return CliApp.Ok;
    }

    /// <summary>
    /// Prints plain rows as a table, or as a JSON array of objects keyed by <paramref name="headers"/>;
    /// the cells of <paramref name="jsonColumns"/> hold JSON (a record, a number) and are written as
    /// JSON values, not strings.
    /// </summary>
    public static int Rows(CliContext context, string[] headers, IReadOnlyList<string?[]> rows, string noun, IReadOnlyCollection<string>? jsonColumns = null)
    {
        if (context.Value(Json))
        {
            using var json = Core.Exchange.Exporter.OpenJson(context.Stdout);
            json.WriteStartArray();
            foreach (var row in rows)
            {
                json.WriteStartObject();
                for (var i = 0; i < headers.Length; i++)
                {
                    if (row[i] is { } raw && jsonColumns?.Contains(headers[i]) == true)
                    {
                        json.WritePropertyName(headers[i]);
                        json.WriteRawValue(raw);
                    }
                    else
                    {
                        json.WriteString(headers[i], row[i]);
                    }
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.Flush();
            context.Stdout.Write("\n"u8);
        }
        else
        {
            Table(context, headers, rows);
        }
        context.Say($"{rows.Count} {Plural(noun, rows.Count)}.");
        return CliApp.Ok;
    }

    /// <summary>
    /// Prints a table on stdout that fits the terminal (long cells wrapped), or with --wide at full
    /// width with every cell on one line.
    /// </summary>
    public static void Table(CliContext context, string[] headers, IEnumerable<string?[]> rows)
    {
        var wide = context.Given("--wide");
        var cells = rows.Select(row => row.Select(cell => Clean(cell ?? "")).ToArray()).ToList();
        var natural = headers.Select((header, i) => cells.Select(r => Seen(r[i])).Append(Seen(header)).Max()).ToArray();
        var widths = wide ? natural : Fit(natural, headers, cells, context.Width);
        using var writer = context.OpenText();
        void Write(IReadOnlyList<string> row, Regex breakAt)
        {
            var wrapped = row.Select((cell, i) => (wide ? cell : Wrap(cell, widths[i], breakAt)).Split('\n')).ToArray();
            for (var line = 0; line < wrapped.Max(c => c.Length); line++)
            {
                var text = new System.Text.StringBuilder(" ");
                for (var i = 0; i < wrapped.Length; i++)
                {
                    var piece = line < wrapped[i].Length ? wrapped[i][line] : "";
                    text.Append(piece).Append(' ', Math.Max(0, widths[i] + Gap - Seen(piece)));
                }
                writer.Write(text.ToString().TrimEnd());
                writer.Write('\n');
            }
        }
        Write(headers, HeaderBreaks());
        writer.Write(new string('─', widths.Sum() + (Gap * (widths.Length - 1)) + 1));
        writer.Write('\n');
        foreach (var row in cells)
        {
            Write(row, CellBreaks());
        }
        writer.Flush();
    }

    // A cell is one line of printable text: line breaks and tabs in data become spaces, and a
    // stored timestamp reads as a date and a time to the second (--json keeps it whole).
    private static string Clean(string cell)
    {
        if (StoredTimestamp().IsMatch(cell))
        {
            return Core.Common.Timestamps.Parse(cell).ToString("yyyy-MM-dd HH:mm:ss", System.Globalization.CultureInfo.InvariantCulture);
        }
        return cell.AsSpan().IndexOfAny("\r\n\t") < 0 ? cell : string.Concat(cell.Select(c => c is '\r' or '\n' or '\t' ? ' ' : c));
    }

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")]
    private static partial Regex StoredTimestamp();

    // Spaces between columns.
    private const int Gap = 2;

    // Where a cell may break: after a space. A header: after a dash, or between the words of camelCase.
    [GeneratedRegex("(?<= )")]
    private static partial Regex CellBreaks();

    [GeneratedRegex("(?<=-)|(?<=[a-z])(?=[A-Z])")]
    private static partial Regex HeaderBreaks();

    // Widths are counted in characters as people see them (an emoji with its joiners is one), so
    // a cell is never cut inside one.
    private static int Seen(string text) => Core.Common.TextRules.Length(text);

    /// <summary>Breaks <paramref name="text"/> into lines of at most <paramref name="width"/> characters, at <paramref name="breaks"/> where it can, anywhere between two characters where it must.</summary>
    private static string Wrap(string text, int width, Regex breaks)
    {
        if (Seen(text) <= width)
        {
            return text;
        }
        var lines = new List<string>();
        var line = new System.Text.StringBuilder();
        foreach (var piece in breaks.Split(text))
        {
            var rest = new System.Globalization.StringInfo(piece);
            if (Seen(line.ToString()) + Seen(piece.TrimEnd()) > width && line.Length > 0)
            {
                lines.Add(line.ToString().TrimEnd());
                line.Clear();
            }
            while (Seen(rest.String.TrimEnd()) > width)
            {
                lines.Add(rest.SubstringByTextElements(0, width));
                rest = new System.Globalization.StringInfo(rest.SubstringByTextElements(width));
            }
            line.Append(rest.String);
        }
        if (line.Length > 0)
        {
            lines.Add(line.ToString().TrimEnd());
        }
        return string.Join('\n', lines);
    }

    /// <summary>
    /// Column widths that fit <paramref name="width"/>: the widest columns give way first, first
    /// down to their longest word (so codes, amounts and dates stay whole while long texts wrap),
    /// then further if they must (headers wrap at dashes and between camelCase words).
    /// </summary>
    private static int[] Fit(int[] natural, string[] headers, IReadOnlyList<string[]> rows, int width)
    {
        var headerFloor = headers.Select(h => HeaderBreaks().Split(h).Max(Seen)).ToArray();
        var contentFloor = headers.Select((_, i) => rows.Select(r => r[i].Split(' ').Max(Seen)).Append(4).Max()).ToArray();
        var wordFloor = contentFloor.Select((f, i) => Math.Max(f, headerFloor[i])).ToArray();
        var widths = natural.Select((n, i) => Math.Max(n, headerFloor[i])).ToArray();
        var room = width - 1 - (Gap * (widths.Length - 1));
        // First every word stays whole; then long values (addresses, JSON) break but short ones (codes,
        // amounts, dates) stay; then values give way as far as their headers' words. A header never
        // breaks inside a word: a table that cannot fit then is wider than the terminal, its values whole.
        var shortValues = contentFloor.Select((f, i) => Math.Max(headerFloor[i], Math.Min(f, 12))).ToArray();
        var headerWords = headerFloor.Select(f => Math.Max(f, 4)).ToArray();
        foreach (var floor in new[] { wordFloor, shortValues, headerWords })
        {
            if (floor == headerWords && headerWords.Sum() > room)
            {
                // Breaking codes and amounts would not make it fit: keep them whole.
                break;
            }
            while (widths.Sum() > room)
            {
                // The widest column that may still give way; none left: as narrow as this pass allows.
                var widest = -1;
                for (var i = 0; i < widths.Length; i++)
                {
                    if (widths[i] > floor[i] && (widest < 0 || widths[i] > widths[widest]))
                    {
                        widest = i;
                    }
                }
                if (widest < 0)
                {
                    break;
                }
                widths[widest]--;
            }
        }
        return widths;
    }

    public static string Plural(string noun, long count) => count == 1 ? noun : noun switch
    {
        "entry" => "entries",
        "currency" => "currencies",
        "country" => "countries",
        "territory" => "territories",
        _ => noun + "s",
    };

    /// <summary>The text with its first letter in upper case ("credit note" as "Credit note"), to start a sentence.</summary>
    public static string Capital(string text) => char.ToUpperInvariant(text[0]) + text[1..];
}
