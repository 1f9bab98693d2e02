using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>The public contract of `concord` (U1): exit codes, stdout vs stderr, the demo, migrations, on both stores.</summary>
public abstract class CliContractTests(StoreKind kind) : StoreTest(kind)
{
    public sealed class OnSqlite() : CliContractTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : CliContractTests(StoreKind.Postgres);

    [Fact]
    public void U1_BadUsageExitsWith2()
    {
        Assert.Equal(2, Concord("customers", "frobnicate").Exit);
        Assert.Equal(2, Concord("customers", "add").Exit);
        Assert.Equal(2, Concord("ledger", "accounts", "add", "A1", "--no-such-field", "x").Exit);
        Assert.Equal(2, Concord("export", "accounts", "--format", "xml").Exit);
    }

    [Fact]
    public void U1_JsonGoesToStdoutAsOneDocument_MessagesToStderr()
    {
        Ok("sites", "add", "Durban", "--name", "Durban");
        var result = Ok("sites", "list", "--json");
        Assert.Equal("Durban", Assert.Single(result.Json.EnumerateArray()).GetProperty("code").GetString());
        Assert.Contains("1 site.", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("site.", result.Stdout, StringComparison.Ordinal);
        var add = Ok("sites", "add", "JHB", "--name", "Johannesburg");
        Assert.Equal("", add.Stdout);
    }

    [Fact]
    public void U1_DemoListsThe24SeedCustomersAtDurban_WithTheSeedColumns()
    {
        Ok("demo", "--no-serve");
        var listing = Ok("customers", "list", "--site", "Durban", "--json").Json.EnumerateArray()
            .ToDictionary(c => c.GetProperty("code").GetString()!);
        Assert.Equal(24, listing.Count);
        var seed = SeedListing();
        Assert.Equal(seed.Keys.Order(StringComparer.Ordinal), listing.Keys.Order(StringComparer.Ordinal));
        foreach (var (code, cells) in seed)
        {
            var customer = listing[code];
            Assert.Equal(cells[1], customer.GetProperty("type").GetString() ?? "");
            Assert.Equal(cells[2], customer.GetProperty("name").GetString() ?? "");
            Assert.Equal("Durban", customer.GetProperty("site").GetString());
            var limit = customer.GetProperty("creditLimit");
            Assert.Equal(cells[6], limit.ValueKind == System.Text.Json.JsonValueKind.Null ? "" : limit.GetDecimal().ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture));
            Assert.Equal(cells[7], customer.GetProperty("webSite").GetString() ?? "");
            Assert.Equal(cells[8], customer.GetProperty("phone").GetString() ?? "");
            Assert.Equal("account", customer.GetProperty("kind").GetString());
        }
    }

