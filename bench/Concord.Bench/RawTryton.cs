using System.Buffers;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Concord.Bench;

/// <summary>
/// The baseline's Tryton client: a plain HttpClient, each request written by hand with a
/// Utf8JsonWriter, each answer parsed once with JsonDocument. None of the connector's code.
/// </summary>
public sealed class RawTryton : IDisposable
{
    private readonly HttpClient _http;
    private string _context = "{}";

    public RawTryton(Uri url, string database, string user, string password)
    {
        _http = new HttpClient { BaseAddress = new Uri($"{url.AbsoluteUri.TrimEnd('/')}/{database}/"), Timeout = TimeSpan.FromMinutes(10) };
        using var login = Call(w =>
        {
            w.WriteStringValue("common.db.login");
            w.WritePropertyName("params");
            w.WriteStartArray();
            w.WriteStringValue(user);
            w.WriteStartObject();
            w.WriteString("password", password);
            w.WriteEndObject();
            w.WriteStringValue("en");
            w.WriteEndArray();
        });
        var result = login.RootElement.GetProperty("result");
        var token = $"{user}:{result[0].GetInt32()}:{result[1].GetString()}";
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Session", Convert.ToBase64String(Encoding.UTF8.GetBytes(token)));
        using var preferences = Call(w =>
        {
            w.WriteStringValue("model.res.user.get_preferences");
            w.WritePropertyName("params");
            w.WriteStartArray();
            w.WriteBooleanValue(true);
            w.WriteStartObject();
            w.WriteEndObject();
            w.WriteEndArray();
        });
        _context = preferences.RootElement.GetProperty("result").GetRawText();
    }

    /// <summary>model.MODEL.METHOD(args..., context): <paramref name="args"/> writes the arguments before the user's context.</summary>
    public JsonDocument Model(string model, string method, Action<Utf8JsonWriter> args, bool activeTest = true) =>
        Call(w =>
        {
            w.WriteStringValue($"model.{model}.{method}");
            w.WritePropertyName("params");
            w.WriteStartArray();
            args(w);
            if (activeTest)
            {
                w.WriteRawValue(_context);
            }
            else
            {
                // The context with active_test false: archived records too.
                w.WriteRawValue(_context.TrimEnd().TrimEnd('}').TrimEnd() + (_context.Trim() == "{}" ? "" : ",") + "\"active_test\": false}");
            }
            w.WriteEndArray();
        });

    private JsonDocument Call(Action<Utf8JsonWriter> method)
    {
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteNumber("id", 1);
            w.WritePropertyName("method");
            method(w);
            w.WriteEndObject();
        }
        using var content = new ByteArrayContent(buffer.WrittenMemory.ToArray());
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = _http.PostAsync("", content).GetAwaiter().GetResult();
        response.EnsureSuccessStatusCode();
        using var stream = response.Content.ReadAsStream();
        var answer = JsonDocument.Parse(stream);
        if (answer.RootElement.TryGetProperty("error", out var error) && error.ValueKind != JsonValueKind.Null)
        {
            var text = error.GetRawText();
            answer.Dispose();
            throw new InvalidOperationException($"Tryton refused the call: {text[..Math.Min(text.Length, 500)]}");
        }
        return answer;
    }

    public void Dispose() => _http.Dispose();
}
