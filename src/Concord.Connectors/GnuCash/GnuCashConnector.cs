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
    /// </summary>
    public Task<IReadOnlyList<WriteOutcome>> CreateAsync(IReadOnlyList<SyncRecord> records, CancellationToken cancellation) =>
        records.Count == 0 ? Task.FromResult<IReadOnlyList<WriteOutcome>>([]) : WriteAsync<IReadOnlyList<WriteOutcome>>(async (connection, transaction) =>
        {
            var counters = new Dictionary<Party, GnuCashBook.Counter>();
            var commodity = await CurrencyAsync(connection, transaction, cancellation);
            using var writer = new RowWriter(connection, transaction, _fields);
            var outcomes = new List<WriteOutcome>(records.Count);
            foreach (var record in records)
            {
                var party = Party.For(record);
                var (filled, field, reason) = NewRow(record);
                if (filled is not { } row)
                {
                    outcomes.Add(new WriteOutcome(record.Code, false, field, reason));
                    continue;
                }
                if (!counters.TryGetValue(party, out var counter))
                {
                    counters[party] = counter = await GnuCashBook.CounterAsync(connection, transaction, party.Counter, _keys.IdsInUse(party), cancellation);
                }
                row = row with { Id = counter.Next() };
                await writer.InsertAsync(row, commodity, record.Code, cancellation);
                _keys.Created(row, record.Code);
                var stored = _fields.ToSync(row);
                outcomes.Add(new WriteOutcome(stored.Code, true) { Stored = stored });
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

    /// <summary>The row a new record makes, or the field and the reason it cannot be made.</summary>
    private (Row? Row, string? Field, string? Reason) NewRow(SyncRecord record) =>
        Fill(Row.New(Party.For(record), "", record.Active), _fields.Names.Select((f, i) => (f, i < record.Values.Length ? record.Values[i] : null)));

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
                var (filled, field, reason) = Fill(found[0], update.Changes.Select(c => (c.Key, c.Value)));
                if (filled is not { } row)
                {
                    outcomes.Add(new WriteOutcome(update.Code, false, field, reason));
                    continue;
                }
                await writer.UpdateAsync(row, cancellation);
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

    private (Row? Row, string? Field, string? Reason) Fill(Row row, IEnumerable<(string Field, string? Value)> values)
    {
        foreach (var (field, value) in values)
        {
            var (changed, reason) = _fields.With(row, field, value);
            if (changed is not { } next)
            {
                return (null, field, reason);
            }
            row = next;
        }
        return (row, null, null);
    }

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
    /// Writes rows with commands prepared once per batch. A new row binds only what it may hold:
    /// the columns GnuCash requires and the field map's columns; the other columns Concord does not
    /// sync are left empty, as GnuCash leaves them. A row's text slots go in one statement.
    /// </summary>
    private sealed class RowWriter(SqliteConnection connection, SqliteTransaction transaction, GnuCashFields fields) : IDisposable
    {
        // Concord's own slots, and the field map's text slots (a slot of another type by that name is not ours).
        private static readonly string DeleteSlots = $"DELETE FROM slots WHERE obj_guid = @owner AND (name IN ('{string.Join("', '", Row.ValueSlots)}') " +
            "OR slot_type = 4 AND name IN (SELECT value FROM json_each(@mapped)))";

        private readonly string _mapped = JsonSerializer.Serialize(fields.SlotNames);

        private readonly Dictionary<string, SqliteCommand> _commands = [];

        private readonly Dictionary<string, string> _slotStatements = new(StringComparer.Ordinal);

        private readonly Dictionary<int, string> _inserts = [];

        public async Task InsertAsync(Row row, string currency, string proposedCode, CancellationToken cancellation)
        {
            if (!_inserts.TryGetValue(row.Party.Index, out var insert))
            {
                _inserts[row.Party.Index] = insert = row.Party.InsertOf(fields.WrittenColumns);
            }
            await Prepared(insert,
                [.. Values(row, ("@currency", currency)), .. fields.WrittenColumns.Where(row.Party.Columns.Contains).Select(c => ($"@{c}", (object?)row.Column(c)))])
                .ExecuteNonQueryAsync(cancellation);
            await SlotsAsync(row, cancellation, (Row.ProposedCodeSlot, proposedCode));
        }

        public async Task UpdateAsync(Row row, CancellationToken cancellation)
        {
            await Prepared(row.Party.Update, [.. Values(row), .. Party.MappableColumns.Select(c => ($"@{c}", (object?)row.Column(c)))]).ExecuteNonQueryAsync(cancellation);
            await Prepared(DeleteSlots, [("@owner", row.Guid), ("@mapped", _mapped)]).ExecuteNonQueryAsync(cancellation);
            await SlotsAsync(row, cancellation);
        }

        private async Task SlotsAsync(Row row, CancellationToken cancellation, params (string Name, string? Value)[] more)
        {
            var slots = new[] { (Row.VatSlot, row.Vat), (Row.WebSiteSlot, row.WebSite), (Row.CountrySlot, row.Country) }
                .Concat(row.Slots.Select(s => (s.Key, (string?)s.Value))).Concat(more).Where(s => s.Item2 is not null).ToList();
            if (slots.Count > 0)
            {
                var key = string.Join('/', slots.Select(s => s.Item1));
                if (!_slotStatements.TryGetValue(key, out var sql))
                {
                    _slotStatements[key] = sql = GnuCashBook.InsertTextSlots([.. slots.Select(s => s.Item1)]);
                }
                await Prepared(sql, [("@slot_owner", row.Guid), .. slots.Select((s, i) => ($"@slot_text{i}", (object?)s.Item2))]).ExecuteNonQueryAsync(cancellation);
            }
            if (row.Party == Party.Vendors && row.CreditNum != 0)
            {
                await Prepared(GnuCashBook.InsertSlot, GnuCashBook.Slot(row.Guid, Row.CreditSlot, 1, null, number: row.CreditNum)).ExecuteNonQueryAsync(cancellation);
            }
        }

        // The columns of a row every party's statements use.
        private static (string, object?)[] Values(Row row, params (string, object?)[] extra) =>
        [
            ("@guid", row.Guid), ("@id", row.Id), ("@name", row.Name), ("@active", row.Active ? 1 : 0),
            ("@credit_num", row.CreditNum), ("@credit_denom", row.CreditDenom), ("@addr_name", row.AddrName),
            ("@addr1", row.Addr1), ("@addr2", row.Addr2), ("@addr3", row.Addr3), ("@addr4", row.Addr4), ("@phone", row.Phone), ("@email", row.Email),
            .. extra,
        ];

        // A statement's parameters are made on its first use and given new values after: each call site passes the same names in the same order.
        private SqliteCommand Prepared(string sql, (string Name, object? Value)[] values)
        {
            if (!_commands.TryGetValue(sql, out var command))
            {
                _commands[sql] = command = GnuCashBook.Command(connection, transaction, sql, values);
                return command;
            }
            for (var i = 0; i < values.Length; i++)
            {
                var parameter = command.Parameters[i];
                if (parameter.ParameterName != values[i].Name)
                {
                    throw new InvalidOperationException($"{values[i].Name} is not parameter {i} ({parameter.ParameterName}) of a prepared statement");
                }
                parameter.Value = values[i].Value ?? DBNull.Value;
            }
            return command;
        }

        public void Dispose()
        {
            foreach (var command in _commands.Values)
            {
                command.Dispose();
            }
        }
    }
}
