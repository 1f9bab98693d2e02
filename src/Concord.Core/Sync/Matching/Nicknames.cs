namespace Concord.Core.Sync.Matching;

/// <summary>
/// Common English nicknames and short forms of given names, so that "Bob Smith" and "Robert Smith"
/// share their given name. A lookup table, as record-linkage data generators use to corrupt names.
/// </summary>
public static class Nicknames
{
    private static readonly Dictionary<string, string> Full = Build(
        ("robert", "bob bobby rob robbie bert"), ("william", "bill billy will willie liam"), ("elizabeth", "liz lizzie beth betty eliza lisa"),
        ("katherine", "kate katie kathy kat"), ("catherine", "cathy cate"), ("james", "jim jimmy jamie"), ("michael", "mike mick mikey"),
        ("david", "dave davey"), ("daniel", "dan danny"), ("thomas", "tom tommy"), ("joseph", "joe joey"), ("john", "jack johnny"),
        ("christopher", "chris kit"), ("nicholas", "nick nicky"), ("anthony", "tony"), ("stephen", "steve stevie"), ("steven", "steve"),
        ("samuel", "sam sammy"), ("benjamin", "ben benny"), ("alexander", "alex sandy"), ("andrew", "andy drew"), ("peter", "pete"),
        ("matthew", "matt"), ("patrick", "pat paddy"), ("richard", "rick ricky dick richie"), ("edward", "ed eddie ted teddy ned"),
        ("charles", "charlie chuck chas"), ("frederick", "fred freddie"), ("henry", "harry hank"), ("gregory", "greg"), ("jonathan", "jon"),
        ("lawrence", "larry"), ("ronald", "ron ronnie"), ("donald", "don donnie"), ("susan", "sue susie"), ("jennifer", "jen jenny"),
        ("margaret", "maggie meg peggy marge"), ("amanda", "mandy"), ("rebecca", "becky becca"), ("victoria", "vicky tori"),
        ("deborah", "debbie deb"), ("sandra", "sandy"), ("cynthia", "cindy"), ("pamela", "pam"), ("christina", "tina chrissy"),
        ("nicole", "nikki"), ("jacqueline", "jackie"), ("josephine", "jo josie"), ("abigail", "abby"), ("alexandra", "alex lexi"),
        ("gerald", "gerry"), ("raymond", "ray"), ("timothy", "tim timmy"), ("kenneth", "ken kenny"), ("douglas", "doug"),
        ("philip", "phil"), ("leonard", "len lenny leo"), ("nathaniel", "nat nate"), ("theodore", "theo"), ("zachary", "zach"),
        ("johannes", "hannes johan"), ("jacobus", "koos"), ("petrus", "piet"), ("hendrik", "henk"), ("cornelius", "neels"));

    private static Dictionary<string, string> Build(params (string Name, string Short)[] names)
    {
        var full = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, shorts) in names)
        {
            foreach (var nickname in shorts.Split(' '))
            {
                full.TryAdd(nickname, name);
            }
        }
        return full;
    }

    /// <summary>The full given name a nickname stands for (lower case), else the word itself.</summary>
    public static string FullName(string word) => Full.GetValueOrDefault(word, word);
}
