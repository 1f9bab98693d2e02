using System.CommandLine;
using System.Text.Json;
using Concord.Core.Common;
using Spectre.Console;

namespace Concord.Cli;

/// <summary>How listings and records are printed: a table or one JSON document on stdout.</summary>
public static class Output
{
    public static readonly Option<bool> Json = new("--json") { Description = "Print one JSON document on stdout" };

    /// <summary>Given to every command that has <see cref="Json"/>: tables as wide as their widest cells.</summary>
    public static readonly Option<bool> Wide = new("--wide") { Description = "Print tables at full width, each cell on one line, instead of fitting the terminal" };

    /// <summary>The width a table fits when it is not --wide and stdout is not a terminal (COLUMNS, else 80).</summary>
    public const int DefaultWidth = 80;

    /// <summary>Prints records as a table of <paramref name="columns"/>, or all fields as a JSON array, streaming.</summary>
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
            using var json = new Utf8JsonWriter(context.Stdout, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
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

    /// <summary>
    /// Prints plain rows as a table, or as a JSON array of objects keyed by <paramref name="headers"/>;
    /// the cells of <paramref name="jsonColumns"/> hold JSON and are written as JSON values, not strings.
    /// </summary>
    public static int Rows(CliContext context, string[] headers, IReadOnlyList<string?[]> rows, string noun, IReadOnlyCollection<string>? jsonColumns = null)
    {
        if (context.Value(Json))
        {
            using var json = new Utf8JsonWriter(context.Stdout, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
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
    /// What changed between two JSON objects of field values, for a person: "phone: '031 1' -> '031 2'";
    /// for a record made or removed, its values.
    /// </summary>
    public static string Changes(string? beforeJson, string? afterJson)
    {
        static Dictionary<string, string> Fields(string? json)
        {
            if (json is null)
            {
                return [];
            }
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind != JsonValueKind.Object
                ? new Dictionary<string, string> { ["value"] = document.RootElement.ToString() }
                : document.RootElement.EnumerateObject()
                    .Where(p => p.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined) && p.Value.ToString().Length > 0)
                    .ToDictionary(p => p.Name, p => p.Value.ToString(), StringComparer.Ordinal);
        }
        var before = Fields(beforeJson);
        var after = Fields(afterJson);
        if (before.Count == 0 || after.Count == 0)
        {
            return string.Join("; ", (after.Count > 0 ? after : before).Select(f => $"{f.Key}: '{f.Value}'"));
        }
        return string.Join("; ", before.Keys.Union(after.Keys)
            .Where(k => before.GetValueOrDefault(k) != after.GetValueOrDefault(k))
            .Select(k => $"{k}: '{before.GetValueOrDefault(k) ?? ""}' -> '{after.GetValueOrDefault(k) ?? ""}'"));
    }

    /// <summary>
    /// Prints a table on stdout that fits the terminal (long cells wrapped), or with --wide at full
    /// width with every cell on one line.
    /// </summary>
    public static void Table(CliContext context, string[] headers, IEnumerable<string?[]> rows)
    {
        var wide = context.Parse.GetResult(Wide) is { } given && given.GetValueOrDefault<bool>();
        var materialised = rows.ToList();
        var natural = headers.Select((header, i) => materialised.Select(r => (r[i] ?? "").Length).Append(header.Length).Max()).ToArray();
        using var rendered = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(rendered),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        // --wide: room for every cell on one line (two cells a character, for wide scripts).
        console.Profile.Width = wide ? natural.Sum(n => (2 * n) + 3) + 4 : context.Width;
        var unwrapped = wide ? [.. Enumerable.Range(0, headers.Length)] : ShortColumns(natural, context.Width);
        var table = new Table().Border(TableBorder.Simple);
        for (var i = 0; i < headers.Length; i++)
        {
            var column = new TableColumn(Markup.Escape(headers[i]));
            table.AddColumn(unwrapped.Contains(i) ? column.NoWrap().Width(natural[i]) : column);
        }
        foreach (var row in materialised)
        {
            table.AddRow(row.Select(cell => new Text(cell ?? "")).ToArray<Spectre.Console.Rendering.IRenderable>());
        }
        console.Write(table);
        using var writer = context.OpenText();
        // Spectre pads every line to the table's width and starts with the border's blank line: neither is data.
        foreach (var line in rendered.ToString().Split('\n').Select(l => l.TrimEnd()).SkipWhile(l => l.Length == 0))
        {
            writer.Write(line);
            writer.Write('\n');
        }
        writer.Flush();
    }

    /// <summary>
    /// The columns kept on one line: the narrowest first (codes, dates, who), as long as each
    /// column after it keeps room for 10 characters to wrap long text in.
    /// </summary>
    private static HashSet<int> ShortColumns(int[] natural, int width)
    {
        var kept = new HashSet<int>();
        var used = 4;
        var order = Enumerable.Range(0, natural.Length).OrderBy(i => natural[i]).ToList();
        for (var k = 0; k < order.Count; k++)
        {
            var i = order[k];
            if (used + natural[i] + 3 + ((order.Count - k - 1) * 13) > width)
            {
                break;
            }
            kept.Add(i);
            used += natural[i] + 3;
        }
        return kept;
    }

    public static string Plural(string noun, long count) => count == 1 ? noun : noun switch
    {
        "entry" => "entries",
        "currency" => "currencies",
        "country" => "countries",
        "territory" => "territories",
        _ => noun + "s",
    };
}
