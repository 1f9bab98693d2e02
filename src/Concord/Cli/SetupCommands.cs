using System.CommandLine;
using Concord.Core;
using Concord.Core.Audit;
using Concord.Core.Demo;
using Concord.Core.Operational;
using Concord.Core.Sync.Connections;
using Concord.Core.Users;

namespace Concord.Cli;

/// <summary>init, demo, sites, users and audit: setting up a data folder and seeing who did what.</summary>
public static class SetupCommands
{
    public static IEnumerable<Command> Build(Action<Command, Func<CliContext, int>> bind)
    {
        var init = new Command("init", "Create the data folder and the store (idempotent)");
        bind(init, Init);
        yield return init;

        var noServe = new Option<bool>("--no-serve") { Description = "Load the demo data only (this version has no web app to serve yet)" };
        var demo = new Command("demo", "Create the data folder and load the demo data (sites, the seed customer listing, a ledger to match against); idempotent. The web app comes in a later version") { noServe };
        bind(demo, context =>
        {
            Init(context);
            var loaded = DemoData.Load(context.Session);
            context.Say(loaded ? "Demo data loaded." : "Demo data is already there; nothing changed.");
            context.Say($"Try: {context.Hint("customers list --site Durban")}");
            if (!context.Value(noServe))
            {
                context.Say("The web app is not part of this version yet; the data is ready for the command line.");
            }
            return CliApp.Ok;
        });
        yield return demo;

        yield return Sites(bind);
        yield return Users(bind);
        yield return Audit(bind);
    }

    private static int Init(CliContext context)
    {
        var database = context.CreateDatabase();
        var user = new UserDirectory(database, context.Clock).EnsureFirstUser();
        if (ConnectionService.ProtectStoredSecrets(database) is var upgraded and > 0)
        {
            context.Say($"{upgraded} connection setting(s) saved by an earlier version now kept encrypted.");
        }
        context.Say($"Store ready: {context.Database.Dialect.Describe()} (acting user: {user}).");
        return CliApp.Ok;
    }

    private static Command Sites(Action<Command, Func<CliContext, int>> bind)
    {
        var list = new Command("list", "List the sites") { Output.Json };
        bind(list, context => Output.List(context, Site.Schema, new SiteService(context.Session).List(), ["code", "name"]));
        var code = new Argument<string>("CODE") { Description = "The site's code" };
        var name = new Option<string>("--name") { Required = true, Description = "The site's name" };
        var add = new Command("add", "Add a site") { code, name };
        bind(add, context =>
        {
            var site = new SiteService(context.Session).Add(context.Value(code), context.Value(name));
            context.Say($"Site {site.Code} added.");
            return CliApp.Ok;
        });
        return new Command("sites", "Sites: the places a customer listing is kept for") { list, add };
    }

    private static Command Users(Action<Command, Func<CliContext, int>> bind)
    {
        var list = new Command("list", "List the users and their roles") { Output.Json };
        bind(list, context =>
        {
            _ = context.Session;
            var users = new UserDirectory(context.Database, context.Clock).List();
            return Output.Rows(context, ["name", "role"], [.. users.Select(u => new[] { u.Name, u.Role.ToString().ToLowerInvariant() })], "user");
        });
        var name = new Argument<string>("NAME") { Description = "The user's name" };
        var role = new Option<Role>("--role") { Required = true, Description = "viewer, clerk or supervisor" };
        var add = new Command("add", "Add a user (supervisor only)") { name, role };
        bind(add, context =>
        {
            new UserDirectory(context.Database, context.Clock).Add(context.Session, context.Value(name), context.Value(role));
            context.Say($"User {context.Value(name)} added as {context.Value(role).ToString().ToLowerInvariant()}.");
            return CliApp.Ok;
        });
        return new Command("users", "Users and their roles: viewer, clerk, supervisor") { list, add };
    }

    private static Command Audit(Action<Command, Func<CliContext, int>> bind)
    {
        var entity = new Option<string?>("--entity") { Description = "Only this kind of record (customer, account, site, …)" };
        var record = new Option<string?>("--record") { Description = "Only this record's code" };
        var list = new Command("list", "List the audit log: who changed what, when (--json: each record before and after)") { entity, record, Output.Json };
        bind(list, context =>
        {
            _ = context.Session;
            using var connection = context.Database.OpenConnection();
            var entries = AuditLog.Read(connection, context.Value(entity), context.Value(record));
            if (context.Value(Output.Json))
            {
                return Output.Rows(context, ["id", "at", "user", "action", "entity", "record", "before", "after"],
                    [.. entries.Select(e => new[] { e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), e.At, e.User, e.Action, e.Entity, e.Record, e.Before, e.After })],
                    "entry", ["id", "before", "after"]);
            }
            // A person reads who, when and what changed; --json has the whole record before and after.
            return Output.Rows(context, ["id", "at", "user", "action", "entity", "record", "changes"],
                [.. entries.Select(e => new[]
                {
                    e.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), e.At,
                    e.User, e.Action, e.Entity, e.Record, Output.Changes(e.Before, e.After),
                })],
                "entry");
        });
        return new Command("audit", "The audit log of every write") { list };
    }
}
