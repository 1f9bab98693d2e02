using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>Dormant accounts, deletion and End of Period, roles (L8, L9, U4), on both stores.</summary>
public abstract class LedgerLifecycleTests(StoreKind kind) : StoreTest(kind)
{
    public sealed class OnSqlite() : LedgerLifecycleTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : LedgerLifecycleTests(StoreKind.Postgres);

    [Fact]
    public void L8_DormantAccountsAreLeftOutOfListSearchAndExport_UnlessIncludeDormant()
    {
        AddLedgerBasics();
        Ok("ledger", "accounts", "add", "LIVE", "--name", "Bakery live");
        Ok("ledger", "accounts", "add", "SLEEP", "--name", "Bakery asleep", "--dormant", "yes");
        Assert.Equal(["LIVE"], Codes(Ok("ledger", "accounts", "list", "--json")));
        Assert.Equal(["LIVE", "SLEEP"], Codes(Ok("ledger", "accounts", "list", "--include-dormant", "--json")));
        Assert.Equal(["LIVE"], Codes(Ok("ledger", "accounts", "search", "bakery", "--json")));
        Assert.Equal(["LIVE", "SLEEP"], Codes(Ok("ledger", "accounts", "search", "bakery", "--include-dormant", "--json")));
        Assert.Equal(["LIVE"], Codes(Ok("export", "accounts", "--format", "json")));
        Assert.Equal(["LIVE", "SLEEP"], Codes(Ok("export", "accounts", "--format", "json", "--include-dormant")));
        var csv = Ok("export", "accounts").Stdout;
        Assert.DoesNotContain("SLEEP", csv, StringComparison.Ordinal);
        Assert.Equal("SLEEP", Ok("ledger", "accounts", "show", "SLEEP", "--json").Json.GetProperty("code").GetString());
    }

    [Fact]
    public void L9_DeleteNeedsSupervisor_AndOnlyMarksTheAccount()
    {
        Ok("users", "add", "carol", "--role", "clerk");
        Ok("ledger", "accounts", "add", "GONE", "--name", "Ceased trading");
        var refused = Fails("--user", "carol", "ledger", "accounts", "delete", "GONE");
        Assert.Contains("user carol role: is clerk; to delete accounts a supervisor role is needed", refused.Stderr, StringComparison.Ordinal);
        var marked = Ok("ledger", "accounts", "delete", "GONE");
        Assert.Contains("marked for deletion", marked.Stderr, StringComparison.Ordinal);
        Assert.True(Ok("ledger", "accounts", "show", "GONE", "--json").Json.GetProperty("markedForDeletion").GetBoolean());
        Assert.Equal(1, Count("SELECT COUNT(*) FROM ledger_accounts"));
        Ok("ledger", "accounts", "restore", "GONE");
        Assert.False(Ok("ledger", "accounts", "show", "GONE", "--json").Json.GetProperty("markedForDeletion").GetBoolean());
    }

