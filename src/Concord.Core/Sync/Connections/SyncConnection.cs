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

    private string _accounting = "ledger";
    private Func<string>? _reveal;

    /// <summary>
    /// KIND[:SETTINGS], e.g. "ledger", "ledger:data=/srv/books", "ledger:store=Host=…", secrets
    /// included: for connecting only, never for showing (<see cref="AccountingForDisplay"/> is that).
    /// Read from the store, its secrets are decrypted only when it is first used.
    /// </summary>
    public string Accounting
    {
        get
        {
            if (_reveal is { } reveal)
            {
                _accounting = reveal();
                _reveal = null;
            }
            return _accounting;
        }
        set
        {
            _accounting = value;
            _reveal = null;
            AccountingForDisplay = AccountingSetting.Mask(value);
        }
    }

    /// <summary>The accounting setting with every secret masked: what listings, messages and the audit log show.</summary>
    public string AccountingForDisplay { get; private set; } = "ledger";
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
    /// <summary>Which Concord field goes to which field of the accounting system, custom fields and conditions included (S8).</summary>
    public FieldMap FieldMap { get; set; } = FieldMap.Standard;
    public long OperationalCursor { get; set; }
    public string? AccountingCursor { get; set; }

    public bool PushesToAccounting => Direction != SyncDirection.FromAccounting;

    public bool PullsFromAccounting => Direction != SyncDirection.ToAccounting;

    public string AccountingKind => AccountingSetting.Kind(AccountingForDisplay);

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

    /// <summary>The setting as the store keeps it: shown-safe, with the full one decrypted on first use when it holds secrets.</summary>
    internal void AccountingFromStore(string stored, Func<string>? reveal)
    {
        _accounting = stored;
        AccountingForDisplay = AccountingSetting.Mask(stored);
        _reveal = reveal;
    }

    /// <summary>Reads one KEY=VALUE of the accounting settings (comma-separated).</summary>
    public string? Setting(string key) =>
        AccountingSetting.Pairs(Accounting).Where(p => Codes.Same(p.Key, key)).Select(p => p.Value).FirstOrDefault();
}
