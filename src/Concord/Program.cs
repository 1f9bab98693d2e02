using Concord.Cli;

return CliApp.Run(args, Console.OpenStandardOutput(), Console.Error, terminal: !Console.IsErrorRedirected);
