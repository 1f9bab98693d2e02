using System.Text.Json.Serialization;

namespace Concord.Core.Sync.Planning;

/// <summary>How a person asked to see a preview (S9): everything or only what is out of sync, one column to sort by, one direction or both.</summary>
public sealed record PreviewOptions
{
    /// <summary>The columns a preview sorts by; "code" is a line's operational code, or its accounting code when it has none.</summary>
    public static readonly IReadOnlyList<string> SortColumns = ["code", "operational", "accounting", "name", "vat", "action"];

    /// <summary>The two panes by name.</summary>
    public const string ToAccountingPane = "to-accounting";
    public const string FromAccountingPane = "from-accounting";

    public bool All { get; init; }
    public string Sort { get; init; } = "code";
    public bool Descending { get; init; }

    /// <summary>Null for both panes, or <see cref="ToAccountingPane"/> / <see cref="FromAccountingPane"/>.</summary>
    public string? Pane { get; init; }

    /// <summary>Refuses a sort column or pane that does not exist, naming it, before the sides are compared.</summary>
    public void Check(string connection)
    {
        if (!SortColumns.Contains(Sort))
        {
            throw new Common.UserError($"connection {connection} preview", "sort", $"is one of {string.Join(", ", SortColumns)}, not '{Sort}'");
        }
        if (Pane is not (null or ToAccountingPane or FromAccountingPane))
        {
            throw new Common.UserError($"connection {connection} preview", "pane", $"is {ToAccountingPane} or {FromAccountingPane}, not '{Pane}'");
        }
    }
}

/// <summary>A field as it is now on the target side and as the sync leaves it, with the target's name for it (S8).</summary>
public sealed record PreviewChange(string Field, string? MappedTo, string? Before, string? After);

/// <summary>Why the target side will refuse a create, said before anything is written (S11).</summary>
public sealed record PreviewRefusal(string? Field, string? Reason);

/// <summary>
/// One line of a pane as a person reads it: both codes, the name and VAT number, what the run does
/// to it here ("create", "update", "link", "confirm" for a proposal, or "none"), the field changes
/// in the pane's direction, a proposal's candidates, score and agreement, and any refusal foreseen.
/// </summary>
public sealed record PreviewLine
{
    public string? Operational { get; init; }
    public string? Accounting { get; init; }
    public string? Name { get; init; }
    public string? Vat { get; init; }
    public required string Action { get; init; }
    public string? Match { get; init; }
    public IReadOnlyList<PreviewChange> Changes { get; init; } = [];
    public IReadOnlyList<string> Candidates { get; init; } = [];
    public double? Score { get; init; }
    public IReadOnlyDictionary<string, string>? Agreement { get; init; }
    public string? Note { get; init; }
    public PreviewRefusal? WillBeRefused { get; init; }

    /// <summary>The code a selection names the line by (the operational code, or the accounting one).</summary>
    [JsonIgnore] public string Key { get; init; } = "";

    /// <summary>What happens to the whole line in words ("create in accounting", "link (vat) + update", "in sync").</summary>
    [JsonIgnore] public string Description { get; init; } = "";

    /// <summary>The line's note as a person reads it: a refusal foreseen, a proposal's score and agreement, candidates, held fields.</summary>
    [JsonIgnore] public string? Shown { get; init; }

    /// <summary>Whether the run would write anything for this line, so a person can select or unselect it.</summary>
    [JsonIgnore] public bool Selectable => Action is "create" or "update" or "link";
}

/// <summary>One direction of a preview (seed 003's two panes): only on this side, only on the other, differing, and, when asked for, in sync.</summary>
public sealed record PreviewPane(
    IReadOnlyList<PreviewLine> OnlyHere,
    IReadOnlyList<PreviewLine> OnlyThere,
    IReadOnlyList<PreviewLine> Differing,
    IReadOnlyList<PreviewLine>? InSync);

/// <summary>A field changed on both sides that waits for a person, with the three values (S4).</summary>
public sealed record PreviewHeldField(string Field, string? OperationalValue, string? AccountingValue, string? BaseValue);

public sealed record PreviewHeld(string? Operational, string? Accounting, string? Name, IReadOnlyList<PreviewHeldField> Fields);

