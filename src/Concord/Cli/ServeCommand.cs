using System.CommandLine;
using Concord.Core.Sync.Scheduling;

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
        var once = new Option<bool>("--once") { Description = "Do what is due now, then stop" };
        var serve = new Command("serve", "Run the sync worker: post accounts at once, run connections on their schedules") { poll, once };
        bind(serve, context =>
        {
            using var stop = new StopSignals();
            var worker = new SyncWorker(context.Session) { Stop = stop.Token };
            var interval = TimeSpan.FromSeconds(context.Value(poll));
            context.Say($"concord serve: watching {context.Database.Dialect.Describe()} every {interval.TotalSeconds:0.#} s (Ctrl-C stops).");
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
                if (context.Value(once))
                {
                    break;
                }
                stop.Token.WaitHandle.WaitOne(interval);
            }
            while (!stop.Stopped);
            context.Say("concord serve: stopped.");
            return CliApp.Ok;
        });
        yield return serve;
    }
}
