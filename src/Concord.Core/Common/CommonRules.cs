namespace Concord.Core.Common;

/// <summary>Checks that customers and ledger accounts share: a credit limit of 0 or more, a valid VAT number, known reference codes.</summary>
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

    /// <summary>
    /// Checks every field of <paramref name="record"/> that names ledger reference data (L2: region,
    /// country, currency, profiles …): the code must exist, and is replaced by its stored spelling.
    /// </summary>
    public static void References<T>(RecordSchema<T> schema, T record, string label, ReferenceResolver references, List<RecordError> errors, int? line)
        where T : class
    {
        foreach (var field in schema.Fields)
        {
            if (field.References is not { } kind || !ReferenceResolver.IsLedgerReference(kind) || field.Get(record) is not string code)
            {
                continue;
            }
            if (references.Find(kind, code) is { } canonical)
            {
                field.Set(record, canonical);
            }
            else
            {
                var remedy = kind.EndsWith("profile", StringComparison.Ordinal)
                    ? $"'{CommandHint.For($"ledger profiles {kind[..kind.IndexOf('-', StringComparison.Ordinal)]} add")}'"
                    : $"'{CommandHint.For($"ledger reference add {kind} {CommandHint.Quote(code)} --name …")}'";
                errors.Add(new RecordError(label, field.Name, $"'{code}' is not a known {kind}; add it first with {remedy}", line));
            }
        }
    }
}
