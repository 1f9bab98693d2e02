using System.Globalization;
using System.Runtime.InteropServices;
using Concord.Core.Connectors;

namespace Concord.Bench.Matching;

/// <summary>How an original was made: on its own, or as a look-alike of the first record of its group (a true non-match).</summary>
public enum LookAlike : byte
{
    None,
    FamilyMember,
    Housemate,
    Namesake,
    SimilarCompany,
    SameBuilding,
}

/// <summary>
/// A generated matching benchmark: N originals (the operational side, codes O1..ON), N corrupted
/// copies (the accounting side, codes A1..AN in shuffled order) and the truth: which original each
/// copy was made from, which corruptions it went through, and which originals are look-alikes.
/// </summary>
public sealed class MatchingSet
{
    public required List<SyncRecord> Operational { get; init; }
    public required List<SyncRecord> Accounting { get; init; }

    /// <summary>For the copy at position j (code A{j+1}), the index of its original (code O{index+1}).</summary>
    public required int[] CopyOf { get; init; }

    /// <summary>For original i, the corruptions its copy went through.</summary>
    public required Corruption[] Applied { get; init; }

    /// <summary>For original i, whether it is a look-alike of the first original of its group.</summary>
    public required LookAlike[] Kind { get; init; }

    /// <summary>Whether two originals are look-alikes of each other (same group, one of them made as a look-alike).</summary>
    public bool AreLookAlikes(int a, int b) =>
        a / MatchingData.GroupSize == b / MatchingData.GroupSize && (Kind[a] != LookAlike.None || Kind[b] != LookAlike.None);
}

/// <summary>
/// The generator of the matching benchmark, after GeCo (Christen and Vatsalan 2013) and Febrl's
/// dsgen (Christen 2005; Christen and Pudjijono 2009): originals drawn from look-up tables, each
/// copied once with 1 to 3 modifications (at most 2 in one field), each modification a field
/// chosen by weight and a corruption chosen by weight within the field. Every record is made from
/// the seed and its own number alone, so a run of 1,000,000 holds nothing but the records.
/// The rates are documented in docs/BENCHMARKS.md ("Matching").
/// </summary>
public static class MatchingData
{
    public const int GroupSize = 8;
    public const double LookAlikeShare = 0.12;
    public const double CompanyShare = 0.40;

    private enum Field { Name, Address, Postcode, Phone, Email }

    /// <summary>How many modifications a copy gets: 1, 2 or 3.</summary>
    public static readonly double[] ModificationsPerCopy = [0.45, 0.35, 0.20];

    /// <summary>Which field a modification goes to (GeCo's attribute selection probabilities).</summary>
    public static readonly (string Field, double Weight)[] FieldWeights =
        [("name", 0.35), ("address", 0.22), ("postcode", 0.13), ("phone", 0.15), ("email", 0.15)];

    /// <summary>The corruption applied to a person's name, by weight.</summary>
    public static readonly (Corruption Kind, double Weight)[] PersonName =
        [(Corruption.NameTypo, 0.28), (Corruption.NamePhonetic, 0.20), (Corruption.NameOcr, 0.05), (Corruption.Nickname, 0.15),
         (Corruption.GivenNameChanged, 0.10), (Corruption.NamesSwapped, 0.12), (Corruption.GivenNameInitial, 0.10)];

    public static readonly (Corruption Kind, double Weight)[] CompanyName =
        [(Corruption.NameTypo, 0.35), (Corruption.NamePhonetic, 0.20), (Corruption.NameOcr, 0.10), (Corruption.LegalFormChanged, 0.20), (Corruption.CompanyWordsChanged, 0.15)];

    public static readonly (Corruption Kind, double Weight)[] Address =
        [(Corruption.AddressAbbreviated, 0.30), (Corruption.AddressReordered, 0.15), (Corruption.AddressTypo, 0.25), (Corruption.AddressPhonetic, 0.10),
         (Corruption.AddressOcr, 0.05), (Corruption.AddressMissing, 0.15)];

    public static readonly (Corruption Kind, double Weight)[] Postcode = [(Corruption.PostcodeDigit, 0.85), (Corruption.PostcodeMissing, 0.15)];

    public static readonly (Corruption Kind, double Weight)[] Phone = [(Corruption.PhoneDigit, 0.45), (Corruption.PhoneFormat, 0.20), (Corruption.PhoneMissing, 0.35)];

