using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>Operational customers: codes, sites, links, the sync flag (O1, O2, O5), on both stores.</summary>
public abstract class CustomerTests(StoreKind kind) : StoreTest(kind)
{
    public sealed class OnSqlite() : CustomerTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : CustomerTests(StoreKind.Postgres);

    [Fact]
    public void O1_OperationalCodesAreUniquePerCompany_CaseInsensitively()
    {
        AddSite();
        Ok("customers", "add", "HOP001", "--name", "Hope Works", "--site", "Durban");
        var duplicate = Fails("customers", "add", "hop001", "--name", "Someone else", "--site", "Durban");
        Assert.Contains("customer hop001 code: already exists", duplicate.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM customers"));
    }

    [Fact]
    public void O1_ListingIsPerSite_WithTheSeedColumns()
    {
        AddSite();
        Ok("sites", "add", "JHB", "--name", "Johannesburg");
        Ok("customers", "add", "HOP001", "--name", "Hope Works (Pty) Ltd", "--site", "durban", "--type", "RE",
            "--credit-limit", "5,000.00", "--web", "www.hopeworks.co.za", "--phone", "031 123 4567");
        Ok("customers", "add", "JHB001", "--name", "Elsewhere", "--site", "JHB");
        Ok("customers", "add", "DUR-IT", "--name", "Other type", "--site", "Durban", "--type", "IT");
        Assert.Equal("DUR-IT", Assert.Single(Ok("customers", "list", "--site", "Durban", "--type", "it", "--json").Json.EnumerateArray()).GetProperty("code").GetString());
        Ok("customers", "edit", "DUR-IT", "--active", "no");
        var listing = Ok("customers", "list", "--site", "Durban", "--json").Json;
        var only = Assert.Single(listing.EnumerateArray());
        Assert.Equal("HOP001", only.GetProperty("code").GetString());
        Assert.Equal("Durban", only.GetProperty("site").GetString());
        Assert.Equal(5000.00m, only.GetProperty("creditLimit").GetDecimal());
        Assert.Equal("www.hopeworks.co.za", only.GetProperty("webSite").GetString());
        // The whole header line, in the seed's order (--wide: no header is cut to fit).
        var table = Ok("customers", "list", "--site", "Durban", "--wide").Stdout.Split('\n');
        Assert.Equal(["code", "type", "name", "department", "department-name", "site", "credit-limit", "web-site", "phone"],
            table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["HOP001", "RE", "Hope", "Works", "(Pty)", "Ltd", "Durban", "5000.00", "www.hopeworks.co.za", "031", "123", "4567"],
            table[2].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        var chosen = Ok("customers", "list", "--site", "Durban", "--columns", "name,phone", "--wide").Stdout.Split('\n');
        Assert.Equal(["name", "phone"], chosen[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("--columns: 'nmae' is not a field", Fails("customers", "list", "--columns", "code,nmae").Stderr, StringComparison.Ordinal);
        Assert.Contains("error: site Nowhere: does not exist", Fails("customers", "list", "--site", "Nowhere").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void O1_UnknownSiteIsRefusedNamingTheField()
    {
        var result = Fails("customers", "add", "X1", "--name", "X", "--site", "Nowhere");
        Assert.Contains("customer X1 site: 'Nowhere' does not exist", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM customers"));
    }

    [Fact]
    public void O2_OperationalCustomerLinksToOneAccountCustomer_AndUnlinks()
    {
        AddSite();
        Ok("customers", "add", "CUS001", "--name", "Cash Sales Account", "--site", "Durban", "--kind", "account");
        Ok("customers", "add", "WALKIN1", "--name", "Walk-in", "--site", "Durban");
        Ok("customers", "add", "WALKIN2", "--name", "Walk-in 2", "--site", "Durban");
        Ok("customers", "link", "WALKIN1", "cus001");
        Ok("customers", "link", "WALKIN2", "CUS001");
        Assert.Equal("CUS001", Ok("customers", "show", "WALKIN1", "--json").Json.GetProperty("account").GetString());
        Assert.Contains("WALKIN1, WALKIN2", Ok("customers", "show", "CUS001").Stdout, StringComparison.Ordinal);

        Ok("customers", "unlink", "WALKIN1");
        Assert.Equal(System.Text.Json.JsonValueKind.Null, Ok("customers", "show", "WALKIN1", "--json").Json.GetProperty("account").ValueKind);
        Assert.Contains("is not linked", Fails("customers", "unlink", "WALKIN1").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void O2_LinksOnlyGoFromOperationalToAccountCustomers()
    {
        AddSite();
        Ok("customers", "add", "CUS001", "--name", "Cash Sales", "--site", "Durban", "--kind", "account");
        Ok("customers", "add", "HOP001", "--name", "Hope", "--site", "Durban", "--kind", "account");
        Ok("customers", "add", "WALKIN1", "--name", "Walk-in", "--site", "Durban");
        Ok("customers", "add", "WALKIN2", "--name", "Walk-in", "--site", "Durban");
        Assert.Contains("account: 'WALKIN2' is an operational customer", Fails("customers", "link", "WALKIN1", "WALKIN2").Stderr, StringComparison.Ordinal);
        Assert.Contains("account customer cannot be linked", Fails("customers", "link", "HOP001", "CUS001").Stderr, StringComparison.Ordinal);
        Assert.Contains("'NOPE' does not exist", Fails("customers", "link", "WALKIN1", "NOPE").Stderr, StringComparison.Ordinal);
        Ok("customers", "link", "WALKIN1", "CUS001");
        Assert.Contains("unlink them first", Fails("customers", "edit", "CUS001", "--kind", "operational").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void O5_SyncFlagDefaultsOnForAccountCustomersOnly_AndCanBeChanged()
    {
        AddSite();
        Ok("customers", "add", "ACC1", "--name", "A", "--site", "Durban", "--kind", "account");
        Ok("customers", "add", "OPS1", "--name", "O", "--site", "Durban");
        Ok("customers", "add", "PRO1", "--name", "P", "--site", "Durban", "--kind", "account", "--relation", "prospect", "--sync-to-accounting", "no");
        Assert.True(Ok("customers", "show", "ACC1", "--json").Json.GetProperty("syncToAccounting").GetBoolean());
        Assert.False(Ok("customers", "show", "OPS1", "--json").Json.GetProperty("syncToAccounting").GetBoolean());
        var prospect = Ok("customers", "show", "PRO1", "--json").Json;
        Assert.False(prospect.GetProperty("syncToAccounting").GetBoolean());
        Assert.Equal("prospect", prospect.GetProperty("relation").GetString());
        Assert.Contains("relation: 'lead' is not one of", Fails("customers", "edit", "PRO1", "--relation", "lead").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void L1_InvalidVatNumberOnACustomerIsRefusedNamingRecordFieldAndRule()
    {
        AddSite();
        var result = Fails("customers", "add", "BE1", "--name", "Belgian", "--site", "Durban", "--vat", "BE0403170702");
        Assert.Contains("customer BE1 vat: 'BE0403170702' is not a valid BE VAT number: check digits (modulo 97) do not match", result.Stderr, StringComparison.Ordinal);
        Ok("customers", "add", "BE1", "--name", "Belgian", "--site", "Durban", "--vat", "be 0403.170.701");
        Assert.Equal("BE0403170701", Ok("customers", "show", "BE1", "--json").Json.GetProperty("vat").GetString());
    }

    [Fact]
    public void U1_InactiveCustomersAreLeftOutUnlessAskedFor()
    {
        AddSite();
        Ok("customers", "add", "A1", "--name", "Active", "--site", "Durban");
        Ok("customers", "add", "I1", "--name", "Inactive", "--site", "Durban", "--active", "no");
        Assert.Single(Ok("customers", "list", "--json").Json.EnumerateArray());
        Assert.Equal(2, Ok("customers", "list", "--include-dormant", "--json").Json.GetArrayLength());
    }
}
