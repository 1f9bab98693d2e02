using System.Collections.Immutable;
using System.Text.Json;
using System.Text.RegularExpressions;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Microsoft.Data.Sqlite;

namespace Concord.Connectors.GnuCash;

/// <summary>
/// GnuCash's two tables of business partners as Concord's records: customers and vendors (S15)
/// share the columns Concord syncs; vendors have no credit limit (Concord keeps one in a slot) and no shipping address.
/// </summary>
internal sealed record Party(int Index, string Table, string Relation, string Counter, string CodePrefix, string CreditColumns, string SetCredit, string Insert, string[] Columns)
{
    /// <summary>The columns Concord does not sync itself, which a field map (S8) may use; only customers have a shipping address.</summary>
    public static readonly string[] MappableColumns =
        ["notes", "addr_fax", "shipaddr_name", "shipaddr_addr1", "shipaddr_addr2", "shipaddr_addr3", "shipaddr_addr4", "shipaddr_phone", "shipaddr_fax", "shipaddr_email"];

    public static readonly Party Customers = new(0, "customers", "customer", "gncCustomer", "", "t.credit_num, t.credit_denom",
        "credit_num = @credit_num, credit_denom = @credit_denom, ",
        "INSERT INTO customers (guid, name, id, notes, active, discount_num, discount_denom, credit_num, credit_denom, currency, tax_override, " +
        "addr_name, addr_addr1, addr_addr2, addr_addr3, addr_addr4, addr_phone, addr_fax, addr_email, " +
        "shipaddr_name, shipaddr_addr1, shipaddr_addr2, shipaddr_addr3, shipaddr_addr4, shipaddr_phone, shipaddr_fax, shipaddr_email, " +
        "terms, tax_included, taxtable) VALUES (@guid, @name, @id, @notes, @active, 0, 1, @credit_num, @credit_denom, @currency, 0, " +
        "@addr_name, @addr1, @addr2, @addr3, @addr4, @phone, @addr_fax, @email, @shipaddr_name, @shipaddr_addr1, @shipaddr_addr2, @shipaddr_addr3, @shipaddr_addr4, " +
        "@shipaddr_phone, @shipaddr_fax, @shipaddr_email, NULL, 3, NULL)", MappableColumns);

    public static readonly Party Vendors = new(1, "vendors", "supplier", "gncVendor", "V-",
        $"coalesce((SELECT s.int64_val FROM slots s WHERE s.obj_guid = t.guid AND s.name = '{Row.CreditSlot}'), 0), 100", "",
        "INSERT INTO vendors (guid, name, id, notes, currency, active, tax_override, " +
        "addr_name, addr_addr1, addr_addr2, addr_addr3, addr_addr4, addr_phone, addr_fax, addr_email, terms, tax_inc, tax_table) " +
        "VALUES (@guid, @name, @id, @notes, @currency, @active, 0, @addr_name, @addr1, @addr2, @addr3, @addr4, @phone, @addr_fax, @email, NULL, 'USEGLOBAL', NULL)",
        ["notes", "addr_fax"]);

    public static readonly Party[] Both = [Customers, Vendors];

    /// <summary>Suppliers are vendors; customers and prospects are customers (GnuCash has no prospects).</summary>
    public static Party For(SyncRecord record) => record.Relation == "supplier" ? Vendors : Customers;

    /// <summary>A record's code in Concord as SQL on alias t: the id, behind <see cref="CodePrefix"/>.</summary>
    public string Code => CodePrefix.Length == 0 ? "t.id" : $"'{CodePrefix}' || t.id";

    /// <summary>
    /// The INSERT of a new row that binds, of the <see cref="MappableColumns"/>, only <paramref name="written"/>
    /// (those a field map writes); the others are empty, as GnuCash leaves them in a new record.
    /// </summary>
    public string InsertOf(IReadOnlyCollection<string> written) =>
        MappableColumns.Where(c => !written.Contains(c)).Aggregate(Insert, (sql, column) => Regex.Replace(sql, $@"@{column}\b", "''"));

