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
/// Runs syncs: plan (preview), then apply exactly once (S10, S11). Each write is journaled before
/// it leaves and settled after, with the correspondence, in one local transaction; a record the
/// target refuses goes to the inbox and the run goes on; an unreachable target stops the run with
/// one message, and what was not done waits for the next run.
/// </summary>
public sealed class SyncEngine(Session session)
{
    /// <summary>Makes the plan of a run without writing anything.</summary>
    public (SyncConnection Connection, Plan Plan) Preview(string name, bool full)
    {
        var connection = new ConnectionService(session).Get(name);
        using var accounting = ConnectorFactory.Accounting(session, connection);
        using var operational = ConnectorFactory.Operational(session, connection);
        using var db = session.Database.OpenConnection();
        var plan = Guard(connection, () => MakePlan(db, connection, operational, accounting, full));
        return (connection, plan);
    }

    /// <summary>The company the connection's accounting side names, for the confirmation (S1).</summary>
    public string TargetCompany(string name)
    {
        var connection = new ConnectionService(session).Get(name);
        using var accounting = ConnectorFactory.Accounting(session, connection);
        return Guard(connection, accounting.CompanyName);
    }

    public RunReport Run(string name, RunOptions options)
    {
        session.Require(Role.Clerk, "write to accounting");
        var connection = new ConnectionService(session).Get(name);
        using var accounting = ConnectorFactory.Accounting(session, connection);
        using var operational = ConnectorFactory.Operational(session, connection);
        var company = Guard(connection, accounting.CompanyName);
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
        try
        {
            MarkNever(db, connection, links, operational, accounting, options.Never);
            Guard(connection, () => SettleOpenIntents(db, connection.Id, journal, links, operational, accounting));
            var plan = Guard(connection, () => MakePlan(db, connection, operational, accounting, options.Full));
            report.OperationalRead = plan.OperationalRead;
            report.AccountingRead = plan.AccountingRead;
            var deferred = new Deferred(connection.Id);
            Within(db, (d, t) => deferred.Clear(d, t, plan.Full));
            var decisions = inbox.OpenEntries(db).Where(e => e.Take is not null).ToList();
            foreach (var line in plan.Lines)
            {
                if (options.PushOnly && line.Kind == LineKind.CreateInOperational)
                {
                    Within(db, (d, t) => deferred.Add(d, t, "accounting", line.Key, "waits for a full sync"));
                    continue;
                }
                var selected = (options.Only.Count == 0 || options.Only.Any(line.Names)) && !options.Skip.Any(line.Names);
                if (!selected || line.Kind is LineKind.Ambiguous or LineKind.Proposal)
                {
                    if (line.HasWork || line.Kind is LineKind.Ambiguous or LineKind.Proposal)
                    {
                        report.Skipped++;
                        Within(db, (d, t) =>
                        {
                            foreach (var (side, code) in Sides(line))
                            {
                                deferred.Add(d, t, side, code, selected ? line.Kind.ToString().ToLowerInvariant() : "not this time");
                            }
                        });
                    }
                    continue;
                }
                Guard(connection, () => Apply(db, report, connection, line, links, journal, inbox, operational, accounting));
            }
            Within(db, (d, t) =>
            {
                foreach (var decision in decisions)
                {
                    if (plan.Lines.Any(l => l.Names(decision.Record) && l.Held.Count == 0 && !report.ErrorList.Any(e => l.Names(e.Record))))
                    {
                        inbox.Close(d, t, decision.OperationalCode, decision.AccountingCode);
                    }
                }
            });
            connection.OperationalCursor = long.Parse(plan.OperationalCursor, System.Globalization.CultureInfo.InvariantCulture);
            connection.AccountingCursor = plan.AccountingCursor;
            report.Status = report.Errors > 0 ? "completed with errors" : "completed";
            FinishRun(db, connection, report);
            return report;
        }
        catch (ConnectorUnavailableException error)
        {
            report.Status = "failed";
            report.Message = error.Message;
            FinishRun(db, connection, report, saveProgress: false);
            throw;
        }
    }

