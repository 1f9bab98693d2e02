using System.Text;

namespace Concord.Bench.Matching;

/// <summary>The corruptions a copy went through, one bit each, so a copy's history fits in one number.</summary>
[Flags]
public enum Corruption : uint
{
    None = 0,
    NameTypo = 1 << 0,
    NamePhonetic = 1 << 1,
    NameOcr = 1 << 2,
    NamesSwapped = 1 << 3,
    Nickname = 1 << 4,
    GivenNameChanged = 1 << 5,
    GivenNameInitial = 1 << 6,
    LegalFormChanged = 1 << 7,
    CompanyWordsChanged = 1 << 8,
    AddressTypo = 1 << 9,
    AddressPhonetic = 1 << 10,
    AddressOcr = 1 << 11,
    AddressAbbreviated = 1 << 12,
    AddressReordered = 1 << 13,
    AddressMissing = 1 << 14,
    PostcodeDigit = 1 << 15,
    PostcodeMissing = 1 << 16,
    PhoneDigit = 1 << 17,
    PhoneFormat = 1 << 18,
    PhoneMissing = 1 << 19,
    EmailTypo = 1 << 20,
    EmailMissing = 1 << 21,
}

/// <summary>
/// Value corruptors after the published models of GeCo and Febrl (see docs/BENCHMARKS.md): typing
/// errors on a QWERTY keyboard, phonetic and OCR confusions from rule tables, digit errors.
/// Each returns null when it finds nothing to change, so the caller can choose another corruption.
/// </summary>
internal static class Corruptor
{
    private static readonly string[] KeyRows = ["1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"];

    /// <summary>
    /// Phonetic confusions (sound-alike spellings): pairs that sound the same in English, Afrikaans
    /// or Zulu names; each rule also works the other way round where that is a real misspelling.
    /// </summary>
    private static readonly (string From, string To)[] PhoneticRules =
    [
        ("ph", "f"), ("f", "ph"), ("ck", "k"), ("k", "ck"), ("ie", "ei"), ("ei", "ie"), ("ee", "ea"), ("ea", "ee"),
        ("c", "k"), ("z", "s"), ("s", "z"), ("tt", "t"), ("ll", "l"), ("ss", "s"), ("nn", "n"), ("y", "i"),
        ("i", "y"), ("ai", "ay"), ("ay", "ai"), ("th", "t"), ("oo", "u"), ("ou", "oo"), ("sch", "sk"), ("v", "f"),
        ("w", "v"), ("dt", "t"), ("gh", "g"), ("hl", "shl"), ("qu", "kw"), ("x", "ks"), ("ae", "e"), ("er", "a"),
        ("sh", "s"), ("kh", "k"), ("bh", "b"), ("dh", "d"), ("mb", "m"), ("nd", "n"), ("aa", "a"), ("e", "a"),
    ];

    /// <summary>Characters an OCR reads as others (case-sensitive: the shape matters).</summary>
    private static readonly (string From, string To)[] OcrRules =
    [
        ("5", "S"), ("S", "5"), ("0", "O"), ("O", "0"), ("1", "l"), ("l", "1"), ("I", "1"), ("1", "I"),
        ("rn", "m"), ("m", "rn"), ("cl", "d"), ("d", "cl"), ("vv", "w"), ("w", "vv"), ("8", "B"), ("B", "8"),
        ("6", "G"), ("G", "6"), ("2", "Z"), ("Z", "2"), ("h", "b"), ("b", "h"), ("e", "c"), ("c", "e"),
        ("ri", "n"), ("n", "ri"), ("li", "h"), ("u", "v"), ("v", "u"), ("g", "q"), ("a", "o"), ("i", "l"),
    ];

    /// <summary>
    /// A typing error at one letter: a neighbouring key struck instead (half along the row, half
    /// along the column, as GeCo's keyboard corruptor), a letter left out, a neighbouring key struck
    /// as well, or two letters swapped. The first letter is rarely wrong (Pollock and Zamora 1984).
    /// </summary>
    public static string? Typo(string text, ref Dice dice)
    {
        var at = Position(text, ref dice, char.IsLetterOrDigit);
        if (at < 0)
        {
            return null;
        }
        var c = text[at];
        var kind = dice.Weighted([0.50, 0.25, 0.15, 0.10]);
        var result = kind switch
        {
            0 => Neighbour(c, ref dice) is { } near ? text[..at] + near + text[(at + 1)..] : null,
            1 => text.Length > 1 ? text.Remove(at, 1) : null,
            2 => Neighbour(c, ref dice) is { } extra ? text.Insert(dice.Chance(0.5) ? at : at + 1, extra.ToString()) : null,
            _ => at + 1 < text.Length && char.IsLetterOrDigit(text[at + 1]) && text[at + 1] != c
                ? text[..at] + text[at + 1] + c + text[(at + 2)..]
                : at > 0 && char.IsLetterOrDigit(text[at - 1]) && text[at - 1] != c ? text[..(at - 1)] + c + text[at - 1] + text[(at + 1)..] : null,
        };
        return result is null || result == text ? null : result;
    }

