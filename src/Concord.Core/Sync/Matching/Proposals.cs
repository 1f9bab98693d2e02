using System.Collections.Concurrent;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Planning;

namespace Concord.Core.Sync.Matching;

/// <summary>A proposed pair: which records, how likely they are one customer, and how each field agreed.</summary>
public sealed record MatchPair(int Operational, int Accounting, double Probability, double Odds, int Pattern);

/// <summary>
/// Proposals (S3) for the records exact keys left unmatched: candidate pairs found by blocking
/// (<see cref="Blocking"/>), compared field by field (<see cref="Comparisons"/>), scored by a
/// Fellegi–Sunter model learnt from these very records (<see cref="MatchModel"/>). A pair whose
/// probability reaches <see cref="Threshold"/> is proposed, unless the names have nothing in common
/// (two customers may share an address) or the VAT numbers differ (two legal entities); a person
/// links it or confirms the record is new. Works on
/// records alone, without a store.
/// </summary>
public static class Proposals
{
    /// <summary>The probability from which a pair is proposed.</summary>
    public const double Threshold = 0.99;

    private const int RandomPairs = 100_000;

    private const int LearningSample = 50_000;

    // Every step-th record's candidates are counted for learning.
    private static int Step(int records) => Math.Max(1, records / LearningSample);

    private static long Sampled(int records) => (records + Step(records) - 1) / Step(records);

    /// <summary>Adds a proposal line to <paramref name="plan"/> for each record with likely pairs; <paramref name="log"/> hears how matching went.</summary>
    public static void Propose(Plan plan, List<SyncRecord> ops, List<SyncRecord> accs, HashSet<string> takenOp, HashSet<string> takenAcc, Action<string>? log = null)
    {
        // One note for every line: a first sync of a million records makes as many proposals.
        var confirm = $"confirm with '{CommandHint.For("sync link")}' or '{CommandHint.For("sync new")}'";
        var (likely, several) = ($"likely the same: {confirm}", $"several alike: {confirm}");
        var pairs = Find(ops, accs, Threshold, log);
        // The pairs come by operational record, the likeliest first: one line for each record's run of pairs.
        for (var start = 0; start < pairs.Count;)
        {
            var end = start;
            while (end < pairs.Count && pairs[end].Operational == pairs[start].Operational)
            {
                end++;
            }
            var op = ops[pairs[start].Operational];
            var candidates = new List<SyncRecord>(end - start);
            for (var k = start; k < end; k++)
            {
                candidates.Add(accs[pairs[k].Accounting]);
            }
            var best = pairs[start];
            var line = new PlanLine
            {
                Kind = LineKind.Proposal, Operational = op, Accounting = candidates.Count == 1 ? candidates[0] : null,
                Note = candidates.Count == 1 ? likely : several,
                Score = best.Probability,
                MatchPattern = best.Pattern,
            };
            line.AddCandidates(candidates.Select(c => c.Code));
            plan.Add(line);
            takenOp.Add(op.Key);
            takenAcc.UnionWith(candidates.Select(c => c.Key));
            start = end;
        }
    }

    /// <summary>The pairs of <paramref name="ops"/> and <paramref name="accs"/> likely to be the same customer, in order of the operational records.</summary>
    public static IReadOnlyList<MatchPair> Find(IReadOnlyList<SyncRecord> ops, IReadOnlyList<SyncRecord> accs, double threshold = Threshold, Action<string>? log = null)
    {
        if (ops.Count == 0 || accs.Count == 0)
        {
            return [];
        }
        var (accRecords, blocking, model) = Learn(ops, accs, log);
        var found = new ConcurrentBag<MatchPair>();
        var minimumOdds = Math.Log2(threshold / (1 - threshold));
        Parallel.For(0, ops.Count, () => new Scratch(), (o, _, scratch) =>
        {
            var op = MatchRecord.Of(ops[o]);
            blocking.Candidates(op, scratch.Keys, scratch.Found);
            foreach (var acc in scratch.Found)
            {
                Comparisons.Compare(op, accRecords[acc], scratch.Levels);
                var pattern = MatchModel.Pattern(scratch.Levels);
                var odds = model.Odds(pattern);
                // Two customers may share an address, a phone, a postcode: names with nothing in common are never proposed;
                // nor are two different VAT numbers, two legal entities.
                if (odds >= minimumOdds && scratch.Levels[MatchField.Name.Index] != 0 && scratch.Levels[MatchField.Vat.Index] != 0)
                {
                    scratch.Pairs.Add(new MatchPair(o, acc, 1 / (1 + Math.Pow(2, -odds)), odds, pattern));
                }
            }
            // Only the record's pairs near its best are kept (the other side's best is looked at once all are found).
            if (scratch.Pairs.Count > 0)
            {
                var best = scratch.Pairs.Max(p => p.Odds);
                foreach (var pair in scratch.Pairs.Where(p => p.Odds >= best - Margin))
                {
                    found.Add(pair);
                }
                scratch.Pairs.Clear();
            }
            return scratch;
        }, _ => { });
        log?.Invoke($"scored every record's candidates: {found.Count:N0} pairs from the threshold and near their record's best");
        return [.. NearTheBest(found).OrderBy(p => p.Operational).ThenByDescending(p => p.Odds)];
    }

