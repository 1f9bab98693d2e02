namespace Concord.Core.Sync.Running;

/// <summary>
/// What a person chose for one run (S7, S9, S10): the confirmed company, the lines to apply
/// (--only), to leave for next time (--skip, "not this time"), to never sync again (--never),
/// and whether to compare everything instead of reading changes.
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

    /// <summary>Told how far the apply has come, batch by batch (for a progress line on long runs).</summary>
    public Action<string>? Progress { get; init; }

}
