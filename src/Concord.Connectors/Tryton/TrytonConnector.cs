using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Connections;
using Concord.Core.Sync.Running;

namespace Concord.Connectors.Tryton;

/// <summary>
/// Tryton ERP as the accounting side (X2): customers are parties (party.party) with their VAT
/// identifier, invoice address, contact mechanisms and credit limit. Tryton does not tell
/// customers from suppliers, so every party is a customer (no <see cref="ConnectorCapabilities.Suppliers"/>),
/// except the parties of Tryton's own companies. A connection's field map (S8) sends further
/// fields of the customer to text fields of the party (as a module adds them); the synced
/// fields stay where Tryton keeps them.
/// </summary>
public sealed class TrytonConnector(TrytonOptions options, SyncConnection? connection = null) : IConnector
{
    private const string Party = "party.party";
    private const int PageSize = 500;
    private const int WriteBatch = 200;

    // The models whose create and write dates make up a party's change: a changed phone changes a contact mechanism, not the party.
    private static readonly string[] Stamped = [Party, "party.address", "party.identifier", "party.contact_mechanism"];
    private static readonly string[] StampFields = ["create_date", "write_date"];

    private readonly TrytonClient _client = new(options);
    private (string Name, int[] Parties)? _company;
    private Dictionary<string, int>? _countries;
    private readonly IReadOnlyList<FieldMapping> _custom = CustomFields(connection);
    private bool _mapChecked;
    private Dictionary<string, List<string>>? _typed;

    public string Kind => "tryton";

    public ConnectorCapabilities Capabilities => ConnectorCapabilities.Create | ConnectorCapabilities.Update | ConnectorCapabilities.ChangeCursor | ConnectorCapabilities.FieldMap;

    // The custom fields the map sends, in the order records carry them. A synced field lives in an identifier, an
    // address or a contact mechanism of its own kind, which Concord keeps in step: it cannot be sent elsewhere.
    private static IReadOnlyList<FieldMapping> CustomFields(SyncConnection? connection)
    {
        var map = connection?.FieldMap ?? FieldMap.Standard;
        if (map.Entries.FirstOrDefault(e => SyncFields.All.Contains(e.Field)) is { } standard)
        {
            throw new UserError(ConnectorFactory.FieldMapRecord, standard.Field,
                $"Tryton keeps {standard.Field} where Concord writes it on the party and cannot send it to '{standard.Target}'; only fields Concord does not sync may be mapped");
        }
        return [.. map.Custom];
    }

