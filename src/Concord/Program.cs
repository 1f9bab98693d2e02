using Concord.Cli;

return CliApp.Run(args, Console.OpenStandardOutput(), Console.Error, terminal: !Console.IsErrorRedirected,
    width: Console.IsOutputRedirected ? null : Console.WindowWidth);
