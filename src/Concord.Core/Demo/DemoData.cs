using Concord.Core.Common;
using Concord.Core.Exchange;
using Concord.Core.Ledger;
using Concord.Core.Operational;
using Concord.Core.Users;

namespace Concord.Core.Demo;

/// <summary>
/// Fills a store with the demo: two sites, the seed-000 customer listing as account customers
/// at Durban, a few operational-only customers linked to them, and a company ledger where some
/// of the same businesses already exist under other codes with the same VAT numbers.
/// </summary>
public static class DemoData
{
    public const string LoadedSetting = "demo-loaded";
    public const string CompanyName = "Concord Demo Trading (Pty) Ltd";

    /// <summary>The demo's users, one for each role, with the passwords `concord demo` prints.</summary>
    public static readonly (string Name, Role Role, string Password)[] Users =
    [
        (UserDirectory.FirstUserName, Role.Supervisor, "demo-admin"), ("clerk", Role.Clerk, "demo-clerk"), ("viewer", Role.Viewer, "demo-viewer"),
    ];

    /// <summary>Loads the demo once and makes its users (a password changed since stays changed); returns false when the store already holds the demo.</summary>
    public static bool Load(Session session)
    {
        // Two `demo`s at once: the second waits for the first, then finds the demo there.
        using var loading = WaitForLock(session);
        AddUsers(session);
        using (var connection = session.Database.OpenConnection())
        {
            if (Settings.Get(connection, null, LoadedSetting) is not null)
            {
                return false;
            }
        }
        var sites = new SiteService(session);
        sites.Add("Durban", "Durban");
        sites.Add("Johannesburg", "Johannesburg");
        // The ledger first: its reference data (countries) is what customers' codes are checked against.
        AddLedger(session);
        ImportListing(session);
        AddOperationalCustomers(new CustomerService(session));
        AddInvoices(session);
        // Durban's customers and the company ledger, ready to preview and sync from the web app.
        new Sync.Connections.ConnectionService(session).Add(ConnectionName, new Sync.Connections.ConnectionSettings { Site = "Durban", Model = "MODEL-RET" });
        session.Database.InTransaction((connection, transaction) =>
        {
            Settings.Set(connection, transaction, Company.NameSetting, CompanyName);
            Settings.Set(connection, transaction, LoadedSetting, Timestamps.Format(session.Now));
        });
        return true;
    }

    /// <summary>The demo's connection: Durban's customers and the company ledger.</summary>
    public const string ConnectionName = "durban";

    private static void AddUsers(Session session)
    {
        var directory = new UserDirectory(session.Database, session.Clock);
        var signIn = new SignIn(session.Database, session.Clock);
        foreach (var (name, role, password) in Users)
        {
            if (!directory.List().Any(u => Codes.Same(u.Name, name)))
            {
                directory.Add(session, name, role);
            }
            signIn.SetPasswordIfUnset(session, name, password);
        }
    }

    private static IDisposable WaitForLock(Session session)
    {
        for (var looks = 0; ; looks++)
        {
            if (session.Database.Dialect.TryLock("demo-load") is { } held)
            {
                return held;
            }
            if (looks == 600)
            {
                throw new UserError("demo", null, "another 'demo' has been loading it for over a minute; try again when it ends");
            }
            Thread.Sleep(100);
        }
    }