/// <summary>A record an earlier full run proposed or found ambiguous, still waiting for a person.</summary>
public sealed record PreviewWaiting(string Side, string Code, string Reason);

/// <summary>How many lines of each kind a preview holds; invoices to post and invoices that wait (O3).</summary>
public sealed record PreviewSummary(
    int CreateInAccounting, int CreateInOperational, int Link, int UpdateAccounting, int UpdateOperational, int InSync,
    int Ambiguous, int Proposals, int Held, int Never, int WillBeRefused, int InvoicesToPost = 0, int InvoicesWaiting = 0, int InvoicesWillBeRefused = 0);

/// <summary>
/// An operational invoice as a preview shows it (O3): what the run does with it ("post", "record"
/// when the ledger has it already, "wait"), where it goes and by which class, and why it waits or
/// will be refused.
/// </summary>
public sealed record PreviewInvoice(
    string Number, string Kind, string Customer, string? AccountCustomer, string? CustomerClass, string Posting, string? Account, string? LineFor,
    string Date, decimal Amount, decimal Vat, string? Currency, string Action, string? Note, PreviewRefusal? WillBeRefused)
{
    /// <summary>The invoice's line in a one-table view: what happens and why.</summary>
    public static PreviewInvoice Of(InvoiceLine line)
    {
        var invoice = line.Invoice;
        var action = line.PostedBefore is not null ? "record" : line.Waits is not null ? "wait" : "post";
        var note = line.Waits
            ?? (line.WillBeRefused is { } refused ? $"will be refused: {refused.Errors[0].Field}: {refused.Errors[0].Reason}" : null)
            ?? (line.PostedBefore is { } id ? $"in accounting already as transaction {id}: recorded, not posted again" : null)
            ?? (line.AfterCustomers ? $"to the account this run makes for {line.AccountCustomer}" : null)
            ?? (line.Posting == Operational.CustomerClass.GenericPosting ? $"generic ({line.Class}), the line names {line.LineFor}" : $"1:1{(line.Class is null ? "" : $" ({line.Class})")}");
        return new PreviewInvoice(invoice.Number, Ledger.LedgerTransaction.Name(invoice.Kind), invoice.Customer, line.AccountCustomer, line.Class, line.Posting, line.Account, line.LineFor,
            Ledger.FinancialYear.Text(invoice.Date), invoice.Amount, invoice.Vat, invoice.Currency, action, note,
            line.WillBeRefused is { } r ? new PreviewRefusal(r.Errors[0].Field, r.Errors[0].Reason) : null);
    }
}

/// <summary>One line of the preview as a single table (the command line's view): what happens, both codes, the name, the changes both ways, a note.</summary>
public sealed record PreviewRow(string Action, string? Operational, string? Accounting, string? Name, string Changes, string? Note);

/// <summary>
/// What a run would do, as a person reads it (S9): the plan's lines in two panes per direction
/// (only here, only there, differing), the proposals, ambiguous and held records, never-sync
/// marks, what waits for a decision, and the counts, sorted by the column asked for. Built once
/// here for the command line, the API and the screens alike.
/// </summary>
public sealed class Preview
{
    public required string Connection { get; init; }
    public required string Company { get; init; }
    public bool Full { get; init; }
    public PreviewPane? ToAccounting { get; init; }
    public PreviewPane? FromAccounting { get; init; }
    public required IReadOnlyList<PreviewLine> Ambiguous { get; init; }
    public required IReadOnlyList<PreviewLine> Proposals { get; init; }
    public required IReadOnlyList<PreviewHeld> Held { get; init; }
    public required IReadOnlyList<PreviewLine> Never { get; init; }
    public required IReadOnlyList<PreviewWaiting> Waiting { get; init; }
    public required PreviewSummary Summary { get; init; }

    /// <summary>The operational invoices the connection has not posted, oldest first (O3).</summary>
    public IReadOnlyList<PreviewInvoice> Invoices { get; init; } = [];

    /// <summary>Why invoices wait without being planned (the accounting side takes none), or null.</summary>
    public string? InvoicesNotTaken { get; init; }

    /// <summary>The lines as one table, out-of-sync only unless everything was asked for, limited to the pane asked for.</summary>
    [JsonIgnore] public IReadOnlyList<PreviewRow> Rows { get; init; } = [];

