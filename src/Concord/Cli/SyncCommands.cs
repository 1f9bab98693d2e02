using System.CommandLine;
using System.Text.Json;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Correspondence;
using Concord.Core.Sync.Planning;
using Concord.Core.Sync.Running;

namespace Concord.Cli;

/// <summary>`concord sync …`: preview, run, correspondence, status, history, inbox (S1–S17).</summary>
public static class SyncCommands
{
    public const string WriteWarning = "This action will write data to the accounting system.";

    public static IEnumerable<Command> Build(Action<Command, Func<CliContext, int>> bind)
    {
        var name = new Argument<string>("NAME") { Description = "The connection's name" };
        var code = new Argument<string>("CODE") { Description = "A customer's code on either side" };
        var all = new Option<bool>("--all") { Description = "Also list the records that are in sync" };
        var sort = new Option<string?>("--sort") { Description = "Sort lines by: code, operational, accounting, name, vat, action" };
        sort.AcceptOnlyFromAmong([.. PreviewOptions.SortColumns]);
        var descending = new Option<bool>("--descending") { Description = "Sort from Z to A (lines without a value in the column stay last)" };
        var pane = new Option<string?>("--pane") { Description = "Only one direction: to-accounting or from-accounting" };
        pane.AcceptOnlyFromAmong(PreviewOptions.ToAccountingPane, PreviewOptions.FromAccountingPane);
        var full = new Option<bool>("--full") { Description = "Compare everything instead of reading the changes since the last run" };

        var preview = new Command("preview", "Show what a run would do, writing nothing") { name, all, sort, descending, pane, full, Output.Json };
        bind(preview, context =>
        {
            // Run by a server for a client, the comparison stops when the client goes away.
            var (company, plan) = new SyncEngine(context.Session).PreviewAsync(context.Value(name), context.Value(full), context.Remote?.Aborted ?? CancellationToken.None)
                .GetAwaiter().GetResult();
            PrintPreview(context, context.Value(name), company, plan, context.Value(all), context.Value(sort) ?? "code", context.Value(descending), context.Value(pane));
            return CliApp.Ok;
        });

        var yes = new Option<bool>("--yes") { Description = "Confirm the write" };
        var company = new Option<string?>("--company") { Description = "The target company's name as shown, to confirm it" };
        var only = new Option<string?>("--only") { Description = "CODE,...: apply only these lines" };
        var skip = new Option<string?>("--skip") { Description = "CODE,...: not this time" };
        var never = new Option<string?>("--never") { Description = "CODE,...: never sync these (reversible with 'sync allow')" };
        var wait = new Option<int>("--wait")
        {
            Description = "How long to wait, in seconds, for another run of the connection to end (default 0: refuse at once, naming it)",
            HelpName = "SECONDS",
        };
        wait.Validators.Add(result =>
        {
            // A value that is not a number is the parser's error already; it cannot be read here.
            if (result.Tokens.Count == 1 && int.TryParse(result.Tokens[0].Value, System.Globalization.CultureInfo.InvariantCulture, out var seconds) && seconds < 0)
            {
                result.AddError("--wait takes a number of seconds, 0 or more");
            }
        });
        var run = new Command("run", "Apply a sync: preview, confirm, write, report") { name, yes, company, only, skip, never, full, wait, Output.Json };
        bind(run, context =>
        {
            var engine = new SyncEngine(context.Session);
            if (!context.Value(yes))
            {
                var (target, plan) = engine.Preview(context.Value(name), context.Value(full));
                PrintPreview(context, context.Value(name), target, plan, all: false, "code", descending: false, null);
                context.Say(WriteWarning);
                context.Say($"Nothing was written. To go ahead: {context.Hint($"sync run {Quote(context.Value(name))} --yes --company {Quote(target)}")}");
                return CliApp.Failed;
            }
            context.Say(WriteWarning);
            // Ctrl+C or kill (or, run by a server, the client going away): the run stops after the batch it is writing, is recorded as interrupted, and exits 1.
            using var signals = context.Remote is null ? new StopSignals() : null;
            var stopToken = signals?.Token ?? context.Remote!.Aborted;
            var report = context.WithProgress($"Syncing {context.Value(name)}", progress => engine.Run(context.Value(name), new RunOptions
            {
                Company = context.Value(company),
                Only = Codes(context.Value(only)),
                Skip = Codes(context.Value(skip)),
                Never = Codes(context.Value(never)),
                Full = context.Value(full),
                Wait = TimeSpan.FromSeconds(context.Value(wait)),
                Cancellation = stopToken,
                CancellationReason = () => signals?.Reason ?? "stopped because the client went away",
                Progress = progress,
            }));
            PrintReport(context, report);
            if (report.Status == RunStatus.Interrupted)
            {
                context.Say($"Run {report.RunId} was {report.Message}.");
                return CliApp.Failed;
            }
            if (report.Errors > 0)
            {
                var invoices = report.ErrorList.Count(e => e.Record.StartsWith("invoice ", StringComparison.Ordinal));
                if (report.Errors > invoices)
                {
                    context.Say($"{report.Errors - invoices} records were refused: they wait in the inbox ('{context.Hint($"sync inbox {Quote(report.Connection)}")}') and the next run tries them again.");
                }
                if (invoices > 0)
                {
                    context.Say($"{invoices} {Output.Plural("invoice", invoices)} refused: left unposted for the next run to try again ('{context.Hint($"sync preview {Quote(report.Connection)}")}' shows why).");
                }
                return CliApp.Failed;
            }
            return CliApp.Ok;
        });

        var correspondence = new Command("correspondence", "The correspondence table: which record is which, and never-sync marks") { name, Output.Json };
        bind(correspondence, context =>
        {
            var (_, links) = new CorrespondenceService(context.Session).List(context.Value(name));
            return Output.Rows(context, ["operational", "accounting", "option", "linkedBy", "syncedAt"],
                [.. links.Select(l => new[] { l.OperationalCode, l.AccountingCode, l.Option.ToString().ToLowerInvariant(), l.LinkedBy, l.SyncedAt })], "link");
        });
        var neverCommand = new Command("never", "Never sync this record; reversible with 'sync allow'") { name, code };
        bind(neverCommand, context =>
        {
            new CorrespondenceService(context.Session).NeverAsync(context.Value(name), context.Value(code), never: true, CancellationToken.None).GetAwaiter().GetResult();
            context.Say($"{context.Value(code)} will never be synced by {context.Value(name)}.");
            return CliApp.Ok;
        });
        var allow = new Command("allow", "Sync a never-sync record again") { name, code };
        bind(allow, context =>
        {
            new CorrespondenceService(context.Session).NeverAsync(context.Value(name), context.Value(code), never: false, CancellationToken.None).GetAwaiter().GetResult();
            context.Say($"{context.Value(code)} takes part in {context.Value(name)} again.");
            return CliApp.Ok;
        });
        var operationalCode = new Argument<string?>("OPERATIONAL-CODE") { Arity = ArgumentArity.ZeroOrOne, Description = "The customer's code on the operational side" };
        var accountingCode = new Argument<string?>("ACCOUNTING-CODE") { Arity = ArgumentArity.ZeroOrOne, Description = "The customer's code in accounting" };
        var allAbove = new Option<double?>("--all-above")
        {
            Description = "Instead of one pair: every proposal with one candidate and a score of at least SCORE (0 to 1), listed first; --yes links them",
            HelpName = "SCORE",
        };
        allAbove.Validators.Add(result =>
        {
            if (result.Tokens.Count == 1 && double.TryParse(result.Tokens[0].Value, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var score) && score is < 0 or > 1)
            {
                result.AddError("--all-above takes a score from 0 to 1, such as 0.98");
            }
        });
        var confirm = new Option<bool>("--yes") { Description = "Confirm: link (or mark new) every pair listed" };
        var link = new Command("link", "Confirm that two records are the same customer (accept a proposal), or every proposal above a score") { name, operationalCode, accountingCode, allAbove, confirm, Output.Json };
        bind(link, context =>
        {
            if (context.Value(allAbove) is { } score)
            {
                if (context.Value(operationalCode) is not null)
                {
                    throw new UserError("sync link", null, "give either OPERATIONAL-CODE ACCOUNTING-CODE or --all-above SCORE, not both");
                }
                var proposals = Proposed(context).Where(l => l.Accounting is not null && l.Score >= score).ToList();
                return Decide(context, proposals, "link", $"--all-above {score.ToString(System.Globalization.CultureInfo.InvariantCulture)}", "linked", () =>
                    new CorrespondenceService(context.Session).ConfirmAsync(context.Value(name), [.. proposals.Select(l => (l.OperationalCode!, l.AccountingCode!))], CancellationToken.None));
            }
            if (context.Value(operationalCode) is not { } op || context.Value(accountingCode) is not { } acc)
            {
                throw new UserError("sync link", null, "give OPERATIONAL-CODE ACCOUNTING-CODE, or --all-above SCORE to link every proposal from that score");
            }
            new CorrespondenceService(context.Session).ConfirmAsync(context.Value(name), op, acc, CancellationToken.None).GetAwaiter().GetResult();
            context.Say($"{op} is linked to {acc}.");
            return CliApp.Ok;
        });
        var allProposals = new Option<bool>("--all") { Description = "Instead of one customer: every operational customer with a proposal (the rest, once the likely ones are linked), listed first; --yes confirms" };
        var isNew = new Command("new", "Confirm that an operational customer is new although it resembles another (reject a proposal), or all that have one")
            { name, operationalCode, allProposals, confirm, Output.Json };
        bind(isNew, context =>
        {
            if (context.Value(allProposals))
            {
                if (context.Value(operationalCode) is not null)
                {
                    throw new UserError("sync new", null, "give either OPERATIONAL-CODE or --all, not both");
                }
                var proposals = Proposed(context);
                return Decide(context, proposals, "new", "--all", "confirmed new", () =>
                    new CorrespondenceService(context.Session).ConfirmNewAsync(context.Value(name), [.. proposals.Select(l => l.OperationalCode!)], CancellationToken.None));
            }
            if (context.Value(operationalCode) is not { } op)
            {
                throw new UserError("sync new", null, "give OPERATIONAL-CODE, or --all for every operational customer with a proposal");
            }
            new CorrespondenceService(context.Session).ConfirmNewAsync(context.Value(name), op, CancellationToken.None).GetAwaiter().GetResult();
            context.Say($"{op} will be created in accounting by the next run.");
            return CliApp.Ok;
        });

        // The proposals of a full comparison, which lists them all.
        List<PlanLine> Proposed(CliContext context)
        {
            var (_, plan) = new SyncEngine(context.Session).Preview(context.Value(name), full: true);
            return [.. plan.Lines.Where(l => l.Kind == LineKind.Proposal)];
        }

        // Lists the proposals a decision covers; with --yes, takes it.
        int Decide(CliContext context, List<PlanLine> proposals, string verb, string options, string done, Func<Task> take)
        {
            var connection = context.Value(name);
            Output.Rows(context, ["operational", "accounting", "candidates", "name", "score"],
                [.. proposals.Select(l => new[] { l.OperationalCode, l.AccountingCode, string.Join(", ", l.Candidates), l.Name,
                    l.Score?.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) })], "proposal");
            if (proposals.Count == 0)
            {
                return CliApp.Ok;
            }
            if (!context.Value(confirm))
            {
                context.Say($"Nothing was changed. To go ahead with {(proposals.Count == 1 ? "this one" : $"these {proposals.Count}")}: {context.Hint($"sync {verb} {Quote(connection)} {options} --yes")}");
                return CliApp.Failed;
            }
            take().GetAwaiter().GetResult();
            context.Say($"{proposals.Count} {(proposals.Count == 1 ? "proposal" : "proposals")} {done}; the next run of {connection} syncs them.");
            return CliApp.Ok;
        }

