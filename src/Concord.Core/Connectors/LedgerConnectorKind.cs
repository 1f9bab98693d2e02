using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Sync.Connections;
using Concord.Core.Sync.Running;
using Concord.Store;

namespace Concord.Core.Connectors;

/// <summary>Where an embedded ledger is: this store (neither set), another data folder, or a PostgreSQL store.</summary>
public sealed record LedgerOptions(string? Data, string? Store);

/// <summary>The embedded sales ledger (X1): in this store, another Concord data folder, or a PostgreSQL store.</summary>
public sealed class LedgerConnectorKind : ConnectorKind<LedgerOptions>
{
    public override string Kind => "ledger";

    public override string Usage => "ledger[:data=FOLDER|store=CONNECTION-STRING]";

    public override LedgerOptions Parse(ConnectorSettings settings)
    {
        settings.OnlyKnown(Usage, takesPath: false, "data", AccountingSetting.StoreKey);
        var store = settings.Optional(AccountingSetting.StoreKey);
        if (store is not null)
        {
            try
            {
                PostgresConnectionString.Parse(store);
            }
            catch (StoreException error)
            {
                throw settings.Error($"store=: {error.Message}");
            }
        }
        return new LedgerOptions(settings.Optional("data"), store);
    }

    public override IConnector Open(LedgerOptions options, ConnectorContext context)
    {
        var (session, connection) = (context.Session, context.Connection);
        var (data, store) = (options.Data, options.Store);
        if (data is null && store is null)
        {
            return new LedgerConnector(session, connection.Model, connection.FieldMap);
        }
        var where = store is null ? $"the data folder {data}" : "the PostgreSQL server of the connection's store setting";
        if (store is null && !File.Exists(Path.Combine(data!, Database.SqliteFileName)))
        {
            throw new ConnectorUnavailableException($"the ledger in {where} cannot be found",
                $"check the path with '{CommandHint.For($"connections set {CommandHint.Quote(connection.Name)} --accounting ledger:data=FOLDER")}'; nothing was written");
        }
        try
        {
            // Its keys stay this store's: the other ledger's own secrets are not needed to sync with it.
            var database = Database.Open(data ?? session.Database.DataDirectory, store, session.Clock);
            return new LedgerConnector(new Session(database, session.User, session.Clock), connection.Model, connection.FieldMap);
        }
        catch (StoreException error) when (error.Problem == StoreProblem.Invalid)
        {
            throw new UserError($"connection {connection.Name}", "accounting",
                $"store=: {error.Message}; correct it with '{CommandHint.For($"connections set {CommandHint.Quote(connection.Name)} --accounting ledger:store=…")}'");
        }
        catch (StoreException error) when (error.Problem == StoreProblem.Missing)
        {
            throw new UserError($"connection {connection.Name}", "accounting",
                $"{error.Message} ({connection.AccountingForDisplay}); create it with '{InitThere(data, store)}', or correct the setting with '{CommandHint.For($"connections set {CommandHint.Quote(connection.Name)} --accounting …")}'");
        }
        catch (DbException error)
        {
            throw ConnectorFactory.Unreachable(connection, where, error);
        }
    }

    // The other ledger's own init: its folder or store, not the one the user is working in.
    private static string InitThere(string? data, string? store) =>
        store is null
            ? $"concord init --data {CommandHint.Quote(data!)}"
            : $"concord init --store {CommandHint.Quote(PostgresConnectionString.Mask(store))}";
}
