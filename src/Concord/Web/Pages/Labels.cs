namespace Concord.Web.Pages;

/// <summary>How a field is headed on a screen: "credit-limit" as "Credit limit".</summary>
public static class Labels
{
    public static string Of(string field) => field switch
    {
        "vat" => "VAT number",
        _ when field.StartsWith("ac-", StringComparison.Ordinal) => "Accounts " + field[3..].Replace('-', ' '),
        _ => char.ToUpperInvariant(field[0]) + field[1..].Replace('-', ' '),
    };
}
