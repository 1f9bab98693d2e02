using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using Concord.Core;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Running;
using Concord.Core.Users;
using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>
/// The integrity of runs (issue 8): one run per connection at a time across processes
/// (SYNC-NOTES invariant 7), a run's row always finished whatever ends it, exit 1 for a run with
/// refused records, and a status that does not count a run's own writes. On both stores, through
/// the real executable where processes, signals or exit codes are the point.
/// </summary>
public abstract partial class SyncIntegrityTests(StoreKind kind) : StoreTest(kind)
{
    public sealed class OnSqlite() : SyncIntegrityTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : SyncIntegrityTests(StoreKind.Postgres);

    private const string Company = "Concord Ledger";
    private const int OperationalOnly = 240;
    private const int AccountingOnly = 60;
    private const int Everyone = OperationalOnly + AccountingOnly;

    [GeneratedRegex(@"error: connection books: is being synced by run (\d+) \(started by admin at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC, manual\); try again when it ends, or wait for it with --wait 60")]
    private static partial Regex Refusal();

    [Fact]
    public void S11_SixRunsOfOneConnectionAtOnce_CreateEachCustomerOnce()
    {
        Setup();
        // Slow writes keep the first run's lock long enough for the others to find it held.
        var slow = Slow(writeDelayMs: 100, batch: 30);
        var processes = Enumerable.Range(0, 6)
            .Select(i => StartExecutable(slow, [.. RunArguments, .. i % 2 == 0 ? ["--wait", "60"] : Array.Empty<string>()]))
            .ToList();
        List<CliResult> results;
        try
        {
            results = [.. processes.Select(p => p.Finish(TimeSpan.FromSeconds(90)))];
        }
        finally
        {
            processes.ForEach(p => p.Dispose());
        }

        var report = string.Join("\n---\n", results);
        var finished = results.Where(r => r.Exit == 0).Select(r => r.Json).ToList();
        var refused = results.Where(r => r.Exit != 0).ToList();
        // Those told to wait never refuse; the others refuse only naming the run that holds the connection.
        Assert.True(results.Where((_, i) => i % 2 == 0).All(r => r.Exit == 0), report);
        Assert.True(refused.Count > 0, "no run found the connection held, so the lock was never contended:\n" + report);
        foreach (var refusal in refused)
        {
            Assert.True(refusal.Exit == 1, refusal.ToString());
            var named = Refusal().Match(refusal.Stderr);
            Assert.True(named.Success, refusal.ToString());
            Assert.Equal(1, Count($"SELECT COUNT(*) FROM sync_runs WHERE id = {named.Groups[1].Value}"));
            Assert.Equal("", refusal.Stdout);
        }
        // Exactly one run created everyone; the others (some after waiting) found nothing to do.
        var creator = Assert.Single(finished, r => r.GetProperty("created").GetInt32() > 0);
        Assert.Equal(Everyone, creator.GetProperty("created").GetInt32());
        var creatorRun = creator.GetProperty("run").GetInt64();
        Assert.All(finished.Where(r => r.GetProperty("run").GetInt64() != creatorRun),
            r => Assert.Equal(0, r.GetProperty("created").GetInt32() + r.GetProperty("linked").GetInt32() + r.GetProperty("updated").GetInt32()));
        AssertEachCustomerOnceOnEachSide();
        Assert.Equal(finished.Count, Count("SELECT COUNT(*) FROM sync_runs WHERE status = 'completed'"));
        Assert.Equal(finished.Count, Count("SELECT COUNT(*) FROM sync_runs"));
    }

