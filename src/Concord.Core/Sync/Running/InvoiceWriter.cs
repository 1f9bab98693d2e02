using System.Text.Json;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Ledger;
using Concord.Core.Sync.Planning;

namespace Concord.Core.Sync.Running;

/// <summary>
/// Posts a run's operational invoices (O3, S11), after its customers are written so that an
/// account created by the run takes its invoices in the same run. A batch's intents are journaled
/// before it leaves; the ledger posts each invoice once under its source; the outcomes, the
/// connection's record of what it posted and the audit lines are written in one local transaction
/// after. A refused invoice is reported with its field and reason and is tried again by the next
/// run; the others go on. An answer lost on the way is found again by the next plan, which asks
/// the ledger for the invoice's source before anything is posted (S19).
/// </summary>
internal sealed class InvoiceWriter(Session session)
{
    public const string Action = "post-invoice";

    private const string FoundBySource = "found in accounting by its source";

    /// <summary>The invoices of the plan a run posts: those ready or waiting only for this run's customers, that --only and --skip leave in.</summary>
    public static List<InvoiceLine> Selected(Plan plan, RunOptions options) =>
        [.. plan.Invoices.Where(l => (l.ToPost || l.PostedBefore is not null)
            && (options.Only.Count == 0 || options.Only.Any(l.Names)) && !options.Skip.Any(l.Names))];

    public async Task PostAsync(RunContext run, InvoiceLine[] chunk, CancellationToken cancellation)
    {
        var (db, report, journal) = (run.Db, run.Report, run.Journal);
        var ready = new List<(InvoiceLine Line, string Account)>();
        foreach (var line in chunk)
        {
            var account = line.Account ?? (line.AfterCustomers ? run.Links.ByOperational(db, null, line.AccountCustomer!)?.AccountingCode : null);
            if (account is null)
            {
                // Its account customer was not created after all (refused, or held): it waits for the next run.
                report.Skipped++;
                continue;
            }
            ready.Add((line, account));
        }
        var found = ready.Where(r => r.Line.PostedBefore is not null).ToList();
        var toPost = ready.Where(r => r.Line.PostedBefore is null).ToList();
        var intents = journal.IntendMany(db, report.RunId, "accounting", Action,
            [.. toPost.Select(r => ((string?)r.Line.Invoice.Customer, (string?)r.Account, Payload(r.Line)))]);
        var target = run.Accounting.Invoices!;
        IReadOnlyList<PostingOutcome?> outcomes;
        var uncertain = (string?)null;
        try
        {
            outcomes = toPost.Count == 0 ? [] : await target.PostAsync([.. toPost.Select(r => (r.Line.Record, r.Line.ToPosting(r.Account)))], cancellation).ConfigureAwait(false);
        }
        catch (UncertainWriteException lost)
        {
            // S19: they may or may not have been posted. Read the ledger back by source; never guess, never post blindly again.
            uncertain = lost.Message;
            var readBack = await target.PostedAsync([.. toPost.Select(r => r.Line.Invoice.Source)], cancellation).ConfigureAwait(false);
            outcomes = [.. toPost.Select(r => !readBack.TryGetValue(r.Line.Invoice.Source, out var posted) ? null
                : posted.Refuses(r.Line.Record, r.Line.ToPosting(r.Account)) is { } taken ? new PostingOutcome(null, false, taken)
                : new PostingOutcome(posted.Id, false, null))];
        }
        RunContext.Within(db, (d, t) =>
        {
            var at = Timestamps.Format(session.Now);
            void Record(InvoiceLine line, string account, long transaction, string how)
            {
                Sql.ExecuteRepeated(d, t,
                    "INSERT INTO invoice_postings (connection_id, invoice_id, account, transaction_id, run_id, posted_at) VALUES (@c, @i, @a, @t, @r, @at)",
                    ("c", run.Connection.Id), ("i", line.Invoice.Id), ("a", account), ("t", transaction), ("r", report.RunId), ("at", at));
                session.Audit.Write(d, t, "post", "invoice", line.Invoice.Number, null, JsonSerializer.Serialize(new
                {
                    connection = run.Connection.Name, run = report.RunId, account, transaction, posting = line.Posting, customerClass = line.Class, lineFor = line.LineFor, how,
                }));
            }
            foreach (var (line, account) in found)
            {
                Record(line, account, line.PostedBefore!.Value, $"{FoundBySource}: recorded, not posted again");
            }
            for (var k = 0; k < toPost.Count; k++)
            {
                var (line, account) = toPost[k];
                if (outcomes[k] is not { } outcome)
                {
                    Journal.Settle(d, t, intents[k], "abandoned", $"{uncertain}; not {FoundBySource}: planned again");
                    report.Skipped++;
                    continue;
                }
                if (outcome.Refused is { } refused)
                {
                    var error = refused.Errors[0];
                    Journal.Settle(d, t, intents[k], "failed", $"{error.Field} {error.Reason}");
                    report.ErrorList.Add(new RunError(line.Record, error.Field, $"accounting refused to post it to {account}: {error.Reason}"));
                    continue;
                }
                var how = outcome.PostedBefore ? $"{FoundBySource}: recorded, not posted again"
                    : uncertain is not null ? $"{uncertain}; {FoundBySource}: posted, not posted again" : "posted";
                Record(line, account, outcome.Id!.Value, how);
                Journal.Settle(d, t, intents[k], "done", $"{how} as transaction {outcome.Id} on {account}");
                if (!outcome.PostedBefore)
                {
                    report.Posted++;
                }
            }
        });
    }

    private static string Payload(InvoiceLine line) => JsonSerializer.Serialize(new
    {
        invoice = line.Invoice.Number, source = line.Invoice.Source, amount = line.Invoice.Amount, vat = line.Invoice.Vat, posting = line.Posting, lineFor = line.LineFor,
    });
}
