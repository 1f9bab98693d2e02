namespace Concord.Core.Sync.Matching;

/// <summary>
/// A Fellegi–Sunter model of when two records are the same customer, learnt from the records
/// themselves: for each field and level, m = how often a true pair agrees that way and u = how
/// often two unrelated records do. u is counted on random pairs (nearly all unrelated); m and the
/// share of true pairs among the compared candidates are estimated by expectation–maximisation on
/// the candidates' agreement patterns. Both start from a prior (<see cref="StartM"/>,
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
    /// m and the share by EM over <paramref name="candidates"/> (the patterns of the candidate pairs, counted).
    /// </summary>
    /// <remarks>
    /// A record has one counterpart at most, so no more than <paramref name="records"/> (the records
    /// whose candidates were counted) of the candidates can be true pairs: the share is held below
    /// that. Without it EM may explain every candidate as a true pair, since candidates agree more than
    /// random pairs on what brought them together.
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

        // EM over the candidates: which are true pairs (g), and from them m and the share; u stays what random pairs showed.
        var m = StartM.Select(row => row.ToArray()).ToArray();
        var share = 0.1;
        var used = Enumerable.Range(0, candidates.Length).Where(p => candidates[p] > 0).ToArray();
        var patternLevels = new int[used.Length][];
        for (var i = 0; i < used.Length; i++)
        {
            Levels(used[i], levels);
            patternLevels[i] = levels.ToArray();
        }
        for (var iteration = 0; iteration < Iterations; iteration++)
        {
            var model = new MatchModel(m, u, share);
            var matches = Fields.Select(f => new double[f.Levels.Length]).ToArray();
            double matched = 0, all = 0;
            for (var i = 0; i < used.Length; i++)
            {
                var count = candidates[used[i]];
                var g = model.Probability(patternLevels[i]) * count;
                matched += g;
                all += count;
                for (var f = 0; f < Fields.Length; f++)
                {
                    if (patternLevels[i][f] >= 0)
                    {
                        matches[f][patternLevels[i][f]] += g;
                    }
                }
            }
            var nextM = new double[Fields.Length][];
            var change = 0.0;
            for (var f = 0; f < Fields.Length; f++)
            {
                nextM[f] = Smoothed(matches[f], StartM[f], PriorWeight);
                change = Math.Max(change, nextM[f].Select((value, l) => Math.Abs(value - m[f][l])).Max());
            }
            m = nextM;
            var nextShare = Math.Clamp(Math.Min((matched + 1) / (all + 2), (records + 1) / (all + 2)), 1e-6, 1 - 1e-6);
            change = Math.Max(change, Math.Abs(nextShare - share));
            share = nextShare;
            if (change < 1e-6)
            {
                break;
            }
        }
        return new MatchModel(m, u, share);
    }

    /// <summary>Counts as shares, with <paramref name="weight"/> pseudo-counts spread as <paramref name="prior"/>.</summary>
    private static double[] Smoothed(double[] counts, double[] prior, double weight)
    {
        var total = counts.Sum() + weight;
        return [.. counts.Select((count, l) => (count + weight * prior[l]) / total)];
    }
}
