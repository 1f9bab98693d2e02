using Concord.Core.Connectors;
using Concord.Core.Sync.Planning;
using Concord.Core.Sync.Running;

namespace Concord.Tests;

/// <summary>Which lines of a plan a run applies (S3, S7, S9), on the plan alone.</summary>
public sealed class RunSelectionTests
{
    private static SyncRecord Record(string code, string name) => new(code, [name, null, null, null, null, null, null, null, null]);

    private static Plan PlanOf(params PlanLine[] lines)
    {
        var plan = new Plan { Full = true, OperationalCursor = "0", AccountingCursor = null };
        foreach (var line in lines)
        {
            plan.Add(line);
        }
        return plan;
    }

    [Fact]
    public void S3_AProposal_IsNeverApplied_AndItsCandidatesWaitWithIt()
    {
        var proposal = new PlanLine { Kind = LineKind.Proposal, Operational = Record("O1", "Cele Hardware"), Accounting = Record("A1", "Cele Hardware Ltd") };
        proposal.AddCandidates(["A1", "A2"]);
        var selection = RunSelection.Of(PlanOf(proposal), new RunOptions(), new HashSet<string>());

        Assert.Empty(selection.ToApply);
        Assert.Equal(1, selection.Skipped);
        Assert.Contains(("accounting", "A2", "proposal"), selection.ToDefer);
        Assert.Contains(("operational", "O1", "proposal"), selection.ToDefer);
    }

    [Fact]
    public void S7_ALineLeftOutThisTime_IsSkippedAndWaits_TheOthersAreApplied()
    {
        var create1 = new PlanLine { Kind = LineKind.CreateInAccounting, Operational = Record("O1", "One") };
        var create2 = new PlanLine { Kind = LineKind.CreateInAccounting, Operational = Record("O2", "Two") };
        var selection = RunSelection.Of(PlanOf(create1, create2), new RunOptions { Skip = ["o2"] }, new HashSet<string>());

        Assert.Equal([create1], selection.ToApply);
        Assert.Equal([("operational", "O2", "not this time")], selection.ToDefer);
    }

    [Fact]
    public void S3_APairThatAgreesAndWasMatchedNow_OnlyNeedsItsLink_AndALinkedOneNeedsNothing()
    {
        var matched = new PlanLine { Kind = LineKind.Pair, Operational = Record("O1", "One"), Accounting = Record("A1", "One"), Match = MatchRule.Vat };
        var linked = new PlanLine { Kind = LineKind.Pair, Operational = Record("O2", "Two"), Accounting = Record("A2", "Two"), Match = MatchRule.Correspondence, LinkId = 7 };
        var selection = RunSelection.Of(PlanOf(matched, linked), new RunOptions(), new HashSet<string>());

        Assert.Equal(["O1"], selection.ToLink.Select(p => p.OperationalCode));
        Assert.Empty(selection.ToApply);
    }
}
