using System.Globalization;

namespace Concord.Core.Common;

/// <summary>How instants are written to the store: ISO-8601 UTC with a fixed width, so text order is time order.</summary>
public static class Timestamps
{
    public static string Format(DateTimeOffset at) =>
        at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
}
