using System.Diagnostics;
using System.Globalization;
using Concord.Core;
using Concord.Core.Common;
using Concord.Core.Ledger;
using Concord.Core.Operational;
using Concord.Core.Sync.Connections;
using Concord.Core.Sync.Planning;
using Concord.Core.Sync.Running;
using Concord.Core.Users;
using Concord.Store;

namespace Concord.Bench;

/// <summary>
/// The sync engine's targets (issue 4), on generated data in a SQLite store, each beside its
/// baseline measured in the same run: first-sync plan vs a raw SQL set difference, apply of
/// creates vs a raw bulk insert, a sync after 1,000 changes vs the first sync, and name and
/// postcode proposals with their precision and recall.
/// </summary>
public static class SyncBenchmark
{
    public static int Run(int n, string? part = null)
    {
        var work = Path.Combine(Path.GetTempPath(), "concord-syncbench-" + Guid.NewGuid().ToString("N"));
        try
        {
            Console.WriteLine($"# Concord sync benchmark: {n:N0} customers a side, SQLite, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
            if (part is null or "plan" or "sync")
            {
                PlanAndSync(work, n, part);
            }
            if (part is null or "apply")
            {
                Apply(work, n);
            }
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Environment.GetEnvironmentVariable("CONCORD_BENCH_KEEP") is null)
            {
                Directory.Delete(work, recursive: true);
            }
            else
            {
                Console.WriteLine($"kept {work}");
            }
        }
    }

    private static void PlanAndSync(string work, int n, string? part)
    {
        var (database, session) = Fresh(Path.Combine(work, "first"));
        var generate = Stopwatch.StartNew();
        var truth = SyncData.Fill(database, n, "BENCH");
        Console.WriteLine($"data: {2 * n:N0} records generated in {generate.Elapsed.TotalSeconds:F1} s");

        var baseline = Time(() => SetDifference(database));
        Console.WriteLine($"baseline | raw SQL set difference (NOT EXISTS on indexed VAT, both directions): {baseline.Seconds:F2} s, {baseline.Result:N0} rows");

        var floor = Time(() => ReadFloor(database));
        Console.WriteLine($"reference | raw read of the synced columns of both sides (every row, every value fetched, no order): {floor.Seconds:F2} s, {floor.Result:N0} rows");

        ResetPeak();
        var before = PeakKib();
        var (gc0, gc1, gc2, paused) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
        var planned = Time(() => new SyncEngine(session).Preview("bench", full: true).Plan);
        Console.WriteLine($"gc during plan: {GC.CollectionCount(0) - gc0} gen0, {GC.CollectionCount(1) - gc1} gen1, {GC.CollectionCount(2) - gc2} gen2, paused {(GC.GetTotalPauseDuration() - paused).TotalSeconds:F2} s");
        var plan = planned.Result;
        var peak = PeakKib();
        Console.WriteLine($"live heap holding the plan: {GC.GetTotalMemory(forceFullCollection: true) / 1048576.0:F0} MiB");
        Console.WriteLine($"plan | first sync, full: {planned.Seconds:F2} s = {planned.Seconds / baseline.Seconds:F1}x baseline (target <= 2x), peak RSS {peak / 1024.0:F0} MiB " +
            $"(target <= 1024 MiB; {before / 1024.0:F0} MiB before) | lines: {Summary(plan)}");
        Console.WriteLine($"plan, exact matching | read both sides, match by correspondence, VAT and code, merge every pair: {plan.MatchTime.TotalSeconds:F2} s = " +
            $"{plan.MatchTime.TotalSeconds / baseline.Seconds:F1}x the set difference, {plan.MatchTime.TotalSeconds / floor.Seconds:F1}x the raw read");

        var (precision, recall) = Score(plan, truth);
        Console.WriteLine($"proposals | name + postcode over the {plan.Lines.Count(l => l.Kind is LineKind.Proposal or LineKind.CreateInAccounting):N0} operational customers left unmatched: " +
            $"{plan.ProposalTime.TotalSeconds:F2} s (target < 60 s at 1,000,000), precision {precision:P1}, recall {recall:P1}");

        if (part == "plan")
        {
            return;
        }
        var first = Time(() => new SyncEngine(session).Run("bench", new RunOptions { Company = Company.DefaultName }));
        Console.WriteLine($"first sync | run (plan + apply): {first.Seconds:F1} s: {first.Result.Created:N0} created, {first.Result.Linked:N0} linked, {first.Result.Updated:N0} updated, {first.Result.Skipped:N0} skipped, {first.Result.Errors:N0} errors");
        Time(() => new SyncEngine(session).Run("bench", new RunOptions { Company = Company.DefaultName }));

        Change(database, 1000, n * 70 / 100);
        var incremental = Time(() => new SyncEngine(session).Run("bench", new RunOptions { Company = Company.DefaultName }));
        Console.WriteLine($"incremental | sync after 1,000 changes: {incremental.Seconds:F2} s = {incremental.Seconds / first.Seconds:P2} of the first sync (target <= 1 %), " +
            $"plan {incremental.Result.PlanTime.TotalSeconds:F2} s, apply {incremental.Result.ApplyTime.TotalSeconds:F2} s, {incremental.Result.Updated:N0} updated, read {incremental.Result.OperationalRead:N0} + {incremental.Result.AccountingRead:N0} records");

    }

