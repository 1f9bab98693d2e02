using Concord.Core.Common;
using Concord.Core.Operational;
using Concord.Core.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Web.Pages.Customers;

/// <summary>The customer listing (O1, seed 000): per site, searched, sorted by any column, a page at a time from the store.</summary>
public sealed class IndexModel(Core.Session session) : PageModel
{
    private const int PageSize = 50;

    [BindProperty(SupportsGet = true)] public string? Site { get; set; }
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public string Sort { get; set; } = "code";
    [BindProperty(SupportsGet = true)] public bool Desc { get; set; }
    [BindProperty(SupportsGet = true)] public bool Dormant { get; set; }
    // "page" is Razor Pages' own route value: the page number travels as "p".
    [BindProperty(SupportsGet = true, Name = "p")] public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Site> Sites { get; private set; } = [];
    public ListingPage? Listing { get; private set; }
    public string? Problem { get; private set; }
    public bool CanEdit { get; private set; }
    /// <summary>"24 customers" on the last page; before it, which ones this page shows.</summary>
    public string Count => Listing is null ? ""
        : Listing.Total is { } total ? $"{total:N0} customer{(total == 1 ? "" : "s")}"
        : $"customers {(long)(PageNumber - 1) * PageSize + 1:N0} to {(long)PageNumber * PageSize:N0}";

    public void OnGet()
    {
        CanEdit = session.User.Role >= Role.Clerk;
        Sites = new SiteService(session).List();
        try
        {
            Listing = CustomerListing.Page(session, new ListingQuery(Site, Search, Sort, Desc, Dormant, PageNumber, PageSize));
        }
        catch (UserError error)
        {
            Problem = error.Message;
        }
    }

    /// <summary>This listing's address with some of its choices changed.</summary>
    public string Link(string? sort = null, bool? desc = null, int? page = null) =>
        "/customers" + QueryString.Create(new Dictionary<string, string?>
        {
            ["site"] = Site, ["search"] = Search, ["sort"] = sort ?? Sort, ["desc"] = (desc ?? Desc) ? "true" : null,
            ["dormant"] = Dormant ? "true" : null, ["p"] = (page ?? PageNumber).ToString(System.Globalization.CultureInfo.InvariantCulture),
        }.Where(p => p.Value is { Length: > 0 }));
}
