using System.Text.RegularExpressions;
using Concord.Core.Connectors;
using Concord.Core.Sync.Connections;
using Concord.Core.Sync.Running;
using UserError = Concord.Core.Common.UserError;

namespace Concord.Connectors.GnuCash;

/// <summary>
/// Where a connection's field map (S8) puts each field in a GnuCash book, checked once when the
/// connection opens: a synced field in its own place (<see cref="Row"/>) unless mapped elsewhere; a
/// mapped field in a line "LABEL: value" of the notes (<c>notes:LABEL</c>), in a text slot of the
/// record (<c>slot:NAME</c>), or in a column Concord does not sync itself (fax, the shipping address).
/// </summary>
internal sealed partial class GnuCashFields
{
    private const string Takes =
        "it takes notes:LABEL (a line 'LABEL: value' in the notes), slot:NAME (a text slot on the record, NAME of letters, digits, '-', '_', '.'), " +
        "fax, or a customer's ship-name, ship-address1 to ship-address4, ship-phone, ship-fax, ship-email";

    // Concord's own slots, and GnuCash's widths (SQLite does not enforce them, GnuCash's other back ends do).
    private static readonly string[] OwnSlots = [.. Row.ValueSlots, Row.ProposedCodeSlot];
    private const int NotesWidth = 2048;
    private const int SlotWidth = 4096;

    private static readonly Dictionary<string, (string Column, int Width)> Columns = new(StringComparer.OrdinalIgnoreCase)
    {
        ["fax"] = ("addr_fax", 128), ["ship-name"] = ("shipaddr_name", 1024),
        ["ship-address1"] = ("shipaddr_addr1", 1024), ["ship-address2"] = ("shipaddr_addr2", 1024),
        ["ship-address3"] = ("shipaddr_addr3", 1024), ["ship-address4"] = ("shipaddr_addr4", 1024),
        ["ship-phone"] = ("shipaddr_phone", 128), ["ship-fax"] = ("shipaddr_fax", 128), ["ship-email"] = ("shipaddr_email", 256),
    };

    public static readonly GnuCashFields Standard = new(FieldMap.Standard);

    private readonly Dictionary<string, Target> _targets = new(StringComparer.Ordinal);

