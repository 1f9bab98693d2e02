using System.Data.Common;
using System.Globalization;
using Concord.Core.Common;

namespace Concord.Core.Connectors;

/// <summary>
/// The part shared by the two sides that live in a Concord store (operational customers and
/// the embedded ledger): streaming reads with the change cursor, look-ups, and per-record writes
/// through the side's own service so every rule and the audit apply. The store's change
/// sequence is the cursor (S13); the numbers this connector's own writes took are remembered, so a
/// run's cursor moves past them (<see cref="CursorPastOwnWrites"/>).
/// </summary>
public abstract class StoreConnector<T>(Session session, RecordTable<T> table, RecordMapping<T> mapping) : IConnector
    where T : class
{
    private ReferenceResolver? _references;
    private DbConnection? _reader;
    private IReadOnlyList<Field<T>>? _readFields;

    /// <summary>
    /// The change numbers of this connector's committed write transactions, ascending: each (after, upTo]
    /// is all its own. Back-to-back transactions share one range (a run of one-record updates stays one entry).
    /// </summary>
    private readonly List<(long After, long UpTo)> _ownWrites = [];

    protected Session Session { get; } = session;

    /// <summary>The reference tables, read once per connector: a run writes many records against the same references.</summary>
    protected ReferenceResolver References => _references ??= ReferenceResolver.Snapshot(Session.Database);

    public abstract string Kind { get; }

    public virtual ConnectorCapabilities Capabilities =>
        ConnectorCapabilities.Create | ConnectorCapabilities.Update | ConnectorCapabilities.ChangeCursor;

    public abstract string CompanyName();

    /// <summary>Whether the side takes operational invoices (O3): the ledger does, the operational side does not.</summary>
    public virtual IInvoiceTarget? Invoices => null;

    public Task<string> CompanyNameAsync(CancellationToken cancellation) => Task.FromResult(CompanyName());

    /// <summary>The SQL condition for records that can take part at all (e.g. not a model account).</summary>
    protected abstract string Eligible(SyncFilter filter);

    protected abstract SyncRecord ToSync(T record);

    /// <summary>The fields besides the synced ones that a read brings (type, active or dormant, relation, change time).</summary>
    protected abstract string[] ExtraFields { get; }

    /// <summary>The sync record of a row read with <see cref="ExtraFields"/>, whose values start at column <paramref name="at"/>.</summary>
    protected abstract SyncRecord FromRow(string code, string?[] values, DbDataReader reader, int at);

    /// <summary>Adds records within <paramref name="within"/> (one batch): each added, or refused alone with its error.</summary>
    protected abstract IReadOnlyList<(T? Record, UserError? Refused)> AddMany(IReadOnlyList<IReadOnlyDictionary<string, string?>> values, (DbConnection, DbTransaction) within);

    /// <summary>What <see cref="AddMany"/> would refuse of these values, each with its error, writing nothing.</summary>
    protected abstract IReadOnlyList<UserError?> Refusals(IReadOnlyList<IReadOnlyDictionary<string, string?>> values);

    protected abstract T Edit(string code, IReadOnlyDictionary<string, string?> values, (DbConnection, DbTransaction)? within);

    public IAsyncEnumerable<SyncRecord> ReadAllAsync(CancellationToken cancellation) =>
        Read(Eligible(SyncFilter.Everything), "id", cancellation);

    public IAsyncEnumerable<SyncRecord> ReadChangesAsync(string? cursor, CancellationToken cancellation) =>
        Read($"{Eligible(SyncFilter.Everything)} AND change_seq > {long.Parse(cursor ?? "0", CultureInfo.InvariantCulture)}", "change_seq", cancellation);

    public Task<string?> CurrentCursorAsync(CancellationToken cancellation) =>
        Task.FromResult<string?>(ChangeCounter.Current(Reader).ToString(CultureInfo.InvariantCulture));

    public Task<string> CursorPastOwnWritesAsync(string planned, CancellationToken cancellation) => Task.FromResult(CursorPastOwnWrites(planned));

    /// <summary>
    /// Walks this connector's own number ranges above <paramref name="planned"/> in order; the gaps
    /// between them hold others' writes (to any journaled table, or to records that do not take
    /// part). The first record of this side found in a gap stops the cursor just before it. One
    /// indexed look-up per write transaction of the run, whatever the size of the table.
    /// </summary>
    private string CursorPastOwnWrites(string planned)
    {
        var cursor = long.Parse(planned, CultureInfo.InvariantCulture);
        foreach (var (after, upTo) in _ownWrites)
        {
            if (upTo <= cursor)
            {
                continue;
            }
            if (after > cursor)
            {
                var other = Sql.Scalar<long>(Reader, null,
                    $"SELECT COALESCE(MIN(change_seq), 0) FROM {table.Schema.Table} WHERE change_seq > @from AND change_seq <= @to AND {Eligible(SyncFilter.Everything)}",
                    ("from", cursor), ("to", after));
                if (other > 0)
                {
                    return (other - 1).ToString(CultureInfo.InvariantCulture);
                }
            }
            cursor = upTo;
        }
        return cursor.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// Runs <paramref name="write"/> in a transaction of its own that holds the change counter from
    /// its start, so the numbers it takes are known to be this connector's; remembered once committed.
    /// </summary>
    private TResult Writing<TResult>(Func<(DbConnection, DbTransaction), TResult> write)
    {
        using var connection = Open();
        using var transaction = connection.BeginTransaction();
        var before = ChangeCounter.Hold(connection, transaction);
        var result = write((connection, transaction));
        var after = ChangeCounter.Current(connection, transaction);
        transaction.Commit();
        if (after > before)
        {
            if (_ownWrites.Count > 0 && _ownWrites[^1].UpTo == before)
            {
                _ownWrites[^1] = (_ownWrites[^1].After, after);
            }
            else
            {
                _ownWrites.Add((before, after));
            }
        }
        return result;
    }

    public Task<IReadOnlyList<SyncRecord>> FindByCodesAsync(IReadOnlyCollection<string> codes, CancellationToken cancellation) =>
        Task.FromResult(WhereIn("code_key", codes.Select(Codes.Key), "", cancellation));

    public Task<IReadOnlyList<SyncRecord>> FindByVatsAsync(IReadOnlyCollection<string> vats, CancellationToken cancellation) =>
        Task.FromResult(WhereIn("vat", vats, Eligible(SyncFilter.Everything) + " AND ", cancellation));

    /// <summary>The records whose <paramref name="column"/> is one of <paramref name="values"/>: a query per 200 values.</summary>
    private IReadOnlyList<SyncRecord> WhereIn(string column, IEnumerable<string> values, string condition, CancellationToken cancellation)
    {
        var found = new List<SyncRecord>();
        foreach (var chunk in values.Distinct(StringComparer.Ordinal).Chunk(200))
        {
            cancellation.ThrowIfCancellationRequested();
            found.AddRange(table.Stream(Reader, $"{condition}{column} IN ({string.Join(", ", chunk.Select((_, i) => "@v" + i))})",
                [.. chunk.Select((value, i) => ("v" + i, (object?)value))]).Select(ToSync));
        }
        return found;
    }

    /// <summary>
    /// Creates the records in one transaction by the side's bulk path, every rule checked per record;
    /// should the store itself fail mid-batch, the batch is rolled back and written record by record,
    /// so one record's failure stays one record's failure.
    /// </summary>
    public Task<IReadOnlyList<WriteOutcome>> CreateAsync(IReadOnlyList<SyncRecord> records, CancellationToken cancellation) =>
        Task.FromResult(Create(records));

    /// <summary>The refusals <see cref="CreateAsync"/> would give, found by the side's own rules without writing.</summary>
    public Task<IReadOnlyList<WriteOutcome?>> WouldRefuseAsync(IReadOnlyList<SyncRecord> records, CancellationToken cancellation)
    {
        var refusals = Refusals([.. records.Select(WithCode)]);
        return Task.FromResult<IReadOnlyList<WriteOutcome?>>([.. records.Select((record, i) => refusals[i] is { } refused ? Refusal(record.Code, refused) : null)]);
    }

    public Task<IReadOnlyList<WriteOutcome>> UpdateAsync(IReadOnlyList<SyncUpdate> updates, CancellationToken cancellation) =>
        Task.FromResult<IReadOnlyList<WriteOutcome>>(Update(updates));

    private IReadOnlyList<WriteOutcome> Create(IReadOnlyList<SyncRecord> records)
    {
        if (records.Count > 1)
        {
            try
            {
                return AddInTransaction(records);
            }
            catch (DbException)
            {
                // fall through: one transaction per record isolates the record the store refuses
            }
        }
        return [.. records.SelectMany(record => AddInTransaction([record]))];
    }

    private List<WriteOutcome> AddInTransaction(IReadOnlyList<SyncRecord> records)
    {
        var values = records.Select(WithCode).ToList();
        var added = Writing(within => AddMany(values, within));
        return [.. records.Select((record, i) => added[i] is ({ } stored, _)
            ? WriteOutcome.Ok(record.Code) with { Stored = ToSync(stored) }
            : Refusal(record.Code, added[i].Refused!))];
    }

    /// <summary>
    /// Writes the updates in the order of their keys, as a ledger posting batch locks its accounts:
    /// a sync and postings at once never wait on each other crosswise. The outcomes come back in the
    /// order of <paramref name="updates"/>.
    /// </summary>
    private List<WriteOutcome> Update(IReadOnlyList<SyncUpdate> updates)
    {
        var order = Enumerable.Range(0, updates.Count).OrderBy(i => Codes.Key(updates[i].Code), StringComparer.Ordinal).ToArray();
        var written = Batch([.. order.Select(i => updates[i])], (u, within) => Write(u.Code, () => Edit(u.Code, mapping.ToSide(u.Changes), within)));
        var outcomes = new WriteOutcome[updates.Count];
        for (var k = 0; k < order.Length; k++)
        {
            outcomes[order[k]] = written[k];
        }
        return [.. outcomes];
    }

    /// <summary>Writes a batch of updates in one transaction, as <see cref="Create"/> does.</summary>
    private List<WriteOutcome> Batch<TItem>(IReadOnlyList<TItem> items, Func<TItem, (DbConnection, DbTransaction)?, WriteOutcome> write)
    {
        if (items.Count > 1)
        {
            try
            {
                return Writing(within => items.Select(item => write(item, within)).ToList());
            }
            catch (DbException)
            {
                // fall through: one transaction per record isolates the record the store refuses
            }
        }
        return [.. items.Select(item => Writing(within => write(item, within)))];
    }

    public virtual void Dispose()
    {
        _reader?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>One connection for the point look-ups of a run (autocommit: each sees what is committed).</summary>
    private DbConnection Reader => _reader ??= Open();

    protected DbConnection Open() => Session.Database.OpenConnection();

    protected RecordMapping<T> Mapping => mapping;

    private Dictionary<string, string?> WithCode(SyncRecord record)
    {
        var values = mapping.ToSide(record);
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
            return Refusal(code, refused);
        }
    }

    private WriteOutcome Refusal(string code, UserError refused)
    {
        var first = refused.Errors[0];
        return new WriteOutcome(code, false, first.Field is null ? null : mapping.SyncName(first.Field), first.Reason);
    }

    private async IAsyncEnumerable<SyncRecord> Read(string where, string order, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellation)
    {
        await Task.Yield();
        var fields = _readFields ??= mapping.ReadFields(ExtraFields);
        using var connection = Open();
        using var command = Sql.Command(connection, null,
            $"SELECT {string.Join(", ", fields.Select(f => f.Column))} FROM {table.Schema.Table} WHERE {where} ORDER BY {order}");
        using var reader = command.ExecuteReader();
        var extrasAt = fields.Count - ExtraFields.Length;
        while (reader.Read())
        {
            var (code, values) = mapping.ReadValues(reader);
            cancellation.ThrowIfCancellationRequested();
            yield return FromRow(code, values, reader, extrasAt);
        }
    }

    /// <summary>Extra field <paramref name="at"/> of a row read by <see cref="Read"/>, through the field's own conversion from the store.</summary>
    protected TValue Extra<TValue>(DbDataReader reader, int at) => (TValue)_readFields![at].FromStore(reader.GetValue(at))!;
}