    /// <summary>A digit error in a number: a neighbouring digit (60 %) or two neighbouring digits swapped (40 %), as Febrl's postcode model.</summary>
    public static string? Digit(string text, ref Dice dice)
    {
        var at = Position(text, ref dice, char.IsAsciiDigit);
        if (at < 0)
        {
            return null;
        }
        if (dice.Chance(0.6))
        {
            var d = text[at] - '0';
            var other = (char)('0' + (d == 0 ? 1 : d == 9 ? 8 : d + (dice.Chance(0.5) ? 1 : -1)));
            return text[..at] + other + text[(at + 1)..];
        }
        for (var k = at; k < text.Length + at; k++)
        {
            var i = k % text.Length;
            var j = i + 1;
            while (j < text.Length && !char.IsAsciiDigit(text[j]))
            {
                j++;
            }
            if (j < text.Length && char.IsAsciiDigit(text[i]) && text[i] != text[j])
            {
                var chars = text.ToCharArray();
                (chars[i], chars[j]) = (chars[j], chars[i]);
                return new string(chars);
            }
        }
        return null;
    }

    public static string? Phonetic(string text, ref Dice dice) => ByRule(text, PhoneticRules, ignoreCase: true, ref dice);

    public static string? Ocr(string text, ref Dice dice) => ByRule(text, OcrRules, ignoreCase: false, ref dice);

    /// <summary>One rule applied at one place it fits, chosen at random among all places where any rule fits.</summary>
    private static string? ByRule(string text, (string From, string To)[] rules, bool ignoreCase, ref Dice dice)
    {
        var comparison = ignoreCase ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
        Span<(int Rule, int At)> fits = stackalloc (int, int)[64];
        var count = 0;
        for (var r = 0; r < rules.Length && count < fits.Length; r++)
        {
            for (var at = text.IndexOf(rules[r].From, comparison); at >= 0 && count < fits.Length; at = text.IndexOf(rules[r].From, at + 1, comparison))
            {
                fits[count++] = (r, at);
            }
        }
        if (count == 0)
        {
            return null;
        }
        var (rule, place) = fits[dice.Next(count)];
        var (from, to) = rules[rule];
        var replacement = ignoreCase && char.IsUpper(text[place]) ? char.ToUpperInvariant(to[0]) + to[1..] : to;
        return text[..place] + replacement + text[(place + from.Length)..];
    }

    /// <summary>A position to corrupt among the characters <paramref name="fits"/> accepts; the first one only one time in ten.</summary>
    private static int Position(string text, ref Dice dice, Func<char, bool> fits)
    {
        var candidates = 0;
        foreach (var c in text)
        {
            candidates += fits(c) ? 1 : 0;
        }
        if (candidates == 0)
        {
            return -1;
        }
        var pick = candidates > 1 && dice.Chance(0.9) ? 1 + dice.Next(candidates - 1) : 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (fits(text[i]) && pick-- == 0)
            {
                return i;
            }
        }
        return -1;
    }

    private static char? Neighbour(char c, ref Dice dice)
    {
        var lower = char.ToLowerInvariant(c);
        for (var row = 0; row < KeyRows.Length; row++)
        {
            var col = KeyRows[row].IndexOf(lower, StringComparison.Ordinal);
            if (col < 0)
            {
                continue;
            }
            var options = new StringBuilder(4);
            if (dice.Chance(0.5) || row == 0)
            {
                AddIf(options, KeyRows[row], col - 1);
                AddIf(options, KeyRows[row], col + 1);
            }
            else
            {
                AddIf(options, KeyRows[row - 1], col);
                if (row + 1 < KeyRows.Length)
                {
                    AddIf(options, KeyRows[row + 1], col);
                }
            }
            if (options.Length == 0)
            {
                return null;
            }
            var near = options[dice.Next(options.Length)];
            return char.IsUpper(c) ? char.ToUpperInvariant(near) : near;
        }
        return null;
    }

    private static void AddIf(StringBuilder options, string row, int col)
    {
        if (col >= 0 && col < row.Length)
        {
            options.Append(row[col]);
        }
    }
}
