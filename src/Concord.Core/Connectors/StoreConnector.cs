using System.Data.Common;
using System.Globalization;
using Concord.Core.Common;

namespace Concord.Core.Connectors;

/// <summary>
/// The part shared by the two sides that live in a Concord store (operational customers and
/// the embedded ledger): streaming reads with the change cursor, look-ups, and per-record writes
/// through the side's own service so every rule and the audit apply. The store's change
/// sequence is the cursor (S13).
/// </summary>
public abstract class StoreConnector<T>(Session session, RecordTable<T> table, RecordMapping<T> mapping) : IConnector
    where T : class
{
    private ReferenceResolver? _references;

    protected Session Session { get; } = session;

    /// <summary>The reference tables, read once per connector: a run writes many records against the same references.</summary>
    protected ReferenceResolver References => _references ??= ReferenceResolver.Snapshot(Session.Database);

    public abstract string Kind { get; }

    public ConnectorCapabilities Capabilities =>
        ConnectorCapabilities.Read | ConnectorCapabilities.Create | ConnectorCapabilities.Update | ConnectorCapabilities.ChangeCursor | ConnectorCapabilities.FindByVat;

    public abstract string CompanyName();

    /// <summary>The SQL condition for records that can take part at all (e.g. not a model account).</summary>
    protected abstract string Eligible(SyncFilter filter);

    protected abstract SyncRecord ToSync(T record);

    protected abstract bool Passes(T record, SyncFilter filter);

    protected abstract T Add(IReadOnlyDictionary<string, string?> values);

    protected abstract T Edit(string code, IReadOnlyDictionary<string, string?> values);

    public IEnumerable<SyncRecord> ReadAll(SyncFilter filter) => Read(Eligible(filter), filter);

    public IEnumerable<SyncRecord> ReadChanges(string? cursor, SyncFilter filter) =>
        Read($"{Eligible(filter)} AND change_seq > {long.Parse(cursor ?? "0", CultureInfo.InvariantCulture)}", filter);

    public string CurrentCursor()
    {
        using var connection = Open();
        return ChangeCounter.Current(connection).ToString(CultureInfo.InvariantCulture);
    }

    public SyncRecord? FindByCode(string code)
    {
        using var connection = Open();
        return table.Find(connection, null, code) is { } record ? ToSync(record) : null;
    }

    public IReadOnlyList<SyncRecord> FindByVat(string vat)
    {
        using var connection = Open();
        return [.. table.Stream(connection, $"{Eligible(SyncFilter.Everything)} AND vat = @vat", ("vat", vat)).Select(ToSync)];
    }

    public IReadOnlyList<WriteOutcome> Create(IReadOnlyList<SyncRecord> records) =>
        [.. records.Select(r => Write(r.Code, () => Add(WithCode(r))))];

    public IReadOnlyList<WriteOutcome> Update(IReadOnlyList<SyncUpdate> updates) =>
        [.. updates.Select(u => Write(u.Code, () => Edit(u.Code, mapping.ToSide(u.Changes))))];

    public virtual void Dispose()
    {
        GC.SuppressFinalize(this);
    }

    protected DbConnection Open() => Session.Database.OpenConnection();

    protected RecordMapping<T> Mapping => mapping;

    private Dictionary<string, string?> WithCode(SyncRecord record)
    {
        var values = mapping.ToSide(record.ToDictionary().Where(v => v.Value is not null));
        values["code"] = record.Code;
        return values;
    }

    private WriteOutcome Write(string code, Action write)
    {
        try
        {
            write();
            return WriteOutcome.Ok(code);
        }
        catch (UserError refused)
        {
            var first = refused.Errors[0];
            return new WriteOutcome(code, false, first.Field is null ? null : mapping.SyncName(first.Field), first.Reason);
        }
    }

    private IEnumerable<SyncRecord> Read(string where, SyncFilter filter)
    {
        using var connection = Open();
        foreach (var record in table.Stream(connection, where))
        {
            if (Passes(record, filter))
            {
                yield return ToSync(record);
            }
        }
    }
}
