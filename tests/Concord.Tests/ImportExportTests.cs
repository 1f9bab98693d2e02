using System.Text;
using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>CSV import and export (X5): whole-file validation, skip-invalid, hostile input, on both stores.</summary>
public abstract class ImportExportTests(StoreKind kind) : StoreTest(kind)
{
    public sealed class OnSqlite() : ImportExportTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : ImportExportTests(StoreKind.Postgres);

    private const string Header = "code,name,site,kind,credit-limit,vat,country,phone\n";

    private void AddSite() => Ok("sites", "add", "Durban", "--name", "Durban");

    [Fact]
    public void X5_ImportWithAnyInvalidRowWritesNothing_AndListsEveryErrorWithLineColumnAndReason()
    {
        AddSite();
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
        AddSite();
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
        AddSite();
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
        AddSite();
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
        AddSite();
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
}
