using System.CommandLine;
using Concord.Core.Sync.Connections;

namespace Concord.Cli;

/// <summary>`concord connections …`: an operational system paired with an accounting company.</summary>
public static class ConnectionCommands
{
    public static IEnumerable<Command> Build(Action<Command, Func<CliContext, int>> bind)
    {
        var name = new Argument<string>("NAME") { Description = "The connection's name" };
        var accounting = new Option<string?>("--accounting")
        {
            Description = "KIND[:SETTINGS]: " + string.Join(", ", Concord.Core.Connectors.ConnectorRegistry.Kinds.Select(k => k.Usage)),
        };
        var direction = new Option<string?>("--direction") { Description = "both | to-accounting | from-accounting" };
        var priority = new Option<string?>("--priority") { Description = "who wins when both changed: accounting | operational | newest | review" };
        var replace = new Option<string?>("--replace") { Description = "FIELD,...: the only fields that may overwrite an existing record" };
        var createOnly = new Option<bool?>("--create-only") { Description = "never update existing accounting customers" };
        var includeTypes = new Option<string?>("--include-types") { Description = "T,...: only these customer types" };
        var includeInactive = new Option<bool?>("--include-inactive") { Description = "also inactive / dormant customers" };
        var relations = new Option<string?>("--relations") { Description = "customer,prospect,supplier: which relations move (default customer)" };
        var postAccounts = new Option<string?>("--post-accounts") { Description = "on: push changed account customers at once; off: wait for a sync" };
        postAccounts.AcceptOnlyFromAmong("on", "off");
        var schedule = new Option<string?>("--schedule") { Description = "cron expression (UTC), e.g. '*/15 * * * *'" };
        var site = new Option<string?>("--site") { Description = "the site customers created from accounting land on" };
        var model = new Option<string?>("--model") { Description = "the ledger model account new accounting customers are made from" };
        Option[] settings = [accounting, direction, priority, replace, createOnly, includeTypes, includeInactive, relations, postAccounts, schedule, site, model];

        ConnectionSettings Read(CliContext context) => new()
        {
            Accounting = context.Value(accounting),
            Direction = context.Value(direction),
            Priority = context.Value(priority),
            Replace = context.Value(replace),
            CreateOnly = context.Value(createOnly),
            IncludeTypes = context.Value(includeTypes),
            IncludeInactive = context.Value(includeInactive),
            Relations = context.Value(relations),
            PostAccounts = context.Value(postAccounts) is { } on ? on == "on" : null,
            Schedule = context.Value(schedule),
            Site = context.Value(site),
            Model = context.Value(model),
        };

        var add = new Command("add", "Add a connection (supervisor)") { name };
        var set = new Command("set", "Change a connection's settings (supervisor)") { name };
        foreach (var option in settings)
        {
            add.Options.Add(option);
            set.Options.Add(option);
        }
        bind(add, context =>
        {
            var connection = new ConnectionService(context.Session).Add(context.Value(name), Read(context));
            context.Say($"Connection {connection.Name} added: {connection.AccountingForDisplay}, {SyncConnection.DirectionText(connection.Direction)}.");
            return CliApp.Ok;
        });
        bind(set, context =>
        {
            var connection = new ConnectionService(context.Session).Set(context.Value(name), Read(context));
            context.Say($"Connection {connection.Name} changed.");
            return CliApp.Ok;
        });

        var list = new Command("list", "List the connections") { Output.Json };
        bind(list, context => Output.Rows(context, ["name", "accounting", "direction", "priority", "postAccounts", "schedule"],
            [.. new ConnectionService(context.Session).List().Select(c => new[]
            {
                c.Name, c.AccountingForDisplay, SyncConnection.DirectionText(c.Direction), c.Priority.ToString().ToLowerInvariant(),
                c.PostAccounts ? "on" : "off", c.Schedule,
            })], "connection"));

        var show = new Command("show", "One connection, every setting") { name, Output.Json };
        bind(show, context =>
        {
            var json = ConnectionService.Describe(new ConnectionService(context.Session).Get(context.Value(name)));
            using var writer = context.OpenText();
            if (context.Value(Output.Json))
            {
                writer.WriteLine(json);
            }
            else
            {
                foreach (var property in System.Text.Json.JsonDocument.Parse(json).RootElement.EnumerateObject())
                {
                    writer.WriteLine($"{property.Name,-20} {property.Value}");
                }
            }
            return CliApp.Ok;
        });
        var field = new Argument<string>("FIELD") { Description = "A Concord field: a synced one (name, phone, …) or another field of the operational customer (department, type, …)" };
        var target = new Argument<string>("TARGET") { Description = "The accounting system's field it goes to (a ledger field, …)" };
        var when = new Option<string?>("--when") { Description = "FIELD=VALUE: write it only when the record's FIELD has VALUE" };
        var map = new Command("map", "Map a Concord field to a field of the accounting system, custom fields included (supervisor)") { name, field, target, when };
        bind(map, context =>
        {
            var label = $"connection {context.Value(name)} field map";
            var condition = context.Value(when) is { } text ? FieldMap.ParseCondition(text, label) : ((string, string)?)null;
            var connection = new ConnectionService(context.Session).Map(context.Value(name), context.Value(field),
                new FieldMapping(context.Value(field), context.Value(target), condition?.Item1, condition?.Item2));
            context.Say($"Connection {connection.Name}: {connection.FieldMap.Of(connection.FieldMap.Entries[^1].Field)}; the next run compares everything.");
            return CliApp.Ok;
        });
        var unmap = new Command("unmap", "Remove a field's line from the field map (supervisor)") { name, field };
        bind(unmap, context =>
        {
            var connection = new ConnectionService(context.Session).Map(context.Value(name), context.Value(field), null);
            context.Say($"Connection {connection.Name}: {context.Value(field)} is no longer mapped.");
            return CliApp.Ok;
        });
        yield return new Command("connections", "Connections between the operational side and an accounting company") { add, list, show, set, map, unmap };
    }
}
