using System.Text.Json;
using Concord.Core.Common;

namespace Concord.Web;

/// <summary>Records as the API sends and takes them: every field of a schema as JSON, and a body's values as the text the rules check (null clears a field, as an empty value does on the command line).</summary>
public static class ApiJson
{
    /// <summary>A record with every field of its schema, as the command line's --json writes it.</summary>
    public static JsonElement Of<T>(RecordSchema<T> schema, T record)
        where T : class
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            schema.WriteJson(writer, record);
        }
        using var document = JsonDocument.Parse(buffer.WrittenMemory);
        return document.RootElement.Clone();
    }

    /// <summary>Stored JSON (an audit entry's before or after) as JSON, or null.</summary>
    public static JsonElement? Parsed(string? json)
    {
        if (json is null)
        {
            return null;
        }
        using var document = JsonDocument.Parse(json);
        return document.RootElement.ValueKind == JsonValueKind.Null ? null : document.RootElement.Clone();
    }

    /// <summary>A body's fields as the text the command line takes: strings, numbers and true/false; null clears a field.</summary>
    public static Dictionary<string, string?> Fields(string record, Dictionary<string, JsonElement> values)
    {
        var fields = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in values)
        {
            if (!fields.TryAdd(name, Text(record, name, value)))
            {
                throw new UserError(record, name, "is given twice (names are read without regard to case)");
            }
        }
        return fields;
    }

    private static string? Text(string record, string field, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => "",
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        _ => throw new UserError(record, field, "is an object or a list; give text, a number, true or false"),
    };
}
