using System.Net;
using Concord.Store;
using Concord.Tests.Support;
using Microsoft.Playwright;

namespace Concord.Tests.Web;

/// <summary>
/// The screens (U2) in a real Chromium (Debian's, the path in CONCORD_TEST_CHROMIUM, set by the test
/// command) against the real `concord demo` server: sign in, the listing, adding a customer, a
/// viewer's read-only screens. Each screen is saved to docs/screenshots/ for README.
/// </summary>
public sealed class BrowserTests() : StoreTest(StoreKind.Sqlite), IAsyncLifetime
{
    private const string Variable = "CONCORD_TEST_CHROMIUM";

    private readonly string _url = $"http://127.0.0.1:{Loopback.FreePort()}";
    private ConcordProcess? _server;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async ValueTask InitializeAsync()
    {
        var chromium = Environment.GetEnvironmentVariable(Variable)
            ?? throw new InvalidOperationException($"{Variable} is not set: run the tests with scripts/test.sh, which installs Debian's chromium (scripts/chromium.sh)");
        try
        {
            // Small, slow batches (the test build's fault injection), so that a run's progress can be watched.
            _server = StartExecutable(new Dictionary<string, string?> { ["CONCORD_SYNC_BATCH"] = "2", [global::Concord.Core.Connectors.FaultInjection.Variable] = "slow:250" },
                "demo", "--urls", _url);
            var answer = await Loopback.AnswerAsync($"{_url}/sign-in", _server, TestContext.Current.CancellationToken);
            Assert.True(answer is { IsSuccessStatusCode: true }, $"concord demo did not serve {_url}: {_server.Stderr}");
            _playwright = await Playwright.CreateAsync();
            // A shared two-core machine running many tests at once: an expectation waits up to 30 s (a passing one returns as soon as it holds).
            Assertions.SetDefaultExpectTimeout(30_000);
            // Root in a container has no user namespace for Chromium's sandbox.
            _browser = await _playwright.Chromium.LaunchAsync(new() { ExecutablePath = chromium, Headless = true, Args = ["--no-sandbox"] });
        }
        catch
        {
            // A server or browser that did not start is not left behind.
            await DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Called once by the test framework, or earlier by a failed start: whatever is left is ended once.
        var (browser, playwright, server) = (_browser, _playwright, _server);
        (_browser, _playwright, _server) = (null, null, null);
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }
        playwright?.Dispose();
        server?.Terminate();
        server?.Dispose();
    }

