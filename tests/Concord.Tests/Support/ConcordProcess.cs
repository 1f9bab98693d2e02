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

    /// <summary>
    /// Starts `concord` with <paramref name="args"/>, and extra environment variables when given;
    /// <paramref name="launcher"/> is an installed `concord` to start instead of the one built next to the tests;
    /// as another user (<paramref name="asUser"/>, by runuser) when the tests run as root, so that
    /// file permissions bite as they do for a person.
    /// </summary>
    public static ConcordProcess Start(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, string? launcher = null, string? asUser = null)
    {
        var runAs = asUser is not null && Environment.UserName == "root";
        string[] command = launcher is null ? ["dotnet", "exec", Executable, .. args] : [launcher, .. args];
        var start = new ProcessStartInfo(runAs ? "runuser" : command[0], [.. runAs ? new[] { "-u", asUser!, "--", command[0] } : [], .. command[1..]])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            start.Environment[name] = value;
        }
        if (runAs)
        {
            start.Environment["DOTNET_CLI_HOME"] = Path.GetTempPath(); // the other user has no home of its own
        }
        return new ConcordProcess(Process.Start(start)!);
    }

    /// <summary>Runs `concord` to its end and returns what it did.</summary>
    public static CliResult Run(IEnumerable<string> args, IReadOnlyDictionary<string, string?>? environment = null, TimeSpan? timeout = null, string? launcher = null, string? asUser = null)
    {
        using var process = Start(args, environment, launcher, asUser);
        return process.Finish(timeout ?? TimeSpan.FromMinutes(2));
    }

    /// <summary>
    /// Runs `concord` on a pseudo-terminal (util-linux `script`), as a person at a terminal would:
    /// what it drew there, both streams together, with the terminal's escape codes.
    /// </summary>
    public static CliResult RunOnTerminal(IEnumerable<string> args, TimeSpan? timeout = null)
    {
        var command = string.Join(' ', new[] { "dotnet", "exec", Executable }.Concat(args).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        return Run(["-qec", command, "/dev/null"], new Dictionary<string, string?> { ["TERM"] = "xterm", ["COLUMNS"] = "100" }, timeout, launcher: "script");
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

/// <summary>Splits a command line as a POSIX shell would (single and double quotes, backslash), for running the hints `concord` prints.</summary>
public static class ShellWords
{
    public static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var inWord = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\'')
            {
                var end = line.IndexOf('\'', i + 1);
                word.Append(line, i + 1, end - i - 1);
                i = end;
                inWord = true;
            }
            else if (c == '"')
            {
                for (i++; line[i] != '"'; i++)
                {
                    word.Append(line[i] == '\\' && "\"\\$`".Contains(line[i + 1], StringComparison.Ordinal) ? line[++i] : line[i]);
                }
                inWord = true;
            }
            else if (c == '\\')
            {
                word.Append(line[++i]);
                inWord = true;
            }
            else if (char.IsWhiteSpace(c))
            {
                if (inWord)
                {
                    words.Add(word.ToString());
                    word.Clear();
                    inWord = false;
                }
            }
            else
            {
                word.Append(c);
                inWord = true;
            }
        }
        if (inWord)
        {
            words.Add(word.ToString());
        }
        return words;
    }
}
