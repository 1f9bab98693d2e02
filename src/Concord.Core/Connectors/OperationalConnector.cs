using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Operational;

namespace Concord.Core.Connectors;

/// <summary>
/// The operational side of a sync: account customers with the sync flag on (O2, O5). Operational
/// customers never move on their own. Customers created from accounting land on the
/// connection's site as account customers.
/// </summary>
/// <param name="map">the connection's field map: the custom fields it carries are operational fields by name (S8).</param>
public sealed class OperationalConnector(Session session, string? site, Sync.Connections.FieldMap? map = null)
    : StoreConnector<OperationalCustomer>(session, CustomerService.Table, new(OperationalCustomer.Schema,
        (map ?? Sync.Connections.FieldMap.Standard).Fields,
        new Dictionary<string, string>(),
        new Dictionary<string, string> { ["credit-limit"] = "0.00" }))
{

    public override string Kind => "operational";

    /// <summary>Operational customers include suppliers (O5).</summary>
    public override ConnectorCapabilities Capabilities => base.Capabilities | ConnectorCapabilities.Suppliers;

    public override string CompanyName() => Ledger.Company.Name(Session);

    /// <summary>The customers that take part in a sync at all: account customers with the sync flag on (O2, O5).</summary>
    public const string TakesPart = "kind = 'account' AND sync_to_accounting";

    protected override string Eligible(SyncFilter filter) =>
        TakesPart + (filter.IncludeInactive ? "" : " AND active");

    protected override string[] ExtraFields => ["type", "active", "relation", "modified-at"];

    protected override SyncRecord FromRow(string code, string?[] values, DbDataReader reader, int at) =>
        new(code, values)
        {
            Type = Extra<string?>(reader, at) is { } type ? Mapping.Share(type) : null,
            Active = Extra<bool>(reader, at + 1),
            Relation = Mapping.Share(Extra<string>(reader, at + 2)),
            Modified = Extra<DateTimeOffset?>(reader, at + 3),
        };

    protected override SyncRecord ToSync(OperationalCustomer customer) =>
        Mapping.ToSync(customer, customer.ModifiedAt, customer.Type, customer.Active, customer.Relation);

    protected override IReadOnlyList<(OperationalCustomer?, UserError?)> AddMany(IReadOnlyList<IReadOnlyDictionary<string, string?>> values, (DbConnection, DbTransaction) within) =>
        NoSite(values) is { } refused
            ? [.. values.Select(_ => ((OperationalCustomer?)null, (UserError?)refused))]
            : new CustomerService(Session) { References = References, Within = within }.AddMany(WithDefaults(values, site!));

    protected override IReadOnlyList<UserError?> Refusals(IReadOnlyList<IReadOnlyDictionary<string, string?>> values) =>
        NoSite(values) is { } refused
            ? [.. values.Select(_ => refused)]
            : new CustomerService(Session) { References = References }.Refusals(WithDefaults(values, site!));

    /// <summary>Customers from accounting land on the connection's site: without one, every create is refused.</summary>
    private UserError? NoSite(IReadOnlyList<IReadOnlyDictionary<string, string?>> values) =>
        site is not null || values.Count == 0 ? null : new UserError($"customer {values[0].GetValueOrDefault("code")}", "site",
            $"the connection has no site for customers that come from accounting; set one with '{CommandHint.For("connections set NAME --site CODE")}'");

    private static List<IReadOnlyDictionary<string, string?>> WithDefaults(IReadOnlyList<IReadOnlyDictionary<string, string?>> values, string site) =>
        [.. values.Select(v => (IReadOnlyDictionary<string, string?>)new Dictionary<string, string?>(v)
        {
            ["kind"] = OperationalCustomer.AccountKind,
            ["sync-to-accounting"] = "yes",
            ["site"] = site,
        })];

    protected override OperationalCustomer Edit(string code, IReadOnlyDictionary<string, string?> values, (DbConnection, DbTransaction)? within) =>
        new CustomerService(Session) { References = References, Within = within }.Edit(code, values);
}
