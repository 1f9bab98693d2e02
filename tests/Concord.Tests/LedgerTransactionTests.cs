using System.Text.Json;
using Concord.Core;
using Concord.Core.Ledger;
using Concord.Core.Users;
using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>
/// Ledger transactions (L7): posting, allocation, reversal, balances, turnover, debtor days, aged
/// debt, credit limits, periods and year end; on both stores. The test clock starts on 2026-03-01,
/// in the default financial year 2026-01-01 to 2026-12-31.
/// </summary>
public abstract class LedgerTransactionTests(StoreKind kind) : StoreTest(kind)
{
    public sealed class OnSqlite() : LedgerTransactionTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : LedgerTransactionTests(StoreKind.Postgres);

    private JsonElement Standing(string code, params string[] options) => Ok(["ledger", "balance", code, "--json", .. options]).Json;

    private decimal Balance(string code) => Standing(code).GetProperty("balance").GetDecimal();

    private long Post(string kindName, string code, params string[] options)
    {
        Ok(["ledger", "post", kindName, code, .. options]);
        return Count("SELECT MAX(id) FROM ledger_transactions");
    }

    private void Account(string code, params string[] fields) =>
        Ok(["ledger", "accounts", "add", code, "--name", $"Customer {code}", "--currency", "ZAR", .. fields]);

    [Fact]
    public void L7_EachKindOfTransaction_MovesTheBalanceItsWay_AndBadPostingsAreRefusedByField()
    {
        AddLedgerBasics();
        Account("C1");
        Post("invoice", "C1", "--amount", "1000", "--vat", "130.43", "--ref", "INV-1");
        Post("credit", "C1", "--amount", "100");
        Post("receipt", "C1", "--amount", "300");
        Post("refund", "C1", "--amount", "50");
        Post("adjustment", "C1", "--amount", "-20");
        Post("adjustment", "C1", "--amount", "5");

        // invoices + refunds + debit adjustments − credits − receipts − credit adjustments
        Assert.Equal(635m, Balance("C1"));
        Assert.Equal(635m, Ok("ledger", "accounts", "show", "C1", "--json").Json.GetProperty("balance").GetDecimal());
        Assert.Equal(6_350_000, Count("SELECT balance FROM ledger_accounts WHERE code = 'C1'"));

        Assert.Contains("invoice for C1 amount: 0.00 is not positive", Fails("ledger", "post", "invoice", "C1", "--amount", "0").Stderr, StringComparison.Ordinal);
        Assert.Contains("receipt for C1 amount: -5.00 is not positive", Fails("ledger", "post", "receipt", "C1", "--amount", "-5").Stderr, StringComparison.Ordinal);
        Assert.Contains("adjustment for C1 amount: is 0", Fails("ledger", "post", "adjustment", "C1", "--amount", "0").Stderr, StringComparison.Ordinal);
        Assert.Contains("receipt for C1 vat: only invoices and credit notes carry VAT", Fails("ledger", "post", "receipt", "C1", "--amount", "5", "--vat", "1").Stderr, StringComparison.Ordinal);
        Assert.Contains("invoice for C1 vat: 6.00 is not between 0 and the amount 5.00", Fails("ledger", "post", "invoice", "C1", "--amount", "5", "--vat", "6").Stderr, StringComparison.Ordinal);
        Assert.Contains("invoice for C1 amount: '900000000000000' is too large", Fails("ledger", "post", "invoice", "C1", "--amount", "900000000000000").Stderr, StringComparison.Ordinal);
        Account("BIG");
        Post("invoice", "BIG", "--amount", "899999999999999");
        Assert.Contains("account BIG amount: these postings would take its balance past 900000000000000.00", Fails("ledger", "post", "invoice", "BIG", "--amount", "899999999999999").Stderr, StringComparison.Ordinal);
        Assert.Equal(899_999_999_999_999m, Balance("BIG"));
        Assert.Contains("invoice for C1 amount: 'ten' is not an amount", Fails("ledger", "post", "invoice", "C1", "--amount", "ten").Stderr, StringComparison.Ordinal);
        Assert.Contains("invoice for C1 date: '1/3/2026' is not a date", Fails("ledger", "post", "invoice", "C1", "--amount", "5", "--date", "1/3/2026").Stderr, StringComparison.Ordinal);
        Assert.Contains("invoice for NOBODY account: 'NOBODY' does not exist in the ledger", Fails("ledger", "post", "invoice", "NOBODY", "--amount", "5").Stderr, StringComparison.Ordinal);
        Ok("ledger", "accounts", "add", "MODEL", "--name", "Retail model", "--is-model", "yes");
        Assert.Contains("'MODEL' is a model account", Fails("ledger", "post", "invoice", "MODEL", "--amount", "5").Stderr, StringComparison.Ordinal);
        Assert.Contains("reference: contains U+0007", Fails("ledger", "post", "invoice", "C1", "--amount", "5", "--ref", "a\u0007b").Stderr, StringComparison.Ordinal);
        Assert.Equal(7, Count("SELECT COUNT(*) FROM ledger_transactions"));
        Assert.Equal(635m, Balance("C1"));
    }

