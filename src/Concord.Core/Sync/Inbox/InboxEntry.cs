namespace Concord.Core.Sync.Inbox;

/// <summary>
/// A record waiting for a person (S17): held by the review priority, or refused by the target.
/// It stays until resolved (take accounting / take operational, applied by the next run) or until
/// the record syncs cleanly.
/// </summary>
public sealed record InboxEntry(
    long Id, string Record, string? OperationalCode, string? AccountingCode, string Kind, string? Field, string Reason,
    string? OperationalValues, string? AccountingValues, string CreatedAt, string? Take, string? ResolvedBy)
{
    /// <summary>The operational side's value of the field in question, or the whole record when no field is named.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? OperationalShown => SideValue(OperationalValues, Field);

    /// <summary>The accounting side's value of the field in question, or the whole record when no field is named.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string? AccountingShown => SideValue(AccountingValues, Field);

    private static string? SideValue(string? values, string? field)
    {
        if (values is null)
        {
            return null;
        }
        if (field is null)
        {
            return Audit.AuditEntry.Changes(null, values);
        }
        using var document = System.Text.Json.JsonDocument.Parse(values);
        return document.RootElement.ValueKind == System.Text.Json.JsonValueKind.Object && document.RootElement.TryGetProperty(field, out var value)
            && value.ValueKind != System.Text.Json.JsonValueKind.Null
            ? value.ToString()
            : "(blank)";
    }
}
