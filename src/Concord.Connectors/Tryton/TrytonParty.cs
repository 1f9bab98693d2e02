using System.Globalization;
using System.Text.Json.Nodes;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Connections;

namespace Concord.Connectors.Tryton;

/// <summary>
/// A Tryton party as a customer record, and the ids of the children a synced field lives in:
/// the VAT number is an identifier, the address the invoice address (or the first), phone,
/// e-mail and web site contact mechanisms.
/// </summary>
internal sealed record TrytonParty(int Id, SyncRecord Record, int? Vat, int? Address, int? Phone, int? Email, int? Web)
{
    /// <summary>What search_read fetches for one party: the party and, in the same call, its children.</summary>
    public static readonly string[] Fields =
    [
        "code", "name", "active", "create_date", "write_date", "credit_limit_amount",
        "identifiers.type", "identifiers.code", "identifiers.create_date", "identifiers.write_date",
        "addresses.street", "addresses.postal_code", "addresses.city", "addresses.invoice", "addresses.country.code",
        "addresses.create_date", "addresses.write_date",
        "contact_mechanisms.type", "contact_mechanisms.value", "contact_mechanisms.create_date", "contact_mechanisms.write_date",
    ];

    /// <summary><see cref="Fields"/> without the credit limit, for parties whose credit limit is known.</summary>
    public static readonly string[] FieldsButCreditLimit = [.. Fields.Where(f => f != "credit_limit_amount")];

    /// <summary>The contact mechanism type of each synced field kept in one.</summary>
    public static readonly IReadOnlyDictionary<string, string> MechanismTypes =
        new Dictionary<string, string> { ["phone"] = "phone", ["email"] = "email", ["web-site"] = "website" };

