using Concord.Connectors.Files;
using Concord.Connectors.GnuCash;
using Concord.Connectors.Tryton;
using Concord.Core.Connectors;

namespace Concord.Connectors;

/// <summary>The connectors to accounting systems Concord does not own (X2–X4), added to the registry once at start.</summary>
public static class ExternalConnectors
{
    public static void Register() =>
        ConnectorRegistry.Add(new TrytonConnectorKind(), new GnuCashConnectorKind(), new FileConnectorKind(new CsvTable()), new FileConnectorKind(new XlsxTable()));
}
