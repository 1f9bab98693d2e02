using System.Data.Common;
using System.Text.Json;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Connections;
using Concord.Core.Sync.Correspondence;
using Concord.Core.Sync.Inbox;
using Concord.Core.Sync.Planning;
using Concord.Core.Users;

namespace Concord.Core.Sync.Running;

/// <summary>
/// Runs syncs: plan (preview), then apply exactly once (S10, S11). A run holds its connection's
/// lock from start to end, so no two runs of a connection overlap (invariant 7). Each write is
/// journaled before it leaves and settled after, with the correspondence, in one local
/// transaction; a record the target refuses goes to the inbox and the run goes on; an unreachable
/// target stops the run with one message, and what was not done waits for the next run. Whatever
/// ends a run, its row in the history is finished: completed (with errors), failed with the
/// message, or interrupted with the reason.
/// </summary>
public sealed class SyncEngine(Session session)
{
    /// <summary>Makes the plan of a run without writing anything, with the target company as it names itself (S1).</summary>
    public async Task<(string Company, Plan Plan)> PreviewAsync(string name, bool full, CancellationToken cancellation)
    {
        var connection = new ConnectionService(session).Get(name);
        using var accounting = ConnectorFactory.Accounting(session, connection);
        using var operational = ConnectorFactory.Operational(session, connection);
        using var db = session.Database.OpenConnection();
        var company = await Guard(connection, () => accounting.CompanyNameAsync(cancellation)).ConfigureAwait(false);
        var open = new InboxStore(connection.Id, session.Clock).OpenEntries(db);
        var plan = await Guard(connection, () => MakePlanAsync(db, connection, open, operational, accounting, full, listWaiting: true, cancellation)).ConfigureAwait(false);
        return (company, plan);
    }

    /// <summary><see cref="PreviewAsync"/> for callers that wait (the command line).</summary>
    public (string Company, Plan Plan) Preview(string name, bool full) => PreviewAsync(name, full, CancellationToken.None).GetAwaiter().GetResult();

    /// <summary><see cref="RunAsync"/> for callers that wait (the command line, the worker).</summary>
    public RunReport Run(string name, RunOptions options) => RunAsync(name, options).GetAwaiter().GetResult();

