using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using Concord.Connectors.GnuCash;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Running;
using Concord.Store;
using Concord.Tests.GnuCash;
using Concord.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Concord.Tests;

/// <summary>The GnuCash connector (X3) against real SQLite books made and read back by GnuCash's own engine.</summary>
public sealed class GnuCashTests
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static SyncRecord Record(string code, string? name, string? vat = null, string? phone = null, string? email = null, string? web = null,
        string? address = null, string? postcode = null, string? country = null, string credit = "0.00", bool active = true, string relation = "customer") =>
        new(code, [name, vat, phone, email, web, address, postcode, country, credit]) { Active = active, Relation = relation };

    private static string Field(JsonElement element, params string[] path) =>
        path.Aggregate(element, (e, p) => e.GetProperty(p)).ToString();

    [Fact]
    public async Task X3_CreatedCustomers_GnuCashLoadsThemExactlyAsWritten_IdsFromTheCounter()
    {
        using var book = GnuCashTestBook.Make();
        using var connector = book.Open();

        var outcomes = await connector.CreateAsync(
        [
            Record("OPS-1", "Hope Works (Pty) Ltd", vat: "ZA4123456789", phone: "031 123 4567", email: "ap@hope.example", web: "https://hope.example",
                address: "5 Market Square, Old Town, Durban, KwaZulu-Natal", postcode: "4001", country: "ZA", credit: "2500.50"),
            Record("OPS-2", null),
            Record("OPS-3", "Quiet Traders", active: false),
        ], Cancel);

        Assert.Equal(["000003", "OPS-2", "000004"], outcomes.Select(o => o.Code));
        Assert.Equal([true, false, true], outcomes.Select(o => o.Written));
        Assert.Equal(("name", "is required"), (outcomes[1].Field, outcomes[1].Reason));

        var gnucash = book.Dump();
        Assert.Equal(4, gnucash.GetProperty("counters").GetProperty("gncCustomer").GetInt32());
        var hope = gnucash.GetProperty("customers").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "000003");
        Assert.Equal("Hope Works (Pty) Ltd", Field(hope, "name"));
        Assert.Equal("Hope Works (Pty) Ltd", Field(hope, "addr", "Name"));
        Assert.Equal(["5 Market Square", "Old Town", "Durban, KwaZulu-Natal", "4001"], new[] { "Addr1", "Addr2", "Addr3", "Addr4" }.Select(l => Field(hope, "addr", l)));
        Assert.Equal(("031 123 4567", "ap@hope.example", ""), (Field(hope, "addr", "Phone"), Field(hope, "addr", "Email"), Field(hope, "addr", "Fax")));
        Assert.All(hope.GetProperty("shipaddr").EnumerateObject(), line => Assert.Equal("", line.Value.GetString()));
        Assert.Equal(("2500.50", "ZAR", "", "True", "0.00"), (Field(hope, "credit_limit"), Field(hope, "currency"), Field(hope, "notes"), Field(hope, "active"), Field(hope, "balance")));
        Assert.Equal(("ZA4123456789", "https://hope.example", "ZA"),
            (Field(hope, "slots", "concord-vat"), Field(hope, "slots", "concord-web-site"), Field(hope, "slots", "concord-country")));
        var quiet = gnucash.GetProperty("customers").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "000004");
        Assert.Equal(("Quiet Traders", "False", "0.00"), (Field(quiet, "name"), Field(quiet, "active"), Field(quiet, "credit_limit")));

        // What the connector reads back is what it was given, and what it said it stored.
        var read = (await connector.FindByCodesAsync(["000003", "000004"], Cancel)).OrderBy(r => r.Code).ToList();
        Assert.Equal(outcomes[0].Stored!.Values, read[0].Values);
        Assert.Equal(Record("OPS-1", "Hope Works (Pty) Ltd", "ZA4123456789", "031 123 4567", "ap@hope.example", "https://hope.example",
            "5 Market Square, Old Town, Durban, KwaZulu-Natal", "4001", "ZA", "2500.50").Values, read[0].Values);
        Assert.False(read[1].Active);

        // GnuCash opens it as the program does, and a customer GnuCash numbers itself comes after ours.
        using (var open = book.OpenInGnuCash())
        {
            open.Close();
        }
        Assert.Equal("000005", GnuCashTestBook.Python(["next", book.Path]).Trim());
    }

    [Fact]
    public void X3_SyncRun_CreatesAndUpdatesInGnuCash_SecondRunChangesNothing_LockedBookRefusedWithRemedy()
    {
        using var book = GnuCashTestBook.Make(company: "Hope Trading");
        using var store = new TestStore(StoreKind.Sqlite);
        CliResult Concord(params string[] args)
        {
            var result = CliRun.Run(store, null, args);
            Assert.True(result.Exit == 0, result.ToString());
            return result;
        }
        Concord("init");
        Concord("sites", "add", "DBN", "--name", "Durban");
        Concord("ledger", "reference", "add", "country", "ZA", "--name", "South Africa");
        Concord("customers", "add", "OPS2", "--kind", "account", "--name", "Umhlanga Traders", "--site", "DBN", "--country", "ZA",
            "--phone", "031 2", "--credit-limit", "1500", "--vat", "ZA4123456780");
        Concord("connections", "add", "gc", "--accounting", $"gnucash:{book.Path}", "--site", "DBN");

        Assert.Contains("Run 1 completed: 3 created", Concord("sync", "run", "gc", "--yes", "--company", "Hope Trading").Stderr);
        Concord("customers", "edit", "000001", "--phone", "031 999");
        Assert.Contains("1 updated", Concord("sync", "run", "gc", "--yes", "--company", "Hope Trading").Stderr);
        Assert.Contains("0 created, 0 updated", Concord("sync", "run", "gc", "--yes", "--company", "Hope Trading").Stderr);

        var gnucash = book.Dump();
        var umhlanga = gnucash.GetProperty("customers").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "Umhlanga Traders");
        Assert.Equal(("000003", "031 2", "1500.00", "ZA4123456780", "ZA"),
            (Field(umhlanga, "id"), Field(umhlanga, "addr", "Phone"), Field(umhlanga, "credit_limit"), Field(umhlanga, "slots", "concord-vat"), Field(umhlanga, "slots", "concord-country")));
        Assert.Equal("031 999", Field(book.Customer("000001"), "addr", "Phone"));

        Concord("customers", "edit", "000002", "--phone", "031 555");
        using var open = book.OpenInGnuCash();
        var locked = CliRun.Run(store, null, "sync", "run", "gc", "--yes", "--company", "Hope Trading");
        Assert.Equal(1, locked.Exit);
        Assert.Contains($"the GnuCash book {book.Path} is open in GnuCash on host {Environment.MachineName} (process {open.Pid})", locked.Stderr);
        Assert.Contains("Open Anyway", locked.Stderr);
        open.Close();
        Assert.Equal("", Field(book.Customer("000002"), "addr", "Phone"));
    }

    [Fact]
    public async Task X3_CounterFormatAndIdsInUse_NewIdsFollowTheBooksFormatAndSkipTakenOnes()
    {
        using var book = GnuCashTestBook.Make();
        // A number format as a person sets it in File ▸ Properties ▸ Counters, and an id typed by hand.
        await book.SqlAsync(
            "INSERT INTO slots (obj_guid, name, slot_type, int64_val, string_val, timespec_val, guid_val, numeric_val_num, numeric_val_denom) " +
            "SELECT guid, 'counter_formats', 9, 0, NULL, '1970-01-01 00:00:00', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 0, 1 FROM books;" +
            "INSERT INTO slots (obj_guid, name, slot_type, int64_val, string_val, timespec_val, guid_val, numeric_val_num, numeric_val_denom) " +
            "VALUES ('aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa', 'counter_formats/gncCustomer', 4, 0, 'CU%04li', '1970-01-01 00:00:00', NULL, 0, 1);" +
            "UPDATE customers SET id = 'CU0003' WHERE id = '000002';");
        using var connector = book.Open();

        var outcomes = await connector.CreateAsync([Record("A", "Alpha"), Record("B", "Beta")], Cancel);

        Assert.Equal(["CU0004", "CU0005"], outcomes.Select(o => o.Code));
        var gnucash = book.Dump();
        Assert.Equal(5, gnucash.GetProperty("counters").GetProperty("gncCustomer").GetInt32());
        Assert.Equal("CU0006", GnuCashTestBook.Python(["next", book.Path]).Trim());
    }

    [Fact]
    public async Task X3_KeysKeptBetweenBatches_ARecordAnotherProgramAddsMeanwhileIsFoundAndItsIdSkipped()
    {
        using var book = GnuCashTestBook.Make();
        using var connector = book.Open();
        Assert.Equal(["000003"], (await connector.CreateAsync([Record("A", "Alpha")], Cancel)).Select(o => o.Code));
        Assert.Empty(await connector.FindByCodesAsync(["000004", "X-9"], Cancel)); // the connector now keeps the book's codes

        // Between two batches, someone types a customer in by hand with the id the counter gives next.
        await book.SqlAsync(
            "INSERT INTO customers (guid, name, id, notes, active, discount_num, discount_denom, credit_num, credit_denom, currency, tax_override, " +
            "addr_name, addr_addr1, addr_addr2, addr_addr3, addr_addr4, addr_phone, addr_fax, addr_email, tax_included) " +
            "SELECT 'bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb', 'Typed By Hand', '000004', '', 1, 0, 1, 0, 1, currency, 0, '', '', '', '', '', '', '', '', 3 FROM customers LIMIT 1");

        Assert.Equal("Typed By Hand", Assert.Single(await connector.FindByCodesAsync(["000004"], Cancel)).Name);
        Assert.Equal(["000005"], (await connector.CreateAsync([Record("B", "Beta")], Cancel)).Select(o => o.Code));
        Assert.Equal(["000004", "000005"], (await connector.FindByCodesAsync(["B", "000004"], Cancel)).Select(r => r.Code).Order()); // B by the code Concord proposed
    }

    [Fact]
    public void X3_TheEngineWritesToABookInTheBooksBatchSize()
    {
        using var book = GnuCashTestBook.Make();
        using var connector = book.Open();

        Assert.Equal(5000, connector.WriteBatch);
        Assert.Equal(5000, SyncEngine.BatchFor(connector));
        Assert.Equal(500, SyncEngine.BatchFor()); // no side with a batch of its own
    }

    [Theory]
    [InlineData(null, 7, "000007")]
    [InlineData("%06d", 7, "000007")] // GnuCash refuses a plain int conversion and uses its default
    [InlineData("CU%04li", 7, "CU0007")]
    [InlineData("INV-%lli/%%", 12345, "INV-12345/%")]
    [InlineData("%-5li|", 42, "42   |")]
    [InlineData("%8.3li", 42, "     042")]
    public void X3_CounterFormat_AsGnuCashFormatsIds(string? format, long number, string id) =>
        Assert.Equal(id, GnuCashBook.CounterFormat.Parse(format).Format(number));

    [Fact]
    public async Task X3_BookWithoutCounters_CountersMadeAsGnuCashKeepsThem()
    {
        using var book = GnuCashTestBook.Make();
        // A book where GnuCash never numbered anything has no counters frame.
        Assert.Equal(4, await book.SqlAsync("DELETE FROM slots WHERE name LIKE 'counters%'"));
        using var connector = book.Open();

        var outcomes = await connector.CreateAsync([Record("A", "Alpha"), Record("S", "Sigma", relation: "supplier")], Cancel);

        Assert.Equal(["000003", "V-000002"], outcomes.Select(o => o.Code)); // 000001 and 000002 are taken
        var counters = book.Dump().GetProperty("counters");
        Assert.Equal((3, 2), (counters.GetProperty("gncCustomer").GetInt32(), counters.GetProperty("gncVendor").GetInt32()));
        Assert.Equal("000004", GnuCashTestBook.Python(["next", book.Path]).Trim());
    }

    [Fact]
    public async Task X3_Balances_EqualWhatGnuCashComputes()
    {
        using var book = GnuCashTestBook.Make();
        using var connector = book.Open();

        var balances = await connector.BalancesAsync(Cancel);

        var gnucash = book.Dump().GetProperty("customers").EnumerateArray()
            .ToDictionary(c => c.GetProperty("id").GetString()!, c => decimal.Parse(c.GetProperty("balance").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal(70.00m, gnucash["000001"]);
        Assert.Equal(45.50m, gnucash["000002"]);
        Assert.Equal(gnucash.OrderBy(b => b.Key), balances.OrderBy(b => b.Key));
    }

    [Fact]
    public async Task X3_Update_ChangesTheGivenFieldsOnly_GnuCashKeepsTheRest()
    {
        using var book = GnuCashTestBook.Make();
        using var connector = book.Open();

        var outcomes = await connector.UpdateAsync(
        [
            new SyncUpdate("000001", new Dictionary<string, string?>
            {
                ["phone"] = "031 999 0000", ["address"] = "7 New Road, Berea", ["credit-limit"] = "7500.00", ["vat"] = "ZA4987654321", ["name"] = "Acme Widgets SA",
            }),
            new SyncUpdate("NOPE", new Dictionary<string, string?> { ["phone"] = "1" }),
            new SyncUpdate("000001", new Dictionary<string, string?> { ["email"] = "ap@acme.example" }),
            new SyncUpdate("000002", new Dictionary<string, string?> { ["name"] = new string('x', 2049) }),
        ], Cancel);

        Assert.Equal([true, false, true, false], outcomes.Select(o => o.Written));
        Assert.Equal("code", outcomes[1].Field);
        Assert.Equal("name", outcomes[3].Field);
        var acme = book.Customer("000001");
        Assert.Equal(("Acme Widgets SA", "Acme Widgets SA"), (Field(acme, "name"), Field(acme, "addr", "Name")));
        Assert.Equal(["7 New Road", "Berea", "", "SP1 2AB"], new[] { "Addr1", "Addr2", "Addr3", "Addr4" }.Select(l => Field(acme, "addr", l)));
        Assert.Equal(("031 999 0000", "ap@acme.example", "7500.00"), (Field(acme, "addr", "Phone"), Field(acme, "addr", "Email"), Field(acme, "credit_limit")));
        Assert.Equal(("Key account", "2 Dock Road", "ZA4987654321", "70.00"),
            (Field(acme, "notes"), Field(acme, "shipaddr", "Addr1"), Field(acme, "slots", "concord-vat"), Field(acme, "balance")));
        Assert.Equal("Bob's Bikes", Field(book.Customer("000002"), "name"));
        Assert.Equal((await connector.FindByCodesAsync(["000001"], Cancel)).Single().Values, outcomes[2].Stored!.Values);
    }

    [Fact]
    public async Task S19_UpdateRefusedHalfWay_WritesNothingOfIt_ALaterChangeOfTheSameRecordInTheBatchKeepsTheRest()
    {
        using var book = GnuCashTestBook.Make();
        using var connector = book.Open();

        // The name is set before the credit limit is refused: neither may reach the book, nor the next change of the same record.
        var outcomes = await connector.UpdateAsync(
        [
            new SyncUpdate("000001", new Dictionary<string, string?> { ["name"] = "Half Written Ltd", ["credit-limit"] = "a lot" }),
            new SyncUpdate("000001", new Dictionary<string, string?> { ["phone"] = "031 555 0101" }),
        ], Cancel);

        Assert.Equal([false, true], outcomes.Select(o => o.Written));
        Assert.Equal("credit-limit", outcomes[0].Field);
        var acme = book.Customer("000001");
        Assert.Equal(("Acme Widgets", "031 555 0101"), (Field(acme, "name"), Field(acme, "addr", "Phone")));
        Assert.Equal("Acme Widgets", outcomes[1].Stored!.Values[0]);
    }

    [Fact]
    public async Task X3_VatKeptInASlot_GnuCashKeepsItWhenItEditsTheCustomer_FoundByVatAndByCode()
    {
        using var book = GnuCashTestBook.Make();
        using var connector = book.Open();
        await connector.CreateAsync([Record("X", "Vat Holder", vat: "BE0403170701", country: "BE")], Cancel);

        // The customer edited in GnuCash: GnuCash rewrites its row and its slots from memory.
        GnuCashTestBook.Python(["note", book.Path, "000003", "edited in GnuCash"]);

        var byVat = await connector.FindByVatsAsync(["BE0403170701", "NL000000000B01"], Cancel);
        var byCode = await connector.FindByCodesAsync(["000003", "v-000001", "nothing"], Cancel);
        Assert.Equal("000003", Assert.Single(byVat).Code);
        Assert.Equal(("Vat Holder", "BE"), (byVat[0].Name, byVat[0].Values[SyncFields.IndexOf("country")]));
        Assert.Equal(["customer 000003", "supplier V-000001"], byCode.Select(r => $"{r.Relation} {r.Code}").Order());
        Assert.Equal("edited in GnuCash", Field(book.Customer("000003"), "notes"));
    }

    [Fact]
    public async Task S15_Vendors_ReadAndWrittenAsSuppliers()
    {
        using var book = GnuCashTestBook.Make();
        using var connector = book.Open();
        Assert.True(connector.Capabilities.HasFlag(ConnectorCapabilities.Suppliers));

        var outcomes = await connector.CreateAsync(
        [
            Record("S-1", "Ink Works", phone: "021 555 0199", address: "1 Dock Road, Cape Town", postcode: "8001", vat: "ZA4111111111", relation: "supplier"),
            Record("S-2", "Credit Seeker", credit: "100.00", relation: "supplier"),
        ], Cancel);

        // gncVendor stands at 1: the vendor is 000002, V-000002 in Concord.
        Assert.Equal(("V-000002", true), (outcomes[0].Code, outcomes[0].Written));
        Assert.Equal(("V-000003", "100.00"), (outcomes[1].Code, outcomes[1].Stored!.Values[SyncFields.IndexOf("credit-limit")]));
        var gnucash = book.Dump();
        Assert.Equal(3, gnucash.GetProperty("counters").GetProperty("gncVendor").GetInt32());
        var ink = gnucash.GetProperty("vendors").EnumerateArray().Single(v => v.GetProperty("id").GetString() == "000002");
        Assert.Equal(("Ink Works", "1 Dock Road", "Cape Town", "8001", "021 555 0199", "ZAR", "ZA4111111111"),
            (Field(ink, "name"), Field(ink, "addr", "Addr1"), Field(ink, "addr", "Addr2"), Field(ink, "addr", "Addr4"), Field(ink, "addr", "Phone"), Field(ink, "currency"), Field(ink, "slots", "concord-vat")));

        var all = new List<SyncRecord>();
        await foreach (var record in connector.ReadAllAsync(Cancel))
        {
            all.Add(record);
        }
        Assert.Equal(["customer 000001", "customer 000002", "supplier V-000001", "supplier V-000002", "supplier V-000003"], all.Select(r => $"{r.Relation} {r.Code}").Order());
        Assert.Equal("100.00", all.Single(r => r.Code == "V-000003").Values[SyncFields.IndexOf("credit-limit")]);

        var updates = await connector.UpdateAsync(
        [
            new SyncUpdate("V-000002", new Dictionary<string, string?> { ["email"] = "orders@ink.example" }),
            new SyncUpdate("000001", new Dictionary<string, string?> { ["email"] = "accounts@acme.example" }),
            new SyncUpdate("V-000009", new Dictionary<string, string?> { ["email"] = "x@y.example" }),
        ], Cancel);
        Assert.Equal([true, true, false], updates.Select(u => u.Written));
        Assert.Equal(("V-000002", "supplier"), (updates[0].Stored!.Code, updates[0].Stored!.Relation));
        Assert.Equal("orders@ink.example", Field(book.Dump().GetProperty("vendors")[1], "addr", "Email"));
    }

    [Fact]
    public async Task S14_BookOpenInGnuCash_WritesRefusedNamingHostAndProcess_NothingWritten()
    {
        using var book = GnuCashTestBook.Make();
        using var connector = book.Open();
        using var open = book.OpenInGnuCash();
        var before = await File.ReadAllBytesAsync(book.Path, Cancel);

        var refused = await Assert.ThrowsAsync<ConnectorUnavailableException>(() => connector.CreateAsync([Record("N", "New One")], Cancel));
        var refusedUpdate = await Assert.ThrowsAsync<ConnectorUnavailableException>(() =>
            connector.UpdateAsync([new SyncUpdate("000001", new Dictionary<string, string?> { ["phone"] = "1" })], Cancel));

        Assert.Contains($"is open in GnuCash on host {Environment.MachineName} (process {open.Pid})", refused.Message);
        Assert.Contains(book.Path, refused.Message);
        Assert.Contains("close the book in GnuCash", refused.Remedy);
        Assert.Contains("Open Anyway", refused.Remedy);
        Assert.Equal(refused.Message, refusedUpdate.Message);
        Assert.Equal(before, await File.ReadAllBytesAsync(book.Path, Cancel));
        Assert.Equal(2, (await connector.FindByCodesAsync(["000001", "000002"], Cancel)).Count(r => r.Relation == "customer")); // reading is allowed

        open.Close();
        Assert.Equal("000003", (await connector.CreateAsync([Record("N", "New One")], Cancel)).Single().Code);
    }

    [Fact]
    public async Task S14_BookBusyWithAnotherWriter_RefusedAfterTheBusyTimeout_NothingWritten()
    {
        using var book = GnuCashTestBook.Make();
        using var connector = book.Open();
        await using var other = new SqliteConnection($"Data Source={book.Path};Pooling=False");
        await other.OpenAsync(Cancel);
        await using var holding = other.BeginTransaction(deferred: false);

        var clock = Stopwatch.StartNew();
        var busy = await Assert.ThrowsAsync<ConnectorUnavailableException>(() => connector.CreateAsync([Record("N", "New One")], Cancel));

        Assert.InRange(clock.Elapsed.TotalSeconds, 4, 30);
        Assert.Contains("is busy", busy.Message);
        await holding.RollbackAsync(Cancel);
        Assert.Equal(2, book.Dump().GetProperty("customers").GetArrayLength());
    }

    [Fact]
    public async Task X3_BookInANewerFormat_ReadButNotWritten()
    {
        using var book = GnuCashTestBook.Make();
        await book.SqlAsync("UPDATE versions SET table_version = 3 WHERE table_name = 'customers'");
        using var connector = book.Open();
        var before = await File.ReadAllBytesAsync(book.Path, Cancel);

        var refused = await Assert.ThrowsAsync<ConnectorUnavailableException>(() => connector.CreateAsync([Record("N", "New One")], Cancel));

        Assert.Contains("its customers table has version 3, Concord writes version 2", refused.Message);
        Assert.Equal(before, await File.ReadAllBytesAsync(book.Path, Cancel));
        Assert.Single(await connector.FindByCodesAsync(["000002"], Cancel));
    }

    [Fact]
    public async Task X3_MissingFileOrNotABook_ClearErrorNamingThePath()
    {
        var folder = Directory.CreateTempSubdirectory("concord-gnucash-").FullName;
        try
        {
            var missing = Path.Combine(folder, "gone.gnucash");
            var xml = Path.Combine(folder, "xml.gnucash");
            await File.WriteAllBytesAsync(xml, [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, .. RandomNumberGenerator.GetBytes(600)], Cancel);
            var otherDatabase = Path.Combine(folder, "other.sqlite");
            await using (var sql = new SqliteConnection($"Data Source={otherDatabase};Pooling=False"))
            {
                await sql.OpenAsync(Cancel);
                await using var command = sql.CreateCommand();
                command.CommandText = "CREATE TABLE customers (id TEXT)";
                await command.ExecuteNonQueryAsync(Cancel);
            }

            var gone = Assert.Throws<ConnectorUnavailableException>(() => GnuCashBook.Open(missing));
            var notBook = Assert.Throws<UserError>(() => GnuCashBook.Open(xml));
            var notGnuCash = Assert.Throws<UserError>(() => GnuCashBook.Open(otherDatabase));

            Assert.Equal($"the GnuCash book {missing} does not exist", gone.Message);
            Assert.Contains($"{xml} accounting: is not a GnuCash book in SQLite format", notBook.Message);
            Assert.Contains("Save As", notBook.Message);
            Assert.Contains($"{otherDatabase} accounting: is not a GnuCash book", notGnuCash.Message);
            Assert.False(File.Exists(missing));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task S1_CompanyName_FromTheBooksBusinessOptions_ElseTheFileName()
    {
        using var named = GnuCashTestBook.Make(company: "Hope Trading (Pty) Ltd");
        using var unnamed = GnuCashTestBook.Make(currency: "EUR", name: "Durban Books.gnucash");

        using var first = named.Open();
        using var second = unnamed.Open();

        Assert.Equal("Hope Trading (Pty) Ltd", await first.CompanyNameAsync(Cancel));
        Assert.Equal("Hope Trading (Pty) Ltd", Field(named.Dump(), "company"));
        Assert.Equal("Durban Books", await second.CompanyNameAsync(Cancel));
    }

    [Fact]
    public void X3_Settings_PathAndCurrency_CheckedOnce()
    {
        var kind = new GnuCashConnectorKind();

        Assert.Equal(new GnuCashOptions("/books/shop.gnucash", null), kind.Parse(ConnectorSettings.Of("connection c", "gnucash:/books/shop.gnucash")));
        Assert.Equal(new GnuCashOptions("/b.gnucash", "EUR"), kind.Parse(ConnectorSettings.Of("connection c", "gnucash:path=/b.gnucash;currency=eur")));
        Assert.Contains("path is missing", Assert.Throws<UserError>(() => kind.Parse(ConnectorSettings.Of("connection c", "gnucash:currency=EUR"))).Message);
        Assert.Contains("'curency' is not a setting", Assert.Throws<UserError>(() => kind.Parse(ConnectorSettings.Of("connection c", "gnucash:/b.gnucash;curency=EUR"))).Message);
        Assert.Contains("ISO 4217", Assert.Throws<UserError>(() => kind.Parse(ConnectorSettings.Of("connection c", "gnucash:/b.gnucash;currency=euro"))).Message);
    }

    [Fact]
    public async Task X3_TenThousandCustomers_OneTransaction_GnuCashLoadsThemAll()
    {
        const int count = 10_000;
        using var book = GnuCashTestBook.Make();
        var raw = Path.Combine(book.Folder, "raw.gnucash");
        File.Copy(book.Path, raw);
        using var connector = book.Open();
        var records = Enumerable.Range(1, count).Select(i => Record($"C{i}", $"Customer {i}", vat: $"ZA4{i:D9}", phone: $"031 {i:D7}",
            email: $"c{i}@example.com", address: $"{i} Long Street, Durban", postcode: "4001", country: "ZA", credit: "1000.00")).ToList();

        var clock = Stopwatch.StartNew();
        var outcomes = await connector.CreateAsync(records, Cancel);
        var connectorTime = clock.Elapsed;
        var rawTime = await RawInsertAsync(raw, records);

        Assert.All(outcomes, o => Assert.True(o.Written));
        Assert.Equal(Enumerable.Range(3, count).Select(i => $"{i:D6}"), outcomes.Select(o => o.Code));
        clock.Restart();
        var read = 0;
        await foreach (var record in connector.ReadAllAsync(Cancel))
        {
            read++;
        }
        var readTime = clock.Elapsed;
        Assert.Equal(count + 3, read);
        var gnucash = book.Dump();
        Assert.Equal(count + 2, gnucash.GetProperty("customers").GetArrayLength());
        Assert.Equal(count + 2, gnucash.GetProperty("counters").GetProperty("gncCustomer").GetInt32());
        TestContext.Current.TestOutputHelper!.WriteLine(
            $"GnuCash create of {count} customers: connector {count / connectorTime.TotalSeconds:F0} rows/s ({connectorTime.TotalMilliseconds:F0} ms), " +
            $"raw SQL insert {count / rawTime.TotalSeconds:F0} rows/s ({rawTime.TotalMilliseconds:F0} ms); read all back {readTime.TotalMilliseconds:F0} ms");
    }

    /// <summary>The baseline: the same rows and slots inserted by plain prepared SQL in one transaction, no checks, no mapping.</summary>
    private static async Task<TimeSpan> RawInsertAsync(string path, IReadOnlyList<SyncRecord> records)
    {
        await using var sql = new SqliteConnection($"Data Source={path};Pooling=False");
        await sql.OpenAsync(Cancel);
        var clock = Stopwatch.StartNew();
        await using var transaction = sql.BeginTransaction(deferred: false);
        await using var customer = sql.CreateCommand();
        customer.CommandText =
            "INSERT INTO customers VALUES (@guid, @name, @id, '', 1, 0, 1, 100000, 100, 'x', 0, @name, @a1, @a2, '', @pc, @phone, '', @email, " +
            "'', '', '', '', '', '', '', '', NULL, 3, NULL)";
        await using var slot = sql.CreateCommand();
        slot.CommandText = "INSERT INTO slots (obj_guid, name, slot_type, int64_val, string_val, timespec_val, numeric_val_num, numeric_val_denom) " +
            "VALUES (@guid, @name, 4, 0, @text, '1970-01-01 00:00:00', 0, 1)";
        var i = 0;
        foreach (var record in records)
        {
            var guid = Guid.NewGuid().ToString("N");
            var lines = record.Values[SyncFields.IndexOf("address")]!.Split(", ");
            customer.Parameters.Clear();
            customer.Parameters.AddWithValue("@guid", guid);
            customer.Parameters.AddWithValue("@name", record.Name);
            customer.Parameters.AddWithValue("@id", $"{++i:D6}");
            customer.Parameters.AddWithValue("@a1", lines[0]);
            customer.Parameters.AddWithValue("@a2", lines[1]);
            customer.Parameters.AddWithValue("@pc", record.Postcode);
            customer.Parameters.AddWithValue("@phone", record.Values[SyncFields.IndexOf("phone")]);
            customer.Parameters.AddWithValue("@email", record.Values[SyncFields.IndexOf("email")]);
            await customer.ExecuteNonQueryAsync(Cancel);
            foreach (var (name, text) in new[] { ("concord-vat", record.Vat), ("concord-country", "ZA") })
            {
                slot.Parameters.Clear();
                slot.Parameters.AddWithValue("@guid", guid);
                slot.Parameters.AddWithValue("@name", name);
                slot.Parameters.AddWithValue("@text", text);
                await slot.ExecuteNonQueryAsync(Cancel);
            }
        }
        await transaction.CommitAsync(Cancel);
        return clock.Elapsed;
    }
}
