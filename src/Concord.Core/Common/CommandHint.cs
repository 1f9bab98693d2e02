namespace Concord.Core.Common;

/// <summary>
/// How a command is written in a message so that a person can copy it and reach the same store:
/// `concord` followed by the global options the user gave (data folder, store with its secrets
/// masked, user), then the command. The CLI sets the options once per invocation.
/// </summary>
public static class CommandHint
{
    private static readonly AsyncLocal<string?> Globals = new();

    /// <summary>Sets the global options (already quoted for a shell) that hints repeat, for this flow of work.</summary>
    public static void Use(string? globalOptions) => Globals.Value = globalOptions;

    /// <summary>The whole command line of <paramref name="command"/> (written without `concord`).</summary>
    public static string For(string command) =>
        Globals.Value is { Length: > 0 } globals ? $"concord {globals} {command}" : $"concord {command}";

    /// <summary>
    /// A value quoted for a POSIX shell when it needs to be (spaces, quotes, $, ;, …). Double
    /// quotes, so that a message may put the whole command between single quotes.
    /// </summary>
    public static string Quote(string value)
    {
        if (value.Length > 0 && value.All(c => char.IsAsciiLetterOrDigit(c) || "_-./:=@%+,".Contains(c, StringComparison.Ordinal)))
        {
            return value;
        }
        var quoted = new System.Text.StringBuilder("\"");
        foreach (var c in value)
        {
            if (c is '"' or '\\' or '$' or '`')
            {
                quoted.Append('\\');
            }
            quoted.Append(c);
        }
        return quoted.Append('"').ToString();
    }
}
