using Concord.Core.Common;
using Microsoft.Data.Sqlite;

namespace Concord.Connectors.GnuCash;

/// <summary>
/// What finds a book's customers and vendors by code without reading the book: every record's
/// code and the code Concord proposed when it created it (the <c>concord-code</c> slot), each to
/// the record's GUID, the ids each table uses and the book's counter formats (for its counters). GnuCash's schema has no index
/// on ids or slot names, so each look-up would scan both tables and every slot. Read once, kept up
/// to date with this connector's own creates, and read again whenever another program has
/// committed to the book since (<see cref="GnuCashBook.DataVersionAsync"/>) or a write failed.
/// </summary>
internal sealed class GnuCashKeys
{
    private long? _version;
    // A code's record, and the rare codes several records hold (ids typed twice by hand) apart, so a code costs one entry.
    private readonly Dictionary<string, string> _guids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _moreGuids = new(StringComparer.Ordinal);
    private readonly Dictionary<Party, HashSet<string>> _ids = [];
    private readonly Dictionary<string, string?> _formats = new(StringComparer.Ordinal);

    /// <summary>Reads the keys again if another connection wrote to the book since they were read.</summary>
    public async Task RefreshAsync(SqliteConnection connection, SqliteTransaction transaction, CancellationToken cancellation)
    {
        var version = await GnuCashBook.DataVersionAsync(connection, transaction, cancellation);
        if (_version == version)
        {
            return;
        }
        Forget();
        foreach (var party in Party.Both)
        {
            var ids = _ids[party] = new HashSet<string>(StringComparer.Ordinal);
            await ReadAsync($"SELECT id, guid FROM {party.Table}", (id, guid) =>
            {
                ids.Add(Codes.Key(id));
                Add(party.CodePrefix + id, guid);
            });
        }
        await ReadAsync($"SELECT string_val, obj_guid FROM slots WHERE name = '{Row.ProposedCodeSlot}' AND string_val IS NOT NULL", Add);
        await ReadAsync(GnuCashBook.CounterFormatsSql, (counter, format) => _formats[counter] = format);
        _version = version;

        async Task ReadAsync(string sql, Action<string, string> add)
        {
            await using var command = GnuCashBook.Command(connection, transaction, sql);
            await using var reader = await command.ExecuteReaderAsync(cancellation);
            while (await reader.ReadAsync(cancellation))
            {
                add(reader.IsDBNull(0) ? "" : reader.GetString(0), reader.IsDBNull(1) ? "" : reader.GetString(1));
            }
        }
    }

    /// <summary>The GUIDs of the records with one of these codes, or created for one of them by Concord.</summary>
    public IReadOnlyList<string> Guids(IEnumerable<string> codes) =>
        [.. codes.Select(Codes.Key).Distinct(StringComparer.Ordinal).SelectMany(Of).Distinct(StringComparer.Ordinal)];

    private IEnumerable<string> Of(string key) =>
        _guids.TryGetValue(key, out var guid) ? [guid, .. _moreGuids.GetValueOrDefault(key) ?? []] : [];

    /// <summary>The ids a table uses, as <see cref="Codes.Key"/>; the counter adds those it hands out.</summary>
    public HashSet<string> IdsInUse(Party party) => _ids[party];

    /// <summary>The format of a counter (gncCustomer, gncVendor) the book sets, or null.</summary>
    public string? CounterFormat(string counter) => _formats.GetValueOrDefault(counter);

    /// <summary>A record this connector created, in the transaction still open.</summary>
    public void Created(Row row, string proposedCode)
    {
        _ids[row.Party].Add(Codes.Key(row.Id));
        Add(row.Code, row.Guid);
        Add(proposedCode, row.Guid);
    }

    /// <summary>After a failed write: read everything again next time.</summary>
    public void Forget()
    {
        _version = null;
        _guids.Clear();
        _moreGuids.Clear();
        _ids.Clear();
        _formats.Clear();
    }

    private void Add(string code, string guid)
    {
        var key = Codes.Key(code);
        if (_guids.TryAdd(key, guid) || _guids[key] == guid)
        {
            return;
        }
        if (!_moreGuids.TryGetValue(key, out var more))
        {
            _moreGuids[key] = more = [];
        }
        if (!more.Contains(guid, StringComparer.Ordinal))
        {
            more.Add(guid);
        }
    }
}
