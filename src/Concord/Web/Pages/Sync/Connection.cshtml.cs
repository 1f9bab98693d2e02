using Concord.Core.Common;
using Concord.Core.Sync.Inbox;
using Concord.Core.Sync.Running;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Web.Pages.Sync;

/// <summary>A connection's history (S16): its runs with their counts and why one ended, and its inbox (S17).</summary>
public sealed class ConnectionModel(SyncHistory history) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Name { get; set; } = "";

    public IReadOnlyList<RunSummary> Runs { get; private set; } = [];
    public IReadOnlyList<InboxEntry> Inbox { get; private set; } = [];
    public string? Problem { get; private set; }
    public string? Done { get; private set; }
    public bool CanResolve => ConcordWeb.RoleOf(User) >= Core.Users.Role.Clerk;

    /// <summary>Settles an inbox entry by taking one side; the next run applies it (S17).</summary>
    public IActionResult OnPostResolve(string code, string take)
    {
        if (!CanResolve)
        {
            return Forbid();
        }
        try
        {
            history.Resolve(Name, code, take);
            Done = $"{code}: {(take == "operational" ? "this side" : "accounting")} wins; the next run applies it.";
        }
        catch (UserError error) when (!error.IsNotFound)
        {
            Problem = error.Message;
        }
        return OnGet();
    }

    public IActionResult OnGet()
    {
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
