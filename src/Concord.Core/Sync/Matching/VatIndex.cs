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
    private sealed class Group(SyncRecord first)
    {
        public List<SyncRecord> Accounting { get; } = [first];

        /// <summary>The plan handle of the pair made when the first operational record came by.</summary>
        public int? Paired { get; set; }

        /// <summary>The operational records of an ambiguous number (none kept while it pairs one to one).</summary>
        public List<SyncRecord>? Operational { get; set; }

        public bool Met => Paired is not null || Operational is not null;
    }

    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);

    /// <summary>Indexes an accounting record by its VAT number; false when it has none.</summary>
    public bool AddAccounting(SyncRecord record)
    {
        if (record.Vat is not { } vat)
        {
            return false;
        }
        if (_groups.TryGetValue(vat, out var group))
        {
            group.Accounting.Add(record);
        }
        else
        {
            _groups[vat] = new Group(record);
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
        if (record.Vat is not { } vat || !_groups.TryGetValue(vat, out var group))
        {
            return false;
        }
        if (group.Operational is { } many)
        {
            many.Add(record);
        }
        else if (group.Paired is { } handle)
        {
            group.Operational = [plan.Withdraw(handle).Operational!, record];
            group.Paired = null;
        }
        else if (group.Accounting.Count > 1)
        {
            group.Operational = [record];
        }
        else
        {
            group.Paired = plan.Add(pair(group.Accounting[0]));
        }
        return true;
    }

    /// <summary>The numbers held by more than one record on a side, with the records of both sides.</summary>
    public IEnumerable<(string Vat, List<SyncRecord> Operational, List<SyncRecord> Accounting)> Ambiguous() =>
        _groups.Where(g => g.Value.Operational is not null).Select(g => (g.Key, g.Value.Operational!, g.Value.Accounting));

    /// <summary>The accounting records no operational record of the same number met.</summary>
    public IEnumerable<SyncRecord> Unmet() => _groups.Values.Where(g => !g.Met).SelectMany(g => g.Accounting);
}
