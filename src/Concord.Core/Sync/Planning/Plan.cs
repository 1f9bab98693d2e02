namespace Concord.Core.Sync.Planning;

/// <summary>
/// A plan is data (S9): every line with its action and field changes, whether it came from a full
/// comparison or from the changes since the cursors, and the cursors to store once it is applied.
/// </summary>
public sealed class Plan
{
    public required bool Full { get; init; }
    public required string OperationalCursor { get; init; }
    public required string AccountingCursor { get; init; }
    public List<PlanLine> Lines { get; } = [];

    /// <summary>How many records were read from each side to make the plan (S13: few when incremental).</summary>
    public long OperationalRead { get; set; }
    public long AccountingRead { get; set; }

    /// <summary>Records an earlier full run proposed or found ambiguous, still waiting for a person (side, code, reason).</summary>
    public List<(string Side, string Code, string Reason)> Waiting { get; } = [];

    /// <summary>Time spent reading both sides and matching them by exact keys (benchmarks report it on its own).</summary>
    public TimeSpan MatchTime { get; set; }

    /// <summary>Time spent on name and postcode proposals (benchmarks report it on its own).</summary>
    public TimeSpan ProposalTime { get; set; }
}
