using System.Globalization;

namespace Concord.Core.Common;

/// <summary>
/// A currency and its minor units (ISO 4217: the yen has none, the Kuwaiti dinar three, most two).
/// Amounts are <see cref="decimal"/> in memory and a 64-bit count of minor units in the store,
/// invariant culture in files and on the command line. Never a float.
/// </summary>
public sealed record Currency(string? Code, int MinorUnits)
{
    /// <summary>Two minor units: the ledger's home currency when an account names none, and the unit of fields such as a credit limit.</summary>
    public static readonly Currency Standard = new(null, 2);

    // ISO 4217's active currencies whose minor units are not two.
    private static readonly Dictionary<string, int> NotTwo = new(StringComparer.OrdinalIgnoreCase)
    {
        ["BIF"] = 0, ["CLP"] = 0, ["DJF"] = 0, ["GNF"] = 0, ["ISK"] = 0, ["JPY"] = 0, ["KMF"] = 0, ["KRW"] = 0,
        ["PYG"] = 0, ["RWF"] = 0, ["UGX"] = 0, ["UYI"] = 0, ["VND"] = 0, ["VUV"] = 0, ["XAF"] = 0, ["XOF"] = 0, ["XPF"] = 0,
        ["BHD"] = 3, ["IQD"] = 3, ["JOD"] = 3, ["KWD"] = 3, ["LYD"] = 3, ["OMR"] = 3, ["TND"] = 3,
        ["CLF"] = 4, ["UYW"] = 4,
    };

    /// <summary>The currency of this code (null or empty: the home currency, two minor units).</summary>
    public static Currency Of(string? code) =>
        string.IsNullOrWhiteSpace(code) ? Standard : new(code.Trim().ToUpperInvariant(), NotTwo.GetValueOrDefault(code.Trim(), 2));

    private decimal Scale => MinorUnits switch { 0 => 1m, 1 => 10m, 2 => 100m, 3 => 1000m, _ => 10000m };

    /// <summary>The amount as a count of minor units; more decimals than the currency has is refused.</summary>
    public long ToMinor(decimal amount)
    {
        var minor = amount * Scale;
        if (minor != decimal.Truncate(minor))
        {
            throw new FieldValueError($"{amount.ToString(CultureInfo.InvariantCulture)} has more than {MinorUnits} decimals{(Code is null ? "" : $" ({Code} has {MinorUnits})")}");
        }
        return (long)minor;
    }

    /// <summary>A count of this currency's minor units as a count of <paramref name="units"/> decimals (at least as many).</summary>
    public long Rescale(long minor, int units) => checked(minor * (long)Math.Pow(10, units - MinorUnits));

    public decimal FromMinor(long minor) => decimal.Round(minor / Scale, MinorUnits);

    /// <summary>Parses "10000", "10,000.00" or "-5.5"; refuses more decimals than the currency has.</summary>
    public decimal Parse(string raw)
    {
        if (!decimal.TryParse(raw.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
        {
            throw new FieldValueError($"'{raw}' is not an amount (use digits with a '.' for decimals, e.g. 1500.00)");
        }
        if (Math.Abs(amount) >= 900_000_000_000_000m)
        {
            throw new FieldValueError($"'{raw}' is too large");
        }
        ToMinor(amount);
        return decimal.Round(amount, MinorUnits);
    }

    public string Format(decimal amount) =>
        amount.ToString(MinorUnits == 0 ? "0" : "0." + new string('0', MinorUnits), CultureInfo.InvariantCulture);
}

/// <summary>An amount in its currency.</summary>
public readonly record struct Money(decimal Amount, Currency Currency)
{
    public override string ToString() => Currency.Code is null ? Currency.Format(Amount) : $"{Currency.Format(Amount)} {Currency.Code}";

    /// <summary>Two-decimal amounts (<see cref="Currency.Standard"/>): fields such as a credit limit.</summary>
    public const int MinorUnits = 2;

    public static long ToCents(decimal amount) => Currency.Standard.ToMinor(amount);

    public static decimal FromCents(long cents) => Currency.Standard.FromMinor(cents);

    public static decimal Parse(string raw) => Currency.Standard.Parse(raw);

    public static string Format(decimal amount) => Currency.Standard.Format(amount);
}
