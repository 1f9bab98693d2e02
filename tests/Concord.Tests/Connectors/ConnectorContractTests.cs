using Concord.Core;
using Concord.Core.Connectors;
using Concord.Core.Sync.Connections;
using Concord.Core.Sync.Running;
using Concord.Core.Users;
using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests.Connectors;

/// <summary>
/// One contract, every accounting connector: the same cases run against the embedded ledger,
/// Tryton, GnuCash and the exchange files, each subclass giving the real system's setting. The
/// Concord side is a SQLite store; the accounting side is the real system, fresh for each test.
/// Cases that need a capability a side lacks assert what the engine does instead, never skip.
/// </summary>
public abstract class ConnectorContractTests : StoreTest
{
    /// <summary>Every case starts with the Concord side's basics: a site and the reference data its customers use.</summary>
    protected ConnectorContractTests()
        : base(StoreKind.Sqlite)
    {
        AddLedgerBasics();
        AddSite();
    }

    /// <summary>The --accounting setting of a working, empty accounting side made for this test.</summary>
    protected abstract string Accounting { get; }

    /// <summary>A setting (or state, arranged here) the side refuses: a wrong password, a book open in GnuCash.</summary>
    protected abstract string Refused();

    /// <summary>What a refusal must say (the user's name, "GnuCash"…).</summary>
    protected abstract string RefusalNames { get; }

    /// <summary>A setting of the kind pointing at something that is not there (a closed port, a missing file).</summary>
    protected abstract string Unreachable { get; }

    /// <summary>What the unreachable message must name (the URL, the path).</summary>
    protected abstract string UnreachableNames { get; }

    /// <summary>A secret of the settings that must appear in no output, message or audit line.</summary>
    protected virtual string? Secret => null;

    private int _next;

    /// <summary>A code unique to this test, so tests sharing a server never meet.</summary>
    protected string NewCode() => $"T{Environment.ProcessId % 1000:D3}{Interlocked.Increment(ref _next):D2}{Random.Shared.Next(10000):D4}";

