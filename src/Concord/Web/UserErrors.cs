using Concord.Core.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Concord.Web;

/// <summary>
/// A user's mistake as RFC 9457 problem details naming the record and the field, the way the CLI
/// prints it with exit code 1: 404 when the record does not exist, 403 when the user's role may not
/// do it, 400 otherwise. Anything else is a bug: 500 with no detail.
/// </summary>
public sealed class UserErrors(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellation)
    {
        if (exception is Core.Connectors.ConnectorUnavailableException unavailable)
        {
            // The accounting system cannot be reached or refuses Concord: what happened and the remedy, as the CLI says them.
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = StatusCodes.Status503ServiceUnavailable,
                    Title = "Accounting system unavailable",
                    Detail = Describe(unavailable),
                },
                Exception = exception,
            });
        }
        if (exception is BadHttpRequestException bad)
        {
            // A request the API cannot read (a body member of the wrong kind, a query value that is not a number): which part, and why.
            var member = bad.InnerException is System.Text.Json.JsonException { Path: { Length: > 2 } path } ? path[2..] : null;
            var reason = member is null ? bad.Message : "is not a value of the kind it takes";
            context.Response.StatusCode = bad.StatusCode;
            return await problems.TryWriteAsync(new ProblemDetailsContext
            {
                HttpContext = context,
                ProblemDetails = new ProblemDetails
                {
                    Status = bad.StatusCode,
                    Title = "Refused",
                    Detail = member is null ? reason : $"body {member}: {reason}",
                    Extensions = { ["errors"] = new[] { new { record = member is null ? "request" : "body", field = member, reason, line = (int?)null } } },
                },
                Exception = exception,
            });
        }
        if (exception is not UserError error)
        {
            return false;
        }
        var first = error.Errors[0];
        var status = first.Field == "role" ? StatusCodes.Status403Forbidden
            : error.IsNotFound ? StatusCodes.Status404NotFound
            : StatusCodes.Status400BadRequest;
        context.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails
            {
                Status = status,
                Title = status switch { 403 => "Not allowed", 404 => "Not found", _ => "Refused" },
                Detail = error.Message,
                Extensions =
                {
                    ["errors"] = error.Errors.Select(e => new { record = e.Record, field = e.Field, reason = e.Reason, line = e.Line }).ToArray(),
                },
            },
            Exception = exception,
        });
    }

    /// <summary>An unreachable or refusing accounting system as a person reads it: what happened, then the remedy.</summary>
    public static string Describe(Core.Connectors.ConnectorUnavailableException unavailable) =>
        $"{unavailable.Message.TrimEnd('.')}. To fix: {unavailable.Remedy}";
}