    [Fact]
    public void S11_ARunWhileAnotherHoldsTheConnectionRefusesNamingIt_AndAKilledHolderNeverBlocksTheNext()
    {
        Setup();
        using var holder = StartExecutable(Slow(writeDelayMs: 100, batch: 10), RunArguments);
        WaitForItsApply(holder);
        var holderRun = Count("SELECT MAX(id) FROM sync_runs");

        var refused = Fails(RunArguments);
        var named = Refusal().Match(refused.Stderr);
        Assert.True(named.Success, refused.ToString());
        Assert.Equal(holderRun, long.Parse(named.Groups[1].Value, CultureInfo.InvariantCulture));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM sync_runs"));

        holder.Kill();
        // No --wait: the killed holder's lock died with it, so this run goes ahead at once.
        var next = Ok(RunArguments).Json;
        Assert.InRange(next.GetProperty("created").GetInt32(), 1, Everyone - 1);
        Assert.Equal(1, Count($"SELECT COUNT(*) FROM sync_runs WHERE id = {holderRun} AND status = 'interrupted' " +
            $"AND message = '{SyncEngine.EndedWithItsProcess}' AND finished_at IS NOT NULL"));
        // The history tells a person why it ended.
        var killed = Ok("sync", "history", "books", "--json").Json.EnumerateArray().Single(r => r.GetProperty("run").GetInt64() == holderRun);
        Assert.Equal(("interrupted", SyncEngine.EndedWithItsProcess), (killed.GetProperty("status").GetString(), killed.GetProperty("reason").GetString()));
        AssertEachCustomerOnceOnEachSide();
    }

    [Fact]
    public void S11_WithWaitASecondRunWaitsForTheHolderToEnd_ThenFindsNothingToDo_PreviewNeedsNoLock()
    {
        Setup();
        using var holder = StartExecutable(Slow(writeDelayMs: 80, batch: 20), RunArguments);
        WaitForItsApply(holder);
        Assert.Equal(0, Concord("sync", "preview", "books", "--json").Exit);

        // Still holding (without --wait this run would be refused, as the test above shows).
        Assert.False(holder.HasExited);
        var waited = Ok([.. RunArguments, "--wait", "60"]).Json;
        var first = holder.Finish(TimeSpan.FromSeconds(30));
        Assert.True(first.Exit == 0, first.ToString());
        Assert.Equal(Everyone, first.Json.GetProperty("created").GetInt32());
        Assert.Equal(0, waited.GetProperty("created").GetInt32() + waited.GetProperty("linked").GetInt32() + waited.GetProperty("updated").GetInt32());
        Assert.True(waited.GetProperty("run").GetInt64() > first.Json.GetProperty("run").GetInt64());
        AssertEachCustomerOnceOnEachSide();
    }

    [Fact]
    public void S11_SigtermMidRun_StopsBetweenBatchesAsInterruptedAndExits1_TheNextRunCompletesWithNoDuplicate()
    {
        Setup();
        using var run = StartExecutable(Slow(writeDelayMs: 100, batch: 10), RunArguments);
        WaitForItsApply(run);
        run.Terminate();
        var stopped = run.Finish(TimeSpan.FromSeconds(30));

        Assert.True(stopped.Exit == 1, stopped.ToString());
        Assert.DoesNotContain("   at ", stopped.Stderr, StringComparison.Ordinal);
        Assert.Equal("interrupted", stopped.Json.GetProperty("status").GetString());
        var created = stopped.Json.GetProperty("created").GetInt32();
        Assert.InRange(created, 1, Everyone - 1);
        Assert.Matches(@$"Run \d+ interrupted: {created} created, .*\n", stopped.Stderr);
        Assert.Matches(@"Run \d+ was stopped by SIGTERM after [\d,]+ of 300 lines; the next run completes the rest\.", stopped.Stderr);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM sync_runs WHERE status = 'interrupted' AND message LIKE 'stopped by SIGTERM after %' AND finished_at IS NOT NULL"));
        // Every batch it began was finished and settled: nothing waits to be settled by reading the target back.
        Assert.Equal(0, Count("SELECT COUNT(*) FROM sync_journal WHERE state = 'intent'"));
        Assert.Equal(created, Count("SELECT COUNT(*) FROM sync_links"));

        var next = Ok(RunArguments).Json;
        Assert.Equal(Everyone - created, next.GetProperty("created").GetInt32());
        AssertEachCustomerOnceOnEachSide();
    }

    [Fact]
    public void S16_AnyErrorThatEndsARunMarksItFailedWithItsMessage_AndFreesTheConnection()
    {
        Setup();
        var engine = new SyncEngine(Session());
        // An error of no particular kind, between two batches of the apply.
        var failing = new OnProgress(step =>
        {
            if (step.Done > 0)
            {
                throw new InvalidOperationException("the disk is on fire");
            }
        });
        var error = Assert.Throws<InvalidOperationException>(() => engine.Run("books", new RunOptions { Company = Company, Progress = failing }));
        Assert.Equal("the disk is on fire", error.Message);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM sync_runs WHERE status = 'failed' AND message = 'the disk is on fire' AND finished_at IS NOT NULL"));

        // The lock went with the failed run: the next one goes ahead at once and completes the rest.
        var next = Ok(RunArguments).Json;
        Assert.Equal(Everyone, Count("SELECT COUNT(*) FROM sync_links"));
        Assert.True(next.GetProperty("created").GetInt32() is > 0 and < Everyone);
        AssertEachCustomerOnceOnEachSide();
    }

