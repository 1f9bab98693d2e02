using Concord.Cli;
using Concord.Core.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Concord.Web;

/// <summary>
/// The command line through the server (U3): `concord --server URL …` sends its words here and the
/// server runs them on its store as the API key's (or signed-in) user, with that user's role; the
/// commands that work on files or a terminal where they run are refused.
/// </summary>
public static class CliApi
{
    /// <summary>How many commands run at once for clients; the screens and the API keep the rest of the threads.</summary>
    private static readonly SemaphoreSlim Running = new(Math.Max(2, Environment.ProcessorCount));

    public static IEndpointRouteBuilder MapCliApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(RemoteClient.Path, async Task<Ok<RemoteClient.Answer>> (RemoteClient.Request request, HttpContext context) =>
        {
            if (request.Args is null || request.Server is null)
            {
                throw new Core.Common.UserError("command", request.Args is null ? "args" : "server", "is required: the command's words, and the server's address as the client wrote it");
            }
            var session = ConcordWeb.SessionOf(context);
            // A command blocks the thread it runs on (a sync run for as long as it takes): a few at a time, the others wait their turn.
            await Running.WaitAsync(context.RequestAborted);
            try
            {
                using var stdout = new MemoryStream();
                using var stderr = new StringWriter();
                var exit = await Task.Run(() => CliApp.Run(request.Args, stdout, stderr, session.Clock, terminal: false, width: request.Width,
                    remote: new CliRemote(session, request.Server, context.RequestAborted)));
                return TypedResults.Ok(new RemoteClient.Answer(exit, System.Text.Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString()));
            }
            finally
            {
                Running.Release();
            }
        }).RequireAuthorization(ConcordWeb.Policy(Role.Viewer)).WithTags("Command line")
          .WithSummary("Run a `concord` command on the server's store as this user (what `concord --server URL …` sends): its output and exit code");
        return routes;
    }
}
