using Concord.Bench;
using Concord.Bench.Matching;

// A timed harness for the foundation's speed and memory targets; see docs/BENCHMARKS.md.
//   dotnet run -c Release --project bench/Concord.Bench -- [import] [--rows N] [--postgres CONNECTION-STRING]
//   dotnet run -c Release --project bench/Concord.Bench -- sync [--rows N] [--part plan|sync|apply]
//   dotnet run -c Release --project bench/Concord.Bench -- gnucash [--rows N]
//   dotnet run -c Release --project bench/Concord.Bench -- matching [--rows N] [--seed S] [--write DIR] [--unmatched SHARE]
//   dotnet run -c Release --project bench/Concord.Bench -- web [--rows N]
//   dotnet run -c Release --project bench/Concord.Bench -- ledger [--rows POSTINGS] [--postgres CONNECTION-STRING]
//   dotnet run -c Release --project bench/Concord.Bench -- tryton [--rows N] [--read M] [--part push|read] [--tryton "URL;DATABASE;USER;PASSWORD-FILE;SQLITE-FILE"] [--profile]
var rows = 1_000_000;
int? read = null;
string? postgres = null;
string? tryton = null;
var profile = false;
var seed = 1;
var unmatched = 0.0;
string? write = null;
string? part = null;
var suite = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "import";
args = suite == "import" && args.Length > 0 && args[0] == "import" ? args[1..] : suite == "import" ? args : args[1..];
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rows": rows = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--postgres": postgres = args[++i]; break;
        case "--part": part = args[++i]; break;
        case "--read": read = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--tryton": tryton = args[++i]; break;
        case "--profile": profile = true; break;
        case "--seed": seed = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--unmatched": unmatched = double.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--write": write = args[++i]; break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}
return suite switch
{
    "sync" => SyncBenchmark.Run(rows, part),
    "import" => ImportBenchmark.Run(rows, postgres),
    "matching" => MatchingBenchmark.Run(args.Contains("--rows") ? rows : 5_000, seed, write, unmatched),
    "gnucash" => GnuCashBenchmark.Run(args.Contains("--rows") ? rows : 100_000),
    "web" => WebBenchmark.Run(rows),
    "ledger" => LedgerBenchmark.Run(args.Contains("--rows") ? rows : 10_000_000, postgres),
    "tryton" => TrytonBenchmark.Run(args.Contains("--rows") ? rows : 10_000, read ?? 100_000, tryton, part, profile),
    _ => 2,
};