    /// <summary>A South African VAT number (ZA, 4 and nine digits), normalised as records carry it, unique to this test.</summary>
    protected static string NewVat() => "ZA4" + Random.Shared.NextInt64(100_000_000, 999_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    protected static SyncRecord Record(string code, string? name, string? vat = null, string? phone = "031 555 0100", string relation = "customer") =>
        new(code, [name, vat, phone, $"{code.ToLowerInvariant()}@example.co.za", null, "12 Long Street", "4001", "ZA", "5000.00"]) { Relation = relation };

    /// <summary>The accounting connector of <paramref name="setting"/>, opened as a run of <paramref name="store"/> (this test's by default) opens it.</summary>
    protected IConnector Open(string? setting = null, TestStore? store = null) =>
        ConnectorFactory.Accounting(new Session((store ?? Store).Open(), new User("admin", Role.Supervisor), Clock),
            new SyncConnection { Name = "contract", Accounting = setting ?? Accounting });

    private static async Task<List<SyncRecord>> All(IConnector side)
    {
        var all = new List<SyncRecord>();
        await foreach (var record in side.ReadAllAsync(TestContext.Current.CancellationToken))
        {
            all.Add(record);
        }
        return all;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task X_Contract_ACreatedRecord_IsFoundByCodeAndByVat_WithWhatWasWritten()
    {
        using var side = Open();
        var (code, vat) = (NewCode(), NewVat());
        var outcome = Assert.Single(await side.CreateAsync([Record(code, "Cele Hardware", vat)], Cancel));
        Assert.True(outcome.Written, outcome.ToString());

        var byCode = Assert.Single(await side.FindByCodesAsync([outcome.Code.ToLowerInvariant()], Cancel));
        var byVat = Assert.Single(await side.FindByVatsAsync([vat], Cancel));
        Assert.Equal(byCode.Code, byVat.Code);
        var written = Record(code, "Cele Hardware", vat);
        foreach (var field in new[] { "name", "vat", "phone", "email", "credit-limit" })
        {
            var at = SyncFields.IndexOf(field);
            Assert.True(written.Values[at] == byCode.Values[at], $"{field}: wrote '{written.Values[at]}', read '{byCode.Values[at]}'");
        }
        Assert.Contains(await All(side), r => Codes(r, outcome.Code));
    }

    private static bool Codes(SyncRecord record, string code) => Same(record.Code, code);

    private static bool Same(string code, string other) => global::Concord.Core.Common.Codes.Same(code, other);

    [Fact]
    public async Task S11_Contract_OneRefusedRecordInABatch_RefusesThatRecordWithItsField_AndWritesTheOthers()
    {
        using var side = Open();
        var codes = new[] { NewCode(), NewCode(), NewCode() };
        var outcomes = await side.CreateAsync([Record(codes[0], "First Ltd"), Record(codes[1], null), Record(codes[2], "Third Ltd")], Cancel);

        Assert.Equal(3, outcomes.Count);
        Assert.True(outcomes[0].Written && outcomes[2].Written, string.Join("; ", outcomes));
        Assert.False(outcomes[1].Written);
        Assert.Equal("name", outcomes[1].Field);
        Assert.Equal(2, (await side.FindByCodesAsync(codes, Cancel)).Count);
    }

    [Fact]
    public async Task S11_Contract_ANamelessRecord_IsPreviewedAsRefusedWithFieldName_WithoutWriting_AndTheWriteRefusesItAlike()
    {
        using var side = Open();
        var (named, nameless) = (NewCode(), NewCode());
        var previewed = await side.WouldRefuseAsync([Record(named, "Named Ltd"), Record(nameless, null)], Cancel);

        Assert.Equal(2, previewed.Count);
        Assert.Null(previewed[0]);
        var refusal = Assert.IsType<WriteOutcome>(previewed[1]);
        Assert.Equal(("name", false), (refusal.Field, refusal.Written));
        Assert.Empty(await side.FindByCodesAsync([named, nameless], Cancel));
        var written = Assert.Single(await side.CreateAsync([Record(nameless, null)], Cancel));
        Assert.Equal((refusal.Field, refusal.Reason), (written.Field, written.Reason));

        Ok("connections", "add", "books", "--site", "Durban", "--accounting", Accounting);
        Ok("customers", "add", nameless, "--site", "Durban", "--kind", "account", "--country", "ZA");
        var line = Ok("sync", "preview", "books", "--json", "--pane", "to-accounting").Json.GetProperty("toAccounting").GetProperty("onlyHere")
            .EnumerateArray().Single(l => l.GetProperty("operational").GetString() == nameless);
        Assert.Equal("create", line.GetProperty("action").GetString());
        Assert.Equal("name", line.GetProperty("willBeRefused").GetProperty("field").GetString());
    }

    [Fact]
    public async Task X_Contract_AnUpdate_ChangesTheGivenFields_AndLeavesTheOthers()
    {
        using var side = Open();
        var code = NewCode();
        var created = Assert.Single(await side.CreateAsync([Record(code, "Cele Hardware", NewVat())], Cancel));
        var outcome = Assert.Single(await side.UpdateAsync([new SyncUpdate(created.Code, new Dictionary<string, string?> { ["phone"] = "031 555 0199", ["credit-limit"] = "7500.00" })], Cancel));
        Assert.True(outcome.Written, outcome.ToString());

        var read = Assert.Single(await side.FindByCodesAsync([created.Code], Cancel));
        Assert.Equal("031 555 0199", read.Values[SyncFields.IndexOf("phone")]);
        Assert.Equal("7500.00", read.Values[SyncFields.IndexOf("credit-limit")]);
        Assert.Equal("Cele Hardware", read.Name);
    }

    [Fact]
    public async Task S13_Contract_AChangeAfterTheCursor_IsRead_OrASideWithoutACursorIsComparedInFull()
    {
        using var side = Open();
        var created = await side.CreateAsync([Record(NewCode(), "Changed Ltd"), Record(NewCode(), "Untouched Ltd")], Cancel);
        if (!side.Can(ConnectorCapabilities.ChangeCursor))
        {
            Ok("connections", "add", "books", "--site", "Durban", "--accounting", Accounting);
            Ok("sync", "run", "books", "--yes", "--company", await side.CompanyNameAsync(Cancel));
            var second = Ok("sync", "preview", "books", "--json").Json;
            Assert.True(second.GetProperty("full").GetBoolean(), "a side without a change cursor must be compared in full every run");
            return;
        }
        var cursor = await side.CurrentCursorAsync(Cancel);
        await Task.Delay(1100, Cancel); // systems with second-resolution write dates
        await side.UpdateAsync([new SyncUpdate(created[0].Code, new Dictionary<string, string?> { ["phone"] = "031 555 0777" })], Cancel);
        var changed = new List<SyncRecord>();
        await foreach (var record in side.ReadChangesAsync(cursor, Cancel))
        {
            changed.Add(record);
        }
        Assert.Contains(changed, r => Codes(r, created[0].Code));
        Assert.DoesNotContain(changed, r => Codes(r, created[1].Code));
    }

    [Fact]
    public void S14_Contract_ARefusedSide_SaysWhoOrWhatRefused_AndShowsNoSecret()
    {
        Ok("connections", "add", "books", "--site", "Durban", "--accounting", Refused());
        var preview = Concord("sync", "preview", "books");

        Assert.True(preview.Exit == 1, preview.ToString());
        Assert.Contains(RefusalNames, preview.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", preview.Stderr, StringComparison.Ordinal);
        if (Secret is { } secret)
        {
            Assert.DoesNotContain(secret, preview.Stdout + preview.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, Ok("audit", "list", "--json").Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void S14_Contract_AnUnreachableSide_SaysWhere_AndNothingIsWritten()
    {
        Ok("connections", "add", "books", "--site", "Durban", "--accounting", Unreachable);
        var run = Concord("sync", "run", "books", "--yes", "--company", "Anything");

        Assert.True(run.Exit == 1, run.ToString());
        Assert.Contains(UnreachableNames, run.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM sync_links"));
    }

    [Fact]
    public async Task S1_Contract_TheSideNamesItsCompany_AndARunIsConfirmedWithIt()
    {
        using var side = Open();
        var company = await side.CompanyNameAsync(Cancel);
        Assert.False(string.IsNullOrWhiteSpace(company));
        Ok("connections", "add", "books", "--site", "Durban", "--accounting", Accounting);
        var wrong = Concord("sync", "run", "books", "--yes", "--company", "Not " + company);
        Assert.True(wrong.Exit == 1 && wrong.Stderr.Contains(company, StringComparison.Ordinal), wrong.ToString());
    }

    [Fact]
    public async Task S3_Contract_TheDemoWay_FirstSyncMatchesByVat_ChangesOnBothSidesMove_AndNothingIsDuplicated()
    {
        using var side = Open();
        var company = await side.CompanyNameAsync(Cancel);
        var (sharedVat, ours, theirs) = (NewVat(), NewCode(), NewCode());
        // Already in accounting under another code, with the same VAT number: linked, not created again.
        var existing = Assert.Single(await side.CreateAsync([Record(theirs, "Bayside Traders", sharedVat)], Cancel));
        Assert.True(existing.Written, existing.ToString());
        Ok("customers", "add", ours, "--site", "Durban", "--kind", "account", "--country", "ZA", "--name", "Bayside Traders", "--vat", sharedVat, "--phone", "031 555 0100");
        var fresh = NewCode();
        Ok("customers", "add", fresh, "--site", "Durban", "--kind", "account", "--country", "ZA", "--name", "Umhlanga Motors", "--vat", NewVat(), "--phone", "031 555 0101");
        Ok("connections", "add", "books", "--site", "Durban", "--accounting", Accounting);

        var first = Ok("sync", "run", "books", "--yes", "--company", company, "--json").Json;
        Assert.Equal(1, first.GetProperty("created").GetInt32());
        Assert.True(first.GetProperty("linked").GetInt32() >= 1);

        Ok("customers", "edit", ours, "--phone", "031 555 0222");
        await side.UpdateAsync([new SyncUpdate(existing.Code, new Dictionary<string, string?> { ["credit-limit"] = "9000.00" })], Cancel);
        var second = Ok("sync", "run", "books", "--yes", "--company", company, "--json").Json;
        Assert.Equal(0, second.GetProperty("created").GetInt32());

        var inAccounting = await side.FindByVatsAsync([sharedVat], Cancel);
        var record = Assert.Single(inAccounting);
        Assert.Equal("031 555 0222", record.Values[SyncFields.IndexOf("phone")]);
        Assert.Contains("9000", Ok("customers", "show", ours, "--json").Stdout, StringComparison.Ordinal);
        Assert.Single(await side.FindByCodesAsync([fresh], Cancel));
        var third = Ok("sync", "run", "books", "--yes", "--company", company, "--json").Json;
        Assert.Equal(0, third.GetProperty("created").GetInt32() + third.GetProperty("updated").GetInt32());
    }

    [Fact]
    public async Task S2_Contract_Seed003_FromAccountingOnly_CreateOnly_ImportsNewCustomers_AndNeverUpdatesAccounting()
    {
        using var side = Open();
        var company = await side.CompanyNameAsync(Cancel);
        var (vat, ours, theirs, newOne) = (NewVat(), NewCode(), NewCode(), NewCode());
        await side.CreateAsync([Record(theirs, "Bayside Traders", vat), Record(newOne, "Phoenix Spares", NewVat())], Cancel);
        Ok("customers", "add", ours, "--site", "Durban", "--kind", "account", "--country", "ZA", "--name", "Bayside Traders", "--vat", vat, "--phone", "031 555 0999");
        Ok("connections", "add", "books", "--site", "Durban", "--accounting", Accounting, "--direction", "from-accounting", "--create-only");

        Ok("sync", "run", "books", "--yes", "--company", company);

        Assert.Equal("031 555 0100", Assert.Single(await side.FindByVatsAsync([vat], Cancel)).Values[SyncFields.IndexOf("phone")]);
        Assert.Contains("Phoenix Spares", Ok("customers", "list", "--json").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S15_Contract_SuppliersTravelAsSuppliers_OrASideWithoutThemIsNotGivenAny()
    {
        using var side = Open();
        var company = await side.CompanyNameAsync(Cancel);
        if (side.Can(ConnectorCapabilities.Suppliers))
        {
            var supplier = Assert.Single(await side.CreateAsync([Record(NewCode(), "Harbour Supplies", NewVat(), relation: "supplier")], Cancel));
            Assert.True(supplier.Written, supplier.ToString());
            Assert.Equal("supplier", Assert.Single(await side.FindByCodesAsync([supplier.Code], Cancel)).Relation);
            return;
        }
        var code = NewCode();
        Ok("customers", "add", code, "--site", "Durban", "--kind", "account", "--relation", "supplier", "--country", "ZA", "--name", "Harbour Supplies");
        Ok("connections", "add", "books", "--site", "Durban", "--accounting", Accounting, "--relations", "customer,supplier");
        Ok("sync", "run", "books", "--yes", "--company", company);
        Assert.Empty(await side.FindByCodesAsync([code], Cancel));
    }

    [Fact]
    public async Task S19_Contract_AnAnswerLostAfterTheWrite_IsSettledByReadingBack_AndNothingIsDuplicated()
    {
        Assert.True(FaultInjection.Available, "this build has no fault injection: build with scripts/test.sh (dotnet build -p:ConcordTestHooks=true)");
        using var side = Open();
        var company = await side.CompanyNameAsync(Cancel);
        var vats = new[] { NewVat(), NewVat(), NewVat() };
        foreach (var vat in vats)
        {
            Ok("customers", "add", NewCode(), "--site", "Durban", "--kind", "account", "--country", "ZA", "--name", "Lost Answer " + vat, "--vat", vat);
        }
        Ok("connections", "add", "books", "--site", "Durban", "--accounting", Accounting);

        // The three creates go as one batch, really written; then their answer is lost.
        using (var run = StartExecutable(new Dictionary<string, string?> { [FaultInjection.Variable] = "lost-answer:1" }, "sync", "run", "books", "--yes", "--company", company))
        {
            var result = run.Finish(TimeSpan.FromMinutes(2));
            Assert.True(result.Exit == 0, result.ToString());
        }
        var second = Ok("sync", "run", "books", "--yes", "--company", company, "--json").Json;

        Assert.Equal(0, second.GetProperty("created").GetInt32());
        foreach (var vat in vats)
        {
            Assert.Single(await side.FindByVatsAsync([vat], Cancel));
        }
        Assert.Equal(3, Count("SELECT COUNT(*) FROM sync_journal WHERE outcome LIKE '%by reading it back: linked, not created again'"));
    }

    [Fact]
    public async Task X_Contract_EverySyncCommand_WorksAgainstThisSide()
    {
        using var side = Open();
        var company = await side.CompanyNameAsync(Cancel);
        var token = NewCode();
        // In accounting already, without VAT numbers: two customers the shop has under other codes, by name and postcode.
        var toLink = Assert.Single(await side.CreateAsync([Record(NewCode(), $"Greenfield Hardware {token} Ltd")], Cancel));
        var toKeepApart = Assert.Single(await side.CreateAsync([Record(NewCode(), $"Bluewater Spares {token}")], Cancel));
        Assert.True(toLink.Written && toKeepApart.Written, $"{toLink} {toKeepApart}");
        var (linkOp, newOp, unnamed, quiet) = (NewCode(), NewCode(), NewCode(), NewCode());
        void Customer(string code, params string[] fields) => Ok(["customers", "add", code, "--site", "Durban", "--kind", "account", "--country", "ZA", .. fields]);
        Customer(linkOp, "--name", $"Greenfield Hardware {token}", "--postcode", "4001", "--phone", "031 555 0100");
        Customer(newOp, "--name", $"Bluewater Spares {token}", "--postcode", "4001", "--phone", "031 555 0100");
        Customer(unnamed); // nothing to resemble anyone by: created, and refused for want of a name
        Customer(quiet, "--name", $"Quiet Customer {token}", "--postcode", "4001");
        Ok("connections", "add", "books", "--site", "Durban", "--accounting", Accounting, "--priority", "review");

        var preview = Ok("sync", "preview", "books", "--json").Json;
        var proposed = preview.GetProperty("proposals").EnumerateArray()
            .ToDictionary(p => p.GetProperty("operational").GetString()!, p => p.GetProperty("candidates")[0].GetString()!);
        Assert.True(Same(proposed[linkOp], toLink.Code) && Same(proposed[newOp], toKeepApart.Code), preview.ToString());
        Ok("sync", "link", "books", linkOp, toLink.Code);
        Ok("sync", "new", "books", newOp);
        Ok("sync", "never", "books", quiet);

        // The nameless customer is refused by the side: the run says so with exit 1 and keeps it in the inbox. The
        // linked pair differs (name, credit limit) with no sync before it: under review priority it waits for a person too.
        var first = Concord("sync", "run", "books", "--yes", "--company", company, "--json");
        Assert.True(first.Exit == 1, first.ToString());
        var refused = Assert.Single(first.Json.GetProperty("errorList").EnumerateArray());
        Assert.Equal((unnamed, "name"), (refused.GetProperty("record").GetString(), refused.GetProperty("field").GetString()));
        Assert.Matches("refused to create it: name (is required|is empty)", refused.GetProperty("reason").GetString());
        Assert.Single(await side.FindByCodesAsync([newOp], Cancel));
        Assert.Empty(await side.FindByCodesAsync([quiet, linkOp, unnamed], Cancel));
        var inbox = Ok("sync", "inbox", "books", "--json").Json.EnumerateArray()
            .ToDictionary(e => e.GetProperty("record").GetString()!, e => e.GetProperty("kind").GetString());
        Assert.Equal(new Dictionary<string, string?> { [unnamed] = "error", [linkOp] = "conflict" }, inbox);
        var correspondence = Ok("sync", "correspondence", "books", "--json").Json.EnumerateArray().ToList();
        Assert.Contains(correspondence, l => l.GetProperty("operational").GetString() == linkOp && Same(l.GetProperty("accounting").GetString()!, toLink.Code));
        Assert.Contains(correspondence, l => l.GetProperty("operational").GetString() == quiet && l.GetProperty("option").GetString() != "normal");
        var status = Assert.Single(Ok("sync", "status", "books", "--json").Json.EnumerateArray());
        Assert.Equal(2, status.GetProperty("inbox").GetInt64());
        var run = Assert.Single(Ok("sync", "history", "books", "--json").Json.EnumerateArray());
        Assert.Equal(("completed with errors", 1L), (run.GetProperty("status").GetString(), run.GetProperty("errors").GetInt64()));

        // Settled by a person: the conflict by taking this side, the never mark lifted, the name given.
        Ok("sync", "inbox", "resolve", "books", linkOp, "--take", "operational");
        Ok("sync", "allow", "books", quiet);
        Ok("customers", "edit", unnamed, "--name", $"Now Named {token}");
        var second = Ok("sync", "run", "books", "--yes", "--company", company, "--json").Json;

        Assert.Equal(0, second.GetProperty("errors").GetInt32());
        Assert.Equal($"Greenfield Hardware {token}", Assert.Single(await side.FindByCodesAsync([toLink.Code], Cancel)).Name);
        Assert.Equal([$"Now Named {token}", $"Quiet Customer {token}"], (await side.FindByCodesAsync([quiet, unnamed], Cancel)).Select(r => r.Name).Order());
        Assert.Empty(Ok("sync", "inbox", "books", "--json").Json.EnumerateArray());
        Assert.Equal(2, Ok("sync", "history", "books", "--json").Json.GetArrayLength());
    }

    [Fact]
    public async Task X_Contract_TheDemoData_SyncsEndToEnd_FirstSync_AChangeOnEachSide_SecondSync_NothingDuplicated()
    {
        using var demo = new TestStore(StoreKind.Sqlite);
        CliResult Demo(params string[] args)
        {
            var result = CliRun.Run(demo, Clock, args);
            Assert.True(result.Exit == 0, result.ToString());
            return result;
        }
        Demo("demo", "--no-serve");
        using var side = Open(store: demo);
        var company = await side.CompanyNameAsync(Cancel);
        Demo("connections", "add", "books", "--site", "Durban", "--accounting", Accounting);

        // The seed-000 listing has customers without a name: every system refuses those, and only those.
        System.Text.Json.JsonElement Run()
        {
            var run = CliRun.Run(demo, Clock, "sync", "run", "books", "--yes", "--company", company, "--json");
            var report = run.Json;
            Assert.True(run.Exit == (report.GetProperty("errors").GetInt32() == 0 ? 0 : 1), run.ToString());
            Assert.All(report.GetProperty("errorList").EnumerateArray(), e => Assert.Equal("name", e.GetProperty("field").GetString()));
            return report;
        }
        var first = Run();
        Assert.True(first.GetProperty("created").GetInt32() > 0, first.ToString());

        var customers = Demo("customers", "list", "--site", "Durban", "--json").Json.EnumerateArray().ToList();
        var synced = Demo("sync", "correspondence", "books", "--json").Json.EnumerateArray().ToList();
        var aCustomer = synced.First(l => l.GetProperty("accounting").ValueKind == System.Text.Json.JsonValueKind.String
            && l.GetProperty("operational").ValueKind == System.Text.Json.JsonValueKind.String && l.GetProperty("option").GetString() == "normal");
        var (opCode, accCode) = (aCustomer.GetProperty("operational").GetString()!, aCustomer.GetProperty("accounting").GetString()!);
        Demo("customers", "edit", opCode, "--phone", "031 555 0333");
        await side.UpdateAsync([new SyncUpdate(accCode, new Dictionary<string, string?> { ["credit-limit"] = "12345.00" })], Cancel);
        var second = Run();

        Assert.Equal(0, second.GetProperty("created").GetInt32());
        var read = Assert.Single(await side.FindByCodesAsync([accCode], Cancel));
        Assert.Equal("031 555 0333", read.Values[SyncFields.IndexOf("phone")]);
        Assert.Contains("12345", Demo("customers", "show", opCode, "--json").Stdout, StringComparison.Ordinal);
        var all = await All(side);
        Assert.Equal(all.Count, all.Select(r => r.Key).Distinct().Count());
        foreach (var vat in all.Select(r => r.Vat).OfType<string>())
        {
            Assert.Single(all, r => r.Vat == vat);
        }
        Assert.True(customers.Count > 0);
    }
}