    public static Preview Of(string connection, string company, Plan plan, PreviewOptions options)
    {
        options.Check(connection);
        var lines = Sorted(plan.Lines, options.Sort, options.Descending);
        PreviewLine Line(PlanLine line, string action, IReadOnlyList<FieldChange> changes) => new()
        {
            Key = line.Key,
            Description = Describe(line),
            Shown = Note(line),
            Operational = line.OperationalCode,
            Accounting = line.AccountingCode,
            Name = line.Name,
            Vat = line.Vat,
            Action = action,
            Match = line.Match?.ToString().ToLowerInvariant(),
            Changes = [.. changes.Select(c => new PreviewChange(c.Field, plan.FieldMap.Of(c.Field)?.Target, c.Before, c.After))],
            Candidates = line.Candidates,
            Score = line.Score,
            Agreement = line.Agreement.Count == 0 ? null : line.Agreement.ToDictionary(a => a.Field, a => a.Level),
            Note = line.Note,
            WillBeRefused = line.WillBeRefused is { } refused ? new PreviewRefusal(refused.Field, refused.Reason) : null,
        };
        PreviewPane Pane(bool toAccounting)
        {
            bool HereOnly(PlanLine l) => toAccounting
                ? l.Kind == LineKind.CreateInAccounting || (l.Kind == LineKind.OneSided && l.Accounting is null)
                : l.Kind == LineKind.CreateInOperational || (l.Kind == LineKind.OneSided && l.Operational is null);
            bool ThereOnly(PlanLine l) => toAccounting
                ? l.Kind == LineKind.CreateInOperational || (l.Kind == LineKind.OneSided && l.Operational is null)
                : l.Kind == LineKind.CreateInAccounting || (l.Kind == LineKind.OneSided && l.Accounting is null);
            IReadOnlyList<FieldChange> Changes(PlanLine l) => toAccounting ? l.ToAccounting : l.ToOperational;
            var creates = toAccounting ? LineKind.CreateInAccounting : LineKind.CreateInOperational;
            return new PreviewPane(
                [.. lines.Where(HereOnly).Select(l => Line(l, l.Kind == creates ? "create" : "none", []))],
                [.. lines.Where(ThereOnly).Select(l => Line(l, "none", []))],
                [.. lines.Where(l => l.Kind == LineKind.Pair && (Changes(l).Count > 0 || l.NewLink)).Select(l => Line(l, Changes(l).Count > 0 ? "update" : "link", Changes(l)))],
                options.All ? [.. lines.Where(l => l.InSync).Select(l => Line(l, "none", []))] : null);
        }
        var pane = options.Pane;
        return new Preview
        {
            Connection = connection,
            Company = company,
            Full = plan.Full,
            ToAccounting = pane is null or PreviewOptions.ToAccountingPane ? Pane(true) : null,
            FromAccounting = pane is null or PreviewOptions.FromAccountingPane ? Pane(false) : null,
            Ambiguous = [.. lines.Where(l => l.Kind == LineKind.Ambiguous).Select(l => Line(l, "none", []))],
            Proposals = [.. lines.Where(l => l.Kind == LineKind.Proposal).Select(l => Line(l, "confirm", []))],
            Held = [.. lines.Where(l => l.Held.Count > 0).Select(l => new PreviewHeld(l.OperationalCode, l.AccountingCode, l.Name,
                [.. l.Held.Select(h => new PreviewHeldField(h.Field, h.Operational, h.Accounting, h.Base))]))],
            Never = [.. lines.Where(l => l.Kind == LineKind.Never).Select(l => Line(l, "none", []))],
            Waiting = [.. plan.Waiting.Select(w => new PreviewWaiting(w.Side, w.Code, w.Reason))],
            Summary = new PreviewSummary(
                lines.Count(l => l.Kind == LineKind.CreateInAccounting),
                lines.Count(l => l.Kind == LineKind.CreateInOperational),
                lines.Count(l => l.NewLink),
                lines.Count(l => l.ToAccounting.Count > 0),
                lines.Count(l => l.ToOperational.Count > 0),
                lines.Count(l => l.InSync),
                lines.Count(l => l.Kind == LineKind.Ambiguous),
                lines.Count(l => l.Kind == LineKind.Proposal),
                lines.Count(l => l.Held.Count > 0),
                lines.Count(l => l.Kind == LineKind.Never),
                lines.Count(l => l.WillBeRefused is not null),
                plan.Invoices.Count(l => l.ToPost),
                plan.Invoices.Count(l => !l.ToPost && l.PostedBefore is null),
                plan.Invoices.Count(l => l.ToPost && l.WillBeRefused is not null)),
            Invoices = pane is PreviewOptions.FromAccountingPane ? [] : [.. plan.Invoices.Select(PreviewInvoice.Of)],
            InvoicesNotTaken = plan.InvoicesNotTaken,
            Rows = [.. lines
                .Where(l => options.All || !l.InSync)
                .Where(l => pane is null || (pane == PreviewOptions.ToAccountingPane
                    ? l.Kind != LineKind.CreateInOperational && l.ToOperational.Count == 0 || l.ToAccounting.Count > 0
                    : l.Kind != LineKind.CreateInAccounting && l.ToAccounting.Count == 0 || l.ToOperational.Count > 0))
                .Select(l => new PreviewRow(Describe(l), l.OperationalCode, l.AccountingCode, l.Name,
                    string.Join("; ", l.ToAccounting.Select(c => $"accounting {plan.FieldMap.TargetOf(c.Field, c.Field)}: '{c.Before}' -> '{c.After}'")
                        .Concat(l.ToOperational.Select(c => $"here {c.Field}: '{c.Before}' -> '{c.After}'"))),
                    Note(l)))],
        };
    }

