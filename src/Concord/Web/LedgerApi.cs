using System.Text.Json;
using Concord.Core.Ledger;
using Concord.Core.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Concord.Web;

/// <summary>
/// The sales ledger over the API, with the command line's rules: accounts (L1), added from a model
/// (L3), changed, contacts (L6), delete and restore and End of Period (L9), reference data (L2) and
/// profiles (L4).
/// </summary>
public static class LedgerApi
{
    /// <summary>A contact of an account.</summary>
    public sealed record NewContact(string Name, string? Role, string? Phone, string? Email);

    /// <summary>A reference entry to add: its code and name.</summary>
    public sealed record NewEntry(string Code, string Name);

    public sealed record NewOptions(string Code, string Name, string Currency, string? ControlAccount, string? Bank);

    public sealed record NewTerms(string Code, string Name, decimal CreditLimit, int PaymentDays);

    public static IEndpointRouteBuilder MapLedgerApi(this IEndpointRouteBuilder routes)
    {
        var ledger = routes.MapGroup("/api/ledger").WithTags("Sales ledger").RequireAuthorization(ConcordWeb.Policy(Role.Viewer));
        JsonElement Json(LedgerAccount account) => ApiJson.Of(LedgerAccount.Schema, account);

        ledger.MapGet("/accounts", Ok<JsonElement[]> (string? search, bool? includeDormant, Core.Session session) =>
        {
            using var connection = session.Database.OpenConnection();
            var accounts = string.IsNullOrWhiteSpace(search)
                ? AccountService.List(connection, includeDormant ?? false, includeModels: true)
                : AccountService.Search(connection, search.Trim(), includeDormant ?? false);
            return TypedResults.Ok(accounts.Select(Json).ToArray());
        }).WithSummary("The accounts, every field; searched by code or name; dormant ones on request");

        ledger.MapGet("/accounts/{code}", Ok<JsonElement> (string code, AccountService accounts) => TypedResults.Ok(Json(accounts.Get(code))))
            .WithSummary("One account, every field");

        ledger.MapPost("/accounts", Created<JsonElement> (Dictionary<string, JsonElement> values, string? model, AccountService accounts) =>
        {
            var code = values.FirstOrDefault(v => string.Equals(v.Key, "code", StringComparison.OrdinalIgnoreCase)).Value;
            var fields = ApiJson.Fields($"account {(code.ValueKind == JsonValueKind.String ? code.GetString() : "")}".TrimEnd(), values);
            var added = accounts.Add(fields, model);
            return TypedResults.Created($"/api/ledger/accounts/{Uri.EscapeDataString(added.Code)}", Json(added));
        }).RequireAuthorization(ConcordWeb.Policy(Role.Clerk)).WithSummary("Add an account; ?model=CODE starts it from a model account (L3)");

        ledger.MapPut("/accounts/{code}", Ok<JsonElement> (string code, Dictionary<string, JsonElement> values, AccountService accounts) =>
            TypedResults.Ok(Json(accounts.Edit(code, ApiJson.Fields($"account {code}", values)))))
            .RequireAuthorization(ConcordWeb.Policy(Role.Clerk)).WithSummary("Change an account: only the fields given change; null clears one");

        ledger.MapPost("/accounts/{code}/delete", Ok<JsonElement> (string code, AccountService accounts) => TypedResults.Ok(Json(accounts.MarkForDeletion(code))))
            .RequireAuthorization(ConcordWeb.Policy(Role.Supervisor)).WithSummary("Mark an account for deletion; End of Period removes it once nothing holds it");

        ledger.MapPost("/accounts/{code}/restore", Ok<JsonElement> (string code, AccountService accounts) => TypedResults.Ok(Json(accounts.Restore(code))))
            .RequireAuthorization(ConcordWeb.Policy(Role.Supervisor)).WithSummary("Take back an account's mark for deletion");

        ledger.MapGet("/accounts/{code}/contacts", Ok<AccountContact[]> (string code, AccountService accounts) => TypedResults.Ok(accounts.Contacts(code).ToArray()))
            .WithSummary("An account's contacts");

        ledger.MapPost("/accounts/{code}/contacts", Ok<AccountContact> (string code, NewContact contact, AccountService accounts) =>
            TypedResults.Ok(accounts.AddContact(code, contact.Name, contact.Role, contact.Phone, contact.Email)))
            .RequireAuthorization(ConcordWeb.Policy(Role.Clerk)).WithSummary("Add a contact to an account");

        ledger.MapPost("/end-of-period", Ok<PeriodEndOutcome[]> (bool? apply, AccountService accounts) =>
            TypedResults.Ok(accounts.EndOfPeriod(apply ?? false).ToArray()))
            .RequireAuthorization(ConcordWeb.Policy(Role.Supervisor))
            .WithSummary("End of Period: which accounts marked for deletion go and which stay, and why; ?apply=true removes them");

        ledger.MapGet("/reference/{kind}", Ok<ReferenceEntry[]> (string kind, ReferenceService data) => TypedResults.Ok(data.List(kind).ToArray()))
            .WithSummary("Reference data of one kind: currency, country, region, territory, type, cost-centre, department, despatch-method, route");
        ledger.MapPost("/reference/{kind}", Ok<ReferenceEntry> (string kind, NewEntry entry, ReferenceService data) => TypedResults.Ok(data.Add(kind, entry.Code, entry.Name)))
            .RequireAuthorization(ConcordWeb.Policy(Role.Clerk)).WithSummary("Add a reference entry");
        ledger.MapGet("/profiles/options", Ok<OptionsProfile[]> (ReferenceService data) => TypedResults.Ok(data.OptionsProfiles().ToArray()))
            .WithSummary("Options profiles (L4)");
        ledger.MapPost("/profiles/options", Ok<OptionsProfile> (NewOptions p, ReferenceService data) => TypedResults.Ok(data.AddOptions(p.Code, p.Name, p.Currency, p.ControlAccount, p.Bank)))
            .RequireAuthorization(ConcordWeb.Policy(Role.Clerk)).WithSummary("Add an options profile");
        ledger.MapGet("/profiles/terms", Ok<TermsProfile[]> (ReferenceService data) => TypedResults.Ok(data.TermsProfiles().ToArray()))
            .WithSummary("Terms profiles (L4)");
        ledger.MapPost("/profiles/terms", Ok<TermsProfile> (NewTerms p, ReferenceService data) => TypedResults.Ok(data.AddTerms(p.Code, p.Name, p.CreditLimit, p.PaymentDays)))
            .RequireAuthorization(ConcordWeb.Policy(Role.Clerk)).WithSummary("Add a terms profile");
        return routes;
    }
}
