using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Concord.Connectors.GnuCash;
using Concord.Core;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Ledger;
using Concord.Core.Operational;
using Concord.Core.Sync.Connections;
using Concord.Core.Sync.Running;
using Concord.Core.Users;
using Concord.Store;
using Microsoft.Data.Sqlite;

namespace Concord.Bench;

/// <summary>
/// The GnuCash connector's write target (X3, issue 9), in one run on identical fresh books made by
/// GnuCash's own engine (tests/Concord.Tests/GnuCash/book.py): N new customers written into book A
/// by a real `sync run`, into book C by GnuCashConnector.CreateAsync alone in the engine's batch
/// size, and — the baseline — into book B by one prepared INSERT per row in one transaction with
/// the counter update. Then GnuCash loads book A and counts its customers.
/// </summary>
public static class GnuCashBenchmark
{
    private const string Company = "Concord Bench Company";

    // The engine's batch for writes to a GnuCash book (the connector's WriteBatch unless CONCORD_SYNC_BATCH is set).
    private static int _batch;

    public static int Run(int n)
    {
        Concord.Connectors.ExternalConnectors.Register();
        var work = Path.Combine(Path.GetTempPath(), "concord-gnucashbench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var a = Path.Combine(work, "a.gnucash");
            var b = Path.Combine(work, "b.gnucash");
            var c = Path.Combine(work, "c.gnucash");
            Book("make", a, "--currency", "ZAR", "--company", Company);
            File.Copy(a, b);
            File.Copy(a, c);
            using (var side = new GnuCashConnector(GnuCashBook.Open(a), null))
            {
                _batch = SyncEngine.BatchFor(side);
            }
            Console.WriteLine($"# Concord GnuCash benchmark: {n:N0} customers, {Environment.ProcessorCount} cores, .NET {Environment.Version}, batch {_batch}");

            // Concord: a store with N new account customers, connection "bench" to book A, one `sync run`.
            var session = TrytonBenchmark.Store(Path.Combine(work, "store"), $"gnucash:{a}", "to-accounting");
            TrytonBenchmark.FillStore(session.Database, n);
            SyncBenchmark.ResetPeak();
            var run = SyncBenchmark.Time(() => new SyncEngine(session).Run("bench", new RunOptions { Company = Company }));
            var peak = SyncBenchmark.PeakKib();
            var report = run.Result;
            Console.WriteLine($"Concord | sync run: {run.Seconds:F1} s (plan {report.PlanTime.TotalSeconds:F1} s, apply {report.ApplyTime.TotalSeconds:F1} s): " +
                $"{report.Created:N0} created, {report.Errors:N0} errors, {report.Created / run.Seconds:N0} rows/s, peak RSS {peak / 1024:N0} MiB");

            // The connector alone: FindByCodesAsync and CreateAsync per batch of the engine's size into book C, as CreateWriter calls them.
            SyncBenchmark.ResetPeak();
            var (paused, gc0, gc1, gc2) = (GC.GetTotalPauseDuration(), GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
            var alone = SyncBenchmark.Time(() => Connector(c, n));
            var alonePeak = SyncBenchmark.PeakKib();
            Console.WriteLine($"connector | GnuCashConnector.FindByCodesAsync + CreateAsync, {_batch} a batch: {alone.Seconds:F1} s, {alone.Result:N0} created, {alone.Result / alone.Seconds:N0} rows/s, " +
                $"peak RSS {alonePeak / 1024:N0} MiB, GC paused {(GC.GetTotalPauseDuration() - paused).TotalSeconds:F2} s " +
                $"({GC.CollectionCount(0) - gc0} gen0, {GC.CollectionCount(1) - gc1} gen1, {GC.CollectionCount(2) - gc2} gen2)");

            Probe(c);

            // Baseline: the same rows by prepared statements in one transaction into book B.
            SyncBenchmark.ResetPeak();
            var raw = SyncBenchmark.Time(() => RawInsert(b, n));
            var rawPeak = SyncBenchmark.PeakKib();
            Console.WriteLine($"baseline | prepared INSERT (customer row + VAT and country slots), one transaction, counter updated: {raw.Seconds:F1} s, {raw.Result / raw.Seconds:N0} rows/s, peak RSS {rawPeak / 1024:N0} MiB");
            Console.WriteLine($"ratio | sync run {report.Created / run.Seconds / (n / raw.Seconds):P1}, connector alone {alone.Result / alone.Seconds / (n / raw.Seconds):P1} (target >= 50 %)");

            // GnuCash loads book A.
            var watch = Stopwatch.StartNew();
            var counted = Book("count", a);
            Console.WriteLine($"GnuCash | book.py count of book A: {counted} ({watch.Elapsed.TotalSeconds:F1} s with python's start)");
            using var json = JsonDocument.Parse(counted);
            return json.RootElement.GetProperty("customers").GetInt64() == n + 2 ? 0 : 1;
        }
        finally
        {
            SqliteConnection.ClearAllPools();
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

    /// <summary>The records the engine hands the connector, in its batch size.</summary>
    private static long Connector(string path, int n)
    {
        using var connector = new GnuCashConnector(GnuCashBook.Open(path), null);
        long created = 0;
        var batches = new List<double>();
        for (var start = 0; start < n; start += _batch)
        {
            var batch = new List<SyncRecord>();
            for (var i = start; i < Math.Min(n, start + _batch); i++)
            {
                var c = TrytonBenchmark.Customer(i);
                var values = new string?[SyncFields.All.Count];
                values[SyncFields.IndexOf("name")] = c.Name;
                values[SyncFields.IndexOf("vat")] = c.Vat;
                values[SyncFields.IndexOf("address")] = c.Address;
                values[SyncFields.IndexOf("postcode")] = c.Postcode;
                values[SyncFields.IndexOf("country")] = "ZA";
                values[SyncFields.IndexOf("phone")] = c.Phone;
                values[SyncFields.IndexOf("email")] = c.Email;
                values[SyncFields.IndexOf("credit-limit")] = Money.Format(TrytonBenchmark.CreditLimit);
                batch.Add(new SyncRecord(c.Code, values) { Active = true, Relation = "customer" });
            }
            var watch = Stopwatch.StartNew();
            // As the engine's CreateWriter does: are the codes taken? Then the creates.
            connector.FindByCodesAsync([.. batch.Select(r => r.Code)], CancellationToken.None).GetAwaiter().GetResult();
            created += connector.CreateAsync(batch, CancellationToken.None).GetAwaiter().GetResult().Count(o => o.Written);
            batches.Add(watch.Elapsed.TotalMilliseconds);
        }
        if (batches.Count >= 20)
        {
            // Where the connector's time goes: a batch's cost as the book grows.
            Console.WriteLine($"connector | batch of {_batch}: first ten {batches.Take(10).Average():F0} ms on average, last ten {batches.TakeLast(10).Average():F0} ms");
        }
        return created;
    }

    /// <summary>
    /// What a batch costs on the full book besides its rows: a write transaction on its own (BEGIN
    /// IMMEDIATE, lock and format checks, one slot row, commit with the rollback journal), and the
    /// FindByCodesAsync the engine's CreateWriter asks before each batch — the first on a new
    /// connector (it reads every code and proposed code once), then one on the keys it keeps.
    /// </summary>
    private static void Probe(string path)
    {
        using var connector = new GnuCashConnector(GnuCashBook.Open(path), null);
        using var book = GnuCashBook.Open(path);
        const int Commits = 20;
        var commit = Stopwatch.StartNew();
        for (var i = 0; i < Commits; i++)
        {
            book.WriteAsync((connection, transaction) => GnuCashBook.Command(connection, transaction, "UPDATE slots SET int64_val = int64_val WHERE name = 'counters/gncCustomer'")
                .ExecuteNonQueryAsync(CancellationToken.None), CancellationToken.None).GetAwaiter().GetResult();
        }
        var perCommit = commit.Elapsed.TotalMilliseconds / Commits;
        var codes = Enumerable.Range(0, _batch).Select(i => TrytonBenchmark.Customer(i).Code).ToList();
        var first = Stopwatch.StartNew();
        var found = connector.FindByCodesAsync(codes, CancellationToken.None).GetAwaiter().GetResult().Count;
        var firstMs = first.Elapsed.TotalMilliseconds;
        var kept = Stopwatch.StartNew();
        connector.FindByCodesAsync(codes, CancellationToken.None).GetAwaiter().GetResult();
        Console.WriteLine($"connector | on the full book: a write transaction costs {perCommit:F0} ms; FindByCodesAsync of {codes.Count} codes " +
            $"{firstMs:F0} ms the first time (keys read), {kept.Elapsed.TotalMilliseconds:F0} ms after ({found} found)");
    }

    /// <summary>
    /// The least a writer must do to add these customers to a GnuCash book: the customers row with
    /// the columns GnuCash reads, the two values GnuCash has no column for (VAT number, country) as
    /// KVP slots, and the gncCustomer counter moved past the new ids — by one prepared statement per
    /// row, bound by position, in one transaction. No lock check, no checks of values.
    /// </summary>
    private static long RawInsert(string path, int n)
    {
        using var db = new SqliteConnection($"Data Source={path};Pooling=False");
        db.Open();
        using var transaction = db.BeginTransaction();
        string Text(string sql)
        {
            using var command = new SqliteCommand(sql, db, transaction);
            return Convert.ToString(command.ExecuteScalar(), CultureInfo.InvariantCulture)!;
        }
        var currency = Text("SELECT guid FROM commodities WHERE namespace = 'CURRENCY' AND mnemonic = 'ZAR'");
        var last = long.Parse(Text("SELECT int64_val FROM slots WHERE name = 'counters/gncCustomer'"), CultureInfo.InvariantCulture);
        using var customer = new SqliteCommand(
            "INSERT INTO customers (guid, name, id, notes, active, discount_num, discount_denom, credit_num, credit_denom, currency, tax_override, " +
            "addr_name, addr_addr1, addr_addr2, addr_addr3, addr_addr4, addr_phone, addr_fax, addr_email, " +
            "shipaddr_name, shipaddr_addr1, shipaddr_addr2, shipaddr_addr3, shipaddr_addr4, shipaddr_phone, shipaddr_fax, shipaddr_email, " +
            "terms, tax_included, taxtable) VALUES ($1, $2, $3, '', 1, 0, 1, $4, 100, $5, 0, $2, $6, $7, '', $8, $9, '', $10, '', '', '', '', '', '', '', '', NULL, 3, NULL)",
            db, transaction);
        using var slot = new SqliteCommand(
            "INSERT INTO slots (obj_guid, name, slot_type, int64_val, string_val, double_val, timespec_val, guid_val, numeric_val_num, numeric_val_denom, gdate_val) " +
            "VALUES ($1, $2, 4, 0, $3, NULL, '1970-01-01 00:00:00', NULL, 0, 1, NULL)", db, transaction);
        var p = Enumerable.Range(1, 10).Select(i => customer.Parameters.Add($"${i}", SqliteType.Text)).ToArray();
        var s = Enumerable.Range(1, 3).Select(i => slot.Parameters.Add($"${i}", SqliteType.Text)).ToArray();
        customer.Prepare();
        slot.Prepare();
        for (var i = 0; i < n; i++)
        {
            var c = TrytonBenchmark.Customer(i);
            var guid = GnuCashBook.NewGuid(); // the same GUIDs as the connector's
            var lines = c.Address.Split(", ", 3);
            p[0].Value = guid;
            p[1].Value = c.Name;
            p[2].Value = (++last).ToString("D6", CultureInfo.InvariantCulture);
            p[3].Value = (long)(TrytonBenchmark.CreditLimit * 100);
            p[4].Value = currency;
            p[5].Value = lines[0];
            p[6].Value = lines.Length > 1 ? lines[1] : "";
            p[7].Value = c.Postcode;
            p[8].Value = c.Phone;
            p[9].Value = c.Email;
            customer.ExecuteNonQuery();
            foreach (var (name, value) in new[] { ("concord-vat", c.Vat), ("concord-country", "ZA") })
            {
                s[0].Value = guid;
                s[1].Value = name;
                s[2].Value = value;
                slot.ExecuteNonQuery();
            }
        }
        using (var counter = new SqliteCommand("UPDATE slots SET int64_val = $1 WHERE name = 'counters/gncCustomer'", db, transaction))
        {
            counter.Parameters.AddWithValue("$1", last);
            counter.ExecuteNonQuery();
        }
        transaction.Commit();
        return n;
    }

    /// <summary>Runs tests/Concord.Tests/GnuCash/book.py with Debian's python3 (python3-gnucash); its stdout.</summary>
    private static string Book(params string[] args)
    {
        var script = Path.Combine(RepositoryRoot(), "tests", "Concord.Tests", "GnuCash", "book.py");
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [script, .. args]) { RedirectStandardOutput = true })
            ?? throw new InvalidOperationException("cannot run /usr/bin/python3 (install python3-gnucash: scripts/gnucash.sh)");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"book.py {string.Join(' ', args)} failed (exit {process.ExitCode})");
        }
        return output.Trim();
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "tests", "Concord.Tests", "GnuCash", "book.py")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException("tests/Concord.Tests/GnuCash/book.py not found: run the benchmark from the repository");
    }
}
