using Concord.Store;
using Concord.Tests.Support;
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
