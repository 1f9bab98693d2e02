using Concord.Core.Sync.Connections;
using Concord.Core.Sync.Correspondence;
using Concord.Core.Sync.Inbox;
using Concord.Core.Sync.Planning;
using Concord.Core.Sync.Running;
using Concord.Core.Users;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Concord.Web;

/// <summary>
/// The sync engine over the API: the preview (S9), a run confirmed with the company's name (S10)
/// that goes on on the server with its progress and report (S16), never-sync marks and proposals
/// (S3, S7), and what runs did: each connection's status, runs, writes and inbox (S17).
/// </summary>
public static class SyncApi
{
    /// <summary>A run to start: the company's name as the preview showed it, the lines to apply (none: all), not this time, never.</summary>
    public sealed record RunRequest(string? Company, string[]? Only, string[]? Skip, string[]? Never, bool Full = false);

    /// <summary>A run started on the server, as it goes: its state, how far it has come, and its report once it ends.</summary>
    public sealed record LiveRunView(string Connection, string State, string StartedBy, DateTimeOffset StartedAt, long Done, long? Total, string Step, RunReport? Report, string? Failure)
    {
        public static LiveRunView Of(LiveRun run) =>
            new(run.Connection, run.State, run.StartedBy, run.StartedAt, run.Progress.Done, run.Progress.Total, run.Progress.Unit, run.Report, run.Failure);
    }

    /// <summary>Two records confirmed as one customer (a proposal accepted).</summary>
    public sealed record LinkRequest(string Operational, string Accounting);

    /// <summary>Which side wins an inbox entry: accounting or operational.</summary>
    public sealed record ResolveRequest(string Take);

