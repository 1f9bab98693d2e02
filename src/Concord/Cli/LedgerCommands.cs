using System.CommandLine;
using System.Globalization;
using Concord.Core.Common;
using Concord.Core.Ledger;

namespace Concord.Cli;

/// <summary>`concord ledger …`: the embedded sales ledger's accounts, reference data and profiles (L1–L9).</summary>
public static class LedgerCommands
{
    public static IEnumerable<Command> Build(Action<Command, Func<CliContext, int>> bind)
    {
        var ledger = new Command("ledger", "The embedded sales ledger")
        {
            Accounts(bind),
            Reference(bind),
            Profiles(bind),
            CompanyCommand(bind),
        };
        foreach (var command in TransactionCommands.Build(bind))
        {
            ledger.Subcommands.Add(command);
        }
        yield return ledger;
    }

    private static Command Accounts(Action<Command, Func<CliContext, int>> bind)
    {
        var includeDormant = new Option<bool>("--include-dormant") { Description = "Also list dormant accounts" };
        var includeModels = new Option<bool>("--include-models") { Description = "Also list model accounts" };
        var list = new Command("list", "List the customer accounts") { includeDormant, includeModels, Output.Json };
        bind(list, context =>
        {
            _ = context.Session;
            using var connection = context.Database.OpenConnection();
            return Output.List(context, LedgerAccount.Schema,
                AccountService.List(connection, context.Value(includeDormant), context.Value(includeModels)), LedgerAccount.ListingColumns);
        });

        var text = new Argument<string>("TEXT") { Description = "Text to find in codes, names, phone numbers, e-mail addresses and VAT numbers" };
        var search = new Command("search", "Find accounts whose code, name or VAT number contains TEXT") { text, includeDormant, Output.Json };
        bind(search, context =>
        {
            _ = context.Session;
            using var connection = context.Database.OpenConnection();
            return Output.List(context, LedgerAccount.Schema,
                AccountService.Search(connection, context.Value(text), context.Value(includeDormant)), LedgerAccount.ListingColumns);
        });

        var code = new Argument<string>("CODE") { Description = "The account code" };
        var show = new Command("show", "One account, every field") { code, Output.Json };
        bind(show, context => Output.Show(context, LedgerAccount.Schema, new AccountService(context.Session).Get(context.Value(code))));

        var fields = new RecordOptions<LedgerAccount>(LedgerAccount.Schema);
        var model = new Option<string?>("--model") { Description = "Fill every field from this model account first" };
        var add = new Command("add", "Add a customer account") { code, model };
        fields.AddTo(add);
        bind(add, context =>
        {
            var values = fields.Given(context);
            values["code"] = context.Value(code);
            var service = new AccountService(context.Session);
            var account = service.Add(values, context.Value(model));
            Warn(context, service);
            context.Say($"Account {account.Code} added.");
            return CliApp.Ok;
        });

        var edit = new Command("edit", "Change fields of an account") { code };
        fields.AddTo(edit);
        bind(edit, context =>
        {
            var service = new AccountService(context.Session);
            var account = service.Edit(context.Value(code), fields.Changes(context, context.Value(code)));
            Warn(context, service);
            context.Say($"Account {account.Code} changed.");
            return CliApp.Ok;
        });

        var delete = new Command("delete", "Mark an account for deletion; End of Period removes it (supervisor)") { code };
        bind(delete, context =>
        {
            var account = new AccountService(context.Session).MarkForDeletion(context.Value(code));
            context.Say($"Account {account.Code} is marked for deletion. End of Period removes it if its balance is zero and no account uses it as ledger or invoice account; until then 'ledger accounts restore {account.Code}' takes the mark off.");
            return CliApp.Ok;
        });
        var restore = new Command("restore", "Take the deletion mark off an account (supervisor)") { code };
        bind(restore, context =>
        {
            var account = new AccountService(context.Session).Restore(context.Value(code));
            context.Say($"Account {account.Code} is no longer marked for deletion.");
            return CliApp.Ok;
        });

        var yes = new Option<bool>("--yes") { Description = "Really remove the accounts that may go" };
        var endOfPeriod = new Command("end-of-period", "Remove marked accounts with a zero balance; keep the others and say why; close the periods that have ended") { yes, Output.Json };
        bind(endOfPeriod, context =>
        {
            var apply = context.Value(yes);
            var service = new AccountService(context.Session);
            var outcomes = service.EndOfPeriod(apply);
            Output.Rows(context, ["code", "outcome", "reason"],
                [.. outcomes.Select(o => new[] { o.Code, o.Removed ? (apply ? "removed" : "would be removed") : "kept", o.Reason })], "marked account");
            foreach (var period in service.PeriodsClosed)
            {
                context.Say($"Period {period.Number} ({FinancialYear.Text(period.From)} to {FinancialYear.Text(period.To)}) {(apply ? "closed" : "would be closed")}: no transaction can be dated in it after.");
            }
            if (!apply && (outcomes.Any(o => o.Removed) || service.PeriodsClosed.Count > 0))
            {
                context.Say("Nothing was changed. Run again with --yes.");
                return CliApp.Failed;
            }
            return CliApp.Ok;
        });

        var contactName = new Option<string>("--name") { Required = true, Description = "The contact's name" };
        var contactRole = new Option<string?>("--role") { Description = "What the contact does (e.g. accounts, orders)" };
        var contactPhone = new Option<string?>("--phone") { Description = "The contact's phone number" };
        var contactEmail = new Option<string?>("--email") { Description = "The contact's e-mail address" };
        var contactsList = new Command("list", "The contacts of an account") { code, Output.Json };
        bind(contactsList, context =>
        {
            var contacts = new AccountService(context.Session).Contacts(context.Value(code));
            return Output.Rows(context, ["name", "role", "phone", "email"], [.. contacts.Select(c => new[] { c.Name, c.Role, c.Phone, c.Email })], "contact");
        });
        var contactsAdd = new Command("add", "Add a contact to an account") { code, contactName, contactRole, contactPhone, contactEmail };
        bind(contactsAdd, context =>
        {
            var contact = new AccountService(context.Session).AddContact(context.Value(code), context.Value(contactName),
                context.Value(contactRole), context.Value(contactPhone), context.Value(contactEmail));
            context.Say($"Contact {contact.Name} added to {contact.Account}.");
            return CliApp.Ok;
        });
        var contacts = new Command("contacts", "Contacts per account") { contactsList, contactsAdd };

        return new Command("accounts", "Customer accounts") { list, search, show, add, edit, delete, restore, endOfPeriod, contacts };
    }

