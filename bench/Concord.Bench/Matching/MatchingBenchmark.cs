using System.Diagnostics;
using System.Globalization;
using System.Text;
using Concord.Core.Connectors;
using Concord.Core.Sync.Matching;
using Concord.Core.Sync.Planning;

namespace Concord.Bench.Matching;

/// <summary>
/// The matching benchmark (issue 10): generated originals on the operational side, their corrupted
/// copies on the accounting side, the proposals of <see cref="Proposals.Propose"/> called as the
/// planner calls it, scored against the truth: precision, recall, F1, time, peak memory, and the
/// true pairs missed by the corruptions their copy went through.
/// </summary>
public static class MatchingBenchmark
{
    /// <param name="unmatched">The share of originals, and independently of copies, left out, so that records without a counterpart on the other side are there too.</param>
    public static int Run(int n, int seed, string? write, double unmatched = 0)
    {
        if (n < 1)
        {
            Console.Error.WriteLine("--rows: must be at least 1");
            return 2;
        }
        Console.WriteLine($"# Concord matching benchmark: {n:N0} originals x {n:N0} corrupted copies, seed {seed}, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        var startPeak = SyncBenchmark.PeakKib();
        var generating = Stopwatch.StartNew();
        var set = MatchingData.Generate(n, seed, message => Console.Error.WriteLine(message));
        var generated = generating.Elapsed.TotalSeconds;
        if (Check(set) is { } problem)
        {
            Console.Error.WriteLine($"truth is inconsistent: {problem}");
            return 1;
        }
        var generationPeak = SyncBenchmark.PeakKib();
        var heldMib = GC.GetTotalMemory(forceFullCollection: true) / 1048576.0;
        var truthMib = (set.CopyOf.Length * 4L + set.Applied.Length * 4L + set.Kind.Length) / 1048576.0;
        Console.WriteLine($"data | {2 * n:N0} records in {generated:F1} s; managed heap holding them {heldMib:F0} MiB, of which the truth {truthMib:F1} MiB; " +
            $"peak RSS while generating {generationPeak / 1024.0:F0} MiB ({startPeak / 1024.0:F0} MiB at start)");
        if (write is not null)
        {
            Write(set, write);
            Console.Error.WriteLine($"wrote ops.csv, accs.csv and truth.csv to {write}");
        }

        // Records without a counterpart: originals and copies left out at random (the same ones for a seed).
        var keptOp = Enumerable.Range(0, n).Select(i => !Dice.For(seed, i, 7).Chance(unmatched)).ToArray();
        var keptAcc = Enumerable.Range(0, n).Select(j => !Dice.For(seed, j, 8).Chance(unmatched)).ToArray();
        var ops = set.Operational.Where((_, i) => keptOp[i]).ToList();
        var accs = set.Accounting.Where((_, j) => keptAcc[j]).ToList();
        var paired = new bool[n];
        for (var j = 0; j < n; j++)
        {
            paired[set.CopyOf[j]] = keptOp[set.CopyOf[j]] && keptAcc[j];
        }
        if (unmatched > 0)
        {
            Console.WriteLine($"unmatched | {n - ops.Count:N0} originals and {n - accs.Count:N0} copies left out: {ops.Count:N0} x {accs.Count:N0} records, {paired.Count(p => p):N0} true pairs");
        }

        var plan = new Plan { Full = true, OperationalCursor = "0", AccountingCursor = null };
        var takenOp = new HashSet<string>(StringComparer.Ordinal);
        var takenAcc = new HashSet<string>(StringComparer.Ordinal);
        SyncBenchmark.ResetPeak();
        var before = SyncBenchmark.PeakKib();
        var proposing = Stopwatch.StartNew();
        Proposals.Propose(plan, ops, accs, takenOp, takenAcc, message => Console.WriteLine($"matching | {message}"));
        var seconds = proposing.Elapsed.TotalSeconds;
        var peak = SyncBenchmark.PeakKib();
        Console.WriteLine($"propose | {seconds:F2} s, peak RSS {peak / 1024.0:F0} MiB ({before / 1024.0:F0} MiB before, {(peak - before) / 1024.0:F0} MiB more)");
        Report(set, plan, paired);
        return 0;
    }

    /// <summary>The truth checks itself: every copy maps to exactly one original, codes are as documented, no VAT number is shared, no copy equals its original.</summary>
    private static string? Check(MatchingSet set)
    {
        var n = set.Operational.Count;
        if (set.Accounting.Count != n || set.CopyOf.Length != n || set.Applied.Length != n)
        {
            return $"{n} originals but {set.Accounting.Count} copies, {set.CopyOf.Length} truth rows";
        }
        var seen = new bool[n];
        for (var j = 0; j < n; j++)
        {
            var acc = set.Accounting[j];
            var original = set.CopyOf[j];
            if (acc is null || acc.Code != MatchingData.Code('A', j))
            {
                return $"copy {MatchingData.Code('A', j)}: missing or under another code";
            }
            if (original < 0 || original >= n || seen[original])
            {
                return $"copy {acc.Code}: original {original + 1} is out of range or has a second copy";
            }
            seen[original] = true;
            var op = set.Operational[original];
            if (op.Code != MatchingData.Code('O', original))
            {
                return $"original {op.Code}: expected code {MatchingData.Code('O', original)}";
            }
            if (op.Vat is not null || acc.Vat is not null)
            {
                return $"record {(op.Vat is not null ? op.Code : acc.Code)}: field vat: has a VAT number; neither side may have one";
            }
            if (op.SameValues(acc))
            {
                return $"copy {acc.Code}: equals its original {op.Code}";
            }
            if (set.Applied[original] == Corruption.None)
            {
                return $"copy {acc.Code}: no corruption recorded";
            }
        }
        return null;
    }

    /// <summary>Precision and recall against the true pairs whose both records took part (<paramref name="paired"/>, by original).</summary>
    private static void Report(MatchingSet set, Plan plan, bool[] paired)
    {
        var n = set.Operational.Count;
        var truePairs = paired.Count(p => p);
        var found = new bool[n];
        long proposed = 0, correct = 0, lookAlikeWrong = 0, lines = 0, multi = 0;
        var wrongByKind = new long[Enum.GetValues<LookAlike>().Length];
        foreach (var line in plan.Worked)
        {
            if (line.Kind != LineKind.Proposal)
            {
                continue;
            }
            lines++;
            multi += line.Candidates.Count > 1 ? 1 : 0;
            var op = Index(line.OperationalCode!, 'O');
            foreach (var candidate in line.Candidates)
            {
                proposed++;
                var copy = Index(candidate, 'A');
                if (set.CopyOf[copy] == op)
                {
                    correct++;
                    found[op] = true;
                }
                else if (set.AreLookAlikes(op, set.CopyOf[copy]))
                {
                    lookAlikeWrong++;
                    wrongByKind[(int)(set.Kind[op] != LookAlike.None ? set.Kind[op] : set.Kind[set.CopyOf[copy]])]++;
                }
            }
        }
        var precision = proposed == 0 ? 0 : (double)correct / proposed;
        var recall = (double)correct / truePairs;
        var f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        Console.WriteLine($"score | true pairs {truePairs:N0}, proposed pairs {proposed:N0} on {lines:N0} lines ({multi:N0} with several candidates), correct {correct:N0}: " +
            $"precision {precision:P2}, recall {recall:P2}, F1 {f1:F4}");
        var lookAlikes = set.Kind.Count(k => k != LookAlike.None);
        Console.WriteLine($"false pairs | {proposed - correct:N0}: {lookAlikeWrong:N0} between look-alikes ({string.Join(", ", Enum.GetValues<LookAlike>().Skip(1).Select(k => $"{k} {wrongByKind[(int)k]:N0}"))}), " +
            $"{proposed - correct - lookAlikeWrong:N0} between unrelated records; {lookAlikes:N0} originals are look-alikes ({(double)lookAlikes / n:P1})");

        var perCopy = new long[4];
        foreach (var applied in set.Applied)
        {
            perCopy[Math.Min(3, System.Numerics.BitOperations.PopCount((uint)applied))]++;
        }
        Console.WriteLine($"corruptions per copy | 1: {(double)perCopy[1] / n:P1}, 2: {(double)perCopy[2] / n:P1}, 3 or more: {(double)perCopy[3] / n:P1}");
        Console.WriteLine("missed by corruption | corruption: copies with it (share of all copies), missed among them (recall), copies with it alone, missed among those");
        foreach (var kind in Enum.GetValues<Corruption>().Where(k => k != Corruption.None))
        {
            long with = 0, missed = 0, alone = 0, missedAlone = 0;
            for (var i = 0; i < n; i++)
            {
                if ((set.Applied[i] & kind) == 0 || !paired[i])
                {
                    continue;
                }
                with++;
                missed += found[i] ? 0 : 1;
                if (set.Applied[i] == kind)
                {
                    alone++;
                    missedAlone += found[i] ? 0 : 1;
                }
            }
            if (with > 0)
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"  {kind,-20} {with,9:N0} ({(double)with / n,6:P1})  missed {missed,9:N0} (recall {1 - (double)missed / with,6:P1})  alone {alone,9:N0}  missed {missedAlone,9:N0}"));
            }
        }
    }

    private static int Index(string code, char side) =>
        code.Length > 1 && code[0] == side && int.TryParse(code.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            ? number - 1
            : throw new InvalidOperationException($"proposal names {code}, not a generated {side} code");

    /// <summary>Writes ops.csv and accs.csv (code and the synced fields) and truth.csv (copy, original, corruptions, look-alike) for inspection.</summary>
    private static void Write(MatchingSet set, string folder)
    {
        Directory.CreateDirectory(folder);
        WriteRecords(Path.Combine(folder, "ops.csv"), set.Operational);
        WriteRecords(Path.Combine(folder, "accs.csv"), set.Accounting);
        using var truth = new StreamWriter(Path.Combine(folder, "truth.csv"), false, new UTF8Encoding(false), 1 << 16);
        truth.WriteLine("accounting-code,operational-code,corruptions,look-alike");
        for (var j = 0; j < set.CopyOf.Length; j++)
        {
            var original = set.CopyOf[j];
            var kinds = string.Join('+', Enum.GetValues<Corruption>().Where(k => k != Corruption.None && (set.Applied[original] & k) != 0));
            var like = set.Kind[original] == LookAlike.None ? "" : $"{set.Kind[original]} of {MatchingData.Code('O', original - original % MatchingData.GroupSize)}";
            truth.WriteLine($"{MatchingData.Code('A', j)},{MatchingData.Code('O', original)},{kinds},{like}");
        }
    }

    private static void WriteRecords(string path, List<SyncRecord> records)
    {
        using var writer = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 16);
        writer.WriteLine("code," + string.Join(',', SyncFields.All));
        foreach (var record in records)
        {
            writer.Write(record.Code);
            foreach (var value in record.Values)
            {
                writer.Write(',');
                writer.Write(value is null ? "" : value.Contains(',', StringComparison.Ordinal) || value.Contains('"', StringComparison.Ordinal) ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value);
            }
            writer.WriteLine();
        }
    }
}
