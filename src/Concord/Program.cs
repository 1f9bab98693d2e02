using Concord.Cli;

return CliApp.Run(args, Console.OpenStandardOutput(), Console.Error);
