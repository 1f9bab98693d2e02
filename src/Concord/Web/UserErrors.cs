using Concord.Core.Common;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace Concord.Web;

/// <summary>
/// A user's mistake as RFC 9457 problem details naming the record and the field, the way the CLI
/// prints it with exit code 1: 404 when the record does not exist, 403 when the user's role may not
/// do it, 400 otherwise; a request that cannot be read names the member at fault; an unreachable
/// accounting system is 503 with the remedy; a write undone by a deadlock is 409, to send again. Anything else is a bug: 500 with no detail.
/// </summary>
public sealed class UserErrors(IProblemDetailsService problems) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellation)
    {
        var (status, title, detail, errors) = exception switch
        {
            // The accounting system cannot be reached or refuses Concord: what happened and the remedy, as the CLI says them.
            Core.Connectors.ConnectorUnavailableException unavailable => (StatusCodes.Status503ServiceUnavailable, "Accounting system unavailable", Describe(unavailable), null),
            // A request the API cannot read (a body member of the wrong kind, a query value that is not a number): which part, and why.
            BadHttpRequestException bad => Unreadable(bad),
            // Undone because another writer held the same records at that moment (a deadlock): nothing was written; sending it again does it.
            System.Data.Common.DbException conflict when Store.Database.IsWriteConflict(conflict) => (StatusCodes.Status409Conflict, "Write conflict",
                $"{Store.Database.WriteConflictWords}; nothing was written: send it again", null),
            System.Data.Common.DbException late when Store.Database.IsTimeout(late) => (StatusCodes.Status503ServiceUnavailable, "Store busy",
                $"{Store.Database.TimeoutWords}; nothing was written: send it again", null),
            UserError error => (
                error.Errors[0].Field == "role" ? StatusCodes.Status403Forbidden : error.IsNotFound ? StatusCodes.Status404NotFound : StatusCodes.Status400BadRequest,
                error.Errors[0].Field == "role" ? "Not allowed" : error.IsNotFound ? "Not found" : "Refused",
                error.Message,
                error.Errors.Select(e => new Problem(e.Record, e.Field, e.Reason, e.Line)).ToArray()),
            _ => (0, "", "", (Problem[]?)null),
        };
        return status != 0 && await WriteAsync(context, problems, status, title, detail, errors, exception);
    }

    /// <summary>One problem of a refusal: the record, the field, why, and the file's line when there is one.</summary>
    public sealed record Problem(string Record, string? Field, string Reason, int? Line);

    /// <summary>Writes a problem-details answer: the status, its title, the message, and each problem by record and field.</summary>
    public static async ValueTask<bool> WriteAsync(HttpContext context, IProblemDetailsService problems, int status, string title, string detail,
        Problem[]? errors = null, Exception? exception = null)
    {
        context.Response.StatusCode = status;
        var details = new ProblemDetails { Status = status, Title = title, Detail = detail };
        if (errors is not null)
        {
            details.Extensions["errors"] = errors.Select(e => new { record = e.Record, field = e.Field, reason = e.Reason, line = e.Line }).ToArray();
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = details, Exception = exception });
    }

    private static (int, string, string, Problem[]?) Unreadable(BadHttpRequestException bad)
    {
        var member = bad.InnerException is System.Text.Json.JsonException { Path: { Length: > 2 } path } ? path[2..] : null;
        var reason = member is null ? bad.Message : "is not a value of the kind it takes";
        return (bad.StatusCode, "Refused", member is null ? reason : $"body {member}: {reason}", [new Problem(member is null ? "request" : "body", member, reason, null)]);
    }

    /// <summary>An unreachable or refusing accounting system as a person reads it: what happened, then the remedy.</summary>
    public static string Describe(Core.Connectors.ConnectorUnavailableException unavailable) =>
        $"{unavailable.Message.TrimEnd('.')}. To fix: {unavailable.Remedy}";
}
