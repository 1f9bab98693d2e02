using System.Text;
using Concord.Core.Connectors;

namespace Concord.Core.Sync.Matching;

/// <summary>
/// What matching compares of one record, prepared once: the name's significant words (nicknames
/// as the full given name), the address's street number and words (abbreviations written out),
/// and the postcode, phone digits, e-mail, web domain and VAT number as plain keys.
/// </summary>
public sealed class MatchRecord
{
    private MatchRecord(string[] words, string? number, string[] street, string? postcode, string? phone, string? email, string? domain, string? vat)
    {
        Words = words;
        Joined = string.Concat(words);
        Number = number;
        Street = street;
        Postcode = postcode;
        Phone = phone;
        Email = email;
        Domain = domain;
        Vat = vat;
    }

    public string[] Words { get; }

    public string Joined { get; }

    public string? Number { get; }

    public string[] Street { get; }

    public string? Postcode { get; }

    public string? Phone { get; }

    public string? Email { get; }

    public string? Domain { get; }

    public string? Vat { get; }

    /// <summary>
    /// The record as matching compares it. With <paramref name="pool"/>, words, numbers and postcodes
    /// many records share are kept once (a million records repeat a few thousand names and streets).
    /// </summary>
    public static MatchRecord Of(SyncRecord record, System.Collections.Concurrent.ConcurrentDictionary<string, string>? pool = null)
    {
        string Shared(string text) => pool is null ? text : pool.GetOrAdd(text, text);
        var words = NameKey.Words(record.Name).Select(w => Shared(Nicknames.FullName(w))).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray();
        var (number, street) = Address(record.Values[SyncFields.IndexOf("address")]);
        var postcode = Compact(record.Postcode);
        return new MatchRecord(words, number is null ? null : Shared(number), [.. street.Select(Shared)], postcode is null ? null : Shared(postcode),
            PhoneDigits(record.Values[SyncFields.IndexOf("phone")]), Blank(record.Values[SyncFields.IndexOf("email")]?.Trim().ToLowerInvariant()),
            WebDomain(record.Values[SyncFields.IndexOf("web-site")]), Blank(record.Vat));
    }

    private static readonly Dictionary<string, string> Abbreviations = new(StringComparer.Ordinal)
    {
        ["st"] = "street", ["str"] = "street", ["rd"] = "road", ["ave"] = "avenue", ["av"] = "avenue", ["dr"] = "drive", ["drv"] = "drive",
        ["ln"] = "lane", ["cres"] = "crescent", ["cr"] = "crescent", ["pl"] = "place", ["ct"] = "court", ["crt"] = "court", ["sq"] = "square",
        ["blvd"] = "boulevard", ["hwy"] = "highway", ["pde"] = "parade", ["tce"] = "terrace", ["cl"] = "close", ["gdns"] = "gardens",
        ["mt"] = "mount", ["nth"] = "north", ["sth"] = "south", ["ext"] = "extension", ["bldg"] = "building", ["apt"] = "apartment",
    };

    // Street types, said of most streets: they tell two streets apart no better than the street's name does.
    private static readonly HashSet<string> StreetTypes =
    [
        "street", "road", "avenue", "drive", "lane", "crescent", "place", "court", "square", "boulevard", "highway", "parade", "terrace", "close",
        "gardens", "way", "walk", "row", "circle", "rise", "view",
    ];

    /// <summary>
    /// The street number (the first word that starts with a digit) and the street's own words,
    /// abbreviations written out, street types left out, in order of the alphabet: of the part of
    /// the line (between commas) that holds the number, else of the first part. Suburb and town are
    /// left to the postcode.
    /// </summary>
    private static (string? Number, string[] Words) Address(string? address)
    {
        if (string.IsNullOrWhiteSpace(address))
        {
            return (null, []);
        }
        var parts = address.Split(',');
        var street = parts.FirstOrDefault(p => p.Any(char.IsAsciiDigit)) ?? parts[0];
        string? number = null;
        var words = new List<string>();
        foreach (var word in NameKey.Tokens(street))
        {
            if (number is null && char.IsAsciiDigit(word[0]))
            {
                number = word;
            }
            else if (!char.IsAsciiDigit(word[0]) && Abbreviations.GetValueOrDefault(word, word) is var written && !StreetTypes.Contains(written))
            {
                words.Add(written);
            }
        }
        return (number, [.. words.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }

    private static string? Compact(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return null;
        }
        var compact = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (char.IsLetterOrDigit(c))
            {
                compact.Append(char.ToUpperInvariant(c));
            }
        }
        return Blank(compact.ToString());
    }

    /// <summary>The digits of a phone number, the last nine (without a country or trunk prefix).</summary>
    private static string? PhoneDigits(string? phone)
    {
        var digits = string.Concat((phone ?? "").Where(char.IsAsciiDigit));
        return digits.Length < 5 ? null : digits.Length > 9 ? digits[^9..] : digits;
    }

    private static string? WebDomain(string? web)
    {
        if (string.IsNullOrWhiteSpace(web))
        {
            return null;
        }
        var host = web.Trim().ToLowerInvariant();
        host = host.Contains("://", StringComparison.Ordinal) ? host[(host.IndexOf("://", StringComparison.Ordinal) + 3)..] : host;
        host = host.Split('/', '?', '#')[0];
        return Blank(host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host);
    }

    private static string? Blank(string? text) => string.IsNullOrEmpty(text) ? null : text;
}