    [Fact]
    public void S16_ARunWithARefusedRecordExits1_ItsReportStillOnStdout()
    {
        SmallSetup();
        Ok("customers", "add", "GOOD", "--site", "Durban", "--kind", "account", "--country", "ZA", "--name", "Good");
        Ok("customers", "add", "NONAME", "--site", "Durban", "--kind", "account", "--country", "ZA");
        var result = Executable(RunArguments);

        Assert.True(result.Exit == 1, result.ToString());
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.Equal("completed with errors", result.Json.GetProperty("status").GetString());
        Assert.Equal(1, result.Json.GetProperty("created").GetInt32());
        Assert.Equal("NONAME", Assert.Single(result.Json.GetProperty("errorList").EnumerateArray()).GetProperty("record").GetString());
        Assert.Contains("error: NONAME name: accounting refused to create it: name is required", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"1 records were refused: they wait in the inbox ('{Hint("sync inbox books")}')", result.Stderr, StringComparison.Ordinal);

        Ok("customers", "edit", "NONAME", "--name", "Named now");
        Ok(RunArguments);
    }

    [Fact]
    public void S13_StatusDoesNotCountTheRunsOwnWrites_ButCountsAPersonsEdit()
    {
        SmallSetup();
        Ok("customers", "add", "HERE", "--site", "Durban", "--kind", "account", "--country", "ZA", "--name", "Only here");
        Ok("customers", "add", "PAIR", "--site", "Durban", "--kind", "account", "--country", "ZA", "--name", "Shop name", "--vat", "4100200301");
        Ok("ledger", "accounts", "add", "PAIR-ACC", "--currency", "ZAR", "--country", "ZA", "--name", "Ledger name", "--vat", "4100200301", "--phone", "031 1");
        Ok("ledger", "accounts", "add", "THERE", "--currency", "ZAR", "--country", "ZA", "--name", "Only in accounting");
        Assert.Equal(2, ChangedSinceLastRun());

        var first = Ok(RunArguments).Json;
        // It created THERE here and took PAIR's name and phone from accounting: its own writes, agreed with the ledger.
        Assert.Equal((2, 1, 1), (first.GetProperty("created").GetInt32(), first.GetProperty("linked").GetInt32(), first.GetProperty("updated").GetInt32()));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM customers WHERE code = 'THERE'"));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM customers WHERE code = 'PAIR' AND name = 'Ledger name'"));
        Assert.Equal(0, ChangedSinceLastRun());
        Assert.Equal(0, Ok(RunArguments).Json.GetProperty("operationalRead").GetInt32());

        Ok("customers", "edit", "THERE", "--phone", "031 555");
        Assert.Equal(1, ChangedSinceLastRun());
        var second = Ok(RunArguments).Json;
        Assert.Equal(1, second.GetProperty("updated").GetInt32());
        Assert.Equal(0, ChangedSinceLastRun());
    }

    [Fact]
    public void S13_APersonsEditDuringARun_IsStillCountedByStatus_AndSyncedByTheNextRun()
    {
        SmallSetup();
        Ok("customers", "add", "EDITED", "--site", "Durban", "--kind", "account", "--country", "ZA", "--name", "Edited", "--vat", "4100200301");
        Ok("ledger", "accounts", "add", "EDITED", "--currency", "ZAR", "--country", "ZA", "--name", "Edited", "--vat", "4100200301");
        Ok(RunArguments);
        Ok("customers", "add", "HERE", "--site", "Durban", "--kind", "account", "--country", "ZA", "--name", "Only here");
        Ok("ledger", "accounts", "add", "THERE", "--currency", "ZAR", "--country", "ZA", "--name", "Only in accounting");

        // Between the run's creates in accounting and its creates here, a person edits a customer:
        // the run's own writes come before and after that edit.
        var edited = false;
        var person = new OnProgress(step =>
        {
            if (step.Done > 0 && step.Done < step.Total && !edited)
            {
                Ok("customers", "edit", "EDITED", "--phone", "031 777");
                edited = true;
            }
        });
        var report = new SyncEngine(Session()).Run("books", new RunOptions { Company = Company, Progress = person });
        Assert.True(edited);
        Assert.Equal(2, report.Created);
        Assert.True(ChangedSinceLastRun() >= 1, "the person's edit was hidden as if the run had made it");

        var next = Ok(RunArguments).Json;
        Assert.Equal(1, next.GetProperty("updated").GetInt32());
        Assert.Equal(1, Count("SELECT COUNT(*) FROM ledger_accounts WHERE code = 'EDITED' AND phone = '031 777'"));
        Assert.Equal(0, ChangedSinceLastRun());
    }

    private static readonly string[] RunArguments = ["sync", "run", "books", "--yes", "--company", Company, "--json"];

    private Session Session() => new(Store.Open(), new User("admin", Role.Supervisor), Clock);

    private long ChangedSinceLastRun() =>
        Ok("sync", "status", "books", "--json").Json[0].GetProperty("changedSinceLastRun").GetInt64();

    private void SmallSetup()
    {
        Ok("sites", "add", "Durban", "--name", "Durban");
        AddLedgerBasics();
        Ok("connections", "add", "books", "--site", "Durban");
    }

    /// <summary>A connection with customers to create on both sides: some only here, some only in accounting.</summary>
    private void Setup()
    {
        SmallSetup();
        Ok("import", "customers", WriteFile("customers.csv", Customers()));
        Ok("import", "accounts", WriteFile("accounts.csv", Accounts()));
    }

    private static Dictionary<string, string?> Slow(int writeDelayMs, int batch) => new()
    {
        ["CONCORD_SYNC_BATCH"] = batch.ToString(CultureInfo.InvariantCulture),
        [FaultInjection.Variable] = $"slow:{writeDelayMs}",
    };

    /// <summary>Waits until the run is well into its apply (a first batch written and settled).</summary>
    private void WaitForItsApply(ConcordProcess run)
    {
        var watch = Stopwatch.StartNew();
        while (!run.HasExited && Count("SELECT COUNT(*) FROM sync_journal WHERE state = 'done'") == 0 && watch.Elapsed < TimeSpan.FromSeconds(60))
        {
            Thread.Sleep(5);
        }
        Assert.False(run.HasExited, $"the run ended before its apply was seen\n{run.Stderr}");
    }

    private void AssertEachCustomerOnceOnEachSide()
    {
        Assert.Equal(Everyone, Count("SELECT COUNT(*) FROM customers"));
        Assert.Equal(Everyone, Count("SELECT COUNT(*) FROM ledger_accounts"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM (SELECT vat FROM customers GROUP BY vat HAVING COUNT(*) > 1) AS d"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM (SELECT vat FROM ledger_accounts GROUP BY vat HAVING COUNT(*) > 1) AS d"));
        Assert.Equal(Everyone, Count(
            "SELECT COUNT(*) FROM sync_links l JOIN customers c ON c.code_key = l.operational_key JOIN ledger_accounts a ON a.code_key = l.accounting_key WHERE a.vat = c.vat"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM sync_runs WHERE status = 'running'"));
    }

    private static string Vat(int i) => (4_200_000_000L + i).ToString(CultureInfo.InvariantCulture);

    private static string Customers()
    {
        var csv = new StringBuilder("code,name,site,kind,vat,country,phone\n");
        for (var i = 0; i < OperationalOnly; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"OP{i:D4},Customer {i},Durban,account,{Vat(i)},ZA,031 {i:D4}\n");
        }
        return csv.ToString();
    }

    private static string Accounts()
    {
        var csv = new StringBuilder("code,name,currency,vat,country,phone\n");
        for (var i = 0; i < AccountingOnly; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"LED{i:D4},Ledger only {i},ZAR,{Vat(10_000 + i)},ZA,031 {i:D4}\n");
        }
        return csv.ToString();
    }

    /// <summary>Reports on the run's own thread, in order (Progress&lt;T&gt; would post to the thread pool).</summary>
    private sealed class OnProgress(Action<ProgressStep> report) : IProgress<ProgressStep>
    {
        public void Report(ProgressStep value) => report(value);
    }
}
