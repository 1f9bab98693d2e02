namespace Concord.Core.Sync.Correspondence;

/// <summary>How a pair of records is treated (S7): synced, never synced, or confirmed as new (a proposal rejected).</summary>
public enum LinkOption
{
    Normal,
    Never,
    New,
}

/// <summary>
/// One row of the correspondence table: this operational customer is that accounting customer
/// (either side may be absent for a never-sync or confirmed-new record), and the state both sides
/// last agreed on — the base of the three-way merge (S4).
/// </summary>
public sealed record Link(long Id, string? OperationalCode, string? AccountingCode, LinkOption Option, string?[]? Base, string LinkedBy, string? SyncedAt);
