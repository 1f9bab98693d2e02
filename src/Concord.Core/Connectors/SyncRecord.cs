using Concord.Core.Common;

namespace Concord.Core.Connectors;

/// <summary>
/// A customer as the sync engine sees it on either side: the side's code, the synced fields as
/// canonical text (in the order of <see cref="SyncFields.All"/>), when it last changed, and its
/// change number where the side has one.
/// </summary>
public sealed class SyncRecord(string code, string?[] values)
{
    // UTC ticks, 0 for none: a large plan holds millions of records, each field counts.
    private long _modified;

    public string Code { get; } = code;

    public string?[] Values { get; } = values;

    /// <summary>When the record last changed on its side (for the "newest" priority).</summary>
    public DateTimeOffset? Modified
    {
        get => _modified == 0 ? null : new DateTimeOffset(_modified, TimeSpan.Zero);
        init => _modified = value?.UtcTicks ?? 0;
    }

    /// <summary>The customer type on that side (for the type filter and previews).</summary>
    public string? Type { get; init; }

    public bool Active { get; init; } = true;

    /// <summary>customer, prospect or supplier (O5, S15); accounting sides hold customers.</summary>
    public string Relation { get; init; } = "customer";

    /// <summary>The code as codes compare (the code itself when already in upper case, as most are).</summary>
    public string Key => Codes.Key(Code);

    public string? Name => Values[SyncFields.Name];

    public string? Vat => Values[SyncFields.Vat];

    public string? Postcode => Values[SyncFields.Postcode];

    public SyncRecord With(string code) => new(code, Values) { Modified = Modified, Type = Type, Active = Active, Relation = Relation };

    public bool SameValues(SyncRecord other) => Values.AsSpan().SequenceEqual(other.Values);

    public Dictionary<string, string?> ToDictionary() =>
        SyncFields.All.Select((f, i) => (f, i)).ToDictionary(p => p.f, p => Values[p.i]);
}

/// <summary>
/// The fields a sync carries between the sides, by their operational names. Each side maps its
/// own fields to these (the ledger's "ac-email" is "email" here). Values are canonical text:
/// amounts with two decimals, VAT numbers normalised, blanks as null.
/// </summary>
public static class SyncFields
{
    public static readonly IReadOnlyList<string> All =
        ["name", "vat", "phone", "email", "web-site", "address", "postcode", "country", "credit-limit"];

    public const int Name = 0;
    public const int Vat = 1;
    public const int Postcode = 6;

    public static int IndexOf(string field)
    {
        for (var i = 0; i < All.Count; i++)
        {
            if (All[i] == field)
            {
                return i;
            }
        }
        throw new ArgumentOutOfRangeException(nameof(field), field, "not a synced field");
    }

    /// <summary>Parses a comma-separated field list as typed by a person (for --replace).</summary>
    public static IReadOnlyList<string> ParseList(string? text, string label) =>
        string.IsNullOrWhiteSpace(text)
            ? []
            : [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Select(f => All.FirstOrDefault(a => Codes.Same(a, f))
                    ?? throw new UserError(label, "replace", $"'{f}' is not a synced field; the fields are {string.Join(", ", All)}"))];
}
