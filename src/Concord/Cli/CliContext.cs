using System.CommandLine;
using Concord.Core;
using Concord.Core.Common;
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

    public string DataDirectory => Parse.GetValue(GlobalOptions.Data) switch
    {
        null => GlobalOptions.DefaultDataDirectory(),
        { } given when string.IsNullOrWhiteSpace(given) => throw new UserError("--data", null, "is empty; name the data folder, e.g. --data ~/concord"),
        { } given => given,
    };

    /// <summary>The existing store; a folder or database without one is an error that says to run init, and nothing is created.</summary>
    public Database Database => _database ??= OpenStore(create: false);

    /// <summary>Creates the data folder and the store when they are missing: only `init` and `demo` do.</summary>
    public Database CreateDatabase() => _database = OpenStore(create: true);

    public Session Session => _session ??= new Session(Database, new UserDirectory(Database, Clock).Resolve(Parse.GetValue(GlobalOptions.User)), Clock);

    public T Value<T>(Option<T> option) => Parse.GetValue(option)!;

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    /// <summary>Whether stderr is a terminal a person watches (progress bars are drawn only then).</summary>
    public bool Terminal { get; } = terminal;

    public void Say(string message) => Stderr.WriteLine(message);

    /// <summary>Runs long work with a progress bar on a terminal, quietly otherwise.</summary>
    public T WithProgress<T>(string description, Func<IProgress<Core.Common.ProgressStep>, T> work) =>
        ProgressDisplay.Run(Terminal, description, work);

    private Database OpenStore(bool create)
    {
        var fromOption = Parse.GetValue(GlobalOptions.Store);
        var store = fromOption ?? Environment.GetEnvironmentVariable("CONCORD_STORE");
        try
        {
            return create ? Database.Create(DataDirectory, store, Clock) : Database.Open(DataDirectory, store, Clock);
        }
        catch (StoreException error) when (error.Problem == StoreProblem.Invalid)
        {
            throw new UserError(fromOption is null ? "CONCORD_STORE" : "--store", null, error.Message);
        }
        catch (StoreException error) when (error.Problem == StoreProblem.Missing)
        {
            // The folder is named whenever the user named it: with PostgreSQL it still holds the keys of the store's secrets.
            var where = string.IsNullOrWhiteSpace(store)
                ? $"--data {Quoted(DataDirectory)}"
                : (Parse.GetValue(GlobalOptions.Data) is null ? "" : $"--data {Quoted(DataDirectory)} ") + $"--store {Quoted(PostgresConnectionString.Mask(store))}";
            throw new StoreException(StoreProblem.Missing, $"{error.Message}; run 'concord init {where}'");
        }
    }

    private static string Quoted(string value) =>
        value.Any(c => char.IsWhiteSpace(c) || c is '"' or '\'' or ';' or '$' or '`' or '&' or '|')
            ? $"\"{value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal)}\""
            : value;

    public TextWriter OpenText() => new StreamWriter(Stdout, new System.Text.UTF8Encoding(false), 1 << 16, leaveOpen: true);
}

/// <summary>The options every command accepts.</summary>
public static class GlobalOptions
{
    public static readonly Option<string?> Data = new("--data")
    {
        Description = "The data folder (default: $CONCORD_DATA or ~/.local/share/concord)",
        Recursive = true,
    };

    public static readonly Option<string?> Store = new("--store")
    {
        Description = "A PostgreSQL connection string; without it the store is a SQLite file in the data folder",
        Recursive = true,
    };

    public static readonly Option<string?> User = new("--user")
    {
        Description = "The user to act as (default: the user created by init or demo)",
        Recursive = true,
    };

    public static string DefaultDataDirectory() =>
        Environment.GetEnvironmentVariable("CONCORD_DATA") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "concord");
}
