using System.Runtime.CompilerServices;
using System.Text.Json;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Connections;
using Microsoft.Data.Sqlite;

namespace Concord.Connectors.GnuCash;

/// <summary>
/// A GnuCash book in SQLite format as the accounting side of a sync (X3): its customers, and its
/// vendors as suppliers (S15). New records take their ids from the book's counters, as GnuCash's
/// own dialogs do. GnuCash numbers customers and vendors each from 000001, so a vendor's code in
/// Concord is its id behind "V-" (vendor 000001 is V-000001): one code, one record. GnuCash
/// records carry no modification time, so there is no change cursor: every run reads the book in
/// full (a book holds what GnuCash itself keeps in memory, so this is cheap). Follows the
/// connection's field map (S8, <see cref="GnuCashFields"/>); a map GnuCash cannot follow is refused here.
/// </summary>
public sealed class GnuCashConnector(GnuCashBook book, string? currency, FieldMap? map = null) : IConnector
{
    private readonly GnuCashFields _fields = new(map ?? FieldMap.Standard);
    private readonly GnuCashKeys _keys = new();

    private const int Page = 1000;
    private const string CompanySlot = "options/Business/Company Name";

    public string Kind => "gnucash";

    /// <summary>
    /// A batch is one transaction on one file: larger batches spare a journaled commit each, and
    /// 5,000 rows hold the book for about a fifth of a second (docs/BENCHMARKS.md).
    /// </summary>
    public int? WriteBatch => 5000;

    public ConnectorCapabilities Capabilities => ConnectorCapabilities.Create | ConnectorCapabilities.Update | ConnectorCapabilities.Suppliers | ConnectorCapabilities.FieldMap;

    /// <summary>The book's company name (File ▸ Properties ▸ Business), else the file's name without extension (S1).</summary>
    public Task<string> CompanyNameAsync(CancellationToken cancellation) =>
        book.ReadAsync(async (connection, transaction) =>
            await GnuCashBook.Command(connection, transaction, "SELECT string_val FROM slots WHERE name = @name AND slot_type = 4", ("@name", CompanySlot))
                .ExecuteScalarAsync(cancellation) is string { Length: > 0 } name
                ? name
                : Path.GetFileNameWithoutExtension(book.Path), cancellation);

    /// <summary>Customers, then vendors, each in the order of the file, a page per short read transaction.</summary>
    public async IAsyncEnumerable<SyncRecord> ReadAllAsync([EnumeratorCancellation] CancellationToken cancellation)
    {
        foreach (var party in Party.Both)
        {
            for (long after = 0; ;)
            {
                var page = await book.ReadAsync((connection, transaction) => RowsAsync(connection, transaction,
                    party.Select("t.rowid > @after") + " ORDER BY t.rowid LIMIT @page", cancellation, ("@after", after), ("@page", Page)), cancellation);
                foreach (var (rowid, row) in page)
                {
                    yield return _fields.ToSync(row);
                    after = rowid;
                }
                if (page.Count < Page)
                {
                    break;
                }
            }
        }
    }

    /// <summary>Without a change cursor the engine plans every run in full; asked anyway, everything counts as changed.</summary>
    public IAsyncEnumerable<SyncRecord> ReadChangesAsync(string? cursor, CancellationToken cancellation) => ReadAllAsync(cancellation);

    public Task<string?> CurrentCursorAsync(CancellationToken cancellation) => Task.FromResult<string?>(null);

    /// <summary>
    /// Customers and vendors by code, or by the code Concord proposed when it created them (the
    /// book numbered them itself), so a create whose answer was lost is found again (S19). The
    /// codes are looked up in <see cref="GnuCashKeys"/>, the records then read by GUID.
    /// </summary>
    public Task<IReadOnlyList<SyncRecord>> FindByCodesAsync(IReadOnlyCollection<string> codes, CancellationToken cancellation) =>
        book.ReadAsync<IReadOnlyList<SyncRecord>>(async (connection, transaction) =>
            [.. (await ByCodesAsync(connection, transaction, codes, cancellation)).Select(r => _fields.ToSync(r))], cancellation);

    private async Task<List<Row>> ByCodesAsync(SqliteConnection connection, SqliteTransaction transaction, IEnumerable<string> codes, CancellationToken cancellation)
    {
        await _keys.RefreshAsync(connection, transaction, cancellation);
        var guids = _keys.Guids(codes);
        return guids.Count == 0 ? [] : [.. (await RowsAsync(connection, transaction, Both(_ => "t.guid IN (SELECT value FROM json_each(@keys))"), cancellation,
            ("@keys", JsonSerializer.Serialize(guids)))).Select(r => r.Row)];
    }