    private static void ImportListing(Session session)
    {
        var path = Path.Combine(Path.GetTempPath(), $"concord-demo-{Guid.NewGuid():N}.tsv");
        try
        {
            using (var resource = typeof(DemoData).Assembly.GetManifestResourceStream("Concord.Core.Demo.customer-listing.tsv")!)
            using (var file = File.Create(path))
            {
                resource.CopyTo(file);
            }
            Importers.Customers(session).Import(path, skipInvalid: false);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static void AddOperationalCustomers(CustomerService customers)
    {
        static Dictionary<string, string?> Values(params (string Field, string Value)[] values) =>
            values.ToDictionary(v => v.Field, v => (string?)v.Value);
        customers.Add(Values(("code", "WALKIN1"), ("name", "Walk-in customer Johannesburg (till 1)"), ("site", "Johannesburg"), ("type", "RE"), ("account", "CUS001")));
        customers.Add(Values(("code", "WALKIN2"), ("name", "Walk-in customer Johannesburg (till 2)"), ("site", "Johannesburg"), ("type", "RE"), ("account", "CUS001")));
        customers.Add(Values(("code", "SVC-HOPE-WS"), ("name", "Hope Works workshop"), ("site", "Johannesburg"), ("type", "RE"), ("phone", "031 123 4599"), ("account", "HOP001")));
        customers.Add(Values(("code", "SVC-TITAN-PMB"), ("name", "Titan Group Johannesburg"), ("site", "Johannesburg"), ("type", "RE"), ("account", "TIA001")));
        customers.Add(Values(("code", "JHB-ACCOUNTS"), ("name", "Johannesburg staff purchases"), ("site", "Johannesburg"), ("type", "RE"), ("customer-class", "CASH")));
        customers.Add(Values(("code", "PROS-0001"), ("name", "Sandton Dive Centre"), ("site", "Johannesburg"), ("relation", "prospect"), ("email", "info@umhlangadive.co.za")));
    }

    /// <summary>
    /// Operational invoices for the first sync to post (O3): 1:1 to an account customer's ledger
    /// account, through a linked walk-in, and to the cash sales account by the generic class CASH.
    /// </summary>
    private static void AddInvoices(Session session)
    {
        var today = FinancialYear.Today(session);
        var invoices = new InvoiceService(session);
        invoices.Add(new InvoiceInput("INV-1001", "invoice", "HOP001", "1150.00", "150.00", FinancialYear.Text(today)));
        invoices.Add(new InvoiceInput("INV-1002", "invoice", "WALKIN1", "230.00", "30.00", FinancialYear.Text(today), Reference: "Till 1"));
        invoices.Add(new InvoiceInput("INV-1003", "invoice", "JHB-ACCOUNTS", "99.00", null, FinancialYear.Text(today), Reference: "Staff purchase"));
        invoices.Add(new InvoiceInput("CRN-1001", "credit", "HOP001", "115.00", "15.00", FinancialYear.Text(today), Reference: "Returned goods"));
    }

    private static void AddLedger(Session session)
    {
        var reference = new ReferenceService(session);
        foreach (var (kind, code, name) in new[]
                 {
                     ("currency", "ZAR", "South African rand"), ("currency", "USD", "US dollar"),
                     ("country", "ZA", "South Africa"), ("country", "GB", "United Kingdom"),
                     ("region", "KZN", "KwaZulu-Natal"), ("region", "GP", "Gauteng"),
                     ("territory", "DBN-N", "Durban North"), ("territory", "DBN-S", "Durban South"),
                     ("type", "RET", "Retail"), ("type", "COR", "Corporate"), ("type", "GOV", "Government"),
                     ("cost-centre", "CC100", "Sales Durban"), ("department", "SALES", "Sales"),
                     ("despatch-method", "COURIER", "Courier"), ("despatch-method", "COLLECT", "Customer collects"),
                     ("route", "R1", "Durban coastal route"),
                 })
        {
            reference.Add(kind, code, name);
        }
        reference.AddOptions("STD", "Standard rand customer", "ZAR", "1100", "FNB-01");
        reference.AddTerms("NET30", "30 days net", 10_000m, 30);

        var accounts = new AccountService(session);
        static Dictionary<string, string?> Values(params (string Field, string Value)[] values) =>
            values.ToDictionary(v => v.Field, v => (string?)v.Value);
        accounts.Add(Values(("code", "MODEL-RET"), ("name", "Model: retail customer, Durban"), ("is-model", "yes"),
            ("options-profile", "STD"), ("terms-profile", "NET30"), ("region", "KZN"), ("territory", "DBN-N"),
            ("customer-type", "RET"), ("cost-centre", "CC100"), ("department", "SALES"), ("despatch-method", "COURIER"),
            ("route", "R1"), ("country", "ZA")));
        void FromModel(params (string Field, string Value)[] values) => accounts.Add(Values(values), "MODEL-RET");
        FromModel(("code", "HOPEWORKS"), ("name", "Hope Works (Pty) Ltd"), ("vat", "4100200301"), ("phone", "031 123 4567"), ("postcode", "4001"), ("address", "12 Smith Street, Durban"));
        FromModel(("code", "DERTON"), ("name", "Derton Technologies"), ("vat", "4100 200 302"), ("web-site", "www.dertonweb.co.za"), ("postcode", "4001"));
        FromModel(("code", "OFFICESUP"), ("name", "Office Supplies Unlimited"), ("vat", "ZA4100200303"), ("credit-limit", "500000"), ("customer-type", "COR"), ("postcode", "4051"));
        FromModel(("code", "TITAN"), ("name", "Titan Group Ltd"), ("vat", "4100200304"), ("phone", "031 852 9632"), ("customer-type", "COR"), ("postcode", "4320"));
        FromModel(("code", "GREENTEA"), ("name", "Green Tea Supplies"), ("vat", "4100200305"), ("credit-limit", "75000"), ("postcode", "4001"));
        FromModel(("code", "BIGBARG"), ("name", "Big Bargains"), ("vat", "4100200306"), ("territory", "DBN-S"), ("postcode", "4052"));
        FromModel(("code", "WESTWOOD"), ("name", "Westwood Dynamic"), ("vat", "4100200307"), ("postcode", "3629"));
        FromModel(("code", "ACME"), ("name", "Acme Hardware Pinetown"), ("vat", "4100200311"), ("postcode", "3610"));
        FromModel(("code", "COASTAL"), ("name", "Coastal Fisheries CC"), ("vat", "4100200312"), ("postcode", "4400"), ("despatch-method", "COLLECT"));
        FromModel(("code", "OLDMILL"), ("name", "Old Mill Bakery (closed)"), ("vat", "4100200313"), ("dormant", "yes"));
        FromModel(("code", "HOPEWORKS-DEL"), ("name", "Hope Works (Pty) Ltd - Pinetown delivery"), ("ledger-account", "HOPEWORKS"), ("invoice-account", "HOPEWORKS"), ("postcode", "3610"));
        FromModel(("code", "LONDONAG"), ("name", "London Agency Ltd"), ("vat", "GB 980 7806 84"), ("currency", "USD"), ("country", "GB"), ("region", "GP"), ("options-profile", ""), ("credit-limit", "0"));
        accounts.Add(Values(("code", "CASHSALES"), ("name", "Cash sales"), ("currency", "ZAR"), ("country", "ZA")));
        new CustomerClassService(session).Add(Values(("code", "CASH"), ("name", "Cash sales"), ("posting", "generic"), ("generic-account", "CASHSALES")));

        // Some history, so that the account forms show balances, aged debt and transactions (L7).
        var today = FinancialYear.Today(session);
        var yearStart = new DateOnly(today.Year, 1, 1);
        DateOnly DaysAgo(int days) => today.AddDays(-days) < yearStart ? yearStart : today.AddDays(-days);
        new TransactionService(session).PostMany(
        [
            ("demo", new Posting("DERTON", TransactionKind.Invoice, 4600m, DaysAgo(75), "INV-0901", 600m)),
            ("demo", new Posting("DERTON", TransactionKind.Receipt, 2000m, DaysAgo(40), "EFT 2291")),
            ("demo", new Posting("DERTON", TransactionKind.Invoice, 1150m, DaysAgo(10), "INV-0950", 150m)),
            ("demo", new Posting("OFFICESUP", TransactionKind.Invoice, 23000m, DaysAgo(130), "INV-0820", 3000m)),
            ("demo", new Posting("OFFICESUP", TransactionKind.Receipt, 23000m, DaysAgo(95), "EFT 1877")),
            ("demo", new Posting("OFFICESUP", TransactionKind.Invoice, 8050m, DaysAgo(35), "INV-0931", 1050m)),
            ("demo", new Posting("HOPEWORKS-DEL", TransactionKind.Invoice, 575m, DaysAgo(5), "INV-0960", 75m)),
        ]);
        new TransactionService(session).AllocateOldestFirst("OFFICESUP", today);
        new TransactionService(session).AllocateOldestFirst("DERTON", today);
    }
}
