using Concord.Store;
using Concord.Tests.Support;
using Microsoft.Data.Sqlite;

namespace Concord.Tests;

/// <summary>
/// Opening a store (X1, issue 8): bad --data / --store arguments, folders and databases without a
/// store, and stores this user may only read — each a clear message with exit 1, never a stack trace,
/// and nothing created by a command that only reads.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // file modes are what these tests are about
public sealed class StoreOpeningTests
{
    private static void NoStackTrace(CliResult result) =>
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);

    private static string MissingFolder() => Path.Combine(Path.GetTempPath(), "concord-missing-" + Guid.NewGuid().ToString("N"), "data");

    [Theory]
    [InlineData("garbage", "error: --store: is not a PostgreSQL connection string")]
    [InlineData("Port=99999", "error: --store: Port 99999 is not a port number")]
    [InlineData("Host=127.0.0.1;Port=99999", "error: --store: Port 99999 is not a port number")]
    [InlineData("Foo=bar", "error: --store: 'foo' is not a PostgreSQL connection setting")]
    [InlineData("Port=abc", "error: --store: the value of port is not valid")]
    [InlineData("Database=concord", "error: --store: names no Host=")]
    public void X1_AStoreArgumentThatIsNotAConnectionString_SaysWhy_Exit1_AndCreatesNothing(string store, string message)
    {
        var data = MissingFolder();
        var result = ConcordProcess.Run(["--data", data, "--store", store, "customers", "list"]);
        Assert.True(result.Exit == 1, result.ToString());
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        NoStackTrace(result);
        Assert.False(Directory.Exists(Path.GetDirectoryName(data)));
        var init = ConcordProcess.Run(["--data", data, "--store", store, "init"]);
        Assert.True(init.Exit == 1, init.ToString());
        Assert.Contains(message, init.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void X1_AnEmptyDataArgument_SaysSo_Exit1()
    {
        foreach (var command in new[] { new[] { "init" }, ["customers", "list"] })
        {
            var result = ConcordProcess.Run(["--data", "", .. command]);
            Assert.True(result.Exit == 1, result.ToString());
            Assert.Contains("error: --data: is empty", result.Stderr, StringComparison.Ordinal);
            NoStackTrace(result);
        }
    }

    [Fact]
    public void X1_AnEmptyStoreArgument_SaysSo_Exit1_InsteadOfFallingBackToSqlite()
    {
        var data = MissingFolder();
        var result = ConcordProcess.Run(["--data", data, "--store", "", "init"]);
        Assert.True(result.Exit == 1, result.ToString());
        Assert.Contains("error: --store: is empty", result.Stderr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(data));
        NoStackTrace(result);
    }

    [Fact]
    public void X1_ReadCommandOnAMissingDataFolder_SaysRunInit_AndCreatesNothing()
    {
        var data = MissingFolder();
        foreach (var command in new[] { new[] { "customers", "list" }, ["sites", "add", "DBN", "--name", "Durban"], ["connections", "list", "--json"], ["audit", "list"] })
        {
            var result = ConcordProcess.Run(["--data", data, .. command]);
            Assert.True(result.Exit == 1, result.ToString());
            Assert.Contains($"error: no Concord store in {data}; run 'concord init --data {data}'", result.Stderr, StringComparison.Ordinal);
            Assert.Equal("", result.Stdout);
            NoStackTrace(result);
            Assert.False(Directory.Exists(Path.GetDirectoryName(data)), string.Join(' ', command));
        }
        // An existing folder without a store stays as it was too.
        Directory.CreateDirectory(data);
        try
        {
            var result = ConcordProcess.Run(["--data", data, "customers", "list"]);
            Assert.Equal(1, result.Exit);
            Assert.Empty(Directory.EnumerateFileSystemEntries(data));
            Assert.True(ConcordProcess.Run(["--data", data, "init"]).Exit == 0);
            Assert.True(ConcordProcess.Run(["--data", data, "customers", "list"]).Exit == 0);
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(data)!, recursive: true);
        }
    }

    [Fact]
    public void X1_APostgresDatabaseWithoutAConcordStore_SaysRunInit_WithThePasswordMasked_AndCreatesNothing()
    {
        using var bare = new TestStore(StoreKind.Postgres); // its own empty schema, never initialised
        var store = bare.ConnectionString + ";Password=Sekr3t-Known";
        var result = ConcordProcess.Run(["--data", bare.DataDirectory, "--store", store, "customers", "list"]);
        Assert.True(result.Exit == 1, result.ToString());
        Assert.Contains("error: no Concord store in PostgreSQL database", result.Stderr, StringComparison.Ordinal);
        var quotedData = global::Concord.Core.Common.CommandHint.Quote(bare.DataDirectory);
        Assert.Contains($"; run 'concord init --data {quotedData} --store \"", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Password=***", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Sekr3t-Known", result.Stderr + result.Stdout, StringComparison.Ordinal);
        NoStackTrace(result);
        using var connection = new Npgsql.NpgsqlConnection(bare.ConnectionString);
        connection.Open();
        using var tables = new Npgsql.NpgsqlCommand("SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()", connection);
        Assert.Equal(0L, tables.ExecuteScalar());
        Assert.False(Directory.Exists(bare.DataDirectory));
    }

    [Fact]
    public void X1_ASqliteStoreThisUserMayNotWrite_IsListed_AndAWriteSaysReadOnly()
    {
        // Tests run as root, whom permissions do not stop: the commands run as nobody, the store
        // owned by root and readable by all, as a colleague's store would be.
        using var store = new TestStore(StoreKind.Sqlite);
        Assert.Equal(0, CliRun.Run(store, null, "init").Exit);
        Assert.Equal(0, CliRun.Run(store, null, "sites", "add", "DBN", "--name", "Durban").Exit);
        Assert.Equal(0, CliRun.Run(store, null, "customers", "add", "C1", "--name", "Cele Hardware", "--site", "DBN").Exit);
        store.Open().ClearPool();
        ShareReadOnly(store.DataDirectory);
        var before = Directory.GetFileSystemEntries(store.DataDirectory).Order(StringComparer.Ordinal).ToList();

        var list = ConcordProcess.Run([.. store.GlobalArguments, "customers", "list", "--json"], asUser: "nobody");
        Assert.True(list.Exit == 0, list.ToString());
        Assert.Equal("C1", Assert.Single(list.Json.EnumerateArray()).GetProperty("code").GetString());
        var write = ConcordProcess.Run([.. store.GlobalArguments, "sites", "add", "JHB", "--name", "Johannesburg"], asUser: "nobody");
        Assert.True(write.Exit == 1, write.ToString());
        Assert.Contains("error: the store is read-only", write.Stderr, StringComparison.Ordinal);
        NoStackTrace(write);
        // Reading made no -wal or -shm file (which would belong to the reader and block the owner).
        Assert.Equal(before, Directory.GetFileSystemEntries(store.DataDirectory).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void X1_ADataFolderThisUserMayNotOpen_SaysAccessIsDenied_NotRunInit()
    {
        using var store = new TestStore(StoreKind.Sqlite);
        Assert.Equal(0, CliRun.Run(store, null, "init").Exit); // the folder is its owner's only (0700)
        var list = ConcordProcess.Run([.. store.GlobalArguments, "customers", "list"], asUser: "nobody");
        Assert.True(list.Exit == 1, list.ToString());
        if (Environment.UserName == "root")
        {
            Assert.Contains($"error: Access to the path '{store.DataDirectory}' is denied", list.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("run 'concord init", list.Stderr, StringComparison.Ordinal);
        }
        NoStackTrace(list);
    }

    [Fact]
    public void X1_AReadOnlyWalStore_IsReadWithTheChangesStillInItsWal_AndWithoutItsShmSaysWhatToDo()
    {
        using var store = new TestStore(StoreKind.Sqlite);
        Assert.Equal(0, CliRun.Run(store, null, "init").Exit);
        Assert.Equal(0, CliRun.Run(store, null, "sites", "add", "DBN", "--name", "Durban").Exit);
        var copy = Path.Combine(Path.GetTempPath(), "concord-wal-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(copy);
        try
        {
            var db = Path.Combine(store.DataDirectory, Database.SqliteFileName);
            // An open connection keeps the WAL from being folded into the database file: the copy
            // is a store whose last change exists only in its -wal file, as after a crash.
            using (var holder = new SqliteConnection($"Data Source={db};Pooling=False"))
            {
                holder.Open();
                using (var pragma = holder.CreateCommand())
                {
                    pragma.CommandText = "PRAGMA wal_autocheckpoint = 0";
                    pragma.ExecuteNonQuery();
                }
                Assert.Equal(0, CliRun.Run(store, null, "sites", "add", "WAL", "--name", "Only in the WAL").Exit);
                foreach (var suffix in new[] { "", "-wal", "-shm" })
                {
                    File.Copy(db + suffix, Path.Combine(copy, Database.SqliteFileName + suffix));
                }
            }
            Assert.True(new FileInfo(Path.Combine(copy, Database.SqliteFileName + "-wal")).Length > 0);
            ShareReadOnly(copy);

            var list = ConcordProcess.Run(["--data", copy, "sites", "list", "--json"], asUser: "nobody");
            Assert.True(list.Exit == 0, list.ToString());
            Assert.Equal(["DBN", "WAL"], list.Json.EnumerateArray().Select(s => s.GetProperty("code").GetString()).Order(StringComparer.Ordinal));

            // Without its -shm, in a folder the reader may not write, the WAL cannot be read: say so.
            SetMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
            File.Delete(Path.Combine(copy, Database.SqliteFileName + "-shm"));
            ShareReadOnly(copy);
            var noShm = ConcordProcess.Run(["--data", copy, "sites", "list"], asUser: "nobody");
            if (Environment.UserName == "root")
            {
                Assert.True(noShm.Exit == 1, noShm.ToString());
                Assert.Contains("is read-only and its -wal file holds changes", noShm.Stderr, StringComparison.Ordinal);
                NoStackTrace(noShm);
            }
        }
        finally
        {
            SetMode(copy, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
            Directory.Delete(copy, recursive: true);
        }
    }

    /// <summary>
    /// Makes a data folder readable but not writable by the user the read-only tests run as: as root,
    /// root keeps the files and nobody reads them; otherwise the files lose their write bits.
    /// </summary>
    private static void ShareReadOnly(string folder)
    {
        var asRoot = Environment.UserName == "root";
        foreach (var file in Directory.EnumerateFiles(folder))
        {
            SetMode(file, asRoot
                ? UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead
                : UnixFileMode.UserRead);
        }
        SetMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
            | UnixFileMode.OtherRead | UnixFileMode.OtherExecute | (asRoot ? UnixFileMode.UserWrite : 0));
        // The temporary folder's parents must let nobody through.
        Assert.True((File.GetUnixFileMode(Path.GetDirectoryName(folder)!) & UnixFileMode.OtherExecute) != 0);
    }

    private static void SetMode(string path, UnixFileMode mode) => File.SetUnixFileMode(path, mode);
}
