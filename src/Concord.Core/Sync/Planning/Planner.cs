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
/// looks the partners up by code and VAT number, a batch at a time.
/// </summary>
/// <param name="decisions">inbox resolutions by record key: which side wins this record's conflicts (S17).</param>
/// <param name="waiting">whether a record (side, code) waits for a person, proposed or found ambiguous by a full run: an incremental run never creates it.</param>
public sealed class Planner(SyncConnection connection, IConnector operational, IConnector accounting, LinkStore links, DbConnection db,
    IReadOnlyDictionary<string, SyncPriority> decisions, Func<string, string, bool> waiting)
{
    private readonly SyncFilter _filter = connection.Filter;

    private Dictionary<string, string>? _genericAccounts;

    /// <summary>The ledger accounts generic customer classes post to (key → class): they hold sales of many, and are never made customers here.</summary>
    private Dictionary<string, string> GenericAccounts => _genericAccounts ??= Operational.CustomerClassService.All(db, null)
        .Where(c => c is { IsGeneric: true, GenericAccount: not null })
        .GroupBy(c => Codes.Key(c.GenericAccount!))
        .ToDictionary(g => g.Key, g => g.First().Code, StringComparer.Ordinal);

    // Asked of both sides once per plan, not once per field of every pair; null when both keep every field (the usual case).
    private Func<string, bool>? _carried;
    private bool _carriedAsked;

    private Func<string, bool>? Carried
    {
        get
        {
            if (!_carriedAsked)
            {
                var left = connection.FieldMap.Fields.Where(f => !accounting.Carries(f) || !operational.Carries(f)).ToHashSet(StringComparer.Ordinal);
                _carried = left.Count == 0 ? null : name => !left.Contains(name);
                _carriedAsked = true;
            }
            return _carried;
        }
    }

    public async Task<Plan> BuildAsync(bool full, IReadOnlyCollection<(string Side, string Code)> revisit, CancellationToken cancellation)
    {
        // Cursors first: anything written while we read is seen by the next run. A side without a change cursor is compared in full.
        var plan = new Plan
        {
            Full = full || !operational.Can(ConnectorCapabilities.ChangeCursor) || !accounting.Can(ConnectorCapabilities.ChangeCursor),
            FieldMap = connection.FieldMap,
            OperationalCursor = await operational.CurrentCursorAsync(cancellation).ConfigureAwait(false) ?? "0",
            AccountingCursor = accounting.Can(ConnectorCapabilities.ChangeCursor) ? await accounting.CurrentCursorAsync(cancellation).ConfigureAwait(false) : null,
        };
        if (plan.Full)
        {
            await BuildFullAsync(plan, cancellation).ConfigureAwait(false);
        }
        else
        {
            await BuildIncrementalAsync(plan, revisit, cancellation).ConfigureAwait(false);
        }
        return plan;
    }

    /// <summary>
    /// A full plan reads the accounting side in its own order into an index by VAT number, then
    /// streams the operational side past it: records of the same VAT number meet as they come.
    /// Linked records wait only until their partner comes by; what stays unmatched is matched by
    /// code, then proposed by name and postcode.
    /// </summary>
    private async Task BuildFullAsync(Plan plan, CancellationToken cancellation)
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
        var byVat = new VatIndex();
        await foreach (var acc in accounting.ReadAllAsync(cancellation).ConfigureAwait(false))
        {
            plan.AccountingRead++;
            if (!TakeLinked(acc, isOperational: false) && !byVat.AddAccounting(acc))
            {
                unAcc.Add(acc);
            }
        }
        await foreach (var op in operational.ReadAllAsync(cancellation).ConfigureAwait(false))
        {
            plan.OperationalRead++;
            if (!TakeLinked(op, isOperational: true) && !byVat.Meet(op, plan, acc => Pair(op, acc, MatchRule.Vat, null, null)))
            {
                unOp.Add(op);
            }
        }
        foreach (var (vat, ops, accs) in byVat.Ambiguous())
        {
            AddAmbiguous(plan, ops, accs, $"{ops.Count} operational and {accs.Count} accounting customers share VAT number {vat}");
        }
        unAcc.AddRange(byVat.Unmet());
        plan.Compact();
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
        Proposals.Propose(plan, leftOp.Where(r => !confirmedNew.Contains(r.Key)).ToList(), leftAcc, takenOp, takenAcc);
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

    private async Task BuildIncrementalAsync(Plan plan, IReadOnlyCollection<(string Side, string Code)> revisit, CancellationToken cancellation)
    {
        var changedOps = await ReadList(operational.ReadChangesAsync(connection.OperationalCursor.ToString(System.Globalization.CultureInfo.InvariantCulture), cancellation)).ConfigureAwait(false);
        var changedAccs = await ReadList(accounting.ReadChangesAsync(connection.AccountingCursor, cancellation)).ConfigureAwait(false);
        plan.OperationalRead = changedOps.Count;
        plan.AccountingRead = changedAccs.Count;
        changedOps.AddRange(await operational.FindByCodesAsync([.. revisit.Where(r => r.Side == "operational").Select(r => r.Code)], cancellation).ConfigureAwait(false));
        changedAccs.AddRange(await accounting.FindByCodesAsync([.. revisit.Where(r => r.Side == "accounting").Select(r => r.Code)], cancellation).ConfigureAwait(false));

        // Every partner a changed record may have, fetched in one batch per side and kind of key.
        var linkOfOp = changedOps.Select(r => r.Code).Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(c => Common.Codes.Key(c), c => links.ByOperational(db, null, c), StringComparer.Ordinal);
        var linkOfAcc = changedAccs.Select(r => r.Code).Distinct(StringComparer.OrdinalIgnoreCase).ToDictionary(c => Common.Codes.Key(c), c => links.ByAccounting(db, null, c), StringComparer.Ordinal);
        var vats = changedOps.Concat(changedAccs).Select(r => r.Vat).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var opCodes = changedAccs.Select(r => r.Code).Concat(linkOfAcc.Values.Select(l => l?.OperationalCode)).OfType<string>().ToList();
        var accCodes = changedOps.Select(r => r.Code).Concat(linkOfOp.Values.Select(l => l?.AccountingCode)).OfType<string>().ToList();
        var operationalSide = await Side.LoadAsync("operational", operational, code => links.ByOperational(db, null, code), link => link.OperationalCode, opCodes, vats, cancellation).ConfigureAwait(false);
        var accountingSide = await Side.LoadAsync("accounting", accounting, code => links.ByAccounting(db, null, code), link => link.AccountingCode, accCodes, vats, cancellation).ConfigureAwait(false);
        foreach (var op in changedOps)
        {
            if (operationalSide.Seen.Add(op.Key))
            {
                Resolve(plan, op, operationalSide, accountingSide, second: false);
            }
        }
        foreach (var acc in changedAccs)
        {
            if (accountingSide.Seen.Add(acc.Key))
            {
                Resolve(plan, acc, accountingSide, operationalSide, second: true);
            }
        }
    }

    private static async Task<List<SyncRecord>> ReadList(IAsyncEnumerable<SyncRecord> records)
    {
        var list = new List<SyncRecord>();
        await foreach (var record in records.ConfigureAwait(false))
        {
            list.Add(record);
        }
        return list;
    }

    /// <summary>
    /// One side as the incremental planner walks it: its links, the records it may be asked for
    /// (fetched before planning, one batch for codes and one for VAT numbers), and those already planned.
    /// </summary>
    private sealed class Side(string name, Func<string, Link?> linkOf, Func<Link, string?> codeIn,
        Dictionary<string, SyncRecord> byCode, ILookup<string, SyncRecord> byVat)
    {
        public string Name => name;

        public HashSet<string> Seen { get; } = new(StringComparer.Ordinal);

        public Link? LinkOf(string code) => linkOf(code);

        public string? CodeIn(Link link) => codeIn(link);

        public SyncRecord? FindByCode(string code) => byCode.GetValueOrDefault(Common.Codes.Key(code));

        public List<SyncRecord> FindByVat(string vat) => [.. byVat[vat]];

        public static async Task<Side> LoadAsync(string name, IConnector connector, Func<string, Link?> linkOf, Func<Link, string?> codeIn,
            IReadOnlyCollection<string> codes, IReadOnlyCollection<string> vats, CancellationToken cancellation)
        {
            var byCode = codes.Count == 0 ? [] : await connector.FindByCodesAsync(codes, cancellation).ConfigureAwait(false);
            var byVat = vats.Count == 0 ? [] : await connector.FindByVatsAsync(vats, cancellation).ConfigureAwait(false);
            var known = new Dictionary<string, SyncRecord>(StringComparer.Ordinal);
            foreach (var record in byCode.Concat(byVat))
            {
                known.TryAdd(record.Key, record);
            }
            return new Side(name, linkOf, codeIn, known, byVat.ToLookup(r => r.Vat!, StringComparer.Ordinal));
        }
    }

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
            var partner = partnerCode is null ? null : there.FindByCode(partnerCode);
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
            var candidates = there.FindByVat(vat).Where(r => there.LinkOf(r.Code) is null).ToList();
            var sameVat = here.FindByVat(vat).Where(r => here.LinkOf(r.Code) is null).ToList();
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
        if (there.FindByCode(record.Code) is { } sameCode && there.LinkOf(sameCode.Code) is null)
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
            Merge.Fields(line, connection, decided, (accounting.Can(ConnectorCapabilities.Update), operational.Can(ConnectorCapabilities.Update)), Carried);
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
            ? (LineKind.CreateInAccounting, connection.PushesToAccounting && accounting.Can(ConnectorCapabilities.Create),
                "only here; the direction does not create it in accounting")
            : (LineKind.CreateInOperational, connection.PullsFromAccounting && operational.Can(ConnectorCapabilities.Create),
                "only in accounting; the direction does not create it here");
        var (op, acc) = isOperational ? (record, (SyncRecord?)null) : (null, record);
        var target = isOperational ? accounting : operational;
        if (record.Relation == "supplier" && !target.Can(ConnectorCapabilities.Suppliers))
        {
            return new PlanLine { Kind = LineKind.OneSided, Operational = op, Accounting = acc, Note = $"a supplier; {target.Kind} holds no suppliers (S15)" };
        }
        if (!isOperational && GenericAccounts.TryGetValue(record.Key, out var customerClass))
        {
            return new PlanLine { Kind = LineKind.OneSided, Operational = op, Accounting = acc, Note = $"the generic account of customer class {customerClass}: many customers' sales, not a customer here" };
        }
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
}
