using System.Text;
using System.Text.Json;
using Concord.Core.Common;
using Concord.Core.Sync.Connections;
using Concord.Store;
using Concord.Tests.Support;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Concord.Tests;

/// <summary>
/// Connector secrets never shown, never logged, encrypted at rest (Security target, S1, X1); a
/// private data folder; audit JSON that stays JSON whatever a name holds (U4); one clock. On both stores.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes are part of what these tests check
public abstract class StoreSecretsTests(StoreKind kind) : StoreTest(kind)
{
    public sealed class OnSqlite() : StoreSecretsTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : StoreSecretsTests(StoreKind.Postgres);

    private const string Known = "Sekr3t-Known";

    private const UnixFileMode OwnerOnlyFolder = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode OwnerOnlyFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Theory]
    [InlineData("garbage", "is not a PostgreSQL connection string")]
    [InlineData("Port=99999", "Port 99999 is not a port number")]
    [InlineData("Foo=bar", "'foo' is not a PostgreSQL connection setting")]
    [InlineData("Port=abc", "the value of port is not valid")]
    [InlineData("Host=h;Timeout=2,Sekr3t-Known", "the value of timeout is not valid")]
    public void X1_AConnectionStoreSettingThatIsNotAConnectionString_IsRefusedAtAddAndSet(string store, string reason)
    {
        var add = Executable("connections", "add", "books", "--accounting", $"ledger:store={store}");
        Assert.True(add.Exit == 1, add.ToString());
        // The driver's own message quotes the value: it could be a password typed in the wrong place.
        Assert.DoesNotContain("Sekr3t", add.Stderr, StringComparison.Ordinal);
        Assert.Contains($"error: connection books accounting: store=: {reason}", add.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", add.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM sync_connections"));
        Ok("connections", "add", "books");
        Assert.Contains($"store=: {reason}", Fails("connections", "set", "books", "--accounting", $"ledger:store={store}").Stderr, StringComparison.Ordinal);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM sync_connections WHERE accounting = 'ledger'"));
    }

    [Fact]
    public void X1_AConnectionSavedEarlierWithABadStoreSetting_GivesAClearErrorNamingIt_NotAStackTrace()
    {
        Ok("connections", "add", "books");
        // As a store written before settings were checked would hold it.
        Execute("UPDATE sync_connections SET accounting = 'ledger:store=Foo=bar'");
        var preview = Executable("sync", "preview", "books");
        Assert.True(preview.Exit == 1, preview.ToString());
        Assert.Contains("error: connection books accounting: store=: 'foo' is not a PostgreSQL connection setting", preview.Stderr, StringComparison.Ordinal);
        Assert.Contains($"'concord {string.Join(' ', Store.GlobalArguments.Select(global::Concord.Core.Common.CommandHint.Quote))} connections set books --accounting", preview.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", preview.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void X1_AConnectionToADatabaseWithoutAConcordStore_SaysSo_AndCreatesNothingThere()
    {
        using var bare = new TestStore(StoreKind.Postgres); // its own empty schema, never initialised
        Ok("connections", "add", "books", "--accounting", $"ledger:store={bare.ConnectionString};Password={Known}");
        var preview = Executable("sync", "preview", "books");
        Assert.True(preview.Exit == 1, preview.ToString());
        Assert.Contains("error: connection books accounting: no Concord store in PostgreSQL database", preview.Stderr, StringComparison.Ordinal);
        Assert.Contains("Password=***", preview.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Known, preview.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", preview.Stderr, StringComparison.Ordinal);
        using var connection = new NpgsqlConnection(bare.ConnectionString);
        connection.Open();
        using var tables = new NpgsqlCommand("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()", connection);
        Assert.Equal(0L, tables.ExecuteScalar());
    }

    [Fact]
    public void Security_AKnownPassword_IsNowhere_InTheStore_TheOutput_OrTheAuditLog()
    {
        using var target = new TestStore(StoreKind.Postgres);
        Assert.Equal(0, CliRun.Run(target, Clock, "init").Exit);
        foreach (var (referenceKind, code) in new[] { ("currency", "ZAR"), ("country", "ZA") })
        {
            Assert.Equal(0, CliRun.Run(target, Clock, "ledger", "reference", "add", referenceKind, code, "--name", code).Exit);
        }
        Ok("sites", "add", "Durban", "--name", "Durban");
        Ok("ledger", "reference", "add", "country", "ZA", "--name", "South Africa");
        Ok("customers", "add", "C1", "--name", "Cele Hardware", "--site", "Durban", "--kind", "account", "--country", "ZA");
        // The test server trusts 127.0.0.1, so a password rides along unused; spelt the ways that leaked before.
        var working = $"ledger:store={target.ConnectionString};PSW = {Known}";
        var failing = $"ledger:store=Host=127.0.0.1;Port=1;Username=u;Password=\"{Known};x\";Database=x;Timeout=2";

        var outputs = new List<CliResult>
        {
            Executable("connections", "add", "good", "--site", "Durban", "--accounting", working),
            Executable("connections", "add", "bad", "--accounting", failing),
            Executable("connections", "list"),
            Executable("connections", "list", "--json"),
            Executable("connections", "show", "good"),
            Executable("connections", "show", "bad", "--json"),
            Executable("sync", "preview", "good", "--json"),
            Executable("sync", "preview", "bad"),
            Executable("sync", "run", "good", "--yes", "--company", "Concord Ledger", "--json"),
            Executable("sync", "run", "bad", "--yes", "--company", "Concord Ledger"),
            Executable("connections", "set", "good", "--direction", "to-accounting"),
            Executable("sync", "status"),
            Executable("sync", "history", "good"),
            Executable("audit", "list"),
            // A setting the kind does not know is refused by its name, its value not repeated.
            Executable("connections", "add", "typo", "--accounting", $"ledger:token={Known}"),
        };
        var audit = Executable("audit", "list", "--json");
        outputs.Add(audit);

        Assert.True(outputs[0].Exit == 0 && outputs[1].Exit == 0, string.Join('\n', outputs.Take(2)));
        Assert.True(outputs[8].Exit == 0, outputs[8].ToString());
        Assert.Equal(1, outputs[8].Json.GetProperty("created").GetInt32());
        Assert.True(outputs[7].Exit == 1 && outputs[9].Exit == 1, outputs[9].ToString());
        Assert.Contains("cannot be reached", outputs[9].Stderr, StringComparison.Ordinal);
        Assert.Contains("Password=***", outputs[3].Stdout, StringComparison.Ordinal);
        Assert.Contains("Password=***", outputs[5].Stdout, StringComparison.Ordinal);
        Assert.True(outputs[14].Exit == 1 && outputs[14].Stderr.Contains("'token' is not a setting of ledger", StringComparison.Ordinal), outputs[14].ToString());
        foreach (var output in outputs)
        {
            Assert.DoesNotContain(Known, output.Stdout + output.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", output.Stderr, StringComparison.Ordinal);
        }
        Assert.Contains(audit.Json.EnumerateArray(), e => e.GetProperty("entity").GetString() == "connection" && e.GetProperty("action").GetString() == "update");

        // Kept encrypted, not dropped: both settings still work (the good one synced above) and their secret column is filled.
        Assert.Equal(2, Count("SELECT COUNT(*) FROM sync_connections WHERE accounting_secret IS NOT NULL"));
        Assert.DoesNotContain(Known, Store.StoredText(), StringComparison.Ordinal);
        Assert.DoesNotContain(Known, target.StoredText(), StringComparison.Ordinal);
    }

    [Fact]
    public void Security_WithoutTheDataFoldersKeys_ListingsStillWork_AndARunSaysTheSecretsCannotBeRead()
    {
        Ok("connections", "add", "books", "--accounting", $"ledger:store=Host=127.0.0.1;Port=1;Password={Known};Timeout=2");
        Directory.Delete(Path.Combine(Store.DataDirectory, "keys"), recursive: true);
        Assert.Contains("Password=***", Ok("connections", "list", "--wide").Stdout, StringComparison.Ordinal);
        var preview = Executable("sync", "preview", "books");
        Assert.True(preview.Exit == 1, preview.ToString());
        Assert.Contains("error: connection books accounting: its secret settings cannot be decrypted: there are no keys in", preview.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", preview.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(Store.DataDirectory, "keys")), "reading made no new key");
    }

    [Fact]
    public void Security_InitEncryptsTheSecretsOfConnectionsSavedByAnEarlierVersion()
    {
        Ok("connections", "add", "books");
        Ok("connections", "add", "local", "--accounting", "ledger:data=/srv/books");
        // As a store written before secrets were encrypted holds them: in the clear.
        Execute($"UPDATE sync_connections SET accounting = 'ledger:store=Host=127.0.0.1;Port=1;Username=u;Password={Known};Timeout=2' WHERE name = 'books'");
        var init = Executable("init");
        Assert.True(init.Exit == 0, init.ToString());
        Assert.Contains("1 connection setting(s) saved by an earlier version now kept encrypted", init.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM sync_connections WHERE accounting_secret IS NOT NULL"));
        Assert.Equal(1, Count("SELECT COUNT(*) FROM sync_connections WHERE accounting = 'ledger:data=/srv/books' AND accounting_secret IS NULL"));
        Assert.DoesNotContain(Known, Store.StoredText(), StringComparison.Ordinal);
        // Still the same setting: the run reaches for the server it names.
        var preview = Executable("sync", "preview", "books");
        Assert.Contains("cannot be reached: Failed to connect to 127.0.0.1:1", preview.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("now kept encrypted", Executable("init").Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Security_TheDataFolderAndKeysAre0700_TheDatabaseAndItsWalAndShm0600()
    {
        var data = Path.Combine(Path.GetTempPath(), "concord-modes-" + Guid.NewGuid().ToString("N"), "nested", "data");
        string[] store = Store.ConnectionString is null ? ["--data", data] : ["--data", data, "--store", Store.ConnectionString];
        try
        {
            var init = ConcordProcess.Run([.. store, "init"]);
            Assert.True(init.Exit == 0, init.ToString());
            Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(data));
            var add = ConcordProcess.Run([.. store, "connections", "add", "books", "--accounting", $"ledger:store=Host=127.0.0.1;Password={Known}"]);
            Assert.True(add.Exit == 0, add.ToString());
            var keys = Path.Combine(data, "keys");
            Assert.Equal(OwnerOnlyFolder, File.GetUnixFileMode(keys));
            Assert.All(Directory.GetFiles(keys), key => Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(key)));
            if (Store.Kind == StoreKind.Sqlite)
            {
                var db = Path.Combine(data, Database.SqliteFileName);
                Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(db));
                // An open reader keeps the -wal and -shm files of the next write in place to be looked at.
                using var holder = new SqliteConnection($"Data Source={db};Pooling=False");
                holder.Open();
                using (var read = holder.CreateCommand())
                {
                    read.CommandText = "SELECT COUNT(*) FROM users";
                    read.ExecuteScalar();
                }
                Assert.Equal(0, ConcordProcess.Run([.. store, "sites", "add", "DBN", "--name", "Durban"]).Exit);
                Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(db + "-wal"));
                Assert.Equal(OwnerOnlyFile, File.GetUnixFileMode(db + "-shm"));
            }
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(data))!, recursive: true);
        }
    }

    [Fact]
    public void U4_AuditJsonStaysValid_WhenNamesAndCodesHoldQuotes()
    {
        Ok("sites", "add", "Durban", "--name", "Durban");
        Ok("ledger", "reference", "add", "currency", "ZAR", "--name", "Rand");
        Ok("ledger", "reference", "add", "country", "ZA", "--name", "South Africa");
        Ok("users", "add", "o\"neil", "--role", "clerk");
        Ok("ledger", "company", "rename", "Say \"hi\" Ltd");
        Ok("connections", "add", "bo\"oks", "--site", "Durban");
        Ok("customers", "add", "C\"1", "--name", "Quote One", "--site", "Durban", "--kind", "account", "--country", "ZA");
        Ok("customers", "add", "C\"2", "--name", "Quote Two", "--site", "Durban", "--kind", "account", "--country", "ZA");
        Ok("ledger", "accounts", "add", "A\"1", "--name", "Quote One", "--currency", "ZAR", "--country", "ZA");
        Ok("sync", "never", "bo\"oks", "C\"2");
        Ok("sync", "allow", "bo\"oks", "C\"2");
        Ok("sync", "link", "bo\"oks", "C\"1", "A\"1");
        Ok("sync", "new", "bo\"oks", "C\"2");

        var audit = Executable("audit", "list", "--json");
        Assert.True(audit.Exit == 0, audit.ToString());
        var entries = audit.Json.EnumerateArray().ToList();
        foreach (var entry in entries)
        {
            foreach (var side in new[] { "before", "after" })
            {
                // audit list --json writes each stored value as JSON: what concatenation made would not parse.
                Assert.Contains(entry.GetProperty(side).ValueKind, new[] { JsonValueKind.Object, JsonValueKind.Null, JsonValueKind.String });
            }
        }
        JsonElement After(string action, string entity) => entries.Last(e => e.GetProperty("action").GetString() == action && e.GetProperty("entity").GetString() == entity)
            .GetProperty("after");
        Assert.Equal("o\"neil", After("create", "user").GetProperty("name").GetString());
        Assert.Equal("Say \"hi\" Ltd", After("update", "company").GetString());
        foreach (var action in new[] { "never-sync", "allow-sync", "link", "confirm-new" })
        {
            Assert.Equal("bo\"oks", After(action, "correspondence").GetProperty("connection").GetString());
        }
        Assert.Equal("A\"1", After("link", "correspondence").GetProperty("accounting").GetString());
    }

    [Fact]
    public void S1_AConnectionsTimes_AndTheMigrationsTime_ComeFromTheInjectedClock()
    {
        var start = Clock.GetUtcNow();
        Ok("connections", "add", "books");
        var at = Timestamps.Format(start);
        Assert.Equal(1, Count($"SELECT COUNT(*) FROM sync_connections WHERE created_at = '{at}' AND modified_at = '{at}'"));
        Clock.Advance(TimeSpan.FromHours(5));
        Ok("connections", "set", "books", "--direction", "to-accounting");
        Assert.Equal(1, Count($"SELECT COUNT(*) FROM sync_connections WHERE created_at = '{at}' AND modified_at = '{Timestamps.Format(Clock.GetUtcNow())}'"));
        // The store was made by `init` on the test's clock, 2026-03-01 09:00.
        var migrated = start.ToString("O", System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(Count("SELECT COUNT(*) FROM schema_migrations"), Count($"SELECT COUNT(*) FROM schema_migrations WHERE applied_at = '{migrated}'"));
    }

    [Fact]
    public void X1_AStoreThatMayOnlyBeRead_ListsCustomers_AndAWriteSaysReadOnly()
    {
        Ok("sites", "add", "Durban", "--name", "Durban");
        Ok("customers", "add", "C1", "--name", "Cele Hardware", "--site", "Durban");
        string[] readOnly;
        if (Store.Kind == StoreKind.Sqlite)
        {
            Store.Open().ClearPool();
            File.SetUnixFileMode(Path.Combine(Store.DataDirectory, Database.SqliteFileName), UnixFileMode.UserRead | UnixFileMode.GroupRead);
            readOnly = Store.GlobalArguments;
        }
        else
        {
            var store = new NpgsqlConnectionStringBuilder(Store.ConnectionString) { Options = "-c default_transaction_read_only=on" }.ToString();
            readOnly = ["--data", Store.DataDirectory, "--store", store];
        }
        var before = Directory.GetFileSystemEntries(Store.DataDirectory).Order(StringComparer.Ordinal).ToList();
        var list = ConcordProcess.Run([.. readOnly, "customers", "list", "--json"]);
        Assert.True(list.Exit == 0, list.ToString());
        Assert.Equal("C1", Assert.Single(list.Json.EnumerateArray()).GetProperty("code").GetString());
        var write = ConcordProcess.Run([.. readOnly, "customers", "add", "C2", "--name", "Two", "--site", "Durban"]);
        Assert.True(write.Exit == 1, write.ToString());
        Assert.Contains("error: the store is read-only", write.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", write.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM customers"));
        Assert.Equal(before, Directory.GetFileSystemEntries(Store.DataDirectory).Order(StringComparer.Ordinal));
    }

    /// <summary>Everything the store holds, as text: the SQLite files' bytes, or every row of every table of the PostgreSQL schema.</summary>

}

/// <summary>The one masking function (Security target): connection strings are masked by parsing them, whatever their spelling.</summary>
public sealed class SecretMaskingTests
{
    [Theory]
    [InlineData("ledger:store=Host=h;Password=s3cr3t-A", "s3cr3t-A")]
    [InlineData("ledger:store=Host=h;PSW=s3cr3t-A", "s3cr3t-A")]
    [InlineData("ledger:store=Host=h;Pwd=s3cr3t-A;Database=d", "s3cr3t-A")]
    [InlineData("ledger:store=Host=h;Password = s3cr3t-A ;Database=d", "s3cr3t-A")]
    [InlineData("ledger:store=Host=h;Password=\"s3cr3t;A\";Database=d", "s3cr3t")]
    [InlineData("ledger:store=Host=h;Password='s3cr3t,A';Database=d", "s3cr3t")]
    [InlineData("ledger:store=Host=h;SSL Password=s3cr3t-A", "s3cr3t-A")]
    [InlineData("ledger:store=Host=h;Password=\"s3cr3t-A", "s3cr3t-A")]
    [InlineData("ledger:store=s3cr3t-A", "s3cr3t-A")]
    [InlineData("tryton:url=http://127.0.0.1:8000,password=s3cr3t-A", "s3cr3t-A")]
    [InlineData("tryton:url=http://127.0.0.1:8000,api_token=s3cr3t-A,user=admin", "s3cr3t-A")]
    [InlineData("gnucash:file=/srv/books.gnucash,Secret=s3cr3t-A", "s3cr3t-A")]
    [InlineData("tryton:ApiKey=s3cr3t-A", "s3cr3t-A")]
    [InlineData("ledger:store=Host=127.0.0.1,127.0.0.2;Port=1;Username=u;Pwd=s3cr3t-A;Database=x", "s3cr3t-A")]
    [InlineData("ledger:data=/x,pasword=s3cr3t-A", "s3cr3t-A")]
    public void Security_ASecretIsMaskedWhateverItsSpelling(string setting, string secret)
    {
        var shown = AccountingSetting.Mask(setting);
        Assert.DoesNotContain(secret, shown, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(setting.Split(':')[0], AccountingSetting.Kind(shown));
        Assert.True(AccountingSetting.HoldsSecrets(setting));
        Assert.Equal(shown, AccountingSetting.Mask(shown));
    }

    [Fact]
    public void Security_MaskingKeepsWhatIsNotSecret()
    {
        Assert.Equal("ledger:store=Host=127.0.0.1;Port=5433;Username=u;Password=***;Database=books",
            AccountingSetting.Mask("ledger:store=Host=127.0.0.1;Port=5433;Username=u;PSW=x;Database=books"));
        Assert.Equal("ledger:data=/srv/books", AccountingSetting.Mask("ledger:data=/srv/books"));
        Assert.Equal("ledger", AccountingSetting.Mask("ledger"));
        Assert.False(AccountingSetting.HoldsSecrets("ledger:data=/srv/books"));
        // The connectors' own plain settings: a path, a preset, a column map, a currency.
        Assert.Equal("csv:/srv/exchange;preset=sage50;map=/srv/map.txt;export=customers.csv;company=Shop",
            AccountingSetting.Mask("csv:/srv/exchange;preset=sage50;map=/srv/map.txt;export=customers.csv;company=Shop"));
        Assert.Equal("gnucash:/srv/shop.gnucash;currency=EUR", AccountingSetting.Mask("gnucash:/srv/shop.gnucash;currency=EUR"));
        Assert.False(AccountingSetting.HoldsSecrets("gnucash:/srv/shop.gnucash;currency=EUR"));
        // A store= connection string keeps its own commas (several hosts): it runs to the end of the setting.
        Assert.Equal([("data", "/x"), ("store", "Host=a,b;Port=1;Pwd=x")], AccountingSetting.Pairs("ledger:data=/x,store=Host=a,b;Port=1;Pwd=x"));
        Assert.Equal("ledger:store=Host=a,b;Port=1;Password=***", AccountingSetting.Mask("ledger:store=Host=a,b;Port=1;Pwd=x"));
    }
}