    public static readonly (Corruption Kind, double Weight)[] Email = [(Corruption.EmailTypo, 0.50), (Corruption.EmailMissing, 0.50)];

    private const Corruption GivenName = Corruption.Nickname | Corruption.GivenNameChanged | Corruption.GivenNameInitial;

    private const Corruption Missing = Corruption.AddressMissing | Corruption.PostcodeMissing | Corruption.PhoneMissing | Corruption.EmailMissing;

    /// <summary>Share of originals with a phone, with an e-mail (people, companies), companies with a web site, and copies that keep it.</summary>
    public const double PhonePresent = 0.90, PersonEmailPresent = 0.75, CompanyEmailPresent = 0.85, WebPresent = 0.55, WebKept = 0.50;

    private static readonly string[] PostcodeText = BuildPostcodes(out SuburbOf, out TownOf, out FirstSuburb);
    private static readonly int[] SuburbOf;
    private static readonly int[] TownOf;
    private static readonly int[] FirstSuburb;
    private static readonly double[] TownWeights = [.. Pools.Towns.Select(t => t.Weight)];
    private static readonly Dictionary<string, string> FullNameOf = Pools.Nicknames
        .SelectMany(p => p.Value.Select(short_ => (short_, p.Key))).DistinctBy(p => p.short_).ToDictionary(p => p.short_, p => p.Key, StringComparer.Ordinal);

    public static MatchingSet Generate(int n, int seed, Action<string>? progress = null)
    {
        var copyOf = new int[n];
        for (var i = 0; i < n; i++)
        {
            copyOf[i] = i;
        }
        var shuffle = Dice.For(seed, -1);
        for (var i = n - 1; i > 0; i--)
        {
            var k = shuffle.Next(i + 1);
            (copyOf[i], copyOf[k]) = (copyOf[k], copyOf[i]);
        }
        var position = new int[n];
        for (var j = 0; j < n; j++)
        {
            position[copyOf[j]] = j;
        }
        var ops = new List<SyncRecord>(n);
        var accs = new List<SyncRecord>(n);
        CollectionsMarshal.SetCount(accs, n);
        var accSpan = CollectionsMarshal.AsSpan(accs);
        var applied = new Corruption[n];
        var kinds = new LookAlike[n];
        for (var i = 0; i < n; i++)
        {
            var original = Original(seed, i, out kinds[i]);
            var values = original.Values();
            ops.Add(new SyncRecord(Code('O', i), values));
            var dice = Dice.For(seed, i, 2);
            var (copy, done) = Copy(original, values, ref dice);
            applied[i] = done;
            accSpan[position[i]] = new SyncRecord(Code('A', position[i]), copy);
            if (progress is not null && (i + 1) % 200_000 == 0)
            {
                progress($"generated {i + 1:N0} of {n:N0}");
            }
        }
        return new MatchingSet { Operational = ops, Accounting = accs, CopyOf = copyOf, Applied = applied, Kind = kinds };
    }

    public static string Code(char side, int index) => side + (index + 1).ToString(CultureInfo.InvariantCulture);

    /// <summary>The parts of a generated customer, kept apart so that corruptions can act on a part.</summary>
    private sealed class Draft
    {
        public bool IsCompany;
        public string Given = "";
        public string Family = "";
        public string Core = "";
        public string LegalForm = "";
        public int Number;
        public string Street = "";
        public int StreetType;
        public int Place;
        public string? Phone;
        public string? Email;
        public string? Web;
        public string CreditLimit = "0.00";

        /// <summary>How the person's name is written: given name first (0), family name first (1), "Family, Given" (2).</summary>
        public int Swapped;

        /// <summary>Whether the street type (and words such as North or Mount) are written short.</summary>
        public bool Abbreviated;

        public bool AbbreviatedWithDot;

        /// <summary>
        /// How the address is laid out: "12 Long Street, Umbilo, Durban" (0), "Long Street 12, Umbilo,
        /// Durban" (1), "Umbilo, 12 Long Street, Durban" (2), "12 Long Street, Durban, Umbilo" (3).
        /// </summary>
        public int Layout;

        public string Name => IsCompany
            ? (LegalForm.Length == 0 ? Core : $"{Core} {LegalForm}")
            : Swapped switch { 0 => $"{Given} {Family}", 1 => $"{Family} {Given}", _ => $"{Family}, {Given}" };

