using Npgsql;

namespace Concord.Tests.Connectors;

/// <summary>The connector contract against the embedded sales ledger (X1) in the same store.</summary>
public sealed class LedgerContractTests : ConnectorContractTests
{
    private readonly string _user = $"nobody_{Guid.NewGuid():N}"[..20];

    protected override string Accounting => "ledger";

    /// <summary>A PostgreSQL ledger whose user the server does not know: refused at login.</summary>
    protected override string Refused()
    {
        var server = new NpgsqlConnectionStringBuilder(Environment.GetEnvironmentVariable(Support.TestStore.PostgresVariable)
            ?? throw new InvalidOperationException($"{Support.TestStore.PostgresVariable} is not set: run the tests with scripts/test.sh"));
        return $"ledger:store=Host=127.0.0.1;Port={server.Port};Username={_user};Password={Secret};Database=postgres;Timeout=5";
    }

    protected override string RefusalNames => _user;

    protected override string Unreachable => "ledger:data=/nonexistent/concord-books";

    protected override string UnreachableNames => "/nonexistent/concord-books";

    protected override string Secret => "Pw-7d1e0c2b-refused";
}