    /// <summary>The table's note for a line: a foreseen refusal, a proposal's explanation, the plan's note, candidates or held fields.</summary>
    private static string? Note(PlanLine l) =>
        WillBeRefused(l)
        ?? (l.Explanation is { } why ? $"{why}; {l.Note}" : null)
        ?? l.Note
        ?? (l.Candidates.Count > 0 ? "candidates: " + string.Join(", ", l.Candidates)
            : l.Held.Count > 0 ? "held for review: " + string.Join(", ", l.Held.Select(h => h.Field)) : null);

    /// <summary>A create the target side will refuse, as the preview's note: "will be refused: FIELD: REASON".</summary>
    private static string? WillBeRefused(PlanLine line) => line.WillBeRefused is { } refused
        ? $"will be refused: {(refused.Field is null ? "" : refused.Field + ": ")}{refused.Reason ?? "refused"}"
        : null;

    private static string Describe(PlanLine line) => line.Kind switch
    {
        LineKind.CreateInAccounting => "create in accounting",
        LineKind.CreateInOperational => "create here",
        LineKind.Pair when line.InSync => "in sync",
        LineKind.Pair when line.NewLink => $"link ({line.Match?.ToString().ToLowerInvariant()})" + (line.ToAccounting.Count + line.ToOperational.Count > 0 ? " + update" : ""),
        LineKind.Pair when line.Held.Count > 0 && line.ToAccounting.Count + line.ToOperational.Count == 0 => "held",
        LineKind.Pair => "update",
        LineKind.Ambiguous => "ambiguous",
        LineKind.Proposal => "proposal",
        LineKind.Never => "never sync",
        _ => "one side only",
    };

    /// <summary>The lines sorted by one column, ascending or descending; lines without a value in it come last either way.</summary>
    private static List<PlanLine> Sorted(IEnumerable<PlanLine> lines, string column, bool descending)
    {
        Func<PlanLine, string?> key = column switch
        {
            "operational" => l => l.OperationalCode,
            "accounting" => l => l.AccountingCode,
            "name" => l => l.Name,
            "vat" => l => l.Vat,
            "action" => Describe,
            _ => l => l.Key,
        };
        var all = lines.ToList();
        var withValue = all.Where(l => key(l) is not null);
        var ordered = descending
            ? withValue.OrderByDescending(key, StringComparer.OrdinalIgnoreCase)
            : withValue.OrderBy(key, StringComparer.OrdinalIgnoreCase);
        return [.. ordered.ThenBy(l => l.Key, StringComparer.OrdinalIgnoreCase), .. all.Where(l => key(l) is null).OrderBy(l => l.Key, StringComparer.OrdinalIgnoreCase)];
    }
}
