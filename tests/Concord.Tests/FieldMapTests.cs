using System.Text.Json;
using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>A connection's field map (S8): custom fields, synced fields sent elsewhere, conditions; on both stores.</summary>
public abstract class FieldMapTests(StoreKind kind) : StoreTest(kind)
{
    public sealed class OnSqlite() : FieldMapTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : FieldMapTests(StoreKind.Postgres);

    private const string Company = "Concord Ledger";

    private void Setup()
    {
        AddSite();
        AddLedgerBasics();
        Ok("connections", "add", "books", "--site", "Durban");
    }

    private void Customer(string code, params string[] fields) =>
        Ok(["customers", "add", code, "--site", "Durban", "--kind", "account", "--country", "ZA", .. fields]);

    private JsonElement Account(string code) => Ok("ledger", "accounts", "show", code, "--json").Json;

    private static string? Text(JsonElement record, string field) =>
        record.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [Fact]
    public void S8_ACustomFieldMapped_CarriesTheOperationalValueToTheLedgerField_AndItsChangesAfterwards()
    {
        Setup();
        Customer("C1", "--name", "Cele Hardware", "--department-name", "Workshop");
        Ok("connections", "map", "books", "department-name", "memo");

        Ok("sync", "run", "books", "--yes", "--company", Company);
        Assert.Equal("Workshop", Text(Account("C1"), "memo"));

        Ok("customers", "edit", "C1", "--department-name", "Showroom");
        var second = Ok("sync", "run", "books", "--yes", "--company", Company, "--json").Json;
        Assert.Equal(1, second.GetProperty("updated").GetInt32());
        Assert.Equal("Showroom", Text(Account("C1"), "memo"));
    }

    [Fact]
    public void S8_ASyncedFieldMappedElsewhere_GoesToThatLedgerField_NotItsDefault()
    {
        Setup();
        Customer("C1", "--name", "Cele Hardware", "--email", "orders@cele.co.za");
        Ok("connections", "map", "books", "email", "order-email");

        Ok("sync", "run", "books", "--yes", "--company", Company);

        var account = Account("C1");
        Assert.Equal("orders@cele.co.za", Text(account, "orderEmail"));
        Assert.Null(Text(account, "acEmail"));
    }

    [Fact]
    public void S8_AConditionalField_IsWrittenOnlyForRecordsWhereTheConditionHolds()
    {
        Setup();
        Customer("C1", "--name", "Durban Branch", "--postcode", "4001", "--department-name", "Coastal");
        Customer("C2", "--name", "Joburg Branch", "--postcode", "2000", "--department-name", "Inland");
        Ok("connections", "map", "books", "department-name", "memo", "--when", "postcode=4001");

        var preview = Ok("sync", "preview", "books", "--json").Json;
        Ok("sync", "run", "books", "--yes", "--company", Company);

        Assert.Equal("Coastal", Text(Account("C1"), "memo"));
        Assert.Null(Text(Account("C2"), "memo"));
        Assert.Equal(2, preview.GetProperty("toAccounting").GetProperty("onlyHere").GetArrayLength());
        // Left out where the condition fails, and not taken for a change either way afterwards.
        var after = Ok("sync", "preview", "books", "--json").Json;
        Assert.Equal(0, after.GetProperty("toAccounting").GetProperty("differing").GetArrayLength() + after.GetProperty("fromAccounting").GetProperty("differing").GetArrayLength());
        Assert.Equal("Inland", Text(Ok("customers", "show", "C2", "--json").Json, "departmentName"));
    }

    [Fact]
    public void S8_APreviewShowsWhereAMappedChangeGoes()
    {
        Setup();
        Customer("C1", "--name", "Cele Hardware", "--department-name", "Workshop");
        Ok("sync", "run", "books", "--yes", "--company", Company);
        Ok("connections", "map", "books", "department-name", "memo");

        var preview = Ok("sync", "preview", "books", "--json").Json;

        var line = Assert.Single(preview.GetProperty("toAccounting").GetProperty("differing").EnumerateArray());
        var change = Assert.Single(line.GetProperty("changes").EnumerateArray());
        Assert.Equal("department-name", change.GetProperty("field").GetString());
        Assert.Equal("memo", change.GetProperty("mappedTo").GetString());
        Assert.Equal("Workshop", change.GetProperty("after").GetString());
    }

    [Fact]
    public void S8_AFieldTheOperationalCustomerDoesNotHave_OrALedgerFieldThatDoesNotExist_IsRefusedByName()
    {
        Setup();
        var unknown = Fails("connections", "map", "books", "frobnicate", "memo");
        Assert.Contains("'frobnicate' is not a field of the operational customer", unknown.Stderr, StringComparison.Ordinal);
        var selfCondition = Fails("connections", "map", "books", "phone", "phone", "--when", "phone=1");
        Assert.Contains("cannot be conditional on itself", selfCondition.Stderr, StringComparison.Ordinal);

        Ok("connections", "map", "books", "department-name", "nonsense");
        var preview = Fails("sync", "preview", "books");
        Assert.Contains("connection books field map department-name: the ledger has no field 'nonsense'", preview.Stderr, StringComparison.Ordinal);
        Assert.Contains("connections map books department-name FIELD", preview.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_accounts"));
    }
}
