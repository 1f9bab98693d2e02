using System.CommandLine;
using System.Data.Common;
using Concord.Core.Common;

namespace Concord.Cli;

/// <summary>The `concord` command line: builds the command tree, runs one command, maps errors to exit codes.</summary>
public static class CliApp
{
    static CliApp() => Concord.Connectors.ExternalConnectors.Register();

    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;

    /// <param name="remote">Set when a server runs the command for a client (`--server`).</param>
    public static int Run(string[] args, Stream stdout, TextWriter stderr, TimeProvider? clock = null, bool terminal = false, int? width = null, CliRemote? remote = null)
    {
        var handlerResult = Ok;
        var root = BuildRoot((command, handler) =>
            command.SetAction(parse => handlerResult = Execute(new CliContext(parse, stdout, stderr, clock ?? TimeProvider.System, terminal, width, remote), handler)));
        // Values such as "@SUM(A1)" are data, not response files.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var output = new StreamWriter(stdout, new System.Text.UTF8Encoding(false), 1024, leaveOpen: true) { AutoFlush = true };
        if (parse.Errors.Count > 0)
        {
            var suggestion = Suggest(parse);
            // With a suggestion, the first misplaced token is the mistake; what follows it only repeats it.
            var errors = suggestion is null
                ? parse.Errors
                : parse.Errors.Where(e => !e.Message.StartsWith("Required command", StringComparison.Ordinal)).Take(1);
            foreach (var error in errors)
            {
                stderr.WriteLine($"error: {Plain(error.Message)}");
            }
            if (suggestion is not null)
            {
                stderr.WriteLine(suggestion);
            }
            stderr.WriteLine($"Run '{CommandPath(parse.CommandResult.Command)} --help' for usage.");
            return BadUsage;
        }
        if (parse.Action is System.CommandLine.Help.HelpAction)
        {
            using var help = new StringWriter();
            parse.Invoke(new InvocationConfiguration { Output = help, Error = stderr });
            output.Write(WithoutParentArguments(help.ToString(), parse.CommandResult.Command));
            return Ok;
        }
        if (remote is not null && RemoteRefusal(parse) is { } refusal)
        {
            stderr.WriteLine($"error: {refusal}");
            return Failed;
        }
        if (remote is null && parse.GetValue<string?>("--server") is { } server)
        {
            return RemoteClient.Run(server, args, stdout, stderr, width);
        }
        var exit = parse.Invoke(new InvocationConfiguration { Output = output, Error = stderr, EnableDefaultExceptionHandler = false });
        output.Flush();
        return exit != Ok ? exit : handlerResult;
    }

    /// <summary>The commands a server does not run for a client: they make or serve a store, or read and write files or a terminal where they run.</summary>
    private static readonly string[] LocalOnly = ["concord init", "concord demo", "concord serve", "concord import", "concord export", "concord users password"];

    /// <summary>Why a server does not run this command for a client, or null when it does.</summary>
    private static string? RemoteRefusal(ParseResult parse)
    {
        var path = CommandPath(parse.CommandResult.Command);
        if (LocalOnly.Any(local => path == local || path.StartsWith(local + " ", StringComparison.Ordinal)))
        {
            return $"'{path}' does not run through a server (it works on files, a terminal or the store itself where it runs); run it where the store is";
        }
        var given = new[] { "--data", "--store", "--user", "--server" }.Where(name => parse.GetResult(name) is System.CommandLine.Parsing.OptionResult { Implicit: false }).ToList();
        return given.Count > 0
            ? $"{string.Join(", ", given)}: through a server, commands act on the server's store as the API key's user; leave {(given.Count == 1 ? "it" : "them")} out"
            : null;
    }

    /// <summary>The whole command tree; <paramref name="bind"/> attaches each command's handler.</summary>
    public static RootCommand BuildRoot(Action<Command, Func<CliContext, int>> bind)
    {
        var root = new RootCommand("Concord keeps customer records in step between operations and accounting.")
        {
            GlobalOptions.Data,
            GlobalOptions.Store,
            GlobalOptions.User,
            GlobalOptions.Server,
        };
        foreach (var command in SetupCommands.Build(bind)
                     .Concat(CustomerCommands.Build(bind))
                     .Concat(InvoiceCommands.Build(bind))
                     .Concat(LedgerCommands.Build(bind))
                     .Concat(ExchangeCommands.Build(bind))
                     .Concat(ConnectionCommands.Build(bind))
                     .Concat(SyncCommands.Build(bind))
                     .Concat(ServeCommand.Build(bind)))
        {
            root.Subcommands.Add(command);
        }
        AddWide(root);
        return root;
    }

    /// <summary>
    /// A subcommand's usage line names each argument once: `sync inbox resolve NAME CODE`, not the
    /// parent's NAME as well (a parent's arguments are not typed before its subcommands here).
    /// </summary>
    private static string WithoutParentArguments(string help, Command command)
    {
        foreach (var at in Ancestors(command))
        {
            if (at.Arguments.Count > 0)
            {
                var arguments = string.Join(' ', at.Arguments.Select(a => a.Arity.MinimumNumberOfValues == 0 ? $"[<{a.Name}>]" : $"<{a.Name}>"));
                help = help.Replace($" {at.Name} {arguments} ", $" {at.Name} ", StringComparison.Ordinal);
            }
        }
        return help;
    }

