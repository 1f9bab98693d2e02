using System.CommandLine;
using Concord.Core.Common;
using Concord.Core.Sync.Scheduling;
using Concord.Web;

namespace Concord.Cli;

/// <summary>`concord serve`: the long-running worker that posts accounts and runs schedules.</summary>
public static class ServeCommand
{
    public static IEnumerable<Command> Build(Action<Command, Func<CliContext, int>> bind)
    {
        var poll = new Option<double>("--poll") { Description = "Seconds between looks for work (default 1)", DefaultValueFactory = _ => 1.0 };
        poll.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && (!double.TryParse(result.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out var seconds)
                || !double.IsFinite(seconds) || seconds < 0.1 || seconds > 86_400))
            {
                result.AddError("--poll takes a number of seconds from 0.1 to 86400");
            }
        });
        var once = new Option<bool>("--once") { Description = "Do what is due now, then stop (no web app)" };
        var urls = new Option<string>("--urls") { Description = $"Where the web app and API listen (default {ConcordWeb.DefaultUrl})", DefaultValueFactory = _ => ConcordWeb.DefaultUrl };
        var noWeb = new Option<bool>("--no-web") { Description = "Run the sync worker only, without the web app and API" };
        var serve = new Command("serve", "Serve the web app and API, post accounts at once and run connections on their schedules") { poll, once, urls, noWeb };
        bind(serve, context => Serve(context, TimeSpan.FromSeconds(context.Value(poll)), context.Value(once),
            context.Value(once) || context.Value(noWeb) ? null : context.Value(urls)));
        yield return serve;
    }

    /// <summary>
    /// The worker loop until Ctrl-C (or one round with <paramref name="once"/>), with the web app on
    /// <paramref name="urls"/> unless null; <paramref name="started"/> runs once both are up.
    /// </summary>
    public static int Serve(CliContext context, TimeSpan interval, bool once, string? urls, Action? started = null)
    {
        using var stop = new StopSignals();
        var worker = new SyncWorker(context.Session) { Stop = stop.Token };
        var web = urls is null ? null : Listen(context, urls, stop.Token);
        try
        {
            if (web is not null)
            {
                context.Say($"concord serve: the web app and API on {urls}");
            }
            context.Say($"concord serve: watching {context.Database.Dialect.Describe()} every {interval.TotalSeconds:0.#} s (Ctrl-C stops).");
            started?.Invoke();
            do
            {
                foreach (var happened in worker.Tick())
                {
                    context.Say(happened.Report is { } report
                        ? $"{happened.Connection} ({happened.Mode}): run {report.RunId} {report.Status}: {report.Created} created, {report.Updated} updated, {report.Linked} linked, {report.Errors} errors."
                          + (report.Message is { } message && report.Errors == 0 ? $" {message}." : "")
                        : $"{happened.Connection} ({happened.Mode}): {happened.Problem}");
                    // Refused records are reported and wait in the inbox; the worker goes on serving.
                    foreach (var error in happened.Report?.ErrorList ?? [])
                    {
                        context.Say($"  error: {error.Record}{(error.Field is null ? "" : " " + error.Field)}: {error.Reason}");
                    }
                }
                if (once)
                {
                    break;
                }
                stop.Token.WaitHandle.WaitOne(interval);
            }
            while (!stop.Stopped);
        }
        finally
        {
            if (web is not null)
            {
                using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                web.StopAsync(grace.Token).GetAwaiter().GetResult();
                web.DisposeAsync().AsTask().GetAwaiter().GetResult();
            }
        }
        context.Say("concord serve: stopped.");
        return CliApp.Ok;
    }

    private static Microsoft.AspNetCore.Builder.WebApplication Listen(CliContext context, string urls, CancellationToken cancellation)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // A host name other than localhost would make the server listen on every interface: an address must be said as one.
            if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")
                || uri.HostNameType is not (UriHostNameType.IPv4 or UriHostNameType.IPv6) && !uri.IsLoopback || uri.AbsolutePath != "/")
            {
                throw new UserError("web app", "urls", $"'{url}' is not an address to listen on; give http://IP:PORT, e.g. {ConcordWeb.DefaultUrl} (this machine only) or http://0.0.0.0:5080 (every interface)");
            }
        }
        try
        {
            return WebServer.StartAsync(context.Database, context.Clock, urls, cancellation).GetAwaiter().GetResult();
        }
        catch (IOException error) when (error.InnerException is Microsoft.AspNetCore.Connections.AddressInUseException)
        {
            throw new UserError("web app", "urls", $"cannot listen on {urls}: another program (another Concord server?) listens there already; stop it or choose another address with --urls");
        }
        catch (Exception error) when (error is IOException or System.Net.Sockets.SocketException)
        {
            throw new UserError("web app", "urls", $"cannot listen on {urls}: {error.Message.TrimEnd('.')}");
        }
    }
}
