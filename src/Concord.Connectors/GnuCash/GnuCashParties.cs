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

    // There are two parties, each one instance: compared and hashed as themselves, not by their SQL (a row's party is looked up per row).
    public bool Equals(Party? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => Index;

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
/// The contact name (addr_name) follows the name where it was blank or the same. A row is filled
/// in place, a field at a time (<see cref="Set"/>); a change that may be refused half-way is made
/// on a <see cref="Copy"/>.
/// </summary>
internal sealed class Row(Party party, string guid, string id, bool active)
{
    public const string VatSlot = "concord-vat";
    public const string WebSiteSlot = "concord-web-site";
    public const string CountrySlot = "concord-country";

    /// <summary>The code Concord proposed for a record the book numbered itself.</summary>
    public const string ProposedCodeSlot = "concord-code";

    public const string CreditSlot = "concord-credit-limit";

    public static readonly string[] ValueSlots = [VatSlot, WebSiteSlot, CountrySlot, CreditSlot];

    public Party Party { get; } = party;
    public string Guid { get; } = guid;
    public string Id { get; set; } = id;
    public bool Active { get; } = active;
    public string Name { get; private set; } = "";
    public string AddrName { get; private set; } = "";
    public long CreditNum { get; private set; }
    public long CreditDenom { get; private set; } = 1;
    public string Addr1 { get; private set; } = "";
    public string Addr2 { get; private set; } = "";
    public string Addr3 { get; private set; } = "";
    public string Addr4 { get; private set; } = "";
    public string Phone { get; private set; } = "";
    public string Email { get; private set; } = "";
    public string? Vat { get; private set; }
    public string? WebSite { get; private set; }
    public string? Country { get; private set; }

    /// <summary>The columns of <see cref="Party.MappableColumns"/> the record has, by name.</summary>
    public ImmutableDictionary<string, string> Columns { get; set; } = ImmutableDictionary<string, string>.Empty;

    /// <summary>The text slots a field map (S8) puts fields in, by name; only those present.</summary>
    public ImmutableDictionary<string, string> Slots { get; set; } = ImmutableDictionary<string, string>.Empty;

    public string Column(string name) => Columns.GetValueOrDefault(name, "");

    private const int AddressLines = 3;

    // GnuCash's column widths; SQLite does not enforce them, GnuCash's other back ends do.
    private static readonly Dictionary<string, int> Widths = new()
    {
        ["name"] = 2048, ["vat"] = 4096, ["phone"] = 128, ["email"] = 256, ["web-site"] = 4096, ["address"] = 1024, ["postcode"] = 1024, ["country"] = 4096,
    };

    /// <summary>A new record's empty row, with a new GUID; the id comes from the book's counter when it is written.</summary>
    public static Row New(Party party, bool active) => new(party, GnuCashBook.NewGuid(), "", active);

    public Row Copy() => (Row)MemberwiseClone();

    public static Row Read(SqliteDataReader reader)
    {
        string Text(int i) => reader.IsDBNull(i) ? "" : reader.GetString(i);
        string? Slot(int i) => reader.IsDBNull(i) ? null : reader.GetString(i);
        var columns = Party.MappableColumns.Select((c, i) => (c, Value: Slot(18 + i))).Where(c => c.Value is not null).ToImmutableDictionary(c => c.c, c => c.Value!);
        var at = 18 + Party.MappableColumns.Length;
        var slots = reader.IsDBNull(at) ? [] : JsonSerializer.Deserialize<Dictionary<string, string?>>(reader.GetString(at)) ?? [];
        return new Row(Party.Both[reader.GetInt32(0)], reader.GetString(2), Text(3), reader.GetInt64(5) != 0)
        {
            Name = Text(4), AddrName = Text(8), CreditNum = reader.GetInt64(6), CreditDenom = reader.GetInt64(7),
            Addr1 = Text(9), Addr2 = Text(10), Addr3 = Text(11), Addr4 = Text(12), Phone = Text(13), Email = Text(14),
            Vat = Slot(15), WebSite = Slot(16), Country = Slot(17),
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
        values[SyncFields.IndexOf("address")] = Blank(Addr2.Length == 0 && Addr3.Length == 0
            ? Addr1 : string.Join(", ", new[] { Addr1, Addr2, Addr3 }.Where(l => !string.IsNullOrWhiteSpace(l))));
        values[SyncFields.IndexOf("postcode")] = Blank(Addr4);
        values[SyncFields.IndexOf("country")] = Country;
        values[SyncFields.IndexOf("credit-limit")] = Money.Format(CreditDenom == 0 ? 0 : decimal.Round((decimal)CreditNum / CreditDenom, Money.MinorUnits));
        return new SyncRecord(Code, values) { Active = Active, Relation = Party.Relation };
    }

    /// <summary>Sets one synced field from canonical text; or leaves the row as it is and says why GnuCash cannot keep the value.</summary>
    public string? Set(string field, string? value)
    {
        if (value is not null && Widths.TryGetValue(field, out var width) && (field == "address" ? LongestLine(value) : value.Length) > width)
        {
            return $"is longer than the {width} characters GnuCash keeps{(field == "address" ? " in an address line" : "")}";
        }
        switch (field)
        {
            case "name" when value is null:
                return "is required";
            case "name":
                AddrName = AddrName.Length == 0 || AddrName == Name ? value : AddrName;
                Name = value;
                return null;
            case "vat":
                Vat = value;
                return null;
            case "phone":
                Phone = value ?? "";
                return null;
            case "email":
                Email = value ?? "";
                return null;
            case "web-site":
                WebSite = value;
                return null;
            case "address":
                var lines = (value ?? "").Split(", ", AddressLines);
                (Addr1, Addr2, Addr3) = (lines[0], lines.Length > 1 ? lines[1] : "", lines.Length > 2 ? lines[2] : "");
                return null;
            case "postcode":
                Addr4 = value ?? "";
                return null;
            case "country":
                Country = value;
                return null;
            case "credit-limit":
                return SetCredit(value);
            default:
                return "is not a field Concord keeps in GnuCash";
        }
    }

    private string? SetCredit(string? value)
    {
        decimal limit;
        try
        {
            limit = value is null ? 0 : Money.Parse(value);
        }
        catch (FieldValueError error)
        {
            return error.Reason;
        }
        (CreditNum, CreditDenom) = (Money.ToCents(limit), 100);
        return null;
    }

    // The longest of the address lines a value makes (the first two at ", ", the rest in the third), without splitting it.
    private static int LongestLine(string address)
    {
        var (longest, start) = (0, 0);
        for (var line = 1; line < AddressLines; line++)
        {
            var at = address.IndexOf(", ", start, StringComparison.Ordinal);
            if (at < 0)
            {
                break;
            }
            longest = Math.Max(longest, at - start);
            start = at + 2;
        }
        return Math.Max(longest, address.Length - start);
    }

    private static string? Blank(string text) => string.IsNullOrWhiteSpace(text) ? null : text;
}
