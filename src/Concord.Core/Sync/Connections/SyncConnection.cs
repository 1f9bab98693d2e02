using Concord.Core.Common;

namespace Concord.Core.Sync.Connections;

/// <summary>Which way records move (S2).</summary>
public enum SyncDirection
{
    Both,
    ToAccounting,
    FromAccounting,
}

/// <summary>Who wins when both sides changed the same field since the last sync (S4).</summary>
public enum SyncPriority
{
    Accounting,
    Operational,
    Newest,
    Review,
}

/// <summary>
/// One operational system paired with one accounting company (S1): where the accounting side is,
/// direction, priority, replace options, filters, schedule, and the cursors of the last run.
/// Validated once when built; the engine then trusts it.
/// </summary>
public sealed class SyncConnection
{
    public long Id { get; set; }
    public string Name { get; set; } = "";

    /// <summary>KIND[:SETTINGS], e.g. "ledger", "ledger:data=/srv/books", "ledger:store=Host=…".</summary>
    public string Accounting { get; set; } = "ledger";
    public SyncDirection Direction { get; set; } = SyncDirection.Both;
    public SyncPriority Priority { get; set; } = SyncPriority.Accounting;

    /// <summary>The synced fields that may overwrite an existing target record (S5); empty means all.</summary>
    public IReadOnlyList<string> Replace { get; set; } = [];
    public bool CreateOnly { get; set; }
    public IReadOnlyList<string> IncludeTypes { get; set; } = [];
    public bool IncludeInactive { get; set; }

    /// <summary>Customer relations that move (O5, S15): customers only unless configured.</summary>
    public IReadOnlyList<string> Relations { get; set; } = ["customer"];
    public bool PostAccounts { get; set; }
    public string? Schedule { get; set; }

    /// <summary>The site customers created from accounting land on.</summary>
    public string? Site { get; set; }

    /// <summary>The ledger model account new accounting customers are made from (L3).</summary>
    public string? Model { get; set; }

    /// <summary>The target company a person confirmed with --company; unattended runs check it still holds.</summary>
    public string? ConfirmedCompany { get; set; }
    public DateTimeOffset? LastScheduledAt { get; set; }

    /// <summary>When the connection was added: a schedule's first due time counts from here.</summary>
    public DateTimeOffset CreatedAt { get; set; }
    public long OperationalCursor { get; set; }
    public string? AccountingCursor { get; set; }

    public bool PushesToAccounting => Direction != SyncDirection.FromAccounting;

    public bool PullsFromAccounting => Direction != SyncDirection.ToAccounting;

    public string AccountingKind => Accounting.Split(':', 2)[0];

    public Connectors.SyncFilter Filter => new(IncludeTypes, IncludeInactive, Relations);

    public static string DirectionText(SyncDirection direction) => direction switch
    {
        SyncDirection.ToAccounting => "to-accounting",
        SyncDirection.FromAccounting => "from-accounting",
        _ => "both",
    };

    public static SyncDirection ParseDirection(string text, string label) => text.Trim().ToLowerInvariant() switch
    {
        "both" => SyncDirection.Both,
        "to-accounting" => SyncDirection.ToAccounting,
        "from-accounting" => SyncDirection.FromAccounting,
        _ => throw new UserError(label, "direction", $"'{text}' is not one of: both, to-accounting, from-accounting"),
    };

    public static SyncPriority ParsePriority(string text, string label) =>
        Enum.TryParse<SyncPriority>(text.Trim(), ignoreCase: true, out var priority) && !int.TryParse(text, out _)
            ? priority
            : throw new UserError(label, "priority", $"'{text}' is not one of: accounting, operational, newest, review");

    /// <summary>The accounting setting with any password hidden, for listings and messages.</summary>
    public string AccountingForDisplay =>
        System.Text.RegularExpressions.Regex.Replace(Accounting, "(?i)(password|pwd)=[^;,]*", "$1=***");

    /// <summary>Reads one KEY=VALUE of the accounting settings (comma-separated).</summary>
    public string? Setting(string key)
    {
        var parts = Accounting.Split(':', 2);
        if (parts.Length < 2)
        {
            return null;
        }
        foreach (var pair in parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var kv = pair.Split('=', 2);
            if (kv.Length == 2 && Codes.Same(kv[0].Trim(), key))
            {
                return kv[1].Trim();
            }
        }
        return null;
    }
}
