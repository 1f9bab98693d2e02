using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Concord.Core.Connectors;

namespace Concord.Connectors.Tryton;

/// <summary>
/// Tryton's JSON-RPC (6.0) over HTTP: one session per client, model calls with the user's
/// context, and every way a call can fail turned into Concord's errors — the system unreachable
/// or refusing us (S14), a write whose answer never came (S19), or Tryton refusing the data
/// (<see cref="TrytonRefusal"/>). No message ever carries the password.
/// </summary>
public sealed class TrytonClient : IDisposable
{
    private const string LoginMethod = "common.db.login";

    private readonly TrytonOptions _options;
    private readonly HttpClient _http;
    private readonly SemaphoreSlim _login = new(1, 1);
    private AuthenticationHeaderValue? _session;
    private JsonObject _context = [];
    private long _requestId;

    public TrytonClient(TrytonOptions options)
    {
        _options = options;
        // A server that is not there fails in seconds; a slow answer gets the whole time-out.
        _http = new HttpClient(new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10) })
        {
            BaseAddress = options.DatabaseUrl,
            Timeout = options.Timeout,
        };
    }

    /// <summary>"Tryton at URL": how every message names the server (never with the password).</summary>
    public string Where => $"Tryton at {_options.Url} (database {_options.Database})";

    /// <summary>The user's preferences as Tryton's own client sends them with each call (company, language).</summary>
    public async Task<JsonObject> ContextAsync(CancellationToken cancellation)
    {
        await LoginAsync(cancellation);
        return _context;
    }

    /// <summary>model.MODEL.METHOD(args..., context). <paramref name="writes"/>: a time-out leaves it uncertain (S19).</summary>
    public async Task<JsonNode?> ModelAsync(string model, string method, bool writes, CancellationToken cancellation, params JsonNode?[] args)
    {
        var context = await ContextAsync(cancellation);
        return await CallAsync($"model.{model}.{method}", [.. args.Select(a => a?.DeepClone()), context.DeepClone()], writes, cancellation);
    }

    /// <summary>search_read over a domain; <paramref name="inactive"/> includes archived records.</summary>
    public async Task<JsonArray> SearchReadAsync(string model, JsonArray domain, int offset, int? limit, JsonArray? order, IEnumerable<string> fields, bool inactive, CancellationToken cancellation)
    {
        var context = (JsonObject)(await ContextAsync(cancellation)).DeepClone();
        if (inactive)
        {
            context["active_test"] = false;
        }
        var result = await CallAsync($"model.{model}.search_read",
            [domain.DeepClone(), offset, limit, order?.DeepClone(), new JsonArray([.. fields.Select(f => (JsonNode)f)]), context], writes: false, cancellation);
        return result as JsonArray ?? [];
    }

    private async Task LoginAsync(CancellationToken cancellation)
    {
        if (_session is not null)
        {
            return;
        }
        await _login.WaitAsync(cancellation);
        try
        {
            if (_session is not null)
            {
                return;
            }
            var result = await SendAsync(LoginMethod, [_options.User, new JsonObject { ["password"] = _options.Password }, "en"], writes: false, login: true, cancellation)
                ?? throw Unavailable("answered the login with nothing", "check that the URL is a Tryton server");
            var token = $"{_options.User}:{result[0]}:{result[1]}";
            _session = new AuthenticationHeaderValue("Session", Convert.ToBase64String(Encoding.UTF8.GetBytes(token)));
            _context = await SendAsync("model.res.user.get_preferences", [true, new JsonObject()], writes: false, login: false, cancellation) as JsonObject ?? [];
        }
        finally
        {
            _login.Release();
        }
    }

    private async Task<JsonNode?> CallAsync(string method, JsonArray parameters, bool writes, CancellationToken cancellation)
    {
        try
        {
            return await SendAsync(method, parameters, writes, login: false, cancellation);
        }
        catch (SessionExpired)
        {
            // Tryton checks the session before it runs anything: calling again after a new login is safe, even for a write.
            _session = null;
            await LoginAsync(cancellation);
            return await SendAsync(method, parameters, writes, login: false, cancellation);
        }
    }

    private async Task<JsonNode?> SendAsync(string method, JsonArray parameters, bool writes, bool login, CancellationToken cancellation)
    {
        var body = new JsonObject { ["id"] = Interlocked.Increment(ref _requestId), ["method"] = method, ["params"] = parameters };
        using var request = new HttpRequestMessage(HttpMethod.Post, "")
        {
            Content = new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"),
        };
        request.Headers.Authorization = login ? null : _session;
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellation);
        }
        catch (TaskCanceledException error) when (!cancellation.IsCancellationRequested)
        {
            var seconds = _options.Timeout.TotalSeconds.ToString(CultureInfo.InvariantCulture);
            if (writes)
            {
                throw new UncertainWriteException($"{Where} did not answer {method} within {seconds} s: the write may or may not have happened; read the records back before writing them again", error);
            }
            throw Unavailable($"did not answer within {seconds} s", "check that trytond is running and not overloaded, then run the sync again; nothing was written", error);
        }
        catch (HttpRequestException error)
        {
            throw Unavailable($"cannot be reached ({error.Message})", $"start trytond or correct url= of the connection ({_options.Url}); nothing was written", error);
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                if (!login)
                {
                    throw new SessionExpired();
                }
                throw Unavailable($"refused the login of user '{_options.User}'",
                    $"check password= of the connection for user '{_options.User}', and in Tryton that the user exists, is active and may log in");
            }
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                throw Unavailable($"refuses logins of user '{_options.User}' for now after too many failed attempts",
                    "correct password= of the connection and wait a few minutes before the next run");
            }
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw NoDatabase(response.ReasonPhrase);
            }
            if (!response.IsSuccessStatusCode)
            {
                throw Unavailable($"answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}", "check url= of the connection and trytond's log");
            }
            var answer = JsonNode.Parse(await response.Content.ReadAsStreamAsync(cancellation)) as JsonObject
                ?? throw Unavailable("answered something that is not JSON-RPC", "check that url= of the connection points to trytond");
            if (answer["error"] is JsonArray fault)
            {
                throw Fault(method, fault);
            }
            return answer["result"];
        }
    }

    // Tryton answers ["UserError", [message, description, domain]] for what a person must correct
    // (AccessError is a UserError too), [text, traceback] for a failure of the server.
    private Exception Fault(string method, JsonArray fault)
    {
        if (fault[0]?.GetValue<string>() is "UserError" or "ConcurrencyException" && fault[1] is JsonNode details)
        {
            var text = details is JsonArray parts
                ? string.Join(" ", parts.Take(2).Select(p => p?.ToString()).Where(p => !string.IsNullOrWhiteSpace(p)))
                : details.ToString();
            const string AccessPrefix = "You are not allowed to access ";
            if (text.StartsWith(AccessPrefix, StringComparison.Ordinal))
            {
                var what = text[AccessPrefix.Length..].TrimEnd('.', ' ');
                return Unavailable($"does not let user '{_options.User}' access {what} ({method})",
                    $"in Tryton, give user '{_options.User}' a group with access to {what} (Administration > Users > Groups; the credit limit needs the group 'Credit Limit'), then run the sync again");
            }
            return new TrytonRefusal(text);
        }
        var first = fault[0]?.ToString().Split('\n')[0].Trim() ?? "an unknown error";
        if (method == LoginMethod)
        {
            // trytond on SQLite answers a login to a database it cannot open with a server error, on PostgreSQL with 404.
            return NoDatabase(first);
        }
        return Unavailable($"failed in {method}: {first}", "see trytond's log; nothing of this call was written");
    }

    private ConnectorUnavailableException NoDatabase(string? detail) =>
        Unavailable($"cannot open the database ({detail})", "correct database= of the connection, or create the database in Tryton");

    private ConnectorUnavailableException Unavailable(string what, string remedy, Exception? inner = null) =>
        new($"{Where} {what}", remedy, inner);

    public void Dispose()
    {
        _http.Dispose();
        _login.Dispose();
    }

    private sealed class SessionExpired : Exception;
}