    public static IEndpointRouteBuilder MapSyncApi(this IEndpointRouteBuilder routes)
    {
        var connections = routes.MapGroup("/api/connections").WithTags("Sync history").RequireAuthorization(ConcordWeb.Policy(Role.Viewer));

        connections.MapGet("", Ok<ConnectionStatus[]> (SyncHistory history) =>
            TypedResults.Ok(history.Status(null).ToArray()))
            .WithSummary("Every connection: its last run, changes waiting, inbox, unsettled writes");

        connections.MapGet("/{name}", Ok<System.Text.Json.JsonElement> (string name, ConnectionService service) =>
            TypedResults.Ok(ApiJson.Parsed(ConnectionService.Describe(service.Get(name)))!.Value))
            .WithTags("Connections").WithSummary("A connection's settings; secrets masked");

        connections.MapPost("/{name}", Created<System.Text.Json.JsonElement> (string name, ConnectionSettings settings, ConnectionService service) =>
        {
            var added = service.Add(name, settings);
            return TypedResults.Created($"/api/connections/{Uri.EscapeDataString(added.Name)}", ApiJson.Parsed(ConnectionService.Describe(added))!.Value);
        }).RequireAuthorization(ConcordWeb.Policy(Role.Supervisor)).WithTags("Connections")
          .WithSummary("Add a connection: accounting (KIND[:SETTINGS]), direction, priority, replace, createOnly, includeTypes, includeInactive, relations, postAccounts, schedule, site, model");

        connections.MapPut("/{name}", Ok<System.Text.Json.JsonElement> (string name, ConnectionSettings settings, ConnectionService service) =>
            TypedResults.Ok(ApiJson.Parsed(ConnectionService.Describe(service.Set(name, settings)))!.Value))
            .RequireAuthorization(ConcordWeb.Policy(Role.Supervisor)).WithTags("Connections")
            .WithSummary("Change a connection's settings: only those given change; secrets are written, never shown");

        connections.MapGet("/{name}/runs", Ok<RunSummary[]> (string name, SyncHistory history) =>
            TypedResults.Ok(history.Runs(name).ToArray()))
            .WithSummary("A connection's runs, with what each created, updated, linked and refused");

        connections.MapGet("/{name}/runs/{id:long}", Ok<JournalEntry[]> (string name, long id, SyncHistory history) =>
        {
            if (history.Runs(name, id).Count == 0)
            {
                throw new Core.Common.UserError($"run {id}", null, $"does not exist as a run of connection {name}");
            }
            return TypedResults.Ok(history.RunWrites(id).ToArray());
        }).WithSummary("One run's writes, each with its outcome");

        connections.MapGet("/{name}/inbox", Ok<InboxEntry[]> (string name, SyncHistory history) =>
            TypedResults.Ok(history.Inbox(name).ToArray()))
            .WithSummary("Records held for review or refused, with both sides' values");

        connections.MapPost("/{name}/inbox/{code}/resolve", NoContent (string name, string code, ResolveRequest request, SyncHistory history) =>
        {
            history.Resolve(name, code, request.Take);
            return TypedResults.NoContent();
        }).RequireAuthorization(ConcordWeb.Policy(Role.Clerk)).WithSummary("Settle an inbox entry by taking one side (accounting or operational); the next run applies it");

        connections.MapGet("/{name}/preview", async Task<Ok<Preview>> (string name, bool? full, bool? all, string? sort, bool? descending, string? pane, SyncEngine engine, HttpContext context) =>
        {
            var options = new PreviewOptions { All = all ?? false, Sort = sort ?? "code", Descending = descending ?? false, Pane = pane };
            options.Check(name);
            var (company, plan) = await engine.PreviewAsync(name, full ?? false, context.RequestAborted);
            return TypedResults.Ok(Preview.Of(name, company, plan, options));
        }).WithSummary("What a run would do, writing nothing: two panes per direction (only here, only there, differing), proposals, held and never-sync records, counts");

        connections.MapPost("/{name}/runs", async Task<Accepted<LiveRunView>> (string name, RunRequest request, LiveRuns runs, Core.Session session) =>
        {
            if (string.IsNullOrWhiteSpace(request.Company))
            {
                throw new Core.Common.UserError($"connection {name}", "company", "is required: the target company's name as the preview shows it, to confirm the write; nothing was written");
            }
            var run = await runs.StartAsync(session, name, new RunOptions
            {
                Company = request.Company,
                Only = request.Only ?? [],
                Skip = request.Skip ?? [],
                Never = request.Never ?? [],
                Full = request.Full,
            });
            return TypedResults.Accepted($"/api/connections/{Uri.EscapeDataString(name)}/live", LiveRunView.Of(run));
        }).RequireAuthorization(ConcordWeb.Policy(Role.Supervisor))
          .WithSummary("Start a run, confirmed with the target company's name as the preview shows it; it goes on on the server (follow it at /live)");

        connections.MapGet("/{name}/live", Results<Ok<LiveRunView>, NotFound> (string name, LiveRuns runs) =>
            runs.Of(name) is { } run ? TypedResults.Ok(LiveRunView.Of(run)) : TypedResults.NotFound())
            .WithSummary("The connection's run started on this server: running with its progress, or ended with its report");

        connections.MapPost("/{name}/live/cancel", Results<Ok<LiveRunView>, NotFound> (string name, LiveRuns runs, HttpContext context) =>
        {
            if (runs.Of(name) is not { } run)
            {
                return TypedResults.NotFound();
            }
            run.Cancel(context.User.Identity!.Name!);
            return TypedResults.Ok(LiveRunView.Of(run));
        }).RequireAuthorization(ConcordWeb.Policy(Role.Supervisor)).WithSummary("Stop the running run after the batch it is writing; it is recorded as interrupted and the next run completes the rest");

        connections.MapGet("/{name}/correspondence", Ok<Link[]> (string name, CorrespondenceService correspondence) =>
            TypedResults.Ok(correspondence.List(name).Links.ToArray()))
            .WithSummary("Which record is which on both sides, with never-sync marks");

        connections.MapPut("/{name}/never/{code}", async Task<NoContent> (string name, string code, CorrespondenceService correspondence, HttpContext context) =>
        {
            await correspondence.NeverAsync(name, code, never: true, context.RequestAborted);
            return TypedResults.NoContent();
        }).RequireAuthorization(ConcordWeb.Policy(Role.Clerk)).WithSummary("Never sync this record (a code on either side)");

        connections.MapDelete("/{name}/never/{code}", async Task<NoContent> (string name, string code, CorrespondenceService correspondence, HttpContext context) =>
        {
            await correspondence.NeverAsync(name, code, never: false, context.RequestAborted);
            return TypedResults.NoContent();
        }).RequireAuthorization(ConcordWeb.Policy(Role.Clerk)).WithSummary("Sync a never-sync record again");

        connections.MapPost("/{name}/links", async Task<NoContent> (string name, LinkRequest request, CorrespondenceService correspondence, HttpContext context) =>
        {
            await correspondence.ConfirmAsync(name, request.Operational, request.Accounting, context.RequestAborted);
            return TypedResults.NoContent();
        }).RequireAuthorization(ConcordWeb.Policy(Role.Clerk)).WithSummary("Confirm that two records are the same customer (accept a proposal)");

        connections.MapPost("/{name}/new/{code}", async Task<NoContent> (string name, string code, CorrespondenceService correspondence, HttpContext context) =>
        {
            await correspondence.ConfirmNewAsync(name, code, context.RequestAborted);
            return TypedResults.NoContent();
        }).RequireAuthorization(ConcordWeb.Policy(Role.Clerk)).WithSummary("Confirm that an operational customer is new although it resembles another (reject a proposal)");
        return routes;
    }
}
