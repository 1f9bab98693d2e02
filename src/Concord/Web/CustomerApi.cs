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

        customers.MapGet("", Ok<Page> (HttpContext context, string? site, string? search, string? sort, bool? descending, bool? includeDormant, int? page, int? pageSize) =>
        {
            var listing = CustomerListing.Page(ConcordWeb.SessionOf(context),
                new ListingQuery(site, search, sort ?? "code", descending ?? false, includeDormant ?? false, page ?? 1, pageSize ?? 50));
            return TypedResults.Ok(new Page([.. listing.Customers.Select(Json)], listing.HasNext, listing.Total, listing.Page, listing.PageSize));
        }).RequireAuthorization(ConcordWeb.Policy(Role.Viewer))
          .WithSummary("The customer listing: a site's customers or all, searched by code or name, sorted by any listing column, a page at a time");

        customers.MapGet("/{code}", Ok<JsonElement> (string code, HttpContext context) =>
            TypedResults.Ok(Json(new CustomerService(ConcordWeb.SessionOf(context)).Get(code))))
            .RequireAuthorization(ConcordWeb.Policy(Role.Viewer)).WithSummary("One customer, every field");

        customers.MapPut("/{code}", Results<Ok<JsonElement>, Created<JsonElement>> (string code, Dictionary<string, JsonElement> values, HttpContext context) =>
        {
            var service = new CustomerService(ConcordWeb.SessionOf(context));
            var fields = values.ToDictionary(v => v.Key, v => Text(code, v.Key, v.Value), StringComparer.OrdinalIgnoreCase);
            if (fields.TryGetValue("code", out var named) && !Codes.Same(named, code))
            {
                throw new UserError($"customer {code}", "code", $"is '{named}' in the body; a customer's code is the one in the URL");
            }
            if (Exists(service, code))
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

    private static bool Exists(CustomerService service, string code)
    {
        try
        {
            service.Get(code);
            return true;
        }
        catch (UserError error) when (error.Errors[0].Reason.StartsWith("does not exist", StringComparison.Ordinal))
        {
            return false;
        }
    }

    // A field's value as the text 'customers add' takes: strings, numbers and true/false; null clears it.
    private static string? Text(string code, string field, JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        _ => throw new UserError($"customer {code}", field, "is an object or a list; give text, a number, true or false"),
    };

    private static JsonElement Json(OperationalCustomer customer)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            OperationalCustomer.Schema.WriteJson(writer, customer);
        }
        return JsonDocument.Parse(buffer.WrittenMemory).RootElement.Clone();
    }
}
