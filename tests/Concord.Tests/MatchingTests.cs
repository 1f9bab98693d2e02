using Concord.Core.Connectors;
using Concord.Core.Sync.Matching;

namespace Concord.Tests;

/// <summary>
/// The proposal rules of S3 on records alone: every field compared, a missing value neither for
/// nor against, weights learnt by EM from the records, and nothing proposed on an address alone.
/// </summary>
public sealed class MatchingTests
{
    private static SyncRecord Record(string code, string? name, string? address = null, string? postcode = null, string? phone = null, string? email = null, string? vat = null) =>
        new(code, [name, vat, phone, email, null, address, postcode, "ZA", "0.00"]);

    // Unrelated customers around the pair, so that a pair stands out from what unrelated records share.
    private static List<SyncRecord> Crowd(string prefix, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Record($"{prefix}{i}", $"{Given[i % Given.Length]} {Family[i * 7 % Family.Length]}",
            $"{i + 3} {Streets[i % Streets.Length]}, {Towns[i % Towns.Length]}", $"{3000 + i * 37 % 900}", $"031 {i * 7919 % 1000:D3} {i * 104729 % 10000:D4}"))];

    private static readonly string[] Given = ["Sipho", "Anele", "Johan", "Priya", "Michael", "Lerato", "Pieter", "Fatima", "Themba", "Naledi", "Craig", "Ayanda"];
    private static readonly string[] Family = ["Dlamini", "Naidoo", "Botha", "Mokoena", "Pillay", "Smith", "Khumalo", "van Wyk", "Govender", "Zulu", "Ndlovu", "Pretorius", "Mthembu"];
    private static readonly string[] Streets = ["Florida Road", "Musgrave Road", "Problem Mkhize Road", "Anton Lembede Street", "Smith Street", "Umgeni Road"];
    private static readonly string[] Towns = ["Morningside", "Berea", "Glenwood", "Umbilo", "Durban North", "Westville"];

    private static IReadOnlyList<(string Op, string Acc)> Proposed(SyncRecord op, SyncRecord acc)
    {
        var ops = Crowd("O", 40).Append(op).ToList();
        var accs = Crowd("A", 40).Prepend(acc).ToList();
        return [.. Proposals.Find(ops, accs).Select(p => (ops[p.Operational].Code, accs[p.Accounting].Code))];
    }

    [Fact]
    public void S3_APostcodeTypoStillProposes()
    {
        var proposed = Proposed(
            Record("THA001", "Thandi Nkosi", "14 Cato Street, Umbilo, Durban", "4001", "031 555 0142"),
            Record("NKO9", "Thandi Nkosi", "14 Cato Street, Umbilo, Durban", "4010", "031 555 0142"));
        Assert.Contains(("THA001", "NKO9"), proposed);
    }

    [Fact]
    public void S3_ASwappedGivenAndFamilyNameStillProposes_AsDoNicknamesAndTypos()
    {
        Assert.Contains(("THA001", "NKO9"), Proposed(
            Record("THA001", "Thandi Nkosi", "14 Cato Street, Umbilo", "4001"),
            Record("NKO9", "NKOSI, Thandi", "14 Cato St, Umbilo", "4001")));
        Assert.Contains(("BOB1", "RS2"), Proposed(
            Record("BOB1", "Bob van der Merwe", "7 Ridge Road, Berea", "4001", email: "bob@vdm.example"),
            Record("RS2", "Robert van der Merwe", "7 Ridge Rd, Berea", "4001", email: "bob@vdm.example")));
        Assert.Contains(("UMH1", "U7"), Proposed(
            Record("UMH1", "Umhlanga Motors (Pty) Ltd", "2 Lagoon Drive, Umhlanga", "4319", "031 561 0000"),
            Record("U7", "Umlanga Motors", "2 Lagoon Dr, Umhlanga", "4320", "031 561 0000")));
    }

    [Fact]
    public void S3_TwoDifferentPeopleAtOneAddress_AreNotProposed_WhenTheirNamesDisagreeOnEverything()
    {
        var proposed = Proposed(
            Record("SIP1", "Sipho Khumalo", "9 Kingsway, Amanzimtoti", "4126", "031 903 1111", "home@khumalo.example"),
            Record("LER2", "Lerato Mokoena", "9 Kingsway, Amanzimtoti", "4126", "031 903 1111", "home@khumalo.example"));
        Assert.DoesNotContain(proposed, p => p.Op == "SIP1");
    }

    [Fact]
    public void S3_TwoDifferentVatNumbers_AreNeverProposed_HoweverAlikeTheRestIs()
    {
        var proposed = Proposed(
            Record("CUS5", "Customer 5", "5 Quay Road, Durban", "4001", "031 0005", vat: "ZA4100000005"),
            Record("LED5", "Customer 5", "5 Quay Road, Durban", "4001", "031 0005", vat: "ZA4190000005"));
        Assert.DoesNotContain(proposed, p => p.Op == "CUS5");
        // The same record with a VAT number on one side only is proposed: a missing number counts neither way.
        Assert.Contains(("CUS5", "LED5"), Proposed(
            Record("CUS5", "Customer 5", "5 Quay Road, Durban", "4001", "031 0005", vat: "ZA4100000005"),
            Record("LED5", "Customer 5", "5 Quay Road, Durban", "4001", "031 0005")));
    }

    [Fact]
    public void S3_AMissingFieldCountsAsNeitherAgreementNorDisagreement()
    {
        var model = Proposals.Learn(Crowd("O", 60), Crowd("A", 60));
        // Name similar and postcode the same; the phone the same, missing on one side, or different.
        int[] same = [2, -1, 2, 2, -1, -1, -1], missing = [2, -1, 2, -1, -1, -1, -1], differs = [2, -1, 2, 0, -1, -1, -1];

        Assert.True(model.Probability(same) > model.Probability(missing));
        Assert.True(model.Probability(missing) > model.Probability(differs));
        // The phone's own weights are for and against: missing sits between them with none.
        Assert.True(model.Weight(MatchField.Phone, 2) > 0 && model.Weight(MatchField.Phone, 0) < 0);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)] // no phone: no training session has pairs, the weights come from EM over all candidates
    public void S3_WeightsComeOutOfEmOnAGeneratedSet_InTheOrderOfAgreement(bool phones)
    {
        // 1,500 customers, and a copy of each with the errors people make: typos, a missing phone, a postcode digit, a nickname.
        var random = new Random(7);
        var originals = new List<SyncRecord>();
        var copies = new List<SyncRecord>();
        for (var i = 0; i < 1500; i++)
        {
            var (given, family) = (Given[random.Next(Given.Length)], Family[random.Next(Family.Length)] + (i % 50 == 0 ? "" : $"{(char)('a' + i % 26)}"));
            var address = $"{random.Next(1, 400)} {Streets[random.Next(Streets.Length)]}, {Towns[random.Next(Towns.Length)]}";
            var postcode = $"{random.Next(3000, 4999)}";
            var phone = phones ? $"031 {random.Next(100, 999)} {random.Next(1000, 9999)}" : null;
            originals.Add(Record($"O{i}", $"{given} {family}", address, postcode, phone));
            var name = random.Next(4) switch { 0 => $"{family} {given}", 1 => $"{given[0]} {family}", 2 => $"{given}{family}", _ => $"{given} {family}" };
            var copyPostcode = random.Next(5) == 0 ? postcode[..3] + (char)('0' + (postcode[3] - '0' + 1) % 10) : postcode;
            copies.Add(Record($"C{i}", name, random.Next(6) == 0 ? null : address.Replace("Road", "Rd", StringComparison.Ordinal), copyPostcode, random.Next(3) == 0 ? null : phone));
        }

        var model = Proposals.Learn(originals, copies);

        double W(MatchField field, int level) => model.Weight(field, level);
        Assert.True(W(MatchField.Name, 3) > W(MatchField.Name, 2) && W(MatchField.Name, 2) > W(MatchField.Name, 1) && W(MatchField.Name, 0) < 0,
            string.Join(", ", Enumerable.Range(0, 4).Select(l => W(MatchField.Name, l).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture))));
        Assert.True(W(MatchField.Postcode, 2) > W(MatchField.Postcode, 1) && W(MatchField.Postcode, 1) > W(MatchField.Postcode, 0));
        Assert.True(!phones || W(MatchField.Phone, 2) > 0 && W(MatchField.Phone, 0) < 0);
        Assert.True(W(MatchField.Address, 2) > W(MatchField.Address, 0));
        // About one candidate pair in many is a true pair, and EM finds a share of that order, not its starting 0.1.
        Assert.True(model.Share is > 0.0005 and < 0.5, model.ToString());
        Assert.NotEqual(0.1, model.Share, 3);
    }

    [Fact]
    public void S3_RecordsWithoutCounterpart_AreNotProposed_ForAFamilyNameAndAPostcodeInCommon()
    {
        // 1,000 customers on both sides; 300 more here only, each sharing its family name and postcode with
        // four there only (other given names, streets, phones): more such candidates than true pairs. EM
        // must not learn from them that a true pair's names are often only partly alike.
        var random = new Random(11);
        var (ops, accs) = (new List<SyncRecord>(), new List<SyncRecord>());
        string Address() => $"{random.Next(1, 400)} {Streets[random.Next(Streets.Length)]}, {Towns[random.Next(Towns.Length)]}";
        string Phone() => $"031 {random.Next(100, 999)} {random.Next(1000, 9999)}";
        for (var i = 0; i < 1300; i++)
        {
            var family = Family[random.Next(Family.Length)] + (char)('a' + i % 26) + (char)('a' + i / 26 % 26);
            var given = Given[random.Next(Given.Length)];
            var (address, postcode, phone) = (Address(), $"{random.Next(3000, 4999)}", Phone());
            if (i < 1000)
            {
                ops.Add(Record($"O{i}", $"{given} {family}", address, postcode, phone));
                accs.Add(Record($"A{i}", random.Next(3) == 0 ? $"{family} {given}" : $"{given} {family}", address.Replace("Road", "Rd", StringComparison.Ordinal),
                    random.Next(5) == 0 ? null : postcode, random.Next(4) == 0 ? null : phone));
            }
            else
            {
                ops.Add(Record($"H{i}", $"{given} {family}", address, postcode, phone));
                for (var k = 1; k <= 4; k++)
                {
                    var other = Given[(Array.IndexOf(Given, given) + k) % Given.Length];
                    accs.Add(Record($"R{i}-{k}", $"{other} {family}", Address(), postcode, Phone()));
                }
            }
        }

        var proposed = Proposals.Find(ops, accs).Select(p => (Op: ops[p.Operational].Code, Acc: accs[p.Accounting].Code)).ToList();

        var unrelated = proposed.Where(p => p.Op.StartsWith('H')).ToList();
        Assert.True(unrelated.Count == 0, $"{unrelated.Count} of 1,200 unrelated pairs proposed, {proposed.Count} proposals; {Proposals.Learn(ops, accs)}");
        Assert.True(proposed.Count(p => p.Op[1..] == p.Acc[1..]) >= 980, $"{proposed.Count} proposed");
    }

    [Fact]
    public void S3_EveryCandidatePairIsComparedOnce_EvenWhenSeveralKeysBringItTogether()
    {
        // The same postcode, name sounds, street, phone and e-mail: five keys, one pair.
        var op = Record("ONE", "Bayside Traders", "5 Quay Road, Durban", "4001", "031 332 0000", "sales@bayside.example");
        var acc = Record("BAY", "Bayside Traders CC", "5 Quay Rd, Durban", "4001", "031 332 0000", "sales@bayside.example");
        var pairs = Proposals.Find([op], [acc]);
        Assert.Equal((0, 0), (Assert.Single(pairs).Operational, pairs[0].Accounting));
    }
}
