using Concord.Core.Common;
using Concord.Core.Operational;
using Concord.Core.Sync.Connections;
using Concord.Core.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Web.Pages.Sync;

/// <summary>
/// A connection's settings (S1, S2, S4–S6, S12, O4): the accounting system and its settings, direction,
/// priority, replace options, create-only, filters, post-accounts and schedule. A supervisor adds and
/// changes them; secrets are written, never shown: the accounting setting is shown masked and kept
/// unless a new one is typed.
/// </summary>
public sealed class SettingsModel(Core.Session session, ConnectionService connections, SiteService sites) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Name { get; set; }

    /// <summary>The form's values, as text and switches, the way the command line's options take them.</summary>
    public sealed class Form
    {
        public string? Name { get; set; }
        public string? Accounting { get; set; }
        public string Direction { get; set; } = "both";
        public string Priority { get; set; } = "accounting";
        public string? Replace { get; set; }
        public bool CreateOnly { get; set; }
        public string? IncludeTypes { get; set; }
        public bool IncludeInactive { get; set; }
        public string? Relations { get; set; } = "customer";
        public bool PostAccounts { get; set; }
        public string? Schedule { get; set; }
        public string? Site { get; set; }
        public string? Model { get; set; }
    }

    [BindProperty] public Form Values { get; set; } = new();

    /// <summary>The accounting setting as it may be shown: its secrets masked.</summary>
    public string? AccountingShown { get; private set; }
    public IReadOnlyList<Site> Sites { get; private set; } = [];
    public Refusals Refused { get; } = new();
    public string? Done { get; private set; }
    public bool CanEdit => ConcordWeb.RoleOf(User) >= Role.Supervisor;
    public bool Adding => string.IsNullOrEmpty(Name);

    public IActionResult OnGet()
    {
        Sites = new SiteService(session).List();
        if (Adding)
        {
            return CanEdit ? Page() : Forbid();
        }
        SyncConnection connection;
        try
        {
            connection = new ConnectionService(session).Get(Name!);
        }
        catch (UserError error) when (error.IsNotFound)
        {
            return NotFound();
        }
        AccountingShown = connection.AccountingForDisplay;
        Values = new Form
        {
            Name = connection.Name,
            Direction = SyncConnection.DirectionText(connection.Direction),
            Priority = connection.Priority.ToString().ToLowerInvariant(),
            Replace = string.Join(",", connection.Replace),
            CreateOnly = connection.CreateOnly,
            IncludeTypes = string.Join(",", connection.IncludeTypes),
            IncludeInactive = connection.IncludeInactive,
            Relations = string.Join(",", connection.Relations),
            PostAccounts = connection.PostAccounts,
            Schedule = connection.Schedule,
            Site = connection.Site,
            Model = connection.Model,
        };
        return Page();
    }

    public IActionResult OnPost()
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        var settings = new ConnectionSettings
        {
            // Left empty, the accounting setting (and its secrets) stays as it is; a new connection takes the built-in ledger.
            Accounting = string.IsNullOrWhiteSpace(Values.Accounting) ? (Adding ? "ledger" : null) : Values.Accounting,
            Direction = Values.Direction,
            Priority = Values.Priority,
            Replace = Values.Replace ?? "",
            CreateOnly = Values.CreateOnly,
            IncludeTypes = Values.IncludeTypes ?? "",
            IncludeInactive = Values.IncludeInactive,
            Relations = string.IsNullOrWhiteSpace(Values.Relations) ? "customer" : Values.Relations,
            PostAccounts = Values.PostAccounts,
            Schedule = Values.Schedule ?? "",
            Site = Values.Site ?? "",
            Model = Values.Model ?? "",
        };
        var service = connections;
        try
        {
            var connection = Adding ? service.Add(Values.Name ?? "", settings) : service.Set(Name!, settings);
            return Redirect($"/connections/{Uri.EscapeDataString(connection.Name)}?saved=true");
        }
        catch (UserError error)
        {
            Refused.Add(error);
            Sites = sites.List();
            if (!Adding)
            {
                AccountingShown = service.Get(Name!).AccountingForDisplay;
            }
            return Page();
        }
    }

    /// <summary>Whether the refusal names this field (its input is then marked).</summary>
    public bool IsRefused(string field) => Refused.Fields.Contains(field);
}
