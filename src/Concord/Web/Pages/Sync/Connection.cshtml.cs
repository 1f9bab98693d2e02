using Concord.Core.Common;
using Concord.Core.Sync.Inbox;
using Concord.Core.Sync.Running;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Web.Pages.Sync;

/// <summary>A connection's history (S16): its runs with their counts and why one ended, and its inbox (S17).</summary>
public sealed class ConnectionModel : PageModel
{
    [BindProperty(SupportsGet = true)] public string Name { get; set; } = "";

    public IReadOnlyList<RunSummary> Runs { get; private set; } = [];
    public IReadOnlyList<InboxEntry> Inbox { get; private set; } = [];

    public IActionResult OnGet()
    {
        var history = new SyncHistory(ConcordWeb.SessionOf(HttpContext));
        try
        {
            Runs = history.Runs(Name);
            Inbox = history.Inbox(Name);
        }
        catch (UserError)
        {
            return NotFound();
        }
        return Page();
    }
}
