using System.Text.Json;
using Concord.Core.Common;

namespace Concord.Core.Exchange;

/// <summary>Writes records as CSV (every field; import ignores the system ones; formulas defused by <see cref="CsvFormat.Defuse"/>) or as one JSON array (every field), streaming.</summary>
public static class Exporter
{
    /// <summary>Rows between two progress reports.</summary>
    private const int ProgressEvery = 10_000;

    public static int WriteCsv<T>(RecordSchema<T> schema, IEnumerable<T> records, Stream output, IProgress<ProgressStep>? progress = null)
        where T : class
    {
        var fields = schema.Fields.ToList();
        using var csv = CsvFormat.OpenWriter(output);
        csv.WriteRecord([.. fields.Select(f => f.Name)]);
        var count = 0;
        var cells = new string[fields.Count];
        foreach (var record in records)
        {
            for (var i = 0; i < fields.Count; i++)
            {
                cells[i] = CsvFormat.Defuse(fields[i].Format(fields[i].Get(record)));
            }
            csv.WriteRecord(cells);
            if (++count % ProgressEvery == 0)
            {
                progress?.Report(new ProgressStep(count, null, "rows written"));
            }
        }
        csv.Flush();
        return count;
    }

    /// <summary>The one way Concord writes a JSON document for people and scripts: indented, non-ASCII text as it is.</summary>
    public static Utf8JsonWriter OpenJson(Stream output) =>
        new(output, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    public static int WriteJson<T>(RecordSchema<T> schema, IEnumerable<T> records, Stream output, IProgress<ProgressStep>? progress = null)
        where T : class
    {
        using var json = OpenJson(output);
        json.WriteStartArray();
        var count = 0;
        foreach (var record in records)
        {
            schema.WriteJson(json, record);
            if (++count % 1000 == 0)
            {
                json.Flush();
                if (count % ProgressEvery == 0)
                {
                    progress?.Report(new ProgressStep(count, null, "rows written"));
                }
            }
        }
        json.WriteEndArray();
        json.Flush();
        return count;
    }
}
