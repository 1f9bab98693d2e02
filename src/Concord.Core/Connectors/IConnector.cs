namespace Concord.Core.Connectors;

/// <summary>What a side can do beyond reading and finding; the engine checks each one before it plans with it.</summary>
[Flags]
public enum ConnectorCapabilities
{
    None = 0,

    /// <summary>New records can be written (otherwise a record only on the other side stays one-sided).</summary>
    Create = 1,

    /// <summary>Existing records can be changed (otherwise differences towards this side are shown, not written).</summary>
    Update = 2,

    /// <summary>Changes can be read since a cursor (otherwise every run compares both sides in full).</summary>
    ChangeCursor = 4,

    /// <summary>The side holds suppliers too, as records of relation "supplier" (S15).</summary>
    Suppliers = 8,

    /// <summary>The side follows a connection's field map (S8): synced fields to other fields of its own, custom fields, conditions.</summary>
    FieldMap = 16,
}

/// <summary>
/// One side of a sync: the operational customers, or an accounting system (the embedded ledger,
/// Tryton, GnuCash, a file). The engine only talks to this contract: read all, read changes since
/// a cursor, find by codes or VAT numbers, create and update in batches. Every call may cross a
/// network, so every call is async and can be cancelled; look-ups take a batch of keys, so a run
/// costs one round trip per batch, not per record. Records travel as <see cref="SyncRecord"/>s
/// keyed by the side's own code, with the fields of <see cref="SyncFields"/> as canonical text.
/// </summary>
public interface IConnector : IDisposable
{
    /// <summary>"operational", "ledger", "tryton", …: for messages and the journal.</summary>
    string Kind { get; }

    ConnectorCapabilities Capabilities { get; }

    /// <summary>The company as the system names it; a run must be confirmed with it (S1).</summary>
    Task<string> CompanyNameAsync(CancellationToken cancellation);

    /// <summary>Every record, active or not, streaming, in the side's own order: the engine indexes what it needs.</summary>
    IAsyncEnumerable<SyncRecord> ReadAllAsync(CancellationToken cancellation);

    /// <summary>The records changed after <paramref name="cursor"/> (null: the beginning); only with <see cref="ConnectorCapabilities.ChangeCursor"/>.</summary>
    IAsyncEnumerable<SyncRecord> ReadChangesAsync(string? cursor, CancellationToken cancellation);

    /// <summary>A cursor standing for "now" (null without a change cursor); taken before reading, so nothing written during a run is missed.</summary>
    Task<string?> CurrentCursorAsync(CancellationToken cancellation);

    /// <summary>
    /// The cursor to keep after a run that planned from <paramref name="planned"/> and wrote to this
    /// side through this connector: moved past the connector's own writes (agreed with the other
    /// side, so no change to read again, SYNC-NOTES invariant 4) but never past a change anyone else
    /// made. A side that cannot tell its own writes from others' keeps <paramref name="planned"/>.
    /// </summary>
    Task<string> CursorPastOwnWritesAsync(string planned, CancellationToken cancellation) => Task.FromResult(planned);

    /// <summary>The records whose code is one of <paramref name="codes"/> (codes compare as <see cref="Common.Codes.Same"/>): one look-up for a batch.</summary>
    Task<IReadOnlyList<SyncRecord>> FindByCodesAsync(IReadOnlyCollection<string> codes, CancellationToken cancellation);

    /// <summary>The records whose normalised VAT number is one of <paramref name="vats"/>: one look-up for a batch.</summary>
    Task<IReadOnlyList<SyncRecord>> FindByVatsAsync(IReadOnlyCollection<string> vats, CancellationToken cancellation);

    /// <summary>
    /// Creates the records, one outcome per record in their order; one record's refusal does not
    /// stop the others. A side that chooses codes itself says which in <see cref="WriteOutcome.Code"/>.
    /// </summary>
    Task<IReadOnlyList<WriteOutcome>> CreateAsync(IReadOnlyList<SyncRecord> records, CancellationToken cancellation);

