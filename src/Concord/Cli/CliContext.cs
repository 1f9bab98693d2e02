using System.CommandLine;
using Concord.Core;
using Concord.Core.Common;
using Concord.Core.Users;
using Concord.Store;

namespace Concord.Cli;

/// <summary>
/// A command run by a server for a client that gave `--server` (U3): who acts (the API key's user),
/// the server's address as the client wrote it (hints repeat it), and the end of the request (a
/// client that goes away stops a run as Ctrl+C would).
/// </summary>
public sealed record CliRemote(Session Session, string ServerUrl, CancellationToken Aborted);

/// <summary>What a command needs from the command line: the store, the acting user, and where to print.</summary>
public sealed class CliContext(ParseResult parse, Stream stdout, TextWriter stderr, TimeProvider clock, bool terminal = false, int? width = null, CliRemote? remote = null)
{
    private Database? _database;
    private Session? _session;

    public ParseResult Parse { get; } = parse;

    /// <summary>Data goes here (tables, JSON, CSV).</summary>
    public Stream Stdout { get; } = stdout;

    /// <summary>Messages and progress go here.</summary>
    public TextWriter Stderr { get; } = stderr;

    public TimeProvider Clock { get; } = clock;

    public string DataDirectory => Parse.GetValue<string?>("--data") switch
    {
        null => GlobalOptions.DefaultDataDirectory(),
        { } given when string.IsNullOrWhiteSpace(given) => throw new UserError("--data", null, "is empty; name the data folder, e.g. --data ~/concord"),
        { } given => given,
    };

    /// <summary>The existing store; a folder or database without one is an error that says to run init, and nothing is created.</summary>
    public Database Database => _database ??= Remote?.Session.Database ?? OpenStore(create: false);

    /// <summary>Set when a server runs the command for a client (`--server`).</summary>
    public CliRemote? Remote { get; } = remote;

    /// <summary>Creates the data folder and the store when they are missing: only `init` and `demo` do.</summary>
    public Database CreateDatabase() => _database = OpenStore(create: true);

    public Session Session => _session ??= Remote?.Session ?? new Session(Database, new UserDirectory(Database, Clock).Resolve(Parse.GetValue<string?>("--user")), Clock);

    /// <summary>
    /// The global options the user typed, as a shell would take them back (the store's secrets
    /// masked), so that every hint the program prints reaches the same store when copied: where
    /// the store is (--data, --store), and who acts (--user).
    /// </summary>
    public (string Store, string User) HintOptions()
    {
        if (Remote is not null)
        {
            return ("--server " + CommandHint.Quote(Remote.ServerUrl), "");
        }
        var store = new List<string>();
        if (Given("--data") && Parse.GetValue<string?>("--data") is { } data)
        {
            store.Add("--data " + CommandHint.Quote(data));
        }
        if (Given("--store") && Parse.GetValue<string?>("--store") is { Length: > 0 } connection)
        {
            store.Add("--store " + CommandHint.Quote(PostgresConnectionString.Mask(connection)));
        }
        var user = Given("--user") && Parse.GetValue<string?>("--user") is { } name ? "--user " + CommandHint.Quote(name) : "";
        return (string.Join(' ', store), user);
    }

    /// <summary>Whether the user typed the option <paramref name="name"/> (not a default).</summary>
    public bool Given(string name) => Parse.GetResult(name) is System.CommandLine.Parsing.OptionResult { Implicit: false };

    /// <summary>A command as the user can copy it: `concord`, the global options they gave, then <paramref name="command"/>.</summary>
    public string Hint(string command) => Core.Common.CommandHint.For(command);

    /// <summary>The option's value, found by name (shared options such as --json are made anew for each run).</summary>
    public T Value<T>(Option<T> option) => Parse.GetValue<T>(option.Name)!;

    public T Value<T>(Argument<T> argument) => Parse.GetValue(argument)!;

    /// <summary>The width tables fit: the terminal's when stdout is one, else $COLUMNS, else 80.</summary>
    public int Width { get; } = width is > 0 ? width.Value
        : int.TryParse(Environment.GetEnvironmentVariable("COLUMNS"), out var columns) && columns > 0 ? columns : Output.DefaultWidth;

    /// <summary>Whether stderr is a terminal a person watches (progress bars are drawn only then).</summary>
    public bool Terminal { get; } = terminal;

    public void Say(string message) => Stderr.WriteLine(message);

    /// <summary>Runs long work with a progress bar on a terminal, quietly otherwise.</summary>
    public T WithProgress<T>(string description, Func<IProgress<Core.Common.ProgressStep>, T> work) =>
        ProgressDisplay.Run(Terminal, description, work);

    private Database OpenStore(bool create)
    {
        var fromOption = Parse.GetValue<string?>("--store");
        if (fromOption is not null && string.IsNullOrWhiteSpace(fromOption))
        {
            // An empty value is a mistake (an unset variable in a script), not a wish for the SQLite default.
            throw new UserError("--store", null, "is empty; give a PostgreSQL connection string, or leave --store out for the SQLite file in the data folder");
        }
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
                ? $"--data {CommandHint.Quote(DataDirectory)}"
                : (Parse.GetValue<string?>("--data") is null ? "" : $"--data {CommandHint.Quote(DataDirectory)} ") + $"--store {CommandHint.Quote(PostgresConnectionString.Mask(store))}";
            throw new StoreException(StoreProblem.Missing, $"{error.Message}; run 'concord init {where}'");
        }
    }

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
        HelpName = "DIR",
        Description = "The data folder (default: $CONCORD_DATA or ~/.local/share/concord)",
        Recursive = true,
    };

    public static Option<string?> Store => new("--store")
    {
        HelpName = "CONNECTION-STRING",
        Description = "A PostgreSQL connection string; without it the store is a SQLite file in the data folder",
        Recursive = true,
    };

    public static Option<string?> Server => new("--server")
    {
        HelpName = "URL",
        Description = "Run the command on a Concord server (e.g. http://127.0.0.1:5080) as the API key in CONCORD_API_KEY, instead of opening the store",
        Recursive = true,
    };

    /// <summary>The environment variable the API key for --server is read from (never an option: it would show in process listings).</summary>
    public const string ApiKeyVariable = "CONCORD_API_KEY";

    public static Option<string?> User => new("--user")
    {
        HelpName = "NAME",
        Description = "The user to act as (default: the user created by init or demo)",
        Recursive = true,
    };

    public static string DefaultDataDirectory() =>
        Environment.GetEnvironmentVariable("CONCORD_DATA") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create), "concord");
}
