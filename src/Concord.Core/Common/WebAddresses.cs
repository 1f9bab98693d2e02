using System.Net.Mail;

namespace Concord.Core.Common;

/// <summary>E-mail and web addresses checked by the framework's own parsers (MailAddress, Uri), not by looking for an @ or a dot.</summary>
public static class WebAddresses
{
    /// <summary>One bare address (no display name, no list): what MailAddress reads back is exactly what was typed.</summary>
    public static bool IsEmail(string text) =>
        MailAddress.TryCreate(text, out var address) && address.Address == text && address.DisplayName.Length == 0
        && !text.Any(char.IsWhiteSpace);

    /// <summary>An absolute http or https address, or a bare host (with a dot) that becomes one with https:// in front.</summary>
    public static bool IsWebSite(string text)
    {
        if (text.Any(char.IsWhiteSpace))
        {
            return false;
        }
        if (text.Contains("://", StringComparison.Ordinal))
        {
            return IsHttp(text);
        }
        return IsHttp("https://" + text) && new Uri("https://" + text).Host.Contains('.', StringComparison.Ordinal);
    }

    private static bool IsHttp(string text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0 && uri.UserInfo.Length == 0
        && Uri.CheckHostName(uri.Host) != UriHostNameType.Unknown;
}
