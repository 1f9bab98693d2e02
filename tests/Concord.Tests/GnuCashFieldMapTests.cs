using System.Text.Json;
using Concord.Store;
using Concord.Tests.GnuCash;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>A connection's field map (S8) with a GnuCash book (X3), through the CLI, the book made and read back by GnuCash's own engine.</summary>
public sealed class GnuCashFieldMapTests
{
    private const string Company = "Hope Trading";

    private static CliResult Ok(TestStore store, params string[] args)
    {
        var result = CliRun.Run(store, null, args);
        Assert.True(result.Exit == 0, result.ToString());
        return result;
    }

    private static void Setup(TestStore store, GnuCashTestBook book)
    {
        Ok(store, "init");
        Ok(store, "sites", "add", "DBN", "--name", "Durban");
        Ok(store, "ledger", "reference", "add", "country", "ZA", "--name", "South Africa");
        Ok(store, "connections", "add", "gc", "--accounting", $"gnucash:{book.Path}", "--site", "DBN");
    }

    private static string Notes(GnuCashTestBook book, string id) => book.Customer(id).GetProperty("notes").GetString()!;

    [Fact]
    public void S8_GnuCash_ACustomFieldMappedToANotesLine_GnuCashReadsTheLine_AndOtherNotesStay()
    {
        using var book = GnuCashTestBook.Make(company: Company);
        using var store = new TestStore(StoreKind.Sqlite);
        Setup(store, book);
        Ok(store, "connections", "map", "gc", "department-name", "notes:Department");
        Ok(store, "connections", "map", "gc", "department", "slot:department");
        Ok(store, "connections", "map", "gc", "email", "ship-email");
        Ok(store, "customers", "add", "OPS2", "--kind", "account", "--name", "Umhlanga Traders", "--site", "DBN", "--country", "ZA",
            "--department", "D7", "--department-name", "Workshop", "--email", "orders@umhlanga.example");

        Assert.Contains("Run 1 completed: 3 created", Ok(store, "sync", "run", "gc", "--yes", "--company", Company).Stderr);
        var umhlanga = book.Dump().GetProperty("customers").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Umhlanga Traders");
        Assert.Equal(("Department: Workshop", "D7"), (umhlanga.GetProperty("notes").GetString(), umhlanga.GetProperty("slots").GetProperty("department").GetString()));
        Assert.Equal("Key account", Notes(book, "000001"));
        // A synced field sent elsewhere goes there instead of its own column.
        Assert.Equal(("", "orders@umhlanga.example"), (umhlanga.GetProperty("addr").GetProperty("Email").GetString(), umhlanga.GetProperty("shipaddr").GetProperty("Email").GetString()));

        // Concord's change becomes a line of its own; the notes GnuCash had stay.
        Ok(store, "customers", "edit", "000001", "--department-name", "Showroom");
        Assert.Contains("1 updated", Ok(store, "sync", "run", "gc", "--yes", "--company", Company).Stderr);
        Assert.Equal("Key account\nDepartment: Showroom", Notes(book, "000001"));

        // A person edits the line in GnuCash: Concord reads it back; then Concord's next change replaces only that line.
        GnuCashTestBook.Python(["note", book.Path, "000001", "Key account\ndepartment: Yard\nCall before noon"]);
        Assert.Contains("1 updated", Ok(store, "sync", "run", "gc", "--yes", "--company", Company).Stderr);
        Assert.Equal("Yard", Ok(store, "customers", "show", "000001", "--json").Json.GetProperty("departmentName").GetString());
        Assert.Equal("Key account\ndepartment: Yard\nCall before noon", Notes(book, "000001"));

        Ok(store, "customers", "edit", "000001", "--department-name", "Dock");
        Assert.Contains("1 updated", Ok(store, "sync", "run", "gc", "--yes", "--company", Company).Stderr);
        Assert.Equal("Key account\nDepartment: Dock\nCall before noon", Notes(book, "000001"));
        Assert.Contains("0 created, 0 updated", Ok(store, "sync", "run", "gc", "--yes", "--company", Company).Stderr);
    }

    [Fact]
    public void S8_GnuCash_AnUnknownTarget_IsRefusedNamingWhatItTakes()
    {
        using var book = GnuCashTestBook.Make(company: Company);
        using var store = new TestStore(StoreKind.Sqlite);
        Setup(store, book);
        var before = book.Dump().GetRawText();

        Ok(store, "connections", "map", "gc", "department-name", "frobnicate");
        var refused = CliRun.Run(store, null, "sync", "run", "gc", "--yes", "--company", Company);
        Assert.Equal(1, refused.Exit);
        Assert.Contains("connection gc field map department-name: GnuCash has no field 'frobnicate' Concord writes; it takes notes:LABEL", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("slot:NAME", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("ship-email", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("connections map gc department-name FIELD", refused.Stderr, StringComparison.Ordinal);

        // Concord's own slots are not a map's to take, nor is the VAT number Concord finds records by.
        Ok(store, "connections", "map", "gc", "department-name", "slot:concord-vat");
        Assert.Contains("GnuCash has no field 'slot:concord-vat'", CliRun.Run(store, null, "sync", "preview", "gc").Stderr, StringComparison.Ordinal);
        Ok(store, "connections", "unmap", "gc", "department-name");
        Ok(store, "connections", "map", "gc", "vat", "notes:VAT");
        Assert.Contains("connection gc field map vat: the VAT number stays in the slot concord-vat", CliRun.Run(store, null, "sync", "preview", "gc").Stderr, StringComparison.Ordinal);

        Assert.Equal(before, book.Dump().GetRawText());
    }
}