    private static Command Reference(Action<Command, Func<CliContext, int>> bind)
    {
        var kinds = string.Join(", ", ReferenceResolver.LedgerKinds);
        var kind = new Argument<string>("KIND") { Description = kinds };
        var list = new Command("list", "List one kind of reference data") { kind, Output.Json };
        bind(list, context =>
        {
            var entries = new ReferenceService(context.Session).List(context.Value(kind));
            return Output.Rows(context, ["code", "name"], [.. entries.Select(e => new[] { e.Code, e.Name })], "entry");
        });
        var code = new Argument<string>("CODE") { Description = "The reference code (e.g. KZN for a region)" };
        var name = new Option<string>("--name") { Required = true, Description = "What the code stands for" };
        var add = new Command("add", "Add a reference code") { kind, code, name };
        bind(add, context =>
        {
            var entry = new ReferenceService(context.Session).Add(context.Value(kind), context.Value(code), context.Value(name));
            context.Say($"{entry.Kind} {entry.Code} added.");
            return CliApp.Ok;
        });
        return new Command("reference", $"Reference data that accounts refer to: {kinds}") { list, add };
    }

    private static Command Profiles(Action<Command, Func<CliContext, int>> bind)
    {
        var code = new Argument<string>("CODE") { Description = "The profile's code" };
        var name = new Option<string>("--name") { Required = true, Description = "The profile's name" };

        var optionsList = new Command("list", "List the customer-options profiles") { Output.Json };
        bind(optionsList, context => Output.Rows(context, ["code", "name", "currency", "controlAccount", "bank"],
            [.. new ReferenceService(context.Session).OptionsProfiles().Select(p => new[] { p.Code, p.Name, p.Currency, p.ControlAccount, p.Bank })], "options profile"));
        var currency = new Option<string>("--currency") { Required = true, Description = "The currency code of the profile's accounts (a currency in the reference data)" };
        var control = new Option<string?>("--control-account") { Description = "The nominal control account the accounts post to" };
        var bank = new Option<string?>("--bank") { Description = "The bank the accounts' receipts go to" };
        var optionsAdd = new Command("add", "Add a customer-options profile") { code, name, currency, control, bank };
        bind(optionsAdd, context =>
        {
            var profile = new ReferenceService(context.Session).AddOptions(context.Value(code), context.Value(name), context.Value(currency), context.Value(control), context.Value(bank));
            context.Say($"Options profile {profile.Code} added.");
            return CliApp.Ok;
        });

        var termsList = new Command("list", "List the trading-terms profiles") { Output.Json };
        bind(termsList, context => Output.Rows(context, ["code", "name", "creditLimit", "paymentDays"],
            [.. new ReferenceService(context.Session).TermsProfiles().Select(p => new[] { p.Code, p.Name, Money.Format(p.CreditLimit), p.PaymentDays.ToString(CultureInfo.InvariantCulture) })], "terms profile"));
        var creditLimit = new Option<string>("--credit-limit") { Required = true, Description = "0 means unlimited" };
        var paymentDays = new Option<int>("--payment-days") { Required = true, Description = "Days after the invoice date by which payment is due" };
        var termsAdd = new Command("add", "Add a trading-terms profile") { code, name, creditLimit, paymentDays };
        bind(termsAdd, context =>
        {
            var limit = UserError.Guard($"terms-profile {context.Value(code)}", "credit-limit", () => Money.Parse(context.Value(creditLimit)));
            var profile = new ReferenceService(context.Session).AddTerms(context.Value(code), context.Value(name), limit, context.Value(paymentDays));
            context.Say($"Terms profile {profile.Code} added.");
            return CliApp.Ok;
        });
        return new Command("profiles", "Customer-options and trading-terms profiles")
        {
            new Command("options", "Customer-options profiles: currency, control account, bank") { optionsList, optionsAdd },
            new Command("terms", "Trading-terms profiles: credit limit, payment days") { termsList, termsAdd },
        };
    }

    private static Command CompanyCommand(Action<Command, Func<CliContext, int>> bind)
    {
        var show = new Command("show", "The company whose books the ledger keeps");
        bind(show, context =>
        {
            using var writer = context.OpenText();
            writer.WriteLine(Company.Name(context.Session));
            return CliApp.Ok;
        });
        var name = new Argument<string>("NAME") { Description = "The company's new name, as the sync confirmation will show it" };
        var rename = new Command("rename", "Rename the company (supervisor)") { name };
        bind(rename, context =>
        {
            Company.Rename(context.Session, context.Value(name));
            context.Say("Company renamed.");
            return CliApp.Ok;
        });
        return new Command("company", "The ledger's company") { show, rename };
    }

    private static void Warn(CliContext context, AccountService service)
    {
        foreach (var warning in service.Warnings)
        {
            context.Say($"warning: {warning}");
        }
    }
}
