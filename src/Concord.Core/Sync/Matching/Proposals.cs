using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Planning;

namespace Concord.Core.Sync.Matching;

/// <summary>
/// Proposals (S3): records that exact keys left unmatched, compared by name within blocks of the
/// same postcode (or first letters of name words when there is none). A proposal is only shown:
/// a person links it or confirms it is new. Works on records alone, without a store.
/// </summary>
public static class Proposals
{
    private const double ProposalThreshold = 0.8;

    /// <summary>
    /// Name and postcode proposals for what exact keys left unmatched, blocked (see <see cref="Blocks"/>)
    /// so that only records of the same postcode are compared.
    /// </summary>
    public static void Propose(Plan plan, List<SyncRecord> ops, List<SyncRecord> accs, HashSet<string> takenOp, HashSet<string> takenAcc)
    {
        if (ops.Count == 0 || accs.Count == 0)
        {
            return;
        }
        // One sorted array of (block, record) entries rather than a list per block: a large first sync has hundreds of thousands of blocks.
        var names = new (string[] Words, string Joined)[accs.Count];
        var entries = new List<(Block Block, int Acc)>(accs.Count * 3);
        for (var i = 0; i < accs.Count; i++)
        {
            var words = NameKey.Words(accs[i].Name);
            names[i] = (words, string.Concat(words));
            foreach (var block in Blocks(accs[i], words))
            {
                entries.Add((block, i));
            }
        }
        entries.Sort((x, y) => x.Block.CompareTo(y.Block));
        var found = new List<int>();
        foreach (var op in ops)
        {
            var words = NameKey.Words(op.Name);
            var joined = string.Concat(words);
            found.Clear();
            foreach (var block in Blocks(op, words))
            {
                for (var k = FirstOf(entries, block); k < entries.Count && entries[k].Block.Equals(block); k++)
                {
                    var acc = entries[k].Acc;
                    if (!found.Contains(acc) && NameKey.Similarity(words, joined, names[acc].Words, names[acc].Joined) >= ProposalThreshold)
                    {
                        found.Add(acc);
                    }
                }
            }
            if (found.Count == 0)
            {
                continue;
            }
            var candidates = found.Select(k => accs[k]).ToList();
            var line = new PlanLine { Kind = LineKind.Proposal, Operational = op, Accounting = candidates.Count == 1 ? candidates[0] : null, Note = $"similar name and postcode: confirm with '{CommandHint.For("sync link")}' or '{CommandHint.For("sync new")}'" };
            line.AddCandidates(candidates.Select(c => c.Code));
            plan.Add(line);
            takenOp.Add(op.Key);
            takenAcc.UnionWith(candidates.Select(c => c.Key));
        }
    }

    /// <summary>The first entry of <paramref name="block"/> in the sorted entries (their count if none).</summary>
    private static int FirstOf(List<(Block Block, int Acc)> entries, Block block)
    {
        var (low, high) = (0, entries.Count);
        while (low < high)
        {
            var middle = (low + high) >>> 1;
            if (entries[middle].Block.CompareTo(block) < 0)
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

    /// <summary>A block of the proposal search: a postcode, or ("", the first letters of a word packed in a number) for records without one.</summary>
    private readonly record struct Block(string Postcode, long Beginning) : IComparable<Block>
    {
        public int CompareTo(Block other) =>
            string.CompareOrdinal(Postcode, other.Postcode) is var byPostcode and not 0 ? byPostcode : Beginning.CompareTo(other.Beginning);
    }

    /// <summary>
    /// The blocks a record is compared within: its postcode (every record of the postcode is
    /// compared, so joined words and early typos are found too), or for a record without one the
    /// first letters of each of its words.
    /// </summary>
    private static IEnumerable<Block> Blocks(SyncRecord record, string[] words)
    {
        var postcode = record.Postcode?.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant() ?? "";
        if (postcode.Length > 0)
        {
            yield return new Block(postcode, 0);
            yield break;
        }
        for (var i = 0; i < words.Length; i++)
        {
            var letters = Math.Min(BlockLetters, words[i].Length);
            long beginning = letters;
            for (var k = 0; k < letters; k++)
            {
                beginning = (beginning << 16) | words[i][k];
            }
            yield return new Block("", beginning);
        }
    }

    private const int BlockLetters = 3;
}
