using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Concord.Store;
using Concord.Tests.Support;
using Concord.Tests.Web;
using Npgsql;

namespace Concord.Tests;

/// <summary>
/// A write that PostgreSQL undoes because another writer held the same rows crosswise (a deadlock)
/// is said as such, with nothing written and the remedy: run it again; not as a store that cannot
/// be used. PostgreSQL only: SQLite takes one writer at a time, so its writers never deadlock.
/// </summary>
public sealed class WriteConflictTests() : StoreTest(StoreKind.Postgres)
{
    [Fact]
    public async Task X1_APostingUndoneByADeadlock_SaysNothingWasWritten_AndToRunItAgain()
    {
        AddLedgerBasics();
        Ok("ledger", "accounts", "add", "A1", "--name", "First", "--currency", "ZAR");
        Ok("ledger", "accounts", "add", "B1", "--name", "Second", "--currency", "ZAR");
        var file = WriteFile("two.csv", "account,kind,amount\nA1,invoice,10\nB1,invoice,20\n");

        // Another writer holds B1; the import locks A1, then waits for B1; the other writer then wants A1.
        await using var other = new NpgsqlConnection(Store.ConnectionString);
        await other.OpenAsync(TestContext.Current.CancellationToken);
        await using var hold = await other.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await Exec(other, "UPDATE ledger_accounts SET phone = '1' WHERE code_key = 'B1'");
        var import = Task.Run(() => Concord("import", "transactions", file), TestContext.Current.CancellationToken);
        await WaitUntilBlockedBy(other.ProcessID, import);
        var crosswise = Exec(other, "UPDATE ledger_accounts SET phone = '2' WHERE code_key = 'A1'");

        var result = await import;
        await crosswise;
        await hold.CommitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(1, result.Exit);
        Assert.Contains("another writer held the same records at the same moment", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("nothing was written: run it again", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("cannot be used", result.Stderr, StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_transactions"));

        Ok("import", "transactions", file);
        Assert.Equal(2, Count("SELECT COUNT(*) FROM ledger_transactions"));
    }

    [Fact]
    public async Task U3_APostingUndoneByADeadlock_Answers409_SendItAgain()
    {
        AddLedgerBasics();
        Ok("ledger", "accounts", "add", "A1", "--name", "First", "--currency", "ZAR");
        Ok("users", "add", "clerk", "--role", "clerk");
        using var api = new ApiTests.Api(Store.Open(), Clock);
        new Core.Users.SignIn(api.Database, Clock).SetPassword(new Core.Session(api.Database, new Core.Users.User("admin", Core.Users.Role.Supervisor), Clock), "clerk", "clerk-password");
        var clerk = api.CreateClient();
        Assert.Equal(HttpStatusCode.NoContent, (await clerk.PostAsJsonAsync("/api/sign-in", new { user = "clerk", password = "clerk-password" }, TestContext.Current.CancellationToken)).StatusCode);

        // Another writer holds A1. The first posting fixes the financial year (its settings), then waits for A1; the other
        // writer then sets the year's start too.
        await using var other = new NpgsqlConnection(Store.ConnectionString);
        await other.OpenAsync(TestContext.Current.CancellationToken);
        await using var hold = await other.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await Exec(other, "UPDATE ledger_accounts SET phone = '1' WHERE code_key = 'A1'");
        var posting = clerk.PostAsJsonAsync("/api/ledger/accounts/A1/transactions", new { kind = "invoice", amount = 10m }, TestContext.Current.CancellationToken);
        await WaitUntilBlockedBy(other.ProcessID, posting);
        var crosswise = Exec(other, "INSERT INTO settings (key, value) VALUES ('ledger-year-start', '2026-01-01') ON CONFLICT (key) DO NOTHING");

        var answer = await posting;
        await crosswise;
        await hold.CommitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Conflict, answer.StatusCode);
        var problem = await answer.Content.ReadFromJsonAsync<JsonElement>(TestContext.Current.CancellationToken);
        Assert.Contains("nothing was written: send it again", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_transactions"));

        var again = await clerk.PostAsJsonAsync("/api/ledger/accounts/A1/transactions", new { kind = "invoice", amount = 10m }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        Assert.Equal(1, Count("SELECT COUNT(*) FROM ledger_transactions"));
    }

    [Fact]
    public async Task X1_APostingThatWaitsPastTheCommandTimeout_SaysNothingWasWritten_AndToRunItAgain()
    {
        AddLedgerBasics();
        Ok("ledger", "accounts", "add", "A1", "--name", "First", "--currency", "ZAR");
        await using var other = new NpgsqlConnection(Store.ConnectionString);
        await other.OpenAsync(TestContext.Current.CancellationToken);
        await using var hold = await other.BeginTransactionAsync(TestContext.Current.CancellationToken);
        await Exec(other, "UPDATE ledger_accounts SET phone = '1' WHERE code_key = 'A1'");

        // The other writer keeps A1 longer than the store's command timeout (2 s here).
        var impatient = new NpgsqlConnectionStringBuilder(Store.ConnectionString) { CommandTimeout = 2 }.ToString();
        using var stdout = new MemoryStream();
        using var stderr = new StringWriter();
        var exit = global::Concord.Cli.CliApp.Run(["--data", Store.DataDirectory, "--store", impatient, "ledger", "post", "invoice", "A1", "--amount", "10"], stdout, stderr);
        await hold.RollbackAsync(TestContext.Current.CancellationToken);

        Assert.Equal(1, exit);
        Assert.Contains("the store did not answer in time", stderr.ToString(), StringComparison.Ordinal);
        Assert.Contains("nothing was written: run it again", stderr.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, Count("SELECT COUNT(*) FROM ledger_transactions"));
    }

    private static async Task Exec(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>Waits until a session waits on a lock that <paramref name="holder"/> holds (the import, on B1).</summary>
    private async Task WaitUntilBlockedBy(int holder, Task running)
    {
        await using var watcher = new NpgsqlConnection(Store.ConnectionString);
        await watcher.OpenAsync(TestContext.Current.CancellationToken);
        for (var tries = 0; tries < 200 && !running.IsCompleted; tries++)
        {
            await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM pg_stat_activity WHERE @holder = ANY(pg_blocking_pids(pid))", watcher);
            command.Parameters.AddWithValue("holder", holder);
            if ((long)(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken))! > 0)
            {
                return;
            }
            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
        Assert.Fail("the import never waited on the row the other writer holds");
    }
}
