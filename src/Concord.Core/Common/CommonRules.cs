namespace Concord.Core.Common;

/// <summary>Checks that customers and ledger accounts share: a credit limit of 0 or more, a valid VAT number.</summary>
public static class CommonRules
{
    public static void CreditLimit(string label, decimal? creditLimit, List<RecordError> errors, int? line)
    {
        if (creditLimit < 0)
        {
            errors.Add(new RecordError(label, "credit-limit", "must be 0 or more (0 means unlimited)", line));
        }
    }

    /// <summary>Returns the normalised VAT number, or the value unchanged after recording why it is invalid.</summary>
    public static string? Vat(string label, string? vat, string? country, List<RecordError> errors, int? line)
    {
        if (vat is null)
        {
            return null;
        }
        try
        {
            return VatNumber.Normalise(vat, country);
        }
        catch (FieldValueError error)
        {
            errors.Add(new RecordError(label, "vat", error.Reason, line));
            return vat;
        }
    }
}
