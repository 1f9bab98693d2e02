using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;

namespace Concord.Bench;

/// <summary>
/// Where a run's time goes on the wire: every JSON-RPC request this process sends (the connector's
/// too), timed from HttpClient's own diagnostic events and summed by method. Reading a request's
/// body costs a copy, so it is on only when asked for (--profile).
/// </summary>
public sealed class HttpProfile : IObserver<DiagnosticListener>, IObserver<KeyValuePair<string, object?>>, IDisposable
{
    private readonly ConcurrentDictionary<HttpRequestMessage, (string Method, long Started)> _open = new();
    private readonly ConcurrentDictionary<string, (int Calls, long Ticks)> _totals = new();
    private readonly IDisposable _subscription;
    private readonly List<IDisposable> _listeners = [];

    public HttpProfile() => _subscription = DiagnosticListener.AllListeners.Subscribe(this);

    public void Reset() => _totals.Clear();

    /// <summary>"method: calls, seconds" lines, the costliest first.</summary>
    public IEnumerable<string> Report() =>
        _totals.OrderByDescending(t => t.Value.Ticks)
            .Select(t => $"  {t.Key}: {t.Value.Calls:N0} calls, {Stopwatch.GetElapsedTime(0, t.Value.Ticks).TotalSeconds:F2} s");

    public void OnNext(DiagnosticListener listener)
    {
        if (listener.Name == "HttpHandlerDiagnosticListener")
        {
            lock (_listeners)
            {
                _listeners.Add(listener.Subscribe(this));
            }
        }
    }

    public void OnNext(KeyValuePair<string, object?> value)
    {
        var request = value.Value?.GetType().GetProperty("Request")?.GetValue(value.Value) as HttpRequestMessage;
        if (request is null)
        {
            return;
        }
        if (value.Key == "System.Net.Http.HttpRequestOut.Start")
        {
            _open[request] = (MethodOf(request), Stopwatch.GetTimestamp());
        }
        else if (value.Key == "System.Net.Http.HttpRequestOut.Stop" && _open.TryRemove(request, out var started))
        {
            var ticks = Stopwatch.GetTimestamp() - started.Started;
            _totals.AddOrUpdate(started.Method, (1, ticks), (_, t) => (t.Calls + 1, t.Ticks + ticks));
        }
    }

    private static string MethodOf(HttpRequestMessage request)
    {
        try
        {
            using var body = JsonDocument.Parse(request.Content!.ReadAsStream());
            var method = body.RootElement.GetProperty("method").GetString() ?? "?";
            if (method.EndsWith(".search_read", StringComparison.Ordinal) && body.RootElement.GetProperty("params")[0] is { ValueKind: JsonValueKind.Array } domain)
            {
                // Which search: the first condition's field and operator tell a read-back from a page or a look-up.
                var first = domain.EnumerateArray().FirstOrDefault();
                method += first.ValueKind == JsonValueKind.Array ? $" [{first[0]} {first[1]}]" : " []";
            }
            return method;
        }
        catch (Exception error) when (error is JsonException or InvalidOperationException or KeyNotFoundException or IndexOutOfRangeException)
        {
            return "?";
        }
    }

    public void OnCompleted()
    {
    }

    public void OnError(Exception error)
    {
    }

    public void Dispose()
    {
        _subscription.Dispose();
        lock (_listeners)
        {
            _listeners.ForEach(l => l.Dispose());
        }
    }
}
