using Concord.Core.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Concord.Web;

/// <summary>Signing in and out, who is signed in, and API keys (U3, U4).</summary>
public static class AccountApi
{
    public sealed record SignInRequest(string User, string Password);

    public sealed record Me(string User, string Role);

    public sealed record NewKey(string Name, string Role);

    public sealed record CreatedKey(string Name, string Role, string Key);

    public sealed record KeyListing(string Name, string Role, string CreatedBy, DateTimeOffset CreatedAt);

    public static IEndpointRouteBuilder MapAccountApi(this IEndpointRouteBuilder routes)
    {
        var api = routes.MapGroup("/api").WithTags("Sign-in and API keys");

        api.MapPost("/sign-in", async Task<NoContent> (SignInRequest request, SignIn signIn, HttpContext context) =>
        {
            var user = signIn.Password(request.User ?? "", request.Password ?? "");
            await context.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, ConcordWeb.Principal(user, CookieAuthenticationDefaults.AuthenticationScheme));
            return TypedResults.NoContent();
        }).AllowAnonymous().WithSummary("Sign in with a user name and password: sets the session cookie");

        api.MapPost("/sign-out", async Task<NoContent> (HttpContext context) =>
        {
            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return TypedResults.NoContent();
        }).AllowAnonymous().WithSummary("Sign out: clears the session cookie");

        api.MapGet("/me", Ok<Me> (HttpContext context) =>
        {
            var session = ConcordWeb.SessionOf(context);
            return TypedResults.Ok(new Me(session.User.Name, Name(session.User.Role)));
        }).RequireAuthorization(ConcordWeb.Policy(Role.Viewer)).WithSummary("Who is signed in, and with which role");

        var keys = api.MapGroup("/keys").RequireAuthorization(ConcordWeb.Policy(Role.Supervisor));
        keys.MapGet("", Ok<KeyListing[]> (SignIn signIn) =>
            TypedResults.Ok(signIn.Keys().Select(k => new KeyListing(k.Name, Name(k.Role), k.CreatedBy, k.CreatedAt)).ToArray()))
            .WithSummary("The API keys that work (never the keys themselves)");
        keys.MapPost("", Created<CreatedKey> (NewKey request, SignIn signIn, HttpContext context) =>
        {
            var role = Concord.Core.Common.UserError.Guard($"API key {request.Name}", "role", () => Roles.Parse(request.Role));
            var key = signIn.CreateKey(ConcordWeb.SessionOf(context), request.Name ?? "", role);
            return TypedResults.Created($"/api/keys/{Uri.EscapeDataString(request.Name!)}", new CreatedKey(request.Name!, Name(role), key));
        }).WithSummary("Make an API key with a role; the key is shown in this answer only");
        keys.MapDelete("/{name}", NoContent (string name, SignIn signIn, HttpContext context) =>
        {
            signIn.RevokeKey(ConcordWeb.SessionOf(context), name);
            return TypedResults.NoContent();
        }).WithSummary("Revoke an API key");
        return routes;
    }

    private static string Name(Role role) => role.ToString().ToLowerInvariant();
}