    public string Update =>
        $"UPDATE {Table} SET name = @name, {SetCredit}addr_name = @addr_name, addr_addr1 = @addr1, addr_addr2 = @addr2, " +
        "addr_addr3 = @addr3, addr_addr4 = @addr4, addr_phone = @phone, addr_email = @email, " +
        $"{string.Join(", ", Columns.Select(c => $"{c} = @{c}"))} WHERE guid = @guid";

    /// <summary>
    /// The columns <see cref="Row.Read"/> reads, of the rows matching <paramref name="where"/> (on alias t); the text
    /// slots named in the JSON array @slots (the field map's) as one JSON object.
    /// </summary>
    public string Select(string where) =>
        $"SELECT {Index}, t.rowid, t.guid, t.id, t.name, t.active, {CreditColumns}, t.addr_name, t.addr_addr1, t.addr_addr2, t.addr_addr3, t.addr_addr4, " +
        $"t.addr_phone, t.addr_email, {Slot(Row.VatSlot)}, {Slot(Row.WebSiteSlot)}, {Slot(Row.CountrySlot)}, " +
        $"{string.Join(", ", MappableColumns.Select(c => Columns.Contains(c) ? $"t.{c}" : "NULL"))}, " +
        "(SELECT json_group_object(s.name, s.string_val) FROM slots s WHERE s.obj_guid = t.guid AND s.slot_type = 4 AND s.name IN (SELECT value FROM json_each(@slots))) " +
        $"FROM {Table} t WHERE {where}";

    private static string Slot(string name) => $"(SELECT s.string_val FROM slots s WHERE s.obj_guid = t.guid AND s.name = '{name}')";
}

