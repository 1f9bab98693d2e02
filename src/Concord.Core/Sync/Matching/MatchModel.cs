namespace Concord.Core.Sync.Matching;

/// <summary>
/// A Fellegi–Sunter model of when two records are the same customer, learnt from the records
/// themselves: for each field and level, m = how often a true pair agrees that way and u = how
/// often two unrelated records do. u is counted on random pairs (nearly all unrelated); m and the
/// share of true pairs among the compared candidates are estimated by expectation–maximisation on
/// the candidates' agreement patterns, m in training sessions (<see cref="Estimate"/>). Both start from a prior (<see cref="StartM"/>,
/// <see cref="StartU"/>) worth <see cref="PriorWeight"/> and <see cref="PriorPairs"/> pairs, so that a
/// few dozen records (the demo) keep sensible weights and a large first sync learns its own.
/// </summary>
public sealed class MatchModel
{
    private static readonly MatchField[] Fields = MatchField.All;

    // Where EM starts: a true pair mostly agrees exactly. Only a starting point; the data moves it.
    private static readonly double[][] StartM =
    [
        [0.05, 0.10, 0.25, 0.60], [0.10, 0.20, 0.70], [0.05, 0.10, 0.85], [0.10, 0.10, 0.80], [0.10, 0.10, 0.80], [0.10, 0.90], [0.10, 0.90],
    ];

    // How often unrelated records agree, before any are counted.
    private static readonly double[][] StartU =
    [
        [0.900, 0.080, 0.015, 0.005], [0.850, 0.140, 0.010], [0.950, 0.040, 0.010], [0.980, 0.019, 0.001], [0.990, 0.009, 0.001], [0.990, 0.010], [0.999, 0.001],
    ];

    private const double PriorWeight = 20;
    private const double PriorPairs = 2000;
    private const int Iterations = 50;

    // The fewest candidate pairs a training session learns from.
    private const double SessionPairs = 100;

    private readonly double[][] _m;
    private readonly double[][] _u;

    private MatchModel(double[][] m, double[][] u, double share)
    {
        _m = m;
        _u = u;
        Share = share;
    }

    /// <summary>The share of true pairs among the candidates compared.</summary>
    public double Share { get; }

    /// <summary>How much a level of a field speaks for (positive) or against (negative) a true pair: log2(m / u).</summary>
    public double Weight(MatchField field, int level) => Math.Log2(_m[field.Index][level] / _u[field.Index][level]);

    /// <summary>The probability that a pair with these levels (-1: missing) is the same customer.</summary>
    public double Probability(ReadOnlySpan<int> levels) => 1 / (1 + Math.Pow(2, -Odds(levels)));

    private double[]? _patternOdds;

    /// <summary>The log2 odds of a pattern (<see cref="Pattern"/>), from a table made on first use: a large first sync scores millions of pairs.</summary>
    public double Odds(int pattern)
    {
        if (_patternOdds is null)
        {
            var table = new double[PatternCount];
            Span<int> levels = stackalloc int[Fields.Length];
            for (var p = 0; p < table.Length; p++)
            {
                Levels(p, levels);
                table[p] = Odds(levels);
            }
            _patternOdds = table;
        }
        return _patternOdds[pattern];
    }

    /// <summary>The log2 odds that a pair with these levels is the same customer: the share's, plus each field's weight.</summary>
    public double Odds(ReadOnlySpan<int> levels)
    {
        var odds = Math.Log2(Share / (1 - Share));
        for (var f = 0; f < Fields.Length; f++)
        {
            if (levels[f] >= 0)
            {
                odds += Math.Log2(_m[f][levels[f]] / _u[f][levels[f]]);
            }
        }
        return odds;
    }

    /// <summary>The share, then each field's levels with m, u and weight (for benchmarks and troubleshooting).</summary>
    public override string ToString() =>
        $"share {Share:0.0000}; " + string.Join("; ", Fields.Select(f => $"{f.Field}: " + string.Join(", ",
            f.Levels.Select((level, l) => $"{level} m={_m[f.Index][l]:0.000} u={_u[f.Index][l]:0.0000} w={Weight(f, l):0.0}"))));

    /// <summary>How many distinct agreement patterns there are: each field's levels and "missing".</summary>
    public static int PatternCount => Fields.Aggregate(1, (count, f) => count * (f.Levels.Length + 1));