    /// <summary>
    /// Applies a run. Cancelled (<see cref="RunOptions.Cancellation"/>), it stops between batches and
    /// returns its report with status interrupted; any error marks the run failed and is rethrown.
    /// </summary>
    public async Task<RunReport> RunAsync(string name, RunOptions options)
    {
        var cancellation = options.Cancellation;
        session.Require(Role.Supervisor, "run syncs");
        var connection = new ConnectionService(session).Get(name);
        using var runLock = RunLock.Take(session, connection, options.Wait, options.Cancellation);
        new RunLog(session).MarkAbandoned(connection);
        // Read again under the lock: a run that held it meanwhile has moved the cursors on.
        connection = new ConnectionService(session).Get(name);
        using var accounting = ConnectorFactory.Accounting(session, connection);
        using var operational = ConnectorFactory.Operational(session, connection);
        var company = await Guard(connection, () => accounting.CompanyNameAsync(cancellation)).ConfigureAwait(false);
        var confirmed = options.Company ?? (options.Mode == "manual" ? null : connection.ConfirmedCompany);
        if (confirmed is null || !string.Equals(confirmed.Trim(), company, StringComparison.OrdinalIgnoreCase))
        {
            throw new UserError($"connection {connection.Name}", "company",
                confirmed is null
                    ? $"the target company is '{company}'; confirm it with --company \"{company}\"; nothing was written"
                    : $"'{confirmed}' is not the target company '{company}'; nothing was written");
        }
        connection.ConfirmedCompany = company;

        using var db = session.Database.OpenConnection();
        var links = new LinkStore(connection.Id);
        var journal = new Journal(connection.Id, session.Clock);
        var inbox = new InboxStore(connection.Id, session.Clock);
        var report = new RunReport { Connection = connection.Name, Mode = options.Mode, Full = options.Full, RunId = new RunLog(session).Start(db, connection, options) };
        var applied = 0;
        var total = 0;
        void Between() => options.Cancellation.ThrowIfCancellationRequested();
        try
        {
            await MarkNeverAsync(db, connection, links, operational, accounting, options.Never, cancellation).ConfigureAwait(false);
            await Guard(connection, () => new IntentSettler(session).SettleOpenIntentsAsync(db, connection.Id, journal, links, operational, accounting, cancellation)).ConfigureAwait(false);
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var open = inbox.OpenEntries(db);
            options.Progress?.Report(new ProgressStep(0, null, "comparing both sides"));
            var plan = await Guard(connection, () => MakePlanAsync(db, connection, open, operational, accounting, options.Full, listWaiting: false, cancellation)).ConfigureAwait(false);
            report.PlanTime = clock.Elapsed;
            report.OperationalRead = plan.OperationalRead;
            report.AccountingRead = plan.AccountingRead;
            var deferred = new Deferred(connection.Id);
            Within(db, (d, t) => deferred.Clear(d, t, plan.Full));
            var decisions = open.Where(e => e.Take is not null).ToList();
            var inInbox = new HashSet<string>(open.SelectMany(e => new[] { e.OperationalCode, e.AccountingCode }).OfType<string>().Select(Codes.Key), StringComparer.Ordinal);
            var selection = RunSelection.Of(plan, options, inInbox);
            report.Skipped += selection.Skipped;
            var (toApply, toLink, toDefer) = (selection.ToApply, selection.ToLink, selection.ToDefer);
            Within(db, (d, t) =>
            {
                foreach (var (side, code, reason) in toDefer)
                {
                    deferred.Add(d, t, side, code, reason);
                }
            });
            var batch = new RunContext(session, db, connection, report, links, journal, inbox, operational, accounting, inInbox);
            var invoices = InvoiceWriter.Selected(plan, options);
            report.Skipped += plan.Invoices.Count(l => l.ToPost) - invoices.Count(l => l.ToPost);
            total = toApply.Count + toLink.Count + invoices.Count;
            options.Progress?.Report(new ProgressStep(0, total, "lines applied"));
            void Done(int lines)
            {
                applied += lines;
                options.Progress?.Report(new ProgressStep(applied, total, "lines applied"));
            }
            foreach (var chunk in toLink.Chunk(BatchFor()))
            {
                Between();
                Within(db, (d, t) =>
                {
                    foreach (var group in chunk.GroupBy(p => p.Match))
                    {
                        links.PutMany(d, t, [.. group.Select(p => (p.OperationalCode, p.Accounting.Code, p.Accounting.Values))],
                            group.Key.ToString().ToLowerInvariant(), Timestamps.Format(session.Now));
                    }
                });
                report.Linked += chunk.Length;
                Done(chunk.Length);
            }
            foreach (var chunk in toApply.Where(l => l.Kind == LineKind.Pair).Chunk(BatchFor(operational, accounting)))
            {
                Between();
                await Guard(connection, () => new UpdateWriter(session).PairsAsync(batch, chunk, cancellation)).ConfigureAwait(false);
                Done(chunk.Length);
            }
            foreach (var chunk in toApply.Where(l => l.Kind == LineKind.CreateInAccounting).Chunk(BatchFor(accounting)))
            {
                Between();
                await Guard(connection, () => new CreateWriter(session).CreatesAsync(batch, chunk, toAccounting: true, cancellation)).ConfigureAwait(false);
                Done(chunk.Length);
            }
            foreach (var chunk in toApply.Where(l => l.Kind == LineKind.CreateInOperational).Chunk(BatchFor(operational)))
            {
                Between();
                await Guard(connection, () => new CreateWriter(session).CreatesAsync(batch, chunk, toAccounting: false, cancellation)).ConfigureAwait(false);
                Done(chunk.Length);
            }
            // After the customers: an account this run created takes its invoices in the same run.
            foreach (var chunk in invoices.Chunk(BatchFor(accounting)))
            {
                Between();
                await Guard(connection, () => new InvoiceWriter(session).PostAsync(batch, chunk, cancellation)).ConfigureAwait(false);
                Done(chunk.Length);
            }
            Within(db, (d, t) =>
            {
                foreach (var decision in decisions)
                {
                    bool Failed(Func<string, bool> names) => report.ErrorList.Any(e => names(e.Record));
                    bool Names(AgreeingPair pair, string code) => Codes.Same(pair.OperationalCode, code) || Codes.Same(pair.Accounting.Code, code);
                    // Agreeing pairs are looked at as they are kept, not made into lines: a large plan holds hundreds of thousands.
                    if (plan.Worked.Any(l => l.Names(decision.Record) && l.Held.Count == 0 && !Failed(l.Names))
                        || plan.Agreeing.Any(p => Names(p, decision.Record) && !Failed(code => Names(p, code))))
                    {
                        inbox.Close(d, t, decision.OperationalCode, decision.AccountingCode);
                    }
                }
            });
            report.ApplyTime = clock.Elapsed - report.PlanTime;
            // Past the run's own writes: they are agreed with the other side, not changes to read again (invariant 4).
            connection.OperationalCursor = long.Parse(await operational.CursorPastOwnWritesAsync(plan.OperationalCursor, cancellation).ConfigureAwait(false), System.Globalization.CultureInfo.InvariantCulture);
            connection.AccountingCursor = plan.AccountingCursor is null ? null : await accounting.CursorPastOwnWritesAsync(plan.AccountingCursor, cancellation).ConfigureAwait(false);
            report.Status = report.Errors > 0 ? RunStatus.CompletedWithErrors : RunStatus.Completed;
            new RunLog(session).Finish(db, connection, report);
            return report;
        }
        catch (OperationCanceledException) when (options.Cancellation.IsCancellationRequested)
        {
            // Between batches: every batch done is settled; the cursors stay, so the next run plans the rest again.
            report.Status = RunStatus.Interrupted;
            report.Message = $"{options.CancellationReason?.Invoke() ?? "stopped on request"} after {applied:N0} of {total:N0} lines; the next run completes the rest";
            new RunLog(session).Finish(db, connection, report, saveProgress: false);
            return report;
        }
        catch (Exception error)
        {
            report.Status = RunStatus.Failed;
            report.Message = error.Message;
            new RunLog(session).TryFinish(db, connection, report);
            throw;
        }
    }

