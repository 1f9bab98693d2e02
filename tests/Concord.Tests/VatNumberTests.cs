using Concord.Core.Common;

namespace Concord.Tests;

/// <summary>VAT numbers are normalised in one place and checked by each country's published rule (L1, S3).</summary>
public sealed class VatNumberTests
{
    [Theory]
    [InlineData("BE0403170701", null, "BE0403170701")]
    [InlineData("be 0403.170.701", null, "BE0403170701")]
    [InlineData("BE 403-170-701", null, "BE0403170701")]
    [InlineData("0403170701", "BE", "BE0403170701")]
    [InlineData("NL123456782B01", null, "NL123456782B01")]
    [InlineData("GB 980 7806 84", null, "GB980780684")]
    [InlineData("GB123456727", null, "GB123456727")]
    [InlineData("DE136458875", null, "DE136458875")]
    [InlineData("FR 83 404833048", null, "FR83404833048")]
    [InlineData("4100200301", "ZA", "ZA4100200301")]
    [InlineData("za 4100 200 301", null, "ZA4100200301")]
    [InlineData("GR123456789", null, "EL123456789")]
    [InlineData("SE556677889901", null, "SE556677889901")]
    public void VatNumber_IsNormalisedForCaseSpacesDotsDashesAndCountryPrefix(string raw, string? country, string expected) =>
        Assert.Equal(expected, VatNumber.Normalise(raw, country));

    [Theory]
    [InlineData("BE0403170702", "BE VAT number: check digits (modulo 97)")]
    [InlineData("BE2403170701", "must start with 0 or 1")]
    [InlineData("BE04031707", "must be 10 digits")]
    [InlineData("NL123456789B01", "NL VAT number: check digit")]
    [InlineData("NL123456782X01", "9 digits, the letter B")]
    [InlineData("GB980780685", "GB VAT number: check digits (modulo 97)")]
    [InlineData("DE136458876", "ISO 7064 MOD 11,10")]
    [InlineData("DE036458875", "must not start with 0")]
    [InlineData("FR84404833048", "key does not match the SIREN")]
    [InlineData("ZA5100200301", "10 digits starting with 4")]
    [InlineData("SE1", "2 to 13 letters or digits")]
    [InlineData("BE0403#170701", "letters and digits only")]
    public void VatNumber_InvalidNumberIsRefusedSayingWhichRuleFailed(string raw, string reason)
    {
        var error = Assert.Throws<FieldValueError>(() => VatNumber.Normalise(raw, null));
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void VatNumber_WithoutPrefixOrCountryAsksForOne()
    {
        var error = Assert.Throws<FieldValueError>(() => VatNumber.Normalise("4100200301", null));
        Assert.Contains("no country prefix", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void VatNumber_EveryValidBelgianNumberSurvivesAnyFormatting()
    {
        var random = new Random(20261125);
        for (var i = 0; i < 500; i++)
        {
            var body = random.Next(200_000, 20_000_000);
            var digits = $"{body:D8}{97 - body % 97:D2}";
            var formatted = string.Concat(digits.Select((c, k) => k % 3 == 2 ? c + ".- "[random.Next(3)].ToString() : c.ToString()));
            var prefix = random.Next(2) == 0 ? "be" : "BE ";
            Assert.Equal("BE" + digits, VatNumber.Normalise(prefix + formatted, null));
        }
    }

    [Theory]
    [InlineData("FR40303265045")]
    [InlineData("FR 23 334 175 221")]
    [InlineData("FRK7399859412")]
    [InlineData("FR4Z123456782")]
    [InlineData("FRZZ123456782")]
    public void L1_FrenchVatNumber_KeyOfDigitsMatchesTheSiren_KeyWithLettersAvoidsIAndO(string valid) =>
        Assert.StartsWith("FR", VatNumber.Normalise(valid, null), StringComparison.Ordinal);

    [Theory]
    [InlineData("FR41303265045", "key does not match the SIREN")]
    [InlineData("FRI7399859412", "letters other than I and O")]
    [InlineData("FRO7399859412", "letters other than I and O")]
    [InlineData("FR4O123456782", "letters other than I and O")]
    [InlineData("FRK739985941", "the 9-digit SIREN")]
    [InlineData("FRK73998594A2", "the 9-digit SIREN")]
    public void L1_FrenchVatNumber_BadKeyOrSirenIsRefused(string invalid, string reason)
    {
        var error = Assert.Throws<FieldValueError>(() => VatNumber.Normalise(invalid, null));
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("thandi@example.co.za", true)]
    [InlineData("first.last+tag@sub.example.com", true)]
    [InlineData("o'brien@example.ie", true)]
    [InlineData("thandi", false)]
    [InlineData("thandi@", false)]
    [InlineData("@example.com", false)]
    [InlineData("a b@example.com", false)]
    [InlineData("a@b@example.com", false)]
    [InlineData("Bob <bob@example.com>", false)]
    [InlineData("bob@example.com, eve@example.com", false)]
    public void L1_EmailAddress_IsCheckedByMailAddress(string text, bool valid) =>
        Assert.Equal(valid, WebAddresses.IsEmail(text));

    [Theory]
    [InlineData("www.hopeworks.co.za", true)]
    [InlineData("example.com/shop?x=1", true)]
    [InlineData("https://example.com", true)]
    [InlineData("http://example.co.za:8080/path", true)]
    [InlineData("hopeworks", false)]
    [InlineData("javascript:alert(1)", false)]
    [InlineData("ftp://example.com", false)]
    [InlineData("https://", false)]
    [InlineData("www.example .com", false)]
    [InlineData("mailto:bob@example.com", false)]
    [InlineData("https://user:secret@example.com", false)]
    [InlineData("file:///etc/passwd", false)]
    public void L1_WebAddress_IsAnAbsoluteHttpUri_OrABareHostThatBecomesOne(string text, bool valid) =>
        Assert.Equal(valid, WebAddresses.IsWebSite(text));
}
