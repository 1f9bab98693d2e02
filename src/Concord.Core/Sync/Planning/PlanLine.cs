using Concord.Core.Connectors;

namespace Concord.Core.Sync.Planning;

/// <summary>What the plan proposes for one record or pair of records.</summary>
public enum LineKind
{
    /// <summary>Only on the operational side: create it in accounting.</summary>
    CreateInAccounting,

    /// <summary>Only in accounting: create it on the operational side.</summary>
    CreateInOperational,

    /// <summary>The same customer on both sides (linked, or matched now): merge field by field.</summary>
    Pair,

    /// <summary>One record matches several on the other side: shown, never linked (S3).</summary>
    Ambiguous,

    /// <summary>Unmatched, but resembling a record on the other side by name and postcode: a person decides (S3).</summary>
    Proposal,

    /// <summary>Marked never sync in the correspondence table (S7).</summary>
    Never,

    /// <summary>On one side only and the direction or capabilities do not allow creating it on the other.</summary>
    OneSided,
}

/// <summary>How a pair was found (S3): by the correspondence table, the VAT number, the code, or a person.</summary>
public enum MatchRule
{
    Correspondence,
    Vat,
    Code,
    Confirmed,
}

/// <summary>A field's value on the target side now (before) and after the sync.</summary>
public sealed record FieldChange(string Field, string? Before, string? After);

/// <summary>A field changed on both sides that waits for a person (priority "review"), with both values.</summary>
public sealed record HeldField(string Field, string? Operational, string? Accounting, string? Base);

/// <summary>One line of a plan (S9): what happens to one record or pair, with field-level detail.</summary>
public sealed class PlanLine
{
    public required LineKind Kind { get; init; }
    public SyncRecord? Operational { get; init; }
    public SyncRecord? Accounting { get; init; }
    public MatchRule? Match { get; init; }
    public long? LinkId { get; init; }
    public string?[]? Base { get; init; }
    // Most lines of a large plan have no changes: the detail exists only once something is added.
    private sealed class Detail
    {
        public List<FieldChange>? ToAccounting;
        public List<FieldChange>? ToOperational;
        public List<HeldField>? Held;
        public List<string>? Candidates;
        public WriteOutcome? Refused;
    }

    private Detail? _detail;

    public IReadOnlyList<FieldChange> ToAccounting => (IReadOnlyList<FieldChange>?)_detail?.ToAccounting ?? [];
    public IReadOnlyList<FieldChange> ToOperational => (IReadOnlyList<FieldChange>?)_detail?.ToOperational ?? [];
    public IReadOnlyList<HeldField> Held => (IReadOnlyList<HeldField>?)_detail?.Held ?? [];

    /// <summary>The codes on the other side this line is ambiguous with or resembles.</summary>
    public IReadOnlyList<string> Candidates => (IReadOnlyList<string>?)_detail?.Candidates ?? [];

    public void Push(FieldChange change) => ((_detail ??= new()).ToAccounting ??= []).Add(change);

    public void Pull(FieldChange change) => ((_detail ??= new()).ToOperational ??= []).Add(change);

    public void Hold(HeldField field) => ((_detail ??= new()).Held ??= []).Add(field);

    public void AddCandidates(IEnumerable<string> codes) => ((_detail ??= new()).Candidates ??= []).AddRange(codes);

    /// <summary>A create the target side said, before anything was written, it would refuse: the field and the reason (S11).</summary>
    public WriteOutcome? WillBeRefused
    {
        get => _detail?.Refused;
        set => (_detail ??= new()).Refused = value;
    }

    public string? Note { get; set; }

    /// <summary>A proposal's probability that both records are one customer (S3).</summary>
    public double? Score { get; init; }

    /// <summary>A proposal's agreement pattern (<see cref="Matching.MatchModel.Pattern"/>) with its best candidate.</summary>
    public int? MatchPattern { get; init; }

    /// <summary>A proposal's agreement field by field, for the best candidate ("name", "similar"; "missing" where a side has no value).</summary>
    public IReadOnlyList<(string Field, string Level)> Agreement => MatchPattern is { } pattern ? Matching.MatchModel.Agreement(pattern) : [];

    /// <summary>A proposal's score and the fields that agreed or not, as a person reads them: "score 0.998: name same, postcode one digit off".</summary>
    public string? Explanation => Score is { } score
        ? $"score {score.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture)}: " +
          string.Join(", ", Agreement.Where(a => a.Level != "missing").Select(a => $"{a.Field} {a.Level}"))
        : null;

    public string? OperationalCode => Operational?.Code;
    public string? AccountingCode => Accounting?.Code;
    public string Key => OperationalCode ?? AccountingCode ?? "";
    public string? Name => Operational?.Name ?? Accounting?.Name;
    public string? Vat => Operational?.Vat ?? Accounting?.Vat;
    public bool NewLink => Kind == LineKind.Pair && Match != MatchRule.Correspondence;
    public bool InSync => Kind == LineKind.Pair && !NewLink && ToAccounting.Count == 0 && ToOperational.Count == 0 && Held.Count == 0;
    public bool HasWork => Kind is LineKind.CreateInAccounting or LineKind.CreateInOperational || (Kind == LineKind.Pair && !InSync);

    /// <summary>Whether the line names this code on either side (for --only, --skip, --never).</summary>
    public bool Names(string code) =>
        Common.Codes.Same(OperationalCode, code) || Common.Codes.Same(AccountingCode, code);
}
