using Concord.Core.Sync.Inbox;
using Concord.Core.Sync.Running;
using Concord.Core.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Concord.Web;

/// <summary>What the sync engine did, over the API (S16, S17): where each connection stands, its runs with their reports and writes, its inbox.</summary>
public static class SyncApi
{
    public static IEndpointRouteBuilder MapSyncApi(this IEndpointRouteBuilder routes)
    {
        var connections = routes.MapGroup("/api/connections").WithTags("Sync history").RequireAuthorization(ConcordWeb.Policy(Role.Viewer));

        connections.MapGet("", Ok<ConnectionStatus[]> (HttpContext context) =>
            TypedResults.Ok(new SyncHistory(ConcordWeb.SessionOf(context)).Status(null).ToArray()))
            .WithSummary("Every connection: its last run, changes waiting, inbox, unsettled writes");

        connections.MapGet("/{name}/runs", Ok<RunSummary[]> (string name, HttpContext context) =>
            TypedResults.Ok(new SyncHistory(ConcordWeb.SessionOf(context)).Runs(name).ToArray()))
            .WithSummary("A connection's runs, with what each created, updated, linked and refused");

        connections.MapGet("/{name}/runs/{id:long}", Ok<JournalEntry[]> (string name, long id, HttpContext context) =>
        {
            var history = new SyncHistory(ConcordWeb.SessionOf(context));
            if (history.Runs(name, id).Count == 0)
            {
                throw new Core.Common.UserError($"run {id}", null, $"does not exist as a run of connection {name}");
            }
            return TypedResults.Ok(history.RunWrites(id).ToArray());
        }).WithSummary("One run's writes, each with its outcome");

        connections.MapGet("/{name}/inbox", Ok<InboxEntry[]> (string name, HttpContext context) =>
            TypedResults.Ok(new SyncHistory(ConcordWeb.SessionOf(context)).Inbox(name).ToArray()))
            .WithSummary("Records held for review or refused, with both sides' values");
        return routes;
    }
}
