using Concord.Core.Common;
using Concord.Core.Ledger;

namespace Concord.Core.Exchange;

/// <summary>
/// Ledger transactions from a CSV file (L7): columns account, kind, amount, and optionally vat,
/// date, reference and id. The whole file is checked before anything is posted, and it is posted
/// in one store transaction: every error names its line and field, and then nothing is written.
/// An id column makes the import repeatable: a line whose id was posted before is refused, never
/// posted twice.
/// </summary>
public static class TransactionImport
{
    private static readonly Dictionary<string, string> Headings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["account"] = "account", ["code"] = "account", ["account-code"] = "account",
        ["kind"] = "kind", ["type"] = "kind",
        ["amount"] = "amount",
        ["vat"] = "vat",
        ["date"] = "date",
        ["reference"] = "reference", ["ref"] = "reference",
        ["id"] = "id",
    };

    public static int Import(Session session, string path, IProgress<ProgressStep>? progress = null)
    {
        var file = Path.GetFileName(path);
        using var source = CsvSource.Open(path);
        var columns = CsvColumns.Read(source, file, Headings, ["account", "kind", "amount"], "transaction");
        var errors = new List<RecordError>();
        var postings = new List<(string Record, Posting Posting)>();
        var units = new Currency(null, LedgerAccount.BalanceUnits);
        while (columns.Next(source) is var (line, cell, problem))
        {
            // The line names the record: the ledger's own checks, made later, name it too.
            var record = $"transaction on line {line}";
            if (cell is null)
            {
                errors.Add(new RecordError(record, null, problem!));
                continue;
            }
            var account = cell("account");
            try
            {
                var kind = LedgerTransaction.ParseKind(cell("kind") ?? "", record);
                var amount = UserError.Guard(record, "amount", () => units.Parse(cell("amount") ?? throw new FieldValueError("is required")));
                var vat = cell("vat") is { } v ? UserError.Guard(record, "vat", () => units.Parse(v)) : 0m;
                var date = cell("date") is { } d ? FinancialYear.ParseDate(d, record) : (DateOnly?)null;
                postings.Add((record, new Posting(account ?? throw new UserError(record, "account", "is required"), kind, amount, date, cell("reference"), vat,
                    Source: cell("id") is { } id ? $"import:{id}" : null)));
            }
            catch (UserError error)
            {
                errors.AddRange(error.Errors);
            }
            if (postings.Count % 10_000 == 0)
            {
                progress?.Report(new ProgressStep(postings.Count, null, "lines checked"));
            }
        }
        if (postings.Count == 0 && errors.Count == 0)
        {
            throw new UserError($"file {file}", null, "has a header but no rows; nothing to import");
        }
        progress?.Report(new ProgressStep(0, postings.Count, "transactions posted"));
        var posted = new TransactionService(session).PostMany(postings, errors);
        progress?.Report(new ProgressStep(posted, postings.Count, "transactions posted"));
        return posted;
    }
}
