using System.CommandLine;
using Concord.Core.Common;
using Concord.Core.Ledger;

namespace Concord.Cli;

/// <summary>
/// `concord ledger post|reverse|allocate|balance|aged|transactions|periods|year|year-end`: the
/// ledger's transactions, what accounts owe, and its financial year (L7).
/// </summary>
public static class TransactionCommands
{
    public static IEnumerable<Command> Build(Action<Command, Func<CliContext, int>> bind)
    {
        var code = new Argument<string>("CODE") { Description = "The account code" };
        var date = new Option<string?>("--date") { Description = "The transaction's date, YYYY-MM-DD (default: today)" };
        var asOf = new Option<string?>("--as-of") { Description = "As it stood at the end of this day, YYYY-MM-DD: what was posted and allocated by then (default: today)" };

        var kind = new Argument<string>("KIND") { Description = "invoice, credit, receipt, refund or adjustment" };
        kind.AcceptOnlyFromAmong("invoice", "credit", "receipt", "refund", "adjustment");
        var amount = new Option<string>("--amount") { Required = true, Description = "The amount, VAT included; positive, but an adjustment is signed (negative: the customer owes less)" };
        var vat = new Option<string?>("--vat") { Description = "The VAT included in an invoice's or credit note's amount (default 0)" };
        var reference = new Option<string?>("--ref") { Description = "The document's reference (invoice number, cheque, …)" };
        var post = new Command("post", "Post an invoice, credit note, receipt, refund or adjustment to an account") { kind, code, amount, vat, date, reference };
        bind(post, context =>
        {
            var parsed = LedgerTransaction.ParseKind(context.Value(kind), "transaction");
            var record = $"{LedgerTransaction.Name(parsed)} for {context.Value(code)}";
            var service = new TransactionService(context.Session);
            var posted = service.Post(new Posting(context.Value(code), parsed, Amount(context.Value(amount), record, "amount"),
                Date(context.Value(date), record, "date"), context.Value(reference), context.Value(vat) is { } v ? Amount(v, record, "vat") : 0m));
            foreach (var warning in service.Warnings)
            {
                context.Say($"warning: {warning}");
            }
            var standing = new LedgerReports(context.Session).Standing(posted.Account);
            context.Say($"{Output.Capital(LedgerTransaction.Name(posted.Kind))} {posted.Id} posted to {standing.Account}{(posted.Named is { } named ? $" (for delivery account {named})" : "")}: " +
                $"{Format(posted.Currency, posted.Kind == TransactionKind.Adjustment ? posted.Amount : Math.Abs(posted.Amount))}. Balance {Format(standing.Currency, standing.Balance)}.");
            return CliApp.Ok;
        });

        var id = new Argument<long>("ID") { Description = "The transaction's number (see 'ledger transactions CODE')" };
        var reverse = new Command("reverse", "Undo a posted transaction by posting its reversal (a posted transaction is never edited nor deleted)") { id, date };
        bind(reverse, context =>
        {
            var record = $"transaction {context.Value(id)}";
            var reversal = new TransactionService(context.Session).Reverse(context.Value(id), Date(context.Value(date), record, "date"));
            context.Say($"Transaction {context.Value(id)} reversed by transaction {reversal.Id} ({Format(reversal.Currency, reversal.Amount)}, dated {FinancialYear.Text(reversal.Date)}).");
            return CliApp.Ok;
        });

        var debit = new Option<long?>("--debit") { Description = "The invoice, refund or debit adjustment to settle" };
        var credit = new Option<long?>("--credit") { Description = "The receipt, credit note or credit adjustment that settles it" };
        var allocated = new Option<string?>("--amount") { Description = "How much (default: as much as both have left)" };
        var oldestFirst = new Option<bool>("--oldest-first") { Description = "Allocate every credit of the account to its debits, oldest first on both sides" };
        var allocate = new Command("allocate", "Allocate a credit to a debit of an account, fully or partly (or all of them, oldest first)") { code, debit, credit, allocated, oldestFirst, date };
        bind(allocate, context =>
        {
            var record = $"allocation on {context.Value(code)}";
            string InCurrency(decimal amount) => new Money(amount, Currency.Of(new AccountService(context.Session).Get(context.Value(code)).Currency)).ToString();
            var service = new TransactionService(context.Session);
            var on = Date(context.Value(date), record, "date");
            if (context.Value(oldestFirst))
            {
                if (context.Value(debit) is not null || context.Value(credit) is not null)
                {
                    throw new UserError(record, "oldest-first", "allocates every item; give it without --debit and --credit");
                }
                var total = service.AllocateOldestFirst(context.Value(code), on);
                context.Say($"{InCurrency(total)} allocated on {context.Value(code)}, oldest first.");
                return CliApp.Ok;
            }
            var from = context.Value(credit) ?? throw new UserError(record, "credit", "is required (or --oldest-first)");
            var to = context.Value(debit) ?? throw new UserError(record, "debit", "is required (or --oldest-first)");
            var done = service.Allocate(context.Value(code), to, from, context.Value(allocated) is { } a ? Amount(a, record, "amount") : null, on);
            context.Say($"{InCurrency(done)} of transaction {from} allocated to transaction {to}.");
            return CliApp.Ok;
        });

        var balance = new Command("balance", "Where an account stands: balance, turnover, average debtor days, last invoice and receipt, aged balances") { code, asOf, Output.Json };
        bind(balance, context =>
        {
            var standing = new LedgerReports(context.Session).Standing(context.Value(code), Date(context.Value(asOf), $"account {context.Value(code)}", "as-of"));
            var aged = standing.Aged;
            var currency = standing.Currency;
            if (context.Value(Output.Json))
            {
                Output.Document(context, StandingView.Of(standing));
                return CliApp.Ok;
            }
            Output.Table(context, ["field", "value"],
            [
                ["account", standing.Account], ["name", standing.Name], ["currency", currency.Code ?? ""],
                ["balance", currency.Format(standing.Balance)],
                ["credit limit", standing.CreditLimit == 0 ? "unlimited" : Money.Format(standing.CreditLimit)],
                ["turnover", currency.Format(standing.Turnover)],
                ["avg debtor days", standing.DebtorDays?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "no sales to average"],
                ["last invoice", Text(standing.LastInvoice)], ["last receipt", Text(standing.LastReceipt)],
                ["current", currency.Format(aged.Current)], ["30 days", currency.Format(aged.Days30)], ["60 days", currency.Format(aged.Days60)],
                ["90 days", currency.Format(aged.Days90)], ["120+ days", currency.Format(aged.Days120)],
                ["unallocated items", standing.Unallocated.ToString(System.Globalization.CultureInfo.InvariantCulture)],
            ]);
            return CliApp.Ok;
        });

        var includeDormant = new Option<bool>("--include-dormant") { Description = "Also report dormant accounts" };
        var agedCommand = new Command("aged", "Aged debt: what each account owes by age (current, 30, 60, 90, 120+ days), with totals per currency") { asOf, includeDormant, Output.Json };
        bind(agedCommand, context =>
        {
            var reports = new LedgerReports(context.Session);
            var lines = reports.Aged(Date(context.Value(asOf), "aged report", "as-of"), context.Value(includeDormant));
            var totals = LedgerReports.Totals(lines);
            if (context.Value(Output.Json))
            {
                Output.Document(context, new
                {
                    accounts = lines.Select(l => new { account = l.Account, name = l.Name, currency = l.Currency.Code, balance = l.Aged.Total, aged = AgedView.Of(l.Aged) }),
                    totals = totals.Select(t => new { currency = t.Currency.Code, balance = t.Aged.Total, aged = AgedView.Of(t.Aged) }),
                });
                return CliApp.Ok;
            }
            string?[] Row(AgedLine line, string account, string? name) =>
                [account, name, line.Currency.Code, .. new[] { line.Aged.Total, line.Aged.Current, line.Aged.Days30, line.Aged.Days60, line.Aged.Days90, line.Aged.Days120 }.Select(line.Currency.Format)];
            Output.Table(context, ["account", "name", "currency", "balance", "current", "30", "60", "90", "120+"],
                [.. lines.Select(l => Row(l, l.Account, l.Name)), .. totals.Select(t => Row(t, "total", ""))]);
            context.Say($"{lines.Count} {Output.Plural("account", lines.Count)} owing or owed.");
            return CliApp.Ok;
        });

        var transactions = new Command("transactions", "The transactions of an account, oldest first, with what is left outstanding of each") { code, Output.Json };
        bind(transactions, context =>
        {
            var list = new TransactionService(context.Session).List(context.Value(code));
            string? Note(LedgerTransaction t) => t.Reverses is { } of ? $"reverses {of}" : t.ReversedBy is { } by ? $"reversed by {by}" : t.LineFor;
            if (context.Value(Output.Json))
            {
                return Output.Rows(context, ["id", "date", "kind", "reference", "amount", "vat", "outstanding", "currency", "account", "named", "note", "by"],
                    [.. list.Select(t => new[]
                    {
                        t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), FinancialYear.Text(t.Date), LedgerTransaction.Name(t.Kind), t.Reference,
                        t.Currency.Format(t.Amount), t.Currency.Format(t.Vat), t.Currency.Format(t.Outstanding), t.Currency.Code, t.Account, t.Named, Note(t), t.CreatedBy,
                    })], "transaction");
            }
            // Narrower than the JSON, to fit a terminal: the currency is the account's, the VAT is in the JSON and on the account's screen,
            // the account is said only when it is another (a delivery account's ledger account).
            Output.Table(context, ["id", "date", "kind", "reference", "amount", "outstanding", "note", "by"],
                [.. list.Select(t => new[]
                {
                    t.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), FinancialYear.Text(t.Date), LedgerTransaction.Name(t.Kind), t.Reference,
                    t.Currency.Format(t.Amount), t.Currency.Format(t.Outstanding),
                    string.Join("; ", new[] { Codes.Same(t.Account, context.Value(code)) ? null : $"posted to {t.Account}", Note(t) }.OfType<string>()), t.CreatedBy,
                })]);
            context.Say($"{list.Count} {Output.Plural("transaction", list.Count)}.");
            return CliApp.Ok;
        });

        var periods = new Command("periods", "The financial year and its periods, closed or open") { Output.Json };
        bind(periods, context =>
        {
            var year = FinancialYear.Read(context.Session);
            var today = FinancialYear.Today(context.Session);
            context.Say($"Financial year {FinancialYear.Text(year.Start)} to {FinancialYear.Text(year.End)}; transactions are dated from {FinancialYear.Text(year.OpenFrom)}; debtor days average {year.DebtorDaysPeriods} periods.");
            return Output.Rows(context, ["period", "from", "to", "state"],
                [.. year.List().Select(p => new[] { p.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), FinancialYear.Text(p.From), FinancialYear.Text(p.To),
                    p.Closed ? "closed" : p.From <= today && today <= p.To ? "open (today)" : "open" })], "period");
        });

        var start = new Option<string?>("--start") { Description = "The first day of the financial year, YYYY-MM-DD (only before anything is posted)" };
        var debtorDays = new Option<int?>("--debtor-days-periods") { Description = "Over how many periods average debtor days are taken (default 3)" };
        var yearCommand = new Command("year", "Set the financial year's start and the periods debtor days average over (supervisor)") { start, debtorDays };
        bind(yearCommand, context =>
        {
            var year = FinancialYear.Configure(context.Session, Date(context.Value(start), "financial year", "start"), context.Value(debtorDays));
            context.Say($"Financial year {FinancialYear.Text(year.Start)} to {FinancialYear.Text(year.End)}; debtor days average {year.DebtorDaysPeriods} periods.");
            return CliApp.Ok;
        });

        var yes = new Option<bool>("--yes") { Description = "Really start the next financial year" };
        var yearEnd = new Command("year-end", "Close the financial year once it has ended and start the next (turnover starts again from zero) (supervisor)") { yes };
        bind(yearEnd, context =>
        {
            var (ended, next) = FinancialYear.YearEnd(context.Session, context.Value(yes));
            if (!context.Value(yes))
            {
                context.Say($"Year end would close {FinancialYear.Text(ended.Start)} to {FinancialYear.Text(ended.End)} and start {FinancialYear.Text(next.Start)} to {FinancialYear.Text(next.End)}. Nothing was changed. Run again with --yes.");
                return CliApp.Failed;
            }
            context.Say($"Financial year {FinancialYear.Text(ended.Start)} to {FinancialYear.Text(ended.End)} closed; {FinancialYear.Text(next.Start)} to {FinancialYear.Text(next.End)} started.");
            return CliApp.Ok;
        });

        return [post, reverse, allocate, balance, agedCommand, transactions, periods, yearCommand, yearEnd];
    }

    /// <summary>An amount as typed; the account's currency then says how many decimals it may have.</summary>
    private static decimal Amount(string raw, string record, string field) =>
        UserError.Guard(record, field, () => new Currency(null, LedgerAccount.BalanceUnits).Parse(raw));

    private static DateOnly? Date(string? raw, string record, string field) => raw is null ? null : FinancialYear.ParseDate(raw, record, field);

    private static string Text(DateOnly? date) => date is { } d ? FinancialYear.Text(d) : "none";

    private static string Format(Currency currency, decimal amount) => new Money(amount, currency).ToString();

}