    [Fact]
    public void L7_AsOfADay_TheBalanceAndAgedDebtAreAsTheyStoodThen_NotCountingLaterPostingsOrAllocations()
    {
        AddLedgerBasics();
        Account("C1");
        var invoice = Post("invoice", "C1", "--amount", "100", "--date", "2026-02-01");
        var receipt = Post("receipt", "C1", "--amount", "100", "--date", "2026-03-10");
        Ok("ledger", "allocate", "C1", "--debit", $"{invoice}", "--credit", $"{receipt}", "--date", "2026-03-10");
        Post("invoice", "C1", "--amount", "50", "--date", "2026-03-20");
        var reversed = Post("invoice", "C1", "--amount", "7", "--date", "2026-02-15");
        Ok("ledger", "reverse", $"{reversed}", "--date", "2026-03-12");

        // On 5 March both February invoices were owed (one 32 days old, one 18); nothing later counted.
        var before = Standing("C1", "--as-of", "2026-03-05");
        Assert.Equal(107m, before.GetProperty("balance").GetDecimal());
        Assert.Equal(100m, before.GetProperty("aged").GetProperty("days30").GetDecimal());
        Assert.Equal(7m, before.GetProperty("aged").GetProperty("current").GetDecimal());
        Assert.Equal(2, before.GetProperty("unallocated").GetInt32());
        Assert.Equal("2026-02-15", before.GetProperty("lastInvoice").GetString());
        var agedThen = Ok("ledger", "aged", "--as-of", "2026-03-05", "--json").Json.GetProperty("accounts")[0];
        Assert.Equal(100m, agedThen.GetProperty("aged").GetProperty("days30").GetDecimal());
        Assert.Equal(107m, agedThen.GetProperty("balance").GetDecimal());

        // On 15 March the receipt had settled the first invoice and the reversal the other: nothing owed.
        var settled = Standing("C1", "--as-of", "2026-03-15");
        Assert.Equal(0m, settled.GetProperty("balance").GetDecimal());
        Assert.Equal(0, settled.GetProperty("unallocated").GetInt32());
        Assert.Equal("2026-02-01", settled.GetProperty("lastInvoice").GetString());

        // Today (and any day after the last posting) it is what the ledger holds now.
        Assert.Equal(50m, Balance("C1"));
        Assert.Equal(50m, Standing("C1", "--as-of", "2026-12-31").GetProperty("balance").GetDecimal());
    }

