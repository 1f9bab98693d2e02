using System.Globalization;
using Concord.Core.Common;
using Concord.Core.Ledger;
using Concord.Core.Operational;
using Concord.Store;

namespace Concord.Bench;

/// <summary>
/// Generated sync data, N customers a side: 70 % on both sides under different codes with the same
/// VAT number (10 % of those differing in a field), 15 % on both sides without a shared key but with
/// the name varied as people vary it and the same postcode (the truth for proposals), 15 % only on
/// each side.
/// </summary>
public static class SyncData
{
    private static readonly string[] Words =
    [
        "Hope", "Works", "Titan", "Green", "Tea", "Office", "Supplies", "Coastal", "Fisheries", "Bargains", "Dynamic", "Electric",
        "Bakery", "Salon", "Umhlanga", "Berea", "Marine", "Harbour", "Sugar", "Cane", "Valley", "Hill", "Crest", "Summit", "River",
        "Ocean", "Pearl", "Ivory", "Amber", "Copper", "Silver", "Golden", "Royal", "Union", "Pioneer", "Frontier", "Atlas", "Zenith",
        "Nova", "Vertex", "Matrix", "Apex", "Prime", "Alpha", "Delta", "Sigma", "Omega", "Orion", "Phoenix", "Falcon", "Eagle",
        "Lion", "Rhino", "Zebra", "Impala", "Kudu", "Baobab", "Protea", "Fynbos", "Karoo", "Drakensberg", "Zulu", "Natal", "Durban",
        "Pinetown", "Westville", "Ballito", "Tongaat", "Amanzimtoti", "Scottburgh", "Margate", "Kloof", "Hillcrest", "Verulam",
        "Logistics", "Engineering", "Plumbing", "Electrical", "Catering", "Transport", "Printing", "Security", "Cleaning", "Motors",
        "Hardware", "Furniture", "Textiles", "Pharmacy", "Dental", "Medical", "Legal", "Accounting", "Consulting", "Design", "Media",
        "Travel", "Tours", "Farming", "Nursery", "Garden", "Pools", "Roofing", "Glass", "Steel", "Timber", "Paint", "Tiles",
    ];

    private static readonly string[] LegalForms = ["(Pty) Ltd", "Ltd", "CC", "", "Limited"];

    public sealed record Truth(IReadOnlyDictionary<string, string> SimilarPairs);

    public static Truth Fill(Database database, int n, string site)
    {
        var shared = n * 70 / 100;
        var similar = n * 15 / 100;
        var random = new Random(1125);
        var pairs = new Dictionary<string, string>(StringComparer.Ordinal);
        var now = DateTimeOffset.UtcNow;
        using var connection = database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var counter = ChangeCounter.Take(connection, transaction);
        using (var customers = database.Dialect.OpenBulkWriter(connection, transaction, "customers", CustomerService.Table.InsertColumns))
        {
            for (var i = 0; i < n; i++)
            {
                var postcode = (1000 + random.Next(9000)).ToString(CultureInfo.InvariantCulture);
                var name = Name(random);
                var customer = new OperationalCustomer
                {
                    Code = $"O{i:D7}",
                    Kind = OperationalCustomer.AccountKind,
                    Site = site,
                    SyncToAccounting = true,
                    Active = true,
                    Name = i < shared ? name : i < shared + similar ? Vary(name, random) : Name(random),
                    Vat = i < shared ? Vat(i) : i < shared + similar ? null : Vat(10_000_000 + i),
                    Postcode = postcode,
                    Country = "ZA",
                    Phone = $"031 {i % 1000:D3} {i % 10000:D4}",
                    CreditLimit = 1000m,
                    CreatedAt = now,
                    ModifiedAt = now,
                };
                Remember(i, name, postcode);
                customers.Write(CustomerService.Table.InsertValues(customer, counter.Next()));
                if (i >= shared && i < shared + similar)
                {
                    pairs[customer.Code] = $"A{i:D7}";
                }
            }
            customers.Complete();
        }
        random = new Random(2511);
        using (var accounts = database.Dialect.OpenBulkWriter(connection, transaction, "ledger_accounts", AccountService.Table.InsertColumns))
        {
            for (var i = 0; i < n; i++)
            {
                var (name, postcode) = Recall(i);
                var account = new LedgerAccount
                {
                    Code = $"A{i:D7}",
                    Currency = "ZAR",
                    Country = "ZA",
                    Name = i < shared + similar ? name : Name(random),
                    Vat = i < shared ? Vat(i) : Vat(20_000_000 + i),
                    Postcode = i < shared + similar ? postcode : (1000 + random.Next(9000)).ToString(CultureInfo.InvariantCulture),
                    Phone = i < shared && i % 10 == 0 ? $"031 999 {i % 10000:D4}" : $"031 {i % 1000:D3} {i % 10000:D4}",
                    CreditLimit = 1000m,
                    FirstCreated = now,
                    LastModified = now,
                };
                accounts.Write(AccountService.Table.InsertValues(account, counter.Next()));
            }
            accounts.Complete();
        }
        counter.Save(connection, transaction);
        transaction.Commit();
        Names.Clear();
        return new Truth(pairs);
    }

