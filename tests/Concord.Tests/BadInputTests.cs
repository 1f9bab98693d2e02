using System.Text;
using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests;

/// <summary>
/// The "Bad input" quality target (X5, L1): malformed files, over-long and invisible text, edits
/// that change nothing — a clear error naming the record (and line) and the field, exit 1, nothing
/// written, never a stack trace; on both stores, through the real executable where exit codes and
/// output are the point.
/// </summary>
public abstract class BadInputTests(StoreKind kind) : StoreTest(kind)
{
    public sealed class OnSqlite() : BadInputTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : BadInputTests(StoreKind.Postgres);

    private const string Header = "code,name,site\n";

    /// <summary>Runs the real executable; it must fail with exit 1 and a message, never a stack trace.</summary>
    private CliResult FailsInTheExecutable(params string[] args)
    {
        var result = Executable(args);
        Assert.True(result.Exit == 1, $"expected exit 1 from concord {string.Join(' ', args.Select(a => a.Length > 80 ? a[..80] + "…" : a))}\n{Shorten(result)}");
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("error: ", result.Stderr, StringComparison.Ordinal);
        return result;
    }

    private static string Shorten(CliResult result) => result.ToString().Length > 4000 ? result.ToString()[..4000] : result.ToString();

    private long Customers => Count("SELECT COUNT(*) FROM customers");

    private long AuditLines => Count("SELECT COUNT(*) FROM audit_log");

