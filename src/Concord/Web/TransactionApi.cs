using System.Text.Json;
using Concord.Core.Common;
using Concord.Core.Ledger;
using Concord.Core.Operational;
using Concord.Core.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Concord.Web;

/// <summary>
/// Ledger transactions (L7) and the operational side's invoices and customer classes (O3) over the
/// API, with the command line's rules: post, reverse, allocate, an account's standing and
/// transactions, aged debt; invoices added by number (repeatable) and listed with their postings.
/// </summary>
public static class TransactionApi
{
    /// <summary>A transaction to post: kind (invoice, credit, receipt, refund, adjustment), amount VAT included, and optionally VAT, date and reference.</summary>
    public sealed record NewTransaction(string Kind, decimal Amount, decimal? Vat, DateOnly? Date, string? Reference);

    /// <summary>A posted transaction and the warnings it raised (a credit limit passed).</summary>
    public sealed record Posted(TransactionView Transaction, string[] Warnings);

    /// <summary>An allocation: a credit to a debit (an amount, or as much as both have left), or every item oldest first.</summary>
    public sealed record NewAllocation(long? Debit, long? Credit, decimal? Amount, bool OldestFirst = false, DateOnly? Date = null);

    public sealed record Allocated(decimal Amount);

    /// <summary>An operational invoice to add: number, customer, amount VAT included; kind invoice (default) or credit.</summary>
    public sealed record NewInvoice(string Number, string Customer, decimal Amount, string? Kind, decimal? Vat, DateOnly? Date, string? Currency, string? Reference);

    public sealed record InvoiceView(string Number, string Kind, string Customer, DateOnly Date, string? Currency, decimal Amount, decimal Vat, string? Reference, InvoicePostingState[] Postings);

