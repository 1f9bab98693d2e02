using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Concord.Store;
using Concord.Tests.Support;
using Concord.Web;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Concord.Tests.Web;

/// <summary>
/// The REST API (U3) through the real HTTP pipeline on a real store: sign-in by password and by
/// API key, each role's limits (U4), the listing page by page (O1), upsert by code (X5), and
/// problem details that name the record and field.
/// </summary>
public abstract class ApiTests : StoreTest
{
    public sealed class OnSqlite() : ApiTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : ApiTests(StoreKind.Postgres);

    private readonly Api _api;

    protected ApiTests(StoreKind kind) : base(kind)
    {
        AddSite();
        Ok("sites", "add", "Umhlanga", "--name", "Umhlanga");
        Ok("users", "add", "clerk", "--role", "clerk");
        Ok("users", "add", "viewer", "--role", "viewer");
        _api = new Api(Store.Open(), Clock);
        var signIn = new Core.Users.SignIn(_api.Database, Clock);
        var admin = new Core.Session(_api.Database, new Core.Users.User("admin", Core.Users.Role.Supervisor), Clock);
        foreach (var user in new[] { "admin", "clerk", "viewer" })
        {
            signIn.SetPassword(admin, user, $"{user}-password");
        }
    }

    /// <summary>The app on this test's store, hosted in memory as `concord serve` hosts it.</summary>
    internal sealed class Api(Database database, TimeProvider clock) : WebApplicationFactory<ApiKeyAuthentication>
    {
        public Database Database { get; } = database;

        protected override IHostBuilder CreateHostBuilder() =>
            Host.CreateDefaultBuilder().ConfigureLogging(logging => logging.ClearProviders()).ConfigureWebHost(web => web
                .UseSetting("TEST_CONTENTROOT_CONCORD", AppContext.BaseDirectory)
                .ConfigureServices(services => services.AddConcordWeb(Database, clock))
                .Configure(app => app.UseConcordWeb()));
    }

    private async Task<HttpClient> SignedInAs(string user)
    {
        var client = _api.CreateClient();
        var response = await client.PostAsJsonAsync("/api/sign-in", new { user, password = $"{user}-password" }, Cancel);
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        return client;
    }

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> Problem(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>(Cancel);
    }

