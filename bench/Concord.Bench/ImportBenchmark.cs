using System.Diagnostics;
using System.Globalization;
using Concord.Core;
using Concord.Core.Common;
using Concord.Core.Exchange;
using Concord.Core.Operational;
using Concord.Core.Users;
using Concord.Store;
using CsvHelper;

namespace Concord.Bench;

/// <summary>
/// Import of N customers from CSV through Concord (validated, audited) against a raw bulk insert
/// of the same file's rows into the same table on the same engine, measured in one run; then the
/// peak memory of `concord customers list --json` over the imported store.
/// </summary>
public static class ImportBenchmark
{
    public static int Run(int rows, string? postgres)
    {
        var work = Path.Combine(Path.GetTempPath(), "concord-bench-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(work);
        try
        {
            var csv = Path.Combine(work, "customers.csv");
            CustomerFile.Write(csv, rows);
            Console.WriteLine($"# Concord foundation benchmark: {rows:N0} customers, {new FileInfo(csv).Length / 1_048_576.0:F0} MiB CSV");
            Console.WriteLine($"# machine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}");
            Compare("SQLite", () => Fresh(Path.Combine(work, "raw-sqlite"), null), () => Fresh(Path.Combine(work, "concord-sqlite"), null), csv, rows, "prepared statements");
            ListMemory(Path.Combine(work, "concord-sqlite"), rows);
            if (postgres is not null)
            {
                Compare("PostgreSQL", () => FreshSchema(work, postgres, "raw"), () => FreshSchema(work, postgres, "concord"), csv, rows, "binary COPY");
            }
            return 0;
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(work, recursive: true);
        }
    }

    private static void Compare(string engine, Func<Database> rawStore, Func<Database> concordStore, string csv, int rows, string baselineName)
    {
        var raw = rawStore();
        var rawSeconds = Time(() => RawInsert(raw, csv));
        var concord = concordStore();
        var session = Prepare(concord);
        var concordSeconds = Time(() =>
        {
            var result = Importers.Customers(session).Import(csv, skipInvalid: false);
            if (result.Written != rows)
            {
                throw new InvalidOperationException($"imported {result.Written} of {rows}");
            }
        });
        var rawRate = rows / rawSeconds;
        var concordRate = rows / concordSeconds;
        Console.WriteLine($"{engine} | baseline raw {baselineName}: {rawSeconds:F1} s, {rawRate:N0} rows/s | concord import customers: {concordSeconds:F1} s, {concordRate:N0} rows/s | ratio {concordRate / rawRate:P0} (target >= 50%)");
    }

    private static double Time(Action work)
    {
        GC.Collect();
        var watch = Stopwatch.StartNew();
        work();
        return watch.Elapsed.TotalSeconds;
    }

    /// <summary>The baseline: the file's cells, as read, inserted with no checks in one transaction by the engine's fast path.</summary>
    private static void RawInsert(Database database, string csv)
    {
        var columns = CustomerService.Table.InsertColumns.ToList();
        var schema = OperationalCustomer.Schema;
        using var connection = database.OpenConnection();
        using var transaction = connection.BeginTransaction();
        using var reader = CsvReader.FromFile(csv, new CsvReaderOptions());
        using (var writer = database.Dialect.OpenBulkWriter(connection, transaction, schema.Table, columns))
        {
            var now = Timestamps.Format(DateTimeOffset.UtcNow);
            var values = new object?[columns.Count];
            var index = columns.Select(c => reader.Headers.ToList().IndexOf(c.Replace('_', '-'))).ToArray();
            while (reader.Read())
            {
                for (var i = 0; i < columns.Count; i++)
                {
                    values[i] = index[i] >= 0 ? reader.GetString(index[i]) : null;
                }
                values[columns.IndexOf("credit_limit")] = long.Parse(reader.GetString(5).Replace(".", "", StringComparison.Ordinal), CultureInfo.InvariantCulture);
                values[columns.IndexOf("relation")] = "customer";
                values[columns.IndexOf("sync_to_accounting")] = true;
                values[columns.IndexOf("active")] = true;
                values[columns.IndexOf("created_at")] = now;
                values[columns.IndexOf("modified_at")] = now;
                values[columns.IndexOf("code_key")] = reader.GetString(0).ToUpperInvariant();
                values[columns.IndexOf("change_seq")] = 0L;
                writer.Write(values);
            }
            writer.Complete();
        }
        transaction.Commit();
    }

    private static Session Prepare(Database database)
    {
        var clock = TimeProvider.System;
        var users = new UserDirectory(database, clock);
        var session = new Session(database, users.Resolve(users.EnsureFirstUser()), clock);
        new SiteService(session).Add("BENCH", "Benchmark site");
        // Customers' countries are checked against the ledger's countries.
        new Concord.Core.Ledger.ReferenceService(session).Add("country", "ZA", "South Africa");
        return session;
    }

    private static Database Fresh(string folder, string? store)
    {
        var clock = TimeProvider.System;
        var database = Database.Create(folder, store, clock);
        new UserDirectory(database, clock).EnsureFirstUser();
        return database;
    }

    private static Database FreshSchema(string work, string server, string name) =>
        Fresh(Path.Combine(work, name), BenchStores.PostgresSchema(server, name));

    /// <summary>Runs the real `concord customers list --json` on the imported store and reads its peak resident memory.</summary>
    private static void ListMemory(string dataFolder, int rows)
    {
        var concord = Path.Combine(AppContext.BaseDirectory, "concord.dll");
        var start = new ProcessStartInfo("dotnet", ["exec", concord, "--data", dataFolder, "customers", "list", "--json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(start)!;
        long bytes = 0;
        var drain = Task.Run(() =>
        {
            var buffer = new char[1 << 16];
            int read;
            while ((read = process.StandardOutput.Read(buffer, 0, buffer.Length)) > 0)
            {
                bytes += read;
            }
        });
        var peakKib = 0L;
        while (!process.HasExited)
        {
            peakKib = Math.Max(peakKib, PeakResidentKib(process.Id));
            Thread.Sleep(20);
        }
        drain.Wait();
        process.WaitForExit();
        Console.WriteLine($"SQLite | concord customers list --json over {rows:N0} customers: {watch.Elapsed.TotalSeconds:F1} s, {bytes / 1_048_576.0:F0} MiB of JSON, peak RSS {peakKib / 1024.0:F0} MiB (target < 200 MiB), exit {process.ExitCode}");
    }

    private static long PeakResidentKib(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
                {
                    return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }
}