    public GnuCashFields(FieldMap map)
    {
        Names = map.Fields;
        var taken = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var entry in map.Entries)
        {
            var standard = SyncFields.All.Contains(entry.Field);
            if (standard && string.Equals(entry.Target.Trim(), entry.Field, StringComparison.OrdinalIgnoreCase))
            {
                continue; // its own place: a line that only makes the field conditional
            }
            if (entry.Field is "name" or "vat")
            {
                throw Refused(entry, entry.Field == "name"
                    ? "the name stays GnuCash's Company Name, which GnuCash requires"
                    : $"the VAT number stays in the slot {Row.VatSlot}, where Concord finds records by it");
            }
            var target = Parse(entry.Target.Trim()) ?? throw Refused(entry, $"GnuCash has no field '{entry.Target}' Concord writes; {Takes}");
            if (taken.TryGetValue(target.Key, out var other))
            {
                throw Refused(entry, $"'{entry.Target}' already holds {other}; give each field its own place");
            }
            taken[target.Key] = entry.Field;
            _targets[entry.Field] = target;
        }
        SlotNames = [.. _targets.Values.OfType<SlotTarget>().Select(s => s.Name)];
        WrittenColumns = [.. _targets.Values.OfType<ColumnTarget>().Select(c => c.Column), .. _targets.Values.OfType<NotesLine>().Take(1).Select(_ => "notes")];
    }

    /// <summary>The fields records carry, in the map's order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>The columns Concord does not sync itself that the map writes (notes, fax, shipping address).</summary>
    public IReadOnlyList<string> WrittenColumns { get; }

    /// <summary>The text slots the map uses.</summary>
    public IReadOnlyList<string> SlotNames { get; }

    public SyncRecord ToSync(Row row)
    {
        var standard = row.ToSync();
        if (_targets.Count == 0 && Names.Count == standard.Values.Length)
        {
            return standard; // the standard map: the synced fields in their own places
        }
        var values = Names.Select((f, i) => _targets.TryGetValue(f, out var target) ? target.Get(row) : standard.Values[i]).ToArray();
        return new SyncRecord(standard.Code, values) { Active = standard.Active, Relation = standard.Relation };
    }

    /// <summary>Sets one field of the row; or leaves the row as it is and says why GnuCash cannot keep the value there.</summary>
    public string? Set(Row row, string field, string? value) =>
        _targets.TryGetValue(field, out var target) ? target.Set(row, value) : row.Set(field, value);

    private static UserError Refused(FieldMapping entry, string reason) => new(ConnectorFactory.FieldMapRecord, entry.Field, reason);

    private static Target? Parse(string target)
    {
        if (target.StartsWith("notes:", StringComparison.OrdinalIgnoreCase))
        {
            var label = target["notes:".Length..].Trim();
            return label.Length > 0 && !label.Contains(':') ? new NotesLine(label) : null;
        }
        if (target.StartsWith("slot:", StringComparison.OrdinalIgnoreCase))
        {
            var name = target["slot:".Length..].Trim();
            return SlotName().IsMatch(name) && !OwnSlots.Contains(name) ? new SlotTarget(name) : null;
        }
        return Columns.TryGetValue(target, out var column) ? new ColumnTarget(column.Column, column.Width) : null;
    }

    // No '/': GnuCash reads a slash in a slot's name as a path into frames.
    [GeneratedRegex("^[A-Za-z0-9_.-]{1,100}$")]
    private static partial Regex SlotName();

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text;

    private static string? TooLong(string? value, int width, string where = "there") =>
        value is not null && value.Length > width ? $"is longer than the {width} characters GnuCash keeps {where}" : null;

    private abstract record Target(string Key)
    {
        public abstract string? Get(Row row);

        public abstract string? Set(Row row, string? value);
    }

    /// <summary>A line "LABEL: value" of the notes (the first whose label matches, in any case); the other lines stay as they are.</summary>
    private sealed record NotesLine(string Label) : Target($"notes:{Label}")
    {
        public override string? Get(Row row) => Blank(row.Column("notes").Split('\n').Select(Of).FirstOrDefault(v => v is not null));

        public override string? Set(Row row, string? value)
        {
            if (value is not null && value.AsSpan().IndexOfAny('\r', '\n') >= 0)
            {
                return "has a line break, which one line of the GnuCash notes cannot hold";
            }
            var notes = row.Column("notes");
            var lines = notes.Length == 0 ? [] : notes.Split('\n').ToList();
            var at = lines.FindIndex(l => Of(l) is not null);
            var line = Blank(value) is { } text ? $"{Label}: {text.Trim()}" : null;
            if (line is null && at >= 0)
            {
                lines.RemoveAt(at);
            }
            else if (line is not null && at >= 0)
            {
                lines[at] = line;
            }
            else if (line is not null)
            {
                lines.Add(line);
            }
            var changed = string.Join('\n', lines);
            if (TooLong(changed, NotesWidth, "in the notes") is { } reason)
            {
                return reason;
            }
            row.Columns = row.Columns.SetItem("notes", changed);
            return null;
        }

        private string? Of(string line)
        {
            var trimmed = line.TrimStart();
            return trimmed.StartsWith(Label + ":", StringComparison.OrdinalIgnoreCase) ? trimmed[(Label.Length + 1)..].Trim() : null;
        }
    }

    /// <summary>A text (string) KVP slot of the record, which GnuCash keeps when it edits the record; no value, no slot.</summary>
    private sealed record SlotTarget(string Name) : Target($"slot:{Name}")
    {
        public override string? Get(Row row) => Blank(row.Slots.GetValueOrDefault(Name));

        public override string? Set(Row row, string? value)
        {
            if (TooLong(value, SlotWidth) is { } reason)
            {
                return reason;
            }
            row.Slots = Blank(value) is null ? row.Slots.Remove(Name) : row.Slots.SetItem(Name, value!);
            return null;
        }
    }

    /// <summary>A column Concord does not sync itself; a vendor has no shipping address, so a value for one is refused.</summary>
    private sealed record ColumnTarget(string Column, int Width) : Target(Column)
    {
        public override string? Get(Row row) => Blank(row.Column(Column));

        public override string? Set(Row row, string? value)
        {
            if (!row.Party.Columns.Contains(Column))
            {
                return Blank(value) is null ? null : "has no place in a GnuCash vendor, which has no shipping address";
            }
            if (TooLong(value, Width) is { } reason)
            {
                return reason;
            }
            row.Columns = row.Columns.SetItem(Column, value ?? "");
            return null;
        }
    }
}
