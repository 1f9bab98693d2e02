using Concord.Core.Connectors;
using Concord.Core.Sync.Connections;

namespace Concord.Core.Sync.Planning;

/// <summary>
/// Asks each target side, without writing, which of a plan's creates it would refuse (S11), and
/// marks those lines with the side's field and reason, so a preview shows them before anything is
/// written. One call per write batch of creates; a plan without creates asks nothing.
/// </summary>
public static class RefusalCheck
{
    public static async Task MarkAsync(Plan plan, FieldMap map, IConnector operational, IConnector accounting, CancellationToken cancellation)
    {
        await MarkAsync([.. plan.Worked.Where(l => l.Kind == LineKind.CreateInAccounting)], l => l.Operational!, accounting, map, cancellation).ConfigureAwait(false);
        await MarkAsync([.. plan.Worked.Where(l => l.Kind == LineKind.CreateInOperational)], l => l.Accounting!, operational, map, cancellation).ConfigureAwait(false);
    }

    private static async Task MarkAsync(List<PlanLine> creates, Func<PlanLine, SyncRecord> source, IConnector target, FieldMap map, CancellationToken cancellation)
    {
        // The records as a run sends them (the field map applied), in the batches it sends them in.
        foreach (var chunk in creates.Chunk(Running.SyncEngine.BatchFor(target)))
        {
            var refusals = await target.WouldRefuseAsync([.. chunk.Select(l => map.ForWrite(source(l)))], cancellation).ConfigureAwait(false);
            for (var i = 0; i < chunk.Length; i++)
            {
                if (refusals[i] is { } refusal)
                {
                    chunk[i].WillBeRefused = refusal;
                }
            }
        }
    }
}
