using Concord.Core.Connectors;
using Concord.Core.Sync.Matching;
using Concord.Core.Sync.Planning;

namespace Concord.Tests;

/// <summary>The VAT number rule of S3 on records alone, in whatever order the sides read.</summary>
public sealed class VatIndexTests
{
    private static SyncRecord Record(string code, string? vat) =>
        new(code, [code + " name", vat, null, null, null, null, null, null, null]);

    private static Plan NewPlan() => new() { Full = true, OperationalCursor = "0", AccountingCursor = null };

    private static PlanLine Pair(SyncRecord op, SyncRecord acc) =>
        new() { Kind = LineKind.Pair, Operational = op, Accounting = acc, Match = MatchRule.Vat };

    [Fact]
    public void S3_OneRecordPerVatNumberOnEachSide_PairsThem_WhateverOrderTheSidesRead()
    {
        var index = new VatIndex();
        var plan = NewPlan();
        foreach (var acc in new[] { Record("A3", "ZA3"), Record("A1", "ZA1"), Record("A2", "ZA2") })
        {
            Assert.True(index.AddAccounting(acc));
        }
        foreach (var op in new[] { Record("O2", "ZA2"), Record("O1", "ZA1") })
        {
            Assert.True(index.Meet(op, plan, acc => Pair(op, acc)));
        }
        plan.Compact();

        Assert.Equal(["O1:A1", "O2:A2"], plan.Lines.Select(l => $"{l.OperationalCode}:{l.AccountingCode}").Order());
        Assert.Empty(index.Ambiguous());
        Assert.Equal(["A3"], index.Unmet().Select(r => r.Code));
    }

    [Fact]
    public void S3_ASecondOperationalRecordOfTheNumber_AfterItWasPaired_WithdrawsThePair_AndBothAreAmbiguous()
    {
        var index = new VatIndex();
        var plan = NewPlan();
        index.AddAccounting(Record("A1", "ZA1"));
        var first = Record("O1", "ZA1");
        var second = Record("O2", "ZA1");
        index.Meet(first, plan, acc => Pair(first, acc));
        Assert.Single(plan.Lines);
        index.Meet(second, plan, acc => Pair(second, acc));
        plan.Compact();

        Assert.Empty(plan.Lines);
        var (vat, ops, accs) = Assert.Single(index.Ambiguous());
        Assert.Equal("ZA1", vat);
        Assert.Equal(["O1", "O2"], ops.Select(o => o.Code));
        Assert.Equal(["A1"], accs.Select(a => a.Code));
        Assert.Empty(index.Unmet());
    }

    [Fact]
    public void S3_TwoAccountingRecordsOfTheNumber_MakeItAmbiguous_AndNothingIsPaired()
    {
        var index = new VatIndex();
        var plan = NewPlan();
        index.AddAccounting(Record("A1", "ZA1"));
        index.AddAccounting(Record("A2", "ZA1"));
        var op = Record("O1", "ZA1");
        index.Meet(op, plan, acc => Pair(op, acc));
        plan.Compact();

        Assert.Empty(plan.Lines);
        var (_, ops, accs) = Assert.Single(index.Ambiguous());
        Assert.Equal(["O1"], ops.Select(o => o.Code));
        Assert.Equal(["A1", "A2"], accs.Select(a => a.Code));
    }

    [Fact]
    public void S3_RecordsWithoutAVatNumber_OrWithANumberTheOtherSideLacks_StayUnmatched()
    {
        var index = new VatIndex();
        var plan = NewPlan();
        Assert.False(index.AddAccounting(Record("A1", null)));
        index.AddAccounting(Record("A2", "ZA2"));
        Assert.False(index.Meet(Record("O1", null), plan, _ => throw new InvalidOperationException("paired without a number")));
        Assert.False(index.Meet(Record("O3", "ZA3"), plan, _ => throw new InvalidOperationException("paired another number")));
        Assert.Equal(["A2"], index.Unmet().Select(r => r.Code));
    }
}
