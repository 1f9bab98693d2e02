using Concord.Store;
using Microsoft.AspNetCore.Hosting;

namespace Concord.Web;

/// <summary>Starts the web app and API for `concord serve` and `concord demo` on the given URLs (loopback unless told otherwise).</summary>
public static class WebServer
{
    public static async Task<WebApplication> StartAsync(Database database, TimeProvider clock, string urls, CancellationToken cancellation)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ContentRootPath = AppContext.BaseDirectory, EnvironmentName = Environments.Production,
        });
        builder.WebHost.UseUrls(urls);
        // Progress and errors of the command go to stderr as lines of its own; the framework only says what went wrong.
        // The keys sit unencrypted in the data folder's private keys folder, as the connection secrets' keys do: not worth a warning at each start.
        builder.Logging.ClearProviders().AddSimpleConsole(options => options.SingleLine = true).SetMinimumLevel(LogLevel.Warning)
            .AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error)
            // A server that cannot start is reported by the command as one line; the host would add a stack trace.
            .AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Logging.Services.Configure<Microsoft.Extensions.Logging.Console.ConsoleLoggerOptions>(options => options.LogToStandardErrorThreshold = LogLevel.Trace);
        builder.Services.AddConcordWeb(database, clock);
        var app = builder.Build();
        app.UseConcordWeb();
        await app.StartAsync(cancellation);
        return app;
    }
}
