using System.Text.Json;
using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>
/// Customer classes and operational invoices through the sync engine (O3), on both stores: where
/// an invoice posts (1:1 to the account customer's ledger account, or to a generic account naming
/// the operational customer), that an unlinked operational customer never posts 1:1, previewed
/// before anything is posted, posted once whatever happens to a run, and audited.
/// </summary>
public abstract class CustomerClassTests(StoreKind kind) : StoreTest(kind)
{
    public sealed class OnSqlite() : CustomerClassTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : CustomerClassTests(StoreKind.Postgres);

    private const string Company = "Concord Ledger";

    /// <summary>A site, the ledger's basics, a connection "books", a generic class CASH posting to the ledger account CASHSALES.</summary>
    private void Setup(params string[] connectionOptions)
    {
        AddSite();
        AddLedgerBasics();
        Ok(["connections", "add", "books", "--site", "Durban", .. connectionOptions]);
        Ok("ledger", "accounts", "add", "CASHSALES", "--name", "Cash sales", "--currency", "ZAR");
        Ok("classes", "add", "CASH", "--name", "Cash sales", "--posting", "generic", "--generic-account", "CASHSALES");
    }

    private void Customer(string code, params string[] fields) =>
        Ok(["customers", "add", code, "--site", "Durban", .. fields]);

    private void Invoice(string number, string customer, string amount, params string[] options) =>
        Ok(["invoices", "add", number, "--customer", customer, "--amount", amount, .. options]);

    /// <summary>
    /// An invoice as a second shop's Concord sharing this ledger (ledger:data=FOLDER) leaves it: posted to
    /// <paramref name="account"/> under the same source as an invoice of that number here.
    /// </summary>
    private void AnotherShopsInvoice(string number, string account, string amount, string date, string? lineFor = null)
    {
        Ok("ledger", "post", "invoice", account, "--amount", amount, "--date", date, "--ref", number);
        Execute($"UPDATE ledger_transactions SET source = 'invoice:{number}'{(lineFor is null ? "" : $", line_for = '{lineFor}'")} WHERE reference = '{number}'");
    }

    private JsonElement Run(params string[] options) =>
        Ok(["sync", "run", "books", "--yes", "--company", Company, "--json", .. options]).Json;

    private JsonElement PreviewInvoice(string number) =>
        Ok("sync", "preview", "books", "--json").Json.GetProperty("invoices").EnumerateArray().Single(i => i.GetProperty("number").GetString() == number);

    /// <summary>The ledger's transactions as (account, reference, line for, amount in the balance's units).</summary>
    private List<string> Postings() =>
        [.. Strings("SELECT account_key || '|' || reference || '|' || COALESCE(line_for, '-') || '|' || CAST(amount AS TEXT) FROM ledger_transactions ORDER BY id").Select(s => s!)];

    [Fact]
    public void O3_AccountClass_PostsInvoices1to1ToTheLedgerAccountTheCustomerIsLinkedTo_AndAudits()
    {
        Setup();
        // The ledger knows Acme under another code; the first sync links them by VAT number (S3).
        Ok("ledger", "accounts", "add", "ACME-L", "--name", "Acme", "--vat", "4100200301", "--currency", "ZAR", "--country", "ZA");
        Customer("ACME", "--kind", "account", "--name", "Acme Ltd", "--vat", "4100200301", "--country", "ZA", "--customer-class", "account");
        Customer("JOE", "--name", "Joe Bloggs", "--account", "acme");
        Invoice("INV-1", "ACME", "115", "--vat", "15");
        Invoice("INV-2", "joe", "20", "--ref", "Till 4");

        var report = Run();
        Assert.Equal(2, report.GetProperty("posted").GetInt32());
        Assert.Equal(["ACME-L|INV-1|-|11500", "ACME-L|Till 4|JOE Joe Bloggs|2000"], Postings());
        Assert.Equal(135m, Ok("ledger", "balance", "ACME-L", "--json").Json.GetProperty("balance").GetDecimal());
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_accounts WHERE code_key = 'ACME'"));

        var listed = Ok("invoices", "list", "--json").Json.EnumerateArray().ToList();
        Assert.All(listed, i => Assert.Equal("ACME-L", i.GetProperty("postings")[0].GetProperty("account").GetString()));
        var audit = Strings("SELECT after_json FROM audit_log WHERE entity = 'invoice' AND action = 'post' ORDER BY id");
        Assert.Equal(2, audit.Count);
        Assert.Contains("\"connection\":\"books\"", audit[0], StringComparison.Ordinal);
        Assert.Contains("\"account\":\"ACME-L\"", audit[0], StringComparison.Ordinal);
        Assert.Equal(2, Count("SELECT COUNT(*) FROM sync_journal WHERE action = 'post-invoice' AND state = 'done'"));
    }

