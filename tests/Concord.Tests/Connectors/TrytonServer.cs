using Concord.Connectors.Tryton;
using Concord.Core.Connectors;

namespace Concord.Tests.Connectors;

/// <summary>
/// The real trytond the test command started (scripts/tryton.sh): CONCORD_TEST_TRYTON is
/// "URL;DATABASE;USER", the password is in the file CONCORD_TEST_TRYTON_PASSWORD_FILE, the SQLite
/// database in CONCORD_TEST_TRYTON_DATABASE_FILE. Missing, it fails every Tryton test loudly.
/// </summary>
public sealed class TrytonServer
{
    /// <summary>
    /// The Tryton tests run one at a time: trytond loads a database on its first request, and
    /// loading one while it serves others (every contract test has a fresh database) fails them.
    /// </summary>
    public const string Collection = "Tryton";

    public const string Variable = "CONCORD_TEST_TRYTON";

    public TrytonServer()
    {
        var setting = Environment.GetEnvironmentVariable(Variable)
            ?? throw new InvalidOperationException($"{Variable} is not set: run the tests with scripts/test.sh, which starts trytond (scripts/tryton.sh start DIR)");
        var parts = setting.Split(';');
        if (parts.Length != 3)
        {
            throw new InvalidOperationException($"{Variable} must read URL;DATABASE;USER");
        }
        var passwordFile = Required("CONCORD_TEST_TRYTON_PASSWORD_FILE");
        DatabaseFile = Required("CONCORD_TEST_TRYTON_DATABASE_FILE");
        Options = new TrytonOptions(new Uri(parts[0]), parts[1], parts[2], File.ReadAllText(passwordFile).Trim());
    }

    /// <summary>The administrator's options: full rights, the test company.</summary>
    public TrytonOptions Options { get; }

    public string DatabaseFile { get; }

    public TrytonConnector Connect() => new(Options);

    /// <summary>
    /// A database of its own, as set up (company, chart of accounts, countries): scripts/tryton.sh's
    /// template copied under a new name, which trytond serves at once (about a second on first use).
    /// </summary>
    public TrytonOptions FreshDatabase()
    {
        var name = "t" + Guid.NewGuid().ToString("N")[..12];
        var folder = Path.GetDirectoryName(DatabaseFile)!;
        File.Copy(Path.Combine(folder, "template.sqlite"), Path.Combine(folder, name + ".sqlite"));
        return Options with { Database = name };
    }

    /// <summary>The --accounting setting for these options (the password included: tests check it never shows).</summary>
    public static string Setting(TrytonOptions options) =>
        $"tryton:url={options.Url};database={options.Database};user={options.User};password={options.Password}";

    public TrytonClient Admin() => new(Options);

    /// <summary>A code no other test uses: tests share the one database.</summary>
    public static string UniqueCode(string prefix = "T") => prefix + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();

    /// <summary>A South African VAT number (ZA + 10 digits starting with 4) no other test uses.</summary>
    public static string UniqueSouthAfricanVat() => "ZA4" + Random.Shared.NextInt64(100_000_000, 1_000_000_000);

    /// <summary>A valid Belgian VAT number (check digits mod 97) no other test uses.</summary>
    public static string UniqueBelgianVat()
    {
        var number = Random.Shared.Next(1_000_000, 10_000_000);
        number -= number % 97 == 0 ? 1 : 0;
        return $"BE0{number:D7}{97 - number % 97:D2}";
    }

    public static SyncRecord Customer(string code, string? name = null, string? vat = null, string? phone = null, string? email = null,
        string? web = null, string? address = null, string? postcode = null, string? country = null, string creditLimit = "0.00") =>
        new(code, [name ?? $"Customer {code}", vat, phone, email, web, address, postcode, country, creditLimit]);

    private static string Required(string variable) =>
        Environment.GetEnvironmentVariable(variable)
        ?? throw new InvalidOperationException($"{variable} is not set: run the tests with scripts/test.sh");
}

/// <summary>One trytond for all Tryton test classes, which run one after another.</summary>
[CollectionDefinition(TrytonServer.Collection)]
public sealed class TrytonCollection : ICollectionFixture<TrytonServer>;
