namespace Concord.Core.Sync.Matching;

/// <summary>A field matching compares, with its levels of agreement from "differs" (0) up.</summary>
public sealed record MatchField(int Index, string Field, string[] Levels)
{
    public static readonly MatchField Name = new(0, "name", ["differs", "partly", "similar", "same"]);
    public static readonly MatchField Address = new(1, "address", ["differs", "partly", "same"]);
    public static readonly MatchField Postcode = new(2, "postcode", ["differs", "one digit off", "same"]);
    public static readonly MatchField Phone = new(3, "phone", ["differs", "one digit off", "same"]);
    public static readonly MatchField Email = new(4, "email", ["differs", "similar", "same"]);
    public static readonly MatchField Web = new(5, "web-site", ["differs", "same"]);
    public static readonly MatchField Vat = new(6, "vat", ["differs", "same"]);

    public static readonly MatchField[] All = [Name, Address, Postcode, Phone, Email, Web, Vat];
}

/// <summary>
/// How two records agree, field by field: a level of <see cref="MatchField.Levels"/>, or -1 where
/// either side has no value (a missing value is neither agreement nor disagreement).
/// </summary>
public static class Comparisons
{
    /// <summary>The levels of every field of <see cref="MatchField.All"/>, in that order, into <paramref name="levels"/>.</summary>
    public static void Compare(MatchRecord a, MatchRecord b, Span<int> levels)
    {
        levels[0] = Name(a, b);
        levels[1] = Address(a, b);
        levels[2] = Digits(a.Postcode, b.Postcode);
        levels[3] = Digits(a.Phone, b.Phone);
        levels[4] = Email(a.Email, b.Email);
        levels[5] = Same(a.Domain, b.Domain);
        levels[6] = Same(a.Vat, b.Vat);
    }

    /// <summary>
    /// 3: the same significant words; 2: nearly all words alike (typos, initials, nicknames, order);
    /// 1: some words alike (a family name, one word of a company's); 0: none.
    /// </summary>
    public static int Name(MatchRecord a, MatchRecord b)
    {
        if (a.Words.Length == 0 || b.Words.Length == 0)
        {
            return -1;
        }
        if (a.Joined == b.Joined)
        {
            return 3;
        }
        var score = Math.Max(WordsAlike(a.Words, b.Words), NameKey.Close(a.Joined, b.Joined) ? 0.9 : 0);
        return score >= 0.75 ? 2 : score >= 0.3 ? 1 : 0;
    }

    /// <summary>2: the same number on the same street; 1: the same street, or the same number where a side names no street; 0: otherwise.</summary>
    public static int Address(MatchRecord a, MatchRecord b)
    {
        if (a.Number is null && a.Street.Length == 0 || b.Number is null && b.Street.Length == 0)
        {
            return -1;
        }
        var number = a.Number is not null && a.Number == b.Number;
        var words = WordsAlike(a.Street, b.Street);
        return number && words >= 0.66 ? 2 : words >= 0.5 || number && (a.Street.Length == 0 || b.Street.Length == 0) ? 1 : 0;
    }

    /// <summary>2: equal; 1: one character changed or two neighbours swapped; 0: otherwise.</summary>
    public static int Digits(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return -1;
        }
        if (a == b)
        {
            return 2;
        }
        if (a.Length != b.Length)
        {
            return 0;
        }
        int first = -1, differences = 0;
        for (var i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                first = first < 0 ? i : first;
                differences++;
            }
        }
        var swapped = differences == 2 && first + 1 < a.Length && a[first] == b[first + 1] && a[first + 1] == b[first];
        return differences == 1 || swapped ? 1 : 0;
    }

    /// <summary>2: equal; 1: the same mailbox at another domain, or one typo; 0: otherwise.</summary>
    public static int Email(string? a, string? b)
    {
        if (a is null || b is null)
        {
            return -1;
        }
        if (a == b)
        {
            return 2;
        }
        var (atA, atB) = (a.IndexOf('@'), b.IndexOf('@'));
        var sameMailbox = atA > 0 && atA == atB && a.AsSpan(0, atA).SequenceEqual(b.AsSpan(0, atB));
        return sameMailbox || Math.Abs(a.Length - b.Length) <= 1 && NameKey.Distance(a, b, 1) <= 1 ? 1 : 0;
    }

    private static int Same(string? a, string? b) => a is null || b is null ? -1 : a == b ? 1 : 0;

    /// <summary>The share of the longer list's words that have an alike word in the other (a typo away, or an initial of it).</summary>
    public static double WordsAlike(string[] a, string[] b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0;
        }
        var shared = 0;
        foreach (var word in a.Length <= b.Length ? a : b)
        {
            foreach (var other in a.Length <= b.Length ? b : a)
            {
                if (NameKey.Close(word, other) || Initial(word, other) || Initial(other, word))
                {
                    shared++;
                    break;
                }
            }
        }
        return (double)shared / Math.Max(a.Length, b.Length);
    }

    private static bool Initial(string initial, string word) => initial.Length == 1 && word.Length > 1 && word[0] == initial[0];
}
