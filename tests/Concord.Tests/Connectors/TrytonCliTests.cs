using Concord.Store;
using Concord.Tests.Support;

namespace Concord.Tests.Connectors;

/// <summary>`concord` syncing to the real trytond of the test command (X2, S1), as a person runs it.</summary>
[Collection(TrytonServer.Collection)]
public sealed class TrytonCliTests(TrytonServer server) : StoreTest(StoreKind.Sqlite)
{
    private const string Company = "Concord Test Company";

    [Fact]
    public async Task X2_SyncThroughTheCli_PreviewsNamesTheCompanyCreatesOnceAndNeverShowsThePassword()
    {
        var (code, vat) = (TrytonServer.UniqueCode("CLI"), TrytonServer.UniqueSouthAfricanVat());
        const string name = "Hope Works (Pty) Ltd";
        var options = server.FreshDatabase();
        AddSite();
        Ok("ledger", "reference", "add", "country", "ZA", "--name", "South Africa");
        Ok("customers", "add", code, "--site", "Durban", "--kind", "account", "--name", name,
            "--vat", vat[2..], "--country", "ZA", "--phone", "031 123 4567", "--credit-limit", "5000");
        var outputs = new List<CliResult>
        {
            Ok("connections", "add", "books", "--site", "Durban", "--direction", "to-accounting",
                "--accounting", TrytonServer.Setting(options)),
            Ok("connections", "show", "books"),
        };

        var preview = Ok("sync", "preview", "books", "--json");
        outputs.Add(preview);
        Assert.Equal(Company, preview.Json.GetProperty("company").GetString());
        Assert.Equal(1, preview.Json.GetProperty("summary").GetProperty("createInAccounting").GetInt32());

        var first = Ok("sync", "run", "books", "--yes", "--company", Company, "--json");
        var second = Ok("sync", "run", "books", "--yes", "--company", Company, "--json");
        outputs.AddRange([first, second]);
        Assert.Equal(1, first.Json.GetProperty("created").GetInt32());
        // What was written reads back the same: the second run has nothing to do.
        Assert.Equal((0, 0, 0), (second.Json.GetProperty("created").GetInt32(), second.Json.GetProperty("updated").GetInt32(), second.Json.GetProperty("errors").GetInt32()));

        using var tryton = new Concord.Connectors.Tryton.TrytonConnector(options);
        var stored = Assert.Single(await tryton.FindByVatsAsync([vat], TestContext.Current.CancellationToken));
        Assert.Equal((code, name, "031 123 4567", "5000.00"), (stored.Code, stored.Name, stored.Values[2], stored.Values[8]));
        Assert.All(outputs, o => Assert.DoesNotContain(options.Password, o.Stdout + o.Stderr, StringComparison.Ordinal));
    }
}
