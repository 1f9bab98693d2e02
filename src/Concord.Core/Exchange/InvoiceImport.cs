using Concord.Core.Common;
using Concord.Core.Operational;

namespace Concord.Core.Exchange;

/// <summary>
/// Operational invoices from a CSV file (O3): columns number, customer, amount, and optionally
/// kind (invoice or credit), vat, date, currency and reference. The whole file is checked first and
/// added in one store transaction: every error names its invoice, line and field, and then nothing
/// is written. A file imported again adds nothing: an invoice whose number is stored with the same
/// values is left as it is.
/// </summary>
public static class InvoiceImport
{
    private static readonly Dictionary<string, string> Headings = new(StringComparer.OrdinalIgnoreCase)
    {
        ["number"] = "number", ["invoice"] = "number", ["invoice-number"] = "number",
        ["customer"] = "customer", ["customer-code"] = "customer", ["code"] = "customer",
        ["kind"] = "kind", ["type"] = "kind",
        ["amount"] = "amount",
        ["vat"] = "vat",
        ["date"] = "date",
        ["currency"] = "currency",
        ["reference"] = "reference", ["ref"] = "reference",
    };

    public static (int Added, int AlreadyThere) Import(Session session, string path)
    {
        var file = Path.GetFileName(path);
        using var source = CsvSource.Open(path);
        var columns = CsvColumns.Read(source, file, Headings, ["number", "customer", "amount"], "invoice");
        var errors = new List<RecordError>();
        var inputs = new List<(string, int?, InvoiceInput)>();
        while (columns.Next(source) is var (line, cell, problem))
        {
            if (cell is null)
            {
                errors.Add(new RecordError($"file {file}", null, problem!, line));
                continue;
            }
            var number = cell("number") ?? "";
            inputs.Add(($"invoice {number}", line, new InvoiceInput(number, cell("kind") ?? "invoice", cell("customer") ?? "", cell("amount") ?? "",
                cell("vat"), cell("date"), cell("currency"), cell("reference"))));
        }
        if (inputs.Count == 0 && errors.Count == 0)
        {
            throw new UserError($"file {file}", null, "has a header but no rows; nothing to import");
        }
        var (added, alreadyThere) = new InvoiceService(session).AddMany(inputs, errors);
        return (added.Count, alreadyThere);
    }
}