    public Task<IReadOnlyList<SyncRecord>> FindByVatsAsync(IReadOnlyCollection<string> vats, CancellationToken cancellation) =>
        book.ReadAsync<IReadOnlyList<SyncRecord>>(async (connection, transaction) =>
            [.. (await RowsAsync(connection, transaction,
                Both(_ => $"t.guid IN (SELECT obj_guid FROM slots WHERE name = '{Row.VatSlot}' AND string_val IN (SELECT value FROM json_each(@keys)))"),
                cancellation, ("@keys", JsonSerializer.Serialize(vats)))).Select(r => _fields.ToSync(r.Row))],
            cancellation);

    /// <summary>A write through the book; after a failure the keys are read again, whatever the write got to.</summary>
    private async Task<T> WriteAsync<T>(Func<SqliteConnection, SqliteTransaction, Task<T>> write, CancellationToken cancellation)
    {
        try
        {
            return await book.WriteAsync(async (connection, transaction) =>
            {
                await _keys.RefreshAsync(connection, transaction, cancellation);
                return await write(connection, transaction);
            }, cancellation);
        }
        catch
        {
            _keys.Forget();
            throw;
        }
    }

    /// <summary>
    /// Creates the records in one transaction: each takes the next id of its table's counter and
    /// the currency of the connection or the book; the code Concord proposed is kept in a slot.
    /// The rows are made and checked first, then written one after another without awaiting
    /// (SQLite answers in-process): a batch is thousands of rows.
    /// </summary>
    public Task<IReadOnlyList<WriteOutcome>> CreateAsync(IReadOnlyList<SyncRecord> records, CancellationToken cancellation) =>
        records.Count == 0 ? Task.FromResult<IReadOnlyList<WriteOutcome>>([]) : WriteAsync<IReadOnlyList<WriteOutcome>>(async (connection, transaction) =>
        {
            var made = records.Select(NewRow).ToList();
            var commodity = await CurrencyAsync(connection, transaction, cancellation);
            var counters = new Dictionary<Party, GnuCashBook.Counter>();
            foreach (var party in made.Where(m => m.Row is not null).Select(m => m.Row!.Party).Distinct())
            {
                counters[party] = await GnuCashBook.CounterAsync(connection, transaction, party.Counter, _keys.IdsInUse(party), _keys.CounterFormat(party.Counter), cancellation);
            }
            var outcomes = new List<WriteOutcome>(records.Count);
            using (var writer = new RowWriter(connection, transaction, _fields))
            {
                for (var i = 0; i < records.Count; i++)
                {
                    cancellation.ThrowIfCancellationRequested();
                    var (row, field, reason) = made[i];
                    if (row is null)
                    {
                        outcomes.Add(new WriteOutcome(records[i].Code, false, field, reason));
                        continue;
                    }
                    row.Id = counters[row.Party].Next();
                    writer.Insert(row, commodity, records[i].Code);
                    _keys.Created(row, records[i].Code);
                    var stored = _fields.ToSync(row);
                    outcomes.Add(new WriteOutcome(stored.Code, true) { Stored = stored });
                }
            }
            foreach (var counter in counters.Values)
            {
                await counter.SaveAsync(connection, transaction, cancellation);
            }
            return outcomes;
        }, cancellation);

    /// <summary>What <see cref="CreateAsync"/> would refuse, by the same checks of each field (widths, no name, a credit limit), reading nothing.</summary>
    public Task<IReadOnlyList<WriteOutcome?>> WouldRefuseAsync(IReadOnlyList<SyncRecord> records, CancellationToken cancellation) =>
        Task.FromResult<IReadOnlyList<WriteOutcome?>>([.. records.Select(record => NewRow(record) is { Row: null } refused
            ? new WriteOutcome(record.Code, false, refused.Field, refused.Reason) : null)]);

    /// <summary>The row a new record makes (its id still to come from the counter), or the field and the reason it cannot be made.</summary>
    private (Row? Row, string? Field, string? Reason) NewRow(SyncRecord record)
    {
        var row = Row.New(Party.For(record), record.Active);
        return Fill(row, _fields.Names.Select((field, i) => KeyValuePair.Create(field, i < record.Values.Length ? record.Values[i] : null))) is { } refused
            ? (null, refused.Field, refused.Reason)
            : (row, null, null);
    }

