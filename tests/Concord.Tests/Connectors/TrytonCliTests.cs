using System.Text.Json.Nodes;
using Concord.Connectors.Tryton;
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

    [Fact]
    public void Security_TheTrytonPassword_IsNowhereInTheStoreTheOutputOrTheAudit_AfterAFailingAndASucceedingRun()
    {
        var options = server.FreshDatabase();
        var wrong = options with { Password = "Wr0ng-Tryton-Secret-2b9f" };
        AddSite();
        Ok("ledger", "reference", "add", "country", "ZA", "--name", "South Africa");
        Ok("customers", "add", TrytonServer.UniqueCode("SEC"), "--site", "Durban", "--kind", "account", "--name", "Secret Keepers", "--country", "ZA");
        var outputs = new List<CliResult>
        {
            Ok("connections", "add", "bad", "--site", "Durban", "--accounting", TrytonServer.Setting(wrong)),
            Ok("connections", "add", "good", "--site", "Durban", "--accounting", TrytonServer.Setting(options)),
            Concord("sync", "run", "bad", "--yes", "--company", Company),
            Concord("sync", "run", "good", "--yes", "--company", Company, "--json"),
            Ok("connections", "show", "bad", "--json"),
            Ok("connections", "list", "--wide"),
            Ok("sync", "history", "bad"),
            Ok("audit", "list", "--json"),
        };

        Assert.True(outputs[2].Exit == 1 && outputs[2].Stderr.Contains(options.User, StringComparison.Ordinal), outputs[2].ToString());
        Assert.True(outputs[3].Exit == 0, outputs[3].ToString());
        var stored = Store.StoredText();
        foreach (var secret in new[] { wrong.Password, options.Password })
        {
            Assert.All(outputs, o => Assert.DoesNotContain(secret, o.Stdout + o.Stderr, StringComparison.Ordinal));
            Assert.DoesNotContain(secret, stored, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task S8_Tryton_ACustomFieldMapped_IsWrittenToThePartyField_AndReadBack()
    {
        // siren: a text field party_siret adds to the party (scripts/tryton.sh activates it); Tryton checks it is a valid SIREN.
        var code = TrytonServer.UniqueCode("MAP");
        var options = server.FreshDatabase();
        AddSite();
        Ok("ledger", "reference", "add", "country", "ZA", "--name", "South Africa");
        Ok("customers", "add", code, "--site", "Durban", "--kind", "account", "--name", "Cele Hardware", "--country", "ZA", "--department-name", "732829320");
        Ok("connections", "add", "books", "--site", "Durban", "--accounting", TrytonServer.Setting(options));
        Ok("connections", "map", "books", "department-name", "siren");
        using var client = new TrytonClient(options);

        Ok("sync", "run", "books", "--yes", "--company", Company);
        Assert.Equal("732829320", await SirenAsync(client, code));

        Ok("customers", "edit", code, "--department-name", "552100554");
        var update = Ok("sync", "run", "books", "--yes", "--company", Company, "--json").Json;
        Assert.Equal(1, update.GetProperty("updated").GetInt32());
        Assert.Equal("552100554", await SirenAsync(client, code));

        // Read back: as written, nothing to do; changed in Tryton, it comes to the customer.
        var again = Ok("sync", "run", "books", "--yes", "--company", Company, "--json").Json;
        Assert.Equal((0, 0), (again.GetProperty("created").GetInt32(), again.GetProperty("updated").GetInt32()));
        await client.ModelAsync("party.party", "write", writes: true, TestContext.Current.CancellationToken,
            new JsonArray(await PartyIdAsync(client, code)), new JsonObject { ["siren"] = "356000000" });
        Ok("sync", "run", "books", "--yes", "--company", Company);
        Assert.Equal("356000000", Ok("customers", "show", code, "--json").Json.GetProperty("departmentName").GetString());
    }

    [Fact]
    public void S8_Tryton_AnUnknownTarget_IsRefusedNamingTheField()
    {
        var options = server.FreshDatabase();
        AddSite();
        Ok("ledger", "reference", "add", "country", "ZA", "--name", "South Africa");
        Ok("customers", "add", TrytonServer.UniqueCode("MAP"), "--site", "Durban", "--kind", "account", "--name", "Cele Hardware", "--country", "ZA", "--department-name", "Workshop");
        Ok("connections", "add", "books", "--site", "Durban", "--accounting", TrytonServer.Setting(options));
        Ok("connections", "map", "books", "department-name", "frobnicate");

        var refused = Concord("sync", "run", "books", "--yes", "--company", Company);

        Assert.True(refused.Exit != 0, refused.ToString());
        Assert.Contains("connection books field map department-name: Tryton has no text field 'frobnicate'", refused.Stderr, StringComparison.Ordinal);
        // It names the fields it could take (siren, from party_siret), not Concord's own (name, code) nor read-only ones (full_name).
        Assert.Contains("its fields are siren", refused.Stderr, StringComparison.Ordinal);
        Assert.Contains("connections map books department-name FIELD", refused.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(options.Password, refused.Stdout + refused.Stderr, StringComparison.Ordinal);

        // A synced field has its own place in Tryton: sent elsewhere, it is refused by name before Tryton is asked.
        Ok("connections", "map", "books", "department-name", "siren");
        Ok("connections", "map", "books", "email", "siren");
        var standard = Concord("sync", "run", "books", "--yes", "--company", Company);
        Assert.Contains("connection books field map email: Tryton keeps email", standard.Stderr, StringComparison.Ordinal);
    }

    private static async Task<int> PartyIdAsync(TrytonClient client, string code) =>
        (await client.SearchReadAsync("party.party", [new JsonArray("code", "=", code)], 0, 1, null, ["id"], inactive: true, TestContext.Current.CancellationToken))
            .Single()!["id"]!.GetValue<int>();

    private static async Task<string?> SirenAsync(TrytonClient client, string code) =>
        TrytonJson.ToText((await client.SearchReadAsync("party.party", [new JsonArray("code", "=", code)], 0, 1, null, ["siren"], inactive: true, TestContext.Current.CancellationToken))
            .Single()!["siren"]);
}