    /// <summary>
    /// Once, before the first read or write: every target of the map must be a text field of the party
    /// that may be written (Concord's own, name and code, excepted), which only Tryton can tell.
    /// </summary>
    private async Task CheckMapAsync(CancellationToken cancellation)
    {
        if (_mapChecked || _custom.Count == 0)
        {
            return;
        }
        var fields = await _client.ModelAsync(Party, "fields_get", writes: false, cancellation, new JsonArray()) as JsonObject ?? new JsonObject();
        var writable = fields
            .Where(f => f.Value is JsonObject d && TrytonJson.ToText(d["type"]) is "char" or "text" && !TrytonJson.ToBool(d["readonly"]) && f.Key is not ("name" or "code"))
            .Select(f => f.Key).Order(StringComparer.Ordinal).ToList();
        foreach (var entry in _custom.Where(e => !writable.Contains(e.Target, StringComparer.Ordinal)))
        {
            throw ConnectorFactory.MisMapped(connection!, entry.Field,
                $"Tryton has no text field '{entry.Target}' on its parties that a sync may write; its fields are {(writable.Count == 0 ? "none (a module adds them, e.g. party_siret's siren)" : string.Join(", ", writable))}");
        }
        _mapChecked = true;
    }

    public async Task<string> CompanyNameAsync(CancellationToken cancellation) => (await CompanyAsync(cancellation)).Name;

    public IAsyncEnumerable<SyncRecord> ReadAllAsync(CancellationToken cancellation) => ReadAsync([], cancellation);

    public IAsyncEnumerable<SyncRecord> ReadChangesAsync(string? cursor, CancellationToken cancellation) =>
        // No cursor, or one this connector did not write: everything, which is never wrong.
        TrytonCursor.TryParse(cursor, out var from) ? ReadChangedAsync(from, cancellation) : ReadAllAsync(cancellation);

    public async Task<string?> CurrentCursorAsync(CancellationToken cancellation)
    {
        DateTime? latest = null;
        foreach (var model in Stamped)
        {
            foreach (var field in StampFields)
            {
                var rows = await _client.SearchReadAsync(model, [new JsonArray(field, "!=", null)], 0, 1,
                    [new JsonArray(field, "DESC")], [field], inactive: true, cancellation);
                if (rows.FirstOrDefault() is JsonObject row && TrytonJson.ToDateTime(row[field]) is { } stamp && (latest is null || stamp > latest))
                {
                    latest = stamp;
                }
            }
        }
        if (latest is not { } last)
        {
            return null;
        }
        // Taken after the latest stamp: every party visible now is read by this run, so the next one may leave it out unless it changes.
        var seen = await _client.SearchReadAsync(Party, [ChangedSince(last - TrytonCursor.Overlap)], 0, TrytonCursor.MaxSeen + 1, null, ["id"], inactive: true, cancellation);
        var ids = seen.Count > TrytonCursor.MaxSeen ? null : seen.Select(r => r!["id"]!.GetValue<int>()).ToHashSet();
        return new TrytonCursor(last, ids).ToString();
    }

    private async IAsyncEnumerable<SyncRecord> ReadChangedAsync(TrytonCursor from, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await foreach (var party in PagesAsync([ChangedSince(from.ReadFrom)], cancellation))
        {
            if (!from.AlreadyRead(party.Id, party.Record.Modified))
            {
                yield return party.Record;
            }
        }
    }

    // A party changed when it, or one of its addresses, identifiers or contact mechanisms, was created or written.
    private static JsonArray ChangedSince(DateTime since)
    {
        var changed = new JsonArray("OR");
        foreach (var child in new[] { "", "addresses.", "identifiers.", "contact_mechanisms." })
        {
            foreach (var field in StampFields)
            {
                changed.Add(new JsonArray(child + field, ">=", TrytonJson.DateTime(since)));
            }
        }
        return changed;
    }

    public async Task<IReadOnlyList<SyncRecord>> FindByCodesAsync(IReadOnlyCollection<string> codes, CancellationToken cancellation)
    {
        var wanted = codes.ToHashSet(Codes.Comparer);
        return [.. (await FindPartiesAsync(codes, cancellation)).Where(p => wanted.Contains(p.Record.Code)).Select(p => p.Record)];
    }

    public async Task<IReadOnlyList<SyncRecord>> FindByVatsAsync(IReadOnlyCollection<string> vats, CancellationToken cancellation)
    {
        if (vats.Count == 0)
        {
            return [];
        }
        // Identifiers are looked up as Concord writes them (normalised) and without their country prefix, as people often type them.
        var candidates = vats.Concat(vats.Where(v => v.Length > 2).Select(v => v[2..])).Distinct(StringComparer.Ordinal).ToList();
        var wanted = vats.ToHashSet(StringComparer.OrdinalIgnoreCase);
        var found = (await SearchAsync([new JsonArray("identifiers.code", "in", new JsonArray([.. candidates.Select(c => (JsonNode)c)]))], cancellation))
            .Where(p => p.Record.Vat is { } vat && wanted.Contains(vat)).Select(p => p.Record).ToList();
        // Tryton keeps an untyped identifier as a person typed it ("ZA 4123 456 789"): those are looked up by their compact form.
        var missing = candidates.Where(c => !found.Any(r => r.Vat is { } vat && (Same(vat, c) || vat.Length > 2 && Same(vat[2..], c)))).ToList();
        if (missing.Count > 0)
        {
            _typed ??= await TypedIdentifiersAsync(cancellation);
            var typed = missing.SelectMany(m => _typed.GetValueOrDefault(m) ?? []).Distinct(StringComparer.Ordinal).ToList();
            if (typed.Count > 0)
            {
                found.AddRange((await SearchAsync([new JsonArray("identifiers.code", "in", new JsonArray([.. typed.Select(c => (JsonNode)c)]))], cancellation))
                    .Where(p => p.Record.Vat is { } vat && wanted.Contains(vat) && !found.Any(r => r.Code == p.Record.Code)).Select(p => p.Record));
            }
        }
        return found;

        static bool Same(string a, string b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The identifiers typed with spaces, dots, dashes or slashes — few, as Tryton compacts the numbers
    /// of the types it checks — by their compact form, read once per run.
    /// </summary>
    private async Task<Dictionary<string, List<string>>> TypedIdentifiersAsync(CancellationToken cancellation)
    {
        var typed = new Dictionary<string, List<string>>(StringComparer.OrdinalIgnoreCase);
        var domain = new JsonArray(["OR", .. Separators.Select(c => (JsonNode)new JsonArray("code", "like", $"%{c}%"))]);
        for (var offset = 0; ; offset += PageSize)
        {
            var page = await _client.SearchReadAsync("party.identifier", domain, offset, PageSize, new JsonArray(new JsonArray("id", "ASC")), ["code"], inactive: true, cancellation);
            foreach (var code in page.Select(row => TrytonJson.ToText(row?["code"])).OfType<string>())
            {
                var compact = string.Concat(code.Where(c => !Separators.Contains(c)));
                if (!typed.TryGetValue(compact, out var codes))
                {
                    typed[compact] = codes = [];
                }
                codes.Add(code);
            }
            if (page.Count < PageSize)
            {
                return typed;
            }
        }
    }

    private static readonly char[] Separators = [' ', '.', '-', '/'];

    public async Task<IReadOnlyList<WriteOutcome>> CreateAsync(IReadOnlyList<SyncRecord> records, CancellationToken cancellation)
    {
        await CheckMapAsync(cancellation);
        var countries = await CountriesAsync(cancellation);
        var outcomes = new WriteOutcome?[records.Count];
        var ids = new int?[records.Count];
        var ready = new List<int>();
        for (var i = 0; i < records.Count; i++)
        {
            if (Unacceptable(records[i], countries) is { } refusal)
            {
                outcomes[i] = refusal;
            }
            else
            {
                ready.Add(i);
            }
        }
        foreach (var batch in ready.Chunk(WriteBatch))
        {
            await SettleAsync(batch,
                async (part, untypedVat) => await _client.ModelAsync(Party, "create", writes: true, cancellation,
                    new JsonArray([.. part.Select(i => (JsonNode)TrytonParty.ForCreate(records[i], countries, untypedVat, _custom))])),
                (i, id) => ids[i] = id!.GetValue<int>(),
                (i, reason) => outcomes[i] = Refused(records[i].Code, reason),
                i => records[i].Vat is not null);
        }
        // A credit limit sent is stored as sent; one not sent may be Tryton's default (account configuration), so it is read.
        var sentLimits = new Dictionary<int, string>();
        for (var i = 0; i < records.Count; i++)
        {
            if (ids[i] is { } id && TrytonParty.SentCreditLimit(records[i].Values[SyncFields.IndexOf("credit-limit")]) is { } limit)
            {
                sentLimits[id] = limit;
            }
        }
        var stored = await ReadBackAsync(ids, cancellation, sentLimits);
        return [.. records.Select((r, i) => outcomes[i] ?? Written(stored[ids[i]!.Value]))];
    }

    /// <summary>What <see cref="CreateAsync"/> refuses before Tryton sees a record; Tryton's own checks are known only by writing.</summary>
    public async Task<IReadOnlyList<WriteOutcome?>> WouldRefuseAsync(IReadOnlyList<SyncRecord> records, CancellationToken cancellation)
    {
        await CheckMapAsync(cancellation);
        var countries = await CountriesAsync(cancellation);
        return [.. records.Select(record => Unacceptable(record, countries))];
    }

    public async Task<IReadOnlyList<WriteOutcome>> UpdateAsync(IReadOnlyList<SyncUpdate> updates, CancellationToken cancellation)
    {
        await CheckMapAsync(cancellation);
        var countries = await CountriesAsync(cancellation);
        var parties = (await FindPartiesAsync([.. updates.Select(u => u.Code)], cancellation))
            .GroupBy(p => p.Record.Code, Codes.Comparer).ToDictionary(g => g.Key, g => g.First(), Codes.Comparer);
        var outcomes = new WriteOutcome?[updates.Count];
        var ids = new int?[updates.Count];
        var ready = new List<int>();
        for (var i = 0; i < updates.Count; i++)
        {
            var update = updates[i];
            if (!parties.ContainsKey(update.Code))
            {
                outcomes[i] = new WriteOutcome(update.Code, false, "code", "Tryton has no party with this code (deleted or recoded in Tryton?)");
            }
            else if (Unacceptable(update.Changes, countries) is { } refusal)
            {
                outcomes[i] = refusal with { Code = update.Code };
            }
            else
            {
                ready.Add(i);
            }
        }
        foreach (var batch in ready.Chunk(WriteBatch))
        {
            // write(ids1, values1, ids2, values2, …): many parties, each with its own changes, in one call.
            await SettleAsync(batch,
                async (part, untypedVat) => await _client.ModelAsync(Party, "write", writes: true, cancellation,
                    [.. part.SelectMany(i =>
                    {
                        var party = parties[updates[i].Code];
                        return new JsonNode[] { new JsonArray(party.Id), party.ForWrite(updates[i].Changes, countries, untypedVat, _custom) };
                    })]),
                (i, _) => ids[i] = parties[updates[i].Code].Id,
                (i, reason) => outcomes[i] = Refused(updates[i].Code, reason),
                i => updates[i].Changes.TryGetValue("vat", out var vat) && vat is not null);
        }
        var stored = await ReadBackAsync(ids, cancellation);
        return [.. updates.Select((u, i) => outcomes[i] ?? Written(stored[ids[i]!.Value]))];
    }

    /// <summary>
    /// Sends a batch in one call. When Tryton refuses it (nothing of the call is written), the batch
    /// is halved until each refused record stands alone, so one bad record costs a few calls and
    /// stops no other. A lone record refused with a typed VAT identifier is tried once more untyped:
    /// Tryton's checks know no South African VAT number, for one.
    /// </summary>
    private static async Task SettleAsync(IReadOnlyList<int> batch, Func<IReadOnlyList<int>, bool, Task<JsonNode?>> send,
        Action<int, JsonNode?> written, Action<int, string> refused, Func<int, bool> hasVat, bool untypedVat = false)
    {
        try
        {
            var result = await send(batch, untypedVat) as JsonArray;
            for (var i = 0; i < batch.Count; i++)
            {
                written(batch[i], result?[i]);
            }
        }
        catch (TrytonRefusal) when (batch.Count > 1)
        {
            var half = batch.Count / 2;
            await SettleAsync(batch.Take(half).ToList(), send, written, refused, hasVat, untypedVat);
            await SettleAsync(batch.Skip(half).ToList(), send, written, refused, hasVat, untypedVat);
        }
        catch (TrytonRefusal refusal) when (!untypedVat && hasVat(batch[0]) && TrytonParty.FieldOf(refusal.Message) == "vat")
        {
            await SettleAsync(batch, send, written, refused, hasVat, untypedVat: true);
        }
        catch (TrytonRefusal refusal)
        {
            refused(batch[0], refusal.Message);
        }
    }

    private static WriteOutcome Refused(string code, string reason) =>
        new(code, false, TrytonParty.FieldOf(reason), $"Tryton refused it: {reason}");

    private static WriteOutcome Written(SyncRecord stored) => new(stored.Code, true) { Stored = stored };

    // What Concord refuses before Tryton sees it: Tryton keeps a party without a name, but a customer needs one; a country must exist.
    private static WriteOutcome? Unacceptable(SyncRecord record, IReadOnlyDictionary<string, int> countries) =>
        Unacceptable(record.ToDictionary(), countries) is { } refusal ? refusal with { Code = record.Code } : null;

    private static WriteOutcome? Unacceptable(IReadOnlyDictionary<string, string?> values, IReadOnlyDictionary<string, int> countries) =>
        values.TryGetValue("name", out var name) && string.IsNullOrWhiteSpace(name)
            ? new WriteOutcome("", false, "name", "is required: Tryton keeps no party without a name")
            : values.GetValueOrDefault("country") is { } country && !countries.ContainsKey(country)
            ? new WriteOutcome("", false, "country", $"Tryton has no country '{country}'; add it in Tryton (or import the countries with trytond_import_countries)")
            : null;

    // The written parties as Tryton stored them (codes it chose, values it normalised): one call, or two when some
    // credit limits are known. Those are not asked for: Tryton works each one out party by party (a company-dependent
    // value), which made up about half the time of reading parties back (docs/BENCHMARKS.md, Tryton).
    private async Task<Dictionary<int, SyncRecord>> ReadBackAsync(IEnumerable<int?> ids, CancellationToken cancellation, IReadOnlyDictionary<int, string>? knownLimits = null)
    {
        var written = ids.OfType<int>().Distinct().ToList();
        var stored = new Dictionary<int, SyncRecord>();
        knownLimits ??= new Dictionary<int, string>();
        foreach (var group in written.GroupBy(knownLimits.ContainsKey).Where(g => g.Any()))
        {
            var domain = new JsonArray(new JsonArray("id", "in", new JsonArray([.. group.Select(i => (JsonNode)i)])));
            await foreach (var party in PagesAsync(domain, cancellation, group.Key ? knownLimits : null, group.Count()))
            {
                stored[party.Id] = party.Record;
            }
        }
        return stored;
    }

    private async Task<IReadOnlyList<TrytonParty>> FindPartiesAsync(IReadOnlyCollection<string> codes, CancellationToken cancellation)
    {
        if (codes.Count == 0)
        {
            return [];
        }
        // Tryton compares codes exactly; Concord ignores case: ask for the code as given and in either case.
        var candidates = codes.SelectMany(c => new[] { c, c.ToUpperInvariant(), c.ToLowerInvariant() }).Distinct(StringComparer.Ordinal);
        return await SearchAsync([new JsonArray("code", "in", new JsonArray([.. candidates.Select(c => (JsonNode)c)]))], cancellation);
    }

    private async Task<IReadOnlyList<TrytonParty>> SearchAsync(JsonArray domain, CancellationToken cancellation)
    {
        var parties = new List<TrytonParty>();
        await foreach (var party in PagesAsync(domain, cancellation))
        {
            parties.Add(party);
        }
        return parties;
    }

    private async IAsyncEnumerable<SyncRecord> ReadAsync(JsonArray domain, [EnumeratorCancellation] CancellationToken cancellation)
    {
        await foreach (var party in PagesAsync(domain, cancellation))
        {
            yield return party.Record;
        }
    }

    // The customers matching the domain, active or not, a page at a time in id order (stable while others write).
    // With knownLimits (every party's credit limit as just written), the credit limit is taken from it, not read.
    // With most (parties looked up by id), no page is asked for once they are all read.
    private async IAsyncEnumerable<TrytonParty> PagesAsync(JsonArray domain, [EnumeratorCancellation] CancellationToken cancellation,
        IReadOnlyDictionary<int, string>? knownLimits = null, int? most = null)
    {
        await CheckMapAsync(cancellation);
        var read = 0;
        string[] fields = [.. knownLimits is null ? TrytonParty.Fields : TrytonParty.FieldsButCreditLimit, .. _custom.Select(c => c.Target)];
        var companies = new JsonArray([.. (await CompanyAsync(cancellation)).Parties.Select(p => (JsonNode)p)]);
        var last = 0;
        while (true)
        {
            JsonArray page = [.. domain.Select(d => d?.DeepClone()), new JsonArray("id", "not in", companies.DeepClone()), new JsonArray("id", ">", last)];
            var rows = await _client.SearchReadAsync(Party, page, 0, PageSize, [new JsonArray("id", "ASC")], fields, inactive: true, cancellation);
            foreach (var row in rows.OfType<JsonObject>())
            {
                var party = TrytonParty.Read(row, _custom, knownLimits?[row["id"]!.GetValue<int>()]);
                last = party.Id;
                read++;
                yield return party;
            }
            if (rows.Count < PageSize || read >= most)
            {
                yield break;
            }
        }
    }

    private async Task<(string Name, int[] Parties)> CompanyAsync(CancellationToken cancellation)
    {
        if (_company is { } known)
        {
            return known;
        }
        var context = await _client.ContextAsync(cancellation);
        var rows = (await _client.SearchReadAsync("company.company", [], 0, null, [new JsonArray("id", "ASC")], ["party", "party.name"], inactive: true, cancellation))
            .OfType<JsonObject>().ToList();
        var current = context["company"]?.GetValue<int>();
        var company = rows.FirstOrDefault(r => r["id"]?.GetValue<int>() == current) ?? rows.FirstOrDefault()
            ?? throw new ConnectorUnavailableException($"{_client.Where} has no company",
                $"set up the company in Tryton (Company > Companies) and make it the company of user '{options.User}'");
        var name = TrytonJson.ToText((company["party."] as JsonObject)?["name"]) ?? "";
        _company = (name, [.. rows.Select(r => r["party"]!.GetValue<int>())]);
        return _company.Value;
    }

    private async Task<Dictionary<string, int>> CountriesAsync(CancellationToken cancellation)
    {
        if (_countries is null)
        {
            var rows = await _client.SearchReadAsync("country.country", [], 0, null, null, ["code"], inactive: true, cancellation);
            _countries = rows.OfType<JsonObject>()
                .Where(r => TrytonJson.ToText(r["code"]) is not null)
                .GroupBy(r => TrytonJson.ToText(r["code"])!.ToUpperInvariant())
                .ToDictionary(g => g.Key, g => g.First()["id"]!.GetValue<int>(), StringComparer.OrdinalIgnoreCase);
        }
        return _countries;
    }

    public void Dispose() => _client.Dispose();
}
