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
    public static IEndpointRouteBuilder MapCliApi(this IEndpointRouteBuilder routes)
    {
        routes.MapPost(RemoteClient.Path, Ok<RemoteClient.Answer> (RemoteClient.Request request, HttpContext context) =>
        {
            if (request.Args is null || request.Server is null)
            {
                throw new Core.Common.UserError("command", request.Args is null ? "args" : "server", "is required: the command's words, and the server's address as the client wrote it");
            }
            var session = ConcordWeb.SessionOf(context);
            using var stdout = new MemoryStream();
            using var stderr = new StringWriter();
            var exit = CliApp.Run(request.Args, stdout, stderr, session.Clock, terminal: false, width: request.Width,
                remote: new CliRemote(session, request.Server, context.RequestAborted));
            return TypedResults.Ok(new RemoteClient.Answer(exit, System.Text.Encoding.UTF8.GetString(stdout.ToArray()), stderr.ToString()));
        }).RequireAuthorization(ConcordWeb.Policy(Role.Viewer)).WithTags("Command line")
          .WithSummary("Run a `concord` command on the server's store as this user (what `concord --server URL …` sends): its output and exit code");
        return routes;
    }
}
