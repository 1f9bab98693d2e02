using Concord.Core.Connectors;
using Concord.Core.Sync.Connections;

namespace Concord.Core.Sync.Running;

/// <summary>Opens the two sides of a connection. The accounting side's kind decides the connector.</summary>
public static class ConnectorFactory
{
    public static IConnector Operational(Session session, SyncConnection connection) =>
        new OperationalConnector(session, connection.Site, connection.FieldMap);

    /// <summary>The record a connector names when a line of the field map does not fit its system; the factory adds the connection and the remedy.</summary>
    public const string FieldMapRecord = "field map";

    public static IConnector Accounting(Session session, SyncConnection connection) =>
        FaultInjection.Wrap(OpenAccounting(session, connection));

    private static IConnector OpenAccounting(Session session, SyncConnection connection)
    {
        var label = $"connection {connection.Name}";
        var settings = ConnectorSettings.Of(label, connection.Accounting);
        var kind = ConnectorRegistry.Find(settings.Kind, label);
        object options;
        try
        {
            options = kind.Parse(settings);
        }
        catch (Common.UserError error)
        {
            // Saved by an earlier version, or edited since: say how to put it right.
            throw new Common.UserError(label, "accounting",
                $"{error.Errors[0].Reason}; correct it with '{Common.CommandHint.For($"connections set {Common.CommandHint.Quote(connection.Name)} --accounting {kind.Usage}")}'");
        }
        IConnector connector;
        try
        {
            connector = kind.Open(options, new ConnectorContext(session, connection));
        }
        catch (Common.UserError error) when (error.Errors[0].Record == FieldMapRecord)
        {
            throw MisMapped(connection, error.Errors[0].Field, error.Errors[0].Reason);
        }
        if (!connection.FieldMap.IsStandard && !connector.Can(ConnectorCapabilities.FieldMap))
        {
            connector.Dispose();
            throw new Common.UserError($"{label} field map", null,
                $"{connector.Kind} does not take a field map in this version; remove its lines with '{Common.CommandHint.For($"connections unmap {Common.CommandHint.Quote(connection.Name)} FIELD")}'");
        }
        return connector;
    }

    /// <summary>
    /// A line of the connection's field map that does not fit its system, with the remedy: thrown by the
    /// factory for a connector's Open, or by a connector that can only tell once it reaches its system.
    /// </summary>
    public static Common.UserError MisMapped(SyncConnection connection, string? field, string reason) =>
        new($"connection {connection.Name} field map", field,
            $"{reason}; change it with '{Common.CommandHint.For($"connections map {Common.CommandHint.Quote(connection.Name)} {field} FIELD")}'");

    /// <summary>The one message for an accounting system that cannot be reached or refuses us (S14).</summary>
    public static ConnectorUnavailableException Unreachable(SyncConnection connection, string where, Exception error) =>
        new($"the accounting system of connection {connection.Name} ({where}) cannot be reached: {FirstLine(error.Message)}",
            "start it or correct the connection's settings, then run the sync again; nothing was half-written and the queued changes wait", error);

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
