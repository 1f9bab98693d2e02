using Concord.Core;
using Concord.Core.Ledger;
using Concord.Core.Users;
using Concord.Store;
using Concord.Tests.Support;
using FsCheck;
using FsCheck.Fluent;

namespace Concord.Tests;

/// <summary>
/// Totals always reconcile (L7, issue 12's correctness rule): random postings, allocations and
/// reversals on an account, then the balance is the signed sum of what was posted, the store's
/// balance column and outstanding items agree with it, the aged buckets sum to it, and a posting
/// reversed (after being allocated) changes nothing but the history. On both stores.
/// </summary>
public abstract class LedgerPropertyTests(StoreKind kind) : StoreTest(kind)
{
    public sealed class OnSqlite() : LedgerPropertyTests(StoreKind.Sqlite);

    public sealed class OnPostgres() : LedgerPropertyTests(StoreKind.Postgres);

    /// <summary>One step: post (kind, cents, day of the year), allocate (which debit, which credit, what share), or reverse (which).</summary>
    public sealed record Step(int What, TransactionKind Kind, long Cents, int Day, int First, int Second, int Share);

    private static readonly Gen<Step> Steps =
        from what in Gen.Frequency((6, Gen.Constant(0)), (3, Gen.Constant(1)), (1, Gen.Constant(2)))
        from kind in Gen.Elements(Enum.GetValues<TransactionKind>())
        from cents in Gen.Choose(1, 500_000).Select(c => (long)c)
        from negative in Gen.Elements(false, true)
        from day in Gen.Choose(0, 300)
        from first in Gen.Choose(0, 40)
        from second in Gen.Choose(0, 40)
        from share in Gen.Choose(1, 100)
        select new Step(what, kind, kind == TransactionKind.Adjustment && negative ? -cents : cents, day, first, second, share);

    private int _accounts;

    [Fact]
    public void L7_RandomPostingsAllocationsAndReversals_AlwaysReconcile()
    {
        Ok("ledger", "reference", "add", "currency", "ZAR", "--name", "Rand");
        var session = new Session(Store.Open(), new User("admin", Role.Supervisor), Clock);
        var config = Config.QuickThrowOnFailure.WithMaxTest(Store.Kind == StoreKind.Postgres ? 15 : 30).WithEndSize(40).WithQuietOnSuccess(true);
        Check.One(config, Prop.ForAll(Steps.ListOf().ToArbitrary(), (Func<IList<Step>, bool>)(steps => Reconciles(session, [.. steps]))));
    }

    private bool Reconciles(Session session, IReadOnlyList<Step> steps)
    {
        var code = $"P{++_accounts}";
        new AccountService(session).Add(new Dictionary<string, string?> { ["code"] = code, ["name"] = $"Property {code}", ["currency"] = "ZAR" });
        var service = new TransactionService(session);
        var posted = new List<long>();
        var yearStart = new DateOnly(2026, 1, 1);
        foreach (var step in steps)
        {
            switch (step.What)
            {
                case 0:
                    posted.Add(service.Post(new Posting(code, step.Kind, step.Cents / 100m, yearStart.AddDays(step.Day))).Id);
                    break;
                case 1 when posted.Count > 0:
                    var open = service.List(code).Where(t => t.Outstanding != 0).ToList();
                    var debits = open.Where(t => t.Outstanding > 0).ToList();
                    var credits = open.Where(t => t.Outstanding < 0).ToList();
                    if (debits.Count > 0 && credits.Count > 0)
                    {
                        var debit = debits[step.First % debits.Count];
                        var credit = credits[step.Second % credits.Count];
                        var amount = Math.Max(0.01m, decimal.Round(Math.Min(debit.Outstanding, -credit.Outstanding) * step.Share / 100m, 2, MidpointRounding.ToZero));
                        service.Allocate(code, debit.Id, credit.Id, amount, yearStart.AddDays(step.Day));
                    }
                    break;
                case 2 when posted.Count > 0:
                    var target = service.Find(posted[step.First % posted.Count]);
                    if (target.ReversedBy is null)
                    {
                        service.Reverse(target.Id);
                    }
                    break;
            }
        }

        var reports = new LedgerReports(session);
        var asOf = new DateOnly(2026, 12, 31);
        var before = reports.Standing(code, asOf);
        var rows = service.List(code);
        // balance = invoices + refunds + debit adjustments − credits − receipts − credit adjustments, reversals taking theirs back
        var expected = rows.Sum(t => t.Amount);
        var byKind = rows.Where(t => t.Reverses is null && t.ReversedBy is null).Sum(t => t.Kind switch
        {
            TransactionKind.Invoice or TransactionKind.Refund => Math.Abs(t.Amount),
            TransactionKind.Credit or TransactionKind.Receipt => -Math.Abs(t.Amount),
            _ => t.Amount,
        });
        var column = new AccountService(session).Get(code).Balance;
        var holds = before.Balance == expected && expected == byKind && column == expected
            && rows.Sum(t => t.Outstanding) == expected
            && before.Aged.Total == expected
            && rows.All(t => Math.Sign(t.Outstanding) * Math.Sign(t.Amount) >= 0 && Math.Abs(t.Outstanding) <= Math.Abs(t.Amount));

        // A reversal pair, the first allocated against what it can be, changes nothing but the history.
        var invoice = service.Post(new Posting(code, TransactionKind.Invoice, 123.45m, asOf.AddDays(-10), Vat: 20m));
        if (rows.FirstOrDefault(t => t.Outstanding < 0) is { } unallocated)
        {
            service.Allocate(code, invoice.Id, unallocated.Id, Math.Min(123.45m, -unallocated.Outstanding));
        }
        service.Reverse(invoice.Id);
        var after = reports.Standing(code, asOf);
        return holds && after == before with { } && new AccountService(session).Get(code).Balance == column
            && service.List(code).Where(t => t.Id < invoice.Id).Select(t => t.Outstanding).SequenceEqual(rows.Select(t => t.Outstanding));
    }
}
