using Concord.Core.Common;
using Concord.Core.Ledger;
using Concord.Core.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Web.Pages.Ledger;

/// <summary>
/// The sales ledger's accounts (L1, L8, L9): searched by code or name, dormant ones on request; a
/// supervisor previews End of Period (which marked accounts it would remove, which it keeps and why) and runs it.
/// </summary>
public sealed class IndexModel(Core.Session session, AccountService accounts) : PageModel
{
    [BindProperty(SupportsGet = true)] public string? Search { get; set; }
    [BindProperty(SupportsGet = true)] public bool Dormant { get; set; }

    public IReadOnlyList<LedgerAccount> Accounts { get; private set; } = [];
    public IReadOnlyList<PeriodEndOutcome>? PeriodEnd { get; private set; }
    public bool PeriodEndApplied { get; private set; }
    public string? Problem { get; private set; }
    public bool CanAdd => ConcordWeb.RoleOf(User) >= Role.Clerk;
    public bool CanEndPeriod => ConcordWeb.RoleOf(User) >= Role.Supervisor;

    /// <summary>At most this many accounts are listed; a search narrows them.</summary>
    public const int Shown = 500;

    public void OnGet() => Load();

    public IActionResult OnPostEndOfPeriod(bool apply)
    {
        if (!CanEndPeriod)
        {
            return Forbid();
        }
        try
        {
            PeriodEnd = accounts.EndOfPeriod(apply);
            PeriodEndApplied = apply;
        }
        catch (UserError error)
        {
            Problem = error.Message;
        }
        Load();
        return Page();
    }

    private void Load()
    {
        using var connection = session.Database.OpenConnection();
        Accounts = [.. (string.IsNullOrWhiteSpace(Search)
            ? AccountService.List(connection, Dormant, includeModels: true)
            : AccountService.Search(connection, Search.Trim(), Dormant)).Take(Shown + 1)];
    }
}
