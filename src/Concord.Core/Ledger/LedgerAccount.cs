using Concord.Core.Common;

namespace Concord.Core.Ledger;

/// <summary>A customer account of the embedded sales ledger (L1): the accounting side's customer record.</summary>
public sealed class LedgerAccount
{
    public string Code { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Address { get; set; }
    public string? Postcode { get; set; }
    public string? AcContact { get; set; }
    public string? AcEmail { get; set; }
    public string? OrderContact { get; set; }
    public string? OrderEmail { get; set; }
    public string? Phone { get; set; }
    public string? WebSite { get; set; }
    public string? Vat { get; set; }
    public string? Currency { get; set; }
    public string? ControlAccount { get; set; }
    public string? Bank { get; set; }
    public decimal CreditLimit { get; set; }
    public int? PaymentDays { get; set; }
    public string? Region { get; set; }
    public string? Territory { get; set; }
    public string? CustomerType { get; set; }
    public string? CostCentre { get; set; }
    public string? Department { get; set; }
    public string? DespatchMethod { get; set; }
    public string? Route { get; set; }
    public string? Country { get; set; }
    public string? OptionsProfile { get; set; }
    public string? TermsProfile { get; set; }
    public string? LedgerAccountCode { get; set; }
    public string? InvoiceAccount { get; set; }
    public string? Memo { get; set; }
    public bool Model { get; set; }
    public bool Dormant { get; set; }
    public bool MarkedForDeletion { get; set; }
    public decimal Balance { get; set; }
    public DateTimeOffset? FirstCreated { get; set; }
    public DateTimeOffset? LastModified { get; set; }

    /// <summary>The decimals the balance column keeps, enough for every currency's minor units (postings move it in their own).</summary>
    public const int BalanceUnits = 4;

    /// <summary>The largest balance, either way, the balance column keeps in <see cref="BalanceUnits"/> (under 2^63).</summary>
    public const decimal MaxBalance = 900_000_000_000_000m;

    public static readonly RecordSchema<LedgerAccount> Schema = new("account", "ledger_accounts",
    [
        new() { Name = "code", Kind = FieldKind.Code, Required = true, MaxLength = Codes.MaxLength, Aliases = ["account", "account-code"], Get = a => a.Code, Set = (a, v) => a.Code = (string)v! },
        new() { Name = "name", Kind = FieldKind.Text, MaxLength = 60, Get = a => a.Name, Set = (a, v) => a.Name = (string?)v ?? "" },
        new() { Name = "address", Kind = FieldKind.Text, MaxLength = 200, Get = a => a.Address, Set = (a, v) => a.Address = (string?)v },
        new() { Name = "postcode", Kind = FieldKind.Text, MaxLength = 12, Get = a => a.Postcode, Set = (a, v) => a.Postcode = (string?)v },
        new() { Name = "ac-contact", Kind = FieldKind.Text, MaxLength = 60, Get = a => a.AcContact, Set = (a, v) => a.AcContact = (string?)v },
        new() { Name = "ac-email", Kind = FieldKind.Email, MaxLength = 100, Get = a => a.AcEmail, Set = (a, v) => a.AcEmail = (string?)v },
        new() { Name = "order-contact", Kind = FieldKind.Text, MaxLength = 60, Get = a => a.OrderContact, Set = (a, v) => a.OrderContact = (string?)v },
        new() { Name = "order-email", Kind = FieldKind.Email, MaxLength = 100, Get = a => a.OrderEmail, Set = (a, v) => a.OrderEmail = (string?)v },
        new() { Name = "phone", Kind = FieldKind.Text, MaxLength = 30, Get = a => a.Phone, Set = (a, v) => a.Phone = (string?)v },
        new() { Name = "web-site", OptionAlias = "web", Kind = FieldKind.Url, MaxLength = 100, Get = a => a.WebSite, Set = (a, v) => a.WebSite = (string?)v },
        new() { Name = "vat", Kind = FieldKind.Vat, MaxLength = 24, Get = a => a.Vat, Set = (a, v) => a.Vat = (string?)v },
        new() { Name = "currency", Kind = FieldKind.Code, MaxLength = 3, References = "currency", Get = a => a.Currency, Set = (a, v) => a.Currency = (string?)v },
        new() { Name = "control-account", Kind = FieldKind.Text, MaxLength = 20, Get = a => a.ControlAccount, Set = (a, v) => a.ControlAccount = (string?)v },
        new() { Name = "bank", Kind = FieldKind.Text, MaxLength = 20, Get = a => a.Bank, Set = (a, v) => a.Bank = (string?)v },
        new() { Name = "credit-limit", Kind = FieldKind.Money, MaxLength = 24, Description = "0 means unlimited", Get = a => a.CreditLimit, Set = (a, v) => a.CreditLimit = (decimal?)v ?? 0m },
        new() { Name = "payment-days", Kind = FieldKind.Integer, MaxLength = 4, Get = a => a.PaymentDays, Set = (a, v) => a.PaymentDays = (int?)v },
        new() { Name = "region", Kind = FieldKind.Code, MaxLength = Codes.MaxLength, References = "region", Get = a => a.Region, Set = (a, v) => a.Region = (string?)v },
        new() { Name = "territory", Kind = FieldKind.Code, MaxLength = Codes.MaxLength, References = "territory", Get = a => a.Territory, Set = (a, v) => a.Territory = (string?)v },
        new() { Name = "customer-type", Kind = FieldKind.Code, MaxLength = Codes.MaxLength, References = "type", Aliases = ["type"], Get = a => a.CustomerType, Set = (a, v) => a.CustomerType = (string?)v },
        new() { Name = "cost-centre", Kind = FieldKind.Code, MaxLength = Codes.MaxLength, References = "cost-centre", Get = a => a.CostCentre, Set = (a, v) => a.CostCentre = (string?)v },
        new() { Name = "department", Kind = FieldKind.Code, MaxLength = Codes.MaxLength, References = "department", Get = a => a.Department, Set = (a, v) => a.Department = (string?)v },
        new() { Name = "despatch-method", Kind = FieldKind.Code, MaxLength = Codes.MaxLength, References = "despatch-method", Get = a => a.DespatchMethod, Set = (a, v) => a.DespatchMethod = (string?)v },
        new() { Name = "route", Kind = FieldKind.Code, MaxLength = Codes.MaxLength, References = "route", Get = a => a.Route, Set = (a, v) => a.Route = (string?)v },
        new() { Name = "country", Kind = FieldKind.Code, MaxLength = 2, References = "country", Get = a => a.Country, Set = (a, v) => a.Country = (string?)v },
        new() { Name = "options-profile", Kind = FieldKind.Code, MaxLength = Codes.MaxLength, References = "options-profile", Get = a => a.OptionsProfile, Set = (a, v) => a.OptionsProfile = (string?)v },
        new() { Name = "terms-profile", Kind = FieldKind.Code, MaxLength = Codes.MaxLength, References = "terms-profile", Get = a => a.TermsProfile, Set = (a, v) => a.TermsProfile = (string?)v },
        new() { Name = "ledger-account", Kind = FieldKind.Code, MaxLength = Codes.MaxLength, References = "account", Description = "the account a delivery account posts to", Get = a => a.LedgerAccountCode, Set = (a, v) => a.LedgerAccountCode = (string?)v },
        new() { Name = "invoice-account", Kind = FieldKind.Code, MaxLength = Codes.MaxLength, References = "account", Description = "the account whose address invoices go to", Get = a => a.InvoiceAccount, Set = (a, v) => a.InvoiceAccount = (string?)v },
        new() { Name = "memo", Kind = FieldKind.Text, MaxLength = 2000, Get = a => a.Memo, Set = (a, v) => a.Memo = (string?)v },
        new() { Name = "is-model", Kind = FieldKind.Flag, Description = "a model account, used as a template for new accounts", Get = a => a.Model, Set = (a, v) => a.Model = (bool)v! },
        new() { Name = "dormant", Kind = FieldKind.Flag, Get = a => a.Dormant, Set = (a, v) => a.Dormant = (bool)v! },
        new() { Name = "marked-for-deletion", Kind = FieldKind.Flag, SystemOnly = true, Get = a => a.MarkedForDeletion, Set = (a, v) => a.MarkedForDeletion = (bool)v! },
        new() { Name = "balance", Kind = FieldKind.Money, MinorUnits = BalanceUnits, SystemOnly = true, KeptApart = true, Description = "what the customer owes: the total of outstanding transactions", Get = a => a.Balance, Set = (a, v) => a.Balance = (decimal?)v ?? 0m },
        new() { Name = "first-created", Kind = FieldKind.Timestamp, SystemOnly = true, Get = a => a.FirstCreated, Set = (a, v) => a.FirstCreated = (DateTimeOffset?)v },
        new() { Name = "last-modified", Kind = FieldKind.Timestamp, SystemOnly = true, Get = a => a.LastModified, Set = (a, v) => a.LastModified = (DateTimeOffset?)v },
    ], () => new LedgerAccount());

    /// <summary>The columns of the account listing.</summary>
    public static readonly IReadOnlyList<string> ListingColumns =
        ["code", "name", "vat", "currency", "credit-limit", "balance", "phone", "dormant"];
}
