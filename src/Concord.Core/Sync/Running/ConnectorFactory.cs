using System.Data.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Connections;
using Concord.Store;

namespace Concord.Core.Sync.Running;

/// <summary>Opens the two sides of a connection. The accounting side's kind decides the connector.</summary>
public static class ConnectorFactory
{
    public static IConnector Operational(Session session, SyncConnection connection) =>
        new OperationalConnector(session, connection.Site);

    public static IConnector Accounting(Session session, SyncConnection connection) =>
        FaultInjection.Wrap(OpenAccounting(session, connection));

    private static IConnector OpenAccounting(Session session, SyncConnection connection)
    {
        switch (connection.AccountingKind)
        {
            case "ledger":
                var data = connection.Setting("data");
                var store = connection.Setting("store");
                if (data is null && store is null)
                {
                    return new LedgerConnector(session, connection.Model);
                }
                var where = store is null ? $"the data folder {data}" : "the PostgreSQL server of the connection's store setting";
                if (store is null && !File.Exists(Path.Combine(data!, Database.SqliteFileName)))
                {
                    throw new ConnectorUnavailableException($"the ledger in {where} cannot be found",
                        $"check the path with '{Common.CommandHint.For($"connections set {Common.CommandHint.Quote(connection.Name)} --accounting ledger:data=FOLDER")}'; nothing was written");
                }
                try
                {
                    // Its keys stay this store's: the other ledger's own secrets are not needed to sync with it.
                    var database = Database.Open(data ?? session.Database.DataDirectory, store, session.Clock);
                    return new LedgerConnector(new Session(database, session.User, session.Clock), connection.Model);
                }
                catch (StoreException error) when (error.Problem == StoreProblem.Invalid)
                {
                    throw new Common.UserError($"connection {connection.Name}", "accounting",
                        $"store=: {error.Message}; correct it with '{Common.CommandHint.For($"connections set {Common.CommandHint.Quote(connection.Name)} --accounting ledger:store=…")}'");
                }
                catch (StoreException error) when (error.Problem == StoreProblem.Missing)
                {
                    throw new Common.UserError($"connection {connection.Name}", "accounting",
                        $"{error.Message} ({connection.AccountingForDisplay}); create it with '{InitThere(data, store)}', or correct the setting with '{Common.CommandHint.For($"connections set {Common.CommandHint.Quote(connection.Name)} --accounting …")}'");
                }
                catch (DbException error)
                {
                    throw Unreachable(connection, where, error);
                }
            default:
                throw new Common.UserError($"connection {connection.Name}", "accounting", $"'{connection.AccountingKind}' is not a connector of this version");
        }
    }

    // The other ledger's own init: its folder or store, not the one the user is working in.
    private static string InitThere(string? data, string? store) =>
        store is null
            ? $"concord init --data {Common.CommandHint.Quote(data!)}"
            : $"concord init --store {Common.CommandHint.Quote(PostgresConnectionString.Mask(store))}";

    /// <summary>The one message for an accounting system that cannot be reached or refuses us (S14).</summary>
    public static ConnectorUnavailableException Unreachable(SyncConnection connection, string where, Exception error) =>
        new($"the accounting system of connection {connection.Name} ({where}) cannot be reached: {FirstLine(error.Message)}",
            "start it or correct the connection's settings, then run the sync again; nothing was half-written and the queued changes wait", error);

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
