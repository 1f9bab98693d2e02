using System.Data.Common;
using System.Globalization;
using Concord.Core.Common;

namespace Concord.Core.Ledger;

/// <summary>What a ledger transaction is (L7).</summary>
public enum TransactionKind
{
    Invoice,
    Credit,
    Receipt,
    Refund,
    Adjustment,
}

/// <summary>
/// A transaction to post: the amount as the user gives it (positive; an adjustment's sign says
/// which way it goes). <see cref="Currency"/>, when given, must be the account's: an invoice
/// raised in another currency is refused, never converted.
/// </summary>
public sealed record Posting(string Account, TransactionKind Kind, decimal Amount, DateOnly? Date = null, string? Reference = null, decimal Vat = 0m, string? LineFor = null, string? Source = null, string? Currency = null);

/// <summary>What became of one posting of a batch that posts each on its own: its transaction (posted now, or before under the same source), or its refusal.</summary>
public sealed record PostingOutcome(long? Id, bool PostedBefore, UserError? Refused);

/// <summary>A posted transaction. Never edited nor deleted: a reversal undoes it.</summary>
public sealed record LedgerTransaction(
    long Id,
    string Account,
    string? Named,
    TransactionKind Kind,
    DateOnly Date,
    string? Reference,
    string? LineFor,
    Currency Currency,
    decimal Amount,
    decimal Vat,
    decimal Outstanding,
    long? Reverses,
    long? ReversedBy,
    string? Source,
    DateTimeOffset CreatedAt,
    string CreatedBy)
{
    public static string Name(TransactionKind kind) => kind switch
    {
        TransactionKind.Credit => "credit note",
        _ => kind.ToString().ToLowerInvariant(),
    };

    public static TransactionKind ParseKind(string raw, string record) => raw.Trim().ToLowerInvariant() switch
    {
        "invoice" => TransactionKind.Invoice,
        "credit" or "credit-note" or "credit note" => TransactionKind.Credit,
        "receipt" => TransactionKind.Receipt,
        "refund" => TransactionKind.Refund,
        "adjustment" => TransactionKind.Adjustment,
        _ => throw new UserError(record, "kind", $"'{raw}' is not a transaction kind (invoice, credit, receipt, refund, adjustment)"),
    };

    /// <summary>
    /// This transaction, found under <paramref name="posting"/>'s source, against that posting: null
    /// when it is the same posting sent again (a second send, a run that lost its answer); otherwise
    /// another posting under the same source (a second system's invoice with the same number), and
    /// the refusal that says what the ledger holds. A source names one posting, never two.
    /// </summary>
    public UserError? Refuses(string record, Posting posting)
    {
        var same = Kind == posting.Kind
            && (Kind == TransactionKind.Adjustment ? Amount == posting.Amount : Math.Abs(Amount) == Math.Abs(posting.Amount))
            && Math.Abs(Vat) == Math.Abs(posting.Vat)
            && (posting.Date is not { } on || on == Date)
            && (posting.Currency is not { } code || Codes.Same(code, Currency.Code))
            && Codes.Same(posting.Account, Named ?? Account)
            && Codes.Same(Who(posting.LineFor), Who(LineFor));
        return same ? null : new UserError(record, "source",
            $"'{Source}' is posted already as another transaction ({Id}: {Name(Kind)} of {Currency.Format(Math.Abs(Amount))} to {Account} on {FinancialYear.Text(Date)}); " +
            "one source names one posting, so this is not posted (another system's with the same number? give it a number of its own)");
    }

    /// <summary>Who a line is for, by the code it starts with ("W1 Walk-in" is W1's however the name changes).</summary>
    private static string? Who(string? lineFor) => lineFor?.Trim().Split(' ', 2)[0] is { Length: > 0 } code ? code : null;

    internal const string Columns =
        "t.id, COALESCE(a.code, t.account_key), COALESCE(n.code, t.named_key), t.kind, t.posted_on, t.reference, t.line_for, t.currency, t.amount, t.vat, t.outstanding, t.reverses, t.reversed_by, t.source, t.created_at, t.created_by";

    /// <summary>The transactions with their accounts, so that <see cref="Columns"/> shows each account's code as typed (its key once the account is gone).</summary>
    internal const string From =
        "ledger_transactions t LEFT JOIN ledger_accounts a ON a.code_key = t.account_key LEFT JOIN ledger_accounts n ON n.code_key = t.named_key";

    /// <summary>Reads a row selected with <see cref="Columns"/> from <see cref="From"/>.</summary>
    internal static LedgerTransaction Read(DbDataReader reader)
    {
        var currency = Currency.Of(reader.TextOrNull(7));
        return new LedgerTransaction(
            reader.GetInt64(0), reader.GetString(1), reader.TextOrNull(2), Enum.Parse<TransactionKind>(reader.GetString(3), ignoreCase: true),
            DateOnly.ParseExact(reader.GetString(4), "yyyy-MM-dd", CultureInfo.InvariantCulture), reader.TextOrNull(5), reader.TextOrNull(6), currency,
            currency.FromMinor(reader.GetInt64(8)), currency.FromMinor(reader.GetInt64(9)), currency.FromMinor(reader.GetInt64(10)),
            reader.IsDBNull(11) ? null : reader.GetInt64(11), reader.IsDBNull(12) ? null : reader.GetInt64(12), reader.TextOrNull(13),
            Timestamps.Parse(reader.GetString(14)), reader.GetString(15));
    }
}

/// <summary>Where an account stands (L7): balance, turnover, debtor days, last invoice and receipt, aged balances.</summary>
public sealed record AccountStanding(
    string Account,
    string Name,
    Currency Currency,
    decimal Balance,
    decimal CreditLimit,
    decimal Turnover,
    decimal? DebtorDays,
    DateOnly? LastInvoice,
    DateOnly? LastReceipt,
    AgedBalances Aged,
    int Unallocated);

/// <summary>What is owed by the age of the items it is made of: under 30 days, 30–59, 60–89, 90–119, 120 and more.</summary>
public sealed record AgedBalances(decimal Current, decimal Days30, decimal Days60, decimal Days90, decimal Days120)
{
    public decimal Total => Current + Days30 + Days60 + Days90 + Days120;
}

/// <summary>One line of the aged debt report.</summary>
public sealed record AgedLine(string Account, string Name, Currency Currency, AgedBalances Aged);