    /// <summary>
    /// Which of <paramref name="records"/> the side would refuse to create, found without writing:
    /// one answer per record in their order, the refusal with the field and the reason
    /// <see cref="CreateAsync"/> would give, or null where the side knows of none. A side that checks
    /// nothing before it writes knows of none (the default). The side stays the authority: a run
    /// still sends every record, and a record may yet be refused for a reason not known here.
    /// </summary>
    Task<IReadOnlyList<WriteOutcome?>> WouldRefuseAsync(IReadOnlyList<SyncRecord> records, CancellationToken cancellation) =>
        Task.FromResult<IReadOnlyList<WriteOutcome?>>(new WriteOutcome?[records.Count]);

    /// <summary>Applies field changes to existing records, one outcome per update in their order.</summary>
    Task<IReadOnlyList<WriteOutcome>> UpdateAsync(IReadOnlyList<SyncUpdate> updates, CancellationToken cancellation);

    /// <summary>
    /// Whether the side keeps <paramref name="field"/> at all (a file layout without a country column
    /// does not): a field a side does not keep reads blank there, which is never a change to take
    /// back to the other side, nor a difference to write again and again.
    /// </summary>
    bool Carries(string field) => true;

    /// <summary>
    /// How many records the side takes best in one create or update call (one transaction there);
    /// null: the engine's own batch size (<see cref="Concord.Core.Sync.Running.SyncEngine.BatchFor"/>).
    /// </summary>
    int? WriteBatch => null;

    /// <summary>The side's way of taking operational invoices (O3), or null when it takes none (then they wait, and a preview says why).</summary>
    IInvoiceTarget? Invoices => null;
}

/// <summary>Single-record look-ups over the batch ones, for the few places that have one key.</summary>
public static class ConnectorLookups
{
    /// <summary>
    /// The record of <paramref name="code"/>: the one with that code, else the one record the side
    /// found for it under a code of its own (GnuCash numbers a record itself and finds it by the code
    /// Concord proposed, which settling a lost answer depends on, S19).
    /// </summary>
    public static async Task<SyncRecord?> FindByCodeAsync(this IConnector connector, string code, CancellationToken cancellation)
    {
        var found = await connector.FindByCodesAsync([code], cancellation).ConfigureAwait(false);
        return found.FirstOrDefault(r => Common.Codes.Same(r.Code, code)) ?? (found.Count == 1 ? found[0] : null);
    }

    /// <summary>
    /// The record of each code as <see cref="FindByCodeAsync"/> finds it (null where none), by
    /// <see cref="Common.Codes.Key"/>: the records found under their own code a batch at a time,
    /// the rest one at a time (a record the side numbered itself, found by the code Concord proposed).
    /// </summary>
    public static async Task<Dictionary<string, SyncRecord?>> FindEachAsync(this IConnector connector, IReadOnlyCollection<string> codes, CancellationToken cancellation)
    {
        var found = new Dictionary<string, SyncRecord?>(StringComparer.Ordinal);
        foreach (var batch in codes.Distinct(Common.Codes.Comparer).Chunk(500))
        {
            foreach (var hit in await connector.FindByCodesAsync(batch, cancellation).ConfigureAwait(false))
            {
                found.TryAdd(hit.Key, hit);
            }
        }
        foreach (var code in codes.Where(c => !found.ContainsKey(Common.Codes.Key(c))).ToList())
        {
            found[Common.Codes.Key(code)] = await connector.FindByCodeAsync(code, cancellation).ConfigureAwait(false);
        }
        return found;
    }

    public static Task<IReadOnlyList<SyncRecord>> FindByVatAsync(this IConnector connector, string vat, CancellationToken cancellation) =>
        connector.FindByVatsAsync([vat], cancellation);

    public static bool Can(this IConnector connector, ConnectorCapabilities capability) => connector.Capabilities.HasFlag(capability);
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