    [Fact]
    public void L7_AmountsAreExact_InTheMinorUnitsOfTheAccountsCurrency()
    {
        AddLedgerBasics();
        Ok("ledger", "reference", "add", "currency", "JPY", "--name", "Yen");
        Ok("ledger", "reference", "add", "currency", "KWD", "--name", "Kuwaiti dinar");
        Ok("ledger", "accounts", "add", "JP", "--name", "Tokyo Traders", "--currency", "JPY");
        Ok("ledger", "accounts", "add", "KW", "--name", "Kuwait Traders", "--currency", "KWD");

        Assert.Contains("1000.5 has more than 0 decimals (JPY has 0)", Fails("ledger", "post", "invoice", "JP", "--amount", "1000.5").Stderr, StringComparison.Ordinal);
        Post("invoice", "JP", "--amount", "1000");
        Post("invoice", "KW", "--amount", "1.234");
        Post("receipt", "KW", "--amount", "0.001");
        Assert.Contains("has more than 3 decimals (KWD has 3)", Fails("ledger", "post", "invoice", "KW", "--amount", "0.0005").Stderr, StringComparison.Ordinal);

        Assert.Equal(1000m, Balance("JP"));
        // Its amounts are in yen: the account cannot move to another currency.
        Assert.Contains("account JP currency: cannot change from JPY: the account has transactions in it", Fails("ledger", "accounts", "edit", "JP", "--currency", "ZAR").Stderr, StringComparison.Ordinal);
        Assert.Contains("currency: cannot change from JPY", Fails("import", "accounts", WriteFile("jp.csv", "code,currency\nJP,ZAR\n"), "--update").Stderr, StringComparison.Ordinal);
        Assert.Equal(1.233m, Balance("KW"));
        Assert.Equal(1.233m, Ok("ledger", "accounts", "show", "KW", "--json").Json.GetProperty("balance").GetDecimal());
        Assert.Equal([1000L, 1234L, -1L], Strings("SELECT amount FROM ledger_transactions ORDER BY id").Select(v => long.Parse(v!, System.Globalization.CultureInfo.InvariantCulture)));
        var transactions = Ok("ledger", "transactions", "KW").Stdout;
        Assert.Contains("1.234", transactions, StringComparison.Ordinal);
        Assert.Contains("-0.001", transactions, StringComparison.Ordinal);
    }