    private Plan MakePlan(DbConnection db, SyncConnection connection, IConnector operational, IConnector accounting, bool full)
    {
        var inbox = new InboxStore(connection.Id, session.Clock).OpenEntries(db);
        var decisions = new Dictionary<string, SyncPriority>(StringComparer.Ordinal);
        foreach (var entry in inbox.Where(e => e.Take is not null))
        {
            var priority = entry.Take == "operational" ? SyncPriority.Operational : SyncPriority.Accounting;
            foreach (var code in new[] { entry.OperationalCode, entry.AccountingCode }.OfType<string>())
            {
                decisions[Codes.Key(code)] = priority;
            }
        }
        var revisit = new Deferred(connection.Id).All(db).ToList();
        revisit.AddRange(inbox.SelectMany(e => new[] { ("operational", e.OperationalCode), ("accounting", e.AccountingCode) })
            .Where(r => r.Item2 is not null).Select(r => (r.Item1, r.Item2!)));
        var firstSync = connection.OperationalCursor == 0 && connection.AccountingCursor is null;
        return new Planner(connection, operational, accounting, new LinkStore(connection.Id), db, decisions).Build(full || firstSync, revisit);
    }

    private void Apply(DbConnection db, RunReport report, SyncConnection connection, PlanLine line, LinkStore links, Journal journal,
        InboxStore inbox, IConnector operational, IConnector accounting)
    {
        switch (line.Kind)
        {
            case LineKind.CreateInAccounting:
                Create(db, connection.Id, report, line.Operational!, "accounting", accounting, journal, links, inbox, operationalSide: false,
                    connection.PullsFromAccounting ? operational : null);
                break;
            case LineKind.CreateInOperational:
                Create(db, connection.Id, report, line.Accounting!, "operational", operational, journal, links, inbox, operationalSide: true,
                    connection.PushesToAccounting && !connection.CreateOnly ? accounting : null);
                break;
            case LineKind.Pair:
                Update(db, report, connection, line, links, journal, inbox, operational, accounting);
                break;
        }
    }

    /// <param name="sourceSide">where the source record may be updated with what the target filled in (defaults, a model), or null.</param>
    private void Create(DbConnection db, long connectionId, RunReport report, SyncRecord source, string side, IConnector target, Journal journal,
        LinkStore links, InboxStore inbox, bool operationalSide, IConnector? sourceSide)
    {
        var code = FreeCode(source.Code, target);
        var opCode = operationalSide ? code : source.Code;
        var accCode = operationalSide ? source.Code : code;
        var intent = journal.Intend(db, report.RunId, side, "create", opCode, accCode, JsonSerializer.Serialize(source.Values));
        WriteOutcome outcome;
        try
        {
            outcome = target.Create([source.With(code)])[0];
        }
        catch (UncertainWriteException uncertain)
        {
            // S19: the write may or may not have happened. Read the target back; never guess, never retry blindly.
            var settled = Settle(db, connectionId, new JournalEntry(intent, report.RunId, side, "create", opCode, accCode, JsonSerializer.Serialize(source.Values), "intent", null, ""),
                links, operationalSide ? target : null, operationalSide ? null : target, uncertain.Message);
            if (settled)
            {
                report.Created++;
            }
            else
            {
                report.Skipped++;
            }
            return;
        }
        var agreed = outcome.Written ? Agree(db, report, source, target.FindByCode(code), sourceSide, journal, opCode, accCode) : source.Values;
        Within(db, (d, t) =>
        {
            if (outcome.Written)
            {
                links.Put(d, t, opCode, accCode, LinkOption.Normal, agreed, "created", Timestamps.Format(session.Now));
                Journal.Settle(d, t, intent, "done", $"created {code} in {side}");
                inbox.Close(d, t, opCode, accCode);
                report.Created++;
            }
            else
            {
                Journal.Settle(d, t, intent, "failed", outcome.Reason ?? "refused");
                var values = JsonSerializer.Serialize(source.ToDictionary());
                inbox.Hold(d, t, report.RunId, operationalSide ? null : source.Code, operationalSide ? source.Code : null, "error", outcome.Field,
                    $"{side} refused to create {code}: {Reason(outcome)}", operationalSide ? null : values, operationalSide ? values : null);
                report.ErrorList.Add(new RunError(source.Code, outcome.Field, $"{side} refused to create it: {Reason(outcome)}"));
            }
        });
    }

