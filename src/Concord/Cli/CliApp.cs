using System.CommandLine;
using System.Data.Common;
using Concord.Core.Common;

namespace Concord.Cli;

/// <summary>The `concord` command line: builds the command tree, runs one command, maps errors to exit codes.</summary>
public static class CliApp
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;

    public static int Run(string[] args, Stream stdout, TextWriter stderr, TimeProvider? clock = null, bool terminal = false)
    {
        var root = new RootCommand("Concord keeps customer records in step between operations and accounting.")
        {
            GlobalOptions.Data,
            GlobalOptions.Store,
            GlobalOptions.User,
        };
        var handlerResult = Ok;
        void Bind(Command command, Func<CliContext, int> handler) =>
            command.SetAction(parse => handlerResult = Execute(new CliContext(parse, stdout, stderr, clock ?? TimeProvider.System, terminal), handler));
        foreach (var command in SetupCommands.Build(Bind)
                     .Concat(CustomerCommands.Build(Bind))
                     .Concat(LedgerCommands.Build(Bind))
                     .Concat(ExchangeCommands.Build(Bind))
                     .Concat(ConnectionCommands.Build(Bind))
                     .Concat(SyncCommands.Build(Bind))
                     .Concat(ServeCommand.Build(Bind)))
        {
            root.Subcommands.Add(command);
        }
        // Values such as "@SUM(A1)" are data, not response files.
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        var output = new StreamWriter(stdout, new System.Text.UTF8Encoding(false), 1024, leaveOpen: true) { AutoFlush = true };
        if (parse.Errors.Count > 0)
        {
            foreach (var error in parse.Errors)
            {
                stderr.WriteLine($"error: {error.Message}");
            }
            stderr.WriteLine("Run 'concord --help' (or the command with --help) for usage.");
            return BadUsage;
        }
        var exit = parse.Invoke(new InvocationConfiguration { Output = output, Error = stderr, EnableDefaultExceptionHandler = false });
        output.Flush();
        return exit != Ok ? exit : handlerResult;
    }

    private static int Execute(CliContext context, Func<CliContext, int> handler)
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
        catch (DbException error)
        {
            context.Stderr.WriteLine($"error: the store cannot be used: {error.Message}");
            context.Stderr.WriteLine("Check --data / --store (for PostgreSQL: that the server runs and the connection string is right).");
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
