using Npgsql;

namespace Concord.Store;

/// <summary>
/// PostgreSQL connection strings as a person types them: checked and masked by parsing them with
/// the driver's own builder, so every spelling the driver accepts (PSW=, Pwd=, spaces around '=',
/// quoted values holding ';') is understood the same way here.
/// </summary>
public static class PostgresConnectionString
{
    public const string Hidden = "***";

    /// <summary>Parses and checks <paramref name="text"/>; the reason never repeats a value that may be secret.</summary>
    public static NpgsqlConnectionStringBuilder Parse(string text)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(text);
        }
        catch (ArgumentException error) when (error.ParamName is { Length: > 0 } key)
        {
            throw new StoreException(StoreProblem.Invalid, error.InnerException is KeyNotFoundException
                ? $"'{key}' is not a PostgreSQL connection setting"
                // Not the driver's own words: they quote the value, which may be (or hold) a password.
                : $"the value of {key} is not valid");
        }
        catch (ArgumentException)
        {
            throw new StoreException(StoreProblem.Invalid, "is not a PostgreSQL connection string (KEY=VALUE;KEY=VALUE…, e.g. Host=127.0.0.1;Username=concord;Database=concord)");
        }
        if (builder.Port is < 1 or > 65535)
        {
            throw new StoreException(StoreProblem.Invalid, $"Port {builder.Port} is not a port number (1 to 65535)");
        }
        if (string.IsNullOrWhiteSpace(builder.Host))
        {
            throw new StoreException(StoreProblem.Invalid, "names no Host= (the PostgreSQL server, e.g. Host=127.0.0.1)");
        }
        return builder;
    }

    /// <summary>
    /// The connection string with every password hidden, for messages, listings and the audit log.
    /// Text that does not parse is not shown at all: it could be a password typed in the wrong place.
    /// </summary>
    public static string Mask(string text)
    {
        NpgsqlConnectionStringBuilder builder;
        try
        {
            builder = new NpgsqlConnectionStringBuilder(text);
        }
        catch (ArgumentException)
        {
            return "(a connection string that cannot be read)";
        }
        // The builder maps every synonym (PSW, Pwd, "SSL Password", …) onto these two properties.
        if (!string.IsNullOrEmpty(builder.Password))
        {
            builder.Password = Hidden;
        }
        if (!string.IsNullOrEmpty(builder.SslPassword))
        {
            builder.SslPassword = Hidden;
        }
        return builder.ToString();
    }

}