    [Fact]
    public async Task U3_WithoutSignInOrKey_EveryCustomerEndpointAnswers401()
    {
        var client = _api.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/customers", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/customers/C1", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.PutAsJsonAsync("/api/customers/C1", new { name = "x" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/keys", Cancel)).StatusCode);
        client.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, "concord_0000");
        Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/api/customers", Cancel)).StatusCode);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM customers"));
    }

    [Fact]
    public async Task U3_L7_TransactionsOverTheApi_PostReverseAllocate_WithTheStandingAndAgedDebt()
    {
        AddLedgerBasics();
        Ok("ledger", "accounts", "add", "C1", "--name", "Cele Hardware", "--currency", "ZAR", "--credit-limit", "100");
        var viewer = await SignedInAs("viewer");
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/ledger/accounts/C1/transactions", new { kind = "invoice", amount = 5m }, Cancel)).StatusCode);

        var clerk = await SignedInAs("clerk");
        var posted = await clerk.PostAsJsonAsync("/api/ledger/accounts/c1/transactions", new { kind = "invoice", amount = 115m, vat = 15m, date = "2026-02-10", reference = "INV-1" }, Cancel);
        Assert.Equal(HttpStatusCode.Created, posted.StatusCode);
        var answer = await posted.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        var invoice = answer.GetProperty("transaction").GetProperty("id").GetInt64();
        Assert.Equal(115m, answer.GetProperty("transaction").GetProperty("amount").GetDecimal());
        Assert.Contains("over its credit limit", answer.GetProperty("warnings")[0].GetString(), StringComparison.Ordinal);
        var receipt = (await (await clerk.PostAsJsonAsync("/api/ledger/accounts/C1/transactions", new { kind = "receipt", amount = 40m }, Cancel))
            .Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("transaction").GetProperty("id").GetInt64();
        Assert.Equal(-40m, Count($"SELECT amount FROM ledger_transactions WHERE id = {receipt}") / 100m);

        var refused = await Problem(await clerk.PostAsJsonAsync("/api/ledger/accounts/C1/transactions", new { kind = "receipt", amount = 5m, vat = 1m }, Cancel), HttpStatusCode.BadRequest);
        Assert.Contains("only invoices and credit notes carry VAT", refused.ToString(), StringComparison.Ordinal);

        var allocated = await clerk.PostAsJsonAsync("/api/ledger/accounts/C1/allocations", new { debit = invoice, credit = receipt }, Cancel);
        Assert.Equal(40m, (await allocated.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("amount").GetDecimal());
        var standing = await viewer.GetFromJsonAsync<JsonElement>("/api/ledger/accounts/C1/standing", Cancel);
        Assert.Equal(75m, standing.GetProperty("balance").GetDecimal());
        Assert.Equal(100m, standing.GetProperty("turnover").GetDecimal());
        Assert.Equal(75m, standing.GetProperty("aged").GetProperty("current").GetDecimal());

        var reversal = await clerk.PostAsync($"/api/ledger/transactions/{invoice}/reverse", null, Cancel);
        Assert.Equal(HttpStatusCode.Created, reversal.StatusCode);
        Assert.Equal(-40m, (await viewer.GetFromJsonAsync<JsonElement>("/api/ledger/accounts/C1/standing", Cancel)).GetProperty("balance").GetDecimal());
        var listed = await viewer.GetFromJsonAsync<JsonElement[]>("/api/ledger/accounts/C1/transactions", Cancel);
        // By date: the reversal is dated as the invoice it reverses.
        Assert.Equal([invoice, invoice + 2, receipt], listed!.Select(t => t.GetProperty("id").GetInt64()));
        Assert.Equal(invoice, listed![1].GetProperty("reverses").GetInt64());
        var aged = await viewer.GetFromJsonAsync<JsonElement[]>("/api/ledger/aged", Cancel);
        Assert.Equal(-40m, Assert.Single(aged!).GetProperty("balance").GetDecimal());
    }

    [Fact]
    public async Task U3_O3_InvoicesOverTheApi_AddedOnceByNumber_ASecondSendAnsweredAsItIs()
    {
        Ok("customers", "add", "ACME", "--site", "Durban", "--kind", "account", "--name", "Acme");
        var clerk = await SignedInAs("clerk");
        Assert.Equal(HttpStatusCode.Created, (await clerk.PutAsJsonAsync("/api/classes/CASH", new { name = "Cash sales", posting = "generic", genericAccount = "CASHSALES" }, Cancel)).StatusCode);
        var body = new { number = "POS-77", customer = "acme", amount = 23.50m, vat = 3.07m, date = "2026-03-01", reference = "Till 2" };
        var first = await clerk.PostAsJsonAsync("/api/invoices", body, Cancel);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var again = await clerk.PostAsJsonAsync("/api/invoices", body, Cancel);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal("ACME", (await again.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("customer").GetString());
        var changed = await Problem(await clerk.PostAsJsonAsync("/api/invoices", body with { amount = 24m }, Cancel), HttpStatusCode.BadRequest);
        Assert.Contains("exists already with other values", changed.ToString(), StringComparison.Ordinal);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM operational_invoices"));
        var listed = await clerk.GetFromJsonAsync<JsonElement[]>("/api/invoices?customer=ACME", Cancel);
        Assert.Equal(23.5m, Assert.Single(listed!).GetProperty("amount").GetDecimal());
        Assert.Equal("generic", (await clerk.GetFromJsonAsync<JsonElement[]>("/api/classes", Cancel))!.Single(c => c.GetProperty("code").GetString() == "CASH").GetProperty("posting").GetString());
    }

    [Fact]
    public async Task U4_AViewerReads_ButCannotWrite_AClerkWrites_ButCannotMakeKeys()
    {
        var viewer = await SignedInAs("viewer");
        Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync("/api/customers", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsJsonAsync("/api/customers/C1", new { name = "Cele Hardware", site = "Durban" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.GetAsync("/api/keys", Cancel)).StatusCode);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM customers"));

        var clerk = await SignedInAs("clerk");
        Assert.Equal(HttpStatusCode.Created, (await clerk.PutAsJsonAsync("/api/customers/C1", new { name = "Cele Hardware", site = "Durban" }, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.PostAsJsonAsync("/api/keys", new { name = "shop", role = "clerk" }, Cancel)).StatusCode);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM api_keys"));
        // The audit names the person who wrote through the API.
        Assert.Equal(1, Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'customer' AND record_key = 'C1' AND user_name = 'clerk'"));
    }

    [Fact]
    public async Task U3_AnApiKey_ShownOnce_StoredHashed_ActsWithItsRole_UntilRevoked()
    {
        var admin = await SignedInAs("admin");
        var created = await admin.PostAsJsonAsync("/api/keys", new { name = "shop-till", role = "clerk" }, Cancel);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var key = (await created.Content.ReadFromJsonAsync<JsonElement>(Cancel)).GetProperty("key").GetString()!;
        Assert.StartsWith("concord_", key, StringComparison.Ordinal);
        Assert.Equal(0, Count($"SELECT COUNT(*) FROM api_keys WHERE key_hash = '{key}'"));
        Assert.DoesNotContain(key, await admin.GetStringAsync("/api/keys", Cancel), StringComparison.Ordinal);

        var till = _api.CreateClient();
        till.DefaultRequestHeaders.Add(ApiKeyAuthentication.Header, key);
        Assert.Equal(HttpStatusCode.Created, (await till.PutAsJsonAsync("/api/customers/T1", new { name = "Till Customer", site = "Durban" }, Cancel)).StatusCode);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM audit_log WHERE record_key = 'T1' AND user_name = 'key shop-till'"));
        Assert.Equal(HttpStatusCode.Forbidden, (await till.GetAsync("/api/keys", Cancel)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await admin.DeleteAsync("/api/keys/shop-till", Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await till.GetAsync("/api/customers", Cancel)).StatusCode);
    }

    [Fact]
    public async Task U4_FiveWrongPasswords_LockTheUserOut_EvenTheRightOneIsRefusedUntilTheLockOutEnds()
    {
        var client = _api.CreateClient();
        for (var i = 0; i < Core.Users.SignIn.AttemptsBeforeLockOut; i++)
        {
            var wrong = await Problem(await client.PostAsJsonAsync("/api/sign-in", new { user = "clerk", password = "guess" }, Cancel), HttpStatusCode.BadRequest);
            Assert.Contains("user name or the password is wrong", wrong.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }
        var locked = await Problem(await client.PostAsJsonAsync("/api/sign-in", new { user = "clerk", password = "clerk-password" }, Cancel), HttpStatusCode.BadRequest);
        Assert.Contains("locked out", locked.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Clock.Advance(Core.Users.SignIn.LockOut + TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsJsonAsync("/api/sign-in", new { user = "clerk", password = "clerk-password" }, Cancel)).StatusCode);
    }

    [Fact]
    public async Task O1_TheListing_PerSite_Searched_SortedByAnyColumn_AServerCutPageAtATime()
    {
        Ok("customers", "add", "B2", "--name", "alpha traders", "--site", "Durban", "--credit-limit", "300");
        Ok("customers", "add", "A9", "--name", "Cele Hardware", "--site", "Durban", "--credit-limit", "100");
        Ok("customers", "add", "C1", "--name", "Bayside Bakery", "--site", "Durban", "--credit-limit", "200");
        Ok("customers", "add", "D4", "--name", "Umhlanga Motors", "--site", "Umhlanga");
        Ok("customers", "add", "E5", "--name", "Dormant Dairy", "--site", "Durban", "--active", "no");
        var viewer = await SignedInAs("viewer");

        async Task<(string Codes, long Total)> Listing(string query)
        {
            var page = await viewer.GetFromJsonAsync<JsonElement>("/api/customers?" + query, Cancel);
            var total = page.GetProperty("total");
            return (string.Join(' ', page.GetProperty("customers").EnumerateArray().Select(c => c.GetProperty("code").GetString())), total.ValueKind == JsonValueKind.Null ? -1 : total.GetInt64());
        }

        // By name, case aside (code order would be A9, B2, C1), and the other way round.
        Assert.Equal(("B2 C1 A9", 3L), await Listing("site=Durban&sort=name"));
        Assert.Equal(("A9 C1 B2", 3L), await Listing("site=Durban&sort=name&descending=true"));
        Assert.Equal(("A9 C1 B2", 3L), await Listing("site=Durban&sort=credit-limit"));
        Assert.Equal(("C1", -1L), await Listing("site=Durban&sort=name&pageSize=1&page=2"));
        Assert.Equal(("A9", 3L), await Listing("site=Durban&sort=name&pageSize=1&page=3"));
        Assert.Equal(("A9 B2 C1 E5", 4L), await Listing("site=Durban&includeDormant=true"));
        Assert.Equal(("D4", 1L), await Listing("search=motors"));
        var first = await viewer.GetFromJsonAsync<JsonElement>("/api/customers?site=Durban&pageSize=2", Cancel);
        Assert.True(first.GetProperty("hasNext").GetBoolean());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("total").ValueKind);
        Assert.False((await viewer.GetFromJsonAsync<JsonElement>("/api/customers?site=Durban&pageSize=2&page=2", Cancel)).GetProperty("hasNext").GetBoolean());
        Assert.Equal(("B2 C1", 2L), await Listing("search=b"));

        var badSort = await Problem(await viewer.GetAsync("/api/customers?sort=colour", Cancel), HttpStatusCode.BadRequest);
        Assert.Equal("sort", badSort.GetProperty("errors")[0].GetProperty("field").GetString());
        var noSite = await Problem(await viewer.GetAsync("/api/customers?site=Paris", Cancel), HttpStatusCode.NotFound);
        Assert.Equal("site Paris", noSite.GetProperty("errors")[0].GetProperty("record").GetString());
    }

    [Fact]
    public async Task X5_UpsertByCode_AddsThenChangesOnlyTheFieldsGiven_BadInputIsAProblemNamingRecordAndField()
    {
        var clerk = await SignedInAs("clerk");
        var added = await clerk.PutAsJsonAsync("/api/customers/SHOP-7", new { name = "Shop Seven", site = "Durban", phone = "031 555 0107", creditLimit = 2500 }, Cancel);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var changed = await clerk.PutAsJsonAsync("/api/customers/shop-7", new { phone = "031 555 0199" }, Cancel);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var customer = await clerk.GetFromJsonAsync<JsonElement>("/api/customers/SHOP-7", Cancel);
        Assert.Equal(("Shop Seven", "031 555 0199", 2500m), (customer.GetProperty("name").GetString(), customer.GetProperty("phone").GetString(), customer.GetProperty("creditLimit").GetDecimal()));

        var refused = await Problem(await clerk.PutAsJsonAsync("/api/customers/SHOP-8", new { name = "Shop Eight", site = "Durban", creditLimit = "lots" }, Cancel), HttpStatusCode.BadRequest);
        var error = refused.GetProperty("errors")[0];
        Assert.Equal(("customer SHOP-8", "credit-limit"), (error.GetProperty("record").GetString(), error.GetProperty("field").GetString()));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM customers WHERE code_key = 'SHOP-8'"));
        Assert.DoesNotContain("   at ", refused.ToString(), StringComparison.Ordinal);
        await Problem(await clerk.GetAsync("/api/customers/NOPE", Cancel), HttpStatusCode.NotFound);

        // The audit trail: who, and what changed, oldest first.
        var trail = await clerk.GetFromJsonAsync<JsonElement>("/api/customers/shop-7/audit", Cancel);
        Assert.Equal(["create", "update"], trail.EnumerateArray().Select(e => e.GetProperty("action").GetString()));
        Assert.All(trail.EnumerateArray(), e => Assert.Equal("clerk", e.GetProperty("user").GetString()));
        Assert.Equal("phone: '031 555 0107' -> '031 555 0199'", trail[1].GetProperty("changes").GetString());
        Assert.Equal("031 555 0107", trail[1].GetProperty("before").GetProperty("phone").GetString());
    }

    /// <summary>Connection books has run once: C1 created in the ledger, C2 (no name) refused and waiting in the inbox.</summary>
    private void SyncedOneRefusedOne()
    {
        AddLedgerBasics();
        Ok("connections", "add", "books", "--site", "Durban");
        Ok("customers", "add", "C1", "--name", "Cele Hardware", "--site", "Durban", "--kind", "account", "--country", "ZA");
        Ok("customers", "add", "C2", "--site", "Durban", "--kind", "account", "--country", "ZA");
        Fails("sync", "run", "books", "--yes", "--company", "Concord Ledger");
    }

    [Fact]
    public async Task S16_ARunsReport_ItsWrites_AndTheInbox_AreReadThroughTheApi_AndTheScreens()
    {
        SyncedOneRefusedOne();
        var viewer = await SignedInAs("viewer");

        var connections = await viewer.GetFromJsonAsync<JsonElement>("/api/connections", Cancel);
        Assert.Equal("books", connections[0].GetProperty("connection").GetString());
        var runs = await viewer.GetFromJsonAsync<JsonElement>("/api/connections/books/runs", Cancel);
        var run = runs.EnumerateArray().Single();
        Assert.Equal((1L, 1L), (run.GetProperty("created").GetInt64(), run.GetProperty("errors").GetInt64()));
        var writes = await viewer.GetFromJsonAsync<JsonElement>($"/api/connections/books/runs/{run.GetProperty("id").GetInt64()}", Cancel);
        Assert.Contains(writes.EnumerateArray(), w => w.GetProperty("operationalCode").GetString() == "C1");
        var inbox = await viewer.GetFromJsonAsync<JsonElement>("/api/connections/books/inbox", Cancel);
        Assert.Equal("C2", inbox.EnumerateArray().Single().GetProperty("record").GetString());
        await Problem(await viewer.GetAsync("/api/connections/nope/runs", Cancel), HttpStatusCode.NotFound);

        var answer = await viewer.GetAsync("/sync/books", Cancel);
        var screen = await answer.Content.ReadAsStringAsync(Cancel);
        Assert.True(answer.IsSuccessStatusCode, $"{answer.StatusCode}: {screen}");
        Assert.Contains("name is required", screen, StringComparison.Ordinal);
        Assert.Contains($"/sync/books/runs/{run.GetProperty("id").GetInt64()}", screen, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S10_ARunOverTheApi_IsConfirmedWithTheCompanysName_GoesOnOnTheServer_AndEndsWithItsReport()
    {
        AddLedgerBasics();
        Ok("connections", "add", "books", "--site", "Durban");
        Ok("customers", "add", "C1", "--name", "Cele Hardware", "--site", "Durban", "--kind", "account", "--country", "ZA");
        Ok("customers", "add", "C2", "--name", "Dube Motors", "--site", "Durban", "--kind", "account", "--country", "ZA");
        Ok("customers", "add", "C3", "--name", "Essop Traders", "--site", "Durban", "--kind", "account", "--country", "ZA");
        var admin = await SignedInAs("admin");

        // The preview as two panes, sorted as asked.
        var preview = await admin.GetFromJsonAsync<JsonElement>("/api/connections/books/preview?sort=name&descending=true", Cancel);
        Assert.Equal("Concord Ledger", preview.GetProperty("company").GetString());
        var onlyHere = preview.GetProperty("toAccounting").GetProperty("onlyHere").EnumerateArray().ToList();
        Assert.Equal(["C3", "C2", "C1"], onlyHere.Select(l => l.GetProperty("operational").GetString()));
        Assert.All(onlyHere, l => Assert.Equal("create", l.GetProperty("action").GetString()));
        Assert.Equal(3, preview.GetProperty("summary").GetProperty("createInAccounting").GetInt32());
        var badSort = await Problem(await admin.GetAsync("/api/connections/books/preview?sort=colour", Cancel), HttpStatusCode.BadRequest);
        Assert.Equal(("connection books preview", "sort"), (badSort.GetProperty("errors")[0].GetProperty("record").GetString(), badSort.GetProperty("errors")[0].GetProperty("field").GetString()));

        // Only a supervisor runs; nothing is written without the company's name, nor with another.
        foreach (var role in new[] { "viewer", "clerk" })
        {
            var refused = await (await SignedInAs(role)).PostAsJsonAsync("/api/connections/books/runs", new { company = "Concord Ledger" }, Cancel);
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        var unnamed = await Problem(await admin.PostAsJsonAsync("/api/connections/books/runs", new { }, Cancel), HttpStatusCode.BadRequest);
        Assert.Equal("company", unnamed.GetProperty("errors")[0].GetProperty("field").GetString());
        var other = await Problem(await admin.PostAsJsonAsync("/api/connections/books/runs", new { company = "Other Books Ltd" }, Cancel), HttpStatusCode.BadRequest);
        Assert.Contains("is not the target company 'Concord Ledger'", other.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_accounts"));
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync("/api/connections/books/live", Cancel)).StatusCode);

        // C2 not this time, C3 never: only C1 is written.
        var started = await admin.PostAsJsonAsync("/api/connections/books/runs", new { company = "concord ledger", skip = new[] { "C2" }, never = new[] { "C3" } }, Cancel);
        Assert.Equal(HttpStatusCode.Accepted, started.StatusCode);
        Assert.Equal("/api/connections/books/live", started.Headers.Location?.OriginalString);
        var live = await admin.GetFromJsonAsync<JsonElement>("/api/connections/books/live", Cancel);
        for (var looks = 0; live.GetProperty("state").GetString() == "running" && looks < 300; looks++)
        {
            await Task.Delay(100, Cancel);
            live = await admin.GetFromJsonAsync<JsonElement>("/api/connections/books/live", Cancel);
        }
        Assert.Equal("completed", live.GetProperty("state").GetString());
        Assert.Equal("admin", live.GetProperty("startedBy").GetString());
        var report = live.GetProperty("report");
        Assert.Equal((1, 1), (report.GetProperty("created").GetInt32(), report.GetProperty("skipped").GetInt32()));
        Assert.Equal(live.GetProperty("total").GetInt64(), live.GetProperty("done").GetInt64());
        Assert.Equal(["C1"], Strings("SELECT code FROM ledger_accounts"));
        // Cancelling a run that has ended changes nothing.
        var late = await (await admin.PostAsync("/api/connections/books/live/cancel", null, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("completed", late.GetProperty("state").GetString());
        var links = await admin.GetFromJsonAsync<JsonElement>("/api/connections/books/correspondence", Cancel);
        Assert.Contains(links.EnumerateArray(), l => l.GetProperty("operationalCode").GetString() == "C3" && l.GetProperty("option").GetString() == "never");
        Assert.Equal(1, Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'account' AND record_key = 'C1' AND user_name = 'admin'"));
    }

    [Fact]
    public async Task S7_S17_NeverSyncMarks_AndInboxDecisions_AreMadeThroughTheApi_ByAClerk_NotByAViewer()
    {
        SyncedOneRefusedOne();
        var clerk = await SignedInAs("clerk");
        var viewer = await SignedInAs("viewer");

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PutAsync("/api/connections/books/never/C1", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await clerk.PutAsync("/api/connections/books/never/C1", null, Cancel)).StatusCode);
        Assert.Equal(["never"], Strings("SELECT sync_option FROM sync_links WHERE operational_code = 'C1'"));
        Assert.Equal(HttpStatusCode.NoContent, (await clerk.DeleteAsync("/api/connections/books/never/C1", Cancel)).StatusCode);
        Assert.Equal(["normal"], Strings("SELECT sync_option FROM sync_links WHERE operational_code = 'C1'"));
        var nobody = await Problem(await clerk.PutAsync("/api/connections/books/never/NOBODY", null, Cancel), HttpStatusCode.BadRequest);
        Assert.Contains("NOBODY", nobody.GetProperty("detail").GetString(), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.PostAsJsonAsync("/api/connections/books/inbox/C2/resolve", new { take = "operational" }, Cancel)).StatusCode);
        var badSide = await Problem(await clerk.PostAsJsonAsync("/api/connections/books/inbox/C2/resolve", new { take = "both" }, Cancel), HttpStatusCode.BadRequest);
        Assert.Equal("take", badSide.GetProperty("errors")[0].GetProperty("field").GetString());
        Assert.Equal(HttpStatusCode.NoContent, (await clerk.PostAsJsonAsync("/api/connections/books/inbox/C2/resolve", new { take = "operational" }, Cancel)).StatusCode);
        var inbox = await viewer.GetFromJsonAsync<JsonElement>("/api/connections/books/inbox", Cancel);
        Assert.Equal("operational", inbox.EnumerateArray().Single().GetProperty("take").GetString());
    }

    [Fact]
    public async Task L1_L3_L9_TheLedgerOverTheApi_AddsFromAModel_Changes_AndOnlyASupervisorDeletes()
    {
        AddLedgerBasics();
        var clerk = await SignedInAs("clerk");
        var admin = await SignedInAs("admin");
        var model = await clerk.PostAsJsonAsync("/api/ledger/accounts", new Dictionary<string, object> { ["code"] = "MODEL", ["name"] = "Model", ["is-model"] = true, ["region"] = "KZN", ["payment-days"] = 30 }, Cancel);
        Assert.Equal(HttpStatusCode.Created, model.StatusCode);
        var added = await clerk.PostAsJsonAsync("/api/ledger/accounts?model=MODEL", new { code = "ACC1", name = "Amanzi Traders" }, Cancel);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var account = await added.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal(("KZN", 30), (account.GetProperty("region").GetString(), account.GetProperty("paymentDays").GetInt32()));
        var bad = await Problem(await clerk.PutAsJsonAsync("/api/ledger/accounts/ACC1", new Dictionary<string, object> { ["credit-limit"] = "lots" }, Cancel), HttpStatusCode.BadRequest);
        Assert.Equal(("account ACC1", "credit-limit"), (bad.GetProperty("errors")[0].GetProperty("record").GetString(), bad.GetProperty("errors")[0].GetProperty("field").GetString()));
        var changed = await clerk.PutAsJsonAsync("/api/ledger/accounts/ACC1", new Dictionary<string, object?> { ["phone"] = "031 555 0100", ["region"] = null }, Cancel);
        var after = await changed.Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.Equal("031 555 0100", after.GetProperty("phone").GetString());
        Assert.Equal(JsonValueKind.Null, after.GetProperty("region").ValueKind);
        Assert.Equal(HttpStatusCode.OK, (await clerk.PostAsJsonAsync("/api/ledger/accounts/ACC1/contacts", new { name = "Sipho", role = "Buyer" }, Cancel)).StatusCode);
        Assert.Equal("Sipho", (await clerk.GetFromJsonAsync<JsonElement>("/api/ledger/accounts/ACC1/contacts", Cancel))[0].GetProperty("name").GetString());
        // The account form of a customer shows its balances; a model's (a template, never posted to) shows none.
        Assert.Contains("Turnover (year to date)", await clerk.GetStringAsync("/ledger/accounts/ACC1", Cancel), StringComparison.Ordinal);
        var modelForm = await clerk.GetAsync("/ledger/accounts/MODEL", Cancel);
        Assert.Equal(HttpStatusCode.OK, modelForm.StatusCode);
        Assert.DoesNotContain("Turnover (year to date)", await modelForm.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.PostAsync("/api/ledger/accounts/ACC1/delete", null, Cancel)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/ledger/accounts/ACC1/delete", null, Cancel)).StatusCode);
        var preview = await (await admin.PostAsync("/api/ledger/end-of-period", null, Cancel)).Content.ReadFromJsonAsync<JsonElement>(Cancel);
        Assert.True(preview.EnumerateArray().Single().GetProperty("removed").GetBoolean());
        Assert.Equal(1, Count("SELECT COUNT(*) FROM ledger_accounts WHERE code = 'ACC1'"));
        await admin.PostAsync("/api/ledger/end-of-period?apply=true", null, Cancel);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_accounts WHERE code = 'ACC1'"));
        await Problem(await admin.GetAsync("/api/ledger/accounts/ACC1", Cancel), HttpStatusCode.NotFound);

        Assert.Equal(HttpStatusCode.OK, (await clerk.PostAsJsonAsync("/api/ledger/reference/region", new { code = "WC", name = "Western Cape" }, Cancel)).StatusCode);
        Assert.Contains((await clerk.GetFromJsonAsync<JsonElement>("/api/ledger/reference/region", Cancel)).EnumerateArray(), r => r.GetProperty("code").GetString() == "WC");
        await Problem(await clerk.GetAsync("/api/ledger/reference/planets", Cancel), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task S1_AConnectionOverTheApi_IsASupervisors_AndItsSecretsAreWrittenButNeverShown()
    {
        var clerk = await SignedInAs("clerk");
        var admin = await SignedInAs("admin");
        var settings = new { accounting = "ledger:store=Host=127.0.0.1;Username=books;Password=s3cret-pw", direction = "to-accounting", site = "Durban" };
        Assert.Equal(HttpStatusCode.Forbidden, (await clerk.PostAsJsonAsync("/api/connections/books", settings, Cancel)).StatusCode);
        var added = await admin.PostAsJsonAsync("/api/connections/books", settings, Cancel);
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.DoesNotContain("s3cret-pw", await added.Content.ReadAsStringAsync(Cancel), StringComparison.Ordinal);
        var changed = await admin.PutAsJsonAsync("/api/connections/books", new { priority = "review" }, Cancel);
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        var shown = await clerk.GetStringAsync("/api/connections/books", Cancel);
        Assert.DoesNotContain("s3cret-pw", shown, StringComparison.Ordinal);
        var json = JsonDocument.Parse(shown).RootElement;
        Assert.Equal("review", json.GetProperty("priority").GetString());
        Assert.Contains("127.0.0.1", json.GetProperty("accounting").GetString(), StringComparison.Ordinal);
        var bad = await Problem(await admin.PutAsJsonAsync("/api/connections/books", new { direction = "sideways" }, Cancel), HttpStatusCode.BadRequest);
        Assert.Equal("direction", bad.GetProperty("errors")[0].GetProperty("field").GetString());
        var wrongKind = await Problem(await admin.PutAsJsonAsync("/api/connections/books", new { createOnly = "perhaps" }, Cancel), HttpStatusCode.BadRequest);
        Assert.Equal("createOnly", wrongKind.GetProperty("errors")[0].GetProperty("field").GetString());
    }

    [Fact]
    public async Task U3_EveryEndpointInTheOpenApiDocument_AnswersWithoutSignIn401()
    {
        var client = _api.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Cancel);
        var checkedCount = 0;
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Name is "get" or "post" or "put" or "delete"))
            {
                if (path.Name is "/api/sign-in" or "/api/sign-out")
                {
                    continue;
                }
                var url = System.Text.RegularExpressions.Regex.Replace(path.Name, "{[^}]+}", "1");
                using var request = new HttpRequestMessage(new HttpMethod(operation.Name.ToUpperInvariant()), url);
                if (operation.Name is "post" or "put")
                {
                    request.Content = JsonContent.Create(new { });
                }
                var answer = await client.SendAsync(request, Cancel);
                Assert.True(answer.StatusCode == HttpStatusCode.Unauthorized, $"{operation.Name} {path.Name}: {answer.StatusCode}");
                checkedCount++;
            }
        }
        // The customers, keys, ledger, connections, sync and command-line endpoints are all in the document.
        Assert.True(checkedCount >= 40, $"{checkedCount} endpoints");
    }

    [Fact]
    public async Task U3_AChangeAskedByAPageOfAnotherOrigin_IsRefused_EvenWithTheSessionCookie()
    {
        AddLedgerBasics();
        Ok("ledger", "accounts", "add", "GONE", "--name", "Gone Ltd");
        Ok("ledger", "accounts", "delete", "GONE");
        var admin = await SignedInAs("admin");
        async Task<HttpStatusCode> EndOfPeriod(string header, string value)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, "/api/ledger/end-of-period?apply=true");
            request.Headers.Add(header, value);
            return (await admin.SendAsync(request, Cancel)).StatusCode;
        }
        Assert.Equal(HttpStatusCode.Forbidden, await EndOfPeriod("Origin", "http://127.0.0.1:9999"));
        Assert.Equal(HttpStatusCode.Forbidden, await EndOfPeriod("Sec-Fetch-Site", "same-site"));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM ledger_accounts WHERE code = 'GONE'"));
        Assert.Equal(HttpStatusCode.OK, await EndOfPeriod("Origin", "http://localhost"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_accounts WHERE code = 'GONE'"));
    }

    [Fact]
    public async Task U3_TheOpenApiDocumentAndItsReference_AreServed()
    {
        var client = _api.CreateClient();
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", Cancel);
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/customers/{code}", out _));
        var reference = await client.GetAsync("/scalar", Cancel);
        Assert.Equal(HttpStatusCode.OK, reference.StatusCode);
        Assert.Equal("nosniff", reference.Headers.GetValues("X-Content-Type-Options").Single());
    }
}
