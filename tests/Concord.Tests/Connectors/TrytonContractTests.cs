using Concord.Connectors.Tryton;
using Concord.Tests.Support;

namespace Concord.Tests.Connectors;

/// <summary>The connector contract against the real trytond of the test command (X2), each test in a fresh database of its own.</summary>
[Collection(TrytonServer.Collection)]
public sealed class TrytonContractTests(TrytonServer server) : ConnectorContractTests
{
    private readonly TrytonOptions _options = server.FreshDatabase();
    private readonly string _stranger = "nobody" + Guid.NewGuid().ToString("N")[..8];

    protected override string Accounting => TrytonServer.Setting(_options);

    /// <summary>A user Tryton does not know: refused at login like a wrong password (never the admin's, whose failed logins Tryton counts).</summary>
    protected override string Refused() => TrytonServer.Setting(_options with { User = _stranger, Password = Secret });

    protected override string RefusalNames => _stranger;

    protected override string Unreachable => TrytonServer.Setting(_options with { Url = new Uri(UnreachableNames) });

    protected override string UnreachableNames { get; } = $"http://127.0.0.1:{Loopback.FreePort()}/";

    protected override string Secret => "Pw-tryton-4f1c-refused";
}