    // Member states' numbers Tryton checks as "eu_vat"; any other goes untyped (Tryton has no check that accepts a South African VAT number).
    private static readonly HashSet<string> EuPrefixes =
        ["AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "HR", "HU", "IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI"];

    /// <param name="custom">The field map's custom fields (S8): their values follow the synced ones, from the party's fields.</param>
    /// <param name="creditLimit">The credit limit when it is known (as written) and was not read.</param>
    public static TrytonParty Read(JsonObject row, IReadOnlyList<FieldMapping> custom, string? creditLimit = null)
    {
        var stamps = new List<DateTime?> { TrytonJson.ToDateTime(row["create_date"]), TrytonJson.ToDateTime(row["write_date"]) };
        IReadOnlyList<JsonObject> Children(string name)
        {
            var children = (row[name + "."] as JsonArray ?? []).OfType<JsonObject>().ToList();
            stamps.AddRange(children.SelectMany(c => new[] { TrytonJson.ToDateTime(c["create_date"]), TrytonJson.ToDateTime(c["write_date"]) }));
            return children;
        }
        var addresses = Children("addresses");
        var identifiers = Children("identifiers");
        var mechanisms = Children("contact_mechanisms");

        var address = addresses.FirstOrDefault(a => TrytonJson.ToBool(a["invoice"])) ?? addresses.FirstOrDefault();
        var country = TrytonJson.ToText((address?["country."] as JsonObject)?["code"])?.ToUpperInvariant();
        // The VAT number: an EU VAT identifier first, then an untyped one, then a country's own VAT type.
        var vat = identifiers
            .Select(i => (Row: i, Rank: TrytonJson.ToText(i["type"]) switch { "eu_vat" => 0, null => 1, { } t when t.EndsWith("_vat", StringComparison.Ordinal) => 2, _ => 3 }))
            .Where(i => i.Rank < 3 && TrytonJson.ToText(i.Row["code"]) is not null)
            .OrderBy(i => i.Rank)
            .Select(i => i.Row)
            .FirstOrDefault();
        JsonObject? Mechanism(params string[] types) =>
            types.Select(t => mechanisms.FirstOrDefault(m => TrytonJson.ToText(m["type"]) == t && TrytonJson.ToText(m["value"]) is not null)).FirstOrDefault(m => m is not null);
        var phone = Mechanism("phone", "mobile");
        var email = Mechanism("email");
        var web = Mechanism("website");

        var values = new string?[SyncFields.All.Count + custom.Count];
        for (var i = 0; i < custom.Count; i++)
        {
            values[SyncFields.All.Count + i] = TrytonJson.ToText(row[custom[i].Target]);
        }
        values[SyncFields.Name] = TrytonJson.ToText(row["name"]);
        values[SyncFields.Vat] = TrytonJson.ToText(vat?["code"]) is { } code ? CanonicalVat(code, country) : null;
        values[SyncFields.IndexOf("phone")] = TrytonJson.ToText(phone?["value"]);
        values[SyncFields.IndexOf("email")] = TrytonJson.ToText(email?["value"]);
        values[SyncFields.IndexOf("web-site")] = TrytonJson.ToText(web?["value"]);
        values[SyncFields.IndexOf("address")] = address is null ? null : AddressLine(address);
        values[SyncFields.Postcode] = TrytonJson.ToText(address?["postal_code"]);
        values[SyncFields.IndexOf("country")] = country;
        values[SyncFields.IndexOf("credit-limit")] = creditLimit ?? Money.Format(TrytonJson.ToDecimal(row["credit_limit_amount"]) ?? 0m);

        var modified = stamps.Max();
        var record = new SyncRecord(TrytonJson.ToText(row["code"]) ?? "", values)
        {
            Modified = modified is { } m ? new DateTimeOffset(m, TimeSpan.Zero) : null,
            Active = TrytonJson.ToBool(row["active"]),
        };
        return new TrytonParty(IdOf(row)!.Value, record, IdOf(vat), IdOf(address), IdOf(phone), IdOf(email), IdOf(web));
    }

    /// <summary>The party's values for create: the record's fields as the party and its children.</summary>
    public static JsonObject ForCreate(SyncRecord record, IReadOnlyDictionary<string, int> countries, bool untypedVat, IReadOnlyList<FieldMapping> custom)
    {
        var party = new JsonObject { ["name"] = record.Name, ["active"] = record.Active };
        for (var i = 0; i < custom.Count; i++)
        {
            if (record.Values[SyncFields.All.Count + i] is { } value)
            {
                party[custom[i].Target] = value;
            }
        }
        if (!string.IsNullOrWhiteSpace(record.Code))
        {
            party["code"] = record.Code;
        }
        var values = record.ToDictionary();
        // Left out when there is none: a user without Tryton's "Credit Limit" group may not even send an empty one.
        if (CreditLimit(values["credit-limit"]) is { } limit)
        {
            party["credit_limit_amount"] = limit;
        }
        if (record.Vat is { } vat)
        {
            party["identifiers"] = Create(Identifier(vat, untypedVat));
        }
        var address = new JsonObject { ["invoice"] = true };
        foreach (var field in AddressFields)
        {
            if (values[field] is not null)
            {
                AddressValue(address, field, values[field], countries);
            }
        }
        party["addresses"] = Create(address);
        var mechanisms = MechanismTypes.Where(m => values[m.Key] is not null)
            .Select(m => (JsonNode)new JsonObject { ["type"] = m.Value, ["value"] = values[m.Key] });
        party["contact_mechanisms"] = Create([.. mechanisms]);
        return party;
    }

    /// <summary>The party's values for write: each change on the party or on the child that holds it.</summary>
    public JsonObject ForWrite(IReadOnlyDictionary<string, string?> changes, IReadOnlyDictionary<string, int> countries, bool untypedVat, IReadOnlyList<FieldMapping> custom)
    {
        var party = new JsonObject();
        var mechanisms = new JsonArray();
        var address = new JsonObject();
        foreach (var (field, value) in changes)
        {
            switch (field)
            {
                case "name":
                    party["name"] = value;
                    break;
                case "credit-limit":
                    party["credit_limit_amount"] = CreditLimit(value);
                    break;
                case "vat":
                    party["identifiers"] = Child(Vat, value is null ? null : Identifier(value, untypedVat));
                    break;
                case "phone" or "email" or "web-site":
                    var id = field switch { "phone" => Phone, "email" => Email, _ => Web };
                    var mechanism = value is null ? null : id is null ? new JsonObject { ["type"] = MechanismTypes[field], ["value"] = value } : new JsonObject { ["value"] = value };
                    foreach (var action in Child(id, mechanism))
                    {
                        mechanisms.Add(action?.DeepClone());
                    }
                    break;
                case var _ when custom.FirstOrDefault(c => c.Field == field) is { } mapped:
                    party[mapped.Target] = value;
                    break;
                default:
                    AddressValue(address, field, value, countries);
                    break;
            }
        }
        if (mechanisms.Count > 0)
        {
            party["contact_mechanisms"] = mechanisms;
        }
        if (address.Count > 0)
        {
            if (Address is null)
            {
                address["invoice"] = true;
            }
            party["addresses"] = Child(Address, address);
        }
        return party;
    }

    /// <summary>Which synced field a refusal is about, from Tryton's message (in English: the client logs in with "en"; case counts, "VAT" is not "private").</summary>
    public static string? FieldOf(string message) =>
        new (string Word, string Field)[]
        {
            ("Identifier", "vat"), ("VAT", "vat"), ("Tax Identification", "vat"), ("Credit Limit", "credit-limit"),
            ("Postal Code", "postcode"), ("Street", "address"), ("Address", "address"), ("Country", "country"),
            ("E-Mail", "email"), ("Website", "web-site"), ("Phone", "phone"), ("code on party", "code"), ("\"Code\"", "code"), ("\"Name\"", "name"),
        }.FirstOrDefault(w => message.Contains(w.Word, StringComparison.Ordinal)).Field;

    /// <summary>A number as Concord keeps VAT numbers, or as Tryton has it when it is not one Concord can read.</summary>
    public static string CanonicalVat(string code, string? country)
    {
        try
        {
            return VatNumber.Normalise(code, country);
        }
        catch (FieldValueError)
        {
            return code.ToUpperInvariant();
        }
    }

    private static readonly string[] AddressFields = ["address", "postcode", "country"];

    private static void AddressValue(JsonObject address, string field, string? value, IReadOnlyDictionary<string, int> countries)
    {
        switch (field)
        {
            case "address":
                // Concord's address is one line: it becomes the street, and the city (already in the line) is left empty.
                address["street"] = value;
                address["city"] = null;
                break;
            case "postcode":
                address["postal_code"] = value;
                break;
            case "country":
                address["country"] = value is null ? null : countries[value];
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(field), field, "not a synced field of a Tryton party");
        }
    }

