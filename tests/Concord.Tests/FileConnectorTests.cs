using System.Text;
using ClosedXML.Excel;
using Concord.Connectors.Files;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Connections;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Tests;

/// <summary>
/// The file exchange connectors (X4) on real files in a temporary folder: exports read in each
/// preset, import files written in the package's layout (CSV checked as text, XLSX opened with
/// ClosedXML), formulas defused, files appearing whole or not at all, and nothing written twice
/// before the export catches up or after a crash between the import file and its state (S11, S19).
/// </summary>
public sealed class FileConnectorTests : IDisposable
{
    private static readonly string[] SageHeader =
    [
        "A/C", "Name", "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4", "Address Line 5", "Contact Name",
        "Telephone", "Fax", "Analysis 1", "Analysis 2", "Analysis 3", "Department", "VAT Number", "M.T.D.", "Y.T.D.", "Prior Y.T.D.",
        "Credit Limit", "Trading Terms Text", "Settlement Due Days", "Sett. Discount (%)", "Default Nominal Code", "Default Tax Code",
        "Trade Contact", "Telephone 2", "E-mail", "Web Address", "Discount %", "Payment Due Days", "Terms Agreed",
    ];

    /// <summary>The columns of the Sage layout that carry fields: what an export in that layout must have.</summary>
    private static readonly string[] SageExport =
    [
        "A/C", "Name", "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4", "Address Line 5", "Telephone",
        "VAT Number", "Credit Limit", "E-mail", "Web Address",
    ];

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));

    // A space in the name, as in many people's folders.
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "concord files-" + Guid.NewGuid().ToString("N"));

    public FileConnectorTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private string ImportFolder => Path.Combine(_folder, "import");

    private string StateFolder => Path.Combine(_folder, ".concord", "written");

    private static ITableFormat Format(string kind) => kind == "csv" ? new CsvTable() : new XlsxTable();

    private FileConnector Open(string kind, string settings = "preset=sage50", FieldMap? map = null)
    {
        var format = Format(kind);
        var options = new FileConnectorKind(format).Parse(ConnectorSettings.Of("connection books", $"{kind}:{_folder};{settings}"));
        return new FileConnector(map is null ? options : options with { Map = options.Map.Following(map) }, format, _clock);
    }

    private void WriteExport(string name, string text) =>
        File.WriteAllText(Path.Combine(_folder, name), text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));

    private void WriteXlsx(string name, params string[][] rows)
    {
        using var book = new XLWorkbook();
        var sheet = book.AddWorksheet("Export");
        for (var r = 0; r < rows.Length; r++)
        {
            for (var c = 0; c < rows[r].Length; c++)
            {
                // Numbers as numbers, as a package's export holds them.
                if (r > 0 && decimal.TryParse(rows[r][c], System.Globalization.NumberStyles.Number, System.Globalization.CultureInfo.InvariantCulture, out var number))
                {
                    sheet.Cell(r + 1, c + 1).SetValue(number);
                }
                else
                {
                    sheet.Cell(r + 1, c + 1).SetValue(rows[r][c]);
                }
            }
        }
        book.SaveAs(Path.Combine(_folder, name));
    }

    /// <summary>An export in the layout's own columns: its header and rows (rows give the cells by heading).</summary>
    private void Export(string kind, string[] header, params Dictionary<string, string>[] rows)
    {
        var table = rows.Select(r => header.Select(h => r.GetValueOrDefault(h, "")).ToArray()).ToArray();
        if (kind == "csv")
        {
            WriteExport("customers.csv", string.Join("\r\n", [string.Join(",", header), .. table.Select(r => string.Join(",", r.Select(Quote)))]) + "\r\n");
        }
        else
        {
            WriteXlsx("customers.xlsx", [header, .. table]);
        }
    }

    private static string Quote(string cell) => cell.Contains(',', StringComparison.Ordinal) || cell.Contains('"', StringComparison.Ordinal)
        ? $"\"{cell.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : cell;

    private static SyncRecord Record(string code, string name, string? vat = null, string? phone = null, string? address = null,
        string? postcode = null, string? country = null, string? limit = "0.00", string? email = null, string? web = null) =>
        new(code, [name, vat, phone, email, web, address, postcode, country, limit]);

    private string[] ImportFiles() => Directory.Exists(ImportFolder) ? [.. Directory.GetFiles(ImportFolder).Order(StringComparer.Ordinal)] : [];

    private static async Task<List<SyncRecord>> ReadAll(FileConnector connector) =>
        await connector.ReadAllAsync(Cancel).ToListAsync(Cancel);

    /// <summary>The cells of a written file as text: CSV parsed by Concord's reader, XLSX opened with ClosedXML.</summary>
    private static List<string[]> Cells(string kind, string path)
    {
        if (kind == "csv")
        {
            return [.. new CsvTable().Read(path).Select(r => r.Cells.Select(c => c ?? "").ToArray())];
        }
        using var book = new XLWorkbook(path);
        var sheet = book.Worksheet(1);
        var width = sheet.LastColumnUsed().ColumnNumber();
        return [.. sheet.RowsUsed().Select(row => Enumerable.Range(1, width).Select(c => row.Cell(c).GetString()).ToArray())];
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task X4_ReadsSage50Export_LinesJoinedVatPrefixedAmountsCanonical(string kind)
    {
        // A subset of the layout's columns in another order, with a column Concord does not know.
        string[] header = ["Name", "A/C", "Balance", "Address Line 1", "Address Line 2", "Address Line 3", "Address Line 4", "Address Line 5",
            "Telephone", "VAT Number", "Credit Limit", "E-mail", "Web Address"];
        Export(kind, header,
            new Dictionary<string, string> { ["A/C"] = "HOP001", ["Name"] = "Hope Works, Ltd", ["Address Line 1"] = "12 High Street", ["Address Line 3"] = "Leeds",
                ["Address Line 5"] = "LS1 4AP", ["Telephone"] = "0113 496 0000", ["VAT Number"] = "980 7806 84", ["Credit Limit"] = "5000",
                ["E-mail"] = "accounts@hope.example", ["Balance"] = "12.5" },
            new Dictionary<string, string> { ["A/C"] = "1001", ["Name"] = "Number Code" });
        using var connector = Open(kind);

        var records = await ReadAll(connector);

        Assert.Equal(["HOP001", "1001"], records.Select(r => r.Code));
        Assert.Equal(["Hope Works, Ltd", "GB980780684", "0113 496 0000", "accounts@hope.example", null, "12 High Street, Leeds", "LS1 4AP", null, "5000.00"],
            records[0].Values);
        Assert.Equal("0.00", records[1].Values[SyncFields.IndexOf("credit-limit")]);
        var byVat = Assert.Single(await connector.FindByVatsAsync(["GB980780684"], Cancel));
        Assert.Equal("HOP001", byVat.Code);
        Assert.Equal(["1001"], (await connector.FindByCodesAsync(["1001", "NOPE"], Cancel)).Select(r => r.Code));
    }

    [Fact]
    public async Task X4_ReadsCsvExportWithBomSemicolonsAndQuotedSeparators()
    {
        WriteExport("contacts.csv",
            "ContactName;AccountNumber;EmailAddress;POAddressLine1;POCity;POPostalCode;POCountry;PhoneNumber;TaxNumber;Website\r\n" +
            "\"Marlow; Sons\";MAR001;gavin@marlow.example;\"12 Builder St\";Sydney;2150;au;02 9000 1111;;https://marlow.example\r\n");
        using var connector = Open("csv", "preset=xero;export=contacts.csv");

        var record = Assert.Single(await ReadAll(connector));

        Assert.Equal("MAR001", record.Code);
        Assert.Equal(["Marlow; Sons", null, "02 9000 1111", "gavin@marlow.example", "https://marlow.example", "12 Builder St, Sydney", "2150", "AU", null],
            record.Values);
    }

    [Fact]
    public async Task S1_CompanyIsTheSettingOrElseTheFolderName()
    {
        Export("csv", SageExport);
        using var named = Open("csv", "preset=sage50;company=Hope Works Ltd");
        using var unnamed = Open("csv");
        Assert.Equal("Hope Works Ltd", await named.CompanyNameAsync(Cancel));
        Assert.Equal(Path.GetFileName(_folder), await unnamed.CompanyNameAsync(Cancel));
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task X4_CreateWritesSage50ImportFile_InTheLayoutExactly(string kind)
    {
        Export(kind, SageExport);
        using var connector = Open(kind);

        var outcomes = await connector.CreateAsync(
            [Record("HOP001", "Hope Works", "GB980780684", "0113 496 0000", "12 High Street, Unit 4, Leeds, West Yorkshire, England", "LS1 4AP", "GB", "5000.00",
                "accounts@hope.example", "https://hope.example")],
            Cancel);

        var outcome = Assert.Single(outcomes);
        Assert.True(outcome.Written, outcome.Reason);
        var file = Assert.Single(ImportFiles());
        Assert.Equal($"concord-20260301-090000-1.{kind}", Path.GetFileName(file));
        var cells = Cells(kind, file);
        Assert.Equal(SageHeader, cells[0]);
        string[] row =
        [
            "HOP001", "Hope Works", "12 High Street", "Unit 4", "Leeds", "West Yorkshire, England", "LS1 4AP", "", "0113 496 0000", "", "", "", "", "",
            "GB980780684", "", "", "", "5000.00", "", "", "", "", "", "", "", "accounts@hope.example", "https://hope.example", "", "", "",
        ];
        Assert.Equal(row, cells[1]);
        Assert.Equal(2, cells.Count);
        // The layout has no country: what the package will hold, and so what this side reads from now on.
        Assert.Null(outcome.Stored!.Values[SyncFields.IndexOf("country")]);
        Assert.Equal("12 High Street, Unit 4, Leeds, West Yorkshire, England", outcome.Stored.Values[SyncFields.IndexOf("address")]);
        if (kind == "csv")
        {
            var bytes = await File.ReadAllBytesAsync(file, Cancel);
            Assert.Equal([0xEF, 0xBB, 0xBF], bytes[..3]);
            Assert.StartsWith("A/C,Name,Address Line 1,", Encoding.UTF8.GetString(bytes[3..]), StringComparison.Ordinal);
            Assert.Contains("\r\nHOP001,Hope Works,12 High Street,Unit 4,Leeds,\"West Yorkshire, England\",LS1 4AP,", Encoding.UTF8.GetString(bytes), StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task X4_UpdateWritesTheWholeXeroRow_AndReadsShowTheWrittenValues(string kind)
    {
        string[] header = ["*ContactName", "AccountNumber", "EmailAddress", "POAddressLine1", "POAddressLine2", "POAddressLine3", "POAddressLine4",
            "POCity", "PORegion", "POPostalCode", "POCountry", "PhoneNumber", "TaxNumber", "Website"];
        Export(kind, header, new Dictionary<string, string> { ["*ContactName"] = "Marlow Constructions", ["AccountNumber"] = "MAR001", ["POAddressLine1"] = "12 Builder St",
            ["POCity"] = "Parramatta", ["POPostalCode"] = "2150", ["POCountry"] = "AU", ["PhoneNumber"] = "02 9000 1111" });
        using var connector = Open(kind, "preset=xero");

        var outcome = Assert.Single(await connector.UpdateAsync(
            [new SyncUpdate("mar001", new Dictionary<string, string?> { ["phone"] = "02 9000 2222", ["credit-limit"] = "100.00" })], Cancel));

        Assert.True(outcome.Written, outcome.Reason);
        var cells = Cells(kind, Assert.Single(ImportFiles()));
        Assert.Equal(44, cells[0].Length);
        Assert.Equal(["*ContactName", "AccountNumber", "EmailAddress", "FirstName"], cells[0][..4]);
        Assert.Equal("PurchasesAccount", cells[0][^1]);
        var row = cells[0].Zip(cells[1]).Where(p => p.Second.Length > 0).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(new Dictionary<string, string>
        {
            ["*ContactName"] = "Marlow Constructions", ["AccountNumber"] = "MAR001", ["POAddressLine1"] = "12 Builder St",
            ["POAddressLine2"] = "Parramatta", ["POPostalCode"] = "2150", ["POCountry"] = "AU", ["PhoneNumber"] = "02 9000 2222",
        }, row);
        // Xero's layout has no credit limit: the side holds none, and says so.
        Assert.Null(outcome.Stored!.Values[SyncFields.IndexOf("credit-limit")]);
        using var again = Open(kind, "preset=xero");
        Assert.Equal("02 9000 2222", Assert.Single(await ReadAll(again)).Values[SyncFields.IndexOf("phone")]);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task S8_Files_AMappedColumn_IsReadFromTheExport_AndWrittenInTheImportFile_InEachFormat(string kind)
    {
        string[] header = ["*ContactName", "AccountNumber", "LegalName", "FirstName", "POAddressLine1", "POPostalCode", "POCountry", "PhoneNumber", "TaxNumber", "Website"];
        Export(kind, header, new Dictionary<string, string> { ["*ContactName"] = "Marlow", ["AccountNumber"] = "MAR001", ["LegalName"] = "Marlow Pty Ltd",
            ["FirstName"] = "m@marlow.example", ["PhoneNumber"] = "02 9000 1111" });
        var map = new FieldMap([new FieldMapping("department-name", "legalname"), new FieldMapping("email", "FirstName")]);
        using var connector = Open(kind, "preset=xero", map);

        var read = Assert.Single(await ReadAll(connector));
        Assert.Equal(map.Fields.Count, read.Values.Length);
        Assert.Equal("Marlow Pty Ltd", read.Values[map.IndexOf("department-name")]);
        Assert.Equal("m@marlow.example", read.Values[map.IndexOf("email")]);

        var outcome = Assert.Single(await connector.UpdateAsync(
            [new SyncUpdate("MAR001", new Dictionary<string, string?> { ["department-name"] = "Marlow Holdings", ["email"] = "a@marlow.example" })], Cancel));

        Assert.True(outcome.Written, outcome.Reason);
        var cells = Cells(kind, Assert.Single(ImportFiles()));
        var row = cells[0].Zip(cells[1]).Where(p => p.Second.Length > 0).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal("Marlow Holdings", row["LegalName"]);
        Assert.Equal("a@marlow.example", row["FirstName"]);
        Assert.False(row.ContainsKey("EmailAddress"));
        Assert.Equal("Marlow Holdings", outcome.Stored!.Values[map.IndexOf("department-name")]);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task X4_FormulasInWrittenCellsAreDefused(string kind)
    {
        Export(kind, SageExport);
        using var connector = Open(kind);

        var outcomes = await connector.CreateAsync(
            [Record("EVIL1", "=HYPERLINK(\"http://x.example\",\"pay\")", phone: "+44 20 7946 0000", email: "@SUM(1+1)"),
             Record("EVIL2", "Calc", phone: "+1+cmd|' /C calc'!A0")], Cancel);

        Assert.All(outcomes, o => Assert.True(o.Written, o.Reason));
        var file = Assert.Single(ImportFiles());
        if (kind == "csv")
        {
            var text = await File.ReadAllTextAsync(file, Cancel);
            Assert.Contains("EVIL1,\"'=HYPERLINK(\"\"http://x.example\"\",\"\"pay\"\")\",", text, StringComparison.Ordinal);
            Assert.Contains(",+44 20 7946 0000,", text, StringComparison.Ordinal); // a phone number runs nothing: the package gets it as it is
            Assert.Contains(",'+1+cmd|' /C calc'!A0,", text, StringComparison.Ordinal);
            Assert.Contains(",'@SUM(1+1),", text, StringComparison.Ordinal);
        }
        else
        {
            using var book = new XLWorkbook(file);
            var name = book.Worksheet(1).Cell(2, 2);
            Assert.False(name.HasFormula);
            Assert.Equal(XLDataType.Text, name.DataType);
            Assert.True(name.Style.IncludeQuotePrefix);
            Assert.Equal("=HYPERLINK(\"http://x.example\",\"pay\")", name.GetString());
            Assert.True(book.Worksheet(1).Cell(2, 9).Style.IncludeQuotePrefix);
        }
        // Read back (the state), the values are the record's own.
        using var again = Open(kind);
        var read = (await ReadAll(again)).OrderBy(r => r.Code, StringComparer.Ordinal).ToList();
        Assert.Equal("=HYPERLINK(\"http://x.example\",\"pay\")", read[0].Name);
        Assert.Equal("+44 20 7946 0000", read[0].Values[SyncFields.IndexOf("phone")]);
        Assert.Equal("+1+cmd|' /C calc'!A0", read[1].Values[SyncFields.IndexOf("phone")]);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task S19_AWriteThatFailsHalfwayLeavesNoFile_AndTheNextWriteIsWhole(string kind)
    {
        Export(kind, SageExport);
        using var connector = Open(kind);
        Assert.Empty(await ReadAll(connector));
        // The temporary file of the next write leads to a device that is always full: the write fails after its first buffer.
        var temporary = Path.Combine(_folder, ".concord", $"concord-20260301-090000-1.{kind}.tmp");
        File.CreateSymbolicLink(temporary, "/dev/full");
        var records = Enumerable.Range(1, 3000).Select(i => Record($"C{i:D5}", $"Customer number {i} with a longer name", phone: "031 123 4567")).ToList();

        var failure = await Assert.ThrowsAsync<ConnectorUnavailableException>(() => connector.CreateAsync(records, Cancel));

        Assert.Contains("cannot be written", failure.Message, StringComparison.Ordinal);
        Assert.Empty(ImportFiles());
        Assert.Empty(Directory.GetFiles(StateFolder));
        Assert.Empty(Directory.GetFiles(Path.Combine(_folder, ".concord")));
        Assert.Empty(await ReadAll(connector));

        var outcomes = await connector.CreateAsync(records, Cancel);
        Assert.All(outcomes, o => Assert.True(o.Written, o.Reason));
        Assert.Equal(3001, Cells(kind, Assert.Single(ImportFiles())).Count);
    }

    [Theory]
    [InlineData("csv")]
    [InlineData("xlsx")]
    public async Task S11_ARerunBeforeTheExportCaughtUpWritesNothingTwice(string kind)
    {
        Export(kind, SageExport);
        SyncRecord[] records = [Record("NEW1", "First New", phone: "031 1"), Record("NEW2", "Second New", vat: "GB123456727")];
        using (var first = Open(kind))
        {
            Assert.All(await first.CreateAsync(records, Cancel), o => Assert.True(o.Written, o.Reason));
            // Within the same run too: a second create of the same record is already done.
            Assert.All(await first.CreateAsync(records, Cancel), o => Assert.True(o.Written, o.Reason));
        }
        Assert.Single(ImportFiles());
        _clock.Advance(TimeSpan.FromMinutes(5));

        using var rerun = Open(kind);
        Assert.Equal(["NEW1", "NEW2"], (await ReadAll(rerun)).Select(r => r.Code));
        Assert.Equal("NEW2", Assert.Single(await rerun.FindByVatsAsync(["GB123456727"], Cancel)).Code);
        var again = await rerun.CreateAsync(records, Cancel);
        var unchanged = await rerun.UpdateAsync([new SyncUpdate("NEW1", new Dictionary<string, string?> { ["phone"] = "031 1" })], Cancel);
        var differing = Assert.Single(await rerun.CreateAsync([Record("NEW1", "Another name")], Cancel));

        Assert.All(again.Concat(unchanged), o => Assert.True(o.Written, o.Reason));
        Assert.False(differing.Written);
        Assert.Equal("code", differing.Field);
        Assert.Contains("import file Concord wrote", differing.Reason, StringComparison.Ordinal);
        Assert.Single(ImportFiles());
    }

    [Theory]
    [InlineData("csv", "deleted")]
    [InlineData("csv", "damaged")]
    [InlineData("xlsx", "deleted")]
    [InlineData("xlsx", "damaged")]
    public async Task S11_ACrashBetweenTheImportFileAndItsStateStillWritesNothingTwice(string kind, string state)
    {
        Export(kind, SageExport);
        SyncRecord[] records = [Record("NEW1", "First New"), Record("NEW2", "Second New")];
        using (var first = Open(kind))
        {
            await first.CreateAsync(records, Cancel);
        }
        var copy = Assert.Single(Directory.GetFiles(StateFolder));
        if (state == "deleted")
        {
            // As if the process died after renaming the import file and before its copy was made.
            File.Delete(copy);
        }
        else
        {
            var bytes = await File.ReadAllBytesAsync(copy, Cancel);
            await File.WriteAllBytesAsync(copy, bytes[..(bytes.Length / 2)], Cancel);
        }
        _clock.Advance(TimeSpan.FromMinutes(5));

        using var rerun = Open(kind);
        var outcomes = await rerun.CreateAsync(records, Cancel);

        Assert.All(outcomes, o => Assert.True(o.Written, o.Reason));
        Assert.Single(ImportFiles());
        Assert.Single(Directory.GetFiles(StateFolder));
        Assert.Equal(["NEW1", "NEW2"], (await ReadAll(rerun)).Select(r => r.Code));
    }

    [Fact]
    public async Task S11_OnceTheExportShowsTheWriteAndTheFileIsTaken_TheExportDecidesAgain()
    {
        var header = SageExport;
        Export("csv", header, new Dictionary<string, string> { ["A/C"] = "OLD1", ["Name"] = "Old One", ["Telephone"] = "031 1" });
        using (var first = Open("csv"))
        {
            await first.UpdateAsync([new SyncUpdate("OLD1", new Dictionary<string, string?> { ["phone"] = "031 2" })], Cancel);
        }
        // The package imported the file (a person moved it away); the export still predates the import.
        var imported = Assert.Single(ImportFiles());
        File.Move(imported, Path.Combine(_folder, "imported.csv"));
        using (var beforeExport = Open("csv"))
        {
            Assert.Equal("031 2", Assert.Single(await ReadAll(beforeExport)).Values[SyncFields.IndexOf("phone")]);
        }
        Assert.Single(Directory.GetFiles(StateFolder));

        // A new export, after the import, where someone has since changed the phone again in the package.
        Export("csv", header, new Dictionary<string, string> { ["A/C"] = "OLD1", ["Name"] = "Old One", ["Telephone"] = "031 3" });
        File.SetLastWriteTimeUtc(Path.Combine(_folder, "customers.csv"), DateTime.UtcNow.AddMinutes(1));
        using var afterExport = Open("csv");

        Assert.Equal("031 3", Assert.Single(await ReadAll(afterExport)).Values[SyncFields.IndexOf("phone")]);
        Assert.Empty(Directory.GetFiles(StateFolder));
    }

    [Fact]
    public async Task X4_AColumnMapFileAddsFixedColumnsOverAPreset()
    {
        var map = Path.Combine(_folder, "sage.map");
        await File.WriteAllTextAsync(map, "# our Sage: tax code T1 for new customers, and our own column\nDefault Tax Code = \"T1\"\nSource = \"Concord\"\n@separator ;\n", Cancel);
        Export("csv", SageExport);
        using var connector = Open("csv", $"preset=sage50;map={map}");

        await connector.CreateAsync([Record("NEW1", "First New")], Cancel);

        var lines = (await File.ReadAllTextAsync(Assert.Single(ImportFiles()), Cancel)).Split("\r\n");
        Assert.Equal(string.Join(";", [.. SageHeader, "Source"]), lines[0]);
        var row = Enumerable.Repeat("", 32).ToArray();
        (row[0], row[1], row[18], row[23], row[31]) = ("NEW1", "First New", "0.00", "T1", "Concord");
        Assert.Equal(string.Join(";", row), lines[1]);
    }

    [Theory]
    [InlineData("Name = nickname\n", "line 1 ('Name = nickname') names 'nickname', which is not a synced field")]
    [InlineData("Name = name\n", "needs exactly one column for code")]
    [InlineData("@decimal ,\nA = code\nB = name\n", "line 1 ('@decimal ,') is not an option")]
    public void X4_ABadColumnMapIsRefusedNamingTheLine(string map, string reason)
    {
        var path = Path.Combine(_folder, "bad.map");
        File.WriteAllText(path, map);
        var error = Assert.Throws<UserError>(() => new FileConnectorKind(new CsvTable()).Parse(ConnectorSettings.Of("connection books", $"csv:{_folder};map={path}")));
        Assert.Contains("map=: the column map", error.Message, StringComparison.Ordinal);
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("A/C,Telephone\r\nX1,031\r\n", "file customers.csv column 'Name': is missing; the layout preset sage50 reads the name from it")]
    [InlineData("A/C,Name\r\nX1,One\r\n,Two\r\n", "line 3: file customers.csv column A 'A/C': is empty; every customer needs a code")]
    [InlineData("A/C,Name\r\nX1,One\r\nX2,\r\n", "line 3: file customers.csv column B 'Name': is empty; every customer needs a name")]
    [InlineData("A/C,Name,Credit Limit\r\nX1,One,lots\r\n", "line 2: file customers.csv column C 'Credit Limit': 'lots' is not an amount")]
    [InlineData("Name,A/C\r\nOne,X1\r\nTwo,x1\r\n", "line 3: file customers.csv column 'A/C': 'x1' is the code of line 2 too")]
    [InlineData("A/C,Name\r\nX1,\"One\r\n", "line 2: file customers.csv: has a quoted value that is never closed")]
    public async Task X4_ABadExportIsAnErrorNamingFileLineAndColumn(string csv, string message)
    {
        var columns = "Address Line 1,Address Line 2,Address Line 3,Address Line 4,Address Line 5,VAT Number,E-mail,Web Address";
        var lines = csv.Split("\r\n");
        lines[0] += lines[0].Contains("Name", StringComparison.Ordinal) ? "," + columns + (lines[0].Contains("Credit", StringComparison.Ordinal) ? "" : ",Credit Limit") + ",Telephone" : "";
        WriteExport("customers.csv", string.Join("\r\n", lines));
        using var connector = Open("csv");

        var error = await Assert.ThrowsAsync<UserError>(() => ReadAll(connector));

        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task S14_AMissingExportOrFolderSaysWhatToDo()
    {
        using var noExport = Open("csv");
        var missing = await Assert.ThrowsAsync<ConnectorUnavailableException>(() => ReadAll(noExport));
        Assert.Contains("customers.csv is not there", missing.Message, StringComparison.Ordinal);
        Assert.Contains("export the customer list", missing.Remedy, StringComparison.Ordinal);
        Directory.Delete(_folder);
        using var noFolder = Open("csv");
        var gone = await Assert.ThrowsAsync<ConnectorUnavailableException>(() => ReadAll(noFolder));
        Assert.Contains("does not exist", gone.Message, StringComparison.Ordinal);
        Directory.CreateDirectory(_folder);
    }
}
