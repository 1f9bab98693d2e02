using System.Runtime.InteropServices;
using Concord.Core.Connectors;
using Concord.Core.Sync.Planning;

namespace Concord.Core.Sync.Matching;

/// <summary>
/// The VAT number rule of S3 for a full plan, whatever order the sides read in: one side is
/// indexed by normalised VAT number, the other streams past it. A number held by exactly one
/// record on each side pairs them at once (the pair goes into the plan, and the operational
/// record need not be kept); a second record of the same number on either side makes the number
/// ambiguous: the pair is withdrawn and every record of the number is listed, never linked.
/// </summary>
public sealed class VatIndex
{
    /// <summary>
    /// One number's records, kept in the dictionary itself (a large first sync indexes a million
    /// numbers: no object per number beyond the records).
    /// </summary>
    private struct Group
    {
        public SyncRecord First;

        /// <summary>Accounting records after the first, for a number held more than once (rare).</summary>
        public List<SyncRecord>? More;

        /// <summary>The plan handle of the pair made when the first operational record came by; 0 for none.</summary>
        public int Paired;

        /// <summary>The operational records of an ambiguous number (none kept while it pairs one to one).</summary>
        public List<SyncRecord>? Operational;

        public readonly bool Met => Paired != 0 || Operational is not null;

        public readonly List<SyncRecord> Accounting => [First, .. More ?? []];
    }

    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);

    /// <summary>Indexes an accounting record by its VAT number; false when it has none.</summary>
    public bool AddAccounting(SyncRecord record)
    {
        if (record.Vat is not { } vat)
        {
            return false;
        }
        ref var group = ref CollectionsMarshal.GetValueRefOrAddDefault(_groups, vat, out var exists);
        if (exists)
        {
            (group.More ??= []).Add(record);
        }
        else
        {
            group.First = record;
        }
        return true;
    }

    /// <summary>
    /// Meets an operational record with the accounting records of its VAT number: pairs it through
    /// <paramref name="pair"/> when it is the only one on both sides so far. False when no
    /// accounting record has its number (it stays unmatched).
    /// </summary>
    public bool Meet(SyncRecord record, Plan plan, Func<SyncRecord, PlanLine> pair)
    {
        if (record.Vat is not { } vat)
        {
            return false;
        }
        ref var group = ref CollectionsMarshal.GetValueRefOrNullRef(_groups, vat);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref group))
        {
            return false;
        }
        if (group.Operational is { } many)
        {
            many.Add(record);
        }
        else if (group.Paired != 0)
        {
            group.Operational = [plan.Withdraw(group.Paired).Operational!, record];
            group.Paired = 0;
        }
        else if (group.More is not null)
        {
            group.Operational = [record];
        }
        else
        {
            group.Paired = plan.Add(pair(group.First));
        }
        return true;
    }

    /// <summary>The numbers held by more than one record on a side, with the records of both sides.</summary>
    public IEnumerable<(string Vat, List<SyncRecord> Operational, List<SyncRecord> Accounting)> Ambiguous() =>
        _groups.Where(g => g.Value.Operational is not null).Select(g => (g.Key, g.Value.Operational!, g.Value.Accounting));

    /// <summary>The accounting records no operational record of the same number met.</summary>
    public IEnumerable<SyncRecord> Unmet() => _groups.Values.Where(g => !g.Met).SelectMany(g => g.Accounting);
}
