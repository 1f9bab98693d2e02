using System.Text;

namespace Concord.Core.Common;

/// <summary>
/// VAT registration numbers: the one place they are normalised (upper case, no spaces, dots,
/// dashes or slashes, always with the two-letter country prefix) and checked by the rule
/// each country publishes. Countries without a rule here get a format check only.
/// </summary>
public static class VatNumber
{
    private const int MinBody = 2;
    private const int MaxBody = 13;

    /// <summary>
    /// Returns the normalised number, e.g. "be 0403.170.701" → "BE0403170701".
    /// <paramref name="country"/> supplies the prefix when the number has none.
    /// </summary>
    public static string Normalise(string raw, string? country)
    {
        var compact = new StringBuilder(raw.Length);
        foreach (var c in raw)
        {
            if (c is ' ' or '.' or '-' or '/' or '\t' or '\u00A0')
            {
                continue;
            }
            if (!char.IsAsciiLetterOrDigit(c))
            {
                throw new FieldValueError($"'{raw}' contains '{TextRules.Describe(c)}'; a VAT number has letters and digits only");
            }
            compact.Append(char.ToUpperInvariant(c));
        }
        var value = compact.ToString();
        if (value.Length == 0)
        {
            throw new FieldValueError("is empty");
        }
        string prefix;
        string body;
        if (value.Length >= 2 && char.IsAsciiLetter(value[0]) && char.IsAsciiLetter(value[1]))
        {
            prefix = value[..2];
            body = value[2..];
        }
        else if (!string.IsNullOrWhiteSpace(country))
        {
            prefix = country.Trim().ToUpperInvariant();
            body = value;
        }
        else
        {
            throw new FieldValueError($"'{raw}' has no country prefix; write it as e.g. BE0403170701 or give the record a country");
        }
        if (prefix == "GR")
        {
            prefix = "EL";
        }
        if (prefix == "BE" && body.Length == 9 && AllDigits(body))
        {
            body = "0" + body; // the old 9-digit numbers took a leading 0 in 2007
        }
        Check(prefix, body, raw);
        return prefix + body;
    }

    private static void Check(string prefix, string body, string raw)
    {
        var reason = prefix switch
        {
            "BE" => Belgium(body),
            "NL" => Netherlands(body),
            "GB" or "XI" => UnitedKingdom(body),
            "DE" => Germany(body),
            "FR" => France(body),
            "ZA" => SouthAfrica(body),
            _ => body.Length is < MinBody or > MaxBody || !body.All(char.IsAsciiLetterOrDigit)
                ? $"must have {MinBody} to {MaxBody} letters or digits after the country prefix"
                : null,
        };
        if (reason is not null)
        {
            throw new FieldValueError($"'{raw}' is not a valid {prefix} VAT number: {reason}");
        }
    }

    private static bool AllDigits(string s) => s.Length > 0 && s.All(char.IsAsciiDigit);

    private static int Digit(string s, int i) => s[i] - '0';

    private static string? Belgium(string body)
    {
        if (body.Length != 10 || !AllDigits(body))
        {
            return "must be 10 digits (BE + 0 or 1 + 9 digits)";
        }
        if (body[0] is not ('0' or '1'))
        {
            return "must start with 0 or 1";
        }
        var number = long.Parse(body[..8], System.Globalization.CultureInfo.InvariantCulture);
        var check = int.Parse(body[8..], System.Globalization.CultureInfo.InvariantCulture);
        return 97 - number % 97 == check ? null : "check digits (modulo 97) do not match";
    }

    private static string? Netherlands(string body)
    {
        if (body.Length != 12 || !AllDigits(body[..9]) || body[9] != 'B' || !AllDigits(body[10..]))
        {
            return "must be 9 digits, the letter B and 2 digits (NL123456789B01)";
        }
        var sum = 0;
        for (var i = 0; i < 8; i++)
        {
            sum += Digit(body, i) * (9 - i);
        }
        var elevenProof = sum % 11 == Digit(body, 8);
        return elevenProof || Mod97("NL" + body) == 1 ? null : "check digit (modulo 11, or modulo 97 for sole traders) does not match";
    }

    private static int Mod97(string text)
    {
        var remainder = 0;
        foreach (var c in text)
        {
            var value = char.IsAsciiDigit(c) ? c - '0' : c - 'A' + 10;
            remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
        }
        return remainder;
    }

    private static string? UnitedKingdom(string body)
    {
        if ((body.StartsWith("GD", StringComparison.Ordinal) || body.StartsWith("HA", StringComparison.Ordinal))
            && body.Length == 5 && AllDigits(body[2..]))
        {
            return null;
        }
        if (!AllDigits(body) || body.Length is not (9 or 12))
        {
            return "must be 9 digits (12 for a branch), or GD/HA and 3 digits";
        }
        var sum = 0;
        for (var i = 0; i < 7; i++)
        {
            sum += Digit(body, i) * (8 - i);
        }
        var check = Digit(body, 7) * 10 + Digit(body, 8);
        return (sum + check) % 97 == 0 || (sum + check + 55) % 97 == 0 ? null : "check digits (modulo 97) do not match";
    }

    private static string? Germany(string body)
    {
        if (body.Length != 9 || !AllDigits(body))
        {
            return "must be 9 digits";
        }
        if (body[0] == '0')
        {
            return "must not start with 0";
        }
        var product = 10;
        for (var i = 0; i < 8; i++)
        {
            var sum = (Digit(body, i) + product) % 10;
            if (sum == 0)
            {
                sum = 10;
            }
            product = 2 * sum % 11;
        }
        var check = 11 - product;
        if (check == 10)
        {
            check = 0;
        }
        return check == Digit(body, 8) ? null : "check digit (ISO 7064 MOD 11,10) does not match";
    }

    /// <summary>FR + a 2-character key (digits, or letters other than I and O) + the 9-digit SIREN; a key of two digits is (12 + 3 × (SIREN mod 97)) mod 97.</summary>
    private static string? France(string body)
    {
        if (body.Length != 11 || !AllDigits(body[2..]) || !body[..2].All(c => char.IsAsciiDigit(c) || (char.IsAsciiLetterUpper(c) && c is not ('I' or 'O'))))
        {
            return "must be a 2-character key (digits, or letters other than I and O) and the 9-digit SIREN";
        }
        if (!AllDigits(body[..2]))
        {
            return null; // keys with a letter have no published check
        }
        var siren = long.Parse(body[2..], System.Globalization.CultureInfo.InvariantCulture);
        var key = int.Parse(body[..2], System.Globalization.CultureInfo.InvariantCulture);
        return (12 + 3 * (siren % 97)) % 97 == key ? null : "key does not match the SIREN (modulo 97)";
    }

    private static string? SouthAfrica(string body) =>
        body.Length == 10 && AllDigits(body) && body[0] == '4' ? null : "must be 10 digits starting with 4";
}
