using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Ledger;

namespace Concord.Core.Operational;

/// <summary>
/// An invoice or credit note the operational side raised for one of its customers (O3). It is
/// posted to the ledger by a sync, once per connection, where the customer's class says: 1:1 to
/// the account customer's ledger account, or to the class's generic account.
/// </summary>
public sealed record OperationalInvoice(
    long Id, string Number, TransactionKind Kind, string Customer, DateOnly Date, string? Currency,
    decimal Amount, decimal Vat, string? Reference, DateTimeOffset CreatedAt, string CreatedBy)
{
    /// <summary>The units amounts are stored in: ten-thousandths, exact for every currency's minor units.</summary>
    public static readonly Currency StoredUnits = new(null, 4);

    /// <summary>The kinds the operational side raises: invoices and credit notes.</summary>
    public static readonly IReadOnlyList<TransactionKind> Kinds = [TransactionKind.Invoice, TransactionKind.Credit];

    /// <summary>What marks its posting in the ledger (<c>ledger_transactions.source</c>): posted once, whatever happens to a run.</summary>
    public string Source => $"invoice:{Number}";

    public const string Columns = "i.id, i.number, i.kind, i.customer, i.issued_on, i.currency, i.amount, i.vat, i.reference, i.created_at, i.created_by";

    public static OperationalInvoice Read(DbDataReader reader, int at = 0) => new(
        reader.GetInt64(at),
        reader.GetString(at + 1),
        Enum.Parse<TransactionKind>(reader.GetString(at + 2), ignoreCase: true),
        reader.GetString(at + 3),
        DateOnly.ParseExact(reader.GetString(at + 4), "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
        reader.TextOrNull(at + 5),
        StoredUnits.FromMinor(reader.GetInt64(at + 6)),
        StoredUnits.FromMinor(reader.GetInt64(at + 7)),
        reader.TextOrNull(at + 8),
        Timestamps.Parse(reader.GetString(at + 9)),
        reader.GetString(at + 10));

    /// <summary>The amount as a person reads it, in the invoice's currency when it names one.</summary>
    public string AmountText => Common.Currency.Of(Currency).Format(Amount) + (Currency is null ? "" : " " + Currency);
}

/// <summary>An operational invoice as typed or imported, before it is checked and stored.</summary>
public sealed record InvoiceInput(string Number, string Kind, string Customer, string Amount, string? Vat = null, string? Date = null, string? Currency = null, string? Reference = null);

/// <summary>Where an operational invoice stands with one connection: posted (to which account, as which transaction, in which run) or not yet.</summary>
public sealed record InvoicePostingState(string Connection, string Account, long Transaction, long Run, string PostedAt);
