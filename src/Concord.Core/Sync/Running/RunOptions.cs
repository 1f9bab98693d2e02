using Concord.Core.Common;

namespace Concord.Core.Sync.Running;

/// <summary>
/// What a person chose for one run (S7, S9, S10): the confirmed company, the lines to apply
/// (--only), to leave for next time (--skip, "not this time"), to never sync again (--never),
/// whether to compare everything instead of reading changes, how long to wait for a run that
/// holds the connection, and what stops the run early.
/// </summary>
public sealed record RunOptions
{
    public string? Company { get; init; }
    public IReadOnlyList<string> Only { get; init; } = [];
    public IReadOnlyList<string> Skip { get; init; } = [];
    public IReadOnlyList<string> Never { get; init; } = [];
    public bool Full { get; init; }

    /// <summary>manual (sync run), post (O4), schedule (S12).</summary>
    public string Mode { get; init; } = "manual";

    /// <summary>How long to wait for another run of the connection to end (zero: refuse at once, naming it).</summary>
    public TimeSpan Wait { get; init; }

    /// <summary>Stops the run between batches (Ctrl+C, SIGTERM, `serve` stopping); the run is then recorded as interrupted.</summary>
    public CancellationToken Cancellation { get; init; }

    /// <summary>Why <see cref="Cancellation"/> fired, for the run history ("SIGTERM", …); asked only once it has.</summary>
    public Func<string>? CancellationReason { get; init; }

    /// <summary>Told how far the apply has come, batch by batch (lines applied of lines to apply).</summary>
    public IProgress<ProgressStep>? Progress { get; init; }
}
