using System.Diagnostics;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>U1: `concord` installs as a command a person calls by name, built without the test hooks.</summary>
public sealed class InstallTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "concord-install-" + Guid.NewGuid().ToString("N"));

    [Fact]
    public void U1_TheInstallScriptPutsConcordOnPath_AndTheInstalledBuildIgnoresTheFaultHook()
    {
        var prefix = Path.Combine(_folder, "prefix");
        var script = Path.Combine(Repository.Root, "scripts", "install.sh");
        var install = new ProcessStartInfo("bash", ["-c", "\"$0\" \"$1\" 2>&1", script, prefix]) { RedirectStandardOutput = true };
        using (var process = Process.Start(install)!)
        {
            var output = process.StandardOutput.ReadToEnd();
            process.WaitForExit();
            Assert.True(process.ExitCode == 0, output);
        }
        var concord = Path.Combine(prefix, "bin", "concord");
        Assert.True(File.Exists(concord));
        var data = Path.Combine(_folder, "data");

        var demo = ConcordProcess.Run(["--data", data, "demo", "--no-serve"], launcher: concord);
        Assert.True(demo.Exit == 0, demo.ToString());
        Assert.Equal(2, ConcordProcess.Run(["--data", data, "custmers"], launcher: concord).Exit);
        Assert.True(ConcordProcess.Run(["--data", data, "connections", "add", "books", "--site", "Durban", "--model", "MODEL-RET"], launcher: concord).Exit == 0);

        // In the test build this loses the answer of the first create; the installed build has no such hook.
        var run = ConcordProcess.Run(["--data", data, "sync", "run", "books", "--yes", "--company", "Concord Demo Trading (Pty) Ltd", "--json"],
            new Dictionary<string, string?> { [global::Concord.Core.Connectors.FaultInjection.Variable] = "no-answer:1" }, launcher: concord);
        Assert.Contains("\"created\": 13", run.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("injected", run.Stdout + run.Stderr, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