    [Fact]
    public void O3_GenericClass_PostsToTheGenericAccount_NamingTheOperationalCustomer()
    {
        Setup();
        // An account customer in the generic class, an operational customer linked to it, and a walk-in with a generic class of its own.
        Customer("MARKET", "--kind", "account", "--name", "Market stall", "--customer-class", "cash");
        Customer("STALL2", "--name", "Second stall", "--account", "MARKET");
        Customer("WALKIN", "--name", "Walk-in", "--customer-class", "CASH");
        Invoice("C-1", "MARKET", "10");
        Invoice("C-2", "STALL2", "20");
        Invoice("C-3", "WALKIN", "30");

        var preview = PreviewInvoice("C-3");
        Assert.Equal("post", preview.GetProperty("action").GetString());
        Assert.Equal("CASHSALES", preview.GetProperty("account").GetString());
        Assert.Equal("generic", preview.GetProperty("posting").GetString());

        Run();
        Assert.Equal(["CASHSALES|C-1|MARKET Market stall|1000", "CASHSALES|C-2|STALL2 Second stall|2000", "CASHSALES|C-3|WALKIN Walk-in|3000"], Postings());
        // MARKET itself still syncs as a customer; the generic account is never made a customer here.
        Assert.Equal(1, Count("SELECT COUNT(*) FROM ledger_accounts WHERE code_key = 'MARKET'"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM customers WHERE code_key = 'CASHSALES'"));
        Assert.Equal(0m, Ok("ledger", "balance", "MARKET", "--json").Json.GetProperty("balance").GetDecimal());
    }

    [Fact]
    public void O3_AnOperationalCustomerWithNoLink_CannotPostToA1to1Account_UntilLinked()
    {
        Setup();
        Customer("ACME", "--kind", "account", "--name", "Acme Ltd");
        Customer("LOOSE", "--name", "Loose customer");
        Customer("LOOSE2", "--name", "With a 1:1 class", "--customer-class", "account");
        Invoice("L-1", "LOOSE", "40");
        Invoice("L-2", "LOOSE2", "50");

        foreach (var number in new[] { "L-1", "L-2" })
        {
            var line = PreviewInvoice(number);
            Assert.Equal("wait", line.GetProperty("action").GetString());
            Assert.Contains("no link to an account customer, so it cannot post 1:1", line.GetProperty("note").GetString(), StringComparison.Ordinal);
        }
        Assert.Equal(0, Run().GetProperty("posted").GetInt32());
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_transactions"));

        Ok("customers", "link", "LOOSE", "ACME");
        Assert.Equal(1, Run().GetProperty("posted").GetInt32());
        Assert.Equal(["ACME|L-1|LOOSE Loose customer|4000"], Postings());
        Assert.Equal("wait", PreviewInvoice("L-2").GetProperty("action").GetString());
    }

    [Fact]
    public void O3_InvoicesArePreviewed_AndNothingIsPostedWithoutConfirmation()
    {
        Setup();
        Customer("ACME", "--kind", "account", "--name", "Acme Ltd");
        Invoice("INV-1", "ACME", "99.95", "--date", "2026-02-27");

        var line = PreviewInvoice("INV-1");
        Assert.Equal("post", line.GetProperty("action").GetString());
        Assert.Equal("2026-02-27", line.GetProperty("date").GetString());
        Assert.Equal(99.95m, line.GetProperty("amount").GetDecimal());
        Assert.Contains("to the account this run makes for ACME", line.GetProperty("note").GetString(), StringComparison.Ordinal);
        var table = Ok("sync", "preview", "books");
        Assert.Contains("INV-1", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("1 invoice to post, 0 waiting", table.Stderr, StringComparison.Ordinal);

        var unconfirmed = Fails("sync", "run", "books");
        Assert.Contains("Nothing was written", unconfirmed.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_transactions"));
        Assert.Equal(0, Count("SELECT COUNT(*) FROM invoice_postings"));

        // The account this run creates takes its invoice in the same run.
        Assert.Equal(1, Run().GetProperty("posted").GetInt32());
        Assert.Equal(["ACME|INV-1|-|9995"], Postings());
    }

    [Fact]
    public void O3_ARunPostsEachInvoiceOnce_AndAnAnswerLostAfterPostingIsFoundByReadingTheLedgerBack()
    {
        Setup();
        Customer("ACME", "--kind", "account", "--name", "Acme Ltd");
        Invoice("INV-1", "ACME", "100");
        Invoice("INV-2", "ACME", "200");
        Assert.Equal(2, Run().GetProperty("posted").GetInt32());
        Assert.Equal(0, Run().GetProperty("posted").GetInt32());
        Assert.Equal(2, Count("SELECT COUNT(*) FROM ledger_transactions"));

        // As a process killed after the ledger posted INV-2 but before its outcome was recorded here leaves it (S19).
        Execute("DELETE FROM invoice_postings WHERE invoice_id = (SELECT id FROM operational_invoices WHERE number = 'INV-2')");
        Execute("UPDATE sync_journal SET state = 'intent', outcome = NULL WHERE id = (SELECT MAX(id) FROM sync_journal WHERE action = 'post-invoice')");
        var line = PreviewInvoice("INV-2");
        Assert.Equal("record", line.GetProperty("action").GetString());

        var report = Run();
        Assert.Equal(0, report.GetProperty("posted").GetInt32());
        Assert.Equal(2, Count("SELECT COUNT(*) FROM ledger_transactions"));
        Assert.Equal(300m, Ok("ledger", "balance", "ACME", "--json").Json.GetProperty("balance").GetDecimal());
        Assert.Equal(2, Count("SELECT COUNT(*) FROM invoice_postings"));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM sync_journal WHERE action = 'post-invoice' AND state = 'abandoned'"));
        Assert.Contains("found in accounting by its source", Strings("SELECT after_json FROM audit_log WHERE entity = 'invoice' AND action = 'post' ORDER BY id DESC")[0], StringComparison.Ordinal);
    }

    [Fact]
    public void O3_AnotherSystemsInvoiceUnderTheSameNumber_IsRefused_NeverTakenAsPostedBefore()
    {
        Setup();
        Customer("ACME", "--kind", "account", "--name", "Acme Ltd");
        Customer("WALKIN", "--name", "Walk-in", "--customer-class", "CASH");
        Invoice("INV-1", "ACME", "100");
        Invoice("INV-9", "WALKIN", "45", "--date", "2026-03-01");
        Invoice("INV-10", "WALKIN", "12");
        Invoice("INV-11", "WALKIN", "30", "--date", "2026-02-27");
        // A second shop's own INV-9: same number, other values; and its INV-11: the same amount, day and generic account,
        // but for a customer of its own.
        AnotherShopsInvoice("INV-9", "CASHSALES", "80", "2026-02-27");
        AnotherShopsInvoice("INV-11", "CASHSALES", "30", "2026-02-27", lineFor: "SHOP2-W Their walk-in");

        Assert.Equal("source", PreviewInvoice("INV-9").GetProperty("willBeRefused").GetProperty("field").GetString());
        Assert.Equal("source", PreviewInvoice("INV-11").GetProperty("willBeRefused").GetProperty("field").GetString());
        Assert.Equal("post", PreviewInvoice("INV-10").GetProperty("action").GetString());
        Assert.Equal(2, Ok("sync", "preview", "books", "--json").Json.GetProperty("summary").GetProperty("invoicesWillBeRefused").GetInt32());
        Assert.Contains("4 invoices to post (2 will be refused), 0 waiting", Ok("sync", "preview", "books").Stderr, StringComparison.Ordinal);

        var result = Fails("sync", "run", "books", "--yes", "--company", Company, "--json");
        Assert.Equal(2, result.Json.GetProperty("posted").GetInt32());
        var errors = result.Json.GetProperty("errorList").EnumerateArray().ToList();
        Assert.Equal(["invoice INV-9", "invoice INV-11"], errors.Select(e => e.GetProperty("record").GetString()).Order(StringComparer.Ordinal).Reverse());
        var error = errors.Single(e => e.GetProperty("record").GetString() == "invoice INV-9");
        Assert.Contains("posted already as another transaction", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("invoice of 80.00 to CASHSALES on 2026-02-27", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
        // Not recorded as posted: the ledger holds the other shop's 80.00 only, and this INV-9 waits for a number of its own.
        Assert.Equal(0, Count("SELECT COUNT(*) FROM invoice_postings WHERE invoice_id = (SELECT id FROM operational_invoices WHERE number = 'INV-9')"));
        Assert.Equal(122m, Ok("ledger", "balance", "CASHSALES", "--json").Json.GetProperty("balance").GetDecimal());

        // The same invoices sent again (a second connection to the same ledger) are found, recorded, and not posted twice; INV-9 and INV-11 are still refused.
        Ok("connections", "add", "books2", "--site", "Durban");
        var again = Fails("sync", "run", "books2", "--yes", "--company", Company, "--json");
        Assert.Equal(0, again.Json.GetProperty("posted").GetInt32());
        Assert.Equal(2, again.Json.GetProperty("errorList").GetArrayLength());
        Assert.Equal(1, Count("SELECT COUNT(*) FROM ledger_transactions WHERE source = 'invoice:INV-1'"));
        Assert.Equal(2, Count("SELECT COUNT(*) FROM invoice_postings p JOIN sync_connections c ON c.id = p.connection_id WHERE c.name = 'books2'"));
    }

    [Fact]
    public void O3_AnInvoiceForAnAccountTheRunCreates_IsNeverTakenForAnotherAccountsPostingUnderItsNumber()
    {
        Setup();
        // Another shop's INV-20 sits in the shared ledger on its own customer's account: same amount, same day.
        Ok("ledger", "accounts", "add", "THEIRS", "--name", "Their customer", "--currency", "ZAR");
        AnotherShopsInvoice("INV-20", "THEIRS", "64", "2026-03-01");
        // Here, INV-20 is for NEWCO, an account customer this run creates in accounting.
        Customer("NEWCO", "--kind", "account", "--name", "New Co");
        Invoice("INV-20", "NEWCO", "64", "--date", "2026-03-01");
        Assert.Equal("post", PreviewInvoice("INV-20").GetProperty("action").GetString());

        var result = Fails("sync", "run", "books", "--yes", "--company", Company, "--json");
        Assert.Equal(0, result.Json.GetProperty("posted").GetInt32());
        var error = Assert.Single(result.Json.GetProperty("errorList").EnumerateArray());
        Assert.Equal("invoice INV-20", error.GetProperty("record").GetString());
        Assert.Equal("source", error.GetProperty("field").GetString());
        Assert.Contains("to THEIRS", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM invoice_postings"));
        Assert.Equal(64m, Ok("ledger", "balance", "THEIRS", "--json").Json.GetProperty("balance").GetDecimal());
        Assert.Equal(0m, Ok("ledger", "balance", "NEWCO", "--json").Json.GetProperty("balance").GetDecimal());
    }

    [Fact]
    public void O3_ARefusedInvoice_IsReportedWithItsField_AndTheOthersArePosted()
    {
        Setup();
        Customer("WALKIN", "--name", "Walk-in", "--customer-class", "CASH");
        Invoice("E-1", "WALKIN", "10", "--currency", "EUR");
        Invoice("Z-1", "WALKIN", "12", "--currency", "zar");
        Invoice("Z-2", "WALKIN", "14");

        var foreseen = PreviewInvoice("E-1");
        Assert.Equal("currency", foreseen.GetProperty("willBeRefused").GetProperty("field").GetString());

        var result = Fails("sync", "run", "books", "--yes", "--company", Company, "--json");
        Assert.Equal(2, result.Json.GetProperty("posted").GetInt32());
        var error = Assert.Single(result.Json.GetProperty("errorList").EnumerateArray());
        Assert.Equal("invoice E-1", error.GetProperty("record").GetString());
        Assert.Equal("currency", error.GetProperty("field").GetString());
        Assert.Contains("is EUR, but account CASHSALES keeps ZAR", error.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Contains("1 invoice refused", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(["CASHSALES|Z-1|WALKIN Walk-in|1200", "CASHSALES|Z-2|WALKIN Walk-in|1400"], Postings());
        // Not posted, so the next run tries it again.
        Assert.Equal("post", PreviewInvoice("E-1").GetProperty("action").GetString());
    }

    [Fact]
    public void O3_InvoicesDoNotMove_FromAccountingOnly_NorToASideThatTakesNone()
    {
        AddSite();
        AddLedgerBasics();
        Ok("connections", "add", "books", "--site", "Durban", "--direction", "from-accounting");
        Customer("ACME", "--kind", "account", "--name", "Acme Ltd");
        Invoice("INV-1", "ACME", "10");
        Assert.Empty(Ok("sync", "preview", "books", "--json").Json.GetProperty("invoices").EnumerateArray());

        var folder = Path.Combine(Store.DataDirectory, "exchange");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "customers.csv"), "A/C,Name,Address Line 1,Address Line 2,Address Line 3,Address Line 4,Address Line 5,Telephone,VAT Number,Credit Limit,E-mail,Web Address\r\n");
        Ok("connections", "add", "files", "--site", "Durban", "--accounting", $"csv:{folder};preset=sage50");
        var preview = Ok("sync", "preview", "files", "--json").Json;
        Assert.Contains("1 operational invoice waits: csv does not take invoices", preview.GetProperty("invoicesNotTaken").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void O3_ClassRules_AGenericClassNamesItsAccount_AndACustomersClassMustExist()
    {
        AddSite();
        Assert.Contains("customer-class G1 generic-account: is required for a generic class",
            Fails("classes", "add", "G1", "--name", "Generic", "--posting", "generic").Stderr, StringComparison.Ordinal);
        Assert.Contains("customer-class A1 generic-account: only a generic class has one",
            Fails("classes", "add", "A1", "--name", "Own", "--posting", "account", "--generic-account", "CASH").Stderr, StringComparison.Ordinal);
        Assert.Contains("customer C1 customer-class: 'NOPE' is not a customer class",
            Fails("customers", "add", "C1", "--site", "Durban", "--customer-class", "NOPE").Stderr, StringComparison.Ordinal);
        Ok("classes", "add", "G1", "--name", "Generic", "--posting", "generic", "--generic-account", "CASH");
        Assert.Contains("already exists", Fails("classes", "add", "g1", "--name", "Again", "--posting", "account").Stderr, StringComparison.Ordinal);
        Customer("C1", "--customer-class", "g1");
        Assert.Equal("G1", Ok("customers", "show", "C1", "--json").Json.GetProperty("customerClass").GetString());
        Ok("classes", "edit", "G1", "--generic-account", "TILL");
        var listed = Ok("classes", "list", "--json").Json.EnumerateArray().Select(c => $"{c.GetProperty("code").GetString()}:{c.GetProperty("posting").GetString()}:{(c.TryGetProperty("genericAccount", out var g) ? g.GetString() : null)}");
        Assert.Equal(["ACCOUNT:account:", "G1:generic:TILL"], listed);
    }

    [Fact]
    public void O3_InvoiceImport_ChecksTheWholeFileFirst_AndImportingItAgainAddsNothing()
    {
        AddSite();
        Customer("ACME", "--kind", "account", "--name", "Acme Ltd");
        var bad = WriteFile("bad.csv", "number,customer,amount,vat,date\nB-1,ACME,10,,2026-03-01\nB-2,NOBODY,5,,\nB-3,ACME,abc,,\nB-4,ACME,5,6,\nB-1,ACME,7,,\nB-5,ACME,5,,31/03/2026\n");
        var refused = Fails("import", "invoices", bad).Stderr;
        Assert.Contains("line 3: invoice B-2 customer: 'NOBODY' does not exist", refused, StringComparison.Ordinal);
        Assert.Contains("line 4: invoice B-3 amount: 'abc' is not an amount", refused, StringComparison.Ordinal);
        Assert.Contains("line 5: invoice B-4 vat: 6.00 is not between 0 and the amount 5.00", refused, StringComparison.Ordinal);
        Assert.Contains("line 6: invoice B-1 number: 'B-1' is given twice", refused, StringComparison.Ordinal);
        Assert.Contains("line 7: invoice B-5 date: '31/03/2026' is not a date", refused, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM operational_invoices"));

        var good = WriteFile("good.csv", "number,customer,kind,amount,vat,reference\nG-1,acme,invoice,115,15,Order 1\nG-2,ACME,credit,15,,Return\n");
        Assert.Contains("2 invoices added.", Ok("import", "invoices", good).Stderr, StringComparison.Ordinal);
        Assert.Contains("0 invoices added, 2 there already with the same values.", Ok("import", "invoices", good).Stderr, StringComparison.Ordinal);
        var changed = WriteFile("changed.csv", "number,customer,amount\nG-1,ACME,116\n");
        Assert.Contains("line 2: invoice G-1 number: 'G-1' exists already with other values", Fails("import", "invoices", changed).Stderr, StringComparison.Ordinal);
        Assert.Equal(["G-1:invoice:1150000:150000:Order 1:ACME", "G-2:credit:150000:0:Return:ACME"],
            Strings("SELECT number || ':' || kind || ':' || CAST(amount AS TEXT) || ':' || CAST(vat AS TEXT) || ':' || reference || ':' || customer FROM operational_invoices ORDER BY number"));
    }
}
