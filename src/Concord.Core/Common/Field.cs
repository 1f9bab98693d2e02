using System.Runtime.CompilerServices;
using System.Globalization;

namespace Concord.Core.Common;

/// <summary>What sort of value a field holds; decides parsing, storage and formatting.</summary>
public enum FieldKind
{
    Text,
    Code,
    Money,
    Integer,
    Flag,
    Vat,
    Email,
    Url,
    Choice,
    Timestamp,
}

/// <summary>
/// One field of a record (operational customer, ledger account, …) described once: its
/// command-line and CSV name, its column, how it parses, checks, stores and prints. Commands,
/// imports, exports, the store and the audit log all work from these descriptions.
/// </summary>
public sealed class Field<T>
{
    public required string Name { get; init; }

    public required FieldKind Kind { get; init; }

    public required Func<T, object?> Get { get; init; }

    public required Action<T, object?> Set { get; init; }

    public int MaxLength { get; init; } = 60;

    /// <summary>For <see cref="FieldKind.Money"/> fields: the decimals the store keeps (a count of hundredths by default).</summary>
    public int MinorUnits { get; init; } = Money.MinorUnits;

    private Currency? _units;

    /// <summary>The unit money is stored in, made once (every record of a sync or an export goes through it).</summary>
    private Currency Units => _units ??= new(null, MinorUnits);

    /// <summary>For <see cref="FieldKind.Code"/> fields that refer to other records: what they refer to.</summary>
    public string? References { get; init; }

    public IReadOnlyList<string> Choices { get; init; } = [];

    /// <summary>Other column headings accepted on import (e.g. the seed listing's "CustomerName").</summary>
    public IReadOnlyList<string> Aliases { get; init; } = [];

    /// <summary>A shorter command-line spelling (e.g. "web" for --web-site).</summary>
    public string? OptionAlias { get; init; }

    /// <summary>Stamped or computed by the system; never taken from the user.</summary>
    public bool SystemOnly { get; init; }

    /// <summary>
    /// Kept by statements of its own (a balance moved by each posting): read with the record, never
    /// written back by a record's update, which would put back the value it read.
    /// </summary>
    public bool KeptApart { get; init; }

    /// <summary>A value must be given (the code of a record, a ledger account's name).</summary>
    public bool Required { get; init; }

    public string Description { get; init; } = "";

    public string Column => Name.Replace('-', '_');

    /// <summary>The field's name in JSON: "credit-limit" as "creditLimit".</summary>
    public string JsonName => JsonProperty.Value;

    /// <summary><see cref="JsonName"/> encoded once: a listing writes it for every record (kept in a reference, which threads read whole).</summary>
    public System.Text.Json.JsonEncodedText JsonProperty => (_jsonProperty ??= new(System.Text.Json.JsonEncodedText.Encode(
        string.Concat(Name.Split('-').Select((part, i) => i == 0 ? part : char.ToUpperInvariant(part[0]) + part[1..]))))).Value;

    private StrongBox<System.Text.Json.JsonEncodedText>? _jsonProperty;

    /// <summary>Parses what a person typed; blank means "no value". Throws <see cref="FieldValueError"/>.</summary>
    public object? Parse(string? raw)
    {
        var text = raw?.Trim() ?? "";
        if (text.Length == 0)
        {
            return Required ? throw new FieldValueError("is required") : Kind == FieldKind.Flag ? false : null;
        }
        TextRules.Check(text, MaxLength);
        return Kind switch
        {
            FieldKind.Code => Codes.Check(text),
            FieldKind.Money => Money.Parse(text),
            FieldKind.Integer => int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n)
                ? n
                : throw new FieldValueError($"'{text}' is not a whole number"),
            FieldKind.Flag => ParseFlag(text),
            FieldKind.Email => WebAddresses.IsEmail(text) ? text : throw new FieldValueError($"'{text}' is not an e-mail address"),
            FieldKind.Url => WebAddresses.IsWebSite(text) ? text : throw new FieldValueError($"'{text}' is not a web address (http or https)"),
            FieldKind.Choice => Choices.FirstOrDefault(c => Codes.Same(c, text))
                ?? throw new FieldValueError($"'{text}' is not one of: {string.Join(", ", Choices)}"),
            FieldKind.Timestamp => DateTimeOffset.Parse(text, CultureInfo.InvariantCulture),
            _ => text,
        };
    }

    private static bool ParseFlag(string text) => text.ToLowerInvariant() switch
    {
        "yes" or "y" or "true" or "on" or "1" => true,
        "no" or "n" or "false" or "off" or "0" => false,
        _ => throw new FieldValueError($"'{text}' is not yes or no"),
    };

    /// <summary>The value as the store keeps it (money in cents, timestamps as ISO text).</summary>
    public object? ToStore(object? value) => value switch
    {
        null => null,
        decimal amount => Units.ToMinor(amount),
        int n => (long)n,
        DateTimeOffset at => Timestamps.Format(at),
        _ => value,
    };

    /// <summary>The value read back from the store.</summary>
    public object? FromStore(object? stored)
    {
        if (stored is null or DBNull)
        {
            return Kind == FieldKind.Flag ? false : null;
        }
        return Kind switch
        {
            FieldKind.Money => Units.FromMinor(Convert.ToInt64(stored, CultureInfo.InvariantCulture)),
            FieldKind.Integer => Convert.ToInt32(stored, CultureInfo.InvariantCulture),
            FieldKind.Flag => Convert.ToBoolean(stored, CultureInfo.InvariantCulture),
            FieldKind.Timestamp => Timestamps.Parse((string)stored),
            _ => (string)stored,
        };
    }

    /// <summary>The value as text for tables, CSV and messages ("" for none).</summary>
    public string Format(object? value) => value switch
    {
        null => "",
        decimal amount => amount.ToString("0.00##", CultureInfo.InvariantCulture),
        bool flag => flag ? "yes" : "no",
        int n => n.ToString(CultureInfo.InvariantCulture),
        DateTimeOffset at => at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
