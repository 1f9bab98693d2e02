using Concord.Core.Common;

namespace Concord.Core.Operational;

/// <summary>
/// One page of the customer listing (O1) as a screen or the API asks for it: a site's customers
/// (or every site's), those whose code or name contains the search text, dormant ones included or
/// not, sorted by any listing column (then by code), the page cut by the store.
/// </summary>
public sealed record ListingQuery(string? Site = null, string? Search = null, string Sort = "code", bool Descending = false,
    bool IncludeDormant = false, int Page = 1, int PageSize = 50)
{
    public const int MaxPageSize = 500;
}

/// <summary>
/// A page of the listing and whether a next one follows; <see cref="Total"/> when this is the last
/// page (a listing's size is not counted: counting a million customers would cost more than the page).
/// </summary>
public sealed record ListingPage(IReadOnlyList<OperationalCustomer> Customers, bool HasNext, long? Total, int Page, int PageSize);

public static class CustomerListing
{

    /// <summary>The page <paramref name="query"/> asks for; a sort column, page or size out of range is refused naming it.</summary>
    public static ListingPage Page(Session session, ListingQuery query)
    {
        var sort = OperationalCustomer.ListingColumns.FirstOrDefault(c => Codes.Same(c, query.Sort))
            ?? throw new UserError("listing", "sort", $"'{query.Sort}' is not a listing column; sort by one of {string.Join(", ", OperationalCustomer.ListingColumns)}");
        if (query.Page < 1)
        {
            throw new UserError("listing", "page", "starts at 1");
        }
        if (query.PageSize is < 1 or > ListingQuery.MaxPageSize)
        {
            throw new UserError("listing", "page-size", $"is from 1 to {ListingQuery.MaxPageSize}");
        }
        using var connection = session.Database.OpenConnection();
        var conditions = new List<string>();
        var parameters = new List<(string, object?)>();
        if (query.Site is { Length: > 0 } site)
        {
            // The site as stored, found by the query itself (a page is asked for often; an unknown site is told below).
            conditions.Add("site = (SELECT code FROM sites WHERE code_key = @site)");
            parameters.Add(("site", Codes.Key(site)));
        }
        if (!query.IncludeDormant)
        {
            conditions.Add("active");
        }
        if (query.Search is { Length: > 0 } search)
        {
            // Codes are kept upper-cased in code_key; names are compared upper-cased too. LIKE's wildcards in the text match themselves.
            conditions.Add("(code_key LIKE @search ESCAPE '\\' OR UPPER(name) LIKE @search ESCAPE '\\')");
            parameters.Add(("search", "%" + Codes.Key(search.Trim()).Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%"));
        }
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);
        // Text sorts without regard to case and an empty value first (as the store's index on name has it); other
        // columns with no value first; ties by code. The same order on SQLite and PostgreSQL, either way round.
        var field = OperationalCustomer.Schema.Find(sort)!;
        var direction = query.Descending ? "DESC" : "ASC";
        var order = sort == "code" ? ""
            : field.Kind is FieldKind.Text or FieldKind.Code ? $"COALESCE(UPPER({field.Column}), '') {direction}, "
            : $"{field.Column} {direction} NULLS {(query.Descending ? "LAST" : "FIRST")}, ";
        var customers = new List<OperationalCustomer>(query.PageSize + 1);
        using (var command = Sql.Command(connection, null,
            $"SELECT {OperationalCustomer.Schema.SelectColumns} FROM customers {where} ORDER BY {order}code_key {direction} LIMIT @limit OFFSET @offset",
            [.. parameters, ("limit", query.PageSize + 1), ("offset", (long)(query.Page - 1) * query.PageSize)]))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                customers.Add(OperationalCustomer.Schema.Read(reader));
            }
        }
        if (customers.Count == 0 && query.Site is { Length: > 0 } named)
        {
            // No customer: perhaps no such site, which is said by name.
            CustomerService.Site(connection, named);
        }
        var hasNext = customers.Count > query.PageSize;
        if (hasNext)
        {
            customers.RemoveAt(query.PageSize);
        }
        return new ListingPage(customers, hasNext, hasNext ? null : (long)(query.Page - 1) * query.PageSize + customers.Count, query.Page, query.PageSize);
    }
}
