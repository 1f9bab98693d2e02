using System.Data.Common;

namespace Concord.Core.Common;

/// <summary>
/// Answers "does this code exist, and how is it spelled in the store?" for the small reference
/// tables (sites, regions, currencies, profiles, …). Each table is read once per resolver, so a
/// whole import checks its references without a query per row.
/// </summary>
public sealed class ReferenceResolver(DbConnection connection, DbTransaction? transaction)
{
    /// <summary>The ledger's reference kinds (L2), as typed on the command line.</summary>
    public static readonly IReadOnlyList<string> LedgerKinds =
        ["region", "territory", "type", "cost-centre", "department", "despatch-method", "route", "country", "currency"];

    /// <summary>Whether <paramref name="kind"/> is ledger reference data or a profile (not a site or another record).</summary>
    public static bool IsLedgerReference(string kind) => LedgerKinds.Contains(kind) || kind is "options-profile" or "terms-profile";

    private readonly Dictionary<string, Dictionary<string, string>> _tables = new(StringComparer.Ordinal);

    /// <summary>The stored spelling of <paramref name="code"/> in <paramref name="kind"/>, or null when it does not exist.</summary>
    public string? Find(string kind, string code) =>
        Table(kind).TryGetValue(Codes.Key(code), out var canonical) ? canonical : null;

    /// <summary>
    /// Every reference table read once, for work that writes many records in a row (a sync run):
    /// the snapshot answers without its connection afterwards.
    /// </summary>
    public static ReferenceResolver Snapshot(Store.Database database)
    {
        using var connection = database.OpenConnection();
        var resolver = new ReferenceResolver(connection, null);
        foreach (var kind in LedgerKinds.Concat(["site", "customer-class", "options-profile", "terms-profile"]))
        {
            resolver.Table(kind);
        }
        return resolver;
    }

    private Dictionary<string, string> Table(string kind)
    {
        if (_tables.TryGetValue(kind, out var table))
        {
            return table;
        }
        var (sql, parameter) = kind switch
        {
            "site" => ("SELECT code_key, code FROM sites", null),
            "customer-class" => ("SELECT code_key, code FROM customer_classes", null),
            "options-profile" => ("SELECT code_key, code FROM ledger_options_profiles", null),
            "terms-profile" => ("SELECT code_key, code FROM ledger_terms_profiles", null),
            _ when LedgerKinds.Contains(kind) => ("SELECT code_key, code FROM ledger_reference WHERE kind = @kind", kind),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not a reference kind"),
        };
        table = new Dictionary<string, string>(StringComparer.Ordinal);
        using (var command = Sql.Command(connection, transaction, sql, ("kind", parameter)))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                table[reader.GetString(0)] = reader.GetString(1);
            }
        }
        _tables[kind] = table;
        return table;
    }
}
