using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Sync.Connections;
using Concord.Core.Sync.Correspondence;
using Concord.Core.Sync.Inbox;

namespace Concord.Core.Sync.Running;

/// <summary>What the writers of one run share: the store, the connection, the report, the run's tables and both sides.</summary>
internal sealed record RunContext(Session Session, DbConnection Db, SyncConnection Connection, RunReport Report, LinkStore Links, Journal Journal, InboxStore Inbox,
    IConnector Operational, IConnector Accounting, HashSet<string> InInbox)
{
    /// <summary>Closes the records' inbox entries, if they have any (most have none, and cost nothing).</summary>
    public void Close(DbConnection d, DbTransaction t, string? operational, string? accounting)
    {
        if ((operational is not null && InInbox.Contains(Codes.Key(operational))) || (accounting is not null && InInbox.Contains(Codes.Key(accounting))))
        {
            Inbox.Close(d, t, operational, accounting);
        }
    }

    /// <summary>Runs <paramref name="work"/> in one local transaction.</summary>
    public static void Within(DbConnection db, Action<DbConnection, DbTransaction> work)
    {
        using var transaction = db.BeginTransaction();
        work(db, transaction);
        transaction.Commit();
    }

    /// <summary>The side's refusal as one phrase: "field reason".</summary>
    public static string Reason(WriteOutcome outcome) =>
        outcome.Field is null ? outcome.Reason ?? "refused" : $"{outcome.Field} {outcome.Reason}";
}
