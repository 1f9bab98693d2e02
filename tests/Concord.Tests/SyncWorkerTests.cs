using System.Diagnostics;
using Concord.Core;
using Concord.Core.Sync.Connections;
using Concord.Core.Sync.Running;
using Concord.Core.Sync.Scheduling;
using Concord.Core.Users;
using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>Post accounts (O4) through a running `concord serve`, and schedules (S12), on both stores.</summary>
public abstract class SyncWorkerTests(StoreKind kind) : StoreTest(kind)
{
    public sealed class OnSqlite() : SyncWorkerTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : SyncWorkerTests(StoreKind.Postgres);

    private void Setup(params string[] connectionOptions)
    {
        Ok("sites", "add", "Durban", "--name", "Durban");
        AddLedgerBasics();
        Ok(["connections", "add", "books", "--site", "Durban", .. connectionOptions]);
        Ok("customers", "add", "FIRST", "--site", "Durban", "--kind", "account", "--country", "ZA", "--name", "First");
        Ok("sync", "run", "books", "--yes", "--company", "Concord Ledger");
    }

    private void Customer(string code) =>
        Ok("customers", "add", code, "--site", "Durban", "--kind", "account", "--country", "ZA", "--name", $"Customer {code}");

    private bool InLedger(string code) => Count($"SELECT COUNT(*) FROM ledger_accounts WHERE code = '{code}'") == 1;

    [Fact]
    public void O4_PostAccountsOn_TheRunningServerPushesANewAccountCustomerWithinSeconds_Off_ItWaitsForSyncRun()
    {
        Setup();
        Ok("connections", "set", "books", "--post-accounts", "on");
        using var server = Serve();
        Customer("POSTED");
        var watch = Stopwatch.StartNew();
        while (!InLedger("POSTED") && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            Thread.Sleep(100);
        }
        Assert.True(InLedger("POSTED"), $"not pushed within {watch.Elapsed.TotalSeconds:F1} s");
        Ok("customers", "edit", "POSTED", "--phone", "031 555");
        watch.Restart();
        while (Count("SELECT COUNT(*) FROM ledger_accounts WHERE code = 'POSTED' AND phone = '031 555'") == 0 && watch.Elapsed < TimeSpan.FromSeconds(20))
        {
            Thread.Sleep(100);
        }
        Assert.Equal(1, Count("SELECT COUNT(*) FROM ledger_accounts WHERE code = 'POSTED' AND phone = '031 555'"));

        Ok("connections", "set", "books", "--post-accounts", "off");
        Customer("WAITING");
        Thread.Sleep(2500);
        Assert.False(InLedger("WAITING"));
        Ok("sync", "run", "books", "--yes", "--company", "Concord Ledger");
        Assert.True(InLedger("WAITING"));
        Assert.Contains(Ok("sync", "history", "books", "--json").Json.EnumerateArray(), r => r.GetProperty("mode").GetString() == "post");
    }

