using System.Globalization;
using System.Text;

namespace Concord.Connectors.Tryton;

/// <summary>
/// Where a Tryton change read starts. Tryton stamps a write with the start of its transaction,
/// which may commit after a later one: so changes are read from <see cref="Overlap"/> before the
/// latest stamp, and the parties already visible when the cursor was taken (<see cref="Seen"/>, as id
/// ranges) are left out unless they changed since. Nothing is missed; nothing unchanged comes back.
/// </summary>
internal sealed record TrytonCursor(DateTime Latest, IReadOnlySet<int>? Seen)
{
    public static readonly TimeSpan Overlap = TimeSpan.FromMinutes(5);

    /// <summary>Beyond this many parties changed within the overlap, the cursor keeps none: they are read again, which is harmless.</summary>
    public const int MaxSeen = 10_000;

    private const string StampFormat = "yyyy-MM-dd HH:mm:ss.ffffff";

    public DateTime ReadFrom => Latest - Overlap;

    /// <summary>Whether the party was read by the run that took this cursor and has not changed since.</summary>
    public bool AlreadyRead(int party, DateTimeOffset? modified) =>
        Seen is not null && Seen.Contains(party) && modified?.UtcDateTime <= Latest;

    public static bool TryParse(string? text, out TrytonCursor cursor)
    {
        cursor = null!;
        var parts = text?.Split('|', 2);
        if (parts is null || !DateTime.TryParseExact(parts[0], StampFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var latest))
        {
            return false;
        }
        HashSet<int>? seen = null;
        if (parts.Length == 2)
        {
            seen = [];
            foreach (var range in parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries))
            {
                var ends = range.Split('-');
                if (!int.TryParse(ends[0], CultureInfo.InvariantCulture, out var first) || !int.TryParse(ends[^1], CultureInfo.InvariantCulture, out var last))
                {
                    return false;
                }
                for (var id = first; id <= last; id++)
                {
                    seen.Add(id);
                }
            }
        }
        cursor = new TrytonCursor(latest, seen);
        return true;
    }

    /// <summary>"2026-12-02 04:25:56.179150|7-506,611": the stamp, then the parties seen as ranges (bulk writes make long runs of ids).</summary>
    public override string ToString()
    {
        var text = new StringBuilder(Latest.ToString(StampFormat, CultureInfo.InvariantCulture));
        if (Seen is null)
        {
            return text.ToString();
        }
        text.Append('|');
        var ids = Seen.Order().ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            var start = i;
            while (i + 1 < ids.Count && ids[i + 1] == ids[i] + 1)
            {
                i++;
            }
            text.Append(start == 0 ? "" : ",").Append(ids[start].ToString(CultureInfo.InvariantCulture));
            if (i > start)
            {
                text.Append('-').Append(ids[i].ToString(CultureInfo.InvariantCulture));
            }
        }
        return text.ToString();
    }
}
