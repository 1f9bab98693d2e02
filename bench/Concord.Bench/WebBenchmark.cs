using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Concord.Core;
using Concord.Core.Common;
using Concord.Core.Operational;
using Concord.Core.Users;
using Concord.Store;
using Concord.Web;

namespace Concord.Bench;

/// <summary>
/// The customer listing at N customers (issue 11): the first page and a page deep in the sort, by
/// the API and by the screen, time to first byte against the raw SQL for the same page in the same
/// run; then requests per second for the listing API with 50 concurrent clients on loopback.
/// </summary>
public static class WebBenchmark
{
    private const int Repeats = 15;

    /// <summary>Requests (and queries) made before measuring: a server that has answered a few hundred requests runs optimised code (tiered compilation), as one in use does.</summary>
    private const int WarmUp = 200;
    private const int PageSize = 50;

    public static int Run(int n)
    {
        var work = Path.Combine(Path.GetTempPath(), "concord-webbench-" + Guid.NewGuid().ToString("N"));
        try
        {
            var database = Database.Create(work, null, TimeProvider.System);
            var users = new UserDirectory(database, TimeProvider.System);
            var admin = new Session(database, users.Resolve(users.EnsureFirstUser()), TimeProvider.System);
            new SiteService(admin).Add("BENCH", "Benchmark");
            var fill = Stopwatch.StartNew();
            SyncData.Fill(database, n, "BENCH");
            Console.WriteLine($"# Concord web benchmark: {n:N0} customers (written in {fill.Elapsed.TotalSeconds:F1} s), {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            var key = new SignIn(database, TimeProvider.System).CreateKey(admin, "bench", Role.Viewer);
            var url = $"http://127.0.0.1:{FreePort()}";
            var app = WebServer.StartAsync(database, TimeProvider.System, url, CancellationToken.None).GetAwaiter().GetResult();
            using var client = new HttpClient { BaseAddress = new Uri(url) };
            client.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, key);

            var deep = n / PageSize / 2;
            // The floor of the HTTP stack on this machine: a small answer that reads nothing from the store.
            var (floor, _) = Http(client, "/site.css");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"http | time to first byte of /site.css (no store, no sign-in): {floor:F2} ms; median of {Repeats}"));
            var (signedIn, _) = Http(client, "/api/me");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"http | time to first byte of /api/me (the API key checked, no store): {signedIn:F2} ms; median of {Repeats}"));
            foreach (var (label, path, sort, page) in new[]
            {
                ("API, first page by code", "/api/customers", "code", 1),
                ("API, page " + deep.ToString("N0", CultureInfo.InvariantCulture) + " by name", "/api/customers", "name", deep),
                ("screen, first page by code", "/customers", "code", 1),
                ("screen, page " + deep.ToString("N0", CultureInfo.InvariantCulture) + " by name", "/customers", "name", deep),
            })
            {
                var query = path.StartsWith("/api", StringComparison.Ordinal)
                    ? $"{path}?site=BENCH&sort={sort}&page={page}&pageSize={PageSize}"
                    : $"{path}?site=BENCH&sort={sort}&p={page}";
                var (firstByte, whole) = Http(client, query);
                var raw = Raw(database, sort, page);
                var core = Core(admin, sort, page);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"listing | {label}: time to first byte {firstByte:F2} ms (whole answer {whole:F2} ms), raw SQL for the page {raw:F2} ms: {firstByte / raw:F2}x (target <= 2x); " +
                    $"the listing in Core without HTTP {core:F2} ms; medians of {Repeats}"));
            }

            var (requests, seconds, failures) = Load(url, key, "/api/customers?site=BENCH&page=1", clients: 50, TimeSpan.FromSeconds(10));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"load | 50 clients on /api/customers (first page), {seconds:F1} s: {requests:N0} answers, {requests / seconds:N0} requests/s, {failures} failed"));
            app.StopAsync().GetAwaiter().GetResult();
            return failures == 0 ? 0 : 1;
        }
        finally
        {
            if (Directory.Exists(work))
            {
                Directory.Delete(work, recursive: true);
            }
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Medians of the time to the answer's headers and to its last byte, after one warm-up request.</summary>
    private static (double FirstByte, double Whole) Http(HttpClient client, string query)
    {
        var firsts = new List<double>();
        var wholes = new List<double>();
        for (var i = 0; i < WarmUp + Repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            using var response = client.GetAsync(query, HttpCompletionOption.ResponseHeadersRead).GetAwaiter().GetResult();
            var first = watch.Elapsed.TotalMilliseconds;
            response.EnsureSuccessStatusCode();
            response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
            if (i >= WarmUp)
            {
                (firsts, wholes) = ([.. firsts, first], [.. wholes, watch.Elapsed.TotalMilliseconds]);
            }
        }
        return (Median(firsts), Median(wholes));
    }

    /// <summary>The same page from Core's listing, in this process: what the store and the records cost without HTTP, sign-in or JSON.</summary>
    private static double Core(Session session, string sort, int page)
    {
        var times = new List<double>();
        for (var i = 0; i < WarmUp + Repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            CustomerListing.Page(session, new ListingQuery("BENCH", null, sort, false, false, page, PageSize));
            if (i >= WarmUp)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        return Median(times);
    }

    /// <summary>The same page straight from the store: the listing's own query, every column read, no count.</summary>
    private static double Raw(Database database, string sort, int page)
    {
        var order = sort == "code" ? "code_key ASC" : "COALESCE(UPPER(name), '') ASC, code_key ASC";
        var sql = $"SELECT {OperationalCustomer.Schema.SelectColumns} FROM customers WHERE site = @site AND active ORDER BY {order} LIMIT {PageSize} OFFSET {(long)(page - 1) * PageSize}";
        var times = new List<double>();
        for (var i = 0; i < WarmUp + Repeats; i++)
        {
            var watch = Stopwatch.StartNew();
            using var connection = database.OpenConnection();
            using var command = Sql.Command(connection, null, sql, ("site", "BENCH"));
            using var reader = command.ExecuteReader();
            var values = new object[reader.FieldCount];
            while (reader.Read())
            {
                reader.GetValues(values);
            }
            if (i >= WarmUp)
            {
                times.Add(watch.Elapsed.TotalMilliseconds);
            }
        }
        return Median(times);
    }

    private static (long Requests, double Seconds, long Failures) Load(string url, string key, string query, int clients, TimeSpan duration)
    {
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = clients };
        using var client = new HttpClient(handler) { BaseAddress = new Uri(url) };
        client.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, key);
        long requests = 0, failures = 0;
        var watch = Stopwatch.StartNew();
        var tasks = Enumerable.Range(0, clients).Select(async _ =>
        {
            while (watch.Elapsed < duration)
            {
                using var response = await client.GetAsync(query);
                await response.Content.ReadAsByteArrayAsync();
                Interlocked.Increment(ref response.IsSuccessStatusCode ? ref requests : ref failures);
            }
        }).ToArray();
        Task.WaitAll(tasks);
        return (requests, watch.Elapsed.TotalSeconds, failures);
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values[values.Count / 2];
    }
}