    private static JsonObject Identifier(string vat, bool untyped) =>
        new() { ["type"] = !untyped && EuPrefixes.Contains(vat[..2]) ? "eu_vat" : null, ["code"] = vat };

    /// <summary>The credit limit as Tryton stores it when <see cref="ForCreate"/> sends it; null when it sends none.</summary>
    public static string? SentCreditLimit(string? value) =>
        CreditLimit(value) is null ? null : Money.Format(decimal.Parse(value!, CultureInfo.InvariantCulture));

    private static JsonNode? CreditLimit(string? value) =>
        value is null || decimal.Parse(value, CultureInfo.InvariantCulture) == 0m ? null : TrytonJson.Decimal(decimal.Parse(value, CultureInfo.InvariantCulture));

    private static JsonArray Create(params JsonNode[] records) => [new JsonArray("create", new JsonArray(records))];

    // The one2many action that puts value into the child with this id: write it, create it, or delete it (value null).
    private static JsonArray Child(int? id, JsonObject? value) =>
        (id, value) switch
        {
            (null, null) => [],
            (null, _) => Create(value),
            (_, null) => [new JsonArray("delete", new JsonArray(id.Value))],
            _ => [new JsonArray("write", new JsonArray(id.Value), value)],
        };

    private static int? IdOf(JsonObject? row) => row?["id"]?.GetValue<int>();

    private static string? AddressLine(JsonObject address)
    {
        var parts = (TrytonJson.ToText(address["street"]) ?? "").Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList();
        if (TrytonJson.ToText(address["city"]) is { } city && !parts.Contains(city, StringComparer.OrdinalIgnoreCase))
        {
            parts.Add(city);
        }
        return parts.Count == 0 ? null : string.Join(", ", parts);
    }
}
