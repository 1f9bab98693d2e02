using System.CommandLine;
using System.Globalization;
using Concord.Core.Common;
using Concord.Core.Ledger;
using Concord.Core.Operational;

namespace Concord.Cli;

/// <summary>
/// `concord classes …` and `concord invoices …`: the customer classes that say how invoices post,
/// and the operational side's invoices that a sync posts to the ledger (O3).
/// </summary>
public static class InvoiceCommands
{
    public static IEnumerable<Command> Build(Action<Command, Func<CliContext, int>> bind)
    {
        var code = new Argument<string>("CODE") { Description = "The class's code" };
        var fields = new RecordOptions<CustomerClass>(CustomerClass.Schema);
        var listClasses = new Command("list", "The customer classes") { Output.Json };
        bind(listClasses, context => Output.List(context, CustomerClass.Schema, new CustomerClassService(context.Session).List(),
            ["code", "name", "posting", "generic-account"]));
        var addClass = new Command("add", "Add a customer class: --posting account (1:1) or generic (with --generic-account)") { code };
        fields.AddTo(addClass);
        bind(addClass, context =>
        {
            var values = fields.Given(context);
            values["code"] = context.Value(code);
            var added = new CustomerClassService(context.Session).Add(values);
            context.Say($"Customer class {added.Code} added ({Describe(added)}).");
            return CliApp.Ok;
        });
        var editClass = new Command("edit", "Change a customer class; invoices posted before stay where they are") { code };
        fields.AddTo(editClass);
        bind(editClass, context =>
        {
            var changed = new CustomerClassService(context.Session).Edit(context.Value(code), fields.Changes(context, context.Value(code)));
            context.Say($"Customer class {changed.Code} changed ({Describe(changed)}).");
            return CliApp.Ok;
        });
        yield return new Command("classes", "Customer classes: how operational invoices post to the ledger (1:1 or to a generic account)") { listClasses, addClass, editClass };

        var number = new Argument<string>("NUMBER") { Description = "The invoice's number, unique" };
        var customer = new Option<string>("--customer") { Required = true, Description = "The customer it was raised for" };
        var amount = new Option<string>("--amount") { Required = true, Description = "The amount, VAT included, positive" };
        var vat = new Option<string?>("--vat") { Description = "The VAT the amount includes (default 0)" };
        var date = new Option<string?>("--date") { Description = "The invoice's date, YYYY-MM-DD (default: today)" };
        var currency = new Option<string?>("--currency") { Description = "Its currency; the ledger account it posts to must keep the same (default: the account's)" };
        var reference = new Option<string?>("--ref") { Description = "A reference (default: the number)" };
        var credit = new Option<bool>("--credit") { Description = "A credit note, not an invoice" };
        var add = new Command("add", "Add an operational invoice (or --credit note); a sync posts it") { number, customer, amount, vat, date, currency, reference, credit };
        bind(add, context =>
        {
            var invoice = new InvoiceService(context.Session).Add(new InvoiceInput(context.Value(number), context.Value(credit) ? "credit" : "invoice",
                context.Value(customer), context.Value(amount), context.Value(vat), context.Value(date), context.Value(currency), context.Value(reference)));
            // A hint to copy as it is: the connection's name when there is one, else how to make one.
            var connections = new Core.Sync.Connections.ConnectionService(context.Session).List();
            var next = connections.Count == 1
                ? $"'{context.Hint($"sync preview {CommandHint.Quote(connections[0].Name)}")}' shows where it will post"
                : connections.Count == 0
                    ? $"a sync posts it; add a connection with '{context.Hint("connections add NAME --site SITE")}'"
                    : $"'{context.Hint("sync preview NAME")}' shows where it will post (NAME: {string.Join(", ", connections.Select(c => c.Name))})";
            context.Say($"{Output.Capital(LedgerTransaction.Name(invoice.Kind))} {invoice.Number} for {invoice.Customer} added: {invoice.AmountText}; {next}.");
            return CliApp.Ok;
        });
        var forCustomer = new Option<string?>("--customer") { Description = "Only this customer's" };
        var list = new Command("list", "The operational invoices and where each was posted") { forCustomer, Output.Json };
        bind(list, context =>
        {
            var invoices = new InvoiceService(context.Session).List(context.Value(forCustomer));
            string N(decimal value) => value.ToString(CultureInfo.InvariantCulture);
            if (context.Value(Output.Json))
            {
                return Output.Rows(context, ["number", "kind", "customer", "date", "amount", "vat", "currency", "reference", "postings"],
                    [.. invoices.Select(i => new[]
                    {
                        i.Invoice.Number, LedgerTransaction.Name(i.Invoice.Kind), i.Invoice.Customer, FinancialYear.Text(i.Invoice.Date), N(i.Invoice.Amount), N(i.Invoice.Vat),
                        i.Invoice.Currency, i.Invoice.Reference,
                        System.Text.Json.JsonSerializer.Serialize(i.Postings.Select(p => new { connection = p.Connection, account = p.Account, transaction = p.Transaction, run = p.Run, postedAt = p.PostedAt })),
                    })], "invoice", ["amount", "vat", "postings"]);
            }
            return Output.Rows(context, ["number", "customer", "date", "amount", "posted"],
                [.. invoices.Select(i => new[]
                {
                    i.Invoice.Number, i.Invoice.Customer, FinancialYear.Text(i.Invoice.Date),
                    (i.Invoice.Kind == TransactionKind.Credit ? "-" : "") + i.Invoice.AmountText,
                    i.Postings.Count == 0 ? "not yet" : string.Join("; ", i.Postings.Select(p => $"{p.Connection}: {p.Account} #{p.Transaction}")),
                })], "invoice");
        });
        yield return new Command("invoices", "The operational side's invoices and credit notes, posted to the ledger by a sync") { add, list };
    }

    private static string Describe(CustomerClass customerClass) =>
        customerClass.IsGeneric ? $"invoices post to {customerClass.GenericAccount}, naming the customer" : "invoices post 1:1 to each customer's own account";

}