    public static IEndpointRouteBuilder MapTransactionApi(this IEndpointRouteBuilder routes)
    {
        var ledger = routes.MapGroup("/api/ledger").WithTags("Sales ledger").RequireAuthorization(ConcordWeb.Policy(Role.Viewer));

        ledger.MapGet("/accounts/{code}/standing", Ok<StandingView> (string code, DateOnly? asOf, Core.Session session) =>
            TypedResults.Ok(StandingView.Of(new LedgerReports(session).Standing(code, asOf))))
            .WithSummary("Where an account stands: balance, credit limit, turnover, average debtor days, last invoice and receipt, aged balances; ?asOf=YYYY-MM-DD as it stood then");

        ledger.MapGet("/accounts/{code}/transactions", Ok<TransactionView[]> (string code, Core.Session session) =>
            TypedResults.Ok(new TransactionService(session).List(code).Select(TransactionView.Of).ToArray()))
            .WithSummary("An account's transactions, oldest first, with what is left outstanding of each");

        ledger.MapPost("/accounts/{code}/transactions", Created<Posted> (string code, NewTransaction request, Core.Session session) =>
        {
            var kind = LedgerTransaction.ParseKind(request.Kind ?? "", $"transaction for {code}");
            var service = new TransactionService(session);
            var posted = service.Post(new Posting(code, kind, request.Amount, request.Date, request.Reference, request.Vat ?? 0m));
            return TypedResults.Created($"/api/ledger/transactions/{posted.Id}", new Posted(TransactionView.Of(posted), [.. service.Warnings]));
        }).RequireAuthorization(ConcordWeb.Policy(Role.Clerk))
          .WithSummary("Post an invoice, credit note, receipt, refund or adjustment (signed) to an account; a delivery account's goes to its ledger account");

        ledger.MapPost("/transactions/{id:long}/reverse", Created<TransactionView> (long id, DateOnly? date, Core.Session session) =>
        {
            var reversal = new TransactionService(session).Reverse(id, date);
            return TypedResults.Created($"/api/ledger/transactions/{reversal.Id}", TransactionView.Of(reversal));
        }).RequireAuthorization(ConcordWeb.Policy(Role.Clerk)).WithSummary("Reverse a posted transaction by posting its opposite (a posted transaction is never edited nor deleted)");

        ledger.MapPost("/accounts/{code}/allocations", Ok<Allocated> (string code, NewAllocation request, Core.Session session) =>
        {
            var service = new TransactionService(session);
            if (request.OldestFirst)
            {
                return TypedResults.Ok(new Allocated(service.AllocateOldestFirst(code, request.Date)));
            }
            if (request.Debit is not { } debit || request.Credit is not { } credit)
            {
                throw new UserError($"allocation on {code}", request.Debit is null ? "debit" : "credit", "is required (or oldestFirst: true)");
            }
            return TypedResults.Ok(new Allocated(service.Allocate(code, debit, credit, request.Amount, request.Date)));
        }).RequireAuthorization(ConcordWeb.Policy(Role.Clerk)).WithSummary("Allocate a credit to a debit of an account, fully or partly, or every item oldest first");

        ledger.MapGet("/aged", Ok<AgedLineView[]> (DateOnly? asOf, bool? includeDormant, Core.Session session) =>
            TypedResults.Ok(new LedgerReports(session).Aged(asOf, includeDormant ?? false)
                .Select(l => new AgedLineView(l.Account, l.Name, l.Currency.Code, l.Aged.Total, AgedView.Of(l.Aged))).ToArray()))
            .WithSummary("Aged debt of every account owing or owed (dormant ones on request); ?asOf=YYYY-MM-DD as it stood then");

        var invoices = routes.MapGroup("/api/invoices").WithTags("Invoices").RequireAuthorization(ConcordWeb.Policy(Role.Viewer));
        invoices.MapGet("", Ok<InvoiceView[]> (string? customer, Core.Session session) =>
            TypedResults.Ok(new InvoiceService(session).List(customer).Select(i => View(i.Invoice, i.Postings)).ToArray()))
            .WithSummary("The operational invoices (of one customer with ?customer=), oldest first, each with where a sync posted it");

        invoices.MapPost("", Results<Created<InvoiceView>, Ok<InvoiceView>> (NewInvoice request, Core.Session session) =>
        {
            var input = new InvoiceInput(request.Number ?? "", request.Kind ?? "invoice", request.Customer ?? "", Text(request.Amount),
                request.Vat is { } vat ? Text(vat) : null, request.Date is { } date ? FinancialYear.Text(date) : null, request.Currency, request.Reference);
            var service = new InvoiceService(session);
            var (added, _) = service.AddMany([($"invoice {request.Number}", null, input)]);
            if (added.Count == 1)
            {
                return TypedResults.Created($"/api/invoices?customer={Uri.EscapeDataString(added[0].Customer)}", View(added[0], []));
            }
            // The same invoice sent again (a retry): it is there already, with the same values.
            var (invoice, postings) = service.Find(request.Number!)!.Value;
            return TypedResults.Ok(View(invoice, postings));
        }).RequireAuthorization(ConcordWeb.Policy(Role.Clerk))
          .WithSummary("Add an operational invoice by its number; sent again with the same values it is answered as it is (200), with other values refused");

        var classes = routes.MapGroup("/api/classes").WithTags("Invoices").RequireAuthorization(ConcordWeb.Policy(Role.Viewer));
        classes.MapGet("", Ok<JsonElement[]> (Core.Session session) =>
            TypedResults.Ok(new CustomerClassService(session).List().Select(c => ApiJson.Of(CustomerClass.Schema, c)).ToArray()))
            .WithSummary("The customer classes: how operational invoices post (account: 1:1; generic: to the generic account)");
        classes.MapPut("/{code}", Results<Ok<JsonElement>, Created<JsonElement>> (string code, Dictionary<string, JsonElement> values, Core.Session session) =>
        {
            var fields = ApiJson.Fields($"customer-class {code}", values);
            var service = new CustomerClassService(session);
            if (service.List().Any(c => Codes.Same(c.Code, code)))
            {
                fields.Remove("code");
                return TypedResults.Ok(ApiJson.Of(CustomerClass.Schema, service.Edit(code, fields)));
            }
            fields["code"] = code;
            var added = service.Add(fields);
            return TypedResults.Created($"/api/classes/{Uri.EscapeDataString(added.Code)}", ApiJson.Of(CustomerClass.Schema, added));
        }).RequireAuthorization(ConcordWeb.Policy(Role.Clerk)).WithSummary("Add or change a customer class by its code");
        return routes;
    }

    /// <summary>One account's line of the aged debt report.</summary>
    public sealed record AgedLineView(string Account, string Name, string? Currency, decimal Balance, AgedView Aged);

    private static InvoiceView View(OperationalInvoice invoice, IReadOnlyList<InvoicePostingState> postings) =>
        new(invoice.Number, LedgerTransaction.Name(invoice.Kind), invoice.Customer, invoice.Date, invoice.Currency, invoice.Amount, invoice.Vat, invoice.Reference, [.. postings]);

    private static string Text(decimal amount) => amount.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
