namespace Concord.Core.Ledger;

/// <summary>A customer-options profile (L4): the defaults for currency, debtors control account and bank.</summary>
public sealed record OptionsProfile(string Code, string Name, string Currency, string? ControlAccount, string? Bank);

/// <summary>A trading-terms profile (L4): the defaults for credit limit and payment days.</summary>
public sealed record TermsProfile(string Code, string Name, decimal CreditLimit, int PaymentDays);

/// <summary>One entry of a reference table (L2): a region, territory, type, currency, …</summary>
public sealed record ReferenceEntry(string Kind, string Code, string Name);

/// <summary>A contact person of a customer account (L6).</summary>
public sealed record AccountContact(string Account, string Name, string? Role, string? Phone, string? Email);

/// <summary>What End of Period did with one marked account (L9).</summary>
public sealed record PeriodEndOutcome(string Code, bool Removed, string Reason);