    /// <summary>Sets the fields in order until one is refused: that field and the reason, or null when all were set.</summary>
    private (string Field, string Reason)? Fill(Row row, IEnumerable<KeyValuePair<string, string?>> values)
    {
        foreach (var (field, value) in values)
        {
            if (_fields.Set(row, field, value) is { } reason)
            {
                return (field, reason);
            }
        }
        return null;
    }

    /// <summary>Applies the changes in one transaction; a code that is no record, or the id of several, is refused.</summary>
    public Task<IReadOnlyList<WriteOutcome>> UpdateAsync(IReadOnlyList<SyncUpdate> updates, CancellationToken cancellation) =>
        updates.Count == 0 ? Task.FromResult<IReadOnlyList<WriteOutcome>>([]) : WriteAsync<IReadOnlyList<WriteOutcome>>(async (connection, transaction) =>
        {
            // The rows as this batch leaves them: a record changed twice in one batch keeps both changes.
            // Found by their own codes only, not by a code Concord once proposed for them.
            var rows = (await ByCodesAsync(connection, transaction, updates.Select(u => u.Code), cancellation))
                .GroupBy(r => Codes.Key(r.Code)).ToDictionary(g => g.Key, g => g.ToList());
            using var writer = new RowWriter(connection, transaction, _fields);
            var outcomes = new List<WriteOutcome>(updates.Count);
            foreach (var update in updates)
            {
                var found = rows.GetValueOrDefault(Codes.Key(update.Code)) ?? [];
                if (found.Count != 1)
                {
                    outcomes.Add(new WriteOutcome(update.Code, false, "code", found.Count == 0
                        ? "is no customer's or vendor's id in the GnuCash book"
                        : $"is the id of {found.Count} records in the GnuCash book; give each its own id in GnuCash"));
                    continue;
                }
                // Changed on a copy: a change refused half-way leaves the row as the batch had it.
                var row = found[0].Copy();
                if (Fill(row, update.Changes) is { } refused)
                {
                    outcomes.Add(new WriteOutcome(update.Code, false, refused.Field, refused.Reason));
                    continue;
                }
                writer.Update(row);
                rows[Codes.Key(row.Code)] = [row];
                outcomes.Add(new WriteOutcome(row.Code, true) { Stored = _fields.ToSync(row) });
            }
            return outcomes;
        }, cancellation);