    /// <summary>The pattern of <paramref name="levels"/>, a number below <see cref="PatternCount"/>.</summary>
    public static int Pattern(ReadOnlySpan<int> levels)
    {
        var pattern = 0;
        for (var f = 0; f < Fields.Length; f++)
        {
            pattern = pattern * (Fields[f].Levels.Length + 1) + levels[f] + 1;
        }
        return pattern;
    }

    /// <summary>Each field's agreement in a pattern, by name ("missing" where a side has no value).</summary>
    public static IReadOnlyList<(string Field, string Level)> Agreement(int pattern)
    {
        Span<int> levels = stackalloc int[Fields.Length];
        Levels(pattern, levels);
        var agreement = new List<(string, string)>(levels.Length);
        foreach (var field in Fields)
        {
            agreement.Add((field.Field, levels[field.Index] < 0 ? "missing" : field.Levels[levels[field.Index]]));
        }
        return agreement;
    }

    /// <summary>The levels of a pattern (the inverse of <see cref="Pattern"/>).</summary>
    public static void Levels(int pattern, Span<int> levels)
    {
        for (var f = Fields.Length - 1; f >= 0; f--)
        {
            var radix = Fields[f].Levels.Length + 1;
            levels[f] = pattern % radix - 1;
            pattern /= radix;
        }
    }

    /// <summary>
    /// Learns the model: u from <paramref name="random"/> (the patterns of random pairs, counted),
    /// m by EM over <paramref name="candidates"/> (the patterns of the candidate pairs, counted) in
    /// training sessions, then the share of true pairs among the candidates by EM with m and u held.
    /// </summary>
    /// <remarks>
    /// <para>
    /// Each session takes the candidates that agree on two fields (<see cref="Sessions"/>: the same
    /// address and phone, names alike and the same e-mail…) and learns m for the other fields only,
    /// as Splink's training sessions do; a field's m is the mean of the sessions that learnt it from
    /// at least <see cref="SessionPairs"/> pairs. Over all candidates at once EM has no better account
    /// of the unrelated pairs that blocking brought together — a family name and a postcode in
    /// common, a company word and a street — than to make them true pairs, and m would rate "names
    /// partly alike" and "address differs" as usual for one: a record without a counterpart then
    /// gets such a record proposed. Two fields agreeing leave few unrelated pairs in a session (one
    /// does not: namesakes and family members can share an e-mail address or a phone), and no field's m
    /// is learnt from pairs chosen for agreeing on it. A field no session learnt (records without
    /// phone or e-mail) keeps what EM over all candidates gives. (EM over all candidates with a u of
    /// their own for the unrelated ones was tried and withdrawn: where they outnumber the true pairs,
    /// EM takes them for the true ones.)
    /// </para>
    /// <para>
    /// A record has one counterpart at most, so no more than <paramref name="records"/> (the records
    /// whose candidates were counted) of the candidates can be true pairs: the share is held below that.
    /// </para>
    /// </remarks>
    public static MatchModel Estimate(long[] random, long[] candidates, long records)
    {
        Span<int> levels = stackalloc int[Fields.Length];
        var u = Fields.Select(f => new double[f.Levels.Length]).ToArray();
        for (var p = 0; p < random.Length; p++)
        {
            if (random[p] == 0)
            {
                continue;
            }
            Levels(p, levels);
            for (var f = 0; f < Fields.Length; f++)
            {
                if (levels[f] >= 0)
                {
                    u[f][levels[f]] += random[p];
                }
            }
        }
        u = [.. u.Select((counts, f) => Smoothed(counts, StartU[f], PriorPairs))];

        var used = Enumerable.Range(0, candidates.Length).Where(p => candidates[p] > 0).ToArray();
        var patterns = new int[used.Length][];
        for (var i = 0; i < used.Length; i++)
        {
            Levels(used[i], levels);
            patterns[i] = levels.ToArray();
        }
        var counts = used.Select(p => (double)candidates[p]).ToArray();

        // m of each field: the mean of what the sessions that do not select on it learnt from enough pairs;
        // a field no session learnt (the records have no phone or e-mail) keeps what EM over all candidates gives.
        var (overAll, _) = Em(patterns, counts, StartM, u, learns: _ => true, weighs: _ => true, records);
        var sums = Fields.Select(f => new double[f.Levels.Length]).ToArray();
        var sessions = new int[Fields.Length];
        foreach (var (selects, chosen) in Sessions)
        {
            var inSession = counts.Select((count, i) => chosen(patterns[i]) ? count : 0).ToArray();
            if (inSession.Sum() < SessionPairs)
            {
                continue;
            }
            var (m, _) = Em(patterns, inSession, StartM, u, learns: f => !selects.Contains(f), weighs: f => !selects.Contains(f), double.MaxValue);
            for (var f = 0; f < Fields.Length; f++)
            {
                if (!selects.Contains(f))
                {
                    sessions[f]++;
                    for (var l = 0; l < sums[f].Length; l++)
                    {
                        sums[f][l] += m[f][l];
                    }
                }
            }
        }
        var learnt = sums.Select((sum, f) => sessions[f] == 0 ? overAll[f] : sum.Select(v => v / sessions[f]).ToArray()).ToArray();
        var (_, share) = Em(patterns, counts, learnt, u, learns: _ => false, weighs: _ => true, records);
        return new MatchModel(learnt, u, share);
    }