    /// <summary>
    /// A record has one counterpart: of the pairs a record is in, only those nearly as likely as
    /// its best (within <see cref="Margin"/> bits of odds) are kept — for the operational records
    /// while scoring, here for the accounting ones. A family member at the same address is dropped
    /// when the customer's own record is there too; two records that are equally alike stay, and
    /// the line shows them as several candidates.
    /// </summary>
    private static IEnumerable<MatchPair> NearTheBest(IReadOnlyCollection<MatchPair> pairs)
    {
        var bestOfAcc = new Dictionary<int, double>();
        foreach (var pair in pairs)
        {
            bestOfAcc[pair.Accounting] = Math.Max(bestOfAcc.GetValueOrDefault(pair.Accounting, double.MinValue), pair.Odds);
        }
        return pairs.Where(p => p.Odds >= bestOfAcc[p.Accounting] - Margin);
    }

    /// <summary>How much less likely (in bits of odds) than a record's best pair another pair may be and still be shown.</summary>
    private const double Margin = 5;

    /// <summary>The model learnt from these records (for tests and benchmarks).</summary>
    public static MatchModel Learn(IReadOnlyList<SyncRecord> ops, IReadOnlyList<SyncRecord> accs) => Learn(ops, accs, null).Model;

    /// <summary>The accounting side prepared for comparison, its blocking keys, and the model learnt from both sides.</summary>
    private static (MatchRecord[] Accounting, Blocking Blocking, MatchModel Model) Learn(IReadOnlyList<SyncRecord> ops, IReadOnlyList<SyncRecord> accs, Action<string>? log)
    {
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var accRecords = new MatchRecord[accs.Count];
        var pool = new System.Collections.Concurrent.ConcurrentDictionary<string, string>(StringComparer.Ordinal);
        Parallel.For(0, accs.Count, i => accRecords[i] = MatchRecord.Of(accs[i], pool));
        pool.Clear();
        var blocking = new Blocking(accRecords);
        log?.Invoke($"prepared {accs.Count:N0} records and {blocking.Count:N0} keys in {watch.Elapsed.TotalSeconds:F1} s ({blocking.Dropped:N0} keys too common, left out)");
        var candidates = CandidatePatterns(ops, accRecords, blocking);
        log?.Invoke($"compared {candidates.Sum():N0} candidate pairs at {watch.Elapsed.TotalSeconds:F1} s");
        var model = MatchModel.Estimate(RandomPatterns(ops, accRecords), candidates, Sampled(ops.Count));
        log?.Invoke($"model at {watch.Elapsed.TotalSeconds:F1} s: {model}");
        return (accRecords, blocking, model);
    }

    /// <summary>The agreement patterns of random pairs (all pairs when there are few), counted: nearly all unrelated.</summary>
    private static long[] RandomPatterns(IReadOnlyList<SyncRecord> ops, MatchRecord[] accs)
    {
        var counts = new long[MatchModel.PatternCount];
        Span<int> levels = stackalloc int[MatchField.All.Length];
        if ((long)ops.Count * accs.Length <= RandomPairs)
        {
            foreach (var record in ops)
            {
                var op = MatchRecord.Of(record);
                foreach (var acc in accs)
                {
                    Comparisons.Compare(op, acc, levels);
                    counts[MatchModel.Pattern(levels)]++;
                }
            }
            return counts;
        }
        // The same sample every time for the same records: a preview and its run propose the same pairs.
        var random = new Random(ops.Count * 31 + accs.Length);
        for (var i = 0; i < RandomPairs; i++)
        {
            Comparisons.Compare(MatchRecord.Of(ops[random.Next(ops.Count)]), accs[random.Next(accs.Length)], levels);
            counts[MatchModel.Pattern(levels)]++;
        }
        return counts;
    }

    /// <summary>
    /// The agreement patterns of the candidate pairs blocking finds, counted: of every record when
    /// there are few, else of <see cref="LearningSample"/> records spread evenly — enough to learn a
    /// few dozen numbers, and a large first sync compares its candidates once, not twice.
    /// </summary>
    private static long[] CandidatePatterns(IReadOnlyList<SyncRecord> ops, MatchRecord[] accs, Blocking blocking)
    {
        var counts = new long[MatchModel.PatternCount];
        var step = Step(ops.Count);
        Parallel.For(0, (ops.Count + step - 1) / step, () => (Scratch: new Scratch(), Counts: new long[MatchModel.PatternCount]), (k, _, local) =>
        {
            var op = MatchRecord.Of(ops[k * step]);
            blocking.Candidates(op, local.Scratch.Keys, local.Scratch.Found);
            foreach (var acc in local.Scratch.Found)
            {
                Comparisons.Compare(op, accs[acc], local.Scratch.Levels);
                local.Counts[MatchModel.Pattern(local.Scratch.Levels)]++;
            }
            return local;
        }, local =>
        {
            lock (counts)
            {
                for (var p = 0; p < counts.Length; p++)
                {
                    counts[p] += local.Counts[p];
                }
            }
        });
        return counts;
    }

    /// <summary>What one thread reuses from record to record.</summary>
    private sealed class Scratch
    {
        public readonly List<long> Keys = [];
        public readonly HashSet<int> Found = [];
        public readonly int[] Levels = new int[MatchField.All.Length];
        public readonly List<MatchPair> Pairs = [];
    }
}