    [Fact]
    public void L9_EndOfPeriodRemovesMarkedAccountsWithZeroBalanceAndNoChildren_KeepsTheRestSayingWhy()
    {
        AddLedgerBasics();
        Ok("ledger", "accounts", "add", "ZERO", "--name", "Nothing owed", "--currency", "ZAR");
        Ok("ledger", "accounts", "add", "OWES", "--name", "Still owes", "--currency", "ZAR");
        Ok("ledger", "accounts", "add", "PARENT", "--name", "Head office", "--currency", "ZAR");
        Ok("ledger", "accounts", "add", "CHILD", "--name", "Delivery", "--currency", "ZAR", "--ledger-account", "PARENT");
        Ok("ledger", "accounts", "add", "KEEP", "--name", "Not marked", "--currency", "ZAR");
        Ok("ledger", "accounts", "add", "SQUARE", "--name", "Paid but not allocated", "--currency", "ZAR");
        Ok("ledger", "post", "invoice", "OWES", "--amount", "1500");
        Ok("ledger", "post", "invoice", "SQUARE", "--amount", "80");
        Ok("ledger", "post", "receipt", "SQUARE", "--amount", "80");
        foreach (var code in new[] { "ZERO", "OWES", "PARENT", "SQUARE" })
        {
            Ok("ledger", "accounts", "delete", code);
        }

        var preview = Fails("ledger", "accounts", "end-of-period", "--json");
        Assert.Contains("Run again with --yes", preview.Stderr, StringComparison.Ordinal);
        Assert.Equal(6, Count("SELECT COUNT(*) FROM ledger_accounts"));

        var outcomes = Ok("ledger", "accounts", "end-of-period", "--yes", "--json").Json.EnumerateArray()
            .ToDictionary(o => o.GetProperty("code").GetString()!, o => (o.GetProperty("outcome").GetString(), o.GetProperty("reason").GetString()));
        Assert.Equal("removed", outcomes["ZERO"].Item1);
        Assert.Equal(("kept", "kept: balance is 1500.00, not zero"), outcomes["OWES"]);
        Assert.Equal(("kept", "kept: CHILD still uses it as ledger or invoice account"), outcomes["PARENT"]);
        // A zero balance made of an invoice and a receipt not yet allocated to each other is not settled.
        Assert.Equal(("kept", "kept: 2 transactions are not fully allocated; allocate them first"), outcomes["SQUARE"]);
        Assert.False(outcomes.ContainsKey("KEEP"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_accounts WHERE code = 'ZERO'"));
        Assert.Equal(5, Count("SELECT COUNT(*) FROM ledger_accounts"));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM audit_log WHERE action = 'remove' AND record_key = 'ZERO'"));

        Ok("ledger", "accounts", "delete", "CHILD");
        Ok("ledger", "allocate", "SQUARE", "--oldest-first");
        var second = Ok("ledger", "accounts", "end-of-period", "--yes", "--json").Json.EnumerateArray()
            .ToDictionary(o => o.GetProperty("code").GetString()!, o => o.GetProperty("outcome").GetString());
        Assert.Equal("removed", second["CHILD"]);
        Assert.Equal("removed", second["PARENT"]);
        Assert.Equal("removed", second["SQUARE"]);
        // The removed account's transactions stay as history.
        Assert.Equal(2, Count("SELECT COUNT(*) FROM ledger_transactions WHERE account_key = 'SQUARE'"));
    }

    [Fact]
    public void L9_EndOfPeriodNeedsSupervisor()
    {
        Ok("users", "add", "carol", "--role", "clerk");
        Assert.Contains("to run End of Period a supervisor role is needed",
            Fails("--user", "carol", "ledger", "accounts", "end-of-period", "--yes").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void U4_ViewerCannotWrite_ClerkCanWriteButNotManageUsers()
    {
        Ok("users", "add", "vera", "--role", "viewer");
        Ok("users", "add", "carol", "--role", "clerk");
        Ok("sites", "add", "Durban", "--name", "Durban");
        Assert.Contains("user vera role: is viewer; to add customers a clerk role is needed",
            Fails("--user", "vera", "customers", "add", "C1", "--name", "C", "--site", "Durban").Stderr, StringComparison.Ordinal);
        Assert.Contains("is viewer", Fails("--user", "vera", "ledger", "accounts", "add", "A1", "--name", "A").Stderr, StringComparison.Ordinal);
        Assert.Contains("is viewer", Fails("--user", "VERA", "sites", "add", "X", "--name", "X").Stderr, StringComparison.Ordinal);
        Ok("--user", "vera", "customers", "list");
        Ok("--user", "carol", "customers", "add", "C1", "--name", "C", "--site", "Durban");
        Assert.Contains("to add users a supervisor role is needed", Fails("--user", "carol", "users", "add", "eve", "--role", "supervisor").Stderr, StringComparison.Ordinal);
        Assert.Contains("user nobody", Fails("--user", "nobody", "customers", "list").Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_accounts"));
        Assert.Equal(3, Ok("users", "list", "--json").Json.GetArrayLength());
    }

    [Fact]
    public void U4_EveryWriteIsAudited_WhoWhenWhatBeforeAndAfter()
    {
        Ok("users", "add", "carol", "--role", "clerk");
        Ok("--user", "carol", "ledger", "accounts", "add", "A1", "--name", "Before");
        Clock.Advance(TimeSpan.FromHours(1));
        Ok("ledger", "accounts", "edit", "A1", "--name", "After");
        var entries = Ok("audit", "list", "--entity", "account", "--record", "a1", "--json").Json;
        Assert.Equal(2, entries.GetArrayLength());
        var created = entries[0];
        Assert.Equal("carol", created.GetProperty("user").GetString());
        Assert.Equal("create", created.GetProperty("action").GetString());
        Assert.Equal("2026-03-01T09:00:00.0000000Z", created.GetProperty("at").GetString());
        Assert.Equal("Before", created.GetProperty("after").GetProperty("name").GetString());
        var edited = entries[1];
        Assert.Equal("admin", edited.GetProperty("user").GetString());
        Assert.Equal("update", edited.GetProperty("action").GetString());
        Assert.Equal("2026-03-01T10:00:00.0000000Z", edited.GetProperty("at").GetString());
        Assert.Equal("Before", edited.GetProperty("before").GetProperty("name").GetString());
        Assert.Equal("After", edited.GetProperty("after").GetProperty("name").GetString());
        Fails("ledger", "accounts", "edit", "A1", "--credit-limit", "-5");
        Assert.Equal(2, Ok("audit", "list", "--record", "A1", "--json").Json.GetArrayLength());
    }

    private static string[] Codes(CliResult result) =>
        [.. result.Json.EnumerateArray().Select(a => a.GetProperty("code").GetString()!)];
}
