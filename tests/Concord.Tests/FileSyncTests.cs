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

    private void Setup(string export, string direction = "to-accounting")
    {
        Directory.CreateDirectory(Folder);
        File.WriteAllText(Path.Combine(Folder, "customers.csv"), export);
        AddSite();
        Ok("ledger", "reference", "add", "country", "ZA", "--name", "South Africa");
        Ok("connections", "add", "books", "--site", "Durban", "--direction", direction, "--accounting", $"csv:{Folder};preset=sage50;company={Company}");
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

    [Fact]
    public void S8_Files_ACustomFieldMappedToAColumn_IsWrittenInTheImportFile_AndReadFromTheExport()
    {
        const string header = "A/C,Name,Address Line 1,Address Line 5,Contact Name,Telephone,VAT Number,Credit Limit,Trade Contact,Web Address\r\n";
        Setup(header, direction: "both");
        Ok("connections", "map", "books", "department-name", "contact name");
        Ok("connections", "map", "books", "email", "Trade Contact");
        Customer("HOP001", "--name", "Hope Works", "--department-name", "Workshop", "--email", "hope@works.co.za");

        Assert.Equal(1, Run().GetProperty("created").GetInt32());

        // Sage's column H (Contact Name) carries the department name; the e-mail goes to Trade Contact (Y), not E-mail (AA).
        var file = Assert.Single(Directory.GetFiles(ImportFolder));
        var cells = File.ReadAllLines(file)[1].Split(',');
        Assert.Equal("Workshop", cells[7]);
        Assert.Equal("hope@works.co.za", cells[24]);
        Assert.Equal("", cells[26]);

        // The package took the file and someone changed the contact there: the next export brings it back.
        File.Delete(file);
        File.WriteAllText(Path.Combine(Folder, "customers.csv"), header + "HOP001,Hope Works,,,Showroom,,,0,hope@works.co.za,\r\n");
        Assert.Equal(1, Run().GetProperty("updated").GetInt32());
        Assert.Equal("Showroom", Ok("customers", "show", "HOP001", "--json").Json.GetProperty("departmentName").GetString());
        Assert.Empty(Directory.GetFiles(ImportFolder));
    }

    [Fact]
    public void S8_Files_AnUnknownColumn_IsRefusedOrAdded_AsDocumented()
    {
        Setup(Header);
        Customer("HOP001", "--name", "Hope Works", "--department-name", "Workshop");

        // Refused: a heading the layout has not (docs/FILE-LAYOUTS.md: a map= file adds it) and a column that carries something already.
        Ok("connections", "map", "books", "department-name", "Branch");
        var unknown = Fails("sync", "preview", "books");
        Assert.Contains("connection books field map department-name: the layout preset sage50 has no column 'Branch'", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("'Branch =' in a map= file", unknown.Stderr, StringComparison.Ordinal);
        Assert.Contains("connections map books department-name FIELD", unknown.Stderr, StringComparison.Ordinal);
        Ok("connections", "map", "books", "department-name", "A/C");
        Assert.Contains("writes the code in the column 'A/C'", Fails("sync", "preview", "books").Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(ImportFolder));

        // Added by a column map over the preset, the column takes the field.
        var map = Path.Combine(Store.DataDirectory, "our-sage.map");
        File.WriteAllText(map, "Branch =\n");
        File.WriteAllText(Path.Combine(Folder, "customers.csv"), Header.Replace("\r\n", ",Branch\r\n", StringComparison.Ordinal));
        Ok("connections", "set", "books", "--accounting", $"csv:{Folder};preset=sage50;map={map};company={Company}");
        Ok("connections", "map", "books", "department-name", "Branch");
        Assert.Equal(1, Run().GetProperty("created").GetInt32());
        var lines = File.ReadAllLines(Assert.Single(Directory.GetFiles(ImportFolder)));
        Assert.EndsWith(",Branch", lines[0], StringComparison.Ordinal);
        Assert.EndsWith(",Workshop", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void X4_AFieldTheLayoutHasNoColumnFor_IsNeverTakenBackAsABlank_NorWrittenAgainAndAgain()
    {
        // Sage 50's layout has no country column: both ways, the operational country must survive.
        Setup(Header, direction: "both");
        Customer("HOP001", "--name", "Hope Works", "--vat", "4100200301");

        Assert.Equal(1, Run().GetProperty("created").GetInt32());
        var second = Run();

        Assert.Equal("ZA", Ok("customers", "show", "HOP001", "--json").Json.GetProperty("country").GetString());
        Assert.Equal((0, 0), (second.GetProperty("created").GetInt32(), second.GetProperty("updated").GetInt32()));
        Assert.Single(Directory.GetFiles(ImportFolder));
    }
}
