using System.Diagnostics;
using System.Text.Json;
using Concord.Connectors.GnuCash;
using Microsoft.Data.Sqlite;

namespace Concord.Tests.GnuCash;

/// <summary>
/// A GnuCash book of one test, in a folder of its own, made and read by GnuCash's own engine
/// (book.py over python3-gnucash, with Debian's /usr/bin/python3). A missing GnuCash fails loudly.
/// </summary>
public sealed class GnuCashTestBook : IDisposable
{
    private static readonly string Script = System.IO.Path.Combine(AppContext.BaseDirectory, "GnuCash", "book.py");

    private GnuCashTestBook(string folder, string path) => (Folder, Path) = (folder, path);

    public string Folder { get; }

    public string Path { get; }

    /// <summary>
    /// A book in <paramref name="currency"/> with customers 000001 "Acme Widgets" (invoice 120.00,
    /// 50.00 paid: balance 70.00) and 000002 "Bob's Bikes" (invoice 45.50), vendor 000001 "Paper
    /// Supplies"; the counters at gncCustomer 2, gncVendor 1. <paramref name="empty"/>: the accounts only.
    /// </summary>
    public static GnuCashTestBook Make(string currency = "ZAR", string? company = null, string name = "shop.gnucash", bool empty = false)
    {
        var folder = Directory.CreateTempSubdirectory("concord-gnucash-").FullName;
        var book = new GnuCashTestBook(folder, System.IO.Path.Combine(folder, name));
        Python(["make", book.Path, "--currency", currency, .. company is null ? Array.Empty<string>() : ["--company", company], .. empty ? ["--empty"] : Array.Empty<string>()]);
        return book;
    }

    public GnuCashConnector Open(string? currency = null) => new(GnuCashBook.Open(Path), currency);

    /// <summary>Customers and vendors (with the engine's balance) and the counters, as GnuCash loads them.</summary>
    public JsonElement Dump() => JsonDocument.Parse(Python(["dump", Path])).RootElement;

    public JsonElement Customer(string id) => Dump().GetProperty("customers").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    /// <summary>Changes the book behind GnuCash's back, as a person with the sqlite3 tool would; returns the rows changed.</summary>
    public async Task<int> SqlAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync();
    }

    /// <summary>One number read from the book, as any reader (read-write, so it rolls back a killed writer's journal).</summary>
    public long Count(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Path};Pooling=False;Default Timeout=10");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Opens the book the way the GnuCash program does (it takes GnuCash's lock) until the result is disposed.</summary>
    public GnuCashSession OpenInGnuCash() => new(Path);

    public static string Python(IEnumerable<string> args)
    {
        using var process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [Script, .. args])
        {
            RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = System.IO.Path.GetTempPath(),
        })!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(3)))
        {
            process.Kill();
        }
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"book.py {string.Join(' ', args)} failed ({process.ExitCode}):\n{stderr.Result}");
        return stdout.Result;
    }

    public void Dispose() => Directory.Delete(Folder, recursive: true);

    /// <summary>A python process holding the book open in GnuCash's engine, as GnuCash would; closing its stdin ends it.</summary>
    public sealed class GnuCashSession : IDisposable
    {
        private readonly Process _process;

        public GnuCashSession(string path)
        {
            _process = Process.Start(new ProcessStartInfo("/usr/bin/python3", [Script, "hold", path])
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = System.IO.Path.GetTempPath(),
            })!;
            // Its stderr is read only once it has ended: it stays open for as long as the book is.
            var said = new List<string>();
            while (_process.StandardOutput.ReadLine() is { } line)
            {
                if (line == "locked")
                {
                    return;
                }
                said.Add(line);
            }
            _process.WaitForExit();
            Assert.Fail($"GnuCash did not open {path}: {string.Join(Environment.NewLine, said)} {_process.StandardError.ReadToEnd()}");
        }

        public int Pid => _process.Id;

        /// <summary>Closes the book as GnuCash does on exit (removing its lock) and says whether that went without error.</summary>
        public void Close()
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(TimeSpan.FromMinutes(1)))
            {
                _process.Kill();
            }
            _process.WaitForExit();
            Assert.True(_process.ExitCode == 0, $"GnuCash failed closing the book: {_process.StandardError.ReadToEnd()}");
        }

        public void Dispose()
        {
            if (!_process.HasExited)
            {
                _process.Kill();
                _process.WaitForExit();
            }
            _process.Dispose();
        }
    }
}
