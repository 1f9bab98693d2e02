using System.Diagnostics;
using System.Text;

namespace Concord.Tests.Support;

/// <summary>
/// The real `concord` executable, started as its own process by a test: the one place tests
/// start it. Output is collected as it comes; a process still running when disposed is ended
/// by its own PID.
/// </summary>
public sealed class ConcordProcess : IDisposable
{
    /// <summary>The built executable next to the tests (run with `dotnet exec`).</summary>
    public static readonly string Executable = Path.Combine(AppContext.BaseDirectory, "concord.dll");

    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();

    private ConcordProcess(Process process)
    {
        _process = process;
        _process.OutputDataReceived += (_, e) => Append(_stdout, e.Data);
        _process.ErrorDataReceived += (_, e) => Append(_stderr, e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What the process wrote to stdout so far.</summary>
    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    /// <summary>What the process wrote to stderr so far.</summary>
    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    /// <summary>Starts `concord` with <paramref name="args"/>, and extra environment variables when given.</summary>
    public static ConcordProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null)
    {
        var start = new ProcessStartInfo("dotnet", ["exec", Executable, .. args])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }
        return new ConcordProcess(Process.Start(start)!);
    }

    /// <summary>Runs `concord` to its end and returns what it did.</summary>
    public static CliResult Run(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null)
    {
        using var process = Start(args, environment);
        return process.Finish(timeout ?? TimeSpan.FromMinutes(2));
    }

    /// <summary>Waits for the end (killing the process if it outlives <paramref name="timeout"/>) and returns what it did.</summary>
    public CliResult Finish(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            throw new TimeoutException($"concord (pid {Id}) did not finish within {timeout.TotalSeconds} s\nstderr:\n{Stderr}");
        }
        _process.WaitForExit(); // flushes the asynchronous readers
        return new CliResult(_process.ExitCode, Stdout, Stderr);
    }

    /// <summary>Asks the process to stop (SIGTERM), as `kill PID` or a service manager would; it decides how.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill", ["-TERM", Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))!;
        kill.WaitForExit();
        Assert.True(kill.ExitCode == 0, $"kill -TERM {Id} failed (the process has ended?)");
    }

    /// <summary>Ends the process at once (SIGKILL), as a crash would.</summary>
    public void Kill()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }
    }

    public void Dispose()
    {
        Kill();
        _process.Dispose();
    }

    private static void Append(StringBuilder to, string? line)
    {
        if (line is null)
        {
            return;
        }
        lock (to)
        {
            to.Append(line).Append('\n');
        }
    }
}
