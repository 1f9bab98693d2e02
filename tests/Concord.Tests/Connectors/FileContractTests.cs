using ClosedXML.Excel;

namespace Concord.Tests.Connectors;

/// <summary>
/// The connector contract against an exchange folder (X4), in CSV and in XLSX: files in Concord's
/// own layout, so that every synced field travels; the package's export starts with its header only.
/// </summary>
public abstract class FileContractTests : ConnectorContractTests
{
    public sealed class Csv() : FileContractTests("csv");

    public sealed class Xlsx() : FileContractTests("xlsx");

    private static readonly string[] Header = ["code", "name", "vat", "phone", "email", "web-site", "address", "postcode", "country", "credit-limit"];

    private readonly string _kind;
    private readonly string _folder;

    protected FileContractTests(string kind)
    {
        _kind = kind;
        _folder = Path.Combine(Store.DataDirectory, "exchange books");
        Export(_folder, Header, []);
    }

    /// <summary>An export with this header and rows, in this test's format.</summary>
    private void Export(string folder, string[] header, string[][] rows)
    {
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, $"customers.{_kind}");
        if (_kind == "csv")
        {
            File.WriteAllLines(path, [string.Join(",", header), .. rows.Select(r => string.Join(",", r))]);
            return;
        }
        using var book = new XLWorkbook();
        var sheet = book.AddWorksheet("Customers");
        foreach (var (row, r) in new[] { header }.Concat(rows).Select((row, r) => (row, r)))
        {
            for (var c = 0; c < row.Length; c++)
            {
                sheet.Cell(r + 1, c + 1).SetValue(row[c]);
            }
        }
        book.SaveAs(path);
    }

    protected override string Accounting => $"{_kind}:{_folder};company=Exchange Books";

    /// <summary>An export that is not a customer list in the layout: the side cannot be read, and says which file.</summary>
    protected override string Refused()
    {
        var folder = Path.Combine(Store.DataDirectory, "other package");
        Export(folder, ["Account", "Description"], [["A1", "First"]]);
        return $"{_kind}:{folder}";
    }

    protected override string RefusalNames => $"file customers.{_kind} column 'code': is missing";

    protected override string Unreachable => $"{_kind}:/nonexistent/concord-exchange";

    protected override string UnreachableNames => "/nonexistent/concord-exchange";
}