    [Fact]
    public void X5_RecordOverOneMiB_IsRefusedWithItsLineAndField_AndSkipInvalidStillWritesTheValidRows()
    {
        AddSite();
        var file = WriteFile("huge.csv", Header +
            "A1,Fine,Durban\n" +
            $"B1,{new string('x', 1_500_000)},Durban\n" +
            $"B2,\"{string.Concat(Enumerable.Repeat("many\nlines ", 300_000))}\",Durban\n" +
            "C1,Also fine,Durban\n");
        var refused = FailsInTheExecutable("import", "customers", file);
        Assert.Contains("line 3: customer B1 name: is longer than 1 MiB", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("line 4: customer B2 name: is longer than 1 MiB", refused.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Customers);

        var skipped = Executable("import", "customers", file, "--skip-invalid");
        Assert.True(skipped.Exit == 0, Shorten(skipped));
        Assert.Contains("skipped: line 3: customer B1 name: is longer than 1 MiB", skipped.Stderr, StringComparison.Ordinal);
        // B2's quoted value spans 300,000 lines: C1 is on the line after them.
        Assert.Contains("2 imported, 2 rejected.", skipped.Stderr, StringComparison.Ordinal);
        Assert.Equal(["A1", "C1"], Ok("customers", "list", "--json").Json.EnumerateArray().Select(c => c.GetProperty("code").GetString()));
    }

    [Fact]
    public void X5_RowWithFewerCellsThanTheHeader_IsRefusedWithItsLineNumber()
    {
        AddSite();
        var file = WriteFile("cut.csv", Header + "A1,Fine,Durban\nA2,Cut off\n");
        var result = FailsInTheExecutable("import", "customers", file);
        Assert.Contains("line 3: customer A2: has 2 cells but the header names 3 columns", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Customers);
    }

    [Fact]
    public void X5_RowWithMoreCellsThanTheHeader_IsRefusedWithItsLineNumber()
    {
        AddSite();
        var file = WriteFile("extra.csv", Header + "A1,Fine,Durban\nA2,Smith, John,Durban\n");
        var result = FailsInTheExecutable("import", "customers", file);
        Assert.Contains("line 3: customer A2: has 4 cells but the header names 3 columns", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Customers);
    }

    [Fact]
    public void X5_QuotedValueNeverClosed_IsRefusedWithItsLine()
    {
        AddSite();
        var file = WriteFile("unclosed.csv", Header + "A1,Fine,Durban\nA2,\"Never closed,Durban\nA3,Swallowed,Durban\n");
        var result = FailsInTheExecutable("import", "customers", file);
        Assert.Contains("line 3: customer A2: has a quoted value that is never closed", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Customers);
    }

    [Fact]
    public void X5_EmptyFileAndHeaderOnly_AreRefused()
    {
        var lines = AuditLines;
        Assert.Contains("is empty; the first line must name the columns", FailsInTheExecutable("import", "customers", WriteFile("empty.csv", "")).Stderr, StringComparison.Ordinal);
        Assert.Contains("has a header but no rows", FailsInTheExecutable("import", "customers", WriteFile("header.csv", Header)).Stderr, StringComparison.Ordinal);
        Assert.Equal(lines, AuditLines);
    }

    [Fact]
    public void X5_FileNotUtf8_IsRefusedNamingLineAndField()
    {
        AddSite();
        var path = Path.Combine(Store.DataDirectory, "latin1.csv");
        File.WriteAllBytes(path, [.. Encoding.UTF8.GetBytes(Header + "A1,Fine,Durban\nA2,M"), 0xFC, .. Encoding.UTF8.GetBytes("ller,Durban\n")]);
        var result = FailsInTheExecutable("import", "customers", path);
        Assert.Contains("line 3: customer A2 name: contains invalid character (bad encoding); check the file is saved as UTF-8", result.Stderr, StringComparison.Ordinal);
        var binary = Path.Combine(Store.DataDirectory, "binary.csv");
        File.WriteAllBytes(binary, [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0xFF, 0x2C, 0x00]);
        Assert.Contains("line 1: column 1", FailsInTheExecutable("import", "customers", binary).Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Customers);
    }

    [Fact]
    public void X5_ExportThenImport_GivesBackExactlyTheSameValues()
    {
        AddSite();
        string[] names = ["=SUM(A1)", "'quoted", "-5 Main Rd", "＝1+1", "@home", "+27 31", "'=already defused", "''@two", "＠mention", "－minus", "＋plus", "plain"];
        for (var i = 0; i < names.Length; i++)
        {
            // --name=VALUE: a value starting with - is not taken for an option.
            Ok("customers", "add", $"R{i}", $"--name={names[i]}", "--site", "Durban", $"--address={names[^(i + 1)]}");
        }
        var csv = Ok("export", "customers").Stdout;
        Assert.Contains("'＝1+1", csv, StringComparison.Ordinal);
        Assert.Contains("'＠mention", csv, StringComparison.Ordinal);
        Assert.Contains("''=already defused", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",=", csv, StringComparison.Ordinal);
        Assert.DoesNotContain(",＝", csv, StringComparison.Ordinal);
        Assert.Contains(",'quoted,", csv, StringComparison.Ordinal);
        var before = Ok("export", "customers", "--format", "json").Stdout;
        Assert.Equal(names, Ok("export", "customers", "--format", "json").Json.EnumerateArray().OrderBy(c => int.Parse(c.GetProperty("code").GetString()![1..], System.Globalization.CultureInfo.InvariantCulture)).Select(c => c.GetProperty("name").GetString()));
        Execute("DELETE FROM customers");
        Ok("import", "customers", WriteFile("roundtrip.csv", csv));
        Assert.Equal(before, Ok("export", "customers", "--format", "json").Stdout);
    }

    [Fact]
    public void L1_EditWithNoField_IsRefused_AndWritesNoAuditLine()
    {
        AddSite();
        Ok("customers", "add", "E1", "--name", "Edited", "--site", "Durban");
        Ok("ledger", "accounts", "add", "E1", "--name", "Edited");
        var lines = AuditLines;
        Assert.Contains("error: customer E1: nothing to change: give at least one --FIELD VALUE", FailsInTheExecutable("customers", "edit", "E1").Stderr, StringComparison.Ordinal);
        Assert.Contains("error: account E1: nothing to change: give at least one --FIELD VALUE", FailsInTheExecutable("ledger", "accounts", "edit", "E1").Stderr, StringComparison.Ordinal);
        Assert.Equal(lines, AuditLines);
        Ok("customers", "edit", "E1", "--phone", "");
        Assert.Equal(lines + 1, AuditLines);
    }

    [Fact]
    public void L1_LengthsCountCharactersAsPeopleSeeThem_NotUtf16Units()
    {
        AddSite();
        var family = "👨‍👩‍👧"; // one character on screen, 8 UTF-16 units
        var accented = "e\u0301"; // é as e + combining acute: one character, 2 units
        Ok("customers", "add", "U1", "--name", string.Concat(Enumerable.Repeat(family, 60)), "--site", "Durban");
        Ok("customers", "add", "U2", "--name", string.Concat(Enumerable.Repeat(accented, 60)), "--site", "Durban");
        Ok("ledger", "accounts", "add", string.Concat(Enumerable.Repeat("🎉", 20)), "--name", "Emoji code");
        Assert.Contains("customer U3 name: is 61 characters long; at most 60 are allowed",
            Fails("customers", "add", "U3", "--name", string.Concat(Enumerable.Repeat(family, 61)), "--site", "Durban").Stderr, StringComparison.Ordinal);
        Assert.Contains("name: is 61 characters long",
            Fails("customers", "add", "U4", "--name", string.Concat(Enumerable.Repeat(accented, 61)), "--site", "Durban").Stderr, StringComparison.Ordinal);
        Assert.Contains("code: is 21 characters long; at most 20 are allowed",
            Fails("ledger", "accounts", "add", string.Concat(Enumerable.Repeat("🎉", 21)), "--name", "Emoji code").Stderr, StringComparison.Ordinal);
        Assert.Equal(string.Concat(Enumerable.Repeat(family, 60)), Ok("customers", "show", "U1", "--json").Json.GetProperty("name").GetString());
        Assert.Equal(2, Customers);
    }

    [Theory]
    [InlineData("\u200B")]
    [InlineData("\u200D")]
    [InlineData("\u200E")]
    [InlineData("\u202E")]
    [InlineData("\u2066")]
    [InlineData("\uFEFF")]
    [InlineData("\u00AD")]
    public void L1_CodesRefuseInvisibleAndDirectionCharacters(string invisible)
    {
        AddSite();
        var code = "AB" + invisible + "C";
        var result = Fails("customers", "add", code, "--name", "Invisible", "--site", "Durban");
        Assert.Matches($"code: contains '?U\\+{(int)invisible[0]:X4}", result.Stderr);
        Assert.Matches($"code: contains '?U\\+{(int)invisible[0]:X4}", Fails("ledger", "accounts", "add", code, "--name", "Invisible").Stderr);
        Assert.Equal(0, Customers);
    }

    [Theory]
    [InlineData("\u202E", "a text direction character")]
    [InlineData("\u2067", "a text direction character")]
    [InlineData("\u200F", "a text direction character")]
    [InlineData("\u0007", "a control character")]
    [InlineData("\n", "a control character")]
    [InlineData("\u009B", "a control character")]
    public void L1_TextFieldsRefuseControlAndDirectionCharacters(string hostile, string what)
    {
        AddSite();
        var result = FailsInTheExecutable("customers", "add", "H1", "--name", "Evil" + hostile + "gnp.exe", "--site", "Durban");
        Assert.Contains($"customer H1 name: contains U+{(int)hostile[0]:X4} ({what})", result.Stderr, StringComparison.Ordinal);
        Assert.Contains($"account H1 memo: contains U+{(int)hostile[0]:X4}", Fails("ledger", "accounts", "add", "H1", "--name", "Fine", "--memo", "x" + hostile + "y").Stderr, StringComparison.Ordinal);
        Ok("customers", "add", "H2", "--name", "Zero\u200Dwidth joiner stays (emoji need it)", "--site", "Durban");
        Assert.Equal(1, Customers);
    }

    [Fact]
    public void L1_HalfASurrogatePairIsRefusedInCodesAndText_BeforeTheStoreCannotEncodeIt()
    {
        // Only reachable in process (argv and files are decoded with replacement), found by the fuzz test on PostgreSQL.
        AddSite();
        var code = Fails("customers", "add", "\uDC00x", "--name", "Lone", "--site", "Durban");
        Assert.Contains("code: contains invalid character (bad encoding)", code.Stderr, StringComparison.Ordinal);
        var name = Fails("customers", "add", "H1", "--name", "Half \uD83C", "--site", "Durban");
        Assert.Contains("customer H1 name: contains invalid character (bad encoding)", name.Stderr, StringComparison.Ordinal);
        Ok("customers", "add", "H2", "--name", "Whole \uD83C\uDF89 pair", "--site", "Durban");
        Assert.Equal(1, Customers);
    }

    [Fact]
    public void O1_CustomerCountryMustBeAKnownCountry_AsForLedgerAccounts()
    {
        AddSite();
        var customer = Fails("customers", "add", "C1", "--name", "Far away", "--site", "Durban", "--country", "XX");
        var account = Fails("ledger", "accounts", "add", "C1", "--name", "Far away", "--country", "XX");
        Assert.Contains($"customer C1 country: 'XX' is not a known country; add it first with '{Hint("ledger reference add country XX --name …")}'", customer.Stderr, StringComparison.Ordinal);
        Assert.Contains("account C1 country: 'XX' is not a known country", account.Stderr, StringComparison.Ordinal);
        Ok("ledger", "reference", "add", "country", "ZA", "--name", "South Africa");
        Ok("customers", "add", "C1", "--name", "Near", "--site", "Durban", "--country", "za");
        Assert.Equal("ZA", Ok("customers", "show", "C1", "--json").Json.GetProperty("country").GetString());
        var file = WriteFile("countries.csv", "code,name,site,country\nC2,Two,Durban,ZA\nC3,Three,Durban,XX\n");
        Assert.Contains("line 3: customer C3 country: 'XX' is not a known country", Fails("import", "customers", file).Stderr, StringComparison.Ordinal);
        Assert.Equal(1, Customers);
    }

    [Fact]
    public void L1_EmailAndWebAddressesAreCheckedByTheirParsers()
    {
        AddSite();
        Ok("customers", "add", "W1", "--name", "Web", "--site", "Durban", "--email", "first.last+tag@example.co.za", "--web", "www.example.co.za");
        Ok("customers", "add", "W2", "--name", "Web", "--site", "Durban", "--web", "https://example.com/shop?x=1");
        Assert.Contains("customer W3 email: 'Bob <bob@example.com>' is not an e-mail address",
            Fails("customers", "add", "W3", "--name", "Web", "--site", "Durban", "--email", "Bob <bob@example.com>").Stderr, StringComparison.Ordinal);
        Assert.Contains("customer W3 web-site: 'javascript:alert(1)' is not a web address",
            Fails("customers", "add", "W3", "--name", "Web", "--site", "Durban", "--web", "javascript:alert(1)").Stderr, StringComparison.Ordinal);
        Assert.Contains("account W3 order-email: 'a@b@c.com' is not an e-mail address",
            Fails("ledger", "accounts", "add", "W3", "--name", "Web", "--order-email", "a@b@c.com").Stderr, StringComparison.Ordinal);
        Assert.Equal(2, Customers);
    }
}
