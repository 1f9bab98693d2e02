using System.Runtime.InteropServices;

namespace Concord.Core.Sync.Matching;

/// <summary>
/// Which records are compared at all: those sharing at least one blocking key. A record has many
/// keys, so that one error in one field never keeps a pair apart: the postcode with the sound of
/// each name word, the sounds of each two name words, the street number with the sound of each
/// address word, the phone digits, the e-mail and the web domain. A key that a great many records
/// share (a common name in a big town) says little and is left out; the other keys still bring
/// the pair together.
/// </summary>
public sealed class Blocking
{
    /// <summary>A key more records of the other side than this share is too common to compare within.</summary>
    public const int MaxBlock = 25;

    private readonly List<long> _keys;
    private readonly List<int> _records;

    /// <summary>The keys of <paramref name="records"/> (the side looked up), sorted, the too common ones left out.</summary>
    public Blocking(IReadOnlyList<MatchRecord> records)
    {
        // Sorted and thinned in place: at a million records these are some 50 MB a list.
        _keys = new List<long>(records.Count * 6);
        _records = new List<int>(records.Count * 6);
        var keys = new List<long>();
        for (var i = 0; i < records.Count; i++)
        {
            keys.Clear();
            Keys(records[i], keys);
            foreach (var key in keys.Distinct())
            {
                _keys.Add(key);
                _records.Add(i);
            }
        }
        var sortedKeys = CollectionsMarshal.AsSpan(_keys);
        var sortedRecords = CollectionsMarshal.AsSpan(_records);
        sortedKeys.Sort(sortedRecords);
        // Keep each key's records in place unless there are too many of them.
        var kept = 0;
        for (var start = 0; start < sortedKeys.Length;)
        {
            var end = start;
            while (end < sortedKeys.Length && sortedKeys[end] == sortedKeys[start])
            {
                end++;
            }
            if (end - start > MaxBlock)
            {
                Dropped++;
            }
            else
            {
                for (var k = start; k < end; k++, kept++)
                {
                    (sortedKeys[kept], sortedRecords[kept]) = (sortedKeys[k], sortedRecords[k]);
                }
            }
            start = end;
        }
        _keys.RemoveRange(kept, _keys.Count - kept);
        _records.RemoveRange(kept, _records.Count - kept);
    }

    /// <summary>How many (key, record) entries are kept.</summary>
    public int Count => _keys.Count;

    /// <summary>How many keys were too common to compare within.</summary>
    public int Dropped { get; }

    /// <summary>The records sharing a key with <paramref name="record"/>, each once, into <paramref name="found"/> (cleared first).</summary>
    public void Candidates(MatchRecord record, List<long> keys, HashSet<int> found)
    {
        found.Clear();
        keys.Clear();
        Keys(record, keys);
        foreach (var key in keys)
        {
            for (var at = First(key); at < _keys.Count && _keys[at] == key; at++)
            {
                found.Add(_records[at]);
            }
        }
    }

    private int First(long key)
    {
        var (low, high) = (0, _keys.Count);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (_keys[middle] < key)
            {
                low = middle + 1;
            }
            else
            {
                high = middle;
            }
        }
        return low;
    }

    /// <summary>The blocking keys of a record, as 64-bit hashes (two keys that collide only add a comparison).</summary>
    public static void Keys(MatchRecord record, List<long> keys)
    {
        var sounds = record.Words.Where(w => w.Length > 1).Select(Phonetic.Code).Distinct(StringComparer.Ordinal).ToArray();
        if (record.Postcode is { } postcode)
        {
            foreach (var sound in sounds)
            {
                keys.Add(Hash('P', postcode, sound));
            }
        }
        for (var i = 0; i < Math.Min(sounds.Length, 5); i++)
        {
            for (var j = i + 1; j < Math.Min(sounds.Length, 5); j++)
            {
                keys.Add(Hash('N', sounds[i], sounds[j]));
            }
        }
        if (sounds.Length == 1)
        {
            keys.Add(Hash('W', record.Joined, ""));
        }
        if (record.Number is { } number)
        {
            foreach (var word in record.Street.Where(w => w.Length > 2))
            {
                keys.Add(Hash('A', number, Phonetic.Code(word)));
            }
        }
        if (record.Phone is { } phone)
        {
            keys.Add(Hash('T', phone, ""));
        }
        if (record.Email is { } email)
        {
            keys.Add(Hash('E', email, ""));
        }
        if (record.Domain is { } domain)
        {
            keys.Add(Hash('D', domain, ""));
        }
    }

    // FNV-1a over the kind and both parts.
    private static long Hash(char kind, string first, string second)
    {
        var hash = 14695981039346656037UL;
        void Add(char c) => hash = (hash ^ c) * 1099511628211UL;
        Add(kind);
        foreach (var c in first)
        {
            Add(c);
        }
        Add('\u0001');
        foreach (var c in second)
        {
            Add(c);
        }
        return (long)hash;
    }
}

/// <summary>
/// A word's sound (American Soundex: the first letter, then up to three digits for the consonant
/// groups that follow), so that "Smith" and "Smyth", "Nkosi" and "Nkozi" share a key.
/// </summary>
public static class Phonetic
{
    public static string Code(string word)
    {
        if (word.Length == 0 || !char.IsAsciiLetter(word[0]))
        {
            return word;
        }
        Span<char> code = ['\0', '0', '0', '0'];
        code[0] = char.ToUpperInvariant(word[0]);
        var length = 1;
        var last = Digit(word[0]);
        for (var i = 1; i < word.Length && length < 4; i++)
        {
            var c = word[i];
            var digit = Digit(c);
            if (digit != '0' && digit != last)
            {
                code[length++] = digit;
            }
            if (c is not ('h' or 'w'))
            {
                last = digit; // a vowel parts two equal digits; h and w do not
            }
        }
        return new string(code);
    }

    private static char Digit(char c) => char.ToLowerInvariant(c) switch
    {
        'b' or 'f' or 'p' or 'v' => '1',
        'c' or 'g' or 'j' or 'k' or 'q' or 's' or 'x' or 'z' => '2',
        'd' or 't' => '3',
        'l' => '4',
        'm' or 'n' => '5',
        'r' => '6',
        _ => '0',
    };
}
