using Concord.Tests.GnuCash;

namespace Concord.Tests.Connectors;

/// <summary>The connector contract against a real GnuCash book (X3), made by GnuCash's engine for each test.</summary>
public sealed class GnuCashContractTests : ConnectorContractTests, IDisposable
{
    private readonly GnuCashTestBook _book = GnuCashTestBook.Make(company: "Hope Trading (Pty) Ltd", empty: true);
    private readonly string _folder = Directory.CreateTempSubdirectory("concord-gnucash-").FullName;

    protected override string Accounting => $"gnucash:{_book.Path}";

    /// <summary>A book in GnuCash's default XML format: Concord takes SQLite books only, and says how to convert it.</summary>
    protected override string Refused()
    {
        var xml = Path.Combine(_folder, "books.gnucash");
        File.WriteAllBytes(xml, [0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 3, .. new byte[600]]);
        return $"gnucash:{xml}";
    }

    protected override string RefusalNames => "is not a GnuCash book in SQLite format";

    protected override string Unreachable => "gnucash:/nonexistent/concord-books/shop.gnucash";

    protected override string UnreachableNames => "/nonexistent/concord-books/shop.gnucash";

    void IDisposable.Dispose()
    {
        Dispose();
        _book.Dispose();
        Directory.Delete(_folder, recursive: true);
    }
}
