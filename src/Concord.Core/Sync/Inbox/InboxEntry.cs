namespace Concord.Core.Sync.Inbox;

/// <summary>
/// A record waiting for a person (S17): held by the review priority, or refused by the target.
/// It stays until resolved (take accounting / take operational, applied by the next run) or until
/// the record syncs cleanly.
/// </summary>
public sealed record InboxEntry(
    long Id, string Record, string? OperationalCode, string? AccountingCode, string Kind, string? Field, string Reason,
    string? OperationalValues, string? AccountingValues, string CreatedAt, string? Take, string? ResolvedBy);