        private string StreetName => Abbreviated
            ? $"{Abbreviate(Street)} {Pools.StreetTypes[StreetType].Short}{(AbbreviatedWithDot ? "." : "")}"
            : $"{Street} {Pools.StreetTypes[StreetType].Word}";

        private string StreetLine => Layout == 1
            ? $"{StreetName} {Number.ToString(CultureInfo.InvariantCulture)}"
            : $"{Number.ToString(CultureInfo.InvariantCulture)} {StreetName}";

        public string Address => Layout switch
        {
            2 => $"{SuburbName}, {StreetLine}, {TownName}",
            3 => $"{StreetLine}, {TownName}, {SuburbName}",
            _ => $"{StreetLine}, {SuburbName}, {TownName}",
        };

        public string SuburbName => Pools.Suburbs[SuburbOf[Place]];

        public string TownName => Pools.Towns[TownOf[Place]].Town;

        public Draft Clone() => (Draft)MemberwiseClone();

        public string?[] Values() => [Name, null, Phone, Email, Web, Address, PostcodeText[Place], "ZA", CreditLimit];
    }

    private static Draft Original(int seed, int i, out LookAlike kind)
    {
        var head = i - i % GroupSize;
        var decide = Dice.For(seed, i, 1);
        if (i == head || !decide.Chance(LookAlikeShare))
        {
            kind = LookAlike.None;
            return Base(seed, i);
        }
        var dice = Dice.For(seed, i, 3);
        var other = Base(seed, i);
        var like = Base(seed, head).Clone();
        if (!like.IsCompany)
        {
            kind = (LookAlike)(1 + dice.Weighted([0.45, 0.25, 0.30]));
            switch (kind)
            {
                case LookAlike.FamilyMember:
                    like.Given = other.Given != like.Given ? other.Given : Pools.GivenNames[(Array.IndexOf(Pools.GivenNames, like.Given) + 1) % Pools.GivenNames.Length];
                    like.Phone = dice.Chance(0.3) ? like.Phone : Mobile(ref dice);
                    like.Email = PersonEmail(like, ref dice);
                    break;
                case LookAlike.Housemate:
                    (like.Given, like.Family, like.Phone) = (other.Given, other.Family, Mobile(ref dice));
                    like.Email = dice.Chance(PersonEmailPresent) ? PersonEmail(like, ref dice) : null;
                    break;
                default:
                    (like.Number, like.Street, like.StreetType, like.Phone, like.CreditLimit) = (other.Number, other.Street, other.StreetType, Mobile(ref dice), other.CreditLimit);
                    like.Email = dice.Chance(PersonEmailPresent) ? PersonEmail(like, ref dice) : null;
                    like.Place = dice.Chance(0.5) ? like.Place : other.Place;
                    break;
            }
            return like;
        }
        kind = dice.Chance(0.7) ? LookAlike.SimilarCompany : LookAlike.SameBuilding;
        if (kind == LookAlike.SimilarCompany)
        {
            var first = like.Core.Split(' ')[0];
            var trade = dice.Pick(Pools.Trades);
            like.Core = like.Core.EndsWith(trade, StringComparison.Ordinal) ? $"{first} {dice.Pick(Pools.Adjectives)} {trade}" : $"{first} {trade}";
            like.LegalForm = other.LegalForm;
            (like.Number, like.Street, like.StreetType) = (other.Number, other.Street, other.StreetType);
            like.Place = dice.Chance(0.5) ? like.Place : FirstSuburb[TownOf[like.Place]] + dice.Next(Pools.Towns[TownOf[like.Place]].Suburbs);
        }
        else
        {
            (like.Core, like.LegalForm) = other.IsCompany ? (other.Core, other.LegalForm) : (CompanyCore(like, ref dice), like.LegalForm);
        }
        (like.Phone, like.CreditLimit) = (CompanyPhone(like, ref dice), other.CreditLimit);
        like.Email = dice.Chance(CompanyEmailPresent) ? $"{dice.Pick(Pools.CompanyMailboxes)}@{Domain(like.Core)}" : null;
        like.Web = dice.Chance(WebPresent) ? "www." + Domain(like.Core) : null;
        return like;
    }

