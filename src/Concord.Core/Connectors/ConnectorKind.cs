using Concord.Core.Common;
using Concord.Core.Sync.Connections;

namespace Concord.Core.Connectors;

/// <summary>
/// One kind of accounting system Concord connects to ("ledger", "tryton", "gnucash", "csv", …):
/// how its settings read (validated once, into typed options) and how a connector to it opens.
/// </summary>
public interface IConnectorKind
{
    /// <summary>The word before the colon of --accounting KIND:SETTINGS.</summary>
    string Kind { get; }

    /// <summary>What the settings look like, for messages and help: "tryton:url=URL;database=NAME;user=NAME;password=SECRET".</summary>
    string Usage { get; }

    /// <summary>Reads and checks the settings; a <see cref="UserError"/> names the setting at fault.</summary>
    object Parse(ConnectorSettings settings);

    IConnector Open(object options, ConnectorContext context);
}

/// <summary>A kind whose settings become <typeparamref name="TOptions"/>: parsed once, then trusted.</summary>
public abstract class ConnectorKind<TOptions> : IConnectorKind
    where TOptions : class
{
    public abstract string Kind { get; }

    public abstract string Usage { get; }

    public abstract TOptions Parse(ConnectorSettings settings);

    public abstract IConnector Open(TOptions options, ConnectorContext context);

    object IConnectorKind.Parse(ConnectorSettings settings) => Parse(settings);

    IConnector IConnectorKind.Open(object options, ConnectorContext context) => Open((TOptions)options, context);
}

/// <summary>What a connector opens with besides its options: the user's session and the connection it serves.</summary>
public sealed record ConnectorContext(Session Session, SyncConnection Connection);

/// <summary>
/// The settings after KIND: as KEY=VALUE pairs (separated by ';' or ','), read by name with
/// messages that name the connection and the setting. A bare item without '=' is the kind's
/// path (gnucash:/books/shop.gnucash).
/// </summary>
public sealed class ConnectorSettings(string label, string kind, IReadOnlyList<(string Key, string Value)> pairs)
{
    public static ConnectorSettings Of(string label, string setting) =>
        new(label, AccountingSetting.Kind(setting), AccountingSetting.Pairs(setting));

    /// <summary>"connection NAME": the record of every message.</summary>
    public string Label { get; } = label;

    public string Kind { get; } = kind;

    public IReadOnlyList<(string Key, string Value)> Pairs { get; } = pairs;

    public string? Optional(string key) =>
        Pairs.Where(p => Codes.Same(p.Key, key)).Select(p => p.Value).FirstOrDefault() is { Length: > 0 } value ? value : null;

    public string Required(string key, string usage) =>
        Optional(key) ?? throw Error($"{key}= is missing; the setting reads {usage}");

    /// <summary>The one item given without a key (a file or folder), or the value of <paramref name="key"/>.</summary>
    public string? PathOr(string key) =>
        Pairs.Where(p => p.Value.Length == 0).Select(p => p.Key).FirstOrDefault() is { Length: > 0 } bare ? bare : Optional(key);

    /// <summary>Refuses keys the kind does not know (and a bare item where it takes no path), so a typo is not silently ignored.</summary>
    public void OnlyKnown(string usage, bool takesPath, params string[] keys)
    {
        foreach (var (key, value) in Pairs)
        {
            if (value.Length == 0 ? !takesPath : !keys.Any(k => Codes.Same(k, key)))
            {
                throw Error($"'{key}' is not a setting of {Kind}; the setting reads {usage}");
            }
        }
    }

    public UserError Error(string reason) => new(Label, "accounting", reason);
}

/// <summary>The kinds of accounting system this build knows, by name. The embedded ledger is always there.</summary>
public static class ConnectorRegistry
{
    private static readonly List<IConnectorKind> Known = [new LedgerConnectorKind()];
    private static readonly Lock Guard = new();

    public static IReadOnlyList<IConnectorKind> Kinds
    {
        get
        {
            lock (Guard)
            {
                return [.. Known];
            }
        }
    }

    /// <summary>Adds kinds (the program adds the external connectors at start); adding one twice keeps one.</summary>
    public static void Add(params IConnectorKind[] kinds)
    {
        lock (Guard)
        {
            foreach (var kind in kinds)
            {
                Known.RemoveAll(k => k.Kind == kind.Kind);
                Known.Add(kind);
            }
        }
    }

    public static IConnectorKind Find(string kind, string label) =>
        Kinds.FirstOrDefault(k => Codes.Same(k.Kind, kind))
        ?? throw new UserError(label, "accounting", $"'{kind}' is not a kind of accounting system Concord knows; use one of: {string.Join(", ", Kinds.Select(k => k.Usage))}");

    /// <summary>The typed options of a setting: parsed and checked, or a message naming the setting.</summary>
    public static object Parse(string label, string setting)
    {
        var settings = ConnectorSettings.Of(label, setting);
        return Find(settings.Kind, label).Parse(settings);
    }
}