    private async Task<IPage> SignedIn(string user, string password, string? screenshot = null)
    {
        var context = await _browser!.NewContextAsync(new() { ViewportSize = new() { Width = 1280, Height = 800 } });
        var page = await context.NewPageAsync();
        await page.GotoAsync($"{_url}/customers");
        Assert.EndsWith("/sign-in?ReturnUrl=%2Fcustomers", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("User").FillAsync(user);
        await page.GetByLabel("Password").FillAsync(password);
        if (screenshot is not null)
        {
            await Screenshot(page, screenshot);
        }
        try
        {
            await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
            // The address is watched, not the page's load event: a load that ended before the wait began is not waited for again.
            await Assertions.Expect(page).ToHaveURLAsync($"{_url}/customers", new() { Timeout = 60_000 });
        }
        catch (PlaywrightException)
        {
            Assert.Fail($"signing in as {user} did not reach the listing: at {page.Url}: {await page.Locator("main").InnerTextAsync()}\nserver: {_server!.Stderr}");
        }
        return page;
    }

    /// <summary>Saves the screen for README; <paramref name="masked"/> parts (a key shown once) are blacked out.</summary>
    private static Task Screenshot(IPage page, string name, params ILocator[] masked)
    {
        var folder = Path.Combine(Repository.Root, "docs", "screenshots");
        Directory.CreateDirectory(folder);
        return page.ScreenshotAsync(new() { Path = Path.Combine(folder, name + ".png"), FullPage = true, Mask = masked });
    }

    [Fact]
    public async Task U2_AClerkSignsIn_AddsACustomerAtDurban_AndFindsItInTheListing()
    {
        var page = await SignedIn("clerk", "demo-clerk", screenshot: "sign-in");
        await page.GetByLabel("Site").SelectOptionAsync("Durban");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Assertions.Expect(page.Locator("table.listing tbody tr")).ToHaveCountAsync(24 - 8 + 8);
        await Screenshot(page, "customers");

        await page.GetByRole(AriaRole.Link, new() { Name = "Add customer" }).ClickAsync();
        await page.Locator("input[name='values[code]']").FillAsync("BRW001");
        await page.Locator("input[name='values[name]']").FillAsync("Berea Road Wholesalers");
        await page.Locator("input[name='values[credit-limit]']").FillAsync("lots");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        // Refused by the rules, named by field; nothing saved.
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Credit limit:");
        await Screenshot(page, "customer-form");
        await page.Locator("input[name='values[credit-limit]']").FillAsync("15000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();

        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/customers\\?site=Durban"));
        await Assertions.Expect(page.Locator("table.listing tbody tr")).ToHaveCountAsync(1);
        await Assertions.Expect(page.Locator("table.listing tbody")).ToContainTextAsync("Berea Road Wholesalers");
        Assert.Equal(1, Count("SELECT COUNT(*) FROM audit_log WHERE entity = 'customer' AND record_key = 'BRW001' AND user_name = 'clerk'"));

        // Its audit trail on its form: who made it, when, with what.
        await page.GetByRole(AriaRole.Link, new() { Name = "BRW001" }).ClickAsync();
        var history = page.Locator("table.history tbody tr");
        await Assertions.Expect(history).ToHaveCountAsync(1);
        await Assertions.Expect(history.First).ToContainTextAsync("clerk");
        await Assertions.Expect(history.First).ToContainTextAsync("name: 'Berea Road Wholesalers'");
        await Screenshot(page, "customer-history");
    }

    [Fact]
    public async Task U4_ASupervisorAddsAUserAndAnApiKey_TheKeyIsShownOnceAndWorks_AViewerMayNotOpenTheScreen()
    {
        var page = await SignedIn("admin", "demo-admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Users and API keys" }).ClickAsync();
        await page.GetByLabel("New user").FillAsync("cashier");
        await page.Locator("form:has-text('Add user') select[name='Role']").SelectOptionAsync("clerk");
        await page.Locator("form:has-text('Add user') input[name='Password']").FillAsync("till-drawer-7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add user" }).ClickAsync();
        await Assertions.Expect(page.Locator("table.users")).ToContainTextAsync("cashier");

        await page.GetByLabel("New API key's name").FillAsync("shop-till");
        await page.GetByRole(AriaRole.Button, new() { Name = "Make API key" }).ClickAsync();
        var key = await page.Locator("code.secret").InnerTextAsync();
        Assert.StartsWith("concord_", key, StringComparison.Ordinal);
        await Screenshot(page, "users", page.Locator("code.secret"));
        await page.GotoAsync($"{_url}/users");
        Assert.DoesNotContain(key, await page.ContentAsync(), StringComparison.Ordinal);
        using (var client = new HttpClient())
        {
            client.DefaultRequestHeaders.Add(global::Concord.Web.ApiKeyAuthentication.Header, key);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync($"{_url}/api/customers", TestContext.Current.CancellationToken)).StatusCode);
        }

        var viewer = await SignedIn("viewer", "demo-viewer");
        await Assertions.Expect(viewer.GetByRole(AriaRole.Link, new() { Name = "Users and API keys" })).ToHaveCountAsync(0);
        await viewer.GotoAsync($"{_url}/users");
        await Assertions.Expect(viewer.GetByRole(AriaRole.Alert)).ToContainTextAsync("cannot open this screen");
        Assert.Equal(1, Count("SELECT COUNT(*) FROM users WHERE name_key = 'CASHIER' AND role = 'clerk' AND password_hash IS NOT NULL"));
    }

    [Fact]
    public async Task U2_TheListing_SortsByAColumnHeader_AndAViewerHasNoAddButtonNorASaveButton()
    {
        var page = await SignedIn("viewer", "demo-viewer");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Add customer" })).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { Name = "Name", Exact = true }).ClickAsync();
        var names = await page.Locator("table.listing tbody tr td:nth-child(3)").AllInnerTextsAsync();
        var named = names.Where(n => n.Length > 0).ToList();
        Assert.Equal(named.Order(StringComparer.OrdinalIgnoreCase), named);
        Assert.Equal("", names[0]); // customers without a name first
        await page.GetByRole(AriaRole.Link, new() { Name = "Name ▲", Exact = true }).ClickAsync();
        var descending = await page.Locator("table.listing tbody tr td:nth-child(3)").AllInnerTextsAsync();
        // The other way round, customers without a name last.
        Assert.Equal(names.Reverse(), descending);

        await page.Locator("table.listing tbody tr td a").First.ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task S9_S10_S16_ASupervisorUnticksALine_MarksOneNeverSync_ConfirmsTheCompany_WatchesTheProgress_AndReadsTheReport()
    {
        const string company = "Concord Demo Trading (Pty) Ltd";
        var page = await SignedIn("admin", "demo-admin");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sync", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Preview", Exact = true }).ClickAsync();
        var toAccounting = page.Locator("#to-accounting");
        await Assertions.Expect(toAccounting.Locator("h2")).ToContainTextAsync($"durban → {company}");
        await Assertions.Expect(page.Locator("#from-accounting h2")).ToContainTextAsync($"{company} → durban");

        // Two customers to create in accounting that accounting will take: one left for next time, one never synced.
        var creates = toAccounting.Locator("tr:not(.refused):has(td:text-is('create in accounting'))");
        Assert.True(await creates.CountAsync() >= 3, await toAccounting.InnerTextAsync());
        var notNow = await creates.Nth(0).GetAttributeAsync("data-key");
        var never = await creates.Nth(1).GetAttributeAsync("data-key");
        var created = await creates.Nth(2).GetAttributeAsync("data-key");
        var updated = await page.Locator("#from-accounting tr:has(td:text-is('link (vat) + update'))").First.GetAttributeAsync("data-key");
        await page.GetByLabel($"Synchronise {notNow}", new() { Exact = true }).First.UncheckAsync();
        await page.GetByLabel($"Never sync {never}", new() { Exact = true }).First.CheckAsync();
        Assert.False(await page.GetByLabel($"Synchronise {never}", new() { Exact = true }).First.IsCheckedAsync());
        await Screenshot(page, "sync-preview");

        // Nothing is written before the confirmation that names the company.
        const string records = "SELECT (SELECT COUNT(*) FROM ledger_accounts) + (SELECT COUNT(*) FROM customers)";
        var before = Count(records);
        await page.GetByRole(AriaRole.Button, new() { Name = "Synchronise", Exact = true }).ClickAsync();
        var confirm = page.GetByRole(AriaRole.Alertdialog);
        await Assertions.Expect(confirm).ToContainTextAsync("This action will write data to the accounting system. Are you sure you want to continue?");
        await Assertions.Expect(confirm.Locator(".company")).ToHaveTextAsync(company);
        Assert.Equal(before, Count(records));
        await Screenshot(page, "sync-confirm");
        await confirm.GetByRole(AriaRole.Button, new() { Name = "Yes, synchronise" }).ClickAsync();

        // The run goes on on the server; the page follows it, then shows the completion report.
        await Assertions.Expect(page).ToHaveURLAsync($"{_url}/sync/durban/live");
        await Assertions.Expect(page.Locator("progress")).ToBeVisibleAsync();
        // The bar moves without reloading the page: the count of lines applied grows while the run goes on.
        await Assertions.Expect(page.Locator("[data-field=step]")).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^[1-9][0-9]* of [0-9]+ lines applied$"));
        await Screenshot(page, "sync-progress");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Completion report" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Screenshot(page, "sync-report");
        var report = page.Locator("table.report");
        var createdCount = int.Parse(await report.Locator("tr:has(th:text-is('Created')) td").InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        // Created on either side: in the ledger, and the ledger-only customers here.
        Assert.Equal(createdCount, Count(records) - before);
        Assert.True(createdCount > 0);

        // What was ticked is in accounting; the unticked line is not, and comes back next time; the never line is marked.
        Assert.Equal(1, Count($"SELECT COUNT(*) FROM sync_links WHERE operational_code = '{created}' AND accounting_code IS NOT NULL"));
        Assert.Equal(0, Count($"SELECT COUNT(*) FROM sync_links WHERE operational_code = '{notNow}'"));
        Assert.Equal(1, Count($"SELECT COUNT(*) FROM sync_links WHERE operational_code = '{never}' AND sync_option = 'never'"));
        await page.GotoAsync($"{_url}/sync/durban/preview");
        await Assertions.Expect(page.Locator($"#to-accounting tr[data-key='{notNow}']")).ToContainTextAsync("create in accounting");
        await page.GotoAsync($"{_url}/sync/durban/preview?full=true");
        await Assertions.Expect(page.Locator("table.never")).ToContainTextAsync(never!);

        // The history names who ran it; the refused records wait in the inbox, where a person settles them.
        await page.GotoAsync($"{_url}/sync/durban");
        await Assertions.Expect(page.Locator("table.runs tbody tr").First).ToContainTextAsync("admin");
        var refused = page.Locator("table.inbox tr[data-record='BOT001']");
        await refused.GetByRole(AriaRole.Button, new() { Name = "Take here" }).ClickAsync();
        await Assertions.Expect(page.Locator("table.inbox tr[data-record='BOT001']")).ToContainTextAsync("operational wins");
        Assert.Equal(1, Count("SELECT COUNT(*) FROM audit_log WHERE action = 'resolve' AND record_key = 'BOT001' AND user_name = 'admin'"));

        // A customer the run updated from accounting: its history on its form says who and what.
        await page.GotoAsync($"{_url}/customers/edit/{updated}");
        await Assertions.Expect(page.Locator("table.history tbody")).ToContainTextAsync("admin");
    }

    [Fact]
    public async Task U4_AViewerSeesThePreviewWithoutSynchronise_AndTheApiRefusesTheViewersRun()
    {
        var page = await SignedIn("viewer", "demo-viewer");
        await page.GotoAsync($"{_url}/sync/durban/preview");
        await Assertions.Expect(page.Locator("#to-accounting")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Synchronise" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("input[name=sel]")).ToHaveCountAsync(0);

        var refused = await page.APIRequest.PostAsync($"{_url}/api/connections/durban/runs",
            new() { DataObject = new { company = "Concord Demo Trading (Pty) Ltd" } });
        Assert.Equal(403, refused.Status);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM sync_runs"));
    }

    [Fact]
    public async Task S16_ASecondRunIsRefusedWhileOneGoes_ARunCancelledOnScreen_StopsAndSaysWho_ARunWhosePageIsClosed_GoesOnToTheEnd()
    {
        var page = await SignedIn("admin", "demo-admin");
        async Task StartRun(IPage on)
        {
            await on.GotoAsync($"{_url}/sync/durban/preview");
            await on.GetByRole(AriaRole.Button, new() { Name = "Synchronise", Exact = true }).ClickAsync();
            await on.GetByRole(AriaRole.Button, new() { Name = "Yes, synchronise" }).ClickAsync();
            await Assertions.Expect(on).ToHaveURLAsync($"{_url}/sync/durban/live");
        }

        await StartRun(page);
        var cancel = page.GetByRole(AriaRole.Button, new() { Name = "Cancel the run" });
        try
        {
            await Assertions.Expect(cancel).ToBeVisibleAsync(new() { Timeout = 20_000 });
            // A second start while the first goes (a double click, another tab) is refused, naming who started the first.
            var second = await page.APIRequest.PostAsync($"{_url}/api/connections/durban/runs",
                new() { DataObject = new { company = "Concord Demo Trading (Pty) Ltd" } });
            Assert.Equal(400, second.Status);
            Assert.Contains("a run started by admin is still going", await second.TextAsync(), StringComparison.Ordinal);
            await cancel.ClickAsync(new() { Timeout = 20_000 });
        }
        catch (PlaywrightException)
        {
            Assert.Fail($"no Cancel button on the run's page: {await page.Locator("main").InnerTextAsync()}\nserver: {_server!.Stderr}");
        }
        await Assertions.Expect(page.Locator("[data-field=state]")).ToHaveTextAsync("interrupted", new() { Timeout = 60_000 });
        await Assertions.Expect(page.Locator(".live")).ToContainTextAsync("cancelled by admin after");
        Assert.Equal(["interrupted"], Strings("SELECT status FROM sync_runs"));

        // Started, then the page closed: the run does not depend on it.
        var other = await page.Context.NewPageAsync();
        await StartRun(other);
        await other.CloseAsync();
        await page.GotoAsync($"{_url}/sync/durban");
        var status = "";
        for (var looks = 0; looks < 600 && status is not ("completed" or "completed with errors"); looks++)
        {
            await Task.Delay(100, TestContext.Current.CancellationToken);
            status = Strings("SELECT status FROM sync_runs ORDER BY id").Last() ?? "";
        }
        Assert.Equal("completed with errors", status);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("table.runs tbody tr")).ToHaveCountAsync(2);
    }

    [Fact]
    public async Task L1_L3_L6_L9_AClerkAddsAnAccountFromTheModel_AddsAContact_ASupervisorDeletesItAtEndOfPeriod()
    {
        var page = await SignedIn("clerk", "demo-clerk");
        await page.GetByRole(AriaRole.Link, new() { Name = "Sales ledger" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Add account" }).ClickAsync();
        await page.GetByLabel("Start from the model account").SelectOptionAsync("MODEL-RET");
        await page.Locator("input[name='Values[code]']").FillAsync("UMHLANGA");
        await page.Locator("input[name='Values[name]']").FillAsync("Umhlanga Surf Shop");
        await page.Locator("input[name='Values[credit-limit]']").FillAsync("a lot");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add account" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Credit limit:");
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_accounts WHERE code = 'UMHLANGA'"));
        await page.Locator("input[name='Values[credit-limit]']").FillAsync("25000");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add account" }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync($"{_url}/ledger/accounts/UMHLANGA");

        // The model's profiles and analysis codes came along; the system's stamps are shown, not typed.
        await Assertions.Expect(page.Locator("select[name='Values[terms-profile]']")).ToHaveValueAsync("NET30");
        await Assertions.Expect(page.Locator("select[name='Values[region]']")).ToHaveValueAsync("KZN");
        await Assertions.Expect(page.Locator(".stamped input").First).ToHaveAttributeAsync("readonly", "");
        await page.GetByLabel("Contact's name").FillAsync("Thandi Mkhize");
        await page.GetByLabel("Role").FillAsync("Accounts");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add contact" }).ClickAsync();
        await Assertions.Expect(page.Locator("table.contacts")).ToContainTextAsync("Thandi Mkhize");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Delete (at End of Period)" })).ToHaveCountAsync(0);

        // Transactions posted from the command line show on the form: balances, turnover, the transactions view (L7).
        Assert.Equal(0, Executable("ledger", "post", "invoice", "UMHLANGA", "--amount", "1150", "--vat", "150", "--ref", "INV-7").Exit);
        Assert.Equal(0, Executable("ledger", "post", "receipt", "UMHLANGA", "--amount", "1150", "--ref", "EFT").Exit);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-field=balance]")).ToContainTextAsync("0.00");
        await Assertions.Expect(page.Locator("[data-field=turnover]")).ToHaveTextAsync("1000.00");
        await Assertions.Expect(page.Locator("table.transactions tbody tr")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("table.transactions")).ToContainTextAsync("INV-7");
        await Screenshot(page, "ledger-account");
        // Settled: the invoice and the receipt allocated to each other, so End of Period may remove the account.
        Assert.Equal(0, Executable("ledger", "allocate", "UMHLANGA", "--oldest-first").Exit);

        var supervisor = await SignedIn("admin", "demo-admin");
        await supervisor.GotoAsync($"{_url}/ledger/accounts/UMHLANGA");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Delete (at End of Period)" }).ClickAsync();
        await Assertions.Expect(supervisor.Locator("h1")).ToContainTextAsync("marked for deletion");
        await supervisor.GotoAsync($"{_url}/ledger");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "End of Period…" }).ClickAsync();
        var outcome = supervisor.Locator(".period-end");
        await Assertions.Expect(outcome).ToContainTextAsync("UMHLANGA");
        Assert.Equal(1, Count("SELECT COUNT(*) FROM ledger_accounts WHERE code = 'UMHLANGA'"));
        await outcome.GetByRole(AriaRole.Button, new() { Name = "Remove them now" }).ClickAsync();
        await Assertions.Expect(supervisor.Locator(".period-end h2")).ToHaveTextAsync("End of Period");
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_accounts WHERE code = 'UMHLANGA'"));
    }

    [Fact]
    public async Task L2_S1_AClerkAddsReferenceData_ASupervisorChangesAConnection_ItsSecretsAreNeverShown()
    {
        var page = await SignedIn("clerk", "demo-clerk");
        await page.GotoAsync($"{_url}/ledger/reference");
        var regions = page.Locator("section#region");
        await regions.GetByLabel("New region code").FillAsync("WC");
        await regions.GetByLabel("New region name").FillAsync("Western Cape");
        await regions.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await Assertions.Expect(page.Locator("section#region table")).ToContainTextAsync("Western Cape");
        await page.Locator("section#region").GetByLabel("New region code").FillAsync("WC");
        await page.Locator("section#region").GetByLabel("New region name").FillAsync("Again");
        await page.Locator("section#region").GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("already exists");
        await page.GotoAsync($"{_url}/connections/durban");
        await Assertions.Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToHaveCountAsync(0);

        var supervisor = await SignedIn("admin", "demo-admin");
        await supervisor.GotoAsync($"{_url}/sync");
        await supervisor.GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await supervisor.GetByLabel("When both sides changed a field").SelectOptionAsync("review");
        await supervisor.GetByLabel("Accounting system").FillAsync("ledger:store=Host=127.0.0.1;Username=books;Password=s3cret-pw");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(supervisor.GetByRole(AriaRole.Status)).ToContainTextAsync("Saved");
        await Assertions.Expect(supervisor.GetByLabel("When both sides changed a field")).ToHaveValueAsync("review");
        Assert.DoesNotContain("s3cret-pw", await supervisor.ContentAsync(), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", await supervisor.GetByLabel("Accounting system").GetAttributeAsync("placeholder"), StringComparison.Ordinal);
        await Screenshot(supervisor, "connection-settings");
        Assert.Equal(["review"], Strings("SELECT priority FROM sync_connections WHERE name = 'durban'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM sync_connections WHERE accounting LIKE '%s3cret-pw%' OR accounting_secret LIKE '%s3cret-pw%'"));
    }
}
