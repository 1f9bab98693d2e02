using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Ledger;

namespace Concord.Core.Connectors;

/// <summary>
/// The embedded sales ledger as the accounting side of a sync (X1): in the same store, or in
/// another data folder or PostgreSQL database. New accounts are made from the connection's model
/// account (L3) when one is set, and pass every ledger rule (L2, L5) like any other account.
/// </summary>
public sealed class LedgerConnector : StoreConnector<LedgerAccount>
{
    /// <summary>The ledger's own field for each synced field where the names differ.</summary>
    private static readonly Dictionary<string, string> LedgerNames = new() { ["email"] = "ac-email" };

    /// <summary>Fields the ledger stamps or keeps itself (L1): never written by a sync.</summary>
    private static readonly string[] SystemFields = ["code", "first-created", "last-modified", "balance", "is-model", "dormant", "marked-for-deletion"];

    private readonly string? _model;

    public LedgerConnector(Session session, string? model, Sync.Connections.FieldMap? map = null)
        : base(session, AccountService.Table, MapFields(map ?? Sync.Connections.FieldMap.Standard)) => _model = model;

    /// <summary>The ledger's fields for a connection's field map (S8): a mapped field goes to the ledger field named, which must exist and be writable.</summary>
    private static RecordMapping<LedgerAccount> MapFields(Sync.Connections.FieldMap map)
    {
        var names = new Dictionary<string, string>(LedgerNames);
        foreach (var entry in map.Entries)
        {
            var field = LedgerAccount.Schema.Find(entry.Target);
            if (field is null || SystemFields.Contains(field.Name))
            {
                throw new UserError(Sync.Running.ConnectorFactory.FieldMapRecord, entry.Field,
                    $"the ledger has no field '{entry.Target}' a sync may write; its fields are {string.Join(", ", LedgerAccount.Schema.Fields.Select(f => f.Name).Where(n => !SystemFields.Contains(n)))}");
            }
            names[entry.Field] = field.Name;
        }
        return new RecordMapping<LedgerAccount>(LedgerAccount.Schema, map.Fields, names, new Dictionary<string, string>());
    }

    public override string Kind => "ledger";

    public override ConnectorCapabilities Capabilities => base.Capabilities | ConnectorCapabilities.FieldMap;

    public override string CompanyName() => Company.Name(Session);

    public override IInvoiceTarget Invoices => new LedgerInvoices(Session);

    protected override string Eligible(SyncFilter filter) =>
        "NOT is_model AND NOT marked_for_deletion" + (filter.IncludeInactive ? "" : " AND NOT dormant");

    protected override string[] ExtraFields => ["customer-type", "dormant", "last-modified"];

    protected override SyncRecord FromRow(string code, string?[] values, DbDataReader reader, int at) =>
        new(code, values)
        {
            Type = Extra<string?>(reader, at) is { } type ? Mapping.Share(type) : null,
            Active = !Extra<bool>(reader, at + 1),
            Modified = Extra<DateTimeOffset?>(reader, at + 2),
        };

    protected override SyncRecord ToSync(LedgerAccount account) =>
        Mapping.ToSync(account, account.LastModified, account.CustomerType, !account.Dormant);

    protected override IReadOnlyList<(LedgerAccount?, UserError?)> AddMany(IReadOnlyList<IReadOnlyDictionary<string, string?>> values, (DbConnection, DbTransaction) within) =>
        new AccountService(Session) { References = References, Within = within }.AddMany(values, _model);

    protected override IReadOnlyList<UserError?> Refusals(IReadOnlyList<IReadOnlyDictionary<string, string?>> values) =>
        new AccountService(Session) { References = References }.Refusals(values, _model);

    protected override LedgerAccount Edit(string code, IReadOnlyDictionary<string, string?> values, (DbConnection, DbTransaction)? within) =>
        new AccountService(Session) { References = References, Within = within }.Edit(code, values);
}
