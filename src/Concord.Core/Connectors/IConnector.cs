namespace Concord.Core.Connectors;

/// <summary>What a side of a sync can do; the engine plans only what the side supports.</summary>
[Flags]
public enum ConnectorCapabilities
{
    None = 0,
    Read = 1,
    Create = 2,
    Update = 4,
    ChangeCursor = 8,
    FindByVat = 16,
}

/// <summary>
/// One side of a sync: the operational customers, or an accounting system (the embedded ledger,
/// Tryton, GnuCash, a file). The engine only talks to this contract: read all, read changes since
/// a cursor, find by code or VAT number, create and update in batches.
/// Records travel as <see cref="SyncRecord"/>s keyed by the side's own code, with the fields of
/// <see cref="SyncFields"/> as canonical text.
/// </summary>
public interface IConnector : IDisposable
{
    /// <summary>"operational", "ledger", "tryton", …: for messages and the journal.</summary>
    string Kind { get; }

    ConnectorCapabilities Capabilities { get; }

    /// <summary>The company as the system names it; a run must be confirmed with it (S1).</summary>
    string CompanyName();

    /// <summary>
    /// Every record the filter lets through, streaming, those with a VAT number in ordinal order of
    /// it (records without one anywhere): a full sync walks both sides side by side by VAT number.
    /// </summary>
    IEnumerable<SyncRecord> ReadAll(SyncFilter filter);

    /// <summary>The records changed after <paramref name="cursor"/> (null: the beginning) that the filter lets through.</summary>
    IEnumerable<SyncRecord> ReadChanges(string? cursor, SyncFilter filter);

    /// <summary>A cursor standing for "now"; taken before reading, so nothing written during a run is missed.</summary>
    string CurrentCursor();

    /// <summary>
    /// The cursor to keep after a run that planned from <paramref name="planned"/> and wrote to this
    /// side through this connector: moved past the connector's own writes (agreed with the other
    /// side, so no change to read again, SYNC-NOTES invariant 4) but never past a change anyone else
    /// made. A side that cannot tell its own writes from others' keeps <paramref name="planned"/>.
    /// </summary>
    string CursorPastOwnWrites(string planned) => planned;

    SyncRecord? FindByCode(string code);

    IReadOnlyList<SyncRecord> FindByVat(string vat);

    /// <summary>The keys (<see cref="Common.Codes.Key"/>) of those of <paramref name="codes"/> the side already uses: one look-up for a batch.</summary>
    IReadOnlySet<string> ExistingCodes(IReadOnlyCollection<string> codes);

    /// <summary>Creates the records; one record's rejection does not stop the others.</summary>
    IReadOnlyList<WriteOutcome> Create(IReadOnlyList<SyncRecord> records);

    /// <summary>Applies field changes to existing records.</summary>
    IReadOnlyList<WriteOutcome> Update(IReadOnlyList<SyncUpdate> updates);
}

/// <summary>Which records take part in a sync (S6, O5).</summary>
public sealed record SyncFilter(IReadOnlyList<string> IncludeTypes, bool IncludeInactive, IReadOnlyList<string> Relations)
{
    public static readonly SyncFilter Everything = new([], true, ["customer", "prospect", "supplier"]);

    /// <summary>Whether the record moves in this sync. Records left out are still matched, so none is ever duplicated.</summary>
    public bool Includes(SyncRecord record) =>
        (IncludeInactive || record.Active)
        && Relations.Contains(record.Relation)
        && (IncludeTypes.Count == 0 || IncludeTypes.Any(t => Common.Codes.Same(t, record.Type)));
}

/// <summary>Field changes for one existing record.</summary>
public sealed record SyncUpdate(string Code, IReadOnlyDictionary<string, string?> Changes);

/// <summary>
/// What happened to one record of a batch: written, or refused with the field and the reason.
/// A side that knows what it stored (defaults filled in, values normalised) says so in
/// <see cref="Stored"/>; otherwise the engine reads the record back.
/// </summary>
public sealed record WriteOutcome(string Code, bool Written, string? Field = null, string? Reason = null)
{
    public SyncRecord? Stored { get; init; }

    public static WriteOutcome Ok(string code) => new(code, true);
}

/// <summary>
/// The other system cannot be reached or refuses us (S14). The message says what happened and
/// the remedy what to do; no secret is ever part of either.
/// </summary>
public sealed class ConnectorUnavailableException(string message, string remedy, Exception? inner = null) : Exception(message, inner)
{
    public string Remedy { get; } = remedy;
}

/// <summary>A write was sent but its answer never came (time-out): it may or may not have happened (S19).</summary>
public sealed class UncertainWriteException(string message, Exception? inner = null) : Exception(message, inner);