    [Fact]
    public void S12_EachConnectionRunsOnItsSchedule_SyncRunIsSyncNow()
    {
        Setup("--schedule", "*/5 * * * *");
        var worker = new SyncWorker(new Session(Store.Open(), new User("admin", Role.Supervisor), Clock));
        Customer("LATER");
        Assert.Empty(worker.Tick());
        Assert.False(InLedger("LATER"));
        Clock.Advance(TimeSpan.FromMinutes(5));
        var happened = Assert.Single(worker.Tick());
        Assert.Equal("schedule", happened.Mode);
        Assert.Equal(1, happened.Report!.Created);
        Assert.True(InLedger("LATER"));
        Assert.Empty(worker.Tick());

        Customer("NOW");
        Ok("sync", "run", "books", "--yes", "--company", "Concord Ledger");
        Assert.True(InLedger("NOW"));
        Assert.Contains("is not a cron expression", Fails("connections", "set", "books", "--schedule", "every day").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void S1_UnattendedRunsWaitForAPersonToConfirmTheCompany()
    {
        Ok("sites", "add", "Durban", "--name", "Durban");
        AddLedgerBasics();
        Ok("connections", "add", "books", "--site", "Durban", "--post-accounts", "on");
        Customer("EAGER");
        var worker = new SyncWorker(new Session(Store.Open(), new User("admin", Role.Supervisor), Clock));
        var happened = Assert.Single(worker.Tick());
        Assert.Contains("waits for a first 'concord sync run books --yes --company", happened.Problem, StringComparison.Ordinal);
        Assert.False(InLedger("EAGER"));
    }

    [Fact]
    public void S14_WhileTheAccountingSystemIsDown_QueuedWorkWaitsAndIsRetriedWithBackOff()
    {
        Ok("sites", "add", "Durban", "--name", "Durban");
        Ok("ledger", "reference", "add", "country", "ZA", "--name", "South Africa"); // customers' countries are checked here too
        var books = Path.Combine(Store.DataDirectory, "books");
        var booksStore = new TestStore(StoreKind.Sqlite);
        try
        {
            var ledger = Path.Combine(booksStore.DataDirectory);
            Assert.Equal(0, CliRun.Run(booksStore, Clock, "init").Exit);
            foreach (var (kind, code) in new[] { ("currency", "ZAR"), ("country", "ZA") })
            {
                Assert.Equal(0, CliRun.Run(booksStore, Clock, "ledger", "reference", "add", kind, code, "--name", code).Exit);
            }
            Ok("connections", "add", "books", "--site", "Durban", "--accounting", $"ledger:data={ledger}", "--post-accounts", "on");
            Customer("FIRST");
            Ok("sync", "run", "books", "--yes", "--company", "Concord Ledger");
            var worker = new SyncWorker(new Session(Store.Open(), new User("admin", Role.Supervisor), Clock));

            Directory.Move(ledger, books);
            Customer("QUEUED");
            var down = Assert.Single(worker.Tick());
            Assert.Contains("cannot be found", down.Problem, StringComparison.Ordinal);
            Assert.Contains("trying again in 2 s", down.Problem, StringComparison.Ordinal);
            Assert.Empty(worker.Tick());
            Clock.Advance(TimeSpan.FromSeconds(2));
            Assert.Contains("trying again in 4 s", Assert.Single(worker.Tick()).Problem, StringComparison.Ordinal);
            Assert.Equal(1, Ok("sync", "status", "books", "--json").Json[0].GetProperty("changedSinceLastRun").GetInt64());

            Directory.Move(books, ledger);
            Clock.Advance(TimeSpan.FromSeconds(4));
            var back = Assert.Single(worker.Tick());
            Assert.Equal(1, back.Report!.Created);
            Assert.Equal(0, CliRun.Run(booksStore, Clock, "ledger", "accounts", "show", "QUEUED").Exit);
        }
        finally
        {
            booksStore.Dispose();
        }
    }

    [Fact]
    public void S12_TheWorkerLeavesAConnectionAnotherRunHolds_SaysSoOnce_AndRunsItOnceFree()
    {
        Setup("--schedule", "*/5 * * * *");
        Ok("connections", "set", "books", "--post-accounts", "on");
        Customer("LATER");
        var session = new Session(Store.Open(), new User("admin", Role.Supervisor), Clock);
        var connection = new ConnectionService(session).Get("books");
        var worker = new SyncWorker(session);
        using (var held = RunLock.TryTake(session, connection))
        {
            Assert.NotNull(held);
            // Another worker (another `serve` on the same store) finds the lock taken too.
            Assert.Null(RunLock.TryTake(session, connection));
            var skipped = Assert.Single(worker.Tick());
            Assert.Null(skipped.Report);
            Assert.Contains("holds the connection; tried again once it ends", skipped.Problem, StringComparison.Ordinal);
            Clock.Advance(TimeSpan.FromMinutes(5));
            Assert.Empty(worker.Tick());
            Assert.Empty(worker.Tick());
            Assert.False(InLedger("LATER"));
        }
        var ran = Assert.Single(worker.Tick());
        Assert.Equal("schedule", ran.Mode);
        Assert.Equal(1, ran.Report!.Created);
        Assert.True(InLedger("LATER"));
        Assert.Empty(worker.Tick());
    }

    [Fact]
    public void O4_AnUnattendedRunWithARefusedRecordReportsIt_AndTheWorkerGoesOn()
    {
        Setup();
        Ok("connections", "set", "books", "--post-accounts", "on");
        var worker = new SyncWorker(new Session(Store.Open(), new User("admin", Role.Supervisor), Clock));
        Ok("customers", "add", "NONAME", "--site", "Durban", "--kind", "account", "--country", "ZA");
        var refused = Assert.Single(worker.Tick()).Report!;
        Assert.Equal("completed with errors", refused.Status);
        Assert.Equal("NONAME", Assert.Single(refused.ErrorList).Record);
        Customer("NEXT");
        Assert.Equal(1, Assert.Single(worker.Tick()).Report!.Created);
        Assert.True(InLedger("NEXT"));
    }

    private ConcordProcess Serve() => StartExecutable(null, "serve", "--poll", "0.2");
}