/// <summary>Tryton refused the data of a call (a UserError: a value it does not accept); nothing of the call was written.</summary>
public sealed class TrytonRefusal(string message) : Exception(message);

/// <summary>Tryton's JSON forms of values JSON has no type for.</summary>
public static class TrytonJson
{
    public static JsonObject Decimal(decimal value) =>
        new() { ["__class__"] = "Decimal", ["decimal"] = value.ToString(CultureInfo.InvariantCulture) };

    public static JsonObject DateTime(DateTime value) =>
        new()
        {
            ["__class__"] = "datetime", ["year"] = value.Year, ["month"] = value.Month, ["day"] = value.Day,
            ["hour"] = value.Hour, ["minute"] = value.Minute, ["second"] = value.Second, ["microsecond"] = (int)(value.Ticks % TimeSpan.TicksPerSecond / 10),
        };

    public static decimal? ToDecimal(JsonNode? node) =>
        node is JsonObject o && o["decimal"] is JsonNode d ? decimal.Parse(d.GetValue<string>(), NumberStyles.Float, CultureInfo.InvariantCulture) : null;

    /// <summary>A Tryton timestamp (naive, UTC: trytond runs in UTC).</summary>
    public static DateTime? ToDateTime(JsonNode? node) =>
        node is JsonObject o && o["year"] is not null
            ? new DateTime(Int(o["year"]), Int(o["month"]), Int(o["day"]), Int(o["hour"]), Int(o["minute"]), Int(o["second"]), DateTimeKind.Utc)
                .AddTicks(Int(o["microsecond"]) * 10L)
            : null;

    /// <summary>Tryton's booleans come back as true/false or, from SQLite, 1/0.</summary>
    public static bool ToBool(JsonNode? node) =>
        node is JsonValue v && (v.TryGetValue<bool>(out var b) ? b : v.TryGetValue<int>(out var i) && i != 0);

    public static string? ToText(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<string>(out var s) && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    private static int Int(JsonNode? node) => node?.GetValue<int>() ?? 0;
}
