using Concord.Store;

namespace Concord.Core.Sync.Connections;

/// <summary>
/// A connection's accounting setting, KIND[:KEY=VALUE;KEY=VALUE…] (',' separates too; e.g.
/// "tryton:url=http://127.0.0.1:8000;database=shop;user=admin", "ledger:store=Host=…"):
/// read, checked and masked in one place. Which settings are secret is decided here too.
/// </summary>
public static class AccountingSetting
{
    /// <summary>Settings whose value is a connection string (which may hold a password).</summary>
    public const string StoreKey = "store";

    /// <summary>The settings known to hold nothing secret (a folder, an address, a name); any other is treated as a secret.</summary>
    private static readonly string[] PlainKeys = ["data", "url", "database", "db", "user", "username", "path", "file", "company", "preset", "map", "export", "currency"];

    public static string Kind(string setting) => setting.Split(':', 2)[0].Trim().ToLowerInvariant();

    /// <summary>
    /// The KEY=VALUE pairs after the kind; commas inside quoted values do not separate, and a
    /// store= connection string runs to the end of the setting (its own commas, as in
    /// Host=a,b, belong to it): give it last.
    /// </summary>
    public static IReadOnlyList<(string Key, string Value)> Pairs(string setting)
    {
        var parts = setting.Split(':', 2);
        if (parts.Length < 2)
        {
            return [];
        }
        var pairs = new List<(string, string)>();
        foreach (var item in SplitOutsideQuotes(parts[1]))
        {
            var kv = item.Split('=', 2);
            pairs.Add(kv.Length == 2 && !IsQuoted(kv[0].Trim()) ? (kv[0].Trim(), Unquote(kv[1].Trim())) : (Unquote(item.Trim()), ""));
        }
        return pairs;
    }

    /// <summary>
    /// Whether a setting of this name may hold a secret: a connection string, a password, key or
    /// token — and any setting not known to be plain, so that a mistyped or unforeseen key is
    /// kept encrypted and masked rather than shown.
    /// </summary>
    public static bool IsSecret(string key) =>
        !PlainKeys.Contains(key.Trim(), StringComparer.OrdinalIgnoreCase);

    public static bool HoldsSecrets(string setting) => Pairs(setting).Any(p => p.Value.Length > 0 && IsSecret(p.Key));

    /// <summary>
    /// The setting as it may be shown anywhere (listings, `connections show`, messages, the audit
    /// log): a connection string with its passwords masked by the driver's own parser, any other
    /// secret setting replaced whole.
    /// </summary>
    public static string Mask(string setting)
    {
        var pairs = Pairs(setting);
        if (pairs.Count == 0)
        {
            return setting;
        }
        return setting.Split(':', 2)[0] + ":" + string.Join(";", pairs.Select(p =>
            p.Value.Length == 0 ? p.Key :
            string.Equals(p.Key, StoreKey, StringComparison.OrdinalIgnoreCase) ? $"{p.Key}={PostgresConnectionString.Mask(p.Value)}"
            : IsSecret(p.Key) ? $"{p.Key}={PostgresConnectionString.Hidden}"
            : $"{p.Key}={p.Value}"));
    }

    private static bool IsQuoted(string text) => text.Length > 0 && text[0] is '"' or '\'';

    /// <summary>A value given in quotes (a path with a comma) without them.</summary>
    private static string Unquote(string text) =>
        text.Length >= 2 && text[0] is '"' or '\'' && text[^1] == text[0] ? text[1..^1] : text;

    private static IEnumerable<string> SplitOutsideQuotes(string text)
    {
        var start = 0;
        char? quote = null;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quote is { } open)
            {
                if (c == open)
                {
                    quote = null;
                }
            }
            else if (c is '"' or '\'')
            {
                quote = c;
            }
            else if (c is ',' or ';' && !text.AsSpan(start).TrimStart().StartsWith(StoreKey + "=", StringComparison.OrdinalIgnoreCase))
            {
                if (i > start)
                {
                    yield return text[start..i];
                }
                start = i + 1;
            }
        }
        if (text.Length > start)
        {
            yield return text[start..];
        }
    }
}
