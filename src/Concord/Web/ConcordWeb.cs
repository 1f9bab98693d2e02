using System.Security.Claims;
using Concord.Core;
using Concord.Core.Users;
using Concord.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Scalar.AspNetCore;

namespace Concord.Web;

/// <summary>
/// The web app and REST API (U2, U3) on one store: services added once, the pipeline (problem
/// details, security headers, sign-in by cookie or API key, roles as policies) and the endpoints.
/// `concord serve` and `concord demo` host it; tests host the same through WebApplicationFactory.
/// </summary>
public static class ConcordWeb
{
    public const string DefaultUrl = "http://127.0.0.1:5080";

    /// <summary>The scheme that picks the cookie or the API key, whichever the request carries.</summary>
    private const string Either = "cookie-or-key";

    public static IServiceCollection AddConcordWeb(this IServiceCollection services, Database database, TimeProvider clock)
    {
        services.AddSingleton(database);
        services.AddSingleton(clock);
        services.AddSingleton(new SignIn(database, clock));
        // Who acts (the request's signed-in user or API key, on the store, by the server's clock), and Core's services acting as them: one of each per request.
        services.AddHttpContextAccessor();
        services.AddScoped(provider => SessionOf(provider.GetRequiredService<IHttpContextAccessor>().HttpContext
            ?? throw new InvalidOperationException("Core's services act for a request's user; there is no request here")));
        services.AddScoped<Concord.Core.Operational.CustomerService>();
        services.AddScoped<Concord.Core.Operational.SiteService>();
        services.AddScoped<Concord.Core.Ledger.AccountService>();
        services.AddScoped<Concord.Core.Ledger.ReferenceService>();
        services.AddScoped<Concord.Core.Sync.Connections.ConnectionService>();
        services.AddScoped<Concord.Core.Sync.Correspondence.CorrespondenceService>();
        services.AddScoped<Concord.Core.Sync.Running.SyncHistory>();
        services.AddScoped<Concord.Core.Sync.Running.SyncEngine>();
        services.AddSingleton<LiveRuns>();
        services.AddHostedService(provider => provider.GetRequiredService<LiveRuns>());
        // Session cookies are sealed with the data folder's own keys (a private folder), as connection secrets are.
        var keys = new Concord.Core.Sync.Connections.SecretBox(database.DataDirectory).KeysDirectory;
        Database.CreatePrivateFolder(keys);
        services.AddDataProtection().SetApplicationName("concord").PersistKeysToFileSystem(new DirectoryInfo(keys));
        services.AddRouting();
        services.AddRazorPages(options =>
        {
            options.RootDirectory = "/Web/Pages";
            options.Conventions.AuthorizeFolder("/", Policy(Role.Viewer));
        }).ConfigureApplicationPartManager(parts =>
        {
            // The screens are compiled into this assembly, whichever program hosts it (a test host, the benchmark).
            var assembly = typeof(ConcordWeb).Assembly;
            if (!parts.ApplicationParts.Any(p => p.Name == assembly.GetName().Name))
            {
                foreach (var part in Microsoft.AspNetCore.Mvc.ApplicationParts.ApplicationPartFactory.GetApplicationPartFactory(assembly).GetApplicationParts(assembly))
                {
                    parts.ApplicationParts.Add(part);
                }
            }
        });
        // Enumerations as their names ("never", "both"), as the command line's --json writes them.
        services.ConfigureHttpJsonOptions(options =>
            options.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter(System.Text.Json.JsonNamingPolicy.CamelCase)));
        services.AddProblemDetails();
        // A request that cannot be read is thrown to UserErrors, which names the member at fault.
        services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(options => options.ThrowOnBadRequest = true);
        services.AddExceptionHandler<UserErrors>();
        services.AddOpenApi();
        services.AddAuthentication(Either)
            .AddPolicyScheme(Either, "Cookie or API key", options =>
                options.ForwardDefaultSelector = context => context.Request.Headers.ContainsKey(ApiKeyAuthentication.Header) ? ApiKeyAuthentication.SchemeName : CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(options =>
            {
                options.Cookie.Name = "concord";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.SlidingExpiration = true;
                options.ExpireTimeSpan = TimeSpan.FromHours(8);
                options.LoginPath = "/sign-in";
                options.AccessDeniedPath = "/denied";
                // The API answers 401 and 403 rather than sending a program to the sign-in screen; a person is sent there.
                options.Events.OnRedirectToLogin = context => Refuse(context, StatusCodes.Status401Unauthorized);
                options.Events.OnRedirectToAccessDenied = context => Refuse(context, StatusCodes.Status403Forbidden);
            })
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthentication>(ApiKeyAuthentication.SchemeName, null);
        services.AddAuthorization(options =>
        {
            foreach (var role in Enum.GetValues<Role>())
            {
                options.AddPolicy(Policy(role), policy => policy.RequireAuthenticatedUser().RequireAssertion(context => RoleOf(context.User) >= role));
            }
        });
        return services;
    }