    private static Draft Base(int seed, int i)
    {
        var dice = Dice.For(seed, i);
        var town = dice.Weighted(TownWeights);
        var draft = new Draft
        {
            IsCompany = dice.Chance(CompanyShare),
            Given = Pools.GivenNames[dice.Skewed(Pools.GivenNames.Length)],
            Family = Pools.FamilyNames[dice.Skewed(Pools.FamilyNames.Length)],
            Number = 1 + (int)(399 * Math.Pow(dice.Unit(), 1.5)),
            Street = Pools.Streets[dice.Skewed(Pools.Streets.Length)],
            StreetType = dice.Skewed(Pools.StreetTypes.Length),
            Place = FirstSuburb[town] + dice.Next(Pools.Towns[town].Suburbs),
            CreditLimit = dice.Pick(Pools.CreditLimits),
        };
        if (draft.IsCompany)
        {
            draft.Core = CompanyCore(draft, ref dice);
            var form = dice.Unit();
            draft.LegalForm = "";
            foreach (var (legal, share) in Pools.LegalForms)
            {
                if ((form -= share) < 0)
                {
                    draft.LegalForm = legal;
                    break;
                }
            }
            draft.Phone = dice.Chance(PhonePresent) ? CompanyPhone(draft, ref dice) : null;
            draft.Email = dice.Chance(CompanyEmailPresent) ? $"{dice.Pick(Pools.CompanyMailboxes)}@{Domain(draft.Core)}" : null;
            draft.Web = dice.Chance(WebPresent) ? "www." + Domain(draft.Core) : null;
        }
        else
        {
            draft.Phone = dice.Chance(PhonePresent) ? (dice.Chance(0.8) ? Mobile(ref dice) : Landline(draft, ref dice)) : null;
            draft.Email = dice.Chance(PersonEmailPresent) ? PersonEmail(draft, ref dice) : null;
        }
        return draft;
    }

    private static string CompanyCore(Draft draft, ref Dice dice)
    {
        var trade = Pools.Trades[dice.Skewed(Pools.Trades.Length)];
        var adjective = Pools.Adjectives[dice.Skewed(Pools.Adjectives.Length)];
        return dice.Weighted([0.30, 0.25, 0.10, 0.20, 0.15]) switch
        {
            0 => $"{(dice.Chance(0.5) ? draft.SuburbName : draft.TownName)} {trade}",
            1 => $"{draft.Family} {trade}",
            2 => dice.Chance(0.5) ? $"{draft.Family} & Sons" : $"{draft.Family} Brothers {trade}",
            3 => $"{adjective} {trade}",
            _ => $"{adjective} {draft.TownName} {trade}",
        };
    }

    private static string Mobile(ref Dice dice) =>
        string.Create(CultureInfo.InvariantCulture, $"0{6 + dice.Next(3)}{dice.Next(10)} {dice.Next(1000):D3} {dice.Next(10000):D4}");

    private static string Landline(Draft draft, ref Dice dice) =>
        string.Create(CultureInfo.InvariantCulture, $"{Pools.Towns[TownOf[draft.Place]].Area} {100 + dice.Next(900):D3} {dice.Next(10000):D4}");

    private static string CompanyPhone(Draft draft, ref Dice dice) => dice.Chance(0.85) ? Landline(draft, ref dice) : Mobile(ref dice);

    private static string PersonEmail(Draft draft, ref Dice dice)
    {
        var given = Letters(draft.Given);
        var family = Letters(draft.Family);
        var host = Pools.MailHosts[dice.Skewed(Pools.MailHosts.Length)];
        return dice.Next(4) switch
        {
            0 => $"{given}.{family}@{host}",
            1 => $"{given[0]}{family}@{host}",
            2 => $"{given}{family}{dice.Next(100):D2}@{host}",
            _ => $"{family}.{given}@{host}",
        };
    }

    private static string Domain(string core)
    {
        var words = core.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(Letters).Where(w => w.Length > 0).Take(2);
        return string.Concat(words) + ".co.za";
    }

    private static string Letters(string text) => string.Concat(text.Where(char.IsAsciiLetter)).ToLowerInvariant();

