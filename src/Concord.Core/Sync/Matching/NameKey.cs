using System.Globalization;
using System.Text;

namespace Concord.Core.Sync.Matching;

/// <summary>
/// Names as match proposals (S3) compare them: reduced to their significant words (case, accents,
/// punctuation and legal forms such as "(Pty) Ltd", "Limited", "CC" dropped; word order ignored),
/// and words that are a typo apart (<see cref="Close"/>, <see cref="Distance"/>).
/// </summary>
public static class NameKey
{
    private static readonly HashSet<string> Noise = new(StringComparer.Ordinal)
    {
        "pty", "ltd", "limited", "cc", "inc", "llc", "plc", "co", "company", "the", "and", "bv", "nv", "gmbh", "sa", "sarl", "bvba", "srl", "t/a",
    };

    /// <summary>The significant words of a name: its <see cref="Tokens"/> without legal forms and fillers, each once, in order of the alphabet.</summary>
    public static string[] Words(string? name) =>
        [.. Tokens(name).Where(w => !Noise.Contains(w)).Distinct().Order(StringComparer.Ordinal)];

    /// <summary>The words of a text in lower case, accents and punctuation taken off, in their order.</summary>
    public static string[] Tokens(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return [];
        }
        var letters = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }
            letters.Append(char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : ' ');
        }
        return letters.ToString().Split(' ', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>Words within one edit per five letters of each other (typos).</summary>
    public static bool Close(string a, string b)
    {
        if (a == b)
        {
            return true;
        }
        var allowed = Math.Max(a.Length, b.Length) / 5;
        return allowed > 0 && Math.Abs(a.Length - b.Length) <= allowed && (a.Length < 10 || LettersApart(a, b) <= allowed) && Distance(a, b, allowed) <= allowed;
    }

    /// <summary>
    /// A lower bound of the edit distance from the letters alone (each edit fixes at most two
    /// letter counts): far cheaper than the distance, and most unrelated names fail it.
    /// </summary>
    private static int LettersApart(string a, string b)
    {
        Span<short> counts = stackalloc short[128];
        counts.Clear();
        foreach (var c in a)
        {
            counts[c & 127]++;
        }
        foreach (var c in b)
        {
            counts[c & 127]--;
        }
        var apart = 0;
        foreach (var count in counts)
        {
            apart += Math.Abs(count);
        }
        return (apart + 1) / 2;
    }

    /// <summary>The edit distance of two strings; stops early (returning more than <paramref name="limit"/>) once it cannot be within it.</summary>
    public static int Distance(string a, string b, int limit)
    {
        // Two rows on the stack: names are short, and this runs millions of times on a large first sync.
        Span<int> previous = b.Length < 128 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        Span<int> current = b.Length < 128 ? stackalloc int[b.Length + 1] : new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++)
        {
            previous[j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            var best = current[0];
            for (var j = 1; j <= b.Length; j++)
            {
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
                best = Math.Min(best, current[j]);
            }
            if (best > limit)
            {
                return best;
            }
            var swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.Length];
    }
}