    private static readonly List<(string Name, string Postcode)> Names = [];

    private static void Remember(int i, string name, string postcode)
    {
        if (Names.Count == i)
        {
            Names.Add((name, postcode));
        }
    }

    private static (string, string) Recall(int i) => Names[i];

    public static string Vat(long i) => "ZA" + (4_000_000_000L + i).ToString(CultureInfo.InvariantCulture);

    private static string Name(Random random) =>
        $"{Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]} {Words[random.Next(Words.Length)]} {LegalForms[random.Next(LegalForms.Length)]}".Trim();

    /// <summary>The name as another person typed it: case, punctuation, legal form, word order or a typo.</summary>
    public static string Vary(string name, Random random)
    {
        var words = name.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        switch (random.Next(5))
        {
            case 0:
                return name.ToUpperInvariant();
            case 1:
                return name.Replace("(Pty) Ltd", "Limited", StringComparison.Ordinal).Replace(" CC", " C.C.", StringComparison.Ordinal) is var replaced && replaced != name
                    ? replaced
                    : name + " Ltd";
            case 2:
                (words[0], words[1]) = (words[1], words[0]);
                return string.Join(' ', words);
            case 3:
                var word = words[random.Next(Math.Min(3, words.Count))];
                if (word.Length > 5)
                {
                    var at = 1 + random.Next(word.Length - 2);
                    var typo = word[..at] + word[at + 1] + word[at] + word[(at + 2)..];
                    return name.Replace(word, typo, StringComparison.Ordinal);
                }
                return name.ToLowerInvariant();
            default:
                return name.Replace(" ", ",  ", StringComparison.Ordinal).Replace("(", "", StringComparison.Ordinal).Replace(")", "", StringComparison.Ordinal);
        }
    }

    /// <summary>
    /// Writes <paramref name="count"/> operational customers made by <paramref name="customer"/> (index,
    /// creation time) through the store's bulk path in one transaction, each with its change number.
    /// </summary>
    public static void WriteCustomers(Database database, int count, Func<int, DateTimeOffset, OperationalCustomer> customer)
    {
        using var connection = database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var counter = ChangeCounter.Take(connection, transaction);
        var now = DateTimeOffset.UtcNow;
        using (var writer = database.Dialect.OpenBulkWriter(connection, transaction, "customers", CustomerService.Table.InsertColumns))
        {
            for (var i = 0; i < count; i++)
            {
                writer.Write(CustomerService.Table.InsertValues(customer(i, now), counter.Next()));
            }
            writer.Complete();
        }
        counter.Save(connection, transaction);
        transaction.Commit();
    }
}