        var optionalName = new Argument<string?>("NAME") { Arity = ArgumentArity.ZeroOrOne, Description = "One connection (default: every connection)" };
        var status = new Command("status", "Last runs, waiting changes, inbox and unsettled writes per connection") { optionalName, Output.Json };
        bind(status, context =>
        {
            var rows = new SyncHistory(context.Session).Status(context.Value(optionalName));
            return Output.Rows(context, ["connection", "lastRun", "lastStatus", "changedSinceLastRun", "inbox", "unsettledWrites", "postAccounts", "schedule"],
                [.. rows.Select(s => new[]
                {
                    s.Connection, s.LastRun?.StartedAt, s.LastRun?.Status, s.WaitingChanges.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    s.InboxOpen.ToString(System.Globalization.CultureInfo.InvariantCulture), s.UnsettledWrites.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    s.PostAccounts ? "on" : "off", s.Schedule,
                })], "connection", ["changedSinceLastRun", "inbox", "unsettledWrites"]);
        });

        var runId = new Option<long?>("--run") { Description = "One run, with every write it made" };
        var history = new Command("history", "The runs of a connection and their reports") { name, runId, Output.Json };
        bind(history, context =>
        {
            var sync = new SyncHistory(context.Session);
            var runs = sync.Runs(context.Value(name), context.Value(runId));
            if (context.Value(runId) is { } id)
            {
                if (runs.Count == 0)
                {
                    throw new Core.Common.UserError($"run {id}", null, $"is not a run of connection {context.Value(name)}");
                }
                var writes = sync.RunWrites(id);
                return Output.Rows(context, ["id", "side", "action", "operational", "accounting", "state", "outcome", "at"],
                    [.. writes.Select(w => new[] { w.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), w.Side, w.Action, w.OperationalCode, w.AccountingCode, w.State, w.Outcome, w.At })],
                    "write", ["id"]);
            }
            // Why a run ended other than completed (failed, interrupted); the refused records of a completed one are in --run ID.
            return Output.Rows(context, ["run", "startedAt", "user", "mode", "status", "created", "updated", "linked", "skipped", "conflicts", "errors", "posted", "reason"],
                [.. runs.Select(r => new[]
                {
                    r.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), r.StartedAt, r.User, r.Mode, r.Status,
                    N(r.Created), N(r.Updated), N(r.Linked), N(r.Skipped), N(r.Conflicts), N(r.Errors), N(r.Posted),
                    r.Status.StartsWith("completed", StringComparison.Ordinal) ? null : r.Message,
                })], "run", ["run", "created", "updated", "linked", "skipped", "conflicts", "errors", "posted"]);
        });

        var inbox = new Command("inbox", "Records held for review or refused, with both sides' values") { name, Output.Json };
        bind(inbox, context =>
        {
            var entries = new SyncHistory(context.Session).Inbox(context.Value(name));
            if (context.Value(Output.Json))
            {
                return Output.Rows(context, ["record", "operational", "accounting", "kind", "field", "reason", "take", "operationalValues", "accountingValues"],
                    [.. entries.Select(e => new[] { e.Record, e.OperationalCode, e.AccountingCode, e.Kind, e.Field, e.Reason, e.Take, e.OperationalValues, e.AccountingValues })],
                    "entry", ["operationalValues", "accountingValues"]);
            }
            // Both sides' values of the field in question (or of the whole record when no field is named).
            return Output.Rows(context, ["record", "kind", "field", "reason", "here", "accounting", "take"],
                [.. entries.Select(e => new[] { e.Record, e.Kind, e.Field, e.Reason, e.OperationalShown, e.AccountingShown, e.Take ?? "(waiting)" })],
                "entry");
        });
        var take = new Option<string>("--take") { Required = true, Description = "accounting or operational" };
        take.AcceptOnlyFromAmong("accounting", "operational");
        var resolve = new Command("resolve", "Settle an inbox entry by taking one side; the next run applies it") { name, code, take };
        bind(resolve, context =>
        {
            new SyncHistory(context.Session).Resolve(context.Value(name), context.Value(code), context.Value(take));
            context.Say($"{context.Value(code)}: {context.Value(take)} wins; the next run applies it.");
            return CliApp.Ok;
        });
        inbox.Subcommands.Add(resolve);

        yield return new Command("sync", "Preview and run syncs, and see what they did")
        {
            preview, run, correspondence, neverCommand, allow, link, isNew, status, history, inbox,
        };
    }

    private static string Quote(string value) => Core.Common.CommandHint.Quote(value);

    private static string N(long value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static IReadOnlyList<string> Codes(string? list) =>
        list is null ? [] : [.. list.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static void PrintReport(CliContext context, RunReport report)
    {
        if (context.Value(Output.Json))
        {
            using var json = Core.Exchange.Exporter.OpenJson(context.Stdout);
            JsonSerializer.Serialize(json, new
            {
                run = report.RunId, connection = report.Connection, status = report.Status, full = report.Full,
                created = report.Created, updated = report.Updated, linked = report.Linked, skipped = report.Skipped,
                conflicts = report.Conflicts, errors = report.Errors, posted = report.Posted,
                errorList = report.ErrorList.Select(e => new { record = e.Record, field = e.Field, reason = e.Reason }),
                operationalRead = report.OperationalRead, accountingRead = report.AccountingRead,
            });
            json.Flush();
            context.Stdout.Write("\n"u8);
        }
        foreach (var error in report.ErrorList)
        {
            context.Say($"error: {error.Record}{(error.Field is null ? "" : " " + error.Field)}: {error.Reason}");
        }
        context.Say($"Run {report.RunId} {report.Status}: {report.Created} created, {report.Updated} updated, {report.Linked} linked, " +
            $"{report.Skipped} skipped, {report.Conflicts} {Output.Plural("conflict", report.Conflicts)}, {report.Errors} {Output.Plural("error", report.Errors)}" + (report.Posted > 0 ? $", {report.Posted} {Output.Plural("invoice", report.Posted)} posted." : "."));
    }

    private static void PrintPreview(CliContext context, string connection, string company, Plan plan, bool all, string sort, bool descending, string? pane)
    {
        var preview = Preview.Of(connection, company, plan, new PreviewOptions { All = all, Sort = sort, Descending = descending, Pane = pane });
        if (context.Value(Output.Json))
        {
            using var json = Core.Exchange.Exporter.OpenJson(context.Stdout);
            JsonSerializer.Serialize(json, preview, PreviewJson);
            json.Flush();
            context.Stdout.Write("\n"u8);
            return;
        }
        context.Say($"Connection {connection} -> {company} ({(plan.Full ? "full comparison" : "changes since the last run")}):");
        Output.Table(context, ["action", "operational", "accounting", "name", "changes", "note"],
            [.. preview.Rows.Select(r => new[] { r.Action, r.Operational, r.Accounting, r.Name, r.Changes, r.Note })]);
        if (preview.Invoices.Count > 0)
        {
            context.Say("Invoices:");
            Output.Table(context, ["action", "invoice", "customer", "account", "amount", "note"],
                [.. preview.Invoices.Select(i => new[] { i.Action, i.Number, i.Customer, i.Account, (i.Kind == "invoice" ? "" : "-") + Core.Common.Currency.Of(i.Currency).Format(i.Amount), i.Note })]);
        }
        if (preview.InvoicesNotTaken is { } notTaken)
        {
            context.Say(notTaken + ".");
        }
        var refusedCount = preview.Summary.WillBeRefused;
        context.Say($"{preview.Rows.Count} lines{(refusedCount > 0 ? $", {refusedCount} will be refused" : "")}" +
            (preview.Invoices.Count > 0 ? $"; {preview.Summary.InvoicesToPost} {Output.Plural("invoice", preview.Summary.InvoicesToPost)} to post" +
                (preview.Summary.InvoicesWillBeRefused > 0 ? $" ({preview.Summary.InvoicesWillBeRefused} will be refused)" : "") + $", {preview.Summary.InvoicesWaiting} waiting." : "."));
        if (plan.Waiting.Count > 0)
        {
            context.Say($"{plan.Waiting.Count} more records wait for a decision (proposed or ambiguous): {string.Join(", ", plan.Waiting.Take(10).Select(w => w.Code))}" +
                $"{(plan.Waiting.Count > 10 ? ", …" : "")}; see '{context.Hint($"sync preview {Quote(connection)} --full")}'.");
        }
    }

    private static readonly JsonSerializerOptions PreviewJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };
}
