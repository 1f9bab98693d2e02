using System.Data.Common;
using System.Text.Json;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Planning;

namespace Concord.Core.Sync.Running;

/// <summary>
/// Applies the creates of a run, a batch at a time (S11): free codes found, intents journaled
/// before the batch leaves, outcomes and links settled in one local transaction after; a refused
/// record goes to the inbox; an answer lost after sending is settled by reading the target back (S19);
/// what the target filled in on creation goes back to the source, so both sides start equal.
/// </summary>
internal sealed class CreateWriter(Session session)
{
    public async Task CreatesAsync(RunContext run, PlanLine[] chunk, bool toAccounting, CancellationToken cancellation)
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
            outcomes = await target.CreateAsync([.. items.Select(i => connection.FieldMap.ForWrite(i.Source).With(i.Code))], cancellation).ConfigureAwait(false);
        }
        catch (UncertainWriteException uncertain)
        {
            // S19: the writes may or may not have happened. Read the target back; never guess, never retry blindly.
            for (var k = 0; k < items.Count; k++)
            {
                var entry = new JournalEntry(intents[k], report.RunId, side, "create", items[k].Op, items[k].Acc, JsonSerializer.Serialize(items[k].Source.Values), "intent", null, "");
                if (await new IntentSettler(session).SettleAsync(db, connection.Id, entry, links, toAccounting ? null : target, toAccounting ? target : null, uncertain.Message, cancellation).ConfigureAwait(false))
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
                ? await AgreeAsync(run, db, report, item.Source, outcomes[k].Stored ?? await target.FindByCodeAsync(item.Code, cancellation).ConfigureAwait(false), target, sourceSide, journal, item.Op, item.Acc, cancellation).ConfigureAwait(false)
                : item.Source.Values);
        }
        RunContext.Within(db, (d, t) =>
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
                    var values = JsonSerializer.Serialize(connection.FieldMap.ToDictionary(source));
                    inbox.Hold(d, t, report.RunId, toAccounting ? source.Code : null, toAccounting ? null : source.Code, "error", outcome.Field,
                        $"{side} refused to create {code}: {RunContext.Reason(outcome)}", toAccounting ? values : null, toAccounting ? null : values);
                    report.ErrorList.Add(new RunError(source.Code, outcome.Field, $"{side} refused to create it: {RunContext.Reason(outcome)}"));
                }
            }
            links.PutMany(d, t, linked, "created", Timestamps.Format(session.Now));
            Journal.SettleMany(d, t, done, "done", $"created in {side}");
        });
    }

    /// <summary>
    /// After a create, the target may hold more than was sent (a model's defaults, normalised values).
    /// Those values go back to the source when the direction allows, so both sides start equal and
    /// the next run has nothing to do; the agreed state becomes the link's base.
    /// </summary>
    private async Task<string?[]> AgreeAsync(RunContext run, DbConnection db, RunReport report, SyncRecord source, SyncRecord? stored, IConnector target, IConnector? sourceSide, Journal journal, string opCode, string accCode, CancellationToken cancellation)
    {
        if (stored is null)
        {
            return source.Values;
        }
        // A conditional field left out of the create (seed 002) is not a value the target filled in: it stays as the source has it.
        var map = run.Connection.FieldMap;
        // Nor is a field the target does not keep: it reads blank there and must not blank the source.
        var differences = map.Fields.Where(f => map.Writes(source, f) && target.Carries(f) && map.Value(stored, f) != map.Value(source, f))
            .ToDictionary(f => f, f => map.Value(stored, f));
        if (differences.Count == 0)
        {
            return source.Values;
        }
        var agreed = (string?[])source.Values.Clone();
        if (sourceSide is not null)
        {
            var intent = journal.Intend(db, report.RunId, sourceSide.Kind == "operational" ? "operational" : "accounting", "update", opCode, accCode, JsonSerializer.Serialize(differences));
            var outcome = (await sourceSide.UpdateAsync([new SyncUpdate(source.Code, differences)], cancellation).ConfigureAwait(false))[0];
            RunContext.Within(db, (d, t) => Journal.Settle(d, t, intent, outcome.Written ? "done" : "failed",
                outcome.Written ? $"took {string.Join(", ", differences.Keys)} as filled in on creation" : outcome.Reason ?? "refused"));
            if (outcome.Written)
            {
                return stored.Values;
            }
        }
        return agreed;
    }

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
}
