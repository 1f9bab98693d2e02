using Concord.Core.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Web.Pages.Sync;

/// <summary>
/// A run started on this server as it goes (S16): a progress bar that follows it (the run goes on
/// if the page is closed), Cancel while it runs, and once it ends its completion report.
/// </summary>
public sealed class LiveModel(LiveRuns runs) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Name { get; set; } = "";

    public LiveRun? Run { get; private set; }

    public bool CanCancel => ConcordWeb.RoleOf(User) >= Role.Supervisor;

    public IActionResult OnGet()
    {
        Run = runs.Of(Name);
        return Run is null ? NotFound() : Page();
    }

    public IActionResult OnPostCancel()
    {
        if (!CanCancel)
        {
            return Forbid();
        }
        runs.Of(Name)?.Cancel(User.Identity!.Name!);
        return Redirect($"/sync/{Uri.EscapeDataString(Name)}/live");
    }
}
