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
    private static readonly RecordMapping<LedgerAccount> LedgerMapping = new(LedgerAccount.Schema,
        new Dictionary<string, string> { ["email"] = "ac-email" },
        new Dictionary<string, string>());

    private readonly string? _model;

    public LedgerConnector(Session session, string? model)
        : base(session, AccountService.Table, LedgerMapping) => _model = model;

    public override string Kind => "ledger";

    public override string CompanyName() => Company.Name(Session);

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

    protected override LedgerAccount Edit(string code, IReadOnlyDictionary<string, string?> values, (DbConnection, DbTransaction)? within) =>
        new AccountService(Session) { References = References, Within = within }.Edit(code, values);
}
