using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Connections;
using Concord.Core.Sync.Correspondence;
using Concord.Core.Sync.Matching;

namespace Concord.Core.Sync.Planning;

/// <summary>
/// Makes the plan of a sync. Matching comes before creating (S3): the correspondence table, then
/// the normalised VAT number, then the code; what is still unmatched is compared by name and
/// postcode and only proposed. One-to-many candidates are ambiguous and never linked. Every record
/// is matched, filters only decide what moves, so a record left out is never duplicated either.
/// A full plan reads both sides; an incremental one (S13) reads what changed since the cursors and
/// looks the partners up by code and VAT number.
/// </summary>
/// <param name="decisions">inbox resolutions by record key: which side wins this record's conflicts (S17).</param>
/// <param name="waiting">whether a record (side, code) waits for a person, proposed or found ambiguous by a full run: an incremental run never creates it.</param>
public sealed class Planner(SyncConnection connection, IConnector operational, IConnector accounting, LinkStore links, DbConnection db,
    IReadOnlyDictionary<string, SyncPriority> decisions, Func<string, string, bool> waiting)
{
    private const double ProposalThreshold = 0.8;

    private readonly SyncFilter _filter = connection.Filter;

    public Plan Build(bool full, IReadOnlyCollection<(string Side, string Code)> revisit)
    {
        // Cursors first: anything written while we read is seen by the next run.
        var plan = new Plan { Full = full, OperationalCursor = operational.CurrentCursor(), AccountingCursor = accounting.CurrentCursor() };
        if (full)
        {
            BuildFull(plan);
        }
        else
        {
            BuildIncremental(plan, revisit);
        }
        return plan;
    }

    /// <summary>
    /// A full plan reads both sides at once, each in VAT-number order, and walks them side by side:
    /// records of the same VAT number meet without either side being held in memory. Linked
    /// records wait only until their partner comes by; what stays unmatched is matched by code,
    /// then proposed by name and postcode.
    /// </summary>
    private void BuildFull(Plan plan)
    {
        var linkOfOp = new Dictionary<string, Link>(StringComparer.Ordinal);
        var linkOfAcc = new Dictionary<string, Link>(StringComparer.Ordinal);
        var confirmedNew = new HashSet<string>(StringComparer.Ordinal);
        foreach (var link in links.All(db))
        {
            var opKey = link.OperationalCode is null ? null : Common.Codes.Key(link.OperationalCode);
            if (link.Option == LinkOption.New && link.AccountingCode is null)
            {
                if (opKey is not null)
                {
                    confirmedNew.Add(opKey);
                }
                continue;
            }
            if (opKey is not null)
            {
                linkOfOp[opKey] = link;
            }
            if (link.AccountingCode is not null)
            {
                linkOfAcc[Common.Codes.Key(link.AccountingCode)] = link;
            }
        }

        var partnerless = new Dictionary<long, (Link Link, SyncRecord Record, bool IsOperational)>();
        var seenLinks = new HashSet<long>();
        bool TakeLinked(SyncRecord record, bool isOperational)
        {
            if (!(isOperational ? linkOfOp : linkOfAcc).TryGetValue(record.Key, out var link))
            {
                return false;
            }
            seenLinks.Add(link.Id);
            if ((isOperational ? link.AccountingCode : link.OperationalCode) is null)
            {
                plan.Add(isOperational ? Linked(link, record, null) : Linked(link, null, record));
            }
            else if (partnerless.Remove(link.Id, out var partner))
            {
                plan.Add(isOperational ? Linked(link, record, partner.Record) : Linked(link, partner.Record, record));
            }
            else
            {
                partnerless[link.Id] = (link, record, isOperational);
            }
            return true;
        }

        var matching = System.Diagnostics.Stopwatch.StartNew();
        var unOp = new List<SyncRecord>();
        var unAcc = new List<SyncRecord>();
        using (var opGroups = VatGroups(Prefetch.Ahead(operational.ReadAll(SyncFilter.Everything)), operational.Kind, r => TakeLinked(r, true), unOp, () => plan.OperationalRead++).GetEnumerator())
        using (var accGroups = VatGroups(accounting.ReadAll(SyncFilter.Everything), accounting.Kind, r => TakeLinked(r, false), unAcc, () => plan.AccountingRead++).GetEnumerator())
        {
            var hasOp = opGroups.MoveNext();
            var hasAcc = accGroups.MoveNext();
            while (hasOp || hasAcc)
            {
                var order = !hasOp ? 1 : !hasAcc ? -1 : string.CompareOrdinal(opGroups.Current.Vat, accGroups.Current.Vat);
                if (order < 0)
                {
                    unOp.AddRange(opGroups.Current.Records);
                    hasOp = opGroups.MoveNext();
                }
                else if (order > 0)
                {
                    unAcc.AddRange(accGroups.Current.Records);
                    hasAcc = accGroups.MoveNext();
                }
                else
                {
                    var (vat, sameVat) = opGroups.Current;
                    var candidates = accGroups.Current.Records;
                    if (sameVat.Count == 1 && candidates.Count == 1)
                    {
                        plan.Add(Pair(sameVat[0], candidates[0], MatchRule.Vat, null, null));
                    }
                    else
                    {
                        AddAmbiguous(plan, sameVat, candidates, $"{sameVat.Count} operational and {candidates.Count} accounting customers share VAT number {vat}");
                    }
                    hasOp = opGroups.MoveNext();
                    hasAcc = accGroups.MoveNext();
                }
            }
        }
        foreach (var (link, record, isOperational) in partnerless.Values)
        {
            plan.Add(isOperational ? Linked(link, record, null) : Linked(link, null, record));
        }
        // Links neither of whose records takes part any more are still shown.
        foreach (var link in linkOfOp.Values.Concat(linkOfAcc.Values).DistinctBy(l => l.Id).Where(l => !seenLinks.Contains(l.Id)))
        {
            plan.Add(Linked(link, null, null));
        }

        var takenOp = new HashSet<string>(StringComparer.Ordinal);
        var takenAcc = new HashSet<string>(StringComparer.Ordinal);
        var unAccByKey = unAcc.ToDictionary(r => r.Key, StringComparer.Ordinal);
        foreach (var op in unOp)
        {
            if (unAccByKey.TryGetValue(op.Key, out var acc) && takenAcc.Add(acc.Key))
            {
                takenOp.Add(op.Key);
                plan.Add(CodeMatch(op, acc));
            }
        }

        var leftOp = unOp.Where(r => !takenOp.Contains(r.Key)).ToList();
        var leftAcc = unAcc.Where(r => !takenAcc.Contains(r.Key)).ToList();
        plan.MatchTime = matching.Elapsed;
        var proposing = System.Diagnostics.Stopwatch.StartNew();
        Propose(plan, leftOp.Where(r => !confirmedNew.Contains(r.Key)).ToList(), leftAcc, takenOp, takenAcc);
        plan.ProposalTime = proposing.Elapsed;

        foreach (var op in leftOp.Where(r => !takenOp.Contains(r.Key)))
        {
            plan.Add(OnlyOneSide(op, isOperational: true));
        }
        foreach (var acc in leftAcc.Where(r => !takenAcc.Contains(r.Key)))
        {
            plan.Add(OnlyOneSide(acc, isOperational: false));
        }
    }

    /// <summary>
    /// One side's records grouped by VAT number, in the order the side reads them (ordinal by VAT
    /// number, as <see cref="IConnector.ReadAll"/> promises). Linked records are taken out first,
    /// records without a VAT number go straight to <paramref name="unmatched"/>.
    /// </summary>
    private static IEnumerable<(string Vat, List<SyncRecord> Records)> VatGroups(IEnumerable<SyncRecord> records, string side,
        Func<SyncRecord, bool> takeLinked, List<SyncRecord> unmatched, Action counted)
    {
        string? current = null;
        List<SyncRecord>? group = null;
        foreach (var record in records)
        {
            counted();
            if (takeLinked(record))
            {
                continue;
            }
            if (record.Vat is not { } vat)
            {
                unmatched.Add(record);
                continue;
            }
            if (vat == current)
            {
                group!.Add(record);
                continue;
            }
            if (current is not null && string.CompareOrdinal(vat, current) < 0)
            {
                throw new InvalidOperationException($"the {side} side did not read its records in VAT number order ({vat} after {current})");
            }
            if (group is not null)
            {
                yield return (current!, group);
            }
            current = vat;
            group = [record];
        }
        if (group is not null)
        {
            yield return (current!, group);
        }
    }

    private void BuildIncremental(Plan plan, IReadOnlyCollection<(string Side, string Code)> revisit)
    {
        var seenOp = new HashSet<string>(StringComparer.Ordinal);
        var seenAcc = new HashSet<string>(StringComparer.Ordinal);
        var operationalSide = new Side("operational", operational, code => links.ByOperational(db, null, code), link => link.OperationalCode, seenOp);
        var accountingSide = new Side("accounting", accounting, code => links.ByAccounting(db, null, code), link => link.AccountingCode, seenAcc);
        var changedOps = operational.ReadChanges(connection.OperationalCursor.ToString(System.Globalization.CultureInfo.InvariantCulture), SyncFilter.Everything).ToList();
        var changedAccs = accounting.ReadChanges(connection.AccountingCursor, SyncFilter.Everything).ToList();
        plan.OperationalRead = changedOps.Count;
        plan.AccountingRead = changedAccs.Count;
        changedOps.AddRange(revisit.Where(r => r.Side == "operational").Select(r => operational.FindByCode(r.Code)).OfType<SyncRecord>());
        changedAccs.AddRange(revisit.Where(r => r.Side == "accounting").Select(r => accounting.FindByCode(r.Code)).OfType<SyncRecord>());
        foreach (var op in changedOps)
        {
            if (seenOp.Add(op.Key))
            {
                Resolve(plan, op, operationalSide, accountingSide, second: false);
            }
        }
        foreach (var acc in changedAccs)
        {
            if (seenAcc.Add(acc.Key))
            {
                Resolve(plan, acc, accountingSide, operationalSide, second: true);
            }
        }
    }

    /// <summary>One side as the incremental planner walks it: its connector, its links, and the records already planned.</summary>
    private sealed record Side(string Name, IConnector Connector, Func<string, Link?> LinkOf, Func<Link, string?> CodeIn, HashSet<string> Seen);

    /// <summary>
    /// Plans one changed record by looking its partner up: its link, then the VAT number, then the
    /// code. The side read second skips partners the first side already planned.
    /// </summary>
    private void Resolve(Plan plan, SyncRecord record, Side here, Side there, bool second)
    {
        var isOperational = here.Name == "operational";
        (SyncRecord? Op, SyncRecord? Acc) Orient(SyncRecord? mine, SyncRecord? theirs) => isOperational ? (mine, theirs) : (theirs, mine);
        var link = here.LinkOf(record.Code);
        var confirmedNew = link is { Option: LinkOption.New, AccountingCode: null };
        if (link is not null && !confirmedNew)
        {
            var partnerCode = there.CodeIn(link);
            var partner = partnerCode is null ? null : there.Connector.FindByCode(partnerCode);
            if (partner is not null && second && there.Seen.Contains(partner.Key))
            {
                return;
            }
            if (partner is not null)
            {
                there.Seen.Add(partner.Key);
            }
            var (op, acc) = Orient(record, partner);
            plan.Add(Linked(link, op, acc));
            return;
        }
        if (record.Vat is { } vat)
        {
            var candidates = there.Connector.FindByVat(vat).Where(r => there.LinkOf(r.Code) is null).ToList();
            var sameVat = here.Connector.FindByVat(vat).Where(r => here.LinkOf(r.Code) is null).ToList();
            if (candidates.Count > 0)
            {
                if (second && candidates.Any(c => there.Seen.Contains(c.Key)))
                {
                    return;
                }
                there.Seen.UnionWith(candidates.Select(c => c.Key));
                here.Seen.UnionWith(sameVat.Select(c => c.Key));
                if (candidates.Count == 1 && sameVat.Count <= 1)
                {
                    var (op, acc) = Orient(record, candidates[0]);
                    plan.Add(Pair(op!, acc!, MatchRule.Vat, null, null));
                }
                else
                {
                    List<SyncRecord> mine = sameVat.Count == 0 ? [record] : sameVat;
                    var (ops, accs) = isOperational ? (mine, candidates) : (candidates, mine);
                    AddAmbiguous(plan, ops, accs, $"{ops.Count} operational and {accs.Count} accounting customers share VAT number {vat}");
                }
                return;
            }
        }
        if (there.Connector.FindByCode(record.Code) is { } sameCode && there.LinkOf(sameCode.Code) is null)
        {
            if (!there.Seen.Add(sameCode.Key) && second)
            {
                return;
            }
            var (op, acc) = Orient(record, sameCode);
            plan.Add(CodeMatch(op!, acc!));
            return;
        }
        var waits = !confirmedNew && waiting(here.Name, record.Code);
        plan.Add(!waits ? OnlyOneSide(record, isOperational) : isOperational ? Waiting(record, null) : Waiting(null, record));
    }

    private static PlanLine Waiting(SyncRecord? op, SyncRecord? acc) => new()
    {
        Kind = LineKind.Proposal,
        Operational = op,
        Accounting = acc,
        Note = $"resembles a record on the other side (found by a full run); decide with '{CommandHint.For("sync link")}' or '{CommandHint.For("sync new")}'",
    };

    private PlanLine Linked(Link link, SyncRecord? op, SyncRecord? acc)
    {
        if (link.Option == LinkOption.Never)
        {
            return new PlanLine { Kind = LineKind.Never, Operational = op, Accounting = acc, LinkId = link.Id, Note = "never sync (correspondence table)" };
        }
        if (op is not null && acc is not null)
        {
            return Pair(op, acc, MatchRule.Correspondence, link.Id, link.Base);
        }
        return new PlanLine
        {
            Kind = LineKind.OneSided,
            Operational = op,
            Accounting = acc,
            LinkId = link.Id,
            Note = op is null
                ? $"linked to operational customer {link.OperationalCode}, which no longer takes part in the sync"
                : $"linked to accounting customer {link.AccountingCode}, which no longer takes part in the sync",
        };
    }

    private PlanLine CodeMatch(SyncRecord op, SyncRecord acc)
    {
        if (op.Vat is not null && acc.Vat is not null && op.Vat != acc.Vat)
        {
            var line = new PlanLine { Kind = LineKind.Ambiguous, Operational = op, Accounting = acc, Note = $"same code but different VAT numbers ({op.Vat} / {acc.Vat})" };
            line.AddCandidates([acc.Code]);
            return line;
        }
        return Pair(op, acc, MatchRule.Code, null, null);
    }

    private PlanLine Pair(SyncRecord op, SyncRecord acc, MatchRule match, long? linkId, string?[]? baseState)
    {
        var line = new PlanLine { Kind = LineKind.Pair, Operational = op, Accounting = acc, Match = match, LinkId = linkId, Base = baseState };
        if (_filter.Includes(op) && _filter.Includes(acc))
        {
            var decided = decisions.GetValueOrDefault(op.Key) is var byOp && decisions.ContainsKey(op.Key) ? byOp
                : decisions.TryGetValue(acc.Key, out var byAcc) ? byAcc : (SyncPriority?)null;
            Merge.Fields(line, connection, decided);
        }
        else
        {
            line.Note = "left out by the connection's filters; linked so it is never duplicated";
        }
        return line;
    }

    /// <summary>A record only on one side: created on the other if the filters, the direction and that side allow it.</summary>
    private PlanLine OnlyOneSide(SyncRecord record, bool isOperational)
    {
        var (kind, creates, otherwise) = isOperational
            ? (LineKind.CreateInAccounting, connection.PushesToAccounting && accounting.Capabilities.HasFlag(ConnectorCapabilities.Create),
                "only here; the direction does not create it in accounting")
            : (LineKind.CreateInOperational, connection.PullsFromAccounting && operational.Capabilities.HasFlag(ConnectorCapabilities.Create),
                "only in accounting; the direction does not create it here");
        var (op, acc) = isOperational ? (record, (SyncRecord?)null) : (null, record);
        return !_filter.Includes(record)
            ? new PlanLine { Kind = LineKind.OneSided, Operational = op, Accounting = acc, Note = "left out by the connection's filters" }
            : creates
                ? new PlanLine { Kind = kind, Operational = op, Accounting = acc }
                : new PlanLine { Kind = LineKind.OneSided, Operational = op, Accounting = acc, Note = otherwise };
    }

    private static void AddAmbiguous(Plan plan, List<SyncRecord> ops, List<SyncRecord> accs, string note)
    {
        foreach (var op in ops)
        {
            var line = new PlanLine { Kind = LineKind.Ambiguous, Operational = op, Note = note };
            line.AddCandidates(accs.Select(a => a.Code));
            plan.Add(line);
        }
        foreach (var acc in accs)
        {
            var line = new PlanLine { Kind = LineKind.Ambiguous, Accounting = acc, Note = note };
            line.AddCandidates(ops.Select(o => o.Code));
            plan.Add(line);
        }
    }

    /// <summary>
    /// Name and postcode proposals for what exact keys left unmatched, blocked (see <see cref="Blocks"/>)
    /// so that only records of the same postcode are compared.
    /// </summary>
    private static void Propose(Plan plan, List<SyncRecord> ops, List<SyncRecord> accs, HashSet<string> takenOp, HashSet<string> takenAcc)
    {
        if (ops.Count == 0 || accs.Count == 0)
        {
            return;
        }
        // One sorted array of (block, record) entries rather than a list per block: a large first sync has hundreds of thousands of blocks.
        var names = new (string[] Words, string Joined)[accs.Count];
        var entries = new List<(Block Block, int Acc)>(accs.Count * 3);
        for (var i = 0; i < accs.Count; i++)
        {
            var words = NameKey.Words(accs[i].Name);
            names[i] = (words, string.Concat(words));
            foreach (var block in Blocks(accs[i], words))
            {
                entries.Add((block, i));
            }
        }
        entries.Sort((x, y) => x.Block.CompareTo(y.Block));
        var found = new List<int>();
        foreach (var op in ops)
        {
            var words = NameKey.Words(op.Name);
            var joined = string.Concat(words);
            found.Clear();
            foreach (var block in Blocks(op, words))
            {
                for (var k = FirstOf(entries, block); k < entries.Count && entries[k].Block.Equals(block); k++)
                {
                    var acc = entries[k].Acc;
                    if (!found.Contains(acc) && NameKey.Similarity(words, joined, names[acc].Words, names[acc].Joined) >= ProposalThreshold)
                    {
                        found.Add(acc);
                    }
                }
            }
            if (found.Count == 0)
            {
                continue;
            }
            var candidates = found.Select(k => accs[k]).ToList();
            var line = new PlanLine { Kind = LineKind.Proposal, Operational = op, Accounting = candidates.Count == 1 ? candidates[0] : null, Note = $"similar name and postcode: confirm with '{CommandHint.For("sync link")}' or '{CommandHint.For("sync new")}'" };
            line.AddCandidates(candidates.Select(c => c.Code));
            plan.Add(line);
            takenOp.Add(op.Key);
            takenAcc.UnionWith(candidates.Select(c => c.Key));
        }
    }

    /// <summary>The first entry of <paramref name="block"/> in the sorted entries (their count if none).</summary>
    private static int FirstOf(List<(Block Block, int Acc)> entries, Block block)
    {
        var (low, high) = (0, entries.Count);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (entries[middle].Block.CompareTo(block) < 0)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    /// <summary>A block of the proposal search: a postcode, or ("", the first letters of a word packed in a number) for records without one.</summary>
    private readonly record struct Block(string Postcode, long Beginning) : IComparable<Block>
    {
        public int CompareTo(Block other) =>
            string.CompareOrdinal(Postcode, other.Postcode) is var byPostcode and not 0 ? byPostcode : Beginning.CompareTo(other.Beginning);
    }

    /// <summary>
    /// The blocks a record is compared within: its postcode (every record of the postcode is
    /// compared, so joined words and early typos are found too), or for a record without one the
    /// first letters of each of its words.
    /// </summary>
    private static IEnumerable<Block> Blocks(SyncRecord record, string[] words)
    {
        var postcode = record.Postcode?.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant() ?? "";
        if (postcode.Length > 0)
        {
            yield return new Block(postcode, 0);
            yield break;
        }
        for (var i = 0; i < words.Length; i++)
        {
            var letters = Math.Min(BlockLetters, words[i].Length);
            long beginning = letters;
            for (var k = 0; k < letters; k++)
            {
                beginning = (beginning << 16) | words[i][k];
            }
            yield return new Block("", beginning);
        }
    }

    private const int BlockLetters = 3;
}
