using Concord.Core.Common;
using Concord.Core.Users;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Web.Pages;

/// <summary>Supervisors manage users (add with a role and password, set a password) and API keys (a key shown once; revoke) (U3, U4).</summary>
[Authorize(Policy = "supervisor")]
public sealed class UsersModel(SignIn signIn, Core.Session session) : PageModel
{
    [BindProperty] public string? Name { get; set; }
    [BindProperty] public string? Role { get; set; }
    [BindProperty] public string? Password { get; set; }

    public IReadOnlyList<User> Users { get; private set; } = [];
    public IReadOnlyList<ApiKey> Keys { get; private set; } = [];
    public string? Problem { get; private set; }
    public string? Done { get; private set; }
    public string? NewKey { get; private set; }
    public string? NewKeyName { get; private set; }

    public void OnGet() => Load();

    public IActionResult OnPostAddUser() => Act(session =>
    {
        var role = RoleNamed();
        Core.Users.SignIn.CheckPassword(Name ?? "", Password ?? "");
        new UserDirectory(session.Database, session.Clock).Add(session, Name ?? "", role);
        signIn.SetPassword(session, Name!, Password ?? "");
        Done = $"User {Name} added as {role.ToString().ToLowerInvariant()}.";
    });

    public IActionResult OnPostSetPassword() => Act(session =>
    {
        signIn.SetPassword(session, Name ?? "", Password ?? "");
        Done = $"Password of {Name} set.";
    });

    public IActionResult OnPostAddKey() => Act(session =>
    {
        NewKey = signIn.CreateKey(session, Name ?? "", RoleNamed());
        NewKeyName = Name;
    });

    public IActionResult OnPostRevoke() => Act(session =>
    {
        signIn.RevokeKey(session, Name ?? "");
        Done = $"API key {Name} revoked.";
    });

    private IActionResult Act(Action<Core.Session> action)
    {
        try
        {
            action(session);
        }
        catch (UserError error)
        {
            Problem = error.Message;
        }
        Load();
        return Page();
    }

    private Role RoleNamed() => UserError.Guard($"user {Name}", "role", () => Roles.Parse(Role));

    private void Load()
    {
        Users = new UserDirectory(session.Database, session.Clock).List();
        Keys = signIn.Keys();
    }
}
