using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Concord.Cli;

/// <summary>
/// `--server URL`: the command runs on a Concord server, on its store, as the user of the API key in
/// CONCORD_API_KEY (U3, U4), so that roles hold for people who do not own the store. What the server's
/// run prints is printed here, with its exit code; a server that cannot be reached or a refused key
/// is told in one line, exit 1.
/// </summary>
public static class RemoteClient
{
    /// <summary>A command for the server: its words (without --server), the address as typed (for hints) and the width to fit tables to.</summary>
    public sealed record Request(string[] Args, string Server, int Width);

    /// <summary>What the command printed on the server, and its exit code.</summary>
    public sealed record Answer(int Exit, string Stdout, string Stderr);

    public const string Path = "/api/cli";

    private const string RelativePath = "api/cli";

    public static int Run(string server, string[] args, Stream stdout, TextWriter stderr, int? width)
    {
        if (Environment.GetEnvironmentVariable(GlobalOptions.ApiKeyVariable) is not { Length: > 0 } key)
        {
            stderr.WriteLine($"error: --server: the API key is read from {GlobalOptions.ApiKeyVariable}, which is not set; a supervisor makes one with '{Core.Common.CommandHint.For("keys add NAME --role clerk")}' where the store is");
            return CliApp.Failed;
        }
        if (!Uri.TryCreate(server, UriKind.Absolute, out var address) || address.Scheme is not ("http" or "https"))
        {
            stderr.WriteLine($"error: --server: '{server}' is not a web address such as http://127.0.0.1:5080");
            return CliApp.Failed;
        }
        // Relative to the address as given, so that a server behind a path prefix (https://host/concord) is reached there.
        using var http = new HttpClient { BaseAddress = address.AbsoluteUri.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/"), Timeout = Timeout.InfiniteTimeSpan };
        http.DefaultRequestHeaders.Add(Web.ApiKeyAuthentication.Header, key);
        var request = new Request(Without(args), server, width is > 0 ? width.Value
            : int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0 ? columns : Output.DefaultWidth);
        HttpResponseMessage response;
        try
        {
            response = http.PostAsJsonAsync(RelativePath, request).GetAwaiter().GetResult();
        }
        catch (HttpRequestException error)
        {
            stderr.WriteLine($"error: cannot reach the Concord server at {server}: {error.Message}");
            stderr.WriteLine($"To fix: start it where the store is ('{Core.Common.CommandHint.For("serve")}'), or check the address.");
            return CliApp.Failed;
        }
        using (response)
        {
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                stderr.WriteLine($"error: the server at {server} refused the API key in {GlobalOptions.ApiKeyVariable}: it is unknown or was revoked");
                return CliApp.Failed;
            }
            string body;
            Answer? answer;
            try
            {
                body = response.Content.ReadAsStringAsync().GetAwaiter().GetResult();
                answer = response.IsSuccessStatusCode ? JsonSerializer.Deserialize<Answer>(body, JsonSerializerOptions.Web) : null;
            }
            catch (Exception error) when (error is JsonException or HttpRequestException or IOException)
            {
                stderr.WriteLine($"error: the answer from {server} is not a Concord server's ({error.Message}); check the address");
                return CliApp.Failed;
            }
            if (!response.IsSuccessStatusCode || answer is null)
            {
                stderr.WriteLine($"error: the server at {server} answered {(int)response.StatusCode}: {Detail(body) ?? response.ReasonPhrase}");
                return CliApp.Failed;
            }
            stderr.Write(answer.Stderr);
            var bytes = System.Text.Encoding.UTF8.GetBytes(answer.Stdout);
            stdout.Write(bytes);
            stdout.Flush();
            return answer.Exit;
        }
    }

    /// <summary>The command's words without --server and its address (the server runs them on its own store).</summary>
    private static string[] Without(string[] args)
    {
        var kept = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--server")
            {
                i++;
                continue;
            }
            if (!args[i].StartsWith("--server=", StringComparison.Ordinal))
            {
                kept.Add(args[i]);
            }
        }
        return [.. kept];
    }

    private static string? Detail(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.TryGetProperty("detail", out var detail) ? detail.GetString() : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
