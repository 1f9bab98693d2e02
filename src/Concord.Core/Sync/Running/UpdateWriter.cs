using System.Text.Json;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Correspondence;
using Concord.Core.Sync.Planning;

namespace Concord.Core.Sync.Running;

/// <summary>
/// Applies the pairs of a run, a batch at a time: new links written, field changes sent to each
/// side with their intents journaled, refusals held in the inbox, conflicts held for review (S4,
/// S17), and the agreed state kept as the link's base for the next three-way merge.
/// </summary>
internal sealed class UpdateWriter(Session session)
{
    public async Task PairsAsync(RunContext run, PlanLine[] chunk, CancellationToken cancellation)
    {
        var (db, report, links, journal, inbox) = (run.Db, run.Report, run.Links, run.Journal, run.Inbox);
        var linkIds = new Dictionary<PlanLine, long>();
        RunContext.Within(db, (d, t) =>
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
                RunContext.Within(db, (d, t) =>
                {
                    for (var k = 0; k < work.Count; k++)
                    {
                        Journal.Settle(d, t, intents[k], "abandoned", $"{uncertain.Message}; planned again");
                        failed[work[k]].AddRange(values[k].Keys);
                    }
                });
                continue;
            }
            RunContext.Within(db, (d, t) =>
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
                    inbox.Hold(d, t, report.RunId, line.OperationalCode, line.AccountingCode, "error", outcome.Field, $"{side} refused the update: {RunContext.Reason(outcome)}",
                        JsonSerializer.Serialize(line.Operational!.ToDictionary()), JsonSerializer.Serialize(line.Accounting!.ToDictionary()));
                    report.ErrorList.Add(new RunError(line.OperationalCode!, outcome.Field, $"{side} refused the update: {RunContext.Reason(outcome)}"));
                }
                Journal.SettleMany(d, t, done, "done", $"updated in {side}");
            });
        }
        RunContext.Within(db, (d, t) =>
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
}
