using System.Text.Json;
using Concord.Core.Common;
using Concord.Core.Operational;
using Concord.Core.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Concord.Web;

/// <summary>Operational customers over the API: the listing page by page (O1), one customer, and upsert by code (X5).</summary>
public static class CustomerApi
{
    /// <summary>
    /// A page of the listing: the customers (every field), whether a next page follows, and on the last
    /// page how many the listing holds (null before: the store does not count a million customers per page).
    /// </summary>
    public sealed record Page(JsonElement[] Customers, bool HasNext, long? Total, int PageNumber, int PageSize);

    public static IEndpointRouteBuilder MapCustomerApi(this IEndpointRouteBuilder routes)
    {
        var customers = routes.MapGroup("/api/customers").WithTags("Customers");

        customers.MapGet("", (Core.Session session, string? site, string? search, string? sort, bool? descending, bool? includeDormant, int? page, int? pageSize) =>
        {
            var listing = CustomerListing.Page(session,
                new ListingQuery(site, search, sort ?? "code", descending ?? false, includeDormant ?? false, page ?? 1, pageSize ?? 50));
            return new PageResult(listing);
        }).RequireAuthorization(ConcordWeb.Policy(Role.Viewer)).Produces<Page>()
          .WithSummary("The customer listing: a site's customers or all, searched by code or name, sorted by any listing column, a page at a time");

        customers.MapGet("/{code}", Ok<JsonElement> (string code, CustomerService service) =>
            TypedResults.Ok(Json(service.Get(code))))
            .RequireAuthorization(ConcordWeb.Policy(Role.Viewer)).WithSummary("One customer, every field");

        customers.MapGet("/{code}/audit", Ok<AuditLine[]> (string code, Core.Session session, CustomerService service) =>
        {
            var customer = service.Get(code);
            using var connection = session.Database.OpenConnection();
            return TypedResults.Ok(Core.Audit.AuditLog.Read(connection, "customer", customer.Code)
                .Select(e => new AuditLine(e.At, e.User, e.Action, e.Changes(), ApiJson.Parsed(e.Before), ApiJson.Parsed(e.After))).ToArray());
        }).RequireAuthorization(ConcordWeb.Policy(Role.Viewer)).WithSummary("A customer's audit trail, oldest first: who, when, what changed, the record before and after");

        customers.MapPut("/{code}", Results<Ok<JsonElement>, Created<JsonElement>> (string code, Dictionary<string, JsonElement> values, CustomerService service) =>
        {
            var fields = ApiJson.Fields($"customer {code}", values);
            if (fields.TryGetValue("code", out var named) && !Codes.Same(named, code))
            {
                throw new UserError($"customer {code}", "code", $"is '{named}' in the body; a customer's code is the one in the URL");
            }
            if (service.Exists(code))
            {
                fields.Remove("code");
                return TypedResults.Ok(Json(service.Edit(code, fields)));
            }
            fields["code"] = code;
            var added = service.Add(fields);
            return TypedResults.Created($"/api/customers/{Uri.EscapeDataString(added.Code)}", Json(added));
        }).RequireAuthorization(ConcordWeb.Policy(Role.Clerk))
          .WithSummary("Add or change an operational customer by its code (the fields and rules of adding a customer on the command line; only the fields given change)");
        return routes;
    }

    /// <summary>One line of a customer's audit trail.</summary>
    public sealed record AuditLine(string At, string User, string Action, string Changes, JsonElement? Before, JsonElement? After);

    /// <summary>A page written straight to the response as <see cref="Page"/>'s JSON: a page is read often, and written once.</summary>
    private sealed class PageResult(ListingPage listing) : IResult
    {
        public async Task ExecuteAsync(HttpContext context)
        {
            context.Response.ContentType = "application/json; charset=utf-8";
            await using var writer = new Utf8JsonWriter(context.Response.BodyWriter);
            writer.WriteStartObject();
            writer.WriteStartArray("customers");
            var first = true;
            foreach (var customer in listing.Customers)
            {
                OperationalCustomer.Schema.WriteJson(writer, customer);
                if (first)
                {
                    // The answer starts as soon as its first customer is written; the rest follows.
                    first = false;
                    await writer.FlushAsync(context.RequestAborted);
                    await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
                }
            }
            writer.WriteEndArray();
            writer.WriteBoolean("hasNext", listing.HasNext);
            if (listing.Total is { } total)
            {
                writer.WriteNumber("total", total);
            }
            else
            {
                writer.WriteNull("total");
            }
            writer.WriteNumber("pageNumber", listing.Page);
            writer.WriteNumber("pageSize", listing.PageSize);
            writer.WriteEndObject();
            await writer.FlushAsync(context.RequestAborted);
        }
    }

    private static JsonElement Json(OperationalCustomer customer) => ApiJson.Of(OperationalCustomer.Schema, customer);
}
