using Concord.Core.Common;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Concord.Web.Pages;

/// <summary>The sign-in screen: a user name and password, the same lock-out as the API.</summary>
[AllowAnonymous]
public sealed class SignInModel(Core.Users.SignIn signIn) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? ReturnUrl { get; set; }

    [BindProperty]
    public string? UserName { get; set; }

    [BindProperty]
    public string? Password { get; set; }

    public string? Problem { get; private set; }

    public async Task<IActionResult> OnPostAsync()
    {
        try
        {
            var user = signIn.Password(UserName ?? "", Password ?? "");
            await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ConcordWeb.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme));
        }
        catch (UserError error)
        {
            Problem = error.Errors[0].Reason;
            return Page();
        }
        return LocalRedirect(Url.IsLocalUrl(ReturnUrl) ? ReturnUrl! : "/customers");
    }
}
