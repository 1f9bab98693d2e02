namespace Concord.Tests.Connectors;

/// <summary>
/// The connector contract against an exchange folder (X4): CSV files in Concord's own layout, so that
/// every synced field travels; the package's export starts with its header only.
/// </summary>
public sealed class FileContractTests : ConnectorContractTests
{
    private readonly string _folder;

    public FileContractTests()
    {
        _folder = Path.Combine(Store.DataDirectory, "exchange books");
        Directory.CreateDirectory(_folder);
        File.WriteAllText(Path.Combine(_folder, "customers.csv"), "code,name,vat,phone,email,web-site,address,postcode,country,credit-limit\r\n");
    }

    protected override string Accounting => $"csv:{_folder};company=Exchange Books";

    /// <summary>An export that is not a customer list in the layout: the side cannot be read, and says which file.</summary>
    protected override string Refused()
    {
        var folder = Path.Combine(Store.DataDirectory, "other package");
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "customers.csv"), "Account;Description\r\nA1;First\r\n");
        return $"csv:{folder}";
    }

    protected override string RefusalNames => "file customers.csv column 'code': is missing";

    protected override string Unreachable => "csv:/nonexistent/concord-exchange";

    protected override string UnreachableNames => "/nonexistent/concord-exchange";
}
