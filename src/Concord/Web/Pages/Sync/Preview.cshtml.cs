using Concord.Core.Common;
using Concord.Core.Sync.Correspondence;
using Concord.Core.Sync.Planning;
using Concord.Core.Sync.Running;
using Concord.Core.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Web.Pages.Sync;

/// <summary>
/// The sync preview (S9, seeds 002 and 003): two panes, a check box per line, "not this time" and
/// "never sync" per line; Synchronise asks for confirmation naming the target company (S10), then
/// starts the run on the server and shows its progress. Proposals are linked or confirmed new here.
/// </summary>
public sealed class PreviewModel(LiveRuns runs, Core.Session session, CorrespondenceService correspondence, SyncEngine engine) : PageModel
{
    public const string WriteWarning = "This action will write data to the accounting system. Are you sure you want to continue?";

    [BindProperty(SupportsGet = true)] public string Name { get; set; } = "";
    [BindProperty(SupportsGet = true)] public string Sort { get; set; } = "code";
    [BindProperty(SupportsGet = true)] public bool Desc { get; set; }
    [BindProperty(SupportsGet = true)] public bool All { get; set; }
    [BindProperty(SupportsGet = true)] public bool Full { get; set; }

    /// <summary>The lines shown with a check box, the ones ticked, marked "not this time", and "never sync".</summary>
    [BindProperty] public List<string> Shown { get; set; } = [];
    [BindProperty] public List<string> Sel { get; set; } = [];
    [BindProperty] public List<string> Skip { get; set; } = [];
    [BindProperty] public List<string> Never { get; set; } = [];
    [BindProperty] public string? Company { get; set; }

    public Preview? Plan { get; private set; }
    public string? Problem { get; private set; }
    public string? Done { get; private set; }

    /// <summary>Set once Synchronise was pressed: the confirmation naming the company, with what will be applied.</summary>
    public RunChoice? Confirming { get; private set; }

    public bool CanRun => ConcordWeb.RoleOf(User) >= Role.Supervisor;
    public bool CanDecide => ConcordWeb.RoleOf(User) >= Role.Clerk;

    /// <summary>What a person chose on the preview: lines to apply, to leave this time, never to sync.</summary>
    public sealed record RunChoice(IReadOnlyList<string> Apply, IReadOnlyList<string> Skip, IReadOnlyList<string> Never);

    public async Task<IActionResult> OnGetAsync() => await ShowAsync();

    public async Task<IActionResult> OnPostReviewAsync()
    {
        if (!CanRun)
        {
            return Forbid();
        }
        var choice = Choice();
        if (choice.Apply.Count == 0 && choice.Never.Count == 0)
        {
            Problem = "Nothing is selected: tick the lines to synchronise.";
            return await ShowAsync();
        }
        Confirming = choice;
        return await ShowAsync();
    }

    public async Task<IActionResult> OnPostRunAsync()
    {
        if (!CanRun)
        {
            return Forbid();
        }
        var choice = Choice();
        try
        {
            if (choice.Apply.Count == 0)
            {
                // Only never-sync marks: nothing to write to accounting, and an empty selection must not mean "everything".
                foreach (var code in choice.Never)
                {
                    await new CorrespondenceService(session).NeverAsync(Name, code, never: true, HttpContext.RequestAborted);
                }
                Done = $"{choice.Never.Count} marked never sync; nothing was written to accounting.";
                return await ShowAsync();
            }
            await runs.StartAsync(session, Name, new RunOptions { Company = Company, Only = choice.Apply, Skip = choice.Skip, Never = choice.Never, Full = Full });
        }
        catch (UserError error)
        {
            Problem = error.Message;
            return await ShowAsync();
        }
        catch (Core.Connectors.ConnectorUnavailableException unavailable)
        {
            Problem = UserErrors.Describe(unavailable);
            return Page();
        }
        return Redirect($"/sync/{Uri.EscapeDataString(Name)}/live");
    }

    public Task<IActionResult> OnPostLinkAsync(string operational, string accounting) =>
        DecideAsync(s => s.ConfirmAsync(Name, operational, accounting, HttpContext.RequestAborted), $"{operational} is linked to {accounting}; the next run syncs them.");

    public Task<IActionResult> OnPostNewAsync(string operational) =>
        DecideAsync(s => s.ConfirmNewAsync(Name, operational, HttpContext.RequestAborted), $"{operational} will be created in accounting by the next run.");

    public Task<IActionResult> OnPostAllowAsync(string code) =>
        DecideAsync(s => s.NeverAsync(Name, code, never: false, HttpContext.RequestAborted), $"{code} takes part in syncs again.");

    private async Task<IActionResult> DecideAsync(Func<CorrespondenceService, Task> decide, string done)
    {
        if (!CanDecide)
        {
            return Forbid();
        }
        try
        {
            await decide(correspondence);
            Done = done;
        }
        catch (UserError error)
        {
            Problem = error.Message;
        }
        return await ShowAsync();
    }

    /// <summary>The ticked lines less those marked not this time or never; the unticked ones count as not this time.</summary>
    private RunChoice Choice()
    {
        var never = Distinct(Never);
        var skip = Distinct(Skip.Concat(Shown.Where(code => !Sel.Contains(code, StringComparer.OrdinalIgnoreCase))))
            .Where(code => !never.Contains(code, StringComparer.OrdinalIgnoreCase)).ToList();
        var apply = Distinct(Sel).Where(code => !never.Contains(code, StringComparer.OrdinalIgnoreCase) && !skip.Contains(code, StringComparer.OrdinalIgnoreCase)).ToList();
        return new RunChoice(apply, skip, never);
    }

    private static List<string> Distinct(IEnumerable<string> codes) => [.. codes.Where(c => !string.IsNullOrWhiteSpace(c)).Distinct(StringComparer.OrdinalIgnoreCase)];

    private async Task<IActionResult> ShowAsync()
    {
        try
        {
            var (company, plan) = await engine.PreviewAsync(Name, Full, HttpContext.RequestAborted);
            Plan = Preview.Of(Name, company, plan, new PreviewOptions { All = All, Sort = PreviewOptions.SortColumns.Contains(Sort) ? Sort : "code", Descending = Desc });
        }
        catch (UserError error) when (error.IsNotFound)
        {
            return NotFound();
        }
        catch (UserError error)
        {
            Problem ??= error.Message;
        }
        catch (Core.Connectors.ConnectorUnavailableException unavailable)
        {
            Problem ??= UserErrors.Describe(unavailable);
        }
        return Page();
    }

    /// <summary>This screen with other sorting or showing options.</summary>
    public string Link(string? sort = null, bool? desc = null, bool? all = null) =>
        $"/sync/{Uri.EscapeDataString(Name)}/preview?sort={sort ?? Sort}&desc={(desc ?? Desc ? "true" : "false")}&all={(all ?? All ? "true" : "false")}&full={(Full ? "true" : "false")}";
}
