using System.Text.Encodings.Web;
using Concord.Core.Users;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Concord.Web;

/// <summary>An API key in the <see cref="Header"/> header, never in the URL: the key's name and role act.</summary>
public sealed class ApiKeyAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, SignIn signIn)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "api-key";
    public const string Header = "X-Api-Key";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync() =>
        Task.FromResult(Request.Headers[Header].ToString() is { Length: > 0 } key
            ? signIn.Key(key) is { } user
                ? AuthenticateResult.Success(new AuthenticationTicket(ConcordWeb.Principal(user, SchemeName), SchemeName))
                : AuthenticateResult.Fail("the API key is unknown or was revoked")
            : AuthenticateResult.NoResult());
}
