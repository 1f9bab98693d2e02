using Concord.Core.Ledger;

namespace Concord.Core.Connectors;

/// <summary>
/// An accounting side that takes the operational side's invoices (O3): the embedded ledger. Each
/// posting carries its source (the operational invoice's mark), by which the side posts it once and
/// by which a run that lost its answer finds it again (S19). One call per batch, as for customers.
/// </summary>
public interface IInvoiceTarget
{
    /// <summary>The transactions posted under these sources, by source.</summary>
    Task<IReadOnlyDictionary<string, LedgerTransaction>> PostedAsync(IReadOnlyCollection<string> sources, CancellationToken cancellation);

    /// <summary>What the side would refuse of these postings, writing nothing: each refusal or null, in order.</summary>
    Task<IReadOnlyList<Common.UserError?>> WouldRefuseAsync(IReadOnlyList<(string Record, Posting Posting)> postings, CancellationToken cancellation);

    /// <summary>Posts each on its own: one outcome per posting, in order; a source posted before is not posted again.</summary>
    Task<IReadOnlyList<PostingOutcome>> PostAsync(IReadOnlyList<(string Record, Posting Posting)> postings, CancellationToken cancellation);
}

/// <summary>The embedded ledger's transactions as an <see cref="IInvoiceTarget"/>, in the ledger's own store and as the run's user.</summary>
public sealed class LedgerInvoices(Session session) : IInvoiceTarget
{
    public Task<IReadOnlyDictionary<string, LedgerTransaction>> PostedAsync(IReadOnlyCollection<string> sources, CancellationToken cancellation) =>
        Task.FromResult(new TransactionService(session).Posted(sources));

    public Task<IReadOnlyList<Common.UserError?>> WouldRefuseAsync(IReadOnlyList<(string Record, Posting Posting)> postings, CancellationToken cancellation) =>
        Task.FromResult(new TransactionService(session).Refusals(postings));

    public Task<IReadOnlyList<PostingOutcome>> PostAsync(IReadOnlyList<(string Record, Posting Posting)> postings, CancellationToken cancellation) =>
        Task.FromResult(new TransactionService(session).PostEach(postings));
}
