namespace Concord.Core.Common;

/// <summary>
/// How a command is written in a message so that a person can copy it and reach the same store:
/// `concord` followed by the global options the user gave (data folder, store with its secrets
/// masked, user), then the command. The CLI sets the options once per invocation.
/// </summary>
public static class CommandHint
{
    private static readonly AsyncLocal<(string? Store, string? User)> Globals = new();

    /// <summary>
    /// Sets the global options (already quoted for a shell) that hints repeat, for this flow of
    /// work: where the store is (--data, --store) and who acts (--user).
    /// </summary>
    public static void Use(string? storeOptions, string? userOption) => Globals.Value = (storeOptions, userOption);

    /// <summary>The whole command line of <paramref name="command"/> (written without `concord`).</summary>
    public static string For(string command) => Join(Globals.Value.Store, Globals.Value.User, command);

    /// <summary>
    /// The command line without the user's --user: for a hint given because that user cannot act
    /// (does not exist), which would fail the same way if it named them again.
    /// </summary>
    public static string ForAnotherUser(string command) => Join(Globals.Value.Store, null, command);

    private static string Join(params string?[] parts) =>
        string.Join(' ', parts.Where(p => p is { Length: > 0 }).Prepend("concord"));

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
