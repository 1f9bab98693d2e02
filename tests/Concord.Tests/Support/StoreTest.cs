using Concord.Store;
using Microsoft.Extensions.Time.Testing;

namespace Concord.Tests.Support;

/// <summary>
/// Base of every test that touches a store: each test class derives once per engine
/// (OnSqlite / OnPostgres), so every rule runs on both. Gives an initialised store, a clock
/// the test can move, and `concord` to run against them.
/// </summary>
public abstract class StoreTest : IDisposable
{
    protected StoreTest(StoreKind kind)
    {
        Store = new TestStore(kind);
        Clock = new FakeTimeProvider(new DateTimeOffset(2026, 3, 1, 9, 0, 0, TimeSpan.Zero));
        var init = Concord("init");
        Assert.True(init.Exit == 0, init.ToString());
    }

    protected TestStore Store { get; }

    protected FakeTimeProvider Clock { get; }

    protected CliResult Concord(params string[] args) => CliRun.Run(Store, Clock, args);

    /// <summary>A command as `concord` prints it in hints for this test's store: with its --data (and --store).</summary>
    protected string Hint(string command) =>
        $"concord {string.Join(' ', Store.GlobalArguments.Select(Core.Common.CommandHint.Quote))} {command}";

    /// <summary>Runs the real `concord` executable against this test's store, to its end.</summary>
    protected CliResult Executable(params string[] args) => ConcordProcess.Run([.. Store.GlobalArguments, .. args]);

    /// <summary>Starts the real `concord` executable against this test's store; the test ends it.</summary>
    protected ConcordProcess StartExecutable(IReadOnlyDictionary<string, string?>? environment, params string[] args) =>
        ConcordProcess.Start([.. Store.GlobalArguments, .. args], environment);

    /// <summary>Runs a command that must succeed and returns its result.</summary>
    protected CliResult Ok(params string[] args)
    {
        var result = Concord(args);
        Assert.True(result.Exit == 0, $"concord {string.Join(' ', args)}\n{result}");
        return result;
    }

    /// <summary>Runs a command that must fail with exit 1 and returns its result.</summary>
    protected CliResult Fails(params string[] args)
    {
        var result = Concord(args);
        Assert.True(result.Exit == 1, $"expected exit 1 from concord {string.Join(' ', args)}\n{result}");
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        return result;
    }

    protected long Count(string sql)
    {
        using var database = Store.Open().OpenConnection();
        using var command = database.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(command.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>The first column of every row a query returns, as text.</summary>
    protected List<string?> Strings(string sql)
    {
        using var database = Store.Open().OpenConnection();
        using var command = database.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var values = new List<string?>();
        while (reader.Read())
        {
            values.Add(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), System.Globalization.CultureInfo.InvariantCulture));
        }
        return values;
    }

    protected void Execute(string sql)
    {
        using var database = Store.Open().OpenConnection();
        using var command = database.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    /// <summary>The site most tests put their customers at.</summary>
    protected void AddSite() => Ok("sites", "add", "Durban", "--name", "Durban");

    /// <summary>A small ledger to work with: currencies, a region, a type, a country.</summary>
    protected void AddLedgerBasics()
    {
        Ok("ledger", "reference", "add", "currency", "ZAR", "--name", "Rand");
        Ok("ledger", "reference", "add", "currency", "USD", "--name", "US dollar");
        Ok("ledger", "reference", "add", "country", "ZA", "--name", "South Africa");
        Ok("ledger", "reference", "add", "region", "KZN", "--name", "KwaZulu-Natal");
        Ok("ledger", "reference", "add", "type", "RET", "--name", "Retail");
    }

    protected string WriteFile(string name, string content)
    {
        var path = Path.Combine(Store.DataDirectory, name);
        File.WriteAllText(path, content);
        return path;
    }

    public void Dispose()
    {
        Store.Dispose();
        GC.SuppressFinalize(this);
    }
}
