using Concord.Bench;

// A timed harness for the foundation's speed and memory targets; see docs/BENCHMARKS.md.
//   dotnet run -c Release --project bench/Concord.Bench -- [--rows N] [--postgres CONNECTION-STRING]
var rows = 1_000_000;
string? postgres = null;
for (var i = 0; i < args.Length; i++)
{
    switch (args[i])
    {
        case "--rows": rows = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
        case "--postgres": postgres = args[++i]; break;
        default: Console.Error.WriteLine($"unknown argument {args[i]}"); return 2;
    }
}
return ImportBenchmark.Run(rows, postgres);
