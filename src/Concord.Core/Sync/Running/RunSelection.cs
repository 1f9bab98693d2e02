using Concord.Core.Common;
using Concord.Core.Sync.Planning;

namespace Concord.Core.Sync.Running;

/// <summary>
/// Which lines of a plan a run applies (S7, S9): the lines a person left selected that have work,
/// the agreeing pairs that only need their link, and what waits — proposals and ambiguous matches
/// (never linked without a person, S3) and lines left out "not this time", with the candidates of
/// each so that neither side of a possible match is created meanwhile. Works on the plan alone.
/// </summary>
public sealed class RunSelection
{
    public List<PlanLine> ToApply { get; } = [];

    public List<AgreeingPair> ToLink { get; } = [];

    public List<(string Side, string Code, string Reason)> ToDefer { get; } = [];

    public int Skipped { get; private set; }

    /// <param name="inInbox">keys of records the inbox holds: their pairs are applied even when nothing differs, so the entry closes.</param>
    public static RunSelection Of(Plan plan, RunOptions options, IReadOnlySet<string> inInbox)
    {
        var selection = new RunSelection();
        bool Selected(Func<string, bool> names) => (options.Only.Count == 0 || options.Only.Any(names)) && !options.Skip.Any(names);
        void Consider(PlanLine line)
        {
            var selected = Selected(line.Names);
            if (!selected || line.Kind is LineKind.Ambiguous or LineKind.Proposal)
            {
                if (line.HasWork || line.Kind is LineKind.Ambiguous or LineKind.Proposal)
                {
                    selection.Skipped++;
                    var reason = selected ? line.Kind.ToString().ToLowerInvariant() : "not this time";
                    selection.ToDefer.AddRange(Sides(line).Select(s => (s.Side, s.Code, reason)));
                    // The candidates wait with it: neither side of a possible match is created meanwhile.
                    var otherSide = line.OperationalCode is not null ? "accounting" : "operational";
                    selection.ToDefer.AddRange(line.Candidates.Select(c => (otherSide, c, reason)));
                }
                return;
            }
            if (line.HasWork || (line.Kind == LineKind.Pair && Sides(line).Any(s => inInbox.Contains(Codes.Key(s.Code)))))
            {
                selection.ToApply.Add(line);
            }
        }
        foreach (var line in plan.Worked)
        {
            Consider(line);
        }
        foreach (var pair in plan.Agreeing)
        {
            // Agreeing pairs matched now only need their link, written in bulk; linked ones need nothing, unless the inbox holds them.
            var held = inInbox.Contains(Codes.Key(pair.OperationalCode)) || inInbox.Contains(pair.Accounting.Key);
            var newLink = pair.Match != MatchRule.Correspondence;
            if (newLink && !held && Selected(code => Codes.Same(code, pair.OperationalCode) || Codes.Same(code, pair.Accounting.Code)))
            {
                selection.ToLink.Add(pair);
            }
            else if (newLink || held)
            {
                Consider(pair.ToLine());
            }
        }
        return selection;
    }

    private static IEnumerable<(string Side, string Code)> Sides(PlanLine line)
    {
        if (line.OperationalCode is { } op)
        {
            yield return ("operational", op);
        }
        if (line.AccountingCode is { } acc)
        {
            yield return ("accounting", acc);
        }
    }
}
