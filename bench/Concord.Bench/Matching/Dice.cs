namespace Concord.Bench.Matching;

/// <summary>
/// A small deterministic random source (SplitMix64) made from a seed and a record's number, so that
/// any record can be made again on its own, in any order, on any machine and .NET version.
/// </summary>
internal struct Dice(ulong state)
{
    private ulong _state = state;

    public static Dice For(int seed, long index, ulong stream = 0) =>
        new(Mix((ulong)(uint)seed * 0x9E3779B97F4A7C15UL ^ Mix((ulong)index + 0x632BE59BD9B4E019UL * (stream + 1))));

    private static ulong Mix(ulong z)
    {
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    private ulong NextBits() => Mix(_state += 0x9E3779B97F4A7C15UL);

    /// <summary>0 to <paramref name="count"/> - 1, uniformly.</summary>
    public int Next(int count) => (int)((NextBits() >> 33) * (ulong)count >> 31);

    /// <summary>A number in [0, 1).</summary>
    public double Unit() => (NextBits() >> 11) * (1.0 / (1UL << 53));

    public bool Chance(double probability) => Unit() < probability;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>An index favouring the front of a list ordered from common to rare (about 1.7 % for the first of 200).</summary>
    public int Skewed(int count) => Math.Min(count - 1, (int)(count * Math.Pow(Unit(), 1.3)));

    /// <summary>Picks an index by weight.</summary>
    public int Weighted(ReadOnlySpan<double> weights)
    {
        var total = 0.0;
        foreach (var w in weights)
        {
            total += w;
        }
        var at = Unit() * total;
        for (var i = 0; i < weights.Length; i++)
        {
            if ((at -= weights[i]) < 0)
            {
                return i;
            }
        }
        return weights.Length - 1;
    }
}
