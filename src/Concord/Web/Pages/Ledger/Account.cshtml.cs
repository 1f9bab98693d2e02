using Concord.Core.Common;
using Concord.Core.Ledger;
using Concord.Core.Users;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Web.Pages.Ledger;

/// <summary>
/// The ledger account form (seed 004's General tab, L1): add from a model account (L3), profiles (L4),
/// contacts and memo (L6), dormant (L8), delete and restore (L9), by the same rules as the command
/// line; the system-stamped fields are shown read-only; what is refused is listed by field.
/// </summary>
public sealed class AccountModel(Core.Session session, ReferenceService data, AccountService accounts) : PageModel
{
    /// <summary>The form's groups and their fields, in the order of the General tab.</summary>
    public static readonly (string Group, string[] Fields)[] Groups =
    [
        ("Account", ["code", "name", "is-model", "dormant"]),
        ("Address and contacts", ["address", "postcode", "country", "phone", "web-site", "ac-contact", "ac-email", "order-contact", "order-email"]),
        ("Trading", ["vat", "currency", "credit-limit", "payment-days", "options-profile", "terms-profile", "control-account", "bank"]),
        ("Analysis", ["region", "territory", "customer-type", "cost-centre", "department", "despatch-method", "route"]),
        ("Delivery and invoicing", ["ledger-account", "invoice-account"]),
    ];

    /// <summary>Stamped by the system: shown, never typed.</summary>
    public static readonly string[] Stamped = ["balance", "marked-for-deletion", "first-created", "last-modified"];

    private static IEnumerable<string> Editable => Groups.SelectMany(g => g.Fields).Append("memo");

    [BindProperty(SupportsGet = true)] public string? Code { get; set; }
    [BindProperty] public Dictionary<string, string?> Values { get; set; } = new(StringComparer.OrdinalIgnoreCase);
    [BindProperty] public string? FromModel { get; set; }

    public bool IsNew => string.IsNullOrEmpty(Code);
    public bool CanEdit => ConcordWeb.RoleOf(User) >= Role.Clerk;
    public bool CanDelete => ConcordWeb.RoleOf(User) >= Role.Supervisor;
    public LedgerAccount? Account { get; private set; }
    public IReadOnlyList<LedgerAccount> Models { get; private set; } = [];
    public IReadOnlyList<AccountContact> Contacts { get; private set; } = [];
    public IReadOnlyList<Core.Audit.AuditEntry> History { get; private set; } = [];

    /// <summary>Where the account stands (L7): balance, turnover, debtor days, last dates, aged balances.</summary>
    public AccountStanding? Standing { get; private set; }

    /// <summary>How many of the newest transactions the form lists (the command line lists them all).</summary>
    public const int ShownTransactions = 200;

    /// <summary>The account's newest transactions, newest first.</summary>
    public IReadOnlyList<LedgerTransaction> Transactions { get; private set; } = [];
    public Refusals Refused { get; } = new();
    public List<string> Problems => Refused.Lines;
    public HashSet<string> ProblemFields => Refused.Fields;
    public List<string> Warnings { get; } = [];
    public string? Done { get; private set; }

    /// <summary>The choices of a field that refers to reference data or a profile (L2, L4); null for a free field.</summary>
    public IReadOnlyList<(string Code, string Name)>? ChoicesOf(string field)
    {
        var references = LedgerAccount.Schema.Find(field)?.References;
        if (references is null or "account")
        {
            return null;
        }
        return references switch
        {
            "options-profile" => [.. data.OptionsProfiles().Select(p => (p.Code, p.Name))],
            "terms-profile" => [.. data.TermsProfiles().Select(p => (p.Code, p.Name))],
            _ => [.. data.List(references).Select(r => (r.Code, r.Name))],
        };
    }

    public IActionResult OnGet()
    {
        using (var connection = session.Database.OpenConnection())
        {
            Models = [.. AccountService.List(connection, includeDormant: true, includeModels: true).Where(a => a.Model)];
        }
        if (IsNew)
        {
            return CanEdit ? Page() : Forbid();
        }
        try
        {
            Show(new AccountService(session).Get(Code!));
        }
        catch (UserError error) when (error.IsNotFound)
        {
            return NotFound();
        }
        return Page();
    }

    public IActionResult OnPost()
    {
        if (!CanEdit)
        {
            return Forbid();
        }
        var service = accounts;
        try
        {
            var values = FormValues.Given(LedgerAccount.Schema, Editable, Values, IsNew ? null : service.Get(Code!));
            var saved = IsNew ? service.Add(values, string.IsNullOrWhiteSpace(FromModel) ? null : FromModel) : service.Edit(Code!, values);
            TempData["done"] = $"{saved.Code} saved." + (service.Warnings.Count > 0 ? " " + string.Join(" ", service.Warnings) : "");
            return Redirect($"/ledger/accounts/{Uri.EscapeDataString(saved.Code)}");
        }
        catch (UserError error)
        {
            Refused.Add(error);
            var kept = new Dictionary<string, string?>(Values, StringComparer.OrdinalIgnoreCase);
            var result = OnGet();
            foreach (var (field, value) in kept)
            {
                Values[field] = value;
            }
            return result;
        }
    }

    public IActionResult OnPostDelete() => Act(s => s.MarkForDeletion(Code!), CanDelete, "marked for deletion: End of Period removes it once its balance is zero");

    public IActionResult OnPostRestore() => Act(s => s.Restore(Code!), CanDelete, "restored");

    public IActionResult OnPostContact(string name, string? role, string? phone, string? email) =>
        Act(s => s.AddContact(Code!, name, role, phone, email), CanEdit, $"contact {name} added");

    private IActionResult Act(Action<AccountService> act, bool allowed, string done)
    {
        if (!allowed || IsNew)
        {
            return Forbid();
        }
        try
        {
            act(accounts);
            TempData["done"] = $"{Code} {done}.";
            return Redirect($"/ledger/accounts/{Uri.EscapeDataString(Code!)}");
        }
        catch (UserError error) when (!error.IsNotFound)
        {
            Refused.Add(error);
            return OnGet();
        }
    }

    private void Show(LedgerAccount account)
    {
        Account = account;
        foreach (var field in Editable.Concat(Stamped))
        {
            var spec = LedgerAccount.Schema.Find(field)!;
            Values[field] = spec.Format(spec.Get(account));
        }
        Contacts = new AccountService(session).Contacts(account.Code);
        if (!account.Model)
        {
            // A model account is a template: nothing is posted to it.
            Standing = new LedgerReports(session).Standing(account.Code);
            Transactions = [.. new TransactionService(session).List(account.Code).Reverse().Take(ShownTransactions)];
        }
        using var connection = session.Database.OpenConnection();
        History = [.. Core.Audit.AuditLog.Read(connection, "account", account.Code).Reverse()];
        Done = TempData["done"] as string;
    }
}
