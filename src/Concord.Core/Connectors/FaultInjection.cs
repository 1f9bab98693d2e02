using System.Globalization;

namespace Concord.Core.Connectors;

/// <summary>
/// Fault injection for resilience tests (S19), switched on only by the environment variable
/// CONCORD_FAULT: "lost-answer:N" lets the N-th create of a process (or invoice posting: they count
/// together) really happen and then loses its answer, as a time-out after sending would;
/// "no-answer:N" times out before the N-th one reaches the target; "slow:MS" makes every batch of writes take MS milliseconds longer, as a
/// distant system would (so that a test can stop or race a run mid-apply). The connector
/// underneath is the real one; only the answer is lost or late.
/// Compiled in only by the test command's build (TEST_HOOKS): in any other build the variable does nothing.
/// </summary>
public sealed class FaultInjection(IConnector inner, string fault) : IConnector
{
    public const string Variable = "CONCORD_FAULT";

    private readonly string _kind = fault.Split(':')[0];
    private readonly int _at = int.Parse(fault.Split(':')[1], CultureInfo.InvariantCulture);
    private int _creates;

#if TEST_HOOKS
    /// <summary>Whether this build honours <see cref="Variable"/>.</summary>
    public const bool Available = true;

    public static IConnector Wrap(IConnector connector) =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } fault ? new FaultInjection(connector, fault) : connector;
#else
    /// <summary>Whether this build honours <see cref="Variable"/>.</summary>
    public const bool Available = false;

    public static IConnector Wrap(IConnector connector) => connector;
#endif

    public string Kind => inner.Kind;

    public ConnectorCapabilities Capabilities => inner.Capabilities;

    /// <summary>The side's invoice postings under the same fault: they count with the creates (the N-th write).</summary>
    public IInvoiceTarget? Invoices => inner.Invoices is { } target ? new FaultyInvoices(this, target) : null;

    private sealed class FaultyInvoices(FaultInjection fault, IInvoiceTarget inner) : IInvoiceTarget
    {
        public Task<IReadOnlyDictionary<string, Ledger.LedgerTransaction>> PostedAsync(IReadOnlyCollection<string> sources, CancellationToken cancellation) => inner.PostedAsync(sources, cancellation);

        public Task<IReadOnlyList<Common.UserError?>> WouldRefuseAsync(IReadOnlyList<(string Record, Ledger.Posting Posting)> postings, CancellationToken cancellation) =>
            inner.WouldRefuseAsync(postings, cancellation);

        public Task<IReadOnlyList<Ledger.PostingOutcome>> PostAsync(IReadOnlyList<(string Record, Ledger.Posting Posting)> postings, CancellationToken cancellation) =>
            fault.WriteAsync(postings.Count, "posting", () => inner.PostAsync(postings, cancellation));
    }

    /// <summary>A batch of <paramref name="count"/> writes under the fault: slowed, or the one holding the N-th write loses its answer (after or before it happens).</summary>
    private async Task<T> WriteAsync<T>(int count, string what, Func<Task<T>> write)
    {
        if (_kind == "slow")
        {
            await Task.Delay(_at, CancellationToken.None).ConfigureAwait(false);
            return await write().ConfigureAwait(false);
        }
        _creates += count;
        if (_creates < _at || _creates - count >= _at)
        {
            return await write().ConfigureAwait(false);
        }
        if (_kind == "lost-answer")
        {
            await write().ConfigureAwait(false);
        }
        throw new UncertainWriteException($"no answer from {inner.Kind} within the time-out (injected {_kind} at {what} {_at})");
    }

    public Task<string> CompanyNameAsync(CancellationToken cancellation) => inner.CompanyNameAsync(cancellation);

    public IAsyncEnumerable<SyncRecord> ReadAllAsync(CancellationToken cancellation) => inner.ReadAllAsync(cancellation);

    public IAsyncEnumerable<SyncRecord> ReadChangesAsync(string? cursor, CancellationToken cancellation) => inner.ReadChangesAsync(cursor, cancellation);

    public Task<string?> CurrentCursorAsync(CancellationToken cancellation) => inner.CurrentCursorAsync(cancellation);

    public Task<string> CursorPastOwnWritesAsync(string planned, CancellationToken cancellation) => inner.CursorPastOwnWritesAsync(planned, cancellation);

    public Task<IReadOnlyList<SyncRecord>> FindByCodesAsync(IReadOnlyCollection<string> codes, CancellationToken cancellation) => inner.FindByCodesAsync(codes, cancellation);

    public Task<IReadOnlyList<SyncRecord>> FindByVatsAsync(IReadOnlyCollection<string> vats, CancellationToken cancellation) => inner.FindByVatsAsync(vats, cancellation);

    public Task<IReadOnlyList<WriteOutcome>> CreateAsync(IReadOnlyList<SyncRecord> records, CancellationToken cancellation) =>
        WriteAsync(records.Count, "create", () => inner.CreateAsync(records, cancellation));

    public async Task<IReadOnlyList<WriteOutcome>> UpdateAsync(IReadOnlyList<SyncUpdate> updates, CancellationToken cancellation)
    {
        if (_kind == "slow")
        {
            await Task.Delay(_at, CancellationToken.None).ConfigureAwait(false);
        }
        return await inner.UpdateAsync(updates, cancellation).ConfigureAwait(false);
    }

    public Task<IReadOnlyList<WriteOutcome?>> WouldRefuseAsync(IReadOnlyList<SyncRecord> records, CancellationToken cancellation) => inner.WouldRefuseAsync(records, cancellation);

    public bool Carries(string field) => inner.Carries(field);

    public void Dispose() => inner.Dispose();
}
