using System.CommandLine;
using System.Text.RegularExpressions;
using Concord.Cli;

namespace Concord.Tests;

/// <summary>U1: the help a person reads — every command, argument and option described, in words, with right usage lines.</summary>
public sealed partial class CliHelpTests
{
    private static readonly RootCommand Root = CliApp.BuildRoot((_, _) => { });

    [GeneratedRegex(@"\b[OLSXU][0-9]{1,2}\b")]
    private static partial Regex FeatureId();

    private static IEnumerable<Command> All(Command command) => command.Subcommands.SelectMany(All).Prepend(command);

    private static string Path(Command command)
    {
        var words = new List<string>();
        for (Command? at = command; at is not null; at = at.Parents.OfType<Command>().FirstOrDefault())
        {
            words.Insert(0, at.Name);
        }
        return string.Join(' ', words);
    }

    [Fact]
    public void U1_EveryCommandArgumentAndOptionIsDescribed_WithoutInternalFeatureIds()
    {
        var missing = new List<string>();
        foreach (var command in All(Root))
        {
            var symbols = command.Arguments.Cast<Symbol>().Concat(command.Options.Where(o => o is not System.CommandLine.Help.HelpOption and not VersionOption)).Prepend(command);
            foreach (var symbol in symbols)
            {
                var description = symbol.Description ?? "";
                if (description.Trim().Length == 0)
                {
                    missing.Add($"{Path(command)} {symbol.Name}: no description");
                }
                else if (FeatureId().IsMatch(description))
                {
                    missing.Add($"{Path(command)} {symbol.Name}: feature id in '{description}'");
                }
            }
        }
        Assert.True(missing.Count == 0, string.Join('\n', missing));
        Assert.True(All(Root).Count() > 40, "the walk must reach the whole tree");
    }

    [Theory]
    [InlineData("sync inbox resolve", "concord sync inbox resolve <NAME> <CODE> [options]")]
    [InlineData("sync status", "concord sync status [<NAME>] [options]")]
    [InlineData("customers link", "concord customers link <OPERATIONAL-CODE> <ACCOUNT-CODE> [options]")]
    public void U1_UsageLinesNameEachArgumentOnce(string command, string usage)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        Assert.Equal(0, CliApp.Run([.. command.Split(' '), "--help"], stdout, stderr));
        var help = System.Text.Encoding.UTF8.GetString(stdout.ToArray());
        var line = help.Split('\n').SkipWhile(l => !l.StartsWith("Usage:", StringComparison.Ordinal)).Skip(1).First().Trim();
        // The first word is the program's own name: concord, or the test host here.
        Assert.Equal(usage[usage.IndexOf(' ', StringComparison.Ordinal)..], line[line.IndexOf(' ', StringComparison.Ordinal)..]);
    }

    [Theory]
    [InlineData(new[] { "custmers", "list" }, "Did you mean 'customers'?", "Run 'concord --help'")]
    [InlineData(new[] { "customers", "lst" }, "Did you mean 'list'?", "Run 'concord customers --help'")]
    [InlineData(new[] { "sync", "preveiw", "books" }, "Did you mean 'preview'?", "Run 'concord sync --help'")]
    [InlineData(new[] { "customers", "list", "--jsn" }, "Did you mean '--json'?", "Run 'concord customers list --help'")]
    public void U1_AMistypedCommandOrOptionSuggestsTheNearest_AndExitsWith2(string[] args, string suggestion, string usage)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        Assert.Equal(2, CliApp.Run(args, stdout, stderr));
        Assert.Contains(suggestion, stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains(usage, stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, stdout.Length);
    }

    [Fact]
    public void U1_EveryHintInTheSourceIsWrittenThroughCommandHint_SoItKeepsTheUsersStore()
    {
        // A literal 'concord … in a message would drop --data/--store; an init of a named store is the one exception.
        var spelledOut = new Regex(@"'concord (?!init [-{])");
        var found = Directory.EnumerateFiles(System.IO.Path.Combine(Support.Repository.Root, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal))
            .SelectMany(f => File.ReadLines(f).Select((line, i) => (File: f, Line: i + 1, Text: line)))
            .Where(l => !l.Text.TrimStart().StartsWith("//", StringComparison.Ordinal) && spelledOut.IsMatch(l.Text))
            .Select(l => $"{l.File}:{l.Line}: {l.Text.Trim()}")
            .ToList();
        Assert.True(found.Count == 0, string.Join('\n', found));
    }

    [Theory]
    [InlineData(new[] { "sync", "run", "books", "--wait", "abc" }, "'abc' for option '--wait' as a whole number")]
    [InlineData(new[] { "sync", "run", "books", "--wait", "99999999999" }, "as a whole number")]
    [InlineData(new[] { "sync", "run", "books", "--wait", "-1" }, "--wait takes a number of seconds, 0 or more")]
    [InlineData(new[] { "sync", "history", "books", "--run", "x" }, "as a whole number")]
    [InlineData(new[] { "serve", "--poll", "NaN" }, "--poll takes a number of seconds from 0.1 to 86400")]
    [InlineData(new[] { "serve", "--poll", "1e300" }, "--poll takes a number of seconds from 0.1 to 86400")]
    [InlineData(new[] { "import", "customers", "f.csv", "--update", "--mode" }, "Required argument missing for option: '--mode'")]
    public void U1_AnOptionValueOfTheWrongKindIsAUsageError_ToldInWords_NeverACrash(string[] args, string message)
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        Assert.Equal(2, CliApp.Run(args, stdout, stderr));
        Assert.Contains(message, stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("System.", stderr.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void U1_DemoHelpSaysWhatItDoesInThisVersion()
    {
        var demo = Root.Subcommands.Single(c => c.Name == "demo");
        Assert.Contains("serve the web app and REST API", demo.Description, StringComparison.Ordinal);
        Assert.Contains("demo data", demo.Description, StringComparison.OrdinalIgnoreCase);
    }
}
