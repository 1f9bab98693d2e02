using Concord.Core.Common;
using Concord.Core.Ledger;
using Concord.Core.Operational;

namespace Concord.Core.Exchange;

/// <summary>The CSV importers of the two record kinds, with their defaults and rules.</summary>
public static class Importers
{
    public static CsvImporter<OperationalCustomer> Customers(Session session, IProgress<ProgressStep>? progress = null) =>
        new(session, CustomerService.Table)
        {
            Complete = (customer, has) =>
            {
                if (!has("sync-to-accounting"))
                {
                    customer.SyncToAccounting = customer.IsAccountCustomer;
                }
                if (!has("active"))
                {
                    customer.Active = true;
                }
            },
            Check = (customer, references, find, errors, line) => CustomerRules.Check(customer, references, find, errors, line),
            CheckChange = (before, after, connection, errors, line) => CustomerRules.CheckChange(before, after, code => CustomerService.HasLinked(connection, null, code), errors, line),
            ModifiedStamp = "modified-at",
            // Later rows may link to an account customer; code and kind are all a link check needs.
            Remember = customer => customer.IsAccountCustomer ? new OperationalCustomer { Code = customer.Code, Kind = customer.Kind } : null,
            Progress = progress,
        };

    public static CsvImporter<LedgerAccount> Accounts(Session session, IProgress<ProgressStep>? progress = null) =>
        new(session, AccountService.Table)
        {
            Prepare = (account, row, connection) => AccountService.ApplyProfiles(connection, null, account, row.Values),
            Check = (account, references, find, errors, line) => AccountRules.Check(account, references, find, errors, [], line),
            CheckChange = (before, after, connection, errors, line) => AccountService.CheckChange(before, after, connection, null, errors, line),
            ModifiedStamp = "last-modified",
            Progress = progress,
        };
}