    [Fact]
    public void U1_DemoIsIdempotent_AndGivesTheLedgerMatchingWork()
    {
        Ok("demo", "--no-serve");
        var customers = Count("SELECT COUNT(*) FROM customers");
        var accounts = Count("SELECT COUNT(*) FROM ledger_accounts");
        Assert.Contains("already there", Ok("demo", "--no-serve").Stderr, StringComparison.Ordinal);
        Assert.Equal(customers, Count("SELECT COUNT(*) FROM customers"));
        Assert.Equal(accounts, Count("SELECT COUNT(*) FROM ledger_accounts"));
        Assert.True(Count("SELECT COUNT(*) FROM customers c JOIN ledger_accounts a ON a.vat = c.vat AND a.code <> c.code") >= 5);
        Assert.True(Count("SELECT COUNT(*) FROM customers WHERE kind = 'operational' AND account IS NOT NULL") >= 2);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM ledger_accounts WHERE dormant"));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM ledger_accounts WHERE ledger_account IS NOT NULL"));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM ledger_accounts WHERE is_model"));
        Assert.True(accounts >= 12);
    }

    [Fact]
    public void U1_TwoDemosStartedAtOnce_BothSucceed_AndLoadTheDemoOnce()
    {
        using var first = StartExecutable(null, "demo", "--no-serve");
        using var second = StartExecutable(null, "demo", "--no-serve");
        var results = new[] { first.Finish(TimeSpan.FromMinutes(2)), second.Finish(TimeSpan.FromMinutes(2)) };
        Assert.All(results, r => Assert.True(r.Exit == 0, r.ToString()));
        Assert.Single(results, r => r.Stderr.Contains("Demo data loaded.", StringComparison.Ordinal));
        Assert.Single(results, r => r.Stderr.Contains("already there", StringComparison.Ordinal));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM sites WHERE code = 'Durban'"));
        Assert.Equal(24, Ok("customers", "list", "--site", "Durban", "--json").Json.GetArrayLength());
    }

    [Fact]
    public void X1_StoreMigratesOnceAndReopensWithoutChange()
    {
        using (Store.Open().OpenConnection())
        {
        }
        var versions = Count("SELECT COUNT(*) FROM schema_migrations");
        Assert.Equal(global::Concord.Store.Migrations.All().Count(), versions);
        Ok("init");
        Assert.Equal(versions, Count("SELECT COUNT(*) FROM schema_migrations"));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM users"));
    }

    [Fact]
    public void X1_EveryRecordFieldHasItsColumnInTheMigratedStore()
    {
        // Fails when a field is added to a record without a migration (or a column is renamed).
        foreach (var (table, columns) in new[]
                 {
                     (global::Concord.Core.Operational.OperationalCustomer.Schema.Table, global::Concord.Core.Operational.CustomerService.Table.InsertColumns),
                     (global::Concord.Core.Ledger.LedgerAccount.Schema.Table, global::Concord.Core.Ledger.AccountService.Table.InsertColumns),
                     (global::Concord.Core.Operational.Site.Schema.Table, global::Concord.Core.Operational.SiteService.Table.InsertColumns),
                 })
        {
            Assert.Equal(0, Count($"SELECT COUNT(*) FROM (SELECT {string.Join(", ", columns)} FROM {table}) AS probe"));
        }
    }

    [Fact]
    public void U1_TheRealExecutableLoadsTheDemoAndListsDurbanAsJson()
    {
        CliResult Run(params string[] args) => Executable(args);
        var demo = Run("demo", "--no-serve");
        Assert.True(demo.Exit == 0, demo.Stderr);
        Assert.Equal("", demo.Stdout);
        var listing = Run("customers", "list", "--site", "Durban", "--json");
        Assert.True(listing.Exit == 0, listing.Stderr);
        using var json = System.Text.Json.JsonDocument.Parse(listing.Stdout);
        Assert.Equal(24, json.RootElement.GetArrayLength());
        Assert.Contains("24 customers.", listing.Stderr, StringComparison.Ordinal);
        var bad = Run("customers", "add", "X1", "--name", "X", "--site", "Nowhere");
        Assert.Equal(1, bad.Exit);
        Assert.Contains("customer X1 site: 'Nowhere' does not exist", bad.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", bad.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, Run("customers", "list", "--no-such-option").Exit);
    }

    [Fact]
    public void U1_EveryPrintedHintRepeatsTheUsersStore_SoCopyingItReachesTheSameData()
    {
        // The data folder's name has a space (TestStore): the hint must quote it for the shell.
        var demo = Executable("demo", "--no-serve");
        Assert.True(demo.Exit == 0, demo.ToString());
        var tryHint = HintAfter("Try: ", demo.Stderr);
        Assert.Equal(Store.GlobalArguments, tryHint.Skip(1).Take(Store.GlobalArguments.Length));
        var listing = ConcordProcess.Run(tryHint.Skip(1).Append("--json"));
        Assert.True(listing.Exit == 0, listing.ToString());
        Assert.Equal(24, listing.Json.GetArrayLength());
        var previewHint = HintAfter("Then what a first sync would do: ", demo.Stderr);
        var preview = ConcordProcess.Run(previewHint.Skip(1).Append("--json"));
        Assert.True(preview.Exit == 0, preview.ToString());
        Assert.Equal("Concord Demo Trading (Pty) Ltd", preview.Json.GetProperty("company").GetString());

        Ok("connections", "add", "books", "--site", "Durban", "--model", "MODEL-RET");
        var refused = Executable("sync", "run", "books");
        Assert.Equal(1, refused.Exit);
        var goAhead = HintAfter("To go ahead: ", refused.Stderr);
        Assert.Equal(Store.GlobalArguments, goAhead.Skip(1).Take(Store.GlobalArguments.Length));
        var run = ConcordProcess.Run(goAhead.Skip(1).Append("--json"));
        Assert.True(run.Json.GetProperty("created").GetInt32() > 0, run.ToString());
        Assert.True(Count("SELECT COUNT(*) FROM sync_links") > 0);

        // A hint made inside the product (a missing reference) carries the store too.
        var missing = Fails("ledger", "accounts", "add", "NEW1", "--name", "New", "--region", "NOWHERE");
        var addIt = HintBetween("'", "'", missing.Stderr[missing.Stderr.IndexOf("'concord", StringComparison.Ordinal)..]);
        Assert.Equal(Store.GlobalArguments, addIt.Skip(1).Take(Store.GlobalArguments.Length));
    }

    [Fact]
    public void U1_TablesFitTheTerminalWidth_AndWideShowsEveryCellOnOneLine()
    {
        Ok("demo", "--no-serve");
        Ok("customers", "edit", "HOP001", "--phone", "031 999 0000", "--user", "admin");
        var environment = new Dictionary<string, string?> { ["COLUMNS"] = "80" };
        var fitted = ConcordProcess.Run([.. Store.GlobalArguments, "audit", "list"], environment);
        Assert.True(fitted.Exit == 0, fitted.ToString());
        var lines = fitted.Stdout.TrimEnd('\n').Split('\n');
        Assert.All(lines, line => Assert.True(new System.Globalization.StringInfo(line).LengthInTextElements <= 80, $"{line.Length} columns: {line}"));
        // Who and when stay readable; the change is told, not the whole record.
        Assert.Equal(["id", "at", "user", "action", "entity", "record", "changes"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(lines, l => l.Contains("admin", StringComparison.Ordinal) && l.Contains("update", StringComparison.Ordinal) && l.Contains("HOP001", StringComparison.Ordinal));
        Assert.Contains("phone:", fitted.Stdout, StringComparison.Ordinal);

        var wide = ConcordProcess.Run([.. Store.GlobalArguments, "audit", "list", "--wide"], environment);
        var entries = Ok("audit", "list", "--json").Json.GetArrayLength();
        var wideLines = wide.Stdout.TrimEnd('\n').Split('\n');
        Assert.Equal(entries + 2, wideLines.Length);
        Assert.Contains(wideLines, l => l.Contains("phone: '031 ", StringComparison.Ordinal) && l.Contains("' -> '031 999 0000'", StringComparison.Ordinal));
        Assert.True(wideLines.Max(l => l.Length) > 80);
    }

    [Fact]
    public void S17_TheInboxShowsBothSidesValues_AndItsJsonValuesAreJson()
    {
        Ok("demo", "--no-serve");
        Ok("connections", "add", "books", "--site", "Durban", "--model", "MODEL-RET");
        Concord("sync", "run", "books", "--yes", "--company", "Concord Demo Trading (Pty) Ltd");
        var entry = Ok("sync", "inbox", "books", "--json").Json.EnumerateArray().First(e => e.GetProperty("record").GetString() == "BOT001");
        var values = entry.GetProperty("operationalValues");
        Assert.Equal(System.Text.Json.JsonValueKind.Object, values.ValueKind);
        Assert.Equal("031 789 4563", values.GetProperty("phone").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, entry.GetProperty("accountingValues").ValueKind);
        var table = Ok("sync", "inbox", "books", "--wide").Stdout.Split('\n');
        Assert.Equal(["record", "kind", "field", "reason", "here", "accounting", "take"], table[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(table, l => l.StartsWith(" BOT001 ", StringComparison.Ordinal) && l.Contains("(blank)", StringComparison.Ordinal));
    }

    [Fact]
    public void U1_ALongImportShowsAProgressBarOnATerminal_AndNothingWhenStderrIsNotOne()
    {
        Ok("sites", "add", "Durban", "--name", "Durban");
        var rows = string.Concat(Enumerable.Range(0, 20_000).Select(i => $"P{i:D6},Person {i},Durban,operational\n"));
        var file = WriteFile("many.csv", "code,name,site,kind\n" + rows);
        var onTerminal = ConcordProcess.RunOnTerminal([.. Store.GlobalArguments, "import", "customers", file]);
        Assert.True(onTerminal.Exit == 0, onTerminal.ToString());
        Assert.Contains("Importing customers", onTerminal.Stdout, StringComparison.Ordinal);
        Assert.Contains("━", onTerminal.Stdout, StringComparison.Ordinal); // the bar
        Assert.Contains("\u001b[", onTerminal.Stdout, StringComparison.Ordinal);
        Assert.Equal(20_000, Count("SELECT COUNT(*) FROM customers"));

        var second = WriteFile("more.csv", "code,name,site,kind\n" + rows.Replace("P0", "Q0", StringComparison.Ordinal));
        var redirected = Executable("import", "customers", second);
        Assert.True(redirected.Exit == 0, redirected.ToString());
        Assert.DoesNotContain("Importing", redirected.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\u001b", redirected.Stderr, StringComparison.Ordinal);
        Assert.Equal("20000 imported, 0 rejected.", redirected.Stderr.Trim());
    }

    private static List<string> HintAfter(string label, string stderr)
    {
        var line = stderr.Split('\n').Single(l => l.Contains(label, StringComparison.Ordinal));
        var words = ShellWords.Split(line[(line.IndexOf(label, StringComparison.Ordinal) + label.Length)..]);
        Assert.Equal("concord", words[0]);
        return words;
    }

    private static List<string> HintBetween(string open, string close, string text)
    {
        var start = text.IndexOf(open, StringComparison.Ordinal) + open.Length;
        var words = ShellWords.Split(text[start..text.IndexOf(close, start, StringComparison.Ordinal)]);
        Assert.Equal("concord", words[0]);
        return words;
    }

    [Fact]
    public void X1_UnreachableStoreGivesOneClearMessage()
    {
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = global::Concord.Cli.CliApp.Run(
            ["--data", Store.DataDirectory, "--store", "Host=127.0.0.1;Port=1;Username=nobody;Timeout=2", "customers", "list"], stdout, stderr);
        Assert.Equal(1, exit);
        Assert.Contains("error: the store cannot be used", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
    }

    private static Dictionary<string, string[]> SeedListing()
    {
        using var stream = typeof(Concord.Core.Demo.DemoData).Assembly.GetManifestResourceStream("Concord.Core.Demo.customer-listing.tsv")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(line => line.Split('\t'))
            .ToDictionary(cells => cells[0]);
    }
}
