using System.Diagnostics;
using System.Text;
using Concord.Store;
using Concord.Tests.GnuCash;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>
/// X3 with S11/S19: a real `concord sync run` creating 2,000 customers in a GnuCash book is killed
/// (SIGKILL) at several points. Each batch is one SQLite transaction, so after every kill the book
/// holds whole batches with the counter in step; the next runs finish with nothing duplicated, and
/// GnuCash opens the book.
/// </summary>
public sealed class GnuCashCrashTests() : StoreTest(StoreKind.Sqlite)
{
    private const int Customers = 6000;
    private const int Batch = 10;

    [Fact]
    public async Task X3_S19_KilledWhileWritingToGnuCash_WholeBatchesOnly_NextRunsFinishWithNoDuplicate()
    {
        using var book = GnuCashTestBook.Make(company: "Hope Trading");
        Ok("sites", "add", "Durban", "--name", "Durban");
        AddLedgerBasics();
        var csv = new StringBuilder("code,name,site,kind,vat,country,phone\n");
        for (var i = 0; i < Customers; i++)
        {
            csv.Append($"OP{i:D5},Customer {i},Durban,account,ZA4{100_000_000 + i},ZA,031 {i:D4}\n");
        }
        Ok("import", "customers", WriteFile("customers.csv", csv.ToString()));
        Ok("connections", "add", "books", "--site", "Durban", "--accounting", $"gnucash:{book.Path}");

        var kills = new List<long>();
        for (var attempt = 0; attempt < 10 && kills.Count < 5; attempt++)
        {
            var before = book.Count("SELECT COUNT(*) FROM customers");
            using var run = StartExecutable(new Dictionary<string, string?> { ["CONCORD_SYNC_BATCH"] = $"{Batch}" },
                "sync", "run", "books", "--yes", "--company", "Hope Trading");
            var watch = Stopwatch.StartNew();
            while (!run.HasExited && book.Count("SELECT COUNT(*) FROM customers") == before && watch.Elapsed < TimeSpan.FromSeconds(60))
            {
                await Task.Delay(2, TestContext.Current.CancellationToken);
            }
            await Task.Delay(attempt * 7 % 30, TestContext.Current.CancellationToken); // a different point of the writes each time
            if (run.HasExited)
            {
                break;
            }
            run.Kill();
            // The connector is the first to read the book again: it must roll back a commit the kill cut short.
            var inBook = (long)await CustomersAsync(book);
            kills.Add(inBook);
            // All of a batch or none of it, and the counter moved with the rows it numbered.
            Assert.Equal(0, (inBook - 2) % Batch);
            Assert.Equal(inBook, book.Count("SELECT int64_val FROM slots WHERE name = 'counters/gncCustomer'"));
        }
        Assert.True(kills.Count >= 3, $"only {kills.Count} kills landed while writing (customers in the book: {string.Join(", ", kills)})");

        var finish = Concord("sync", "run", "books", "--yes", "--company", "Hope Trading", "--json");
        Assert.True(finish.Exit == 0, finish.ToString());
        var again = Ok("sync", "run", "books", "--yes", "--company", "Hope Trading", "--json", "--full").Json;
        Assert.Equal(0, again.GetProperty("created").GetInt32() + again.GetProperty("updated").GetInt32());

        var gnucash = book.Dump().GetProperty("customers").EnumerateArray().ToList();
        Assert.Equal(Customers + 2, gnucash.Count);
        Assert.Equal(Customers + 2, gnucash.Select(c => c.GetProperty("id").GetString()).Distinct().Count());
        Assert.Equal(Customers, gnucash.Select(c => c.GetProperty("slots").GetProperty("concord-vat").GetString()).OfType<string>().Distinct().Count());
        Assert.Equal(Customers + 2, Count("SELECT COUNT(*) FROM sync_links WHERE sync_option = 'normal'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM sync_journal WHERE state = 'intent'"));
        TestContext.Current.TestOutputHelper!.WriteLine($"killed with {string.Join(", ", kills)} customers in the book; " +
            $"{Count("SELECT COUNT(*) FROM sync_journal WHERE outcome LIKE '%by reading it back%'")} creates settled by reading GnuCash back");
    }

    private static async Task<int> CustomersAsync(GnuCashTestBook book)
    {
        using var connector = book.Open();
        var count = 0;
        await foreach (var record in connector.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            count += record.Relation == "customer" ? 1 : 0;
        }
        return count;
    }
}
