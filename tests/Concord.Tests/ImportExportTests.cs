using System.Globalization;
using System.Text;
using System.Text.Json;
using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>CSV import and export (X5): whole-file validation, skip-invalid, hostile input, on both stores.</summary>
public abstract class ImportExportTests(StoreKind kind) : StoreTest(kind)
{
    public sealed class OnSqlite() : ImportExportTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : ImportExportTests(StoreKind.Postgres);

    private const string Header = "code,name,site,kind,credit-limit,vat,country,phone\n";

    private void AddSiteAndCountry()
    {
        AddSite();
        Ok("ledger", "reference", "add", "country", "ZA", "--name", "South Africa");
    }

    [Fact]
    public void X5_ImportWithAnyInvalidRowWritesNothing_AndListsEveryErrorWithLineColumnAndReason()
    {
        AddSiteAndCountry();
        var file = WriteFile("customers.csv", Header +
            "GOOD1,Good One,Durban,account,100.00,,,031 1\n" +
            "BAD1,Bad credit,Durban,account,-5,,,\n" +
            "BAD2,Bad site,Nowhere,account,,,,\n" +
            "BAD3,Bad VAT,Durban,account,,BE0403170702,,\n" +
            "GOOD2,\"Quoted, with comma\",durban,operational,,4100200301,ZA,\n");
        var result = Fails("import", "customers", file);
        Assert.Contains("line 3: customer BAD1 credit-limit: must be 0 or more", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 4: customer BAD2 site: 'Nowhere' does not exist", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 5: customer BAD3 vat: 'BE0403170702' is not a valid BE VAT number", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("3 errors.", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM customers"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM audit_log WHERE action = 'import'"));
    }

    [Fact]
    public void X5_SkipInvalidWritesTheValidRowsAndListsTheRest()
    {
        AddSiteAndCountry();
        var file = WriteFile("customers.csv", Header +
            "GOOD1,Good One,Durban,account,100.00,,,031 1\n" +
            "BAD1,Bad credit,Durban,account,-5,,,\n" +
            "GOOD2,\"Quoted, with comma\",durban,operational,,4100200301,ZA,\n");
        var result = Ok("import", "customers", file, "--skip-invalid");
        Assert.Contains("skipped: line 3: customer BAD1 credit-limit", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("2 imported, 1 rejected.", result.Stderr, StringComparison.Ordinal);
        var listed = Ok("customers", "list", "--json").Json;
        Assert.Equal(2, listed.GetArrayLength());
        var good2 = Ok("customers", "show", "GOOD2", "--json").Json;
        Assert.Equal("Quoted, with comma", good2.GetProperty("name").GetString());
        Assert.Equal("Durban", good2.GetProperty("site").GetString());
        Assert.Equal("ZA4100200301", good2.GetProperty("vat").GetString());
        Assert.Equal("2026-03-01T09:00:00Z", good2.GetProperty("createdAt").GetString());
        Assert.Equal(1, Count("SELECT COUNT(*) FROM audit_log WHERE action = 'import'"));
        var audit = Assert.Single(Ok("audit", "list", "--entity", "customer", "--json").Json.EnumerateArray());
        Assert.Equal("admin", audit.GetProperty("user").GetString());
        Assert.Equal(["GOOD1", "GOOD2"], audit.GetProperty("after").GetProperty("codes").EnumerateArray().Select(c => c.GetString()));
    }

    [Fact]
    public void X5_DuplicateCodesInsideOneFileAndAgainstTheStoreAreRefused()
    {
        AddSiteAndCountry();
        Ok("customers", "add", "OLD1", "--name", "Already here", "--site", "Durban");
        var file = WriteFile("dups.csv", Header +
            "NEW1,First,Durban,account,,,,\n" +
            "new1,Second,Durban,account,,,,\n" +
            "old1,Clash,Durban,account,,,,\n");
        var result = Fails("import", "customers", file);
        Assert.Contains("line 3: customer new1 code: appears twice in the file (first on line 2)", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 4: customer old1 code: already exists in the store", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM customers"));
    }

