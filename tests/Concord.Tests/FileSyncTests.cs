using System.Text.Json;
using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>Sync runs through `concord` against an exchange folder (X4, S1, S11), on both stores.</summary>
public abstract class FileSyncTests(StoreKind kind) : StoreTest(kind)
{
    public sealed class OnSqlite() : FileSyncTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : FileSyncTests(StoreKind.Postgres);

    private const string Company = "Hope Books";

    private string Folder => Path.Combine(Store.DataDirectory, "sage exchange");

    private string ImportFolder => Path.Combine(Folder, "import");

    private void Setup(string export)
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "customers.csv"), export);
        AddSite();
        Ok("ledger", "reference", "add", "country", "ZA", "--name", "South Africa");
        Ok("connections", "add", "books", "--site", "Durban", "--direction", "to-accounting", "--accounting", $"csv:{Folder};preset=sage50;company={Company}");
    }

    private void Customer(string code, params string[] fields) =>
        Ok(["customers", "add", code, "--site", "Durban", "--kind", "account", "--country", "ZA", .. fields]);

    private JsonElement Run() => Ok("sync", "run", "books", "--yes", "--company", Company, "--json").Json;

    private const string Header = "A/C,Name,Address Line 1,Address Line 2,Address Line 3,Address Line 4,Address Line 5,Telephone,VAT Number,Credit Limit,E-mail,Web Address\r\n";

    [Fact]
    public void X4_ARunWritesTheNewCustomersAsOneImportFile_AndTheNextRunWritesNothingAgain()
    {
        Setup(Header + "OLD1,Old One,,,,,,031 1,,0,,\r\n");
        Customer("HOP001", "--name", "Hope Works", "--phone", "031 123 4567", "--vat", "4100200301");
        Customer("SUN002", "--name", "=Sunrise Traders", "--credit-limit", "2500");

        var first = Run();

        Assert.Equal(2, first.GetProperty("created").GetInt32());
        var file = Assert.Single(Directory.GetFiles(ImportFolder));
        var lines = File.ReadAllLines(file);
        Assert.StartsWith("A/C,Name,Address Line 1,", lines[0], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
        Assert.Contains(lines, l => l.StartsWith("HOP001,Hope Works,,,,,,,031 123 4567,,,,,,ZA4100200301,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("SUN002,'=Sunrise Traders,", StringComparison.Ordinal) && l.Contains(",2500.00,", StringComparison.Ordinal));

        var second = Run();

        Assert.Equal(0, second.GetProperty("created").GetInt32());
        Assert.Equal(0, second.GetProperty("updated").GetInt32());
        Assert.Single(Directory.GetFiles(ImportFolder));

        // A change goes out once as an update row, and is not written again while the export lags behind.
        Ok("customers", "edit", "HOP001", "--phone", "031 999 0000");
        Assert.Equal(1, Run().GetProperty("updated").GetInt32());
        Assert.Equal(0, Run().GetProperty("updated").GetInt32());
        var files = Directory.GetFiles(ImportFolder).Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(2, files.Length);
        var update = File.ReadAllLines(files[1]);
        Assert.Equal(2, update.Length);
        Assert.StartsWith("HOP001,Hope Works,,,,,,,031 999 0000,", update[1], StringComparison.Ordinal);
    }

    [Fact]
    public void S1_ARunConfirmedWithAnotherCompanyWritesNothing()
    {
        Setup(Header);
        Customer("HOP001", "--name", "Hope Works");
        var refused = Fails("sync", "run", "books", "--yes", "--company", "sage exchange");
        Assert.Contains(Company, refused.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(ImportFolder) && Directory.GetFiles(ImportFolder).Length > 0);
    }

    [Fact]
    public void X4_ABadExportStopsThePreviewWithFileLineAndColumn()
    {
        Setup(Header + "OLD1,Old One,,,,,,,,0,,\r\n,No Code,,,,,,,,0,,\r\n");
        var result = Fails("sync", "preview", "books");
        Assert.Contains("line 3: file customers.csv column A 'A/C': is empty; every customer needs a code", result.Stderr, StringComparison.Ordinal);
    }
}
