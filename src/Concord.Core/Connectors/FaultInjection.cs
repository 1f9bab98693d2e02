using System.Globalization;

namespace Concord.Core.Connectors;

/// <summary>
/// Fault injection for resilience tests (S19), switched on only by the environment variable
/// CONCORD_FAULT: "lost-answer:N" lets the N-th create of a process really happen and then loses
/// its answer, as a time-out after sending would; "no-answer:N" times out before the N-th create
/// reaches the target; "slow:MS" makes every batch of writes take MS milliseconds longer, as a
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

    public string CompanyName() => inner.CompanyName();

    public IEnumerable<SyncRecord> ReadAll(SyncFilter filter) => inner.ReadAll(filter);

    public IEnumerable<SyncRecord> ReadChanges(string? cursor, SyncFilter filter) => inner.ReadChanges(cursor, filter);

    public string CurrentCursor() => inner.CurrentCursor();

    public string CursorPastOwnWrites(string planned) => inner.CursorPastOwnWrites(planned);

    public SyncRecord? FindByCode(string code) => inner.FindByCode(code);

    public IReadOnlyList<SyncRecord> FindByVat(string vat) => inner.FindByVat(vat);

    public IReadOnlySet<string> ExistingCodes(IReadOnlyCollection<string> codes) => inner.ExistingCodes(codes);

    public IReadOnlyList<WriteOutcome> Create(IReadOnlyList<SyncRecord> records)
    {
        if (_kind == "slow")
        {
            Thread.Sleep(_at);
            return inner.Create(records);
        }
        _creates += records.Count;
        if (_creates < _at || _creates - records.Count >= _at)
        {
            return inner.Create(records);
        }
        if (_kind == "lost-answer")
        {
            inner.Create(records);
        }
        throw new UncertainWriteException($"no answer from {inner.Kind} within the time-out (injected {_kind} at create {_at})");
    }

    public IReadOnlyList<WriteOutcome> Update(IReadOnlyList<SyncUpdate> updates)
    {
        if (_kind == "slow")
        {
            Thread.Sleep(_at);
        }
        return inner.Update(updates);
    }

    public void Dispose() => inner.Dispose();
}
