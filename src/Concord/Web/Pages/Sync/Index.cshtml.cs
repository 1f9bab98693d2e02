using Concord.Core.Sync.Running;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Web.Pages.Sync;

/// <summary>Where each connection stands (S16): its last run, what waits, its inbox.</summary>
public sealed class IndexModel(SyncHistory history) : PageModel
{
    public IReadOnlyList<ConnectionStatus> Connections { get; private set; } = [];

    public void OnGet() => Connections = history.Status(null);
}
