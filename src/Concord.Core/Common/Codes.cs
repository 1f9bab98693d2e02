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

    /// <summary>Checks the shape of a code: 1–20 characters (as people count them), no spaces, no invisible or control characters.</summary>
    public static string Check(string? raw)
    {
        var code = raw?.Trim() ?? "";
        if (code.Length == 0)
        {
            throw new FieldValueError("is required");
        }
        if (TextRules.ForbiddenInCode(code) is { } c)
        {
            throw new FieldValueError($"contains '{TextRules.Describe(c)}'; codes are letters, digits and punctuation without spaces or invisible characters");
        }
        if (TextRules.Length(code) is > MaxLength and var length)
        {
            throw new FieldValueError($"is {length} characters long; at most {MaxLength} are allowed");
        }
        return code;
    }
}
