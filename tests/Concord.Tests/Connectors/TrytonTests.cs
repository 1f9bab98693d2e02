using System.Text.Json.Nodes;
using Concord.Connectors.Tryton;
using Concord.Core.Connectors;
using Microsoft.Data.Sqlite;
using Concord.Tests.Support;

namespace Concord.Tests.Connectors;

/// <summary>The Tryton connector (X2) against the real trytond of the test command; each test makes its own parties.</summary>
[Collection(TrytonServer.Collection)]
public sealed class TrytonTests(TrytonServer server)
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    [Fact]
    public async Task X2_CreateManyInOneCall_ReadsEveryFieldBack()
    {
        using var tryton = server.Connect();
        var records = Enumerable.Range(0, 3).Select(i => TrytonServer.Customer(TrytonServer.UniqueCode(), $"Hope Works {i} (Pty) Ltd",
            TrytonServer.UniqueSouthAfricanVat(), "031 123 4567", $"accounts{i}@hopeworks.co.za", "www.hopeworks.co.za",
            "12 Smith Street, Durban", "4001", "ZA", "5000.00")).ToList();

        var outcomes = await tryton.CreateAsync(records, Cancel);

        Assert.All(outcomes, o => Assert.True(o.Written, o.Reason));
        Assert.Equal(records.Select(r => r.Code), outcomes.Select(o => o.Code));
        var found = (await tryton.FindByCodesAsync([.. records.Select(r => r.Code.ToLowerInvariant())], Cancel)).ToDictionary(r => r.Code);
        foreach (var (record, outcome) in records.Zip(outcomes))
        {
            Assert.Equal(record.Values, found[record.Code].Values);
            Assert.Equal(record.Values, outcome.Stored!.Values);
            Assert.True(found[record.Code].Active);
            Assert.NotNull(found[record.Code].Modified);
        }
    }

    [Fact]
    public async Task X2_NoCodeGiven_TrytonChoosesOneAndTheOutcomeCarriesIt()
    {
        using var tryton = server.Connect();
        var name = "Derton Technologies " + TrytonServer.UniqueCode();

        var outcome = Assert.Single(await tryton.CreateAsync([TrytonServer.Customer("", name)], Cancel));

        Assert.True(outcome.Written, outcome.Reason);
        Assert.False(string.IsNullOrEmpty(outcome.Code));
        Assert.Equal(outcome.Code, outcome.Stored!.Code);
        var found = Assert.Single(await tryton.FindByCodesAsync([outcome.Code], Cancel));
        Assert.Equal(name, found.Name);
    }

    [Fact]
    public async Task X2_UpdateOfEachField_IsStoredAndBlanksRemoveIt()
    {
        using var tryton = server.Connect();
        var code = TrytonServer.UniqueCode();
        await tryton.CreateAsync([TrytonServer.Customer(code, "Titan Group", TrytonServer.UniqueSouthAfricanVat(), "031 852 9632",
            "info@titan.co.za", "www.titan.co.za", "1 Main Road, Durban", "4001", "ZA", "1000.00")], Cancel);
        var changed = new Dictionary<string, string?>
        {
            ["name"] = "Titan Group Ltd", ["vat"] = TrytonServer.UniqueBelgianVat(), ["phone"] = "+32 2 123 45 67",
            ["email"] = "ar@titan.be", ["web-site"] = "https://titan.be", ["address"] = "Rue de la Loi 16, Brussels",
            ["postcode"] = "1000", ["country"] = "BE", ["credit-limit"] = "75000.00",
        };

        var outcome = Assert.Single(await tryton.UpdateAsync([new SyncUpdate(code, changed)], Cancel));

        Assert.True(outcome.Written, outcome.Reason);
        var stored = Assert.Single(await tryton.FindByCodesAsync([code], Cancel));
        Assert.Equal(changed, stored.ToDictionary());
        Assert.Equal(changed, outcome.Stored!.ToDictionary());

        var blanks = new Dictionary<string, string?> { ["vat"] = null, ["phone"] = null, ["email"] = null, ["web-site"] = null, ["credit-limit"] = "0.00" };
        Assert.True(Assert.Single(await tryton.UpdateAsync([new SyncUpdate(code, blanks)], Cancel)).Written);
        var cleared = Assert.Single(await tryton.FindByCodesAsync([code], Cancel)).ToDictionary();
        Assert.All(blanks, b => Assert.Equal(b.Value, cleared[b.Key]));
        Assert.Equal("Titan Group Ltd", cleared["name"]);
    }

    [Fact]
    public async Task X2_SouthAfricanVat_IsWrittenUntypedAndFoundByTheNormalisedNumber()
    {
        using var tryton = server.Connect();
        var (code, vat) = (TrytonServer.UniqueCode(), TrytonServer.UniqueSouthAfricanVat());
        Assert.True(Assert.Single(await tryton.CreateAsync([TrytonServer.Customer(code, vat: vat, country: "ZA")], Cancel)).Written);

        var identifier = Assert.Single(await Identifiers(code));
        Assert.Equal(vat, identifier!["code"]!.GetValue<string>());
        Assert.Null(identifier["type"]?.GetValue<string>());
        Assert.Equal(code, Assert.Single(await tryton.FindByVatsAsync([vat], Cancel)).Code);

        // Typed in Tryton by a person without the country prefix: found by the normalised number all the same.
        var (typed, bare) = (TrytonServer.UniqueCode(), TrytonServer.UniqueSouthAfricanVat());
        await CreateInTryton(new JsonObject
        {
            ["name"] = "Typed in Tryton", ["code"] = typed,
            ["identifiers"] = Create(new JsonObject { ["code"] = bare[2..] }),
            ["addresses"] = Create(new JsonObject { ["country"] = await CountryId("ZA") }),
        });
        var found = Assert.Single(await tryton.FindByVatsAsync([bare], Cancel));
        Assert.Equal((typed, bare), (found.Code, found.Vat));

        // Typed with spaces (Tryton keeps an untyped identifier as typed): found by the normalised number, so an incremental run creates no second party.
        var (spacedCode, spaced) = (TrytonServer.UniqueCode(), TrytonServer.UniqueSouthAfricanVat());
        await CreateInTryton(new JsonObject
        {
            ["name"] = "Spaced in Tryton", ["code"] = spacedCode,
            ["identifiers"] = Create(new JsonObject { ["code"] = $"{spaced[..2]} {spaced[2..6]} {spaced[6..9]}-{spaced[9..]}" }),
            ["addresses"] = Create(new JsonObject { ["country"] = await CountryId("ZA") }),
        });
        using var fresh = server.Connect(); // a new run: the typed identifiers are read once per run
        var both = await fresh.FindByVatsAsync([spaced, bare], Cancel);
        Assert.Equal(new[] { (bare, typed), (spaced, spacedCode) }.Order(), both.Select(r => (r.Vat!, r.Code)).Order());
    }

    [Fact]
    public async Task X2_EuropeanVat_IsWrittenAsEuVat()
    {
        using var tryton = server.Connect();
        var (code, vat) = (TrytonServer.UniqueCode(), TrytonServer.UniqueBelgianVat());
        Assert.True(Assert.Single(await tryton.CreateAsync([TrytonServer.Customer(code, vat: vat, country: "BE")], Cancel)).Written);

        Assert.Equal("eu_vat", Assert.Single(await Identifiers(code))!["type"]!.GetValue<string>());
        Assert.Equal(code, Assert.Single(await tryton.FindByVatsAsync([vat], Cancel)).Code);
    }

    [Fact]
    public async Task X2_ChangeCursor_SeesAPhoneChangedOnTheContactMechanismAlone()
    {
        using var tryton = server.Connect();
        var (changed, unchanged) = (TrytonServer.UniqueCode(), TrytonServer.UniqueCode());
        await tryton.CreateAsync([TrytonServer.Customer(changed, phone: "031 000 0001"), TrytonServer.Customer(unchanged, phone: "031 000 0002")], Cancel);
        var cursor = await tryton.CurrentCursorAsync(Cancel);
        Assert.NotNull(cursor);

        using (var admin = server.Admin())
        {
            var phone = (JsonObject)(await admin.SearchReadAsync("party.contact_mechanism",
                [new JsonArray("party.code", "=", changed), new JsonArray("type", "=", "phone")], 0, 1, null, ["id"], inactive: true, Cancel))[0]!;
            await admin.ModelAsync("party.contact_mechanism", "write", true, Cancel, new JsonArray(phone["id"]!.GetValue<int>()), new JsonObject { ["value"] = "031 999 9999" });
        }

        var changes = new List<SyncRecord>();
        await foreach (var record in tryton.ReadChangesAsync(cursor, Cancel))
        {
            changes.Add(record);
        }
        Assert.Equal("031 999 9999", Assert.Single(changes, r => r.Code == changed).Values[2]);
        Assert.DoesNotContain(changes, r => r.Code == unchanged);
        Assert.True(string.CompareOrdinal(await tryton.CurrentCursorAsync(Cancel), cursor) > 0);
    }

    [Fact]
    public async Task X2_S13_ChangeCursor_AWriteStampedBeforeTheCursorButCommittedAfterIt_IsStillRead()
    {
        var options = server.FreshDatabase();
        var file = Path.Combine(Path.GetDirectoryName(server.DatabaseFile)!, options.Database + ".sqlite");
        using var tryton = new TrytonConnector(options);
        var code = TrytonServer.UniqueCode();
        Assert.True(Assert.Single(await tryton.CreateAsync([TrytonServer.Customer(code, name: "Old Name", phone: "031 000 0003", country: "ZA")], Cancel)).Written);
        // Last written long before the run: outside the window the cursor keeps of the parties it has seen.
        const string LongAgo = "2026-01-05 08:00:00.000000";
        Assert.Equal(1, await SqlAsync(file, $"UPDATE party_party SET create_date = '{LongAgo}', write_date = '{LongAgo}' WHERE code = '{code}'"));
        foreach (var table in new[] { "party_address", "party_identifier", "party_contact_mechanism" })
        {
            await SqlAsync(file, $"UPDATE {table} SET create_date = '{LongAgo}', write_date = '{LongAgo}' WHERE party = (SELECT id FROM party_party WHERE code = '{code}')");
        }
        var cursor = (await tryton.CurrentCursorAsync(Cancel))!;

        // A transaction that began a minute before the cursor was taken commits after it: Tryton stamps its write with its start.
        var latest = DateTime.ParseExact(cursor.Split('|')[0], "yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
        var stamp = (latest - TimeSpan.FromMinutes(1)).ToString("yyyy-MM-dd HH:mm:ss.ffffff", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(1, await SqlAsync(file, $"UPDATE party_party SET name = 'Late Name', write_date = '{stamp}' WHERE code = '{code}'"));

        var changes = new List<SyncRecord>();
        await foreach (var record in tryton.ReadChangesAsync(cursor, Cancel))
        {
            changes.Add(record);
        }
        Assert.Equal("Late Name", Assert.Single(changes, r => r.Code == code).Name);
    }

    /// <summary>Changes a Tryton database behind trytond's back; returns the rows changed.</summary>
    private static async Task<int> SqlAsync(string file, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False;Default Timeout=10");
        await connection.OpenAsync(Cancel);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(Cancel);
    }

    [Fact]
    public async Task X2_CreateWithoutACreditLimit_ReportsTrytonsDefaultAndWithOneTheLimitSent()
    {
        // The read-back leaves out the credit limits it sent (costly to read): one not sent must still be read.
        var options = server.FreshDatabase();
        using (var admin = new TrytonClient(options))
        {
            await admin.ModelAsync("account.configuration", "write", writes: true, Cancel,
                new JsonArray(1), new JsonObject { ["default_credit_limit_amount"] = TrytonJson.Decimal(250m) });
        }
        using var tryton = new TrytonConnector(options);
        var (without, with) = (TrytonServer.Customer(TrytonServer.UniqueCode()), TrytonServer.Customer(TrytonServer.UniqueCode(), creditLimit: "100.50"));

        var outcomes = await tryton.CreateAsync([without, with], Cancel);

        Assert.All(outcomes, o => Assert.True(o.Written, o.Reason));
        Assert.Equal(["250.00", "100.50"], outcomes.Select(o => o.Stored!.ToDictionary()["credit-limit"]));
        var found = (await tryton.FindByCodesAsync([without.Code, with.Code], Cancel)).ToDictionary(r => r.Code);
        Assert.Equal(found[without.Code].Values, outcomes[0].Stored!.Values);
        Assert.Equal(found[with.Code].Values, outcomes[1].Stored!.Values);
    }

    [Fact]
    public async Task X2_ReadAll_StreamsEveryPartyButTheCompany()
    {
        using var tryton = server.Connect();
        var code = TrytonServer.UniqueCode();
        await tryton.CreateAsync([TrytonServer.Customer(code)], Cancel);
        var company = await tryton.CompanyNameAsync(Cancel);

        var all = new List<SyncRecord>();
        await foreach (var record in tryton.ReadAllAsync(Cancel))
        {
            all.Add(record);
        }
        Assert.Single(all, r => r.Code == code);
        Assert.DoesNotContain(all, r => r.Name == company);
        Assert.Equal("Concord Test Company", company);
    }

    [Fact]
    public async Task X2_BatchWithRefusedRecords_CreatesTheOthersAndNamesTheField()
    {
        using var tryton = server.Connect();
        var taken = TrytonServer.UniqueCode();
        await tryton.CreateAsync([TrytonServer.Customer(taken)], Cancel);
        var records = Enumerable.Range(0, 9).Select(_ => TrytonServer.Customer(TrytonServer.UniqueCode(), vat: TrytonServer.UniqueSouthAfricanVat(), country: "ZA")).ToList();
        records[2] = TrytonServer.Customer(taken);
        records[6] = TrytonServer.Customer(TrytonServer.UniqueCode(), country: "XQ");

        var outcomes = await tryton.CreateAsync(records, Cancel);

        Assert.Equal(records.Select(r => r.Code), outcomes.Select(o => o.Code));
        Assert.Equal(("code", false), (outcomes[2].Field, outcomes[2].Written));
        Assert.Contains("unique", outcomes[2].Reason, StringComparison.Ordinal);
        Assert.Equal(("country", false), (outcomes[6].Field, outcomes[6].Written));
        var others = records.Where((_, i) => i is not (2 or 6)).Select(r => r.Code).ToList();
        Assert.All(outcomes.Where((_, i) => i is not (2 or 6)), o => Assert.True(o.Written, o.Reason));
        Assert.Equal(others.Order(), (await tryton.FindByCodesAsync(others, Cancel)).Select(r => r.Code).Order());
    }

    [Fact]
    public async Task X2_UpdateOfAMissingCode_IsRefusedAlone()
    {
        using var tryton = server.Connect();
        var code = TrytonServer.UniqueCode();
        await tryton.CreateAsync([TrytonServer.Customer(code)], Cancel);

        var outcomes = await tryton.UpdateAsync([
            new SyncUpdate("NO-SUCH-" + code, new Dictionary<string, string?> { ["name"] = "x" }),
            new SyncUpdate(code, new Dictionary<string, string?> { ["name"] = "Renamed" }),
        ], Cancel);

        Assert.Equal(("code", false), (outcomes[0].Field, outcomes[0].Written));
        Assert.True(outcomes[1].Written, outcomes[1].Reason);
        Assert.Equal("Renamed", Assert.Single(await tryton.FindByCodesAsync([code], Cancel)).Name);
    }

    [Fact]
    public async Task S14_WrongPassword_NamesTheUserAndNeverThePassword()
    {
        var (login, password) = await NewUser();
        var wrong = password + "x";
        using var tryton = new TrytonConnector(server.Options with { User = login, Password = wrong });

        var error = await Assert.ThrowsAsync<ConnectorUnavailableException>(() => tryton.CompanyNameAsync(Cancel));

        Assert.Contains($"'{login}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("password", error.Remedy, StringComparison.Ordinal);
        Assert.Contains(server.Options.Url.ToString().TrimEnd('/'), error.Message, StringComparison.Ordinal);
        AssertNoSecret(error, wrong, password, server.Options.Password);
    }

    [Fact]
    public async Task S14_UnreachableServer_NamesTheUrl()
    {
        var url = new Uri($"http://127.0.0.1:{Loopback.FreePort()}");
        using var tryton = new TrytonConnector(server.Options with { Url = url });

        var error = await Assert.ThrowsAsync<ConnectorUnavailableException>(() => tryton.CompanyNameAsync(Cancel));

        Assert.Contains(url.ToString().TrimEnd('/'), error.Message, StringComparison.Ordinal);
        Assert.Contains("start trytond", error.Remedy, StringComparison.Ordinal);
        AssertNoSecret(error, server.Options.Password);
    }

    [Fact]
    public async Task S14_UnknownDatabase_NamesItAndTheSettingToCorrect()
    {
        using var tryton = new TrytonConnector(server.Options with { Database = "no_such_books" });

        var error = await Assert.ThrowsAsync<ConnectorUnavailableException>(() => tryton.CompanyNameAsync(Cancel));

        Assert.Contains("no_such_books", error.Message, StringComparison.Ordinal);
        Assert.Contains("database=", error.Remedy, StringComparison.Ordinal);
        AssertNoSecret(error, server.Options.Password);
    }

    [Fact]
    public async Task S14_AccessRefused_NamesWhatAndWhatToGrant()
    {
        var (login, password) = await NewUser();
        using var tryton = new TrytonConnector(server.Options with { User = login, Password = password });

        var error = await Assert.ThrowsAsync<ConnectorUnavailableException>(() =>
            tryton.CreateAsync([TrytonServer.Customer(TrytonServer.UniqueCode(), creditLimit: "100.00")], Cancel));

        Assert.Contains("Credit Limit Amount", error.Message, StringComparison.Ordinal);
        Assert.Contains($"'{login}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("group 'Credit Limit'", error.Remedy, StringComparison.Ordinal);
        AssertNoSecret(error, password);
    }

    [Fact]
    public async Task S19_TimeOutAfterSending_IsAnUncertainWriteSettledByReadingBack()
    {
        using var tryton = new TrytonConnector(server.Options with { Timeout = TimeSpan.FromSeconds(1.5) });
        // Logged in, company and countries known: the only call left is the write itself.
        await tryton.CreateAsync([TrytonServer.Customer(TrytonServer.UniqueCode(), country: "ZA")], Cancel);
        var code = TrytonServer.UniqueCode();

        // Tryton's database held by another writer for longer than the time-out: the request is sent, no answer comes in time.
        await using (var holder = new SqliteConnection($"Data Source={server.DatabaseFile};Pooling=False"))
        {
            await holder.OpenAsync(Cancel);
            await using var begin = holder.CreateCommand();
            begin.CommandText = "BEGIN IMMEDIATE";
            await begin.ExecuteNonQueryAsync(Cancel);
            var error = await Assert.ThrowsAsync<UncertainWriteException>(() => tryton.CreateAsync([TrytonServer.Customer(code, country: "ZA")], Cancel));
            Assert.Contains("may or may not", error.Message, StringComparison.Ordinal);
            await using var rollback = holder.CreateCommand();
            rollback.CommandText = "ROLLBACK";
            await rollback.ExecuteNonQueryAsync(Cancel);
        }

        // Tryton went on once the database was free: reading back by code finds what the time-out hid.
        using var reader = server.Connect();
        IReadOnlyList<SyncRecord> found = [];
        for (var wait = 0; wait < 40 && found.Count == 0; wait++)
        {
            await Task.Delay(250, Cancel);
            found = await reader.FindByCodesAsync([code], Cancel);
        }
        Assert.Single(found);
    }

    [Fact]
    public void X2_Setting_IsParsedAndThePasswordIsASecret()
    {
        Concord.Connectors.ExternalConnectors.Register();
        var options = (TrytonOptions)ConnectorRegistry.Parse("connection books", "tryton:url=http://127.0.0.1:8000;database=books;user=admin;password=S3cret-pw");

        Assert.Equal(("http://127.0.0.1:8000/books/", "admin", "S3cret-pw"), (options.DatabaseUrl.ToString(), options.User, options.Password));
        Assert.DoesNotContain("S3cret-pw", options.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("S3cret-pw", Core.Sync.Connections.AccountingSetting.Mask("tryton:url=http://x;database=d;user=u;password=S3cret-pw"), StringComparison.Ordinal);
        var error = Assert.Throws<Core.Common.UserError>(() => ConnectorRegistry.Parse("connection books", "tryton:url=ftp://x;database=d;user=u;password=p"));
        Assert.Contains("url=", error.Message, StringComparison.Ordinal);
        Assert.Contains("password=", Assert.Throws<Core.Common.UserError>(() => ConnectorRegistry.Parse("connection books", "tryton:url=http://x;database=d;user=u")).Message, StringComparison.Ordinal);
    }

    private static void AssertNoSecret(ConnectorUnavailableException error, params string[] secrets)
    {
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, error.Message, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, error.Remedy, StringComparison.Ordinal);
            Assert.DoesNotContain(secret, error.ToString(), StringComparison.Ordinal);
        }
    }

    // A Tryton user with no groups, as an administrator makes one.
    private async Task<(string Login, string Password)> NewUser()
    {
        var login = "clerk" + TrytonServer.UniqueCode("").ToLowerInvariant();
        // Tryton refuses passwords that repeat characters much: distinct ones, shuffled.
        var password = new string([.. "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".OrderBy(_ => Random.Shared.Next()).Take(16)]);
        using var admin = server.Admin();
        await admin.ModelAsync("res.user", "create", true, Cancel, new JsonArray(new JsonObject { ["name"] = login, ["login"] = login, ["password"] = password }));
        return (login, password);
    }

    private async Task<JsonArray> Identifiers(string code)
    {
        using var admin = server.Admin();
        return await admin.SearchReadAsync("party.identifier", [new JsonArray("party.code", "=", code)], 0, null, null, ["type", "code"], inactive: true, Cancel);
    }

    private async Task CreateInTryton(JsonObject party)
    {
        using var admin = server.Admin();
        await admin.ModelAsync("party.party", "create", true, Cancel, new JsonArray(party));
    }

    private async Task<int> CountryId(string code)
    {
        using var admin = server.Admin();
        return (await admin.SearchReadAsync("country.country", [new JsonArray("code", "=", code)], 0, 1, null, ["id"], inactive: true, Cancel))[0]!["id"]!.GetValue<int>();
    }

    private static JsonArray Create(JsonObject record) => [new JsonArray("create", new JsonArray(record))];
}
