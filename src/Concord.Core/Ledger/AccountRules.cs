using Concord.Core.Common;

namespace Concord.Core.Ledger;

/// <summary>
/// The checks a ledger account must pass before it is stored: prerequisites exist (L2), credit
/// limit and VAT number are valid, ledger and invoice accounts exist, differ from the account,
/// share its currency and form no cycle (L5).
/// </summary>
public static class AccountRules
{
    /// <summary>How many ledger accounts a chain may pass through (a delivery account's ledger account's ledger account …).</summary>
    public const int MaxChain = 1000;

    public static void Check(LedgerAccount account, ReferenceResolver references, Func<string, LedgerAccount?> findAccount,
        List<RecordError> errors, List<string> warnings, int? line = null)
    {
        var label = $"account {account.Code}";
        if (string.IsNullOrWhiteSpace(account.Name))
        {
            errors.Add(new RecordError(label, "name", "is required", line));
        }
        CommonRules.References(LedgerAccount.Schema, account, label, references, errors, line);
        CommonRules.CreditLimit(label, account.CreditLimit, errors, line);
        if (account.PaymentDays < 0)
        {
            errors.Add(new RecordError(label, "payment-days", "must be 0 or more", line));
        }
        account.Vat = CommonRules.Vat(label, account.Vat, account.Country, errors, line);
        CheckRelated(account, "ledger-account", account.LedgerAccountCode, c => account.LedgerAccountCode = c, findAccount, errors, warnings, line);
        CheckRelated(account, "invoice-account", account.InvoiceAccount, c => account.InvoiceAccount = c, findAccount, errors, warnings, line);
    }

    private static void CheckRelated(LedgerAccount account, string field, string? code, Action<string> setCanonical,
        Func<string, LedgerAccount?> findAccount, List<RecordError> errors, List<string> warnings, int? line)
    {
        if (code is null)
        {
            return;
        }
        var label = $"account {account.Code}";
        if (Codes.Same(code, account.Code))
        {
            errors.Add(new RecordError(label, field, "must be another account, not the account itself", line));
            return;
        }
        var target = findAccount(code);
        if (target is null)
        {
            errors.Add(new RecordError(label, field, $"account '{code}' does not exist", line));
            return;
        }
        setCanonical(target.Code);
        if (!Codes.Same(target.Currency, account.Currency))
        {
            errors.Add(new RecordError(label, field,
                $"'{target.Code}' is in {target.Currency ?? "no currency"} but this account is in {account.Currency ?? "no currency"}; both must use the same currency", line));
        }
        if (field == "ledger-account")
        {
            var seen = new HashSet<string>(Codes.Comparer) { account.Code };
            var step = target;
            for (var i = 0; step is not null && i < MaxChain; i++)
            {
                if (!seen.Add(step.Code))
                {
                    errors.Add(new RecordError(label, field, $"'{target.Code}' leads back to '{account.Code}' through ledger accounts; ledger accounts cannot form a cycle", line));
                    return;
                }
                step = step.LedgerAccountCode is { } next ? findAccount(next) : null;
            }
            if (account.Balance != 0)
            {
                warnings.Add($"account {account.Code} has transactions (balance {Currency.Of(account.Currency).Format(account.Balance)}); its new invoices and credit notes will post to {target.Code}");
            }
        }
    }
}
