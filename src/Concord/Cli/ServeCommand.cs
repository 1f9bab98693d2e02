using System.CommandLine;
using System.Runtime.InteropServices;
using Concord.Core.Sync.Scheduling;

namespace Concord.Cli;

/// <summary>`concord serve`: the long-running worker that posts accounts and runs schedules.</summary>
public static class ServeCommand
{
    public static IEnumerable<Command> Build(Action<Command, Func<CliContext, int>> bind)
    {
        var poll = new Option<double>("--poll") { Description = "Seconds between looks for work (default 1)", DefaultValueFactory = _ => 1.0 };
        var once = new Option<bool>("--once") { Description = "Do what is due now, then stop" };
        var serve = new Command("serve", "Run the sync worker: post accounts at once, run connections on their schedules") { poll, once };
        bind(serve, context =>
        {
            var worker = new SyncWorker(context.Session);
            using var stop = new CancellationTokenSource();
            using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal =>
            {
                signal.Cancel = true;
                stop.Cancel();
            });
            using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal =>
            {
                signal.Cancel = true;
                stop.Cancel();
            });
            var interval = TimeSpan.FromSeconds(Math.Max(0.1, context.Value(poll)));
            context.Say($"concord serve: watching {context.Database.Dialect.Describe()} every {interval.TotalSeconds:0.#} s (Ctrl-C stops).");
            do
            {
                foreach (var happened in worker.Tick())
                {
                    context.Say(happened.Report is { } report
                        ? $"{happened.Connection} ({happened.Mode}): run {report.RunId} {report.Status}: {report.Created} created, {report.Updated} updated, {report.Linked} linked, {report.Errors} errors."
                        : $"{happened.Connection} ({happened.Mode}): {happened.Problem}");
                }
                if (context.Value(once))
                {
                    break;
                }
                stop.Token.WaitHandle.WaitOne(interval);
            }
            while (!stop.IsCancellationRequested);
            context.Say("concord serve: stopped.");
            return CliApp.Ok;
        });
        yield return serve;
    }
}