    /// <summary>The copy: 1 to 3 modifications, at most 2 a field, a missing field taking no other modification.</summary>
    private static (string?[] Values, Corruption Done) Copy(Draft original, string?[] originalValues, ref Dice dice)
    {
        var wanted = 1 + dice.Weighted(ModificationsPerCopy);
        Span<int> perField = stackalloc int[FieldWeights.Length];
        Span<double> fieldWeights = stackalloc double[FieldWeights.Length];
        for (var f = 0; f < FieldWeights.Length; f++)
        {
            fieldWeights[f] = FieldWeights[f].Weight;
        }
        var chosen = new List<Corruption>(3);
        for (var attempt = 0; chosen.Count < wanted && attempt < 50; attempt++)
        {
            var field = (Field)dice.Weighted(fieldWeights);
            if (perField[(int)field] == 2 || (field == Field.Phone && original.Phone is null) || (field == Field.Email && original.Email is null))
            {
                continue;
            }
            var table = field switch
            {
                Field.Name => original.IsCompany ? CompanyName : PersonName,
                Field.Address => Address,
                Field.Postcode => Postcode,
                Field.Phone => Phone,
                _ => Email,
            };
            var kind = Choose(table, ref dice);
            var taken = chosen.Aggregate(Corruption.None, (a, c) => a | c);
            var fieldTaken = taken & Mask(table);
            if ((fieldTaken & Missing) != 0 || ((kind & Missing) != 0 && fieldTaken != 0) || (taken & kind) != 0
                || ((kind & GivenName) != 0 && (taken & GivenName) != 0)
                || (kind == Corruption.Nickname && Nickname(original.Given, ref dice) is null))
            {
                continue;
            }
            chosen.Add(kind);
            perField[(int)field]++;
        }
        var copy = original.Clone();
        var done = Corruption.None;
        // Changes to the parts first (names, legal form, address words), then to the text as written.
        foreach (var kind in chosen.OrderBy(Order))
        {
            if (Structural(copy, kind, ref dice))
            {
                done |= kind;
            }
        }
        var values = copy.Values();
        values[SyncFields.IndexOf("web-site")] = dice.Chance(WebKept) ? original.Web : null;
        foreach (var kind in chosen.Where(k => Order(k) == 1))
        {
            var at = kind switch
            {
                Corruption.NameTypo or Corruption.NamePhonetic or Corruption.NameOcr => SyncFields.Name,
                Corruption.AddressTypo or Corruption.AddressPhonetic or Corruption.AddressOcr or Corruption.AddressMissing => SyncFields.IndexOf("address"),
                Corruption.PostcodeDigit or Corruption.PostcodeMissing => SyncFields.Postcode,
                Corruption.PhoneDigit or Corruption.PhoneFormat or Corruption.PhoneMissing => SyncFields.IndexOf("phone"),
                _ => SyncFields.IndexOf("email"),
            };
            var before = values[at]!;
            var after = kind switch
            {
                _ when (kind & Missing) != 0 => null,
                Corruption.NameTypo or Corruption.AddressTypo or Corruption.EmailTypo => Corruptor.Typo(before, ref dice),
                Corruption.NamePhonetic or Corruption.AddressPhonetic => Corruptor.Phonetic(before, ref dice) ?? Corruptor.Typo(before, ref dice),
                Corruption.NameOcr or Corruption.AddressOcr => Corruptor.Ocr(before, ref dice) ?? Corruptor.Typo(before, ref dice),
                Corruption.PostcodeDigit or Corruption.PhoneDigit => Corruptor.Digit(before, ref dice),
                Corruption.PhoneFormat => "+27 " + before[1..],
                _ => before,
            };
            if ((kind & Missing) != 0 || (after is not null && after != before))
            {
                values[at] = after;
                done |= kind;
            }
        }
        if (done == Corruption.None || SameAsOriginal(values, originalValues))
        {
            // Every copy differs from its original in at least one compared field.
            values[SyncFields.Name] = Corruptor.Typo(values[SyncFields.Name]!, ref dice) ?? values[SyncFields.Name] + "s";
            done |= Corruption.NameTypo;
        }
        return (values, done);
    }

    private static bool SameAsOriginal(string?[] copy, string?[] original)
    {
        foreach (var at in new[] { SyncFields.Name, SyncFields.IndexOf("address"), SyncFields.Postcode, SyncFields.IndexOf("phone"), SyncFields.IndexOf("email") })
        {
            if (copy[at] != original[at])
            {
                return false;
            }
        }
        return true;
    }

    private static Corruption Mask((Corruption Kind, double Weight)[] table) => table.Aggregate(Corruption.None, (a, t) => a | t.Kind);

    private static Corruption Choose((Corruption Kind, double Weight)[] table, ref Dice dice)
    {
        Span<double> weights = stackalloc double[table.Length];
        for (var k = 0; k < table.Length; k++)
        {
            weights[k] = table[k].Weight;
        }
        return table[dice.Weighted(weights)].Kind;
    }

