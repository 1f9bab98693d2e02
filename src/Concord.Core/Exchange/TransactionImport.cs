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
        var header = source.Header();
        var columns = new Dictionary<string, int>();
        for (var i = 0; i < header.Count; i++)
        {
            var name = Headings.GetValueOrDefault(header[i].Trim())
                ?? throw new UserError($"file {file}", header[i], $"is not a transaction column ({string.Join(", ", Headings.Values.Distinct())})");
            if (!columns.TryAdd(name, i))
            {
                throw new UserError($"file {file}", header[i], $"names the {name} column a second time");
            }
        }
        foreach (var required in new[] { "account", "kind", "amount" })
        {
            if (!columns.ContainsKey(required))
            {
                throw new UserError($"file {file}", required, "column is missing; a transaction needs account, kind and amount");
            }
        }

        var errors = new List<RecordError>();
        var postings = new List<(string Record, Posting Posting)>();
        var units = new Currency(null, LedgerAccount.BalanceUnits);
        while (source.Next() is { } read)
        {
            var record = $"transaction on line {read.Line}";
            if (read.Problem is { } problem || read.Cells!.Length != header.Count)
            {
                errors.Add(new RecordError(record, null, read.Problem ?? $"has {read.Cells!.Length} cells but the header names {header.Count} columns", read.Line));
                continue;
            }
            string? Cell(string name) => columns.TryGetValue(name, out var at) && CsvFormat.Restore(read.Cells[at]) is { } value && value.Trim().Length > 0 ? value.Trim() : null;
            try
            {
                var kind = LedgerTransaction.ParseKind(Cell("kind") ?? "", record);
                var account = Cell("account") ?? throw new UserError(record, "account", "is required");
                var amount = UserError.Guard(record, "amount", () => units.Parse(Cell("amount") ?? throw new FieldValueError("is required")));
                var vat = Cell("vat") is { } v ? UserError.Guard(record, "vat", () => units.Parse(v)) : 0m;
                var date = Cell("date") is { } d ? FinancialYear.ParseDate(d, record) : (DateOnly?)null;
                postings.Add((record, new Posting(account, kind, amount, date, Cell("reference"), vat, Source: Cell("id") is { } id ? $"import:{id}" : null)));
            }
            catch (UserError error)
            {
                errors.AddRange(error.Errors.Select(e => e with { Line = read.Line }));
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
