using Concord.Core.Connectors;

namespace Concord.Core.Sync.Planning;

/// <summary>
/// A pair whose values already agree on both sides, kept small: a large first sync has hundreds of
/// thousands of them and all they need is a link (or nothing, when linked already).
/// </summary>
public readonly record struct AgreeingPair(SyncRecord Accounting, string OperationalCode, string? OperationalType, string OperationalRelation, MatchRule Match, long? LinkId)
{
    /// <summary>
    /// The pair as a plan line, for listing and for the few a run handles one by one (held in the
    /// inbox, not selected). Values agree, so no base state, change time or merge is needed: the
    /// line has neither, and the operational record counts as active.
    /// </summary>
    public PlanLine ToLine() => new()
    {
        Kind = LineKind.Pair,
        Operational = new SyncRecord(OperationalCode, Accounting.Values) { Type = OperationalType, Relation = OperationalRelation },
        Accounting = Accounting,
        Match = Match,
        LinkId = LinkId,
    };
}

/// <summary>
/// A plan is data (S9): every line with its action and field changes, whether it came from a full
/// comparison or from the changes since the cursors, and the cursors to store once it is applied.
/// </summary>
public sealed class Plan
{
    public required bool Full { get; init; }
    public required string OperationalCursor { get; init; }
    /// <summary>Null when the accounting side has no change cursor: its every run is full.</summary>
    public required string? AccountingCursor { get; init; }

    /// <summary>The connection's field map: which fields the lines carry and where each goes (S8), for showing them.</summary>
    public Connections.FieldMap FieldMap { get; init; } = Connections.FieldMap.Standard;
    private readonly List<PlanLine> _lines = [];
    private readonly List<AgreeingPair> _agreeing = [];

    /// <summary>Every line: those with something to show or do, then the pairs whose values agree (made as they are enumerated).</summary>
    public IEnumerable<PlanLine> Lines => _lines.Concat(_agreeing.Select(a => a.ToLine()));

    /// <summary>The lines other than agreeing pairs.</summary>
    public IReadOnlyList<PlanLine> Worked => _lines;

    /// <summary>The pairs whose values agree on both sides: linked already (nothing to do) or matched now (to link).</summary>
    public IReadOnlyList<AgreeingPair> Agreeing => _agreeing;

    /// <summary>
    /// Adds a line; a pair whose values agree and that moves nothing is kept as an <see cref="AgreeingPair"/>.
    /// Returns a handle that <see cref="Withdraw"/> takes.
    /// </summary>
    public int Add(PlanLine line)
    {
        if (line is { Kind: LineKind.Pair, Note: null, Operational: { } op, Accounting: { } acc, Match: { } match }
            && line.ToAccounting.Count == 0 && line.ToOperational.Count == 0 && line.Held.Count == 0 && op.SameValues(acc))
        {
            _agreeing.Add(new AgreeingPair(acc, op.Code, op.Type, op.Relation, match, line.LinkId));
            return -_agreeing.Count;
        }
        _lines.Add(line);
        return _lines.Count;
    }

    private HashSet<int>? _withdrawn;

    /// <summary>
    /// Takes back a line added earlier (a VAT pair that turned out ambiguous when a second record of
    /// the number came by) and returns it; the plan drops it when <see cref="Compact"/> is called.
    /// </summary>
    public PlanLine Withdraw(int handle)
    {
        (_withdrawn ??= []).Add(handle);
        return handle > 0 ? _lines[handle - 1] : _agreeing[-handle - 1].ToLine();
    }

    /// <summary>Drops the withdrawn lines; called once the plan is made.</summary>
    public void Compact()
    {
        if (_withdrawn is not { } withdrawn)
        {
            return;
        }
        var index = 0;
        _lines.RemoveAll(_ => withdrawn.Contains(++index));
        index = 0;
        _agreeing.RemoveAll(_ => withdrawn.Contains(-++index));
        _withdrawn = null;
    }

    /// <summary>How many records were read from each side to make the plan (S13: few when incremental).</summary>
    public long OperationalRead { get; set; }
    public long AccountingRead { get; set; }

    /// <summary>The operational invoices the connection has not posted, each with where it goes or why it waits (O3).</summary>
    public List<InvoiceLine> Invoices { get; } = [];

    /// <summary>Why no invoice is planned although some wait (the accounting side takes none), or null.</summary>
    public string? InvoicesNotTaken { get; set; }

    /// <summary>Records an earlier full run proposed or found ambiguous, still waiting for a person (side, code, reason).</summary>
    public List<(string Side, string Code, string Reason)> Waiting { get; } = [];

    /// <summary>Time spent reading both sides and matching them by exact keys (benchmarks report it on its own).</summary>
    public TimeSpan MatchTime { get; set; }

    /// <summary>Time spent on name and postcode proposals (benchmarks report it on its own).</summary>
    public TimeSpan ProposalTime { get; set; }
}