    private static void Apply(string work, int n)
    {
        var creates = n * 15 / 100;
        var (createStore, createSession) = Fresh(Path.Combine(work, "creates"));
        SyncData.Fill(createStore, 0, "BENCH");
        OperationalOnly(createStore, creates);
        var applied = Time(() => new SyncEngine(createSession).Run("bench", new RunOptions { Company = Company.DefaultName }));
        var (rawStore, _) = Fresh(Path.Combine(work, "raw"));
        var raw = Time(() =>
        {
            RawInsert(rawStore, creates);
            return creates;
        });
        var ours = applied.Result.Created / applied.Result.ApplyTime.TotalSeconds;
        var theirs = creates / raw.Seconds;
        Console.WriteLine($"apply | {applied.Result.Created:N0} creates in the ledger: apply {applied.Result.ApplyTime.TotalSeconds:F2} s (run {applied.Seconds:F2} s with its plan), {ours:N0} rows/s | baseline raw prepared-statement insert: {raw.Seconds:F2} s, {theirs:N0} rows/s | ratio {ours / theirs:P1} (target >= 50 %)");
    }

    private static (Database, Session) Fresh(string folder)
    {
        var database = Database.Create(folder, null, TimeProvider.System);
        var users = new UserDirectory(database, TimeProvider.System);
        var session = new Session(database, users.Resolve(users.EnsureFirstUser()), TimeProvider.System);
        new SiteService(session).Add("BENCH", "Benchmark");
        var reference = new ReferenceService(session);
        reference.Add("currency", "ZAR", "Rand");
        reference.Add("country", "ZA", "South Africa");
        new ConnectionService(session).Add("bench", new ConnectionSettings { Site = "BENCH" });
        return (database, session);
    }

    /// <summary>The baseline of the plan: NOT EXISTS on the indexed VAT column, both directions, every row fetched.</summary>
    private static long SetDifference(Database database) => Fetch(database, everyValue: false,
        "SELECT c.code FROM customers c WHERE c.kind = 'account' AND NOT EXISTS (SELECT 1 FROM ledger_accounts a WHERE a.vat = c.vat)",
        "SELECT a.code FROM ledger_accounts a WHERE NOT EXISTS (SELECT 1 FROM customers c WHERE c.vat = a.vat)");

    /// <summary>What any plan that compares field values must at least do: fetch every synced value of both sides.</summary>
    private static long ReadFloor(Database database) => Fetch(database, everyValue: true,
        "SELECT code, name, vat, phone, email, web_site, address, postcode, country, credit_limit, type, active, relation, modified_at FROM customers WHERE kind = 'account' AND sync_to_accounting",
        "SELECT code, name, vat, phone, ac_email, web_site, address, postcode, country, credit_limit, customer_type, dormant, last_modified FROM ledger_accounts WHERE NOT is_model AND NOT marked_for_deletion");

