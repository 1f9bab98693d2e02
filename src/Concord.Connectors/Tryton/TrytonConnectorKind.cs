using Concord.Core.Connectors;

namespace Concord.Connectors.Tryton;

/// <summary>Where a Tryton server is and whom to log in as. <see cref="ToString"/> leaves the password out.</summary>
public sealed record TrytonOptions(Uri Url, string Database, string User, string Password)
{
    /// <summary>How long one call may take; past it a read is "unavailable", a write uncertain (S19).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(120);

    /// <summary>Tryton serves each database under its own path: URL/DATABASE/.</summary>
    public Uri DatabaseUrl => new($"{Url.AbsoluteUri.TrimEnd('/')}/{Uri.EscapeDataString(Database)}/");

    public override string ToString() => $"{Url} database {Database} user {User}";
}

/// <summary>Tryton ERP over JSON-RPC (X2): "tryton:url=URL;database=NAME;user=NAME;password=SECRET".</summary>
public sealed class TrytonConnectorKind : ConnectorKind<TrytonOptions>
{
    public override string Kind => "tryton";

    public override string Usage => "tryton:url=URL;database=NAME;user=NAME;password=SECRET";

    public override TrytonOptions Parse(ConnectorSettings settings)
    {
        settings.OnlyKnown(Usage, takesPath: false, "url", "database", "user", "password");
        var url = settings.Required("url", Usage);
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            throw settings.Error($"url=: '{url}' is not an http:// or https:// address (e.g. http://127.0.0.1:8000)");
        }
        return new TrytonOptions(uri, settings.Required("database", Usage), settings.Required("user", Usage), settings.Required("password", Usage));
    }

    public override IConnector Open(TrytonOptions options, ConnectorContext context) => new TrytonConnector(options, context.Connection);
}
