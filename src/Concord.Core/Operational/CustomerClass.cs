using Concord.Core.Common;

namespace Concord.Core.Operational;

/// <summary>
/// A customer class (O3): how the operational invoices of the customers in it post to the ledger.
/// <see cref="AccountPosting"/> posts them 1:1 to the account customer's own ledger account;
/// <see cref="GenericPosting"/> posts them to one generic ledger account (cash sales), with the
/// operational customer named on the line.
/// </summary>
public sealed class CustomerClass
{
    public const string AccountPosting = "account";
    public const string GenericPosting = "generic";

    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string Posting { get; set; } = AccountPosting;
    public string? GenericAccount { get; set; }
    public DateTimeOffset? CreatedAt { get; set; }
    public DateTimeOffset? ModifiedAt { get; set; }

    public bool IsGeneric => Posting == GenericPosting;

    public static readonly RecordSchema<CustomerClass> Schema = new("customer-class", "customer_classes",
    [
        new() { Name = "code", Kind = FieldKind.Code, Required = true, MaxLength = Codes.MaxLength, Get = c => c.Code, Set = (c, v) => c.Code = (string)v! },
        new() { Name = "name", Kind = FieldKind.Text, Required = true, Get = c => c.Name, Set = (c, v) => c.Name = (string?)v ?? "" },
        new() { Name = "posting", Kind = FieldKind.Choice, Choices = [AccountPosting, GenericPosting], Description = "account: 1:1 to the customer's own ledger account; generic: to the generic account", Get = c => c.Posting, Set = (c, v) => c.Posting = (string?)v ?? AccountPosting },
        new() { Name = "generic-account", Kind = FieldKind.Code, MaxLength = Codes.MaxLength, Description = "the ledger account a generic class posts to (e.g. cash sales)", Get = c => c.GenericAccount, Set = (c, v) => c.GenericAccount = (string?)v },
        new() { Name = "created-at", Kind = FieldKind.Timestamp, SystemOnly = true, Get = c => c.CreatedAt, Set = (c, v) => c.CreatedAt = (DateTimeOffset?)v },
        new() { Name = "modified-at", Kind = FieldKind.Timestamp, SystemOnly = true, Get = c => c.ModifiedAt, Set = (c, v) => c.ModifiedAt = (DateTimeOffset?)v },
    ], () => new CustomerClass());
}
