using System.CommandLine;
using System.Text.Json;
using Concord.Core.Common;
using Spectre.Console;

namespace Concord.Cli;

/// <summary>How listings and records are printed: a table or one JSON document on stdout.</summary>
public static class Output
{
    /// <summary>A new --json option for a command (see <see cref="GlobalOptions"/> for why not one shared instance).</summary>
    public static Option<bool> Json => new("--json") { Description = "Print one JSON document on stdout" };

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

    /// <summary>Prints plain rows as a table, or as a JSON array of objects keyed by <paramref name="headers"/>.</summary>
    public static int Rows(CliContext context, string[] headers, IReadOnlyList<string?[]> rows, string noun)
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
                    json.WriteString(headers[i], row[i]);
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

    public static void Table(CliContext context, string[] headers, IEnumerable<string?[]> rows)
    {
        using var writer = context.OpenText();
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 240;
        var table = new Table().Border(TableBorder.Simple);
        foreach (var header in headers)
        {
            table.AddColumn(new TableColumn(Markup.Escape(header)).NoWrap());
        }
        foreach (var row in rows)
        {
            table.AddRow(row.Select(cell => new Text(cell ?? "")).ToArray<Spectre.Console.Rendering.IRenderable>());
        }
        console.Write(table);
        writer.Flush();
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
