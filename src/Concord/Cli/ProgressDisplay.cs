using Concord.Core.Common;
using Spectre.Console;

namespace Concord.Cli;

/// <summary>
/// A progress bar on stderr for long work (imports, exports, sync runs), drawn by Spectre when
/// stderr is a terminal; when it is not (a file, a pipe, a scheduler's log), nothing is drawn.
/// </summary>
public static class ProgressDisplay
{
    /// <summary>Runs <paramref name="work"/>, giving it a reporter that moves the bar.</summary>
    public static T Run<T>(bool terminal, string description, Func<IProgress<ProgressStep>, T> work)
    {
        if (!terminal)
        {
            return work(new Quiet());
        }
        // The caller knows stderr is a terminal; TERM may still be unset (a bare pty, a service manager).
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error), Ansi = AnsiSupport.Yes, Interactive = InteractionSupport.Yes });
        T result = default!;
        console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
            .Start(progress =>
            {
                var task = progress.AddTask(Markup.Escape(description), maxValue: 1);
                task.IsIndeterminate = true;
                result = work(new Bar(task, description));
                task.StopTask();
            });
        return result;
    }

    /// <summary>Moves one Spectre task; reports come from the working thread, in order.</summary>
    private sealed class Bar(ProgressTask task, string description) : IProgress<ProgressStep>
    {
        public void Report(ProgressStep step)
        {
            if (step.Total is > 0 and var total)
            {
                task.IsIndeterminate = false;
                task.MaxValue = total;
                task.Value = Math.Min(step.Done, total);
            }
            // Nothing counted yet and no total: the step names what is going on ("comparing both sides").
            var count = step.Done == 0 && step.Total is null ? "" : $"{step.Done:N0}{(step.Total is { } t ? $" of {t:N0}" : "")} ";
            task.Description = Markup.Escape($"{description}: {count}{step.Unit}");
        }
    }

    private sealed class Quiet : IProgress<ProgressStep>
    {
        public void Report(ProgressStep value)
        {
        }
    }
}
