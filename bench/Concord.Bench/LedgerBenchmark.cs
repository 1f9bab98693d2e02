using System.Diagnostics;
using Concord.Core;
using Concord.Core.Common;
using Concord.Core.Ledger;
using Concord.Core.Users;
using Concord.Store;

namespace Concord.Bench;

/// <summary>
/// Ledger transactions (issue 12): N postings over N/100 accounts on SQLite, or on PostgreSQL when
/// a server is given (each store in a fresh schema). The posting rate of
/// Concord (checked, balances kept) against a raw bulk insert of the same rows into the same table
/// of a fresh store; then, over the N postings, one account's standing against the raw SQL sum of
/// its postings, and the aged report of all accounts against the raw SQL aggregate of the same
/// buckets; all in the same run.
/// </summary>
public static class LedgerBenchmark
{
    private const int Batch = 500_000;

    public static int Run(int postings, string? postgres)
    {
        var accounts = Math.Max(1, postings / 100);
        var work = Path.Combine(Path.GetTempPath(), "concord-bench-ledger-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            Console.WriteLine($"# Concord ledger benchmark: {postings:N0} postings over {accounts:N0} accounts, {(postgres is null ? "SQLite" : "PostgreSQL")}");
            Console.WriteLine($"# machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
            var session = Prepare(Path.Combine(work, "concord"), postgres is null ? null : BenchStores.PostgresSchema(postgres, "concord"), accounts);
            var raw = Prepare(Path.Combine(work, "raw"), postgres is null ? null : BenchStores.PostgresSchema(postgres, "raw"), accounts);
            var random = new Random(12);
            var first = Make(random, accounts, Math.Min(Batch, postings));

            // Warm-up (the code paths compiled and optimised), then the posting rate: one batch each way, the same rows.
            var warm = Make(random, accounts, 20_000);
            RawInsert(raw.Database, warm);
            Post(session, warm);
            var rawSeconds = Time(() => RawInsert(raw.Database, first));
            var concordSeconds = Time(() => Post(session, first));
            Console.WriteLine($"posting {first.Count:N0} | raw bulk insert {first.Count / rawSeconds:N0} rows/s | concord {first.Count / concordSeconds:N0} rows/s | ratio {rawSeconds / concordSeconds:P0} (target >= 50%)");

            var watch = Stopwatch.StartNew();
            for (var done = first.Count; done < postings; done += Batch)
            {
                Post(session, Make(random, accounts, Math.Min(Batch, postings - done)));
            }
            Console.WriteLine($"# the other {postings - first.Count:N0} postings: {watch.Elapsed.TotalSeconds:F0} s");

            var reports = new LedgerReports(session);
            var codes = Enumerable.Range(0, 200).Select(_ => Code(random.Next(accounts))).ToArray();
            foreach (var code in codes.Take(20))
            {
                reports.Standing(code);
                using var warming = session.Database.OpenConnection();
                RawBalance(warming, code);
                RawStanding(warming, code);
            }
            // Each account read by the three in turn, the first of them rotating: none of them is always the one that brings the pages in from disk.
            var times = new List<double>[] { [], [], [] };
            // Each reads as an application does, on a connection from the pool: the same SQLite handle, so the same page cache, for all three.
            Action<string>[] readers =
            [
                code => reports.Standing(code),
                code =>
                {
                    using var pooled = session.Database.OpenConnection();
                    RawBalance(pooled, code);
                },
                code =>
                {
                    using var pooled = session.Database.OpenConnection();
                    RawStanding(pooled, code);
                },
            ];
            for (var i = 0; i < codes.Length; i++)
            {
                for (var j = 0; j < 3; j++)
                {
                    var which = (i + j) % 3;
                    times[which].Add(Time(() => readers[which](codes[i])));
                }
            }
            var (standing, rawBalance, rawStanding) = (Median(times[0]), Median(times[1]), Median(times[2]));
            Console.WriteLine($"standing of one account (balance, turnover, debtor days, last dates, aged) | raw SUM of its postings {rawBalance * 1000:F2} ms | concord {standing * 1000:F2} ms | ratio {standing / rawBalance:F2}x (target <= 1.5x)");
            Console.WriteLine($"  the same figures by one raw SQL aggregate {rawStanding * 1000:F2} ms | ratio {standing / rawStanding:F2}x");

            // The balance alone, as the account's form and `ledger accounts show` read it: kept by each posting's own store transaction.
            var accountsService = new AccountService(session);
            var balanceTimes = new List<double>[] { [], [] };
            for (var i = 0; i < codes.Length; i++)
            {
                for (var j = 0; j < 2; j++)
                {
                    var which = (i + j) % 2;
                    balanceTimes[which].Add(Time(() =>
                    {
                        if (which == 0)
                        {
                            _ = accountsService.Get(codes[i]).Balance;
                        }
                        else
                        {
                            using var pooled = session.Database.OpenConnection();
                            RawBalance(pooled, codes[i]);
                        }
                    }));
                }
            }
            var (kept, summed) = (Median(balanceTimes[0]), Median(balanceTimes[1]));
            Console.WriteLine($"balance of one account (the account read whole, its balance kept by the postings) | raw SUM of its postings {summed * 1000:F3} ms | concord {kept * 1000:F3} ms | ratio {kept / summed:F2}x (target <= 1.5x)");

            // Where the standing's time goes: a connection from the pool, the financial year's settings, and the rest (the one aggregate).
            var opening = Median([.. codes.Select(_ => Time(() => session.Database.OpenConnection().Dispose()))]);
            var year = Median([.. codes.Select(_ => Time(() => FinancialYear.Read(session)))]);
            Console.WriteLine($"  of the standing: a pooled connection {opening * 1000:F3} ms, the year's settings (with its connection) {year * 1000:F3} ms, the aggregate and the rest {(standing - year) * 1000:F3} ms");

            using var connection = session.Database.OpenConnection();
            var rawAged = Median(Enumerable.Range(0, 3).Select(_ => Time(() => RawAged(connection))));
            var aged = Median(Enumerable.Range(0, 3).Select(_ => Time(() => reports.Aged())));
            Console.WriteLine($"aged report of all accounts | raw SQL aggregate {rawAged:F2} s | concord {aged:F2} s | ratio {aged / rawAged:F2}x (target <= 1.5x)");
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    private static string Code(int i) => $"A{i:D6}";

    private static Session Prepare(string folder, string? store, int accounts)
    {
        var clock = TimeProvider.System;
        var database = Database.Create(folder, store, clock);
        var users = new UserDirectory(database, clock);
        var session = new Session(database, users.Resolve(users.EnsureFirstUser()), clock);
        new ReferenceService(session).Add("currency", "ZAR", "South African rand");
        var service = new AccountService(session);
        for (var start = 0; start < accounts; start += 10_000)
        {
            service.AddMany([.. Enumerable.Range(start, Math.Min(10_000, accounts - start)).Select(i => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>
            {
                ["code"] = Code(i), ["name"] = $"Customer {i}", ["currency"] = "ZAR", ["credit-limit"] = "50000",
            })]);
        }
        FinancialYear.Configure(session, new DateOnly(DateTime.UtcNow.Year, 1, 1), null);
        return session;
    }

    /// <summary>Invoices half of the time, receipts 30 %, credit notes 10 %, refunds and adjustments 5 % each, dated this year up to today.</summary>
    private static List<(string Record, Posting Posting)> Make(Random random, int accounts, int count)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var start = new DateOnly(today.Year, 1, 1);
        var days = today.DayNumber - start.DayNumber + 1;
        var list = new List<(string, Posting)>(count);
        for (var i = 0; i < count; i++)
        {
            var roll = random.Next(100);
            var kind = roll switch { < 50 => TransactionKind.Invoice, < 80 => TransactionKind.Receipt, < 90 => TransactionKind.Credit, < 95 => TransactionKind.Refund, _ => TransactionKind.Adjustment };
            var amount = random.Next(100, 2_000_000) / 100m;
            var vat = kind is TransactionKind.Invoice or TransactionKind.Credit ? decimal.Round(amount * 15m / 115m, 2) : 0m;
            list.Add(("posting", new Posting(Code(random.Next(accounts)), kind, kind == TransactionKind.Adjustment && random.Next(2) == 0 ? -amount : amount,
                start.AddDays(random.Next(days)), $"REF{i}", vat)));
        }
        return list;
    }

    private static void Post(Session session, List<(string Record, Posting Posting)> postings)
    {
        var posted = new TransactionService(session).PostMany(postings);
        if (posted != postings.Count)
        {
            throw new InvalidOperationException($"posted {posted} of {postings.Count}");
        }
    }

    /// <summary>The baseline: the same rows, signed as Concord signs them, inserted by the engine's fast path with no check and no balance kept.</summary>
    private static void RawInsert(Database database, List<(string Record, Posting Posting)> postings)
    {
        using var connection = database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        var at = Timestamps.Format(DateTimeOffset.UtcNow);
        using (var writer = database.Dialect.OpenBulkWriter(connection, transaction, "ledger_transactions",
            ["account_key", "named_key", "kind", "posted_on", "reference", "line_for", "currency", "amount", "vat", "outstanding", "source", "created_at", "created_by"]))
        {
            foreach (var (_, p) in postings)
            {
                var sign = p.Kind is TransactionKind.Credit or TransactionKind.Receipt ? -1 : 1;
                var amount = sign * (long)(p.Amount * 100);
                writer.Write([p.Account, null, p.Kind.ToString().ToLowerInvariant(), FinancialYear.Text(p.Date!.Value), p.Reference, null, "ZAR", amount, sign * (long)(p.Vat * 100), amount, null, at, "admin"]);
            }
            writer.Complete();
        }
        transaction.Commit();
    }

    private static long RawBalance(System.Data.Common.DbConnection connection, string code)
    {
        using var command = Sql.Command(connection, null, "SELECT SUM(amount) FROM ledger_transactions WHERE account_key = @k", ("k", code));
        return command.ExecuteScalar() is { } sum and not DBNull ? Convert.ToInt64(sum, System.Globalization.CultureInfo.InvariantCulture) : 0;
    }

    /// <summary>The standing's figures by one raw aggregate over the account's postings (the dates of this year and of the last three periods written in).</summary>
    private static void RawStanding(System.Data.Common.DbConnection connection, string code)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        using var command = Sql.Command(connection, null,
            "SELECT SUM(CASE WHEN posted_on > @d30 THEN outstanding ELSE 0 END), SUM(CASE WHEN posted_on <= @d30 AND posted_on > @d60 THEN outstanding ELSE 0 END), " +
            "SUM(CASE WHEN posted_on <= @d60 AND posted_on > @d90 THEN outstanding ELSE 0 END), SUM(CASE WHEN posted_on <= @d90 AND posted_on > @d120 THEN outstanding ELSE 0 END), " +
            "SUM(CASE WHEN posted_on <= @d120 THEN outstanding ELSE 0 END), SUM(CASE WHEN kind IN ('invoice', 'credit') AND posted_on >= @ys THEN amount - vat ELSE 0 END), " +
            "SUM(CASE WHEN kind IN ('invoice', 'credit') AND posted_on >= @ws THEN amount ELSE 0 END), MAX(CASE WHEN kind = 'invoice' THEN posted_on END), " +
            "MAX(CASE WHEN kind = 'receipt' THEN posted_on END), SUM(CASE WHEN outstanding <> 0 THEN 1 ELSE 0 END), SUM(outstanding) FROM ledger_transactions WHERE account_key = @k",
            ("d30", FinancialYear.Text(today.AddDays(-30))), ("d60", FinancialYear.Text(today.AddDays(-60))), ("d90", FinancialYear.Text(today.AddDays(-90))),
            ("d120", FinancialYear.Text(today.AddDays(-120))), ("ys", FinancialYear.Text(new DateOnly(today.Year, 1, 1))),
            ("ws", FinancialYear.Text(new DateOnly(today.Year, today.Month, 1).AddMonths(-2))), ("k", code));
        using var reader = command.ExecuteReader();
        reader.Read();
        for (var i = 0; i < reader.FieldCount; i++)
        {
            _ = reader.GetValue(i);
        }
    }

    private static int RawAged(System.Data.Common.DbConnection connection)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        using var command = Sql.Command(connection, null,
            "SELECT account_key, SUM(CASE WHEN posted_on > @d30 THEN outstanding ELSE 0 END), SUM(CASE WHEN posted_on <= @d30 AND posted_on > @d60 THEN outstanding ELSE 0 END), " +
            "SUM(CASE WHEN posted_on <= @d60 AND posted_on > @d90 THEN outstanding ELSE 0 END), SUM(CASE WHEN posted_on <= @d90 AND posted_on > @d120 THEN outstanding ELSE 0 END), " +
            "SUM(CASE WHEN posted_on <= @d120 THEN outstanding ELSE 0 END) FROM ledger_transactions WHERE outstanding <> 0 GROUP BY account_key",
            ("d30", FinancialYear.Text(today.AddDays(-30))), ("d60", FinancialYear.Text(today.AddDays(-60))), ("d90", FinancialYear.Text(today.AddDays(-90))), ("d120", FinancialYear.Text(today.AddDays(-120))));
        using var reader = command.ExecuteReader();
        var rows = 0;
        while (reader.Read())
        {
            for (var i = 0; i < 6; i++)
            {
                _ = reader.GetValue(i);
            }
            rows++;
        }
        return rows;
    }

    private static double Time(Action work)
    {
        var watch = Stopwatch.StartNew();
        work();
        return watch.Elapsed.TotalSeconds;
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted[sorted.Length / 2];
    }
}
