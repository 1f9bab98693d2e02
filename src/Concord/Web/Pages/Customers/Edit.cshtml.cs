using Concord.Core.Common;
using Concord.Core.Operational;
using Concord.Core.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Web.Pages.Customers;

/// <summary>
/// The customer form (O1, O2): add an operational customer or change one, by the same rules as the
/// command line; what is refused is listed by field and nothing is saved. Viewers see it read-only.
/// </summary>
public sealed class EditModel(Core.Session session) : PageModel
{
    /// <summary>The fields on the form, in its order (the system-stamped ones are shown apart, read-only).</summary>
    public static readonly string[] Fields =
        ["code", "name", "site", "kind", "relation", "type", "department", "department-name", "credit-limit", "phone", "email", "web-site",
         "address", "postcode", "country", "vat", "account", "customer-class", "sync-to-accounting", "active"];

    [BindProperty(SupportsGet = true)] public string? Code { get; set; }

    [BindProperty] public Dictionary<string, string?> Values { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    public bool IsNew => string.IsNullOrEmpty(Code);
    public bool CanEdit { get; private set; }
    public IReadOnlyList<Site> Sites { get; private set; } = [];
    public IReadOnlyList<CustomerClass> Classes { get; private set; } = [];
    public Refusals Refused { get; } = new();
    public List<string> Problems => Refused.Lines;
    public HashSet<string> ProblemFields => Refused.Fields;
    public (string Created, string Modified) Stamps { get; private set; }

    /// <summary>The customer's audit trail, newest first: who, when, what changed.</summary>
    public IReadOnlyList<Core.Audit.AuditEntry> History { get; private set; } = [];

    public IActionResult OnGet(string? site)
    {
        var session = Prepare();
        if (IsNew)
        {
            Values["site"] = site;
            Values["active"] = "yes";
            return Page();
        }
        try
        {
            Show(new CustomerService(session).Get(Code!));
            using var connection = session.Database.OpenConnection();
            History = [.. Core.Audit.AuditLog.Read(connection, "customer", Code).Reverse()];
        }
        catch (UserError)
        {
            return NotFound();
        }
        return Page();
    }

    public IActionResult OnPost()
    {
        var session = Prepare();
        if (!CanEdit)
        {
            return Forbid();
        }
        var service = new CustomerService(session);
        try
        {
            var values = FormValues.Given(OperationalCustomer.Schema, Fields, Values, IsNew ? null : service.Get(Code!));
            var saved = IsNew ? service.Add(values) : service.Edit(Code!, values);
            return Redirect($"/customers?site={Uri.EscapeDataString(saved.Site ?? "")}&search={Uri.EscapeDataString(saved.Code)}");
        }
        catch (UserError error)
        {
            Refused.Add(error);
            return Page();
        }
    }

    private Core.Session Prepare()
    {
        CanEdit = session.User.Role >= Role.Clerk;
        Sites = new SiteService(session).List();
        Classes = new CustomerClassService(session).List();
        return session;
    }

    private void Show(OperationalCustomer customer)
    {
        foreach (var field in Fields)
        {
            var spec = OperationalCustomer.Schema.Find(field)!;
            Values[field] = spec.Format(spec.Get(customer));
        }
        Stamps = (Format(customer.CreatedAt), Format(customer.ModifiedAt));
    }

    private static string Format(DateTimeOffset? at) => at?.ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? "—";
}
