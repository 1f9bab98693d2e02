using System.CommandLine;
using Concord.Core;
using Concord.Core.Users;
using Concord.Store;

namespace Concord.Cli;

/// <summary>What a command needs from the command line: the store, the acting user, and where to print.</summary>
public sealed class CliContext(ParseResult parse, Stream stdout, TextWriter stderr, TimeProvider clock, bool terminal = false)
{
    private Database? _database;
    private Session? _session;

    public ParseResult Parse { get; } = parse;

    /// <summary>Data goes here (tables, JSON, CSV).</summary>
    public Stream Stdout { get; } = stdout;

    /// <summary>Messages and progress go here.</summary>
    public TextWriter Stderr { get; } = stderr;

    public TimeProvider Clock { get; } = clock;

    public string DataDirectory => Parse.GetValue<string?>("--data") ?? GlobalOptions.DefaultDataDirectory();

    public Database Database => _database ??= Database.Open(DataDirectory, Parse.GetValue<string?>("--store") ?? Environment.GetEnvironmentVariable("CONCORD_STORE"));

    public Session Session => _session ??= new Session(Database, new UserDirectory(Database, Clock).Resolve(Parse.GetValue<string?>("--user")), Clock);

    /// <summary>The option's value, found by name (shared options such as --json are made anew for each run).</summary>
    public T Value<T>(Option<T> option) => Parse.GetValue<T>(option.Name)!;

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    /// <summary>Whether stderr is a terminal a person watches (progress bars are drawn only then).</summary>
    public bool Terminal { get; } = terminal;

    public void Say(string message) => Stderr.WriteLine(message);

    /// <summary>Runs long work with a progress bar on a terminal, quietly otherwise.</summary>
    public T WithProgress<T>(string description, Func<IProgress<Core.Common.ProgressStep>, T> work) =>
        ProgressDisplay.Run(Terminal, description, work);

    public TextWriter OpenText() => new StreamWriter(Stdout, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
}

/// <summary>
/// The options every command accepts. Each use makes a new option: System.CommandLine keeps every
/// command an option was ever added to, so one static option would grow (and slow every parse)
/// with each in-process run; values are read by name.
/// </summary>
public static class GlobalOptions
{
    public static Option<string?> Data => new("--data")
    {
        Description = "The data folder (default: $CONCORD_DATA or ~/.local/share/concord)",
        Recursive = true,
    };

    public static Option<string?> Store => new("--store")
    {
        Description = "A PostgreSQL connection string; without it the store is a SQLite file in the data folder",
        Recursive = true,
    };

    public static Option<string?> User => new("--user")
    {
        Description = "The user to act as (default: the user created by init or demo)",
        Recursive = true,
    };

    public static string DefaultDataDirectory() =>
        Environment.GetEnvironmentVariable("CONCORD_DATA") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "concord");
}
