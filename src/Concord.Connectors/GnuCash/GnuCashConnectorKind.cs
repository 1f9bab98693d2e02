using Concord.Core.Common;
using Concord.Core.Connectors;

namespace Concord.Connectors.GnuCash;

/// <summary>Where a GnuCash book is, and the currency new customers and vendors take (else the book's own).</summary>
public sealed record GnuCashOptions(string Path, string? Currency);

/// <summary>GnuCash books in SQLite format (X3): gnucash:PATH.gnucash[;currency=EUR].</summary>
public sealed class GnuCashConnectorKind : ConnectorKind<GnuCashOptions>
{
    public override string Kind => "gnucash";

    public override string Usage => "gnucash:PATH.gnucash[;currency=CODE]";

    public override GnuCashOptions Parse(ConnectorSettings settings)
    {
        settings.OnlyKnown(Usage, takesPath: true, "path", "currency");
        var path = settings.PathOr("path") ?? throw settings.Error($"the book's path is missing; the setting reads {Usage}");
        var currency = settings.Optional("currency");
        if (currency is not null && (currency.Length != 3 || !currency.All(char.IsAsciiLetter)))
        {
            throw settings.Error($"currency={currency} is not an ISO 4217 code such as EUR or ZAR");
        }
        return new GnuCashOptions(path, currency?.ToUpperInvariant());
    }

    public override IConnector Open(GnuCashOptions options, ConnectorContext context) =>
        new GnuCashConnector(GnuCashBook.Open(options.Path,
            $"correct the path with '{CommandHint.For($"connections set {CommandHint.Quote(context.Connection.Name)} --accounting gnucash:PATH")}'"), options.Currency,
            context.Connection.FieldMap);
}