    /// <summary>
    /// The training sessions: the fields a session selects on (whose m it does not learn) and which
    /// candidates it takes. Between them every field's m is learnt at least once.
    /// </summary>
    private static readonly (int[] Selects, Func<int[], bool> Chosen)[] Sessions =
    [
        Session((MatchField.Address, 2), (MatchField.Phone, 2)),
        Session((MatchField.Address, 2), (MatchField.Email, 2)),
        Session((MatchField.Name, 2), (MatchField.Phone, 2)),
        Session((MatchField.Name, 2), (MatchField.Email, 2)),
        Session((MatchField.Name, 2), (MatchField.Address, 2)),
    ];

    // The candidates that agree on both fields at least at these levels.
    private static (int[] Selects, Func<int[], bool> Chosen) Session((MatchField Field, int Level) first, (MatchField Field, int Level) second) =>
        ([first.Field.Index, second.Field.Index], levels => levels[first.Field.Index] >= first.Level && levels[second.Field.Index] >= second.Level);

    /// <summary>
    /// EM over counted patterns: how likely each is a true pair, from the fields it
    /// <paramref name="weighs"/> (a field a session selects on says nothing about its pairs), and
    /// from them m of the fields it <paramref name="learns"/> (the others' held) and the share, held
    /// below <paramref name="maximum"/> true pairs; u held.
    /// </summary>
    private static (double[][] M, double Share) Em(int[][] patterns, double[] counts, double[][] startM, double[][] u,
        Func<int, bool> learns, Func<int, bool> weighs, double maximum)
    {
        var m = startM.Select(row => row.ToArray()).ToArray();
        var share = 0.1;
        var all = counts.Sum();
        if (all == 0)
        {
            return (m, share);
        }
        var weighed = Enumerable.Range(0, Fields.Length).Where(weighs).ToArray();
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var matches = Fields.Select(f => new double[f.Levels.Length]).ToArray();
            double matched = 0;
            for (var i = 0; i < patterns.Length; i++)
            {
                if (counts[i] == 0)
                {
                    continue;
                }
                var odds = Math.Log2(share / (1 - share));
                foreach (var f in weighed)
                {
                    if (patterns[i][f] >= 0)
                    {
                        odds += Math.Log2(m[f][patterns[i][f]] / u[f][patterns[i][f]]);
                    }
                }
                var g = counts[i] / (1 + Math.Pow(2, -odds));
                matched += g;
                foreach (var f in weighed)
                {
                    if (patterns[i][f] >= 0)
                    {
                        matches[f][patterns[i][f]] += g;
                    }
                }
            }
            var change = 0.0;
            for (var f = 0; f < Fields.Length; f++)
            {
                if (learns(f))
                {
                    var next = Smoothed(matches[f], StartM[f], PriorWeight);
                    change = Math.Max(change, next.Select((value, l) => Math.Abs(value - m[f][l])).Max());
                    m[f] = next;
                }
            }
            var nextShare = Math.Clamp(Math.Min((matched + 1) / (all + 2), (maximum + 1) / (all + 2)), 1e-6, 1 - 1e-6);
            change = Math.Max(change, Math.Abs(nextShare - share));
            share = nextShare;
            if (change < 1e-6)
            {
                break;
            }
        }
        return (m, share);
    }

    /// <summary>Counts as shares, with <paramref name="weight"/> pseudo-counts spread as <paramref name="prior"/>.</summary>
    private static double[] Smoothed(double[] counts, double[] prior, double weight)
    {
        var total = counts.Sum() + weight;
        return [.. counts.Select((count, l) => (count + weight * prior[l]) / total)];
    }
}
