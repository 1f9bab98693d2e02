using System.Data.Common;
using System.Text.Json;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Correspondence;

namespace Concord.Core.Sync.Running;

/// <summary>
/// Settles the writes a crash or a time-out left without an outcome (S19, invariant 3): a create is
/// read back from the target by code, then by VAT number; found, it is linked; not found, it is
/// planned again. Updates are idempotent and simply planned again.
/// </summary>
internal sealed class IntentSettler(Session session)
{
    /// <summary>
    /// Settles the writes a crash or a time-out left without an outcome (S19): a create is looked up
    /// in the target by its code, then by VAT number; found, it is linked; not found, it is planned again.
    /// </summary>
    public async Task SettleOpenIntentsAsync(DbConnection db, long connectionId, Journal journal, LinkStore links, IConnector operational, IConnector accounting, CancellationToken cancellation)
    {
        foreach (var intent in journal.Open(db))
        {
            if (intent.Action == InvoiceWriter.Action)
            {
                // The plan asks the ledger for the invoice's source before anything is posted: found, it is recorded; not found, posted.
                RunContext.Within(db, (d, t) => Journal.Settle(d, t, intent.Id, "abandoned", "invoice posting without an answer: the next plan reads the ledger back by the invoice's source"));
                continue;
            }
            if (intent.Action != "create")
            {
                RunContext.Within(db, (d, t) => Journal.Settle(d, t, intent.Id, "abandoned", "update without an answer: planned again (updates are idempotent)"));
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
    public async Task<bool> SettleAsync(DbConnection db, long connectionId, JournalEntry intent, LinkStore links, IConnector? operational, IConnector? accounting, string why, CancellationToken cancellation)
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
        RunContext.Within(db, (d, t) =>
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
}
