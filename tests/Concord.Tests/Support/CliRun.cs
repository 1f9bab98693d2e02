using System.Text;
using System.Text.Json;

namespace Concord.Tests.Support;

/// <summary>The outcome of one `concord` command: exit code, what went to stdout and to stderr.</summary>
public sealed record CliResult(int Exit, string Stdout, string Stderr)
{
    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    public override string ToString() => $"exit {Exit}\nstdout:\n{Stdout}\nstderr:\n{Stderr}";
}

/// <summary>Runs `concord` in-process against a test store, as a given user and clock.</summary>
public static class CliRun
{
    public static CliResult Run(TestStore store, TimeProvider? clock, params string[] args)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = Concord.Cli.CliApp.Run([.. store.GlobalArguments, .. args], stdout, stderr, clock);
        return new CliResult(exit, Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString());
    }
}
