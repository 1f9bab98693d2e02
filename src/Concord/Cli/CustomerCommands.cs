using System.CommandLine;
using Concord.Core.Operational;

namespace Concord.Cli;

/// <summary>`concord customers …`: the operational side's customers.</summary>
public static class CustomerCommands
{
    public static IEnumerable<Command> Build(Action<Command, Func<CliContext, int>> bind)
    {
        var site = new Option<string?>("--site") { Description = "Only this site" };
        var type = new Option<string?>("--type") { Description = "Only this customer type" };
        var kind = new Option<string?>("--kind") { Description = "Only account or operational customers" };
        var includeDormant = new Option<bool>("--include-dormant", "--include-inactive") { Description = "Also list inactive customers" };
        var columns = new Option<string?>("--columns")
        {
            Description = $"FIELD,...: the table's columns (default: {string.Join(",", OperationalCustomer.ListingColumns)}; any field of 'customers show')",
        };
        var list = new Command("list", "The customer listing (per site with --site)") { site, type, kind, includeDormant, columns, Output.Json };
        bind(list, context =>
        {
            _ = context.Session;
            using var connection = context.Database.OpenConnection();
            var records = CustomerService.List(connection, new CustomerFilter(context.Value(site), context.Value(type), context.Value(kind), context.Value(includeDormant)));
            return Output.List(context, OperationalCustomer.Schema, records, Output.Columns(OperationalCustomer.Schema, context.Value(columns), OperationalCustomer.ListingColumns));
        });

        var code = new Argument<string>("CODE") { Description = "The customer's code" };
        var show = new Command("show", "One customer, every field") { code, Output.Json };
        bind(show, context =>
        {
            var service = new CustomerService(context.Session);
            var customer = service.Get(context.Value(code));
            var linked = customer.IsAccountCustomer ? string.Join(", ", service.LinkedTo(customer.Code)) : null;
            return Output.Show(context, OperationalCustomer.Schema, customer,
                linked is null ? null : new Dictionary<string, object?> { ["linked-operational-customers"] = linked });
        });

        var fields = new RecordOptions<OperationalCustomer>(OperationalCustomer.Schema);
        var add = new Command("add", "Add a customer (operational unless --kind account)") { code };
        fields.AddTo(add);
        bind(add, context =>
        {
            var values = fields.Given(context);
            values["code"] = context.Value(code);
            var customer = new CustomerService(context.Session).Add(values);
            context.Say($"Customer {customer.Code} added ({customer.Kind}).");
            return CliApp.Ok;
        });

        var edit = new Command("edit", "Change fields of a customer") { code };
        fields.AddTo(edit);
        bind(edit, context =>
        {
            var customer = new CustomerService(context.Session).Edit(context.Value(code), fields.Changes(context, context.Value(code)));
            context.Say($"Customer {customer.Code} changed.");
            return CliApp.Ok;
        });

        var operational = new Argument<string>("OPERATIONAL-CODE") { Description = "The operational customer's code" };
        var account = new Argument<string>("ACCOUNT-CODE") { Description = "The code of the account customer it belongs to" };
        var link = new Command("link", "Link an operational customer to an account customer") { operational, account };
        bind(link, context =>
        {
            var customer = new CustomerService(context.Session).Link(context.Value(operational), context.Value(account));
            context.Say($"Customer {customer.Code} is linked to account customer {customer.Account}.");
            return CliApp.Ok;
        });
        var unlink = new Command("unlink", "Remove an operational customer's link") { operational };
        bind(unlink, context =>
        {
            var customer = new CustomerService(context.Session).Unlink(context.Value(operational));
            context.Say($"Customer {customer.Code} is no longer linked.");
            return CliApp.Ok;
        });
        yield return new Command("customers", "Operational and account customers of the operational side") { list, show, add, edit, link, unlink };
    }
}