    private static long Fetch(Database database, bool everyValue, params string[] queries)
    {
        using var connection = database.OpenConnection();
        long rows = 0;
        foreach (var sql in queries)
        {
            using var command = Sql.Command(connection, null, sql);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                for (var i = 0; i < (everyValue ? reader.FieldCount : 1); i++)
                {
                    reader.GetValue(i);
                }
                rows++;
            }
        }
        return rows;
    }

    /// <summary>Changes <paramref name="count"/> different customers among those on both sides.</summary>
    private static void Change(Database database, int count, int shared)
    {
        using var connection = database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var counter = ChangeCounter.Take(connection, transaction);
        for (var i = 0; i < count; i++)
        {
            Sql.Execute(connection, transaction, "UPDATE customers SET phone = @p, change_seq = @s WHERE code = @c",
                ("p", $"082 {i:D3} 0000"), ("s", counter.Next()), ("c", $"O{i * 7 % Math.Max(1, shared):D7}"));
        }
        counter.Save(connection, transaction);
        transaction.Commit();
    }

    private static void OperationalOnly(Database database, int count) =>
        SyncData.WriteCustomers(database, count, (i, now) => new OperationalCustomer
        {
            Code = $"N{i:D7}",
            Kind = OperationalCustomer.AccountKind,
            Site = "BENCH",
            SyncToAccounting = true,
            Active = true,
            Name = $"New customer {i}",
            Vat = SyncData.Vat(30_000_000 + i),
            Country = "ZA",
            Phone = "031 000 0000",
            CreditLimit = 500m,
            CreatedAt = now,
            ModifiedAt = now,
        });

    /// <summary>The baseline of apply: the same number of ledger rows inserted by one prepared statement in one transaction.</summary>
    private static void RawInsert(Database database, int count)
    {
        using var connection = database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var now = DateTimeOffset.UtcNow;
        using (var writer = database.Dialect.OpenBulkWriter(connection, transaction, "ledger_accounts", AccountService.Table.InsertColumns))
        {
            for (var i = 0; i < count; i++)
            {
                writer.Write(AccountService.Table.InsertValues(new LedgerAccount
                {
                    Code = $"N{i:D7}",
                    Name = $"New customer {i}",
                    Vat = SyncData.Vat(30_000_000 + i),
                    Country = "ZA",
                    Currency = "ZAR",
                    Phone = "031 000 0000",
                    CreditLimit = 500m,
                    FirstCreated = now,
                    LastModified = now,
                }, i + 1));
            }
            writer.Complete();
        }
        transaction.Commit();
    }

    private static (double Precision, double Recall) Score(Plan plan, SyncData.Truth truth)
    {
        var predicted = plan.Lines.Where(l => l.Kind == LineKind.Proposal)
            .SelectMany(l => l.Candidates.Select(c => (l.OperationalCode!, c))).ToList();
        var correct = predicted.Count(p => truth.SimilarPairs.TryGetValue(p.Item1, out var partner) && partner == p.Item2);
        return (predicted.Count == 0 ? 0 : (double)correct / predicted.Count, truth.SimilarPairs.Count == 0 ? 0 : (double)correct / truth.SimilarPairs.Count);
    }

    private static string Summary(Plan plan) =>
        string.Join(", ", plan.Lines.GroupBy(l => l.Kind).OrderBy(g => g.Key).Select(g => $"{g.Key} {g.Count():N0}"));

    internal static (double Seconds, T Result) Time<T>(Func<T> work)
    {
        GC.Collect();
        var watch = Stopwatch.StartNew();
        var result = work();
        return (watch.Elapsed.TotalSeconds, result);
    }

    internal static void ResetPeak()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        File.WriteAllText("/proc/self/clear_refs", "5");
    }

    internal static long PeakKib()
    {
        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            }
        }
        return 0;
    }
}
