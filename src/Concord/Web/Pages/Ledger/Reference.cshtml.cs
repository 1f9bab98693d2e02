using Concord.Core.Common;
using Concord.Core.Ledger;
using Concord.Core.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Web.Pages.Ledger;

/// <summary>The ledger's reference data (L2: currencies, countries, regions, …) and its options and terms profiles (L4), each with an add form for clerks.</summary>
public sealed class ReferenceModel(ReferenceService data) : PageModel
{
    public IReadOnlyList<(string Kind, IReadOnlyList<ReferenceEntry> Entries)> Kinds { get; private set; } = [];
    public IReadOnlyList<OptionsProfile> Options { get; private set; } = [];
    public IReadOnlyList<TermsProfile> Terms { get; private set; } = [];
    public string? Problem { get; private set; }
    public string? Done { get; private set; }
    public bool CanAdd => ConcordWeb.RoleOf(User) >= Role.Clerk;

    public void OnGet() => Load();

    public IActionResult OnPostEntry(string kind, string code, string name) =>
        Add(s => s.Add(kind, code, name), $"{kind} {code} added.");

    public IActionResult OnPostOptions(string code, string name, string currency, string? controlAccount, string? bank) =>
        Add(s => s.AddOptions(code, name, currency, controlAccount, bank), $"Options profile {code} added.");

    public IActionResult OnPostTerms(string code, string name, string creditLimit, string paymentDays) =>
        Add(s => s.AddTerms(code, name,
            UserError.Guard($"terms profile {code}", "credit-limit", () => Money.Parse(creditLimit)),
            UserError.Guard($"terms profile {code}", "payment-days", () => int.TryParse(paymentDays, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var days)
                ? days : throw new FieldValueError("is a whole number of days"))),
            $"Terms profile {code} added.");

    private IActionResult Add(Action<ReferenceService> add, string done)
    {
        if (!CanAdd)
        {
            return Forbid();
        }
        try
        {
            add(data);
            Done = done;
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
        Kinds = [.. ReferenceResolver.LedgerKinds.Select(kind => (kind, data.List(kind)))];
        Options = data.OptionsProfiles();
        Terms = data.TermsProfiles();
    }
}
