using System.Globalization;

namespace Concord.Core.Common;

/// <summary>
/// What text a person may type into a record: lengths counted as people see characters (text
/// elements: an emoji or a letter with its accents is one), and the invisible characters that
/// are refused — control characters in any text, direction overrides in any text (they make a
/// line read differently from what it holds), and every format character in codes.
/// </summary>
public static class TextRules
{
    /// <summary>The length a person sees: user-perceived characters, not UTF-16 units.</summary>
    public static int Length(string text) => new StringInfo(text).LengthInTextElements;

    /// <summary>
    /// Checks typed free text (a trimmed, non-empty value) as every text field does: no refused
    /// character, at most <paramref name="max"/> characters. Throws <see cref="FieldValueError"/>.
    /// </summary>
    public static string Check(string text, int max)
    {
        if (ForbiddenInText(text) is { } c)
        {
            throw new FieldValueError(c == '\uFFFD'
                ? $"contains {Describe(c)}; check the file is saved as UTF-8"
                : $"contains {Describe(c)}; remove it (invisible characters are not accepted)");
        }
        return Length(text) is var length && length > max
            ? throw new FieldValueError($"is {length} characters long; at most {max} are allowed")
            : text;
    }

    /// <summary>Optional free text: blank is none, anything else trimmed and <see cref="Check"/>ed.</summary>
    public static string? Optional(string? value, int max) =>
        value?.Trim() is { Length: > 0 } text ? Check(text, max) : null;

    /// <summary>The first character a text field refuses, or null: bad encoding, control and direction characters.</summary>
    public static char? ForbiddenInText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '\uFFFD' || char.IsControl(c) || IsDirection(c) || Unpaired(text, ref i))
            {
                return c;
            }
        }
        return null;
    }

    /// <summary>The first character a code refuses, or null: what text refuses, spaces, and every invisible format character.</summary>
    public static char? ForbiddenInCode(string code)
    {
        for (var i = 0; i < code.Length; i++)
        {
            var c = code[i];
            if (c == '\uFFFD' || char.IsControl(c) || char.IsWhiteSpace(c) || IsDirection(c)
                || char.GetUnicodeCategory(c) == UnicodeCategory.Format || Unpaired(code, ref i))
            {
                return c;
            }
        }
        return null;
    }

    /// <summary>
    /// Whether text[i] is half of a surrogate pair without its other half (no character at all: a
    /// store cannot encode it); a whole pair is stepped over.
    /// </summary>
    private static bool Unpaired(string text, ref int i)
    {
        if (char.IsHighSurrogate(text[i]) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
        {
            i++;
            return false;
        }
        return char.IsSurrogate(text[i]);
    }

    /// <summary>Bidirectional marks, embeddings, overrides and isolates (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069).</summary>
    public static bool IsDirection(char c) => c is '\u061C' or '\u200E' or '\u200F' or (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069');

    /// <summary>How a refused character is named in a message.</summary>
    public static string Describe(char c) => c switch
    {
        '\uFFFD' or (>= '\uD800' and <= '\uDFFF') => "invalid character (bad encoding)",
        ' ' => "space",
        _ when char.IsControl(c) => $"U+{(int)c:X4} (a control character)",
        _ when IsDirection(c) => $"U+{(int)c:X4} (a text direction character)",
        _ when char.GetUnicodeCategory(c) == UnicodeCategory.Format => $"U+{(int)c:X4} (an invisible format character)",
        _ when char.IsWhiteSpace(c) => $"U+{(int)c:X4} (a space character)",
        _ => c.ToString(),
    };
}