    /// <summary>
    /// Each customer's balance as GnuCash's receivable aging shows it: what is open in the
    /// receivable lots of its posted invoices (its jobs' included) and of its unapplied payments.
    /// Not a synced field; for checks and reports.
    /// </summary>
    public Task<IReadOnlyDictionary<string, decimal>> BalancesAsync(CancellationToken cancellation) =>
        book.ReadAsync<IReadOnlyDictionary<string, decimal>>(async (connection, transaction) =>
        {
            const string owners =
                "WITH lot_owner AS (" +
                " SELECT i.post_lot AS lot, i.owner_type AS type, i.owner_guid AS owner FROM invoices i WHERE i.post_lot IS NOT NULL" +
                " UNION ALL" +
                " SELECT f.obj_guid, t.int64_val, g.guid_val FROM slots f" +
                " JOIN slots t ON t.obj_guid = f.guid_val AND t.name = 'gncOwner/owner-type'" +
                " JOIN slots g ON g.obj_guid = f.guid_val AND g.name = 'gncOwner/owner-guid'" +
                " WHERE f.name = 'gncOwner' AND f.obj_guid IN (SELECT guid FROM lots)" +
                " AND f.obj_guid NOT IN (SELECT post_lot FROM invoices WHERE post_lot IS NOT NULL))" +
                " SELECT c.id, s.quantity_num, s.quantity_denom FROM lot_owner o" +
                " LEFT JOIN jobs j ON o.type = 3 AND j.guid = o.owner" +
                " JOIN customers c ON c.guid = CASE WHEN o.type = 3 AND j.owner_type = 2 THEN j.owner_guid WHEN o.type = 2 THEN o.owner END" +
                " JOIN lots l ON l.guid = o.lot" +
                " JOIN accounts a ON a.guid = l.account_guid AND a.account_type = 'RECEIVABLE'" +
                " JOIN splits s ON s.lot_guid = l.guid";
            var balances = new Dictionary<string, decimal>(Codes.Comparer);
            await using var command = GnuCashBook.Command(connection, transaction, owners);
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                var id = reader.GetString(0);
                balances[id] = balances.GetValueOrDefault(id) + (decimal)reader.GetInt64(1) / reader.GetInt64(2);
            }
            return balances;
        }, cancellation);

    public void Dispose() => book.Dispose();

    private static string Both(Func<Party, string> where) => string.Join(" UNION ALL ", Party.Both.Select(p => p.Select(where(p))));

    private async Task<List<(long RowId, Row Row)>> RowsAsync(SqliteConnection connection, SqliteTransaction transaction, string sql,
        CancellationToken cancellation, params (string, object?)[] parameters)
    {
        var rows = new List<(long, Row)>();
        await using var command = GnuCashBook.Command(connection, transaction, sql, [.. parameters, ("@slots", JsonSerializer.Serialize(_fields.SlotNames))]);
        await using var reader = await command.ExecuteReaderAsync(cancellation);
        while (await reader.ReadAsync(cancellation))
        {
            rows.Add((reader.GetInt64(1), Row.Read(reader)));
        }
        return rows;
    }

    /// <summary>
    /// The currency of new records: the connection's currency= setting, else the currency of the
    /// book's accounts receivable (invoices post there), else the book's only currency.
    /// </summary>
    private async Task<string> CurrencyAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellation)
    {
        var sql = currency is not null
            ? "SELECT guid FROM commodities WHERE namespace = 'CURRENCY' AND mnemonic = @currency"
            : "SELECT DISTINCT commodity_guid FROM accounts WHERE account_type = 'RECEIVABLE' AND commodity_guid IN (SELECT guid FROM commodities WHERE namespace = 'CURRENCY')";
        var found = await Column(sql);
        if (found.Count == 0 && currency is null)
        {
            found = await Column("SELECT guid FROM commodities WHERE namespace = 'CURRENCY'");
        }
        if (found.Count == 1)
        {
            return found[0];
        }
        throw new UserError(book.Path, "currency", currency is not null
            ? $"{currency} is not a currency of this GnuCash book; use one of its currencies in the setting's currency="
            : "the book has several currencies; say which new customers and vendors take with currency=CODE in the connection's setting (gnucash:PATH;currency=EUR)");

        async Task<List<string>> Column(string text)
        {
            var values = new List<string>();
            await using var command = GnuCashBook.Command(connection, transaction, text, ("@currency", currency));
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                values.Add(reader.GetString(0));
            }
            return values;
        }
    }

    /// <summary>
    /// Writes rows with statements prepared once per batch, their parameters set by position. A new
    /// row binds only what it may hold: the columns GnuCash requires and the field map's columns; the
    /// other columns Concord does not sync are left empty, as GnuCash leaves them. A row's text
    /// slots go in one statement.
    /// </summary>
    private sealed class RowWriter(SqliteConnection connection, SqliteTransaction transaction, GnuCashFields fields) : IDisposable
    {
        // Concord's own slots, and the field map's text slots (a slot of another type by that name is not ours).
        private static readonly string DeleteSlots = $"DELETE FROM slots WHERE obj_guid = @owner AND (name IN ('{string.Join("', '", Row.ValueSlots)}') " +
            "OR slot_type = 4 AND name IN (SELECT value FROM json_each(@mapped)))";

        // The parameters every party's INSERT and UPDATE take first, in this order (see SetRow).
        private static readonly string[] RowParameters =
            ["@guid", "@id", "@name", "@active", "@credit_num", "@credit_denom", "@addr_name", "@addr1", "@addr2", "@addr3", "@addr4", "@phone", "@email"];

        private readonly string _mapped = JsonSerializer.Serialize(fields.SlotNames);
        private readonly Dictionary<(string What, int Party), Statement> _statements = [];
        private readonly List<(string[] Names, Statement Statement)> _slotStatements = [];
        private readonly List<(string Name, string Value)> _slots = [];
        private readonly string[]?[] _written = new string[Party.Both.Length][];

        public void Insert(Row row, string currency, string proposedCode)
        {
            // The field map's columns this party has, after the row's and the currency.
            var written = _written[row.Party.Index] ??= [.. fields.WrittenColumns.Where(row.Party.Columns.Contains)];
            var insert = Prepare(("insert", row.Party.Index), () => (row.Party.InsertOf(fields.WrittenColumns), [.. RowParameters, "@currency", .. written.Select(c => $"@{c}")]));
            SetRow(insert, row).Set(RowParameters.Length, currency);
            for (var i = 0; i < written.Length; i++)
            {
                insert.Set(RowParameters.Length + 1 + i, row.Column(written[i]));
            }
            insert.Run();
            WriteSlots(row, proposedCode);
        }

        public void Update(Row row)
        {
            var update = Prepare(("update", row.Party.Index), () => (row.Party.Update, [.. RowParameters, .. Party.MappableColumns.Select(c => $"@{c}")]));
            SetRow(update, row);
            for (var i = 0; i < Party.MappableColumns.Length; i++)
            {
                update.Set(RowParameters.Length + i, row.Column(Party.MappableColumns[i]));
            }
            update.Run();
            Prepare(("delete slots", -1), () => (DeleteSlots, ["@owner", "@mapped"])).Set(0, row.Guid).Set(1, _mapped).Run();
            WriteSlots(row, proposedCode: null);
        }

        private static Statement SetRow(Statement statement, Row row) =>
            statement.Set(0, row.Guid).Set(1, row.Id).Set(2, row.Name).Set(3, row.Active ? 1 : 0).Set(4, row.CreditNum).Set(5, row.CreditDenom)
                .Set(6, row.AddrName).Set(7, row.Addr1).Set(8, row.Addr2).Set(9, row.Addr3).Set(10, row.Addr4).Set(11, row.Phone).Set(12, row.Email);

        // The row's text slots that have a value (Concord's own, the field map's, the proposed code of a new row), in one statement per set of names.
        private void WriteSlots(Row row, string? proposedCode)
        {
            _slots.Clear();
            Add(Row.VatSlot, row.Vat);
            Add(Row.WebSiteSlot, row.WebSite);
            Add(Row.CountrySlot, row.Country);
            foreach (var slot in row.Slots)
            {
                Add(slot.Key, slot.Value);
            }
            Add(Row.ProposedCodeSlot, proposedCode);
            if (_slots.Count > 0)
            {
                var statement = SlotStatement();
                statement.Set(0, row.Guid);
                for (var i = 0; i < _slots.Count; i++)
                {
                    statement.Set(i + 1, _slots[i].Value);
                }
                statement.Run();
            }
            if (row.Party == Party.Vendors && row.CreditNum != 0)
            {
                var slot = GnuCashBook.Slot(row.Guid, Row.CreditSlot, 1, null, number: row.CreditNum);
                var credit = Prepare(("credit slot", -1), () => (GnuCashBook.InsertSlot, [.. slot.Select(s => s.Item1)]));
                for (var i = 0; i < slot.Length; i++)
                {
                    credit.Set(i, slot[i].Item2);
                }
                credit.Run();
            }

            void Add(string name, string? value)
            {
                if (value is not null)
                {
                    _slots.Add((name, value));
                }
            }
        }

        private Statement SlotStatement()
        {
            foreach (var (names, statement) in _slotStatements)
            {
                if (names.Length == _slots.Count && SameNames(names))
                {
                    return statement;
                }
            }
            var named = _slots.Select(s => s.Name).ToArray();
            var made = Statement.Of(connection, transaction, GnuCashBook.InsertTextSlots(named), ["@slot_owner", .. named.Select((_, i) => $"@slot_text{i}")]);
            _slotStatements.Add((named, made));
            return made;
        }

        private bool SameNames(string[] names)
        {
            for (var i = 0; i < names.Length; i++)
            {
                if (names[i] != _slots[i].Name)
                {
                    return false;
                }
            }
            return true;
        }

        private Statement Prepare((string What, int Party) key, Func<(string Sql, string[] Parameters)> make)
        {
            if (!_statements.TryGetValue(key, out var statement))
            {
                var (sql, parameters) = make();
                _statements[key] = statement = Statement.Of(connection, transaction, sql, parameters);
            }
            return statement;
        }

        public void Dispose()
        {
            foreach (var statement in _statements.Values.Concat(_slotStatements.Select(s => s.Statement)))
            {
                statement.Dispose();
            }
        }
    }

    /// <summary>A statement prepared once, its parameters given by position in the order they were named.</summary>
    private sealed class Statement(SqliteCommand command) : IDisposable
    {
        public static Statement Of(SqliteConnection connection, SqliteTransaction transaction, string sql, IEnumerable<string> parameters)
        {
            var command = GnuCashBook.Command(connection, transaction, sql);
            foreach (var name in parameters)
            {
                command.Parameters.Add(new SqliteParameter(name, DBNull.Value));
            }
            return new Statement(command);
        }

        public Statement Set(int index, object? value)
        {
            command.Parameters[index].Value = value ?? DBNull.Value;
            return this;
        }

        public void Run() => command.ExecuteNonQuery();

        public void Dispose() => command.Dispose();
    }
}