    [Fact]
    public void L5_ADeliveryAccountsPostings_GoToItsLedgerAccount()
    {
        AddLedgerBasics();
        Account("HEAD");
        Account("BRANCH", "--ledger-account", "HEAD");
        var posted = Ok("ledger", "post", "invoice", "BRANCH", "--amount", "200");
        Assert.Contains("posted to HEAD (for delivery account BRANCH)", posted.Stderr, StringComparison.Ordinal);
        Assert.Equal(200m, Balance("HEAD"));
        Assert.Equal(0m, Balance("BRANCH"));
        var line = Assert.Single(Ok("ledger", "transactions", "BRANCH", "--json").Json.EnumerateArray());
        Assert.Equal("HEAD", line.GetProperty("account").GetString());
        Assert.Contains("posted to HEAD", Ok("ledger", "transactions", "BRANCH").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void L7_TransactionsNameTheirAccountsByTheCodesAsTyped_AndAllocateWhicheverCaseIsTyped()
    {
        AddLedgerBasics();
        Account("Head-Office");
        Account("Branch-7", "--ledger-account", "Head-Office");
        var invoice = Post("invoice", "branch-7", "--amount", "120");
        var receipt = Post("receipt", "HEAD-OFFICE", "--amount", "50");
        var lines = Ok("ledger", "transactions", "Branch-7", "--json").Json.EnumerateArray().ToList();
        var first = Assert.Single(lines);
        Assert.Equal("Head-Office", first.GetProperty("account").GetString());
        Assert.Equal("Branch-7", first.GetProperty("named").GetString());
        var table = Ok("ledger", "transactions", "Branch-7").Stdout;
        Assert.Contains("Head-Office", table, StringComparison.Ordinal);
        Assert.DoesNotContain("HEAD-OFFICE", table, StringComparison.Ordinal);
        Assert.Equal(["Head-Office", "Head-Office"],
            Ok("ledger", "transactions", "head-office", "--json").Json.EnumerateArray().Select(t => t.GetProperty("account").GetString()).ToArray());
        Assert.Contains($"50.00 ZAR of transaction {receipt} allocated to transaction {invoice}.",
            Ok("ledger", "allocate", "head-office", "--debit", $"{invoice}", "--credit", $"{receipt}").Stderr, StringComparison.Ordinal);
        Assert.Equal("70.00", Ok("ledger", "transactions", "Head-Office", "--json").Json.EnumerateArray().First().GetProperty("outstanding").GetString());

        // Reversing the allocated invoice moves the balance kept on the account as much as the one summed from the postings.
        Ok("ledger", "reverse", $"{invoice}");
        Assert.Equal(-50m, Balance("Head-Office"));
        Assert.Equal(-50m, Ok("ledger", "accounts", "show", "Head-Office", "--json").Json.GetProperty("balance").GetDecimal());
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_allocations WHERE account_key <> 'HEAD-OFFICE'"));
    }

    [Fact]
    public async Task L7_BatchesPostedAtOnceByManyWriters_AllLand_AndEveryBalanceAddsUp()
    {
        AddLedgerBasics();
        var codes = Enumerable.Range(1, 30).Select(i => $"W{i:D2}").ToArray();
        new AccountService(new Session(Store.Open(), new User("admin", Role.Supervisor), Clock)).AddMany(
            [.. codes.Select(c => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?> { ["code"] = c, ["name"] = $"Writer {c}", ["currency"] = "ZAR" })]);
        // Four writers, each posting batches over every account: two take them in one order, two in the other. Unless every
        // batch moves its accounts in one order, PostgreSQL finds two of them waiting on each other and aborts one.
        var writers = Enumerable.Range(0, 4).Select(w => Task.Run(() =>
        {
            var service = new TransactionService(new Session(Store.Open(), new User($"writer{w}", Role.Clerk), Clock));
            var order = w % 2 == 0 ? codes : [.. codes.Reverse()];
            for (var round = 0; round < 8; round++)
            {
                service.PostMany([.. order.Select(c => ($"invoice for {c}", new Posting(c, TransactionKind.Invoice, 1.25m, new DateOnly(2026, 2, 1))))]);
            }
        })).ToArray();
        await Task.WhenAll(writers);

        Assert.Equal(4 * 8 * codes.Length, Count("SELECT COUNT(*) FROM ledger_transactions"));
        var accounts = new AccountService(new Session(Store.Open(), new User("admin", Role.Supervisor), Clock));
        Assert.All(codes, c =>
        {
            Assert.Equal(40m, accounts.Get(c).Balance);
            Assert.Equal(40m, Balance(c));
        });
    }

    [Fact]
    public async Task L7_EditingAnAccountWhilePostingsLand_NeverPutsBackTheBalanceItRead()
    {
        AddLedgerBasics();
        Account("E1");
        // Two clerks post while a third keeps editing the account's phone: each edit reads the account (its balance with it)
        // and writes it back; a posting that lands between the two must not be undone by the edit.
        var posters = Enumerable.Range(0, 2).Select(w => Task.Run(() =>
        {
            var service = new TransactionService(new Session(Store.Open(), new User($"clerk{w}", Role.Clerk), Clock));
            for (var i = 0; i < 60; i++)
            {
                service.Post(new Posting("E1", TransactionKind.Invoice, 2.5m, new DateOnly(2026, 2, 1)));
            }
        }, TestContext.Current.CancellationToken));
        var editor = Task.Run(() =>
        {
            var accounts = new AccountService(new Session(Store.Open(), new User("editor", Role.Clerk), Clock));
            for (var i = 0; i < 60; i++)
            {
                accounts.Edit("E1", new Dictionary<string, string?> { ["phone"] = $"031 555 {i:D4}" });
            }
        }, TestContext.Current.CancellationToken);
        await Task.WhenAll([.. posters, editor]);

        Assert.Equal(300m, Balance("E1"));
        Assert.Equal(300m, new AccountService(new Session(Store.Open(), new User("admin", Role.Supervisor), Clock)).Get("E1").Balance);
    }

    [Fact]
    public void L7_AllocationSettlesInvoicesFullyOrPartly_WithoutMovingTheBalance_AndTheAgedBucketsSumToIt()
    {
        AddLedgerBasics();
        Account("C1");
        var oldest = Post("invoice", "C1", "--amount", "100", "--date", "2026-01-10");
        Post("invoice", "C1", "--amount", "50", "--date", "2026-02-05");
        var february = Post("invoice", "C1", "--amount", "200", "--date", "2026-02-20");
        Post("invoice", "C1", "--amount", "40", "--date", "2026-04-01");
        Post("invoice", "C1", "--amount", "10", "--date", "2026-04-20");
        var receipt = Post("receipt", "C1", "--amount", "130", "--date", "2026-03-01");

        Ok("ledger", "allocate", "C1", "--debit", $"{oldest}", "--credit", $"{receipt}", "--amount", "60");
        Assert.Contains("amount: 80.00 is not between 0 and 70.00", Fails("ledger", "allocate", "C1", "--debit", $"{february}", "--credit", $"{receipt}", "--amount", "80").Stderr, StringComparison.Ordinal);
        Assert.Contains($"credit: transaction {february} (invoice) has no credit left", Fails("ledger", "allocate", "C1", "--debit", $"{oldest}", "--credit", $"{february}").Stderr, StringComparison.Ordinal);
        Ok("ledger", "allocate", "C1", "--debit", $"{february}", "--credit", $"{receipt}");
        Assert.Contains($"credit: transaction {receipt} (receipt) has no credit left", Fails("ledger", "allocate", "C1", "--debit", $"{february}", "--credit", $"{receipt}").Stderr, StringComparison.Ordinal);
        Account("OTHER");
        Assert.Contains($"debit: transaction {oldest} is not posted to OTHER", Fails("ledger", "allocate", "OTHER", "--debit", $"{oldest}", "--credit", $"{receipt}").Stderr, StringComparison.Ordinal);

        var standing = Standing("C1", "--as-of", "2026-05-10");
        Assert.Equal(270m, standing.GetProperty("balance").GetDecimal());
        var aged = standing.GetProperty("aged");
        // 20 days: current; 39: 30; 70 and 79: 60; 94: 90; 120: 120+.
        Assert.Equal((10m, 40m, 130m, 50m, 40m), (aged.GetProperty("current").GetDecimal(), aged.GetProperty("days30").GetDecimal(),
            aged.GetProperty("days60").GetDecimal(), aged.GetProperty("days90").GetDecimal(), aged.GetProperty("days120").GetDecimal()));
        Assert.Equal([40L * 100, 50L * 100, 130L * 100, 40L * 100, 10L * 100, 0L], Strings("SELECT outstanding FROM ledger_transactions ORDER BY id").Select(v => long.Parse(v!, System.Globalization.CultureInfo.InvariantCulture)));

        var report = Ok("ledger", "aged", "--as-of", "2026-05-10", "--json").Json;
        var line = Assert.Single(report.GetProperty("accounts").EnumerateArray());
        Assert.Equal(("C1", 270m), (line.GetProperty("account").GetString(), line.GetProperty("balance").GetDecimal()));
        Assert.Equal(270m, Assert.Single(report.GetProperty("totals").EnumerateArray()).GetProperty("balance").GetDecimal());
    }

    [Fact]
    public void L7_AllocatingOldestFirst_SettlesTheOldestInvoicesWithTheOldestCredits()
    {
        AddLedgerBasics();
        Account("C1");
        Post("invoice", "C1", "--amount", "100", "--date", "2026-01-10");
        Post("invoice", "C1", "--amount", "100", "--date", "2026-01-20");
        Post("credit", "C1", "--amount", "30", "--date", "2026-01-25");
        Post("receipt", "C1", "--amount", "120", "--date", "2026-02-01");
        Ok("ledger", "allocate", "C1", "--oldest-first");
        Assert.Equal(["0", "5000", "0", "0"], Strings("SELECT outstanding FROM ledger_transactions ORDER BY id"));
        Assert.Equal(50m, Balance("C1"));
        Assert.Equal(1, Standing("C1").GetProperty("unallocated").GetInt32());
    }

    [Fact]
    public void L7_APostedTransactionIsNeverEdited_AReversalUndoesIt_AndFreesWhatItWasAllocatedTo()
    {
        AddLedgerBasics();
        Account("C1");
        var invoice = Post("invoice", "C1", "--amount", "100", "--date", "2026-02-10");
        var receipt = Post("receipt", "C1", "--amount", "60", "--date", "2026-02-12");
        Ok("ledger", "allocate", "C1", "--debit", $"{invoice}", "--credit", $"{receipt}");

        var reversed = Ok("ledger", "reverse", $"{invoice}");
        var reversal = Count("SELECT MAX(id) FROM ledger_transactions");
        Assert.Contains($"reversed by transaction {reversal} (-100.00 ZAR, dated 2026-02-10)", reversed.Stderr, StringComparison.Ordinal);
        Assert.Equal(-60m, Balance("C1"));
        // The receipt is unallocated again; the invoice and its reversal settle each other.
        Assert.Equal(["0", "-6000", "0"], Strings("SELECT outstanding FROM ledger_transactions ORDER BY id"));
        Assert.Equal(["10000", "-6000", "-10000"], Strings("SELECT amount FROM ledger_transactions ORDER BY id"));
        var standing = Standing("C1");
        Assert.Equal(JsonValueKind.Null, standing.GetProperty("lastInvoice").ValueKind);
        Assert.Equal("2026-02-12", standing.GetProperty("lastReceipt").GetString());
        Assert.Equal(0m, standing.GetProperty("turnover").GetDecimal());

        Assert.Contains($"transaction {invoice}: was reversed already, by transaction {reversal}", Fails("ledger", "reverse", $"{invoice}").Stderr, StringComparison.Ordinal);
        Assert.Contains($"transaction {reversal}: is the reversal of transaction {invoice}", Fails("ledger", "reverse", $"{reversal}").Stderr, StringComparison.Ordinal);
        Assert.Contains("transaction 999: does not exist", Fails("ledger", "reverse", "999").Stderr, StringComparison.Ordinal);
        var lines = Ok("ledger", "transactions", "C1", "--json").Json.EnumerateArray().Select(l => l.GetProperty("note").GetString()).ToList();
        Assert.Equal([$"reversed by {reversal}", $"reverses {invoice}", null], lines);
    }

    [Fact]
    public void L7_TurnoverIsNetSalesOfTheFinancialYear_ClearedByYearEnd_AndClosedPeriodsTakeNoPostings()
    {
        AddLedgerBasics();
        Account("C1");
        Post("invoice", "C1", "--amount", "1150", "--vat", "150", "--date", "2026-01-15");
        Post("credit", "C1", "--amount", "115", "--vat", "15", "--date", "2026-02-15");
        Post("receipt", "C1", "--amount", "500", "--date", "2026-02-20");
        Assert.Equal(900m, Standing("C1").GetProperty("turnover").GetDecimal());

        Assert.Contains("2026-01-01 to 2026-12-31 has not ended; year end can run from 2027-01-01", Fails("ledger", "year-end", "--yes").Stderr, StringComparison.Ordinal);

        // End of Period on 1 March closes January and February.
        var periodEnd = Ok("ledger", "accounts", "end-of-period", "--yes");
        Assert.Contains("Period 2 (2026-02-01 to 2026-02-28) closed", periodEnd.Stderr, StringComparison.Ordinal);
        Assert.Contains("2026-02-27 is in a closed period; transactions are dated from 2026-03-01 on",
            Fails("ledger", "post", "invoice", "C1", "--amount", "5", "--date", "2026-02-27").Stderr, StringComparison.Ordinal);
        Assert.Equal(3, Count("SELECT COUNT(*) FROM ledger_transactions"));
        Assert.Contains("dated from 2026-03-01", Ok("ledger", "periods").Stderr, StringComparison.Ordinal);

        Clock.Advance(TimeSpan.FromDays(307)); // 2027-01-02
        Post("invoice", "C1", "--amount", "230", "--vat", "30", "--date", "2027-01-02");
        Assert.Equal(900m, Standing("C1").GetProperty("turnover").GetDecimal());
        Assert.Contains("Nothing was changed", Fails("ledger", "year-end").Stderr, StringComparison.Ordinal);
        Assert.Equal(900m, Standing("C1").GetProperty("turnover").GetDecimal());
        Ok("ledger", "year-end", "--yes");

        var standing = Standing("C1");
        Assert.Equal(200m, standing.GetProperty("turnover").GetDecimal());
        Assert.Equal(765m, standing.GetProperty("balance").GetDecimal());
        Assert.Contains("2026-12-31 is in a closed period", Fails("ledger", "post", "invoice", "C1", "--amount", "5", "--date", "2026-12-31").Stderr, StringComparison.Ordinal);
        Assert.Contains("Financial year 2027-01-01 to 2027-12-31", Ok("ledger", "periods").Stderr, StringComparison.Ordinal);
        Assert.Contains("cannot move once transactions are posted", Fails("ledger", "year", "--start", "2027-04-01").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void L7_AverageDebtorDays_AreTheBalanceOverTheAverageDailySales_OfTheConfiguredPeriods()
    {
        AddLedgerBasics();
        Account("C1");
        Post("invoice", "C1", "--amount", "600", "--date", "2026-01-10");
        Post("invoice", "C1", "--amount", "300", "--date", "2026-02-10");
        Post("receipt", "C1", "--amount", "450", "--date", "2026-02-11");

        // Three periods to 1 March: 1 January to 1 March, 60 days; 900 of sales is 15 a day; 450 owed is 30 days of sales.
        Assert.Equal(30.0m, Standing("C1").GetProperty("debtorDays").GetDecimal());

        Ok("ledger", "year", "--debtor-days-periods", "1");
        Assert.Equal(JsonValueKind.Null, Standing("C1").GetProperty("debtorDays").ValueKind);
        Post("invoice", "C1", "--amount", "30", "--date", "2026-03-01");
        // One period to 1 March: one day, 30 of sales; 480 owed is 16 days of it.
        Assert.Equal(16.0m, Standing("C1").GetProperty("debtorDays").GetDecimal());
        Assert.Contains("is not 1 to 24 periods", Fails("ledger", "year", "--debtor-days-periods", "0").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void L7_APostingThatTakesACustomerOverItsCreditLimit_Warns_ZeroIsUnlimited()
    {
        AddLedgerBasics();
        Account("C1", "--credit-limit", "1000");
        Account("FREE", "--credit-limit", "0");
        Assert.DoesNotContain("credit limit", Ok("ledger", "post", "invoice", "C1", "--amount", "800").Stderr, StringComparison.Ordinal);
        Assert.Contains("warning: account C1 is over its credit limit: it owes 1100.00 against a limit of 1000.00",
            Ok("ledger", "post", "invoice", "C1", "--amount", "300").Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("credit limit", Ok("ledger", "post", "receipt", "C1", "--amount", "50").Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("credit limit", Ok("ledger", "post", "invoice", "FREE", "--amount", "1000000").Stderr, StringComparison.Ordinal);
        Assert.Equal(1050m, Balance("C1"));
    }

    [Fact]
    public void L7_APostingIsNotAChangeOfTheCustomer_TheNextSyncSeesNothingToDo()
    {
        AddSite();
        AddLedgerBasics();
        Ok("connections", "add", "books", "--site", "Durban");
        Ok("customers", "add", "C1", "--name", "Cele Hardware", "--site", "Durban", "--kind", "account", "--country", "ZA");
        Ok("sync", "run", "books", "--yes", "--company", "Concord Ledger");
        var seq = Count("SELECT change_seq FROM ledger_accounts WHERE code = 'C1'");
        var modified = Strings("SELECT last_modified FROM ledger_accounts WHERE code = 'C1'");

        Clock.Advance(TimeSpan.FromHours(1));
        Post("invoice", "C1", "--amount", "250");
        Post("receipt", "C1", "--amount", "100");

        Assert.Equal(seq, Count("SELECT change_seq FROM ledger_accounts WHERE code = 'C1'"));
        Assert.Equal(modified, Strings("SELECT last_modified FROM ledger_accounts WHERE code = 'C1'"));
        var preview = Ok("sync", "preview", "books", "--json").Json;
        foreach (var pane in new[] { "toAccounting", "fromAccounting" })
        {
            foreach (var part in new[] { "onlyHere", "onlyThere", "differing" })
            {
                Assert.Equal(0, preview.GetProperty(pane).GetProperty(part).GetArrayLength());
            }
        }
        Assert.Equal(150m, Balance("C1"));
    }

    [Fact]
    public void L8_DormantAccounts_AreLeftOutOfTheAgedReport_UnlessAskedFor()
    {
        AddLedgerBasics();
        Account("LIVE");
        Account("SLEEPY", "--dormant", "yes");
        Post("invoice", "LIVE", "--amount", "10");
        Post("invoice", "SLEEPY", "--amount", "20");
        Assert.Equal(["LIVE"], Ok("ledger", "aged", "--json").Json.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("account").GetString()));
        Assert.Equal(["LIVE", "SLEEPY"], Ok("ledger", "aged", "--include-dormant", "--json").Json.GetProperty("accounts").EnumerateArray().Select(a => a.GetProperty("account").GetString()));
    }

    [Fact]
    public void L7_ImportOfTransactions_ChecksTheWholeFileFirst_PostsAllOrNothing_AndNeverTwice()
    {
        AddLedgerBasics();
        Account("C1");
        Account("C2");
        var bad = WriteFile("bad.csv",
            "account,kind,amount,vat,date,ref,id\n" +
            "C1,invoice,100,15,2026-02-01,INV-1,1\n" +
            "C2,receipt,abc,,2026-02-02,,2\n" +
            "C9,invoice,10,,,,3\n" +
            "C1,gift,10,,,,4\n" +
            "C1,invoice,10,,2025-12-31,,5\n");
        var refused = Fails("import", "transactions", bad).Stderr;
        Assert.Contains("transaction on line 3 amount: 'abc' is not an amount", refused, StringComparison.Ordinal);
        Assert.Contains("transaction on line 4 account: 'C9' does not exist in the ledger", refused, StringComparison.Ordinal);
        Assert.Contains("transaction on line 5 kind: 'gift' is not a transaction kind", refused, StringComparison.Ordinal);
        Assert.Contains("transaction on line 6 date: 2025-12-31 is in a closed period", refused, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_transactions"));
        Assert.Equal(0m, Balance("C1"));

        var good = WriteFile("good.csv",
            "account,kind,amount,vat,date,ref,id\n" +
            "C1,invoice,100,15,2026-02-01,INV-1,1\n" +
            "C2,invoice,40,,2026-02-02,INV-2,2\n" +
            "c1,receipt,30,,2026-02-03,,3\n" +
            "C2,adjustment,-5.50,,,,4\n");
        Assert.Contains("4 transactions posted", Ok("import", "transactions", good).Stderr, StringComparison.Ordinal);
        Assert.Equal((70m, 34.5m), (Balance("C1"), Balance("C2")));
        Assert.Equal(85m, Standing("C1").GetProperty("turnover").GetDecimal());

        // The same file again posts nothing: every line's id was posted before.
        var again = Fails("import", "transactions", good).Stderr;
        Assert.Contains("transaction on line 2 id: 'import:1' was posted already, as transaction 1", again, StringComparison.Ordinal);
        Assert.Equal(4, Count("SELECT COUNT(*) FROM ledger_transactions"));
        var twice = WriteFile("twice.csv", "account,kind,amount,id\nC1,invoice,1,9\nC1,invoice,1,9\n");
        Assert.Contains("'import:9' is given twice (also transaction on line 2)", Fails("import", "transactions", twice).Stderr, StringComparison.Ordinal);
        Assert.Contains("colour", Fails("import", "transactions", WriteFile("odd.csv", "account,kind,amount,colour\nC1,invoice,1,red\n")).Stderr, StringComparison.Ordinal);
        Assert.Equal(4, Count("SELECT COUNT(*) FROM ledger_transactions"));
    }

    [Fact]
    public void U4_AViewerCannotPost_AllocateOrReverse_AClerkCanButCannotRunYearEnd()
    {
        AddLedgerBasics();
        Account("C1");
        Ok("users", "add", "viewer", "--role", "viewer");
        Ok("users", "add", "clerk", "--role", "clerk");
        Assert.Contains("post transactions", Fails("--user", "viewer", "ledger", "post", "invoice", "C1", "--amount", "5").Stderr, StringComparison.Ordinal);
        Ok("--user", "clerk", "ledger", "post", "invoice", "C1", "--amount", "5");
        Assert.Contains("reverse transactions", Fails("--user", "viewer", "ledger", "reverse", "1").Stderr, StringComparison.Ordinal);
        Assert.Contains("run year end", Fails("--user", "clerk", "ledger", "year-end", "--yes").Stderr, StringComparison.Ordinal);
        Assert.Contains("set the financial year", Fails("--user", "clerk", "ledger", "year", "--debtor-days-periods", "2").Stderr, StringComparison.Ordinal);
        Assert.Equal(5m, Ok("--user", "viewer", "ledger", "balance", "C1", "--json").Json.GetProperty("balance").GetDecimal());
        Assert.Equal(1, Count("SELECT COUNT(*) FROM ledger_transactions WHERE created_by = 'clerk'"));
    }
}
