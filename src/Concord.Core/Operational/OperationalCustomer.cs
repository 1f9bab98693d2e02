using Concord.Core.Common;

namespace Concord.Core.Operational;

/// <summary>
/// A customer as the operational side (CRM, point of sale, service) knows it. Kind "account"
/// marks the ones that belong in accounting and sync; kind "operational" ones never move on
/// their own and may link to one account customer (O2).
/// </summary>
public sealed class OperationalCustomer
{
    public const string AccountKind = "account";
    public const string OperationalKind = "operational";

    public string Code { get; set; } = "";
    public string Kind { get; set; } = OperationalKind;
    public string Relation { get; set; } = "customer";
    public string? Type { get; set; }
    public string? Name { get; set; }
    public string? Department { get; set; }
    public string? DepartmentName { get; set; }
    public string Site { get; set; } = "";
    public decimal? CreditLimit { get; set; }
    public string? WebSite { get; set; }
    public string? Phone { get; set; }
    public string? Email { get; set; }
    public string? Vat { get; set; }
    public string? Address { get; set; }
    public string? Postcode { get; set; }
    public string? Country { get; set; }
    public string? Account { get; set; }
    public string? CustomerClass { get; set; }
    public bool SyncToAccounting { get; set; }
    public bool Active { get; set; } = true;
    public DateTimeOffset? CreatedAt { get; set; }
    public DateTimeOffset? ModifiedAt { get; set; }

    public bool IsAccountCustomer => Kind == AccountKind;

    public static readonly RecordSchema<OperationalCustomer> Schema = new("customer", "customers",
    [
        new() { Name = "code", Kind = FieldKind.Code, Required = true, MaxLength = Codes.MaxLength, Aliases = ["CustomerCode"], Get = c => c.Code, Set = (c, v) => c.Code = (string)v! },
        new() { Name = "kind", Kind = FieldKind.Choice, Choices = [AccountKind, OperationalKind], Description = "account (belongs in accounting) or operational", Get = c => c.Kind, Set = (c, v) => c.Kind = (string?)v ?? OperationalKind },
        new() { Name = "relation", Kind = FieldKind.Choice, Choices = ["customer", "prospect", "supplier"], Get = c => c.Relation, Set = (c, v) => c.Relation = (string?)v ?? "customer" },
        new() { Name = "type", Kind = FieldKind.Text, MaxLength = 10, Aliases = ["CustomerType"], Get = c => c.Type, Set = (c, v) => c.Type = (string?)v },
        new() { Name = "name", Kind = FieldKind.Text, MaxLength = 60, Aliases = ["CustomerName"], Get = c => c.Name, Set = (c, v) => c.Name = (string?)v },
        new() { Name = "department", Kind = FieldKind.Text, MaxLength = 20, Get = c => c.Department, Set = (c, v) => c.Department = (string?)v },
        new() { Name = "department-name", Kind = FieldKind.Text, MaxLength = 60, Aliases = ["DeptName"], Get = c => c.DepartmentName, Set = (c, v) => c.DepartmentName = (string?)v },
        new() { Name = "site", Kind = FieldKind.Code, MaxLength = Codes.MaxLength, References = "site", Aliases = ["SiteDescription"], Get = c => c.Site, Set = (c, v) => c.Site = (string?)v ?? "" },
        new() { Name = "credit-limit", Kind = FieldKind.Money, MaxLength = 24, Aliases = ["CustomerCreditLimit"], Get = c => c.CreditLimit, Set = (c, v) => c.CreditLimit = (decimal?)v },
        new() { Name = "web-site", OptionAlias = "web", Kind = FieldKind.Url, MaxLength = 100, Aliases = ["CustomerWebSite"], Get = c => c.WebSite, Set = (c, v) => c.WebSite = (string?)v },
        new() { Name = "phone", Kind = FieldKind.Text, MaxLength = 30, Aliases = ["CustomerPhoneNumber"], Get = c => c.Phone, Set = (c, v) => c.Phone = (string?)v },
        new() { Name = "email", Kind = FieldKind.Email, MaxLength = 100, Get = c => c.Email, Set = (c, v) => c.Email = (string?)v },
        new() { Name = "vat", Kind = FieldKind.Vat, MaxLength = 24, Get = c => c.Vat, Set = (c, v) => c.Vat = (string?)v },
        new() { Name = "address", Kind = FieldKind.Text, MaxLength = 200, Get = c => c.Address, Set = (c, v) => c.Address = (string?)v },
        new() { Name = "postcode", Kind = FieldKind.Text, MaxLength = 12, Get = c => c.Postcode, Set = (c, v) => c.Postcode = (string?)v },
        new() { Name = "country", Kind = FieldKind.Code, MaxLength = 2, References = "country", Get = c => c.Country, Set = (c, v) => c.Country = ((string?)v)?.ToUpperInvariant() },
        new() { Name = "account", Kind = FieldKind.Code, MaxLength = Codes.MaxLength, References = "account customer", Description = "the account customer this operational customer is linked to", Get = c => c.Account, Set = (c, v) => c.Account = (string?)v },
        new() { Name = "customer-class", Kind = FieldKind.Code, MaxLength = Codes.MaxLength, References = "customer-class", Description = "how invoices post: an account customer's class, or an unlinked operational customer's generic class", Get = c => c.CustomerClass, Set = (c, v) => c.CustomerClass = (string?)v },
        new() { Name = "sync-to-accounting", Kind = FieldKind.Flag, Get = c => c.SyncToAccounting, Set = (c, v) => c.SyncToAccounting = (bool)v! },
        new() { Name = "active", Kind = FieldKind.Flag, Get = c => c.Active, Set = (c, v) => c.Active = (bool)v! },
        new() { Name = "created-at", Kind = FieldKind.Timestamp, SystemOnly = true, Get = c => c.CreatedAt, Set = (c, v) => c.CreatedAt = (DateTimeOffset?)v },
        new() { Name = "modified-at", Kind = FieldKind.Timestamp, SystemOnly = true, Get = c => c.ModifiedAt, Set = (c, v) => c.ModifiedAt = (DateTimeOffset?)v },
    ], () => new OperationalCustomer());

    /// <summary>The columns of the seed-000 customer listing, in its order (O1).</summary>
    public static readonly IReadOnlyList<string> ListingColumns =
        ["code", "type", "name", "department", "department-name", "site", "credit-limit", "web-site", "phone"];
}
