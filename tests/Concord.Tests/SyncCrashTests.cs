using System.Diagnostics;
using System.Text;
using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>
/// S11: apply is idempotent and resumable. A real `concord sync run` over 2,000 customers is
/// killed (SIGKILL) at many points of its apply, then run again until it completes; nothing is
/// duplicated or lost on either side, the correspondence and the audit are complete. On both stores.
/// </summary>
public abstract class SyncCrashTests(StoreKind kind) : StoreTest(kind)
{
    public sealed class OnSqlite() : SyncCrashTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : SyncCrashTests(StoreKind.Postgres);

    private const int OperationalOnly = 1500;
    private const int Matched = 400;
    private const int Differing = 100;
    private const int AccountingOnly = 100;

    [Fact]
    public void S11_KilledAtManyPointsOfA2000CustomerApply_TheNextRunsFinishWithNoDuplicateAndNothingLost()
    {
        Ok("sites", "add", "Durban", "--name", "Durban");
        AddLedgerBasics();
        Ok("connections", "add", "books", "--site", "Durban");
        Ok("import", "customers", WriteFile("customers.csv", Customers()));
        Ok("import", "accounts", WriteFile("accounts.csv", Accounts()));
        var accountsBefore = Count("SELECT COUNT(*) FROM ledger_accounts");

        var kills = 0;
        var killedAt = new List<long>();
        for (var attempt = 0; attempt < 14 && kills < 8; attempt++)
        {
            var journalBefore = Count("SELECT COUNT(*) FROM sync_journal");
            using var run = StartRun();
            var watch = Stopwatch.StartNew();
            while (!run.HasExited && Count("SELECT COUNT(*) FROM sync_journal") <= journalBefore && watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(5);
            }
            // The apply has begun: let it go on a different while each time, then kill it.
            Thread.Sleep(attempt * 17 % 90);
            if (run.HasExited)
            {
                break;
            }
            run.Kill();
            kills++;
            killedAt.Add(Count("SELECT COUNT(*) FROM sync_journal"));
        }
        Assert.True(kills >= 5, $"only {kills} kills landed during the apply (journal sizes {string.Join(", ", killedAt)})");

        var finish = Concord("sync", "run", "books", "--yes", "--company", "Concord Ledger", "--json");
        Assert.True(finish.Exit == 0, finish.ToString());
        // Every killed run's row is finished, as interrupted, by the run after it.
        Assert.Equal(kills, Count("SELECT COUNT(*) FROM sync_runs WHERE status = 'interrupted' AND message = 'the process ended before the run finished'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM sync_runs WHERE status = 'running'"));
        var again = Ok("sync", "run", "books", "--yes", "--company", "Concord Ledger", "--json", "--full").Json;
        Assert.Equal(0, again.GetProperty("created").GetInt32() + again.GetProperty("linked").GetInt32() + again.GetProperty("updated").GetInt32());

        // No duplicate on either side.
        Assert.Equal(OperationalOnly + Matched + AccountingOnly, Count("SELECT COUNT(*) FROM ledger_accounts"));
        Assert.Equal(OperationalOnly + Matched + AccountingOnly, Count("SELECT COUNT(*) FROM customers"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM (SELECT vat FROM ledger_accounts GROUP BY vat HAVING COUNT(*) > 1) AS d"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM (SELECT vat FROM customers GROUP BY vat HAVING COUNT(*) > 1) AS d"));
        // Nothing lost, correspondence complete: every record on each side is linked to its partner with the same VAT number.
        Assert.Equal(OperationalOnly + Matched + AccountingOnly, Count(
            "SELECT COUNT(*) FROM sync_links l JOIN customers c ON c.code_key = l.operational_key JOIN ledger_accounts a ON a.code_key = l.accounting_key " +
            "WHERE l.sync_option = 'normal' AND a.vat = c.vat"));
        // The differing fields went across (accounting wins on a first match), the rest merged.
        Assert.Equal(Differing, Count("SELECT COUNT(*) FROM customers WHERE name LIKE 'Ledger name %'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM customers c JOIN sync_links l ON l.operational_key = c.code_key JOIN ledger_accounts a ON a.code_key = l.accounting_key " +
            "WHERE c.name <> a.name OR c.phone <> a.phone"));
        // Audit complete: every record created on either side has its create line, once.
        Assert.Equal(Count("SELECT COUNT(*) FROM ledger_accounts") - accountsBefore,
            Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'account' AND action = 'create'"));
        Assert.Equal(AccountingOnly, Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'customer' AND action = 'create'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM sync_journal WHERE state = 'intent'"));
    }

    [Theory]
    [InlineData("lost-answer:3", "by reading it back: linked, not created again", 5)]
    [InlineData("no-answer:3", "not found in accounting by code or VAT number: planned again", 0)]
    public void S19_AnUncertainWriteIsSettledByReadingTheTargetBack_NeverByRetryingBlindly(string fault, string outcome, int createdFirst)
    {
        Ok("sites", "add", "Durban", "--name", "Durban");
        AddLedgerBasics();
        Ok("connections", "add", "books", "--site", "Durban");
        for (var i = 1; i <= 5; i++)
        {
            Ok("customers", "add", $"C{i}", "--site", "Durban", "--kind", "account", "--country", "ZA", "--name", $"Customer {i}", "--vat", Vat(i));
        }
        using (var run = StartRun(fault))
        {
            var result = run.Finish(TimeSpan.FromMinutes(2));
            Assert.True(result.Exit == 0, result.ToString());
        }
        Assert.Equal(createdFirst, Count("SELECT COUNT(*) FROM ledger_accounts"));
        // The five creates went as one batch: its answer was lost, so each record was read back.
        Assert.Equal(5, Count($"SELECT COUNT(*) FROM sync_journal WHERE outcome LIKE '%{outcome}'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM sync_journal WHERE state = 'intent'"));

        var second = Ok("sync", "run", "books", "--yes", "--company", "Concord Ledger", "--json").Json;
        Assert.Equal(5 - createdFirst, second.GetProperty("created").GetInt32());
        Assert.Equal(5, Count("SELECT COUNT(*) FROM ledger_accounts"));
        Assert.Equal(5, Count("SELECT COUNT(*) FROM sync_links l JOIN ledger_accounts a ON a.code_key = l.accounting_key"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM (SELECT vat FROM ledger_accounts GROUP BY vat HAVING COUNT(*) > 1) AS d"));
    }

    /// <summary>Ten account customers linked to their ledger accounts by a first run, then <paramref name="invoices"/> invoices spread over them.</summary>
    private void LinkedCustomersWithInvoices(int invoices)
    {
        Ok("sites", "add", "Durban", "--name", "Durban");
        AddLedgerBasics();
        Ok("connections", "add", "books", "--site", "Durban");
        for (var i = 1; i <= 10; i++)
        {
            Ok("customers", "add", $"C{i}", "--site", "Durban", "--kind", "account", "--country", "ZA", "--name", $"Customer {i}", "--vat", Vat(i));
            Ok("ledger", "accounts", "add", $"L{i}", "--name", $"Customer {i}", "--currency", "ZAR", "--country", "ZA", "--vat", Vat(i));
        }
        Assert.Equal(10, Ok("sync", "run", "books", "--yes", "--company", "Concord Ledger", "--json").Json.GetProperty("linked").GetInt32());
        var csv = new StringBuilder("number,customer,amount,vat\n");
        for (var n = 1; n <= invoices; n++)
        {
            csv.Append(System.Globalization.CultureInfo.InvariantCulture, $"INV-{n:D5},C{n % 10 + 1},{n}.15,{n % 7}\n");
        }
        Ok("import", "invoices", WriteFile("invoices.csv", csv.ToString()));
    }

    /// <summary>What the invoices add up to, in cents: what the ledger's balances must add up to once each is posted once.</summary>
    private static long InvoiceTotal(int invoices) => Enumerable.Range(1, invoices).Sum(n => n * 100L + 15);

    [Fact]
    public void S11_O3_KilledAtManyPointsWhilePostingInvoices_TheNextRunsPostEachExactlyOnce()
    {
        const int invoices = 600;
        LinkedCustomersWithInvoices(invoices);
        var kills = 0;
        for (var attempt = 0; attempt < 14 && kills < 6; attempt++)
        {
            var intentsBefore = Count("SELECT COUNT(*) FROM sync_journal WHERE action = 'post-invoice'");
            using var run = StartRun();
            var watch = Stopwatch.StartNew();
            while (!run.HasExited && Count("SELECT COUNT(*) FROM sync_journal WHERE action = 'post-invoice'") <= intentsBefore && watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                Thread.Sleep(5);
            }
            Thread.Sleep(attempt * 13 % 60);
            if (run.HasExited)
            {
                break;
            }
            run.Kill();
            kills++;
        }
        Assert.True(kills >= 3, $"only {kills} kills landed while invoices were posted");

        var finish = Concord("sync", "run", "books", "--yes", "--company", "Concord Ledger", "--json");
        Assert.True(finish.Exit == 0, finish.ToString());
        Assert.Equal(0, Ok("sync", "run", "books", "--yes", "--company", "Concord Ledger", "--json").Json.GetProperty("posted").GetInt32());
        // Each invoice posted once, recorded once, audited once; nothing left unsettled.
        Assert.Equal(invoices, Count("SELECT COUNT(*) FROM ledger_transactions"));
        Assert.Equal(invoices, Count("SELECT COUNT(DISTINCT source) FROM ledger_transactions"));
        Assert.Equal(invoices, Count("SELECT COUNT(*) FROM invoice_postings"));
        Assert.Equal(invoices, Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'invoice' AND action = 'post'"));
        Assert.Equal(InvoiceTotal(invoices) * 100, Count("SELECT SUM(balance) FROM ledger_accounts"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM invoice_postings p JOIN ledger_transactions t ON t.id = p.transaction_id JOIN operational_invoices i ON i.id = p.invoice_id WHERE t.source <> 'invoice:' || i.number"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM sync_journal WHERE state = 'intent'"));
    }

    [Theory]
    [InlineData("lost-answer:2", "found in accounting by its source: posted, not posted again", 5)]
    [InlineData("no-answer:2", "not found in accounting by its source: planned again", 0)]
    public void S19_O3_AnInvoicePostingWhoseAnswerIsLost_IsSettledByReadingTheLedgerBackBySource(string fault, string outcome, int postedFirst)
    {
        LinkedCustomersWithInvoices(5);
        using (var run = StartRun(fault))
        {
            var result = run.Finish(TimeSpan.FromMinutes(2));
            Assert.True(result.Exit == 0, result.ToString());
        }
        Assert.Equal(postedFirst, Count("SELECT COUNT(*) FROM ledger_transactions"));
        Assert.Equal(5, Count($"SELECT COUNT(*) FROM sync_journal WHERE action = 'post-invoice' AND outcome LIKE '%{outcome}%'"));
        Assert.Equal(postedFirst, Count("SELECT COUNT(*) FROM invoice_postings"));

        var second = Ok("sync", "run", "books", "--yes", "--company", "Concord Ledger", "--json").Json;
        Assert.Equal(5 - postedFirst, second.GetProperty("posted").GetInt32());
        Assert.Equal(5, Count("SELECT COUNT(*) FROM ledger_transactions"));
        Assert.Equal(InvoiceTotal(5) * 100, Count("SELECT SUM(balance) FROM ledger_accounts"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM sync_journal WHERE state = 'intent'"));
    }

    private ConcordProcess StartRun(string? fault = null)
    {
        Assert.True(global::Concord.Core.Connectors.FaultInjection.Available || fault is null,
            "this build has no fault injection: build with scripts/test.sh (dotnet build -p:ConcordTestHooks=true)");
        // Batches of 10: many transactions, so the kills land at many different points of the apply.
        var environment = new Dictionary<string, string?> { ["CONCORD_SYNC_BATCH"] = "10" };
        if (fault is not null)
        {
            environment[global::Concord.Core.Connectors.FaultInjection.Variable] = fault;
        }
        return StartExecutable(environment, "sync", "run", "books", "--yes", "--company", "Concord Ledger");
    }

    private static string Vat(int i) => (4_100_000_000L + i).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Customers()
    {
        var csv = new StringBuilder("code,name,site,kind,vat,country,phone\n");
        for (var i = 0; i < OperationalOnly + Matched; i++)
        {
            csv.Append($"OP{i:D5},Customer {i},Durban,account,{Vat(i)},ZA,031 {i:D4}\n");
        }
        return csv.ToString();
    }

    private static string Accounts()
    {
        var csv = new StringBuilder("code,name,currency,vat,country,phone\n");
        for (var i = OperationalOnly; i < OperationalOnly + Matched; i++)
        {
            var name = i < OperationalOnly + Differing ? $"Ledger name {i}" : $"Customer {i}";
            csv.Append($"ACC{i:D5},{name},ZAR,{Vat(i)},ZA,031 {i:D4}\n");
        }
        for (var i = 0; i < AccountingOnly; i++)
        {
            var n = 90_000 + i;
            csv.Append($"LED{i:D5},Ledger only {i},ZAR,{Vat(n)},ZA,031 {i:D4}\n");
        }
        return csv.ToString();
    }
}