    // Every command that prints a listing (it has --json) also takes --wide.
    private static void AddWide(Command command)
    {
        if (command.Options.Any(o => o.Name == "--json"))
        {
            command.Options.Add(Output.Wide);
        }
        foreach (var subcommand in command.Subcommands)
        {
            AddWide(subcommand);
        }
    }

    /// <summary>The parser's messages name .NET types ("System.Int32"); a person reads what is expected.</summary>
    private static string Plain(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, @"as expected type '(System\.Nullable`1\[)?System\.(\w+)\]?'", match => match.Groups[2].Value switch
        {
            "Int32" or "Int64" => "as a whole number",
            "Double" or "Decimal" => "as a number",
            "Boolean" => "as true or false",
            _ => "as a value of this option",
        });

    /// <summary>The commands above <paramref name="command"/>, nearest first, up to the root.</summary>
    private static IEnumerable<Command> Ancestors(Command command)
    {
        for (var at = command.Parents.OfType<Command>().FirstOrDefault(); at is not null; at = at.Parents.OfType<Command>().FirstOrDefault())
        {
            yield return at;
        }
    }

    /// <summary>The words that reach <paramref name="command"/>: "concord sync inbox resolve".</summary>
    private static string CommandPath(Command command) =>
        string.Join(' ', Ancestors(command).Reverse().Append(command).Select(at => at is RootCommand ? "concord" : at.Name));

    /// <summary>"Did you mean …?" for the first token the parser could not place: the nearest subcommand or option of the command reached.</summary>
    private static string? Suggest(ParseResult parse)
    {
        if (parse.UnmatchedTokens.FirstOrDefault() is not { } token)
        {
            return null;
        }
        var command = parse.CommandResult.Command;
        var names = token.StartsWith('-')
            ? command.Options.Concat(Ancestors(command).SelectMany(a => a.Options.Where(o => o.Recursive))).SelectMany(o => o.Aliases.Prepend(o.Name))
            : command.Subcommands.Where(c => !c.Hidden).SelectMany(c => c.Aliases.Prepend(c.Name));
        var limit = Math.Max(1, token.Length / 3);
        var nearest = names.Distinct(StringComparer.Ordinal)
            .Select(name => (Name: name, Distance: Core.Sync.Matching.NameKey.Distance(token.ToLowerInvariant(), name, limit)))
            .Where(n => n.Distance <= limit || (token.Length >= 3 && n.Name.TrimStart('-').StartsWith(token.TrimStart('-'), StringComparison.OrdinalIgnoreCase)))
            .OrderBy(n => n.Distance)
            .FirstOrDefault();
        return nearest.Name is null ? null : $"Did you mean '{nearest.Name}'?";
    }

    private static int Execute(CliContext context, Func<CliContext, int> handler)
    {
        var (store, user) = context.HintOptions();
        CommandHint.Use(store, user);
        try
        {
            return Handle(context, handler);
        }
        finally
        {
            CommandHint.Use(null, null);
        }
    }

    private static int Handle(CliContext context, Func<CliContext, int> handler)
    {
        try
        {
            return handler(context);
        }
        catch (UserError error)
        {
            foreach (var line in error.Errors)
            {
                context.Stderr.WriteLine($"error: {line}");
            }
            if (error.Errors.Count > 1)
            {
                context.Stderr.WriteLine($"{error.Errors.Count} errors.");
            }
            return Failed;
        }
        catch (Core.Connectors.ConnectorUnavailableException error)
        {
            context.Stderr.WriteLine($"error: {error.Message}");
            context.Stderr.WriteLine($"To fix: {error.Remedy}");
            return Failed;
        }
        catch (Store.StoreException error)
        {
            context.Stderr.WriteLine($"error: {error.Message}");
            return Failed;
        }
        catch (DbException error) when (Store.Database.IsReadOnlyRefusal(error))
        {
            context.Stderr.WriteLine($"error: the store is read-only ({context.Database.Dialect.Describe()}); nothing was written");
            return Failed;
        }
        catch (DbException error) when (Store.Database.IsWriteConflict(error))
        {
            context.Stderr.WriteLine($"error: {Store.Database.WriteConflictWords} ({error.Message}); nothing was written: run it again");
            return Failed;
        }
        catch (DbException error) when (Store.Database.IsTimeout(error))
        {
            context.Stderr.WriteLine($"error: {Store.Database.TimeoutWords}; nothing was written: run it again");
            return Failed;
        }
        catch (DbException error)
        {
            context.Stderr.WriteLine($"error: the store cannot be used: {error.Message}");
            context.Stderr.WriteLine("Check --data / --store (for PostgreSQL: that the server runs and the connection string is right).");
            return Failed;
        }
        catch (System.Text.EncoderFallbackException)
        {
            // Half a surrogate pair that no rule caught: the store cannot encode it, and the transaction is gone.
            context.Stderr.WriteLine("error: a value holds an invalid character (half of a UTF-16 pair) that the store cannot keep; nothing was written");
            return Failed;
        }
        catch (IOException error)
        {
            context.Stderr.WriteLine($"error: {error.Message}");
            return Failed;
        }
        catch (UnauthorizedAccessException error)
        {
            context.Stderr.WriteLine($"error: {error.Message}");
            return Failed;
        }
    }
}