    /// <summary>0 for changes to the parts of a value, 1 for changes to the written text (typing, phonetic, OCR, digits, missing).</summary>
    private static int Order(Corruption kind) => kind is Corruption.Nickname or Corruption.GivenNameChanged or Corruption.GivenNameInitial or Corruption.NamesSwapped
        or Corruption.LegalFormChanged or Corruption.CompanyWordsChanged or Corruption.AddressAbbreviated or Corruption.AddressReordered ? 0 : 1;

    private static bool Structural(Draft copy, Corruption kind, ref Dice dice)
    {
        switch (kind)
        {
            case Corruption.Nickname when Nickname(copy.Given, ref dice) is { } nick:
                copy.Given = nick;
                return true;
            case Corruption.GivenNameChanged:
                var other = Pools.GivenNames[dice.Skewed(Pools.GivenNames.Length)];
                copy.Given = other != copy.Given ? other : Pools.GivenNames[(Array.IndexOf(Pools.GivenNames, other) + 1) % Pools.GivenNames.Length];
                return true;
            case Corruption.GivenNameInitial:
                copy.Given = copy.Given[0] + (dice.Chance(0.5) ? "." : "");
                return true;
            case Corruption.NamesSwapped:
                copy.Swapped = 1 + dice.Next(2);
                return true;
            case Corruption.LegalFormChanged:
                copy.LegalForm = copy.LegalForm switch
                {
                    "(Pty) Ltd" => dice.Pick(new[] { "Pty Ltd", "(Pty) Limited", "Proprietary Limited", "" }),
                    "CC" => dice.Pick(new[] { "cc", "C.C.", "" }),
                    "Ltd" => "Limited",
                    "Inc" => "Incorporated",
                    "t/a" => "",
                    _ => dice.Pick(new[] { "(Pty) Ltd", "CC" }),
                };
                return true;
            case Corruption.CompanyWordsChanged:
                var words = copy.Core.Split(' ').ToList();
                if (copy.Core.Contains(" & ", StringComparison.Ordinal) || copy.Core.Contains(" and ", StringComparison.Ordinal))
                {
                    copy.Core = copy.Core.Contains('&', StringComparison.Ordinal) ? copy.Core.Replace("&", "and", StringComparison.Ordinal) : copy.Core.Replace(" and ", " & ", StringComparison.Ordinal);
                }
                else if (words.Contains("Brothers"))
                {
                    copy.Core = copy.Core.Replace("Brothers", "Bros", StringComparison.Ordinal);
                }
                else if (words.Count >= 3)
                {
                    words.RemoveAt(1 + dice.Next(words.Count - 1));
                    copy.Core = string.Join(' ', words);
                }
                else
                {
                    (words[0], words[^1]) = (words[^1], words[0]);
                    copy.Core = string.Join(' ', words);
                }
                return true;
            case Corruption.AddressAbbreviated:
                copy.Abbreviated = true;
                copy.AbbreviatedWithDot = dice.Chance(0.3);
                return true;
            case Corruption.AddressReordered:
                copy.Layout = 1 + dice.Next(3);
                return true;
            default:
                return false;
        }
    }

    private static string Abbreviate(string street)
    {
        foreach (var (word, shortForm) in Pools.AddressWords)
        {
            if (street.Contains(word, StringComparison.Ordinal) && word != shortForm)
            {
                return street.Replace(word, shortForm, StringComparison.Ordinal);
            }
        }
        return street;
    }

    private static string? Nickname(string given, ref Dice dice) =>
        Pools.Nicknames.TryGetValue(given, out var nicks) ? nicks[dice.Next(nicks.Length)] : FullNameOf.GetValueOrDefault(given);

    private static string[] BuildPostcodes(out int[] suburbOf, out int[] townOf, out int[] firstSuburb)
    {
        var total = Pools.Towns.Sum(t => t.Suburbs);
        var postcodes = new string[total];
        suburbOf = new int[total];
        townOf = new int[total];
        firstSuburb = new int[Pools.Towns.Length];
        var place = 0;
        for (var t = 0; t < Pools.Towns.Length; t++)
        {
            firstSuburb[t] = place;
            for (var k = 0; k < Pools.Towns[t].Suburbs; k++, place++)
            {
                postcodes[place] = (Pools.Towns[t].Postcode + k).ToString("D4", CultureInfo.InvariantCulture);
                suburbOf[place] = Pools.Towns[t].NamesFrom + (k * 7 + t) % Pools.Towns[t].Names;
                townOf[place] = t;
            }
        }
        return postcodes;
    }
}