    /// <summary>The pipeline and the endpoints, on a WebApplication or any host's application builder.</summary>
    public static IApplicationBuilder UseConcordWeb(this IApplicationBuilder app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.Use(async (context, next) =>
        {
            var headers = context.Response.Headers;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            // Scalar's reference page loads its script from its own path on this server.
            headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/scalar")
                ? "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:"
                : "default-src 'self'; frame-ancestors 'none'";
            await next();
        });
        app.Use(async (context, next) =>
        {
            if (FromAnotherOrigin(context.Request))
            {
                await UserErrors.WriteAsync(context, context.RequestServices.GetRequiredService<IProblemDetailsService>(), StatusCodes.Status403Forbidden, "Not allowed",
                    "a page of another site or port may not change anything here with your sign-in; use this server's own screens, or an API key");
                return;
            }
            await next();
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseEndpoints(endpoints =>
        {
            endpoints.MapOpenApi();
            endpoints.MapScalarApiReference();
            endpoints.MapAccountApi();
            endpoints.MapCustomerApi();
            endpoints.MapSyncApi();
            endpoints.MapLedgerApi();
            endpoints.MapTransactionApi();
            endpoints.MapCliApi();
            endpoints.MapRazorPages();
            endpoints.MapGet("/", () => Results.Redirect("/customers")).ExcludeFromDescription();
            endpoints.MapGet("/site.css", () => Results.Stream(typeof(ConcordWeb).Assembly.GetManifestResourceStream("Concord.Web.site.css")!, "text/css"))
                .ExcludeFromDescription();
            endpoints.MapGet("/site.js", () => Results.Stream(typeof(ConcordWeb).Assembly.GetManifestResourceStream("Concord.Web.site.js")!, "text/javascript"))
                .ExcludeFromDescription();
        });
        return app;
    }

    /// <summary>
    /// A change asked of the API by a browser on behalf of a page of another origin (another site, or
    /// another port of 127.0.0.1, which a same-site cookie does not tell apart): refused, so that no
    /// page can act with the session cookie (a program's API key is not sent by browsers on their own).
    /// The screens' own forms carry anti-forgery tokens.
    /// </summary>
    private static bool FromAnotherOrigin(HttpRequest request)
    {
        if (!request.Path.StartsWithSegments("/api") || HttpMethods.IsGet(request.Method) || HttpMethods.IsHead(request.Method) || HttpMethods.IsOptions(request.Method)
            || request.Headers.ContainsKey(ApiKeyAuthentication.Header))
        {
            return false;
        }
        if (request.Headers["Sec-Fetch-Site"].ToString() is { Length: > 0 } site && site is not ("same-origin" or "none"))
        {
            return true;
        }
        return request.Headers.Origin.ToString() is { Length: > 0 } origin
            && !string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The policy that admits this role and the roles above it.</summary>
    public static string Policy(Role role) => role.ToString().ToLowerInvariant();

    /// <summary>The claims a signed-in user or a key carries.</summary>
    public static ClaimsPrincipal Principal(User user, string scheme) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, user.Name), new Claim(ClaimTypes.Role, user.Role.ToString())], scheme));

    /// <summary>The session of the request's user: who acts, on the store, by the server's clock.</summary>
    public static Session SessionOf(HttpContext context) =>
        new(context.RequestServices.GetRequiredService<Database>(),
            new User(context.User.Identity?.Name ?? throw new InvalidOperationException("no signed-in user"), RoleOf(context.User)),
            context.RequestServices.GetRequiredService<TimeProvider>());

    /// <summary>The role a signed-in user or key acts with.</summary>
    public static Role RoleOf(ClaimsPrincipal user) =>
        Enum.TryParse<Role>(user.FindFirstValue(ClaimTypes.Role), out var role) ? role : (Role)(-1);

    private static Task Refuse(RedirectContext<CookieAuthenticationOptions> context, int status)
    {
        if (!context.Request.Path.StartsWithSegments("/api"))
        {
            context.Response.Redirect(context.RedirectUri);
            return Task.CompletedTask;
        }
        context.Response.StatusCode = status;
        return Task.CompletedTask;
    }
}