    private void Update(DbConnection db, RunReport report, SyncConnection connection, PlanLine line, LinkStore links, Journal journal,
        InboxStore inbox, IConnector operational, IConnector accounting)
    {
        var op = line.Operational!;
        var acc = line.Accounting!;
        var linkId = line.LinkId;
        if (line.NewLink)
        {
            Within(db, (d, t) => links.Put(d, t, op.Code, acc.Code, LinkOption.Normal, line.Base, line.Match.ToString()!.ToLowerInvariant(), null));
            linkId = links.ByOperational(db, null, op.Code)!.Id;
            report.Linked++;
        }
        var failed = new List<string>();
        var wrote = false;
        foreach (var (side, changes, target, code) in new[]
                 {
                     ("accounting", line.ToAccounting, accounting, acc.Code),
                     ("operational", line.ToOperational, operational, op.Code),
                 })
        {
            if (changes.Count == 0)
            {
                continue;
            }
            var values = changes.ToDictionary(c => c.Field, c => c.After);
            var intent = journal.Intend(db, report.RunId, side, "update", op.Code, acc.Code, JsonSerializer.Serialize(values));
            WriteOutcome outcome;
            try
            {
                outcome = target.Update([new SyncUpdate(code, values)])[0];
            }
            catch (UncertainWriteException uncertain)
            {
                // An update is idempotent: leave these fields unagreed and the next run compares and writes them again.
                Within(db, (d, t) => Journal.Settle(d, t, intent, "abandoned", $"{uncertain.Message}; planned again"));
                failed.AddRange(values.Keys);
                continue;
            }
            Within(db, (d, t) =>
            {
                if (outcome.Written)
                {
                    Journal.Settle(d, t, intent, "done", $"updated {string.Join(", ", values.Keys)} in {side}");
                    wrote = true;
                }
                else
                {
                    Journal.Settle(d, t, intent, "failed", outcome.Reason ?? "refused");
                    failed.AddRange(outcome.Field is { } field && values.ContainsKey(field) ? [field] : values.Keys);
                    inbox.Hold(d, t, report.RunId, op.Code, acc.Code, "error", outcome.Field, $"{side} refused the update: {Reason(outcome)}",
                        JsonSerializer.Serialize(op.ToDictionary()), JsonSerializer.Serialize(acc.ToDictionary()));
                    report.ErrorList.Add(new RunError(op.Code, outcome.Field, $"{side} refused the update: {Reason(outcome)}"));
                }
            });
        }
        Within(db, (d, t) =>
        {
            links.SetBase(d, t, linkId!.Value, Merge.Agreed(line, failed), Timestamps.Format(session.Now));
            if (line.Held.Count > 0)
            {
                var held = line.Held[0];
                inbox.Hold(d, t, report.RunId, op.Code, acc.Code, "conflict", held.Field,
                    $"changed on both sides since the last sync: {string.Join("; ", line.Held.Select(h => $"{h.Field} '{h.Operational}' here, '{h.Accounting}' in accounting"))}",
                    JsonSerializer.Serialize(op.ToDictionary()), JsonSerializer.Serialize(acc.ToDictionary()));
                report.Conflicts++;
            }
            else if (failed.Count == 0)
            {
                inbox.Close(d, t, op.Code, acc.Code);
            }
        });
        if (wrote)
        {
            report.Updated++;
        }
    }