/// <summary>
/// One customer or vendor row, the columns Concord reads and writes, and how they map to the synced
/// fields. The mapping (documented in README, X3):
/// <list type="bullet">
/// <item>address ↔ addr_addr1..3: Concord's one-line address split at ", " into at most three lines (the rest stays in line 3), read back joined with ", ";</item>
/// <item>postcode ↔ addr_addr4, the last address line, as GnuCash users commonly fill it;</item>
/// <item>phone, e-mail ↔ addr_phone, addr_email; credit limit ↔ credit_num / credit_denom (written as cents / 100);</item>
/// <item>VAT number, web site and country have no column: KVP slots concord-vat, concord-web-site, concord-country on the record, which GnuCash keeps when it edits it;
/// nor has a vendor's credit limit: slot concord-credit-limit (cents).</item>
/// </list>
/// The contact name (addr_name) follows the name where it was blank or the same.
/// </summary>
internal readonly record struct Row(Party Party, string Guid, string Id, string Name, string AddrName, bool Active, long CreditNum, long CreditDenom,
    string Addr1, string Addr2, string Addr3, string Addr4, string Phone, string Email, string? Vat, string? WebSite, string? Country)
{
    public const string VatSlot = "concord-vat";
    public const string WebSiteSlot = "concord-web-site";
    public const string CountrySlot = "concord-country";

    /// <summary>The code Concord proposed for a record the book numbered itself.</summary>
    public const string ProposedCodeSlot = "concord-code";

    public const string CreditSlot = "concord-credit-limit";

    public static readonly string[] ValueSlots = [VatSlot, WebSiteSlot, CountrySlot, CreditSlot];

    /// <summary>The columns of <see cref="Party.MappableColumns"/> the record has, by name.</summary>
    public ImmutableDictionary<string, string> Columns { get; init; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The text slots a field map (S8) puts fields in, by name; only those present.</summary>
    public ImmutableDictionary<string, string> Slots { get; init; } = ImmutableDictionary<string, string>.Empty;

    public string Column(string name) => Columns.GetValueOrDefault(name, "");

    private const int AddressLines = 3;

    // GnuCash's column widths; SQLite does not enforce them, GnuCash's other back ends do.
    private static readonly Dictionary<string, int> Widths = new()
    {
        ["name"] = 2048, ["vat"] = 4096, ["phone"] = 128, ["email"] = 256, ["web-site"] = 4096, ["address"] = 1024, ["postcode"] = 1024, ["country"] = 4096,
    };

    public static Row New(Party party, string id, bool active) =>
        new(party, GnuCashBook.NewGuid(), id, "", "", active, 0, 1, "", "", "", "", "", "", null, null, null);

    public static Row Read(SqliteDataReader reader)
    {
        string Text(int i) => reader.IsDBNull(i) ? "" : reader.GetString(i);
        string? Slot(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        var columns = Party.MappableColumns.Select((c, i) => (c, Value: Slot(18 + i))).Where(c => c.Value is not null).ToImmutableDictionary(c => c.c, c => c.Value!);
        var at = 18 + Party.MappableColumns.Length;
        var slots = reader.IsDBNull(at) ? [] : JsonSerializer.Deserialize<Dictionary<string, string?>>(reader.GetString(at)) ?? [];
        return new Row(Party.Both[reader.GetInt32(0)], reader.GetString(2), Text(3), Text(4), Text(8), reader.GetInt64(5) != 0,
            reader.GetInt64(6), reader.GetInt64(7), Text(9), Text(10), Text(11), Text(12), Text(13), Text(14), Slot(15), Slot(16), Slot(17))
        {
            Columns = columns,
            Slots = slots.Where(s => s.Value is not null).ToImmutableDictionary(s => s.Key, s => s.Value!, StringComparer.Ordinal),
        };
    }

    public string Code => Party.CodePrefix + Id;

    public SyncRecord ToSync()
    {
        var values = new string?[SyncFields.All.Count];
        values[SyncFields.IndexOf("name")] = Blank(Name);
        values[SyncFields.IndexOf("vat")] = Vat;
        values[SyncFields.IndexOf("phone")] = Blank(Phone);
        values[SyncFields.IndexOf("email")] = Blank(Email);
        values[SyncFields.IndexOf("web-site")] = WebSite;
        values[SyncFields.IndexOf("address")] = Blank(string.Join(", ", new[] { Addr1, Addr2, Addr3 }.Where(l => !string.IsNullOrWhiteSpace(l))));
        values[SyncFields.IndexOf("postcode")] = Blank(Addr4);
        values[SyncFields.IndexOf("country")] = Country;
        values[SyncFields.IndexOf("credit-limit")] = Money.Format(CreditDenom == 0 ? 0 : decimal.Round((decimal)CreditNum / CreditDenom, Money.MinorUnits));
        return new SyncRecord(Code, values) { Active = Active, Relation = Party.Relation };
    }

    /// <summary>The row with one synced field set from canonical text, or the reason GnuCash cannot keep it.</summary>
    public (Row? Row, string? Reason) With(string field, string? value)
    {
        if (value is not null && Widths.TryGetValue(field, out var width) && (field == "address" ? Lines(value).Max(l => l.Length) : value.Length) > width)
        {
            return (null, $"is longer than the {width} characters GnuCash keeps{(field == "address" ? " in an address line" : "")}");
        }
        switch (field)
        {
            case "name" when value is null:
                return (null, "is required");
            case "name":
                return (this with { Name = value, AddrName = AddrName.Length == 0 || AddrName == Name ? value : AddrName }, null);
            case "vat":
                return (this with { Vat = value }, null);
            case "phone":
                return (this with { Phone = value ?? "" }, null);
            case "email":
                return (this with { Email = value ?? "" }, null);
            case "web-site":
                return (this with { WebSite = value }, null);
            case "address":
                var lines = Lines(value ?? "");
                return (this with { Addr1 = lines[0], Addr2 = lines[1], Addr3 = lines[2] }, null);
            case "postcode":
                return (this with { Addr4 = value ?? "" }, null);
            case "country":
                return (this with { Country = value }, null);
            case "credit-limit":
                return Credit(value);
            default:
                return (null, "is not a field Concord keeps in GnuCash");
        }
    }

    private (Row?, string?) Credit(string? value)
    {
        decimal limit;
        try
        {
            limit = value is null ? 0 : Money.Parse(value);
        }
        catch (FieldValueError error)
        {
            return (null, error.Reason);
        }
        return (this with { CreditNum = Money.ToCents(limit), CreditDenom = 100 }, null);
    }

    private static string[] Lines(string address)
    {
        var lines = address.Split(", ", AddressLines);
        return [.. lines, .. Enumerable.Repeat("", AddressLines - lines.Length)];
    }

    private static string? Blank(string text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