    /// <param name="inbox">the connection's open inbox entries: decisions to apply, records to revisit.</param>
    /// <param name="listWaiting">fill the plan's list of records still waiting for a person (a preview shows it; a run does not need it).</param>
    private async Task<Plan> MakePlanAsync(DbConnection db, SyncConnection connection, IReadOnlyList<InboxEntry> inbox, IConnector operational, IConnector accounting, bool full, bool listWaiting, CancellationToken cancellation)
    {
        var decisions = new Dictionary<string, SyncPriority>(StringComparer.Ordinal);
        foreach (var entry in inbox.Where(e => e.Take is not null))
        {
            var priority = entry.Take == "operational" ? SyncPriority.Operational : SyncPriority.Accounting;
            foreach (var code in new[] { entry.OperationalCode, entry.AccountingCode }.OfType<string>())
            {
                decisions[Codes.Key(code)] = priority;
            }
        }
        var deferred = new Deferred(connection.Id);
        var revisit = deferred.All(db).ToList();
        revisit.AddRange(inbox.SelectMany(e => new[] { ("operational", e.OperationalCode), ("accounting", e.AccountingCode) })
            .Where(r => r.Item2 is not null).Select(r => (r.Item1, r.Item2!)));
        var firstSync = connection.OperationalCursor == 0 && connection.AccountingCursor is null;
        bool Waiting(string side, string code) => deferred.IsWaiting(db, side, code);
        var plan = await new Planner(connection, operational, accounting, new LinkStore(connection.Id), db, decisions, Waiting).BuildAsync(full || firstSync, revisit, cancellation).ConfigureAwait(false);
        await RefusalCheck.MarkAsync(plan, connection.FieldMap, operational, accounting, cancellation).ConfigureAwait(false);
        await InvoicePlanner.AddAsync(plan, db, connection, accounting, cancellation).ConfigureAwait(false);
        if (!plan.Full && listWaiting)
        {
            // A full plan finds them again; an incremental one lists what still waits for a person.
            var planned = new HashSet<string>(plan.Lines.SelectMany(l => new[] { l.OperationalCode, l.AccountingCode }).OfType<string>(), StringComparer.OrdinalIgnoreCase);
            plan.Waiting.AddRange(deferred.WaitingEntries(db).Where(w => !planned.Contains(w.Code)));
        }
        return plan;
    }

    private static readonly int? ConfiguredBatch =
        int.TryParse(Environment.GetEnvironmentVariable("CONCORD_SYNC_BATCH"), out var size) && size > 0 ? size : null;

    /// <summary>
    /// How many writes go to these sides at once: one transaction there, one for the intents, one
    /// for the outcomes. CONCORD_SYNC_BATCH when set (smaller batches: more, shorter transactions),
    /// else the smallest <see cref="IConnector.WriteBatch"/> a side asks for, else 500.
    /// </summary>
    public static int BatchFor(params IConnector[] sides) => ConfiguredBatch ?? sides.Select(s => s.WriteBatch).Min() ?? 500;

    private async Task MarkNeverAsync(DbConnection db, SyncConnection connection, LinkStore links, IConnector operational, IConnector accounting, IReadOnlyList<string> codes, CancellationToken cancellation)
    {
        foreach (var code in codes)
        {
            await new Correspondence.CorrespondenceService(session).SetNeverAsync(db, connection, links, operational, accounting, code, never: true, cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>What a run left running by a process that ended (kill -9, power cut) is marked with by the next run.</summary>
    public const string EndedWithItsProcess = "the process ended before the run finished";

    private static void Within(DbConnection db, Action<DbConnection, DbTransaction> work) => RunContext.Within(db, work);

    private static async Task<T> Guard<T>(SyncConnection connection, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (DbException error) when (connection.Setting("store") is not null || connection.Setting("data") is not null)
        {
            throw ConnectorFactory.Unreachable(connection, "its ledger store", error);
        }
    }

    private static Task Guard(SyncConnection connection, Func<Task> call) =>
        Guard(connection, async () =>
        {
            await call().ConfigureAwait(false);
            return 0;
        });
}