    /// <summary>
    /// After a create, the target may hold more than was sent (a model's defaults, normalised values).
    /// Those values go back to the source when the direction allows, so both sides start equal and
    /// the next run has nothing to do; the agreed state becomes the link's base.
    /// </summary>
    private string?[] Agree(DbConnection db, RunReport report, SyncRecord source, SyncRecord? stored, IConnector? sourceSide, Journal journal, string opCode, string accCode)
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
            var outcome = sourceSide.Update([new SyncUpdate(source.Code, differences)])[0];
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
    private void SettleOpenIntents(DbConnection db, long connectionId, Journal journal, LinkStore links, IConnector operational, IConnector accounting)
    {
        foreach (var intent in journal.Open(db))
        {
            if (intent.Action != "create")
            {
                Within(db, (d, t) => Journal.Settle(d, t, intent.Id, "abandoned", "update without an answer: planned again (updates are idempotent)"));
                continue;
            }
            Settle(db, connectionId, intent, links, operational, accounting, "interrupted before its outcome was recorded");
        }
    }

    /// <summary>
    /// Settles one create whose outcome is unknown by reading the target back by code, then by VAT
    /// number. Found: linked, as if the answer had come. Not found: abandoned, planned again by the
    /// next run. Returns whether it was found.
    /// </summary>
    private bool Settle(DbConnection db, long connectionId, JournalEntry intent, LinkStore links, IConnector? operational, IConnector? accounting, string why)
    {
        var target = intent.Side == "accounting" ? accounting! : operational!;
        var code = intent.Side == "accounting" ? intent.AccountingCode! : intent.OperationalCode!;
        var values = JsonSerializer.Deserialize<string?[]>(intent.Payload)!;
        var vat = values[SyncFields.Vat];
        var found = target.FindByCode(code);
        if (found is not null && vat is not null && found.Vat != vat)
        {
            found = null;
        }
        found ??= vat is null ? null : target.FindByVat(vat).FirstOrDefault(r =>
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

    private void MarkNever(DbConnection db, SyncConnection connection, LinkStore links, IConnector operational, IConnector accounting, IReadOnlyList<string> codes)
    {
        foreach (var code in codes)
        {
            new Correspondence.CorrespondenceService(session).SetNever(db, connection, links, operational, accounting, code, never: true);
        }
    }

    private static string Reason(WriteOutcome outcome) =>
        outcome.Field is null ? outcome.Reason ?? "refused" : $"{outcome.Field} {outcome.Reason}";

    private static string FreeCode(string code, IConnector target)
    {
        if (target.FindByCode(code) is null)
        {
            return code;
        }
        for (var i = 2; ; i++)
        {
            var candidate = $"{code}-{i}";
            if (candidate.Length <= Codes.MaxLength && target.FindByCode(candidate) is null)
            {
                return candidate;
            }
            if (candidate.Length > Codes.MaxLength)
            {
                return $"{code[..(Codes.MaxLength - 1 - i.ToString(System.Globalization.CultureInfo.InvariantCulture).Length)]}-{i}";
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

    private long StartRun(DbConnection db, SyncConnection connection, RunOptions options)
    {
        using var transaction = db.BeginTransaction();
        var id = Sql.Scalar<long>(db, transaction,
            "INSERT INTO sync_runs (connection_id, user_name, started_at, status, mode, created, updated, linked, skipped, conflicts, errors) " +
            "VALUES (@c, @u, @at, 'running', @m, 0, 0, 0, 0, 0, 0) RETURNING id",
            ("c", connection.Id), ("u", session.User.Name), ("at", Timestamps.Format(session.Now)), ("m", options.Mode + (options.Full ? " full" : "")));
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

    private static void Within(DbConnection db, Action<DbConnection, DbTransaction> work)
    {
        using var transaction = db.BeginTransaction();
        work(db, transaction);
        transaction.Commit();
    }

    private static T Guard<T>(SyncConnection connection, Func<T> call)
    {
        try
        {
            return call();
        }
        catch (DbException error) when (connection.Setting("store") is not null || connection.Setting("data") is not null)
        {
            throw ConnectorFactory.Unreachable(connection, "its ledger store", error);
        }
    }

    private static void Guard(SyncConnection connection, Action call) =>
        Guard(connection, () =>
        {
            call();
            return 0;
        });
}
