namespace Concord.Core.Common;

/// <summary>
/// The one way codes (account codes, customer codes, reference codes) compare: ordinal and
/// case-insensitive. The store enforces uniqueness on <see cref="Key"/>.
/// </summary>
public static class Codes
{
    public const int MaxLength = 20;

    public static StringComparer Comparer => StringComparer.OrdinalIgnoreCase;

    public static string Key(string code) => code.ToUpperInvariant();

    public static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>Checks the shape of a code: 1–20 printable characters, no spaces.</summary>
    public static string Check(string? raw)
    {
        var code = raw?.Trim() ?? "";
        if (code.Length == 0)
        {
            throw new FieldValueError("is required");
        }
        if (code.Length > MaxLength)
        {
            throw new FieldValueError($"is {code.Length} characters long; at most {MaxLength} are allowed");
        }
        foreach (var c in code)
        {
            if (char.IsWhiteSpace(c) || char.IsControl(c) || c == '\uFFFD')
            {
                throw new FieldValueError($"contains '{Printable(c)}'; codes are letters, digits and punctuation without spaces");
            }
        }
        return code;
    }

    internal static string Printable(char c) => c switch
    {
        '\uFFFD' => "invalid character (bad encoding)",
        ' ' => "space",
        _ when char.IsControl(c) => $"U+{(int)c:X4}",
        _ => c.ToString(),
    };
}
