namespace Concord.Core.Ledger;

/// <summary>Aged balances as JSON shows them.</summary>
public sealed record AgedView(decimal Current, decimal Days30, decimal Days60, decimal Days90, decimal Days120)
{
    public static AgedView Of(AgedBalances aged) => new(aged.Current, aged.Days30, aged.Days60, aged.Days90, aged.Days120);
}

/// <summary>An account's standing as JSON shows it, on the command line and over the API alike.</summary>
public sealed record StandingView(
    string Account, string Name, string? Currency, decimal Balance, decimal CreditLimit, decimal Turnover, decimal? DebtorDays,
    DateOnly? LastInvoice, DateOnly? LastReceipt, AgedView Aged, int Unallocated)
{
    public static StandingView Of(AccountStanding s) =>
        new(s.Account, s.Name, s.Currency.Code, s.Balance, s.CreditLimit, s.Turnover, s.DebtorDays, s.LastInvoice, s.LastReceipt, AgedView.Of(s.Aged), s.Unallocated);
}

/// <summary>A posted transaction as the API shows it: amounts as numbers, signed as they move the balance.</summary>
public sealed record TransactionView(
    long Id, string Account, string? Named, string Kind, DateOnly Date, string? Reference, string? LineFor, string? Currency,
    decimal Amount, decimal Vat, decimal Outstanding, long? Reverses, long? ReversedBy, string? Source, DateTimeOffset CreatedAt, string CreatedBy)
{
    public static TransactionView Of(LedgerTransaction t) =>
        new(t.Id, t.Account, t.Named, LedgerTransaction.Name(t.Kind), t.Date, t.Reference, t.LineFor, t.Currency.Code,
            t.Amount, t.Vat, t.Outstanding, t.Reverses, t.ReversedBy, t.Source, t.CreatedAt, t.CreatedBy);
}