    [Fact]
    public void X5_OverLongFieldsBadEncodingAndUnknownColumnsAreReported()
    {
        AddSiteAndCountry();
        var path = Path.Combine(Store.DataDirectory, "hostile.csv");
        var bytes = new List<byte>();
        bytes.AddRange(Encoding.UTF8.GetBytes(Header));
        bytes.AddRange(Encoding.UTF8.GetBytes($"LONG1,{new string('n', 61)},Durban,account,,,,\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes("ENC1,Caf"));
        bytes.AddRange([0xE9, 0x20]); // Latin-1 é: not UTF-8
        bytes.AddRange(Encoding.UTF8.GetBytes(",Durban,account,,,,\n"));
        bytes.AddRange(Encoding.UTF8.GetBytes("OK1,Fine,Durban,account,abc,,,\n"));
        File.WriteAllBytes(path, [.. bytes]);
        var result = Fails("import", "customers", path);
        Assert.Contains("line 2: customer LONG1 name: is 61 characters long; at most 60 are allowed", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 3: customer ENC1 name: contains invalid character (bad encoding); check the file is saved as UTF-8", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 4: customer OK1 credit-limit: 'abc' is not an amount", result.Stderr, StringComparison.Ordinal);

        var unknown = WriteFile("unknown.csv", "code,name,site,colour\nX,Y,Durban,red\n");
        Assert.Contains("line 1: column 4 colour: is not a field of a customer", Fails("import", "customers", unknown).Stderr, StringComparison.Ordinal);
        Assert.Contains("has no code column", Fails("import", "customers", WriteFile("nocode.csv", "name,site\nY,Durban\n")).Stderr, StringComparison.Ordinal);
        Assert.Contains("does not exist", Fails("import", "customers", Path.Combine(Store.DataDirectory, "missing.csv")).Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM customers"));
    }

    [Fact]
    public void X5_ExportDefusesFormulaInjection_AndRoundTripsThroughImport()
    {
        AddSiteAndCountry();
        Ok("customers", "add", "F1", "--name", "=HYPERLINK(\"http://evil\")", "--site", "Durban", "--phone", "+27 31 123 4567");
        Ok("customers", "add", "F2", "--name", "@SUM(A1)", "--site", "Durban", "--department", "-dept");
        var csv = Ok("export", "customers").Stdout;
        Assert.Contains("'=HYPERLINK", csv, StringComparison.Ordinal);
        Assert.Contains("'+27 31 123 4567", csv, StringComparison.Ordinal);
        Assert.Contains("'@SUM(A1)", csv, StringComparison.Ordinal);
        Assert.Contains("'-dept", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",=", csv, StringComparison.Ordinal);

        var json = Ok("export", "customers", "--format", "json").Json;
        Assert.Equal("=HYPERLINK(\"http://evil\")", json[0].GetProperty("name").GetString());

        var plain = WriteFile("plain.csv", Ok("export", "customers").Stdout.Replace("F1", "G1", StringComparison.Ordinal).Replace("F2", "G2", StringComparison.Ordinal));
        Ok("import", "customers", plain);
        Assert.Equal(4, Ok("customers", "list", "--json").Json.GetArrayLength());
    }

    [Fact]
    public void X5_AccountsImportChecksReferencesAndAccountsEarlierInTheFile()
    {
        AddLedgerBasics();
        var file = WriteFile("accounts.csv",
            "code,name,currency,ledger-account,region,credit-limit\n" +
            "HEAD,Head office,ZAR,,KZN,1000\n" +
            "DEL1,Delivery,ZAR,HEAD,,\n" +
            "DEL2,Wrong currency,USD,HEAD,,\n" +
            "R1,Bad region,ZAR,,MARS,\n");
        var result = Fails("import", "accounts", file);
        Assert.Contains("line 4: account DEL2 ledger-account: 'HEAD' is in ZAR but this account is in USD", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 5: account R1 region: 'MARS' is not a known region", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_accounts"));
        Ok("import", "accounts", file, "--skip-invalid");
        Assert.Equal("HEAD", Ok("ledger", "accounts", "show", "DEL1", "--json").Json.GetProperty("ledgerAccount").GetString());
        Assert.Equal(2, Count("SELECT COUNT(*) FROM ledger_accounts"));
    }

    private JsonElement Customer(string code) => Ok("customers", "show", code, "--json").Json;

    private long AuditLines(string action) => Count($"SELECT COUNT(*) FROM audit_log WHERE action = '{action}'");

    [Fact]
    public void X5_ImportUpdate_ChangesOnlyTheColumnsInTheFile_WithABeforeAfterAuditLinePerRecord()
    {
        AddSiteAndCountry();
        Ok("customers", "add", "U1", "--name", "Before", "--site", "Durban", "--phone", "031 1", "--email", "u1@example.com", "--kind", "account");
        Ok("customers", "add", "U2", "--name", "Two", "--site", "Durban", "--phone", "031 2");
        Clock.Advance(TimeSpan.FromDays(1));
        var file = WriteFile("update.csv", "code,name,phone\nu1,After,\nU2,Two,031 2\n");
        var result = Ok("import", "customers", file, "--update");
        Assert.Contains("0 created, 1 updated, 1 unchanged, 0 rejected.", result.Stderr, StringComparison.Ordinal);
        var u1 = Customer("U1");
        Assert.Equal("After", u1.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, u1.GetProperty("phone").ValueKind); // an empty cell clears, as edit does
        Assert.Equal("u1@example.com", u1.GetProperty("email").GetString()); // no column: unchanged
        Assert.Equal("account", u1.GetProperty("kind").GetString());
        Assert.True(u1.GetProperty("syncToAccounting").GetBoolean());
        Assert.Equal("2026-03-01T09:00:00Z", u1.GetProperty("createdAt").GetString());
        Assert.Equal("2026-03-02T09:00:00Z", u1.GetProperty("modifiedAt").GetString());
        Assert.Equal("2026-03-01T09:00:00Z", Customer("U2").GetProperty("modifiedAt").GetString());
        var audit = Assert.Single(Ok("audit", "list", "--entity", "customer", "--json").Json.EnumerateArray(), a => a.GetProperty("action").GetString() == "update");
        Assert.Equal("U1", audit.GetProperty("record").GetString());
        Assert.Equal("Before", audit.GetProperty("before").GetProperty("name").GetString());
        Assert.Equal("After", audit.GetProperty("after").GetProperty("name").GetString());
        Assert.False(audit.GetProperty("after").TryGetProperty("phone", out _));
    }

    [Fact]
    public void X5_ImportUpdate_OfAnUneditedExport_ChangesNothingAndWritesNoAuditLine()
    {
        AddSiteAndCountry();
        Ok("customers", "add", "E1", "--name", "=Formula", "--site", "Durban", "--country", "ZA", "--vat", "4100200301", "--credit-limit", "1500");
        Ok("customers", "add", "E2", "--name", "Second", "--site", "Durban", "--kind", "account", "--web", "www.example.co.za");
        Ok("customers", "link", "E1", "E2");
        var export = WriteFile("export.csv", Ok("export", "customers").Stdout);
        Assert.Contains("created-at", File.ReadAllText(export).Split('\n')[0], StringComparison.Ordinal);
        var lines = Count("SELECT COUNT(*) FROM audit_log");
        var before = Ok("customers", "list", "--json").Stdout;
        Clock.Advance(TimeSpan.FromHours(1));
        Assert.Contains("0 created, 0 updated, 2 unchanged, 0 rejected.", Ok("import", "customers", export, "--update").Stderr, StringComparison.Ordinal);
        Assert.Equal(before, Ok("customers", "list", "--json").Stdout);
        Assert.Equal(lines, Count("SELECT COUNT(*) FROM audit_log"));

        var edited = WriteFile("edited.csv", File.ReadAllText(export).Replace("Second", "Second, renamed", StringComparison.Ordinal).Replace("Second, renamed", "\"Second, renamed\"", StringComparison.Ordinal));
        Assert.Contains("0 created, 1 updated, 1 unchanged", Ok("import", "customers", edited, "--mode", "update").Stderr, StringComparison.Ordinal);
        Assert.Equal("Second, renamed", Customer("E2").GetProperty("name").GetString());
        Assert.Equal("=Formula", Customer("E1").GetProperty("name").GetString());
        Assert.Equal(lines + 2, Count("SELECT COUNT(*) FROM audit_log")); // the update and the import
    }

    [Fact]
    public void X5_ImportModes_UpdateRefusesNewCodes_CreateRefusesExistingOnes_UpsertDoesBoth()
    {
        AddSiteAndCountry();
        Ok("customers", "add", "OLD1", "--name", "Old", "--site", "Durban");
        var file = WriteFile("mixed.csv", "code,name,site\nOLD1,Old renamed,Durban\nNEW1,New,Durban\n");
        Assert.Contains("line 3: customer NEW1: does not exist", Fails("import", "customers", file, "--update").Stderr, StringComparison.Ordinal);
        Assert.Contains("line 2: customer OLD1 code: already exists in the store", Fails("import", "customers", file).Stderr, StringComparison.Ordinal);
        Assert.Contains("line 2: customer OLD1 code: already exists in the store", Fails("import", "customers", file, "--mode", "create").Stderr, StringComparison.Ordinal);
        Assert.Equal("Old", Customer("OLD1").GetProperty("name").GetString());
        Assert.Equal(1, Count("SELECT COUNT(*) FROM customers"));
        Assert.Contains("1 created, 1 updated, 0 unchanged, 0 rejected.", Ok("import", "customers", file, "--mode", "upsert").Stderr, StringComparison.Ordinal);
        Assert.Equal("Old renamed", Customer("OLD1").GetProperty("name").GetString());
        Assert.Equal("New", Customer("NEW1").GetProperty("name").GetString());
        Assert.Equal(2, Concord("import", "customers", file, "--update", "--mode", "create").Exit);
    }

    [Fact]
    public void X5_ImportUpdate_AnyInvalidRowWritesNothing_SkipInvalidWritesTheValidOnes()
    {
        AddSiteAndCountry();
        Ok("customers", "add", "A1", "--name", "One", "--site", "Durban");
        Ok("customers", "add", "A2", "--name", "Two", "--site", "Durban");
        Ok("customers", "add", "ACC", "--name", "Account", "--site", "Durban", "--kind", "account");
        Ok("customers", "link", "A2", "ACC");
        var lines = Count("SELECT COUNT(*) FROM audit_log");
        var updates = AuditLines("update");
        var file = WriteFile("bad-update.csv", "code,name,credit-limit,kind\nA1,One changed,-5,\nA2,Two changed,10,operational\nACC,Account,,operational\nA1,Twice,,\n");
        var result = Fails("import", "customers", file, "--update");
        Assert.Contains("line 2: customer A1 credit-limit: must be 0 or more", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 4: customer ACC kind: operational customers are linked to it; unlink them first", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 5: customer A1 code: appears twice in the file (first on line 2)", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("Two", Customer("A2").GetProperty("name").GetString());
        Assert.Equal(lines, Count("SELECT COUNT(*) FROM audit_log"));

        var skipped = Ok("import", "customers", file, "--update", "--skip-invalid");
        Assert.Contains("0 created, 1 updated, 0 unchanged, 3 rejected.", skipped.Stderr, StringComparison.Ordinal);
        Assert.Equal("Two changed", Customer("A2").GetProperty("name").GetString());
        Assert.Equal(10m, Customer("A2").GetProperty("creditLimit").GetDecimal());
        Assert.Equal("One", Customer("A1").GetProperty("name").GetString());
        Assert.Equal(updates + 1, AuditLines("update"));
    }

    [Fact]
    public void X5_AccountsExportEditImportUpdate_ChangesTheEditedAccountsOnly()
    {
        AddLedgerBasics();
        Ok("ledger", "accounts", "add", "HEAD", "--name", "Head office", "--currency", "ZAR", "--region", "KZN", "--memo", "keep me");
        Ok("ledger", "accounts", "add", "DEL1", "--name", "Delivery", "--currency", "ZAR", "--ledger-account", "HEAD");
        Ok("ledger", "post", "invoice", "HEAD", "--amount", "123.45");
        var export = Ok("export", "accounts").Stdout;
        Assert.Contains("balance", export.Split('\n')[0], StringComparison.Ordinal);
        Assert.Contains("0 created, 0 updated, 2 unchanged", Ok("import", "accounts", WriteFile("same.csv", export), "--update").Stderr, StringComparison.Ordinal);
        Clock.Advance(TimeSpan.FromDays(2));
        var edited = WriteFile("edited.csv", export.Replace("Head office", "Head office (new)", StringComparison.Ordinal));
        Assert.Contains("0 created, 1 updated, 1 unchanged", Ok("import", "accounts", edited, "--update").Stderr, StringComparison.Ordinal);
        var head = Ok("ledger", "accounts", "show", "HEAD", "--json").Json;
        Assert.Equal("Head office (new)", head.GetProperty("name").GetString());
        Assert.Equal(123.45m, head.GetProperty("balance").GetDecimal());
        Assert.Equal("keep me", head.GetProperty("memo").GetString());
        Assert.Equal("2026-03-03T09:00:00Z", head.GetProperty("lastModified").GetString());
        Assert.Equal("2026-03-01T09:00:00Z", head.GetProperty("firstCreated").GetString());
        var cycle = WriteFile("cycle.csv", "code,ledger-account\nHEAD,DEL1\n");
        Assert.Contains("line 2: account HEAD ledger-account: 'DEL1' leads back to 'HEAD'", Fails("import", "accounts", cycle, "--update").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void U1_ExportAndImportWithStderrRedirected_PrintNoProgress()
    {
        AddSiteAndCountry();
        var csv = new StringBuilder(Header);
        for (var i = 0; i < 25_000; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"P{i:D5},Customer {i},Durban,account,,,,\n");
        }
        var import = Executable("import", "customers", WriteFile("many.csv", csv.ToString()));
        Assert.True(import.Exit == 0, import.ToString());
        Assert.Equal("25000 imported, 0 rejected.\n", import.Stderr);
        var export = Executable("export", "customers");
        Assert.True(export.Exit == 0, export.Stderr);
        Assert.Equal("25000 customers exported.\n", export.Stderr);
        Assert.Equal(25_001, export.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
    }
}
