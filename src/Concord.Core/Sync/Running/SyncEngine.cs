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
        session.Require(Role.Clerk, "write to accounting");
        var connection = new ConnectionService(session).Get(name);
        using var runLock = RunLock.Take(session, connection, options.Wait, options.Cancellation);
        MarkAbandonedRuns(connection);
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
        var report = new RunReport { Connection = connection.Name, Mode = options.Mode, Full = options.Full, RunId = StartRun(db, connection, options) };
        var applied = 0;
        var total = 0;
        void Between() => options.Cancellation.ThrowIfCancellationRequested();
        try
        {
            await MarkNeverAsync(db, connection, links, operational, accounting, options.Never, cancellation).ConfigureAwait(false);
            await Guard(connection, () => SettleOpenIntentsAsync(db, connection.Id, journal, links, operational, accounting, cancellation)).ConfigureAwait(false);
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
            var toApply = new List<PlanLine>();
            var toLink = new List<AgreeingPair>();
            var toDefer = new List<(string Side, string Code, string Reason)>();
            bool Selected(Func<string, bool> names) => (options.Only.Count == 0 || options.Only.Any(names)) && !options.Skip.Any(names);
            void Consider(PlanLine line)
            {
                var selected = Selected(line.Names);
                if (!selected || line.Kind is LineKind.Ambiguous or LineKind.Proposal)
                {
                    if (line.HasWork || line.Kind is LineKind.Ambiguous or LineKind.Proposal)
                    {
                        report.Skipped++;
                        var reason = selected ? line.Kind.ToString().ToLowerInvariant() : "not this time";
                        toDefer.AddRange(Sides(line).Select(s => (s.Side, s.Code, reason)));
                        // The candidates wait with it: neither side of a possible match is created meanwhile.
                        var otherSide = line.OperationalCode is not null ? "accounting" : "operational";
                        toDefer.AddRange(line.Candidates.Select(c => (otherSide, c, reason)));
                    }
                    return;
                }
                if (line.HasWork || (line.Kind == LineKind.Pair && Sides(line).Any(s => inInbox.Contains(Codes.Key(s.Code)))))
                {
                    toApply.Add(line);
                }
            }
            foreach (var line in plan.Worked)
            {
                Consider(line);
            }
            foreach (var pair in plan.Agreeing)
            {
                // Agreeing pairs matched now only need their link, written in bulk; linked ones need nothing, unless the inbox holds them.
                var held = inInbox.Contains(Codes.Key(pair.OperationalCode)) || inInbox.Contains(pair.Accounting.Key);
                var newLink = pair.Match != MatchRule.Correspondence;
                if (newLink && !held && Selected(code => Codes.Same(code, pair.OperationalCode) || Codes.Same(code, pair.Accounting.Code)))
                {
                    toLink.Add(pair);
                }
                else if (newLink || held)
                {
                    Consider(pair.ToLine());
                }
            }
            Within(db, (d, t) =>
            {
                foreach (var (side, code, reason) in toDefer)
                {
                    deferred.Add(d, t, side, code, reason);
                }
            });
            var batch = new Batch(db, connection, report, links, journal, inbox, operational, accounting, inInbox);
            total = toApply.Count + toLink.Count;
            options.Progress?.Report(new ProgressStep(0, total, "lines applied"));
            void Done(int lines)
            {
                applied += lines;
                options.Progress?.Report(new ProgressStep(applied, total, "lines applied"));
            }
            foreach (var chunk in toLink.Chunk(BatchSize))
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
            foreach (var chunk in toApply.Where(l => l.Kind == LineKind.Pair).Chunk(BatchSize))
            {
                Between();
                await Guard(connection, () => PairsAsync(batch, chunk, cancellation)).ConfigureAwait(false);
                Done(chunk.Length);
            }
            foreach (var chunk in toApply.Where(l => l.Kind == LineKind.CreateInAccounting).Chunk(BatchSize))
            {
                Between();
                await Guard(connection, () => CreatesAsync(batch, chunk, toAccounting: true, cancellation)).ConfigureAwait(false);
                Done(chunk.Length);
            }
            foreach (var chunk in toApply.Where(l => l.Kind == LineKind.CreateInOperational).Chunk(BatchSize))
            {
                Between();
                await Guard(connection, () => CreatesAsync(batch, chunk, toAccounting: false, cancellation)).ConfigureAwait(false);
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
            FinishRun(db, connection, report);
            return report;
        }
        catch (OperationCanceledException) when (options.Cancellation.IsCancellationRequested)
        {
            // Between batches: every batch done is settled; the cursors stay, so the next run plans the rest again.
            report.Status = RunStatus.Interrupted;
            report.Message = $"{options.CancellationReason?.Invoke() ?? "stopped on request"} after {applied:N0} of {total:N0} lines; the next run completes the rest";
            FinishRun(db, connection, report, saveProgress: false);
            return report;
        }
        catch (Exception error)
        {
            report.Status = RunStatus.Failed;
            report.Message = error.Message;
            TryFinishRun(db, connection, report);
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
        if (!plan.Full && listWaiting)
        {
            // A full plan finds them again; an incremental one lists what still waits for a person.
            var planned = new HashSet<string>(plan.Lines.SelectMany(l => new[] { l.OperationalCode, l.AccountingCode }).OfType<string>(), StringComparer.OrdinalIgnoreCase);
            plan.Waiting.AddRange(deferred.WaitingEntries(db).Where(w => !planned.Contains(w.Code)));
        }
        return plan;
    }

    /// <summary>
    /// How many writes go to the target at once: one transaction there, one for the intents, one for
    /// the outcomes. 500 unless CONCORD_SYNC_BATCH says otherwise (smaller batches: more, shorter transactions).
    /// </summary>
    public static int BatchSize { get; } =
        int.TryParse(Environment.GetEnvironmentVariable("CONCORD_SYNC_BATCH"), out var size) && size > 0 ? size : 500;

    /// <summary>What the batch writers of one run share.</summary>
    private sealed record Batch(DbConnection Db, SyncConnection Connection, RunReport Report, LinkStore Links, Journal Journal, InboxStore Inbox,
        IConnector Operational, IConnector Accounting, HashSet<string> InInbox)
    {
        /// <summary>Closes the records' inbox entries, if they have any (most have none, and cost nothing).</summary>
        public void Close(DbConnection d, DbTransaction t, string? operational, string? accounting)
        {
            if ((operational is not null && InInbox.Contains(Codes.Key(operational))) || (accounting is not null && InInbox.Contains(Codes.Key(accounting))))
            {
                Inbox.Close(d, t, operational, accounting);
            }
        }
    }

    private async Task CreatesAsync(Batch run, PlanLine[] chunk, bool toAccounting, CancellationToken cancellation)
    {
        var (db, connection, report, links, journal, inbox) = (run.Db, run.Connection, run.Report, run.Links, run.Journal, run.Inbox);
        var target = toAccounting ? run.Accounting : run.Operational;
        var side = toAccounting ? "accounting" : "operational";
        // Where the source may take back what the target filled in (defaults, a model), if the direction allows.
        var sourceSide = toAccounting
            ? (connection.PullsFromAccounting ? run.Operational : null)
            : (connection.PushesToAccounting && !connection.CreateOnly ? run.Accounting : null);
        var sources = chunk.Select(line => toAccounting ? line.Operational! : line.Accounting!).ToList();
        var taken = (await target.FindByCodesAsync([.. sources.Select(s => s.Code)], cancellation).ConfigureAwait(false)).Select(r => r.Key).ToHashSet(StringComparer.Ordinal);
        var items = new List<(SyncRecord Source, string Code, string Op, string Acc)>(sources.Count);
        foreach (var source in sources)
        {
            var code = await FreeCodeAsync(source.Code, target, taken, cancellation).ConfigureAwait(false);
            taken.Add(Codes.Key(code));
            items.Add((source, code, toAccounting ? source.Code : code, toAccounting ? code : source.Code));
        }
        var intents = journal.IntendMany(db, report.RunId, side, "create",
            [.. items.Select(i => ((string?)i.Op, (string?)i.Acc, JsonSerializer.Serialize(i.Source.Values)))]);
        IReadOnlyList<WriteOutcome> outcomes;
        try
        {
            outcomes = await target.CreateAsync([.. items.Select(i => i.Source.With(i.Code))], cancellation).ConfigureAwait(false);
        }
        catch (UncertainWriteException uncertain)
        {
            // S19: the writes may or may not have happened. Read the target back; never guess, never retry blindly.
            for (var k = 0; k < items.Count; k++)
            {
                var entry = new JournalEntry(intents[k], report.RunId, side, "create", items[k].Op, items[k].Acc, JsonSerializer.Serialize(items[k].Source.Values), "intent", null, "");
                if (await SettleAsync(db, connection.Id, entry, links, toAccounting ? null : target, toAccounting ? target : null, uncertain.Message, cancellation).ConfigureAwait(false))
                {
                    report.Created++;
                }
                else
                {
                    report.Skipped++;
                }
            }
            return;
        }
        // A side that chooses its own codes says which it gave.
        for (var k = 0; k < items.Count; k++)
        {
            if (outcomes[k].Written && !Codes.Same(outcomes[k].Code, items[k].Code))
            {
                var chosen = outcomes[k].Code;
                items[k] = items[k] with { Code = chosen, Op = toAccounting ? items[k].Op : chosen, Acc = toAccounting ? chosen : items[k].Acc };
            }
        }
        var agreed = new List<string?[]>(items.Count);
        for (var k = 0; k < items.Count; k++)
        {
            var item = items[k];
            agreed.Add(outcomes[k].Written
                ? await AgreeAsync(db, report, item.Source, outcomes[k].Stored ?? await target.FindByCodeAsync(item.Code, cancellation).ConfigureAwait(false), sourceSide, journal, item.Op, item.Acc, cancellation).ConfigureAwait(false)
                : item.Source.Values);
        }
        Within(db, (d, t) =>
        {
            var done = new List<long>();
            var linked = new List<(string, string, string?[])>();
            for (var k = 0; k < items.Count; k++)
            {
                var (source, code, opCode, accCode) = items[k];
                var outcome = outcomes[k];
                if (outcome.Written)
                {
                    linked.Add((opCode, accCode, agreed[k]));
                    done.Add(intents[k]);
                    run.Close(d, t, opCode, accCode);
                    report.Created++;
                }
                else
                {
                    Journal.Settle(d, t, intents[k], "failed", outcome.Reason ?? "refused");
                    var values = JsonSerializer.Serialize(source.ToDictionary());
                    inbox.Hold(d, t, report.RunId, toAccounting ? source.Code : null, toAccounting ? null : source.Code, "error", outcome.Field,
                        $"{side} refused to create {code}: {Reason(outcome)}", toAccounting ? values : null, toAccounting ? null : values);
                    report.ErrorList.Add(new RunError(source.Code, outcome.Field, $"{side} refused to create it: {Reason(outcome)}"));
                }
            }
            links.PutMany(d, t, linked, "created", Timestamps.Format(session.Now));
            Journal.SettleMany(d, t, done, "done", $"created in {side}");
        });
    }

    private async Task PairsAsync(Batch run, PlanLine[] chunk, CancellationToken cancellation)
    {
        var (db, report, links, journal, inbox) = (run.Db, run.Report, run.Links, run.Journal, run.Inbox);
        var linkIds = new Dictionary<PlanLine, long>();
        Within(db, (d, t) =>
        {
            foreach (var line in chunk)
            {
                if (line.NewLink)
                {
                    linkIds[line] = links.Put(d, t, line.OperationalCode, line.AccountingCode, LinkOption.Normal, line.Base, line.Match.ToString()!.ToLowerInvariant(), null);
                    report.Linked++;
                }
                else
                {
                    linkIds[line] = line.LinkId!.Value;
                }
            }
        });
        var failed = chunk.ToDictionary(l => l, _ => new List<string>());
        var wrote = new HashSet<PlanLine>();
        foreach (var (side, changesOf, target, codeOf) in new (string, Func<PlanLine, IReadOnlyList<FieldChange>>, IConnector, Func<PlanLine, string>)[]
                 {
                     ("accounting", l => l.ToAccounting, run.Accounting, l => l.AccountingCode!),
                     ("operational", l => l.ToOperational, run.Operational, l => l.OperationalCode!),
                 })
        {
            var work = chunk.Where(l => changesOf(l).Count > 0).ToList();
            if (work.Count == 0)
            {
                continue;
            }
            var values = work.Select(l => changesOf(l).ToDictionary(c => c.Field, c => c.After)).ToList();
            var intents = journal.IntendMany(db, report.RunId, side, "update",
                [.. work.Select((l, k) => (l.OperationalCode, l.AccountingCode, JsonSerializer.Serialize(values[k])))]);
            IReadOnlyList<WriteOutcome> outcomes;
            try
            {
                outcomes = await target.UpdateAsync([.. work.Select((l, k) => new SyncUpdate(codeOf(l), values[k]))], cancellation).ConfigureAwait(false);
            }
            catch (UncertainWriteException uncertain)
            {
                // Updates are idempotent: leave these fields unagreed and the next run compares and writes them again.
                Within(db, (d, t) =>
                {
                    for (var k = 0; k < work.Count; k++)
                    {
                        Journal.Settle(d, t, intents[k], "abandoned", $"{uncertain.Message}; planned again");
                        failed[work[k]].AddRange(values[k].Keys);
                    }
                });
                continue;
            }
            Within(db, (d, t) =>
            {
                var done = new List<long>();
                for (var k = 0; k < work.Count; k++)
                {
                    var line = work[k];
                    var outcome = outcomes[k];
                    if (outcome.Written)
                    {
                        done.Add(intents[k]);
                        wrote.Add(line);
                        continue;
                    }
                    Journal.Settle(d, t, intents[k], "failed", outcome.Reason ?? "refused");
                    failed[line].AddRange(outcome.Field is { } field && values[k].ContainsKey(field) ? [field] : values[k].Keys);
                    inbox.Hold(d, t, report.RunId, line.OperationalCode, line.AccountingCode, "error", outcome.Field, $"{side} refused the update: {Reason(outcome)}",
                        JsonSerializer.Serialize(line.Operational!.ToDictionary()), JsonSerializer.Serialize(line.Accounting!.ToDictionary()));
                    report.ErrorList.Add(new RunError(line.OperationalCode!, outcome.Field, $"{side} refused the update: {Reason(outcome)}"));
                }
                Journal.SettleMany(d, t, done, "done", $"updated in {side}");
            });
        }
        Within(db, (d, t) =>
        {
            var now = Timestamps.Format(session.Now);
            foreach (var line in chunk)
            {
                links.SetBase(d, t, linkIds[line], Merge.Agreed(line, failed[line]), now);
                if (line.Held.Count > 0)
                {
                    inbox.Hold(d, t, report.RunId, line.OperationalCode, line.AccountingCode, "conflict", line.Held[0].Field,
                        $"changed on both sides since the last sync: {string.Join("; ", line.Held.Select(h => $"{h.Field} '{h.Operational}' here, '{h.Accounting}' in accounting"))}",
                        JsonSerializer.Serialize(line.Operational!.ToDictionary()), JsonSerializer.Serialize(line.Accounting!.ToDictionary()));
                    report.Conflicts++;
                }
                else if (failed[line].Count == 0)
                {
                    run.Close(d, t, line.OperationalCode, line.AccountingCode);
                }
            }
        });
        report.Updated += wrote.Count;
    }

    /// <summary>
    /// After a create, the target may hold more than was sent (a model's defaults, normalised values).
    /// Those values go back to the source when the direction allows, so both sides start equal and
    /// the next run has nothing to do; the agreed state becomes the link's base.
    /// </summary>
    private async Task<string?[]> AgreeAsync(DbConnection db, RunReport report, SyncRecord source, SyncRecord? stored, IConnector? sourceSide, Journal journal, string opCode, string accCode, CancellationToken cancellation)
    {
        if (stored is null)
        {
            return source.Values;
        }
        var differences = SyncFields.All.Select((f, i) => (f, i)).Where(p => stored.Values[p.i] != source.Values[p.i])
            .ToDictionary(p => p.f, p => stored.Values[p.i]);
        if (differences.Count == 0)
        {
            return source.Values;
        }
        var agreed = (string?[])source.Values.Clone();
        if (sourceSide is not null)
        {
            var intent = journal.Intend(db, report.RunId, sourceSide.Kind == "operational" ? "operational" : "accounting", "update", opCode, accCode, JsonSerializer.Serialize(differences));
            var outcome = (await sourceSide.UpdateAsync([new SyncUpdate(source.Code, differences)], cancellation).ConfigureAwait(false))[0];
            Within(db, (d, t) => Journal.Settle(d, t, intent, outcome.Written ? "done" : "failed",
                outcome.Written ? $"took {string.Join(", ", differences.Keys)} as filled in on creation" : outcome.Reason ?? "refused"));
            if (outcome.Written)
            {
                return stored.Values;
            }
        }
        return agreed;
    }

    /// <summary>
    /// Settles the writes a crash or a time-out left without an outcome (S19): a create is looked up
    /// in the target by its code, then by VAT number; found, it is linked; not found, it is planned again.
    /// </summary>
    private async Task SettleOpenIntentsAsync(DbConnection db, long connectionId, Journal journal, LinkStore links, IConnector operational, IConnector accounting, CancellationToken cancellation)
    {
        foreach (var intent in journal.Open(db))
        {
            if (intent.Action != "create")
            {
                Within(db, (d, t) => Journal.Settle(d, t, intent.Id, "abandoned", "update without an answer: planned again (updates are idempotent)"));
                continue;
            }
            await SettleAsync(db, connectionId, intent, links, operational, accounting, "interrupted before its outcome was recorded", cancellation).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Settles one create whose outcome is unknown by reading the target back by code, then by VAT
    /// number. Found: linked, as if the answer had come. Not found: abandoned, planned again by the
    /// next run. Returns whether it was found.
    /// </summary>
    private async Task<bool> SettleAsync(DbConnection db, long connectionId, JournalEntry intent, LinkStore links, IConnector? operational, IConnector? accounting, string why, CancellationToken cancellation)
    {
        var target = intent.Side == "accounting" ? accounting! : operational!;
        var code = intent.Side == "accounting" ? intent.AccountingCode! : intent.OperationalCode!;
        var values = JsonSerializer.Deserialize<string?[]>(intent.Payload)!;
        var vat = values[SyncFields.Vat];
        var found = await target.FindByCodeAsync(code, cancellation).ConfigureAwait(false);
        if (found is not null && vat is not null && found.Vat != vat)
        {
            found = null;
        }
        found ??= vat is null ? null : (await target.FindByVatAsync(vat, cancellation).ConfigureAwait(false)).FirstOrDefault(r =>
            (intent.Side == "accounting" ? links.ByAccounting(db, null, r.Code) : links.ByOperational(db, null, r.Code)) is null);
        Within(db, (d, t) =>
        {
            if (found is null)
            {
                Journal.Settle(d, t, intent.Id, "abandoned", $"{why}; not found in {intent.Side} by code or VAT number: planned again");
                var source = intent.Side == "accounting" ? ("operational", intent.OperationalCode!) : ("accounting", intent.AccountingCode!);
                new Deferred(connectionId).Add(d, t, source.Item1, source.Item2, "uncertain write not found in the target");
                return;
            }
            var op = intent.Side == "accounting" ? intent.OperationalCode! : found.Code;
            var acc = intent.Side == "accounting" ? found.Code : intent.AccountingCode!;
            links.Put(d, t, op, acc, LinkOption.Normal, values, "settled", Timestamps.Format(session.Now));
            Journal.Settle(d, t, intent.Id, "done", $"{why}; found {found.Code} in {intent.Side} by reading it back: linked, not created again");
        });
        return found is not null;
    }

    private async Task MarkNeverAsync(DbConnection db, SyncConnection connection, LinkStore links, IConnector operational, IConnector accounting, IReadOnlyList<string> codes, CancellationToken cancellation)
    {
        foreach (var code in codes)
        {
            await new Correspondence.CorrespondenceService(session).SetNeverAsync(db, connection, links, operational, accounting, code, never: true, cancellation).ConfigureAwait(false);
        }
    }

    private static string Reason(WriteOutcome outcome) =>
        outcome.Field is null ? outcome.Reason ?? "refused" : $"{outcome.Field} {outcome.Reason}";

    /// <summary>
    /// The source's code if the target does not use it (nor an earlier create of the batch), else
    /// CODE-2, CODE-3, …; <paramref name="taken"/> holds the keys known to be used.
    /// </summary>
    private static async Task<string> FreeCodeAsync(string code, IConnector target, HashSet<string> taken, CancellationToken cancellation)
    {
        if (!taken.Contains(Codes.Key(code)))
        {
            return code;
        }
        for (var i = 2; ; i++)
        {
            var suffix = $"-{i}";
            var candidate = code.Length + suffix.Length <= Codes.MaxLength ? code + suffix : code[..(Codes.MaxLength - suffix.Length)] + suffix;
            if (!taken.Contains(Codes.Key(candidate)) && await target.FindByCodeAsync(candidate, cancellation).ConfigureAwait(false) is null)
            {
                return candidate;
            }
        }
    }

    private static IEnumerable<(string Side, string Code)> Sides(PlanLine line)
    {
        if (line.OperationalCode is { } op)
        {
            yield return ("operational", op);
        }
        if (line.AccountingCode is { } acc)
        {
            yield return ("accounting", acc);
        }
    }

    /// <summary>What a run left running by a process that ended (kill -9, power cut) is marked with by the next run.</summary>
    public const string EndedWithItsProcess = "the process ended before the run finished";

    /// <summary>
    /// Finishes the rows of runs whose process ended without finishing them. The lock is ours, so a
    /// run still marked running is not running; done at once, so that a run refused meanwhile names
    /// this run as the holder, not one of those.
    /// </summary>
    private void MarkAbandonedRuns(SyncConnection connection) =>
        session.Database.InTransaction((db, transaction) => Sql.Execute(db, transaction,
            "UPDATE sync_runs SET status = @s, finished_at = @at, message = @m WHERE connection_id = @c AND status = @running",
            ("s", RunStatus.Interrupted), ("at", Timestamps.Format(session.Now)), ("m", EndedWithItsProcess), ("c", connection.Id), ("running", RunStatus.Running)));

    private long StartRun(DbConnection db, SyncConnection connection, RunOptions options)
    {
        using var transaction = db.BeginTransaction();
        var id = Sql.Scalar<long>(db, transaction,
            "INSERT INTO sync_runs (connection_id, user_name, started_at, status, mode, created, updated, linked, skipped, conflicts, errors) " +
            "VALUES (@c, @u, @at, @s, @m, 0, 0, 0, 0, 0, 0) RETURNING id",
            ("c", connection.Id), ("u", session.User.Name), ("at", Timestamps.Format(session.Now)), ("s", RunStatus.Running), ("m", options.Mode + (options.Full ? " full" : "")));
        transaction.Commit();
        return id;
    }

    private void FinishRun(DbConnection db, SyncConnection connection, RunReport report, bool saveProgress = true) =>
        Within(db, (d, t) =>
        {
            Sql.Execute(d, t,
                "UPDATE sync_runs SET finished_at = @at, status = @s, created = @cr, updated = @up, linked = @li, skipped = @sk, conflicts = @co, errors = @er, message = @m WHERE id = @id",
                ("at", Timestamps.Format(session.Now)), ("s", report.Status), ("cr", (long)report.Created), ("up", (long)report.Updated),
                ("li", (long)report.Linked), ("sk", (long)report.Skipped), ("co", (long)report.Conflicts), ("er", (long)report.Errors),
                ("m", report.Message ?? (report.ErrorList.Count == 0 ? null : JsonSerializer.Serialize(report.ErrorList))), ("id", report.RunId));
            if (saveProgress)
            {
                ConnectionService.SaveProgress(d, t, connection);
            }
            session.Audit.Write(d, t, "sync", "connection", connection.Name, null, JsonSerializer.Serialize(new
            {
                run = report.RunId, report.Status, report.Created, report.Updated, report.Linked, report.Skipped, report.Conflicts, report.Errors,
            }));
        });

    /// <summary>Finishes a failed run's row if the store still answers; if not, the next run marks it interrupted.</summary>
    private void TryFinishRun(DbConnection db, SyncConnection connection, RunReport report)
    {
        try
        {
            FinishRun(db, connection, report, saveProgress: false);
        }
        catch (DbException)
        {
            // the error being rethrown says what went wrong; this one would hide it
        }
        catch (InvalidOperationException)
        {
            // the connection is broken (closed mid-transaction): as above
        }
    }

    private static void Within(DbConnection db, Action<DbConnection, DbTransaction> work)
    {
        using var transaction = db.BeginTransaction();
        work(db, transaction);
        transaction.Commit();
    }

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
