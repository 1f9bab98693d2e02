using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>The sales ledger's customer accounts (L1–L6), on both stores.</summary>
public abstract class LedgerAccountTests(StoreKind kind) : StoreTest(kind)
{
    public sealed class OnSqlite() : LedgerAccountTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : LedgerAccountTests(StoreKind.Postgres);

    [Fact]
    public void L1_AccountCodesAreUniquePerLedger_CaseInsensitively()
    {
        AddLedgerBasics();
        Ok("ledger", "accounts", "add", "HOPE01", "--name", "Hope Works", "--currency", "ZAR");
        var duplicate = Fails("ledger", "accounts", "add", "hope01", "--name", "Other", "--currency", "ZAR");
        Assert.Contains("account hope01 code: already exists (as 'HOPE01')", duplicate.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM ledger_accounts"));
    }

    [Fact]
    public void L1_AccountHoldsEveryFieldOfTheRecord()
    {
        AddLedgerBasics();
        Ok("ledger", "accounts", "add", "HOPE01", "--name", "Hope Works (Pty) Ltd", "--address", "12 Smith Street, Durban",
            "--postcode", "4001", "--ac-contact", "Thandi", "--ac-email", "accounts@hope.co.za", "--order-contact", "Sipho",
            "--order-email", "orders@hope.co.za", "--phone", "031 123 4567", "--web-site", "www.hopeworks.co.za",
            "--vat", "4100200301", "--country", "ZA", "--currency", "ZAR", "--credit-limit", "5000", "--payment-days", "30",
            "--region", "KZN", "--customer-type", "RET", "--memo", "Pays on time");
        var account = Ok("ledger", "accounts", "show", "HOPE01", "--json").Json;
        Assert.Equal("12 Smith Street, Durban", account.GetProperty("address").GetString());
        Assert.Equal("accounts@hope.co.za", account.GetProperty("acEmail").GetString());
        Assert.Equal("orders@hope.co.za", account.GetProperty("orderEmail").GetString());
        Assert.Equal("ZA4100200301", account.GetProperty("vat").GetString());
        Assert.Equal(30, account.GetProperty("paymentDays").GetInt32());
        Assert.Equal("Pays on time", account.GetProperty("memo").GetString());
        Assert.Contains("ac-email: 'nobody' is not an e-mail address",
            Fails("ledger", "accounts", "edit", "HOPE01", "--ac-email", "nobody").Stderr, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("region", "--region")]
    [InlineData("territory", "--territory")]
    [InlineData("type", "--customer-type")]
    [InlineData("cost-centre", "--cost-centre")]
    [InlineData("department", "--department")]
    [InlineData("despatch-method", "--despatch-method")]
    [InlineData("route", "--route")]
    [InlineData("country", "--country")]
    [InlineData("currency", "--currency")]
    [InlineData("options-profile", "--options-profile")]
    [InlineData("terms-profile", "--terms-profile")]
    public void L2_EveryReferenceCodeMustExist_TheErrorNamesFieldAndCode(string referenceKind, string option)
    {
        var result = Fails("ledger", "accounts", "add", "A1", "--name", "A", option, "XX");
        Assert.Contains($"account A1 {option[2..]}: 'XX' is not a known {referenceKind}", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_accounts"));
        if (!referenceKind.EndsWith("profile", StringComparison.Ordinal))
        {
            Ok("ledger", "reference", "add", referenceKind, "XX", "--name", "Now it exists");
            Ok("ledger", "accounts", "add", "A1", "--name", "A", option, "xx");
            Assert.Equal("XX", Ok("ledger", "accounts", "show", "A1", "--json").Json.GetProperty(Json(option[2..])).GetString());
        }
    }

    [Fact]
    public void L2_ReferenceCodesAreListedAndUniquePerKind()
    {
        Ok("ledger", "reference", "add", "regions", "KZN", "--name", "KwaZulu-Natal");
        Ok("ledger", "reference", "add", "territory", "KZN", "--name", "Same code, other kind");
        Assert.Contains("already exists", Fails("ledger", "reference", "add", "region", "kzn", "--name", "Again").Stderr, StringComparison.Ordinal);
        var regions = Ok("ledger", "reference", "list", "region", "--json").Json;
        Assert.Equal("KZN", Assert.Single(regions.EnumerateArray()).GetProperty("code").GetString());
        Assert.Contains("is not one of", Fails("ledger", "reference", "list", "planets").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void L3_ModelAccountFillsEveryFieldOfANewAccount_AndAnyFieldCanBeOverridden()
    {
        AddLedgerBasics();
        Ok("ledger", "profiles", "terms", "add", "NET30", "--name", "30 days", "--credit-limit", "10000", "--payment-days", "30");
        Ok("ledger", "accounts", "add", "MODEL", "--name", "Retail model", "--is-model", "yes", "--currency", "ZAR",
            "--region", "KZN", "--customer-type", "RET", "--country", "ZA", "--terms-profile", "NET30",
            "--address", "Durban", "--memo", "from the model", "--phone", "031 000 0000");
        Ok("ledger", "accounts", "add", "NEW1", "--model", "MODEL", "--name", "New customer", "--phone", "031 999 9999");
        var model = Ok("ledger", "accounts", "show", "MODEL", "--json").Json;
        var created = Ok("ledger", "accounts", "show", "NEW1", "--json").Json;
        foreach (var property in model.EnumerateObject())
        {
            switch (property.Name)
            {
                case "code" or "isModel" or "firstCreated" or "lastModified":
                    continue;
                case "name":
                    Assert.Equal("New customer", created.GetProperty("name").GetString());
                    break;
                case "phone":
                    Assert.Equal("031 999 9999", created.GetProperty("phone").GetString());
                    break;
                default:
                    Assert.Equal(property.Value.ToString(), created.GetProperty(property.Name).ToString());
                    break;
            }
        }
        Assert.False(created.GetProperty("isModel").GetBoolean());
        Assert.Equal(10000m, created.GetProperty("creditLimit").GetDecimal());
        Assert.Contains("is not a model account", Fails("ledger", "accounts", "add", "NEW2", "--model", "NEW1", "--name", "X").Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("MODEL", Ok("ledger", "accounts", "list").Stdout, StringComparison.Ordinal);
        Assert.Contains("MODEL", Ok("ledger", "accounts", "list", "--include-models").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void L4_ProfilesFillOptionsAndTerms_CustomValuesOverrideThem()
    {
        AddLedgerBasics();
        Ok("ledger", "profiles", "options", "add", "STD", "--name", "Standard", "--currency", "ZAR", "--control-account", "1100", "--bank", "FNB");
        Ok("ledger", "profiles", "terms", "add", "NET30", "--name", "30 days", "--credit-limit", "10000", "--payment-days", "30");
        Ok("ledger", "accounts", "add", "P1", "--name", "Profiled", "--options-profile", "STD", "--terms-profile", "NET30");
        var profiled = Ok("ledger", "accounts", "show", "P1", "--json").Json;
        Assert.Equal("ZAR", profiled.GetProperty("currency").GetString());
        Assert.Equal("1100", profiled.GetProperty("controlAccount").GetString());
        Assert.Equal("FNB", profiled.GetProperty("bank").GetString());
        Assert.Equal(10000m, profiled.GetProperty("creditLimit").GetDecimal());
        Assert.Equal(30, profiled.GetProperty("paymentDays").GetInt32());

        Ok("ledger", "accounts", "add", "P2", "--name", "Custom", "--options-profile", "STD", "--bank", "ABSA", "--terms-profile", "NET30", "--payment-days", "7");
        var custom = Ok("ledger", "accounts", "show", "P2", "--json").Json;
        Assert.Equal("ABSA", custom.GetProperty("bank").GetString());
        Assert.Equal(7, custom.GetProperty("paymentDays").GetInt32());
        Assert.Equal(2, Ok("ledger", "profiles", "options", "list", "--json").Json.GetArrayLength() + Ok("ledger", "profiles", "terms", "list", "--json").Json.GetArrayLength());
        Assert.Contains("currency: 'EUR' is not a known currency", Fails("ledger", "profiles", "options", "add", "EU", "--name", "Euro", "--currency", "EUR").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void L5_LedgerAndInvoiceAccountsMustExistDifferAndShareTheCurrency()
    {
        AddLedgerBasics();
        Ok("ledger", "accounts", "add", "HEAD", "--name", "Head office", "--currency", "ZAR");
        Ok("ledger", "accounts", "add", "USD1", "--name", "Dollar account", "--currency", "USD");
        Assert.Contains("ledger-account: account 'NOPE' does not exist",
            Fails("ledger", "accounts", "add", "DEL1", "--name", "Delivery", "--currency", "ZAR", "--ledger-account", "NOPE").Stderr, StringComparison.Ordinal);
        Assert.Contains("invoice-account: 'USD1' is in USD but this account is in ZAR; both must use the same currency",
            Fails("ledger", "accounts", "add", "DEL1", "--name", "Delivery", "--currency", "ZAR", "--invoice-account", "USD1").Stderr, StringComparison.Ordinal);
        Assert.Contains("ledger-account: must be another account",
            Fails("ledger", "accounts", "edit", "HEAD", "--ledger-account", "head").Stderr, StringComparison.Ordinal);
        Ok("ledger", "accounts", "add", "DEL1", "--name", "Delivery", "--currency", "ZAR", "--ledger-account", "head", "--invoice-account", "HEAD");
        Assert.Equal("HEAD", Ok("ledger", "accounts", "show", "DEL1", "--json").Json.GetProperty("ledgerAccount").GetString());
    }

    [Fact]
    public void L5_LedgerAccountsCannotFormACycle()
    {
        AddLedgerBasics();
        Ok("ledger", "accounts", "add", "A", "--name", "A", "--currency", "ZAR");
        Ok("ledger", "accounts", "add", "B", "--name", "B", "--currency", "ZAR", "--ledger-account", "A");
        Ok("ledger", "accounts", "add", "C", "--name", "C", "--currency", "ZAR", "--ledger-account", "B");
        var result = Fails("ledger", "accounts", "edit", "A", "--ledger-account", "C");
        Assert.Contains("account A ledger-account: 'C' leads back to 'A'", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_accounts WHERE code = 'A' AND ledger_account IS NOT NULL"));
    }

    [Fact]
    public void L5_SettingALedgerAccountOnAnAccountWithTransactionsWarns()
    {
        AddLedgerBasics();
        Ok("ledger", "accounts", "add", "HEAD", "--name", "Head", "--currency", "ZAR");
        Ok("ledger", "accounts", "add", "BR1", "--name", "Branch", "--currency", "ZAR");
        Ok("ledger", "post", "invoice", "BR1", "--amount", "123.45");
        var result = Ok("ledger", "accounts", "edit", "BR1", "--ledger-account", "HEAD");
        Assert.Contains("warning: account BR1 has transactions (balance 123.45)", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void L1_CreditLimitIsNotNegative_ZeroMeansUnlimited_StoredAsExactDecimal()
    {
        AddLedgerBasics();
        Assert.Contains("credit-limit: must be 0 or more (0 means unlimited)",
            Fails("ledger", "accounts", "add", "N1", "--name", "N", "--credit-limit", "-1").Stderr, StringComparison.Ordinal);
        Assert.Contains("has more than 2 decimals",
            Fails("ledger", "accounts", "add", "N1", "--name", "N", "--credit-limit", "10.005").Stderr, StringComparison.Ordinal);
        Assert.Contains("is not an amount",
            Fails("ledger", "accounts", "add", "N1", "--name", "N", "--credit-limit", "1e3").Stderr, StringComparison.Ordinal);
        Ok("ledger", "accounts", "add", "BIG", "--name", "Big", "--credit-limit", "75,000,000.01");
        Ok("ledger", "accounts", "add", "ZERO", "--name", "Unlimited", "--credit-limit", "0");
        Assert.Equal(75_000_000.01m, Ok("ledger", "accounts", "show", "BIG", "--json").Json.GetProperty("creditLimit").GetDecimal());
        Assert.Equal(7_500_000_001, Count("SELECT credit_limit FROM ledger_accounts WHERE code = 'BIG'"));
        Assert.Equal(0, Count("SELECT credit_limit FROM ledger_accounts WHERE code = 'ZERO'"));
    }

    [Fact]
    public void L1_FirstCreatedAndLastModifiedAreStampedBySystem_AndCannotBeSet()
    {
        AddLedgerBasics();
        Ok("ledger", "accounts", "add", "T1", "--name", "Timed");
        Clock.Advance(TimeSpan.FromDays(3));
        Ok("ledger", "accounts", "edit", "T1", "--phone", "031 1");
        var account = Ok("ledger", "accounts", "show", "T1", "--json").Json;
        Assert.Equal("2026-03-01T09:00:00Z", account.GetProperty("firstCreated").GetString());
        Assert.Equal("2026-03-04T09:00:00Z", account.GetProperty("lastModified").GetString());
        Assert.Equal(2, Concord("ledger", "accounts", "edit", "T1", "--first-created", "2020-01-01").Exit);
        Assert.Equal(2, Concord("ledger", "accounts", "edit", "T1", "--balance", "5").Exit);
        // An export carries the stamps; import ignores them and stamps its own time.
        var file = WriteFile("stamped.csv", "code,name,first-created\nT2,Two,2020-01-01\n");
        Ok("import", "accounts", file);
        Assert.Equal("2026-03-04T09:00:00Z", Ok("ledger", "accounts", "show", "T2", "--json").Json.GetProperty("firstCreated").GetString());
    }

    [Fact]
    public void L6_ContactsAndMemoPerAccount()
    {
        AddLedgerBasics();
        Ok("ledger", "accounts", "add", "C1", "--name", "With contacts", "--memo", "Call before delivering");
        Ok("ledger", "accounts", "contacts", "add", "C1", "--name", "Thandi Mkhize", "--role", "Accounts", "--email", "thandi@example.co.za");
        Ok("ledger", "accounts", "contacts", "add", "c1", "--name", "Sipho Dlamini", "--phone", "082 555 0000");
        var contacts = Ok("ledger", "accounts", "contacts", "list", "C1", "--json").Json;
        Assert.Equal(2, contacts.GetArrayLength());
        Assert.Equal("thandi@example.co.za", contacts[0].GetProperty("email").GetString());
        Assert.Contains("email: 'thandi' is not an e-mail address",
            Fails("ledger", "accounts", "contacts", "add", "C1", "--name", "X", "--email", "thandi").Stderr, StringComparison.Ordinal);
        Assert.Equal("Call before delivering", Ok("ledger", "accounts", "show", "C1", "--json").Json.GetProperty("memo").GetString());
    }

    [Fact]
    public void L1_OverLongAndHostileValuesAreRefusedNamingTheField()
    {
        var longName = new string('x', 61);
        Assert.Contains("name: is 61 characters long; at most 60 are allowed",
            Fails("ledger", "accounts", "add", "L1", "--name", longName).Stderr, StringComparison.Ordinal);
        Assert.Contains("code: contains 'space'",
            Fails("ledger", "accounts", "add", "A B", "--name", "Spaced").Stderr, StringComparison.Ordinal);
        Ok("ledger", "accounts", "add", "Q1", "--name", "Robert'); DROP TABLE ledger_accounts;--");
        Assert.Equal("Robert'); DROP TABLE ledger_accounts;--", Ok("ledger", "accounts", "show", "Q1", "--json").Json.GetProperty("name").GetString());
    }

    private static string Json(string option) =>
        string.Concat(option.Split('-').Select((part, i) => i == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]));
}
