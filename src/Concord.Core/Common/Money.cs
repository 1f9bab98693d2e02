using System.Globalization;

namespace Concord.Core.Common;

/// <summary>
/// Money amounts: <see cref="decimal"/> in memory, a 64-bit count of cents in the store,
/// invariant culture in files and on the command line. Never a float.
/// </summary>
public static class Money
{
    public const int MinorUnits = 2;
    private const decimal Scale = 100m;

    public static long ToCents(decimal amount)
    {
        var cents = amount * Scale;
        if (cents != decimal.Truncate(cents))
        {
            throw new FieldValueError($"{Format(amount)} has more than {MinorUnits} decimals");
        }
        return (long)cents;
    }

    public static decimal FromCents(long cents) => cents / Scale;

    /// <summary>Parses "10000", "10,000.00" or "-5.5"; rejects more than two decimals.</summary>
    public static decimal Parse(string raw)
    {
        if (!decimal.TryParse(raw.Trim(), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount))
        {
            throw new FieldValueError($"'{raw}' is not an amount (use digits with a '.' for decimals, e.g. 1500.00)");
        }
        if (Math.Abs(amount) >= 90_000_000_000_000_000m / Scale)
        {
            throw new FieldValueError($"'{raw}' is too large");
        }
        ToCents(amount);
        return decimal.Round(amount, MinorUnits);
    }

    public static string Format(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
}
