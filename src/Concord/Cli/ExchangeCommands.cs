using System.CommandLine;
using Concord.Core.Exchange;
using Concord.Core.Ledger;
using Concord.Core.Operational;

namespace Concord.Cli;

/// <summary>`concord import …` and `concord export …`: CSV in, CSV or JSON out.</summary>
public static class ExchangeCommands
{
    public static IEnumerable<Command> Build(Action<Command, Func<CliContext, int>> bind)
    {
        var file = new Argument<string>("FILE.csv") { Description = "The CSV file: a header line naming the columns, then one record per line" };
        var skipInvalid = new Option<bool>("--skip-invalid") { Description = "Write the valid rows and list the invalid ones" };
        var mode = new Option<string?>("--mode") { Description = "create (new records only, the default), update (existing records only: the file's columns change) or upsert (both)" };
        mode.AcceptOnlyFromAmong("create", "update", "upsert");
        var update = new Option<bool>("--update") { Description = "Short for --mode update" };
        var customers = new Command("customers", "Import operational customers from CSV") { file, skipInvalid, mode, update };
        bind(customers, context => Report(context, Mode(context, mode, update), context.WithProgress("Importing customers", progress =>
            Importers.Customers(context.Session, progress).Import(context.Value(file), context.Value(skipInvalid), Mode(context, mode, update)))));
        var accounts = new Command("accounts", "Import ledger accounts from CSV") { file, skipInvalid, mode, update };
        bind(accounts, context => Report(context, Mode(context, mode, update), context.WithProgress("Importing accounts", progress =>
            Importers.Accounts(context.Session, progress).Import(context.Value(file), context.Value(skipInvalid), Mode(context, mode, update)))));
        foreach (var command in new[] { customers, accounts })
        {
            command.Validators.Add(result =>
            {
                // --mode without a value or given twice is the parser's error already; its value cannot be read.
                if (result.GetResult(mode) is { } given && given.Tokens.Count != 1)
                {
                    return;
                }
                if (result.GetValue(update) && result.GetValue(mode) is { } chosen && chosen != "update")
                {
                    result.AddError($"--update means --mode update; it cannot be given with --mode {chosen}");
                }
            });
        }
        var transactions = new Command("transactions", "Post ledger transactions from CSV (columns account, kind, amount, and vat, date, reference, id); all or nothing") { file };
        bind(transactions, context =>
        {
            var posted = context.WithProgress("Posting transactions", progress => TransactionImport.Import(context.Session, context.Value(file), progress));
            context.Say($"{posted} {Output.Plural("transaction", posted)} posted.");
            return CliApp.Ok;
        });
        var invoices = new Command("invoices", "Add operational invoices from CSV (columns number, customer, amount, and kind, vat, date, currency, reference); all or nothing") { file };
        bind(invoices, context =>
        {
            var (added, alreadyThere) = InvoiceImport.Import(context.Session, context.Value(file));
            context.Say($"{added} {Output.Plural("invoice", added)} added{(alreadyThere > 0 ? $", {alreadyThere} there already with the same values" : "")}.");
            return CliApp.Ok;
        });
        yield return new Command("import", "Import records from a CSV file; the whole file is checked first") { customers, accounts, transactions, invoices };

        var format = new Option<string>("--format") { Description = "csv or json", DefaultValueFactory = _ => "csv" };
        format.AcceptOnlyFromAmong("csv", "json");
        var includeDormant = new Option<bool>("--include-dormant") { Description = "Also export dormant accounts / inactive customers" };
        var exportCustomers = new Command("customers", "Export the operational customers") { format, includeDormant };
        bind(exportCustomers, context =>
        {
            _ = context.Session;
            using var connection = context.Database.OpenConnection();
            return Export(context, OperationalCustomer.Schema, CustomerService.List(connection, new CustomerFilter(IncludeInactive: context.Value(includeDormant))), context.Value(format));
        });
        var exportAccounts = new Command("accounts", "Export the ledger accounts") { format, includeDormant };
        bind(exportAccounts, context =>
        {
            _ = context.Session;
            using var connection = context.Database.OpenConnection();
            return Export(context, LedgerAccount.Schema, AccountService.List(connection, context.Value(includeDormant)), context.Value(format));
        });
        yield return new Command("export", "Write records to stdout as CSV or JSON") { exportCustomers, exportAccounts };
    }

    private static int Export<T>(CliContext context, Core.Common.RecordSchema<T> schema, IEnumerable<T> records, string format)
        where T : class
    {
        var count = context.WithProgress($"Exporting {schema.Entity}s", progress => format == "json"
            ? Exporter.WriteJson(schema, records, context.Stdout, progress)
            : Exporter.WriteCsv(schema, records, context.Stdout, progress));
        context.Say($"{count} {Output.Plural(schema.Entity, count)} exported.");
        return CliApp.Ok;
    }

    private static ImportMode Mode(CliContext context, Option<string?> mode, Option<bool> update) =>
        context.Value(update) ? ImportMode.Update : context.Value(mode) switch
        {
            "update" => ImportMode.Update,
            "upsert" => ImportMode.Upsert,
            _ => ImportMode.Create,
        };

    private static int Report(CliContext context, ImportMode mode, ImportResult result)
    {
        foreach (var rejected in result.Rejected)
        {
            context.Say($"skipped: {rejected}");
        }
        context.Say(mode == ImportMode.Create
            ? $"{result.Written} imported, {result.Rejected.Count} rejected."
            : $"{result.Written} created, {result.Updated} updated, {result.Unchanged} unchanged, {result.Rejected.Count} rejected.");
        return CliApp.Ok;
    }
}
