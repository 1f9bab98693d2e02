using Concord.Core.Common;

namespace Concord.Core.Operational;

/// <summary>
/// The checks an operational customer must pass before it is stored (O1, O2, O5): its site
/// exists, its VAT number is valid for its country, its credit limit is not negative, and a
/// link points at an account customer.
/// </summary>
public static class CustomerRules
{
    /// <param name="findCustomer">finds another customer by code (store or same import).</param>
    public static void Check(OperationalCustomer customer, ReferenceResolver references,
        Func<string, OperationalCustomer?> findCustomer, List<RecordError> errors, int? line = null)
    {
        var label = $"customer {customer.Code}";
        if (string.IsNullOrEmpty(customer.Site))
        {
            errors.Add(new RecordError(label, "site", "is required", line));
        }
        else if (references.Find("site", customer.Site) is { } site)
        {
            customer.Site = site;
        }
        else
        {
            errors.Add(new RecordError(label, "site", $"'{customer.Site}' does not exist; add it with '{CommandHint.For($"sites add {CommandHint.Quote(customer.Site ?? "")} --name …")}'", line));
        }
        if (customer.CustomerClass is { } customerClass)
        {
            if (references.Find("customer-class", customerClass) is { } canonical)
            {
                customer.CustomerClass = canonical;
            }
            else
            {
                errors.Add(new RecordError(label, "customer-class", $"'{customerClass}' is not a customer class; add it with '{CommandHint.For($"classes add {CommandHint.Quote(customerClass)} --name … --posting account|generic")}'", line));
            }
        }
        CommonRules.References(OperationalCustomer.Schema, customer, label, references, errors, line);
        CommonRules.CreditLimit(label, customer.CreditLimit, errors, line);
        customer.Vat = CommonRules.Vat(label, customer.Vat, customer.Country, errors, line);
        if (customer.Account is { } account)
        {
            var target = Codes.Same(account, customer.Code) ? null : findCustomer(account);
            if (customer.IsAccountCustomer)
            {
                errors.Add(new RecordError(label, "account", "an account customer cannot be linked to another account customer; only operational customers link", line));
            }
            else if (Codes.Same(account, customer.Code))
            {
                errors.Add(new RecordError(label, "account", "a customer cannot be linked to itself", line));
            }
            else if (target is null)
            {
                errors.Add(new RecordError(label, "account", $"account customer '{account}' does not exist", line));
            }
            else if (!target.IsAccountCustomer)
            {
                errors.Add(new RecordError(label, "account", $"'{target.Code}' is an operational customer; link to an account customer", line));
            }
            else
            {
                customer.Account = target.Code;
            }
        }
    }

    /// <summary>A change an account customer may not make: becoming operational while operational customers link to it.</summary>
    /// <param name="hasLinked">whether operational customers link to the given account customer.</param>
    public static void CheckChange(OperationalCustomer before, OperationalCustomer after, Func<string, bool> hasLinked, List<RecordError> errors, int? line = null)
    {
        if (before.IsAccountCustomer && !after.IsAccountCustomer && hasLinked(before.Code))
        {
            errors.Add(new RecordError($"customer {before.Code}", "kind", "operational customers are linked to it; unlink them first", line));
        }
    }
}
