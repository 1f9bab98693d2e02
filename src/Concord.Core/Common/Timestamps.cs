using System.Globalization;

namespace Concord.Core.Common;

/// <summary>How instants are written to the store: ISO-8601 UTC with a fixed width, so text order is time order.</summary>
public static class Timestamps
{
    public static string Format(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>Reads an instant as <see cref="Format"/> writes it (a full sync reads millions), any other ISO form the slow way.</summary>
    public static DateTimeOffset Parse(string text)
    {
        if (text.Length == 28 && text[4] == '-' && text[7] == '-' && text[10] == 'T' && text[13] == ':' && text[16] == ':' && text[19] == '.' && text[27] == 'Z'
            && int.TryParse(text.AsSpan(0, 4), NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            && int.TryParse(text.AsSpan(5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var month)
            && int.TryParse(text.AsSpan(8, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            && int.TryParse(text.AsSpan(11, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hour)
            && int.TryParse(text.AsSpan(14, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minute)
            && int.TryParse(text.AsSpan(17, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var second)
            && long.TryParse(text.AsSpan(20, 7), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            return new DateTimeOffset(new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc).AddTicks(ticks), TimeSpan.Zero);
        }
        return DateTimeOffset.Parse(text, CultureInfo.InvariantCulture);
    }
}
