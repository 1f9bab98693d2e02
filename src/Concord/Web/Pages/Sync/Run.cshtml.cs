using Concord.Core.Common;
using Concord.Core.Sync.Running;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Web.Pages.Sync;

/// <summary>One run's report (S16): every write it made and how it ended.</summary>
public sealed class RunModel(SyncHistory history) : PageModel
{
    [BindProperty(SupportsGet = true)] public string Name { get; set; } = "";
    [BindProperty(SupportsGet = true)] public long Id { get; set; }

    public RunSummary? Run { get; private set; }
    public IReadOnlyList<JournalEntry> Writes { get; private set; } = [];

    public IActionResult OnGet()
    {
        try
        {
            Run = history.Runs(Name, Id).FirstOrDefault();
        }
        catch (UserError)
        {
            return NotFound();
        }
        if (Run is null)
        {
            return NotFound();
        }
        Writes = history.RunWrites(Id);
        return Page();
    }
}
