using System.CommandLine;
using Concord.Core;
using Concord.Core.Common;
using Concord.Core.Audit;
using Concord.Core.Demo;
using Concord.Core.Operational;
using Concord.Core.Sync.Connections;
using Concord.Core.Users;
using Concord.Web;

namespace Concord.Cli;

/// <summary>init, demo, sites, users and audit: setting up a data folder and seeing who did what.</summary>
public static class SetupCommands
{
    public static IEnumerable<Command> Build(Action<Command, Func<CliContext, int>> bind)
    {
        var init = new Command("init", "Create the data folder and the store (idempotent)");
        bind(init, Init);
        yield return init;

        var noServe = new Option<bool>("--no-serve") { Description = "Load the demo data only, without serving the web app and API" };
        var urls = new Option<string>("--urls") { Description = $"Where the web app and API listen (default {ConcordWeb.DefaultUrl})", DefaultValueFactory = _ => ConcordWeb.DefaultUrl };
        var demo = new Command("demo", "Create the data folder, load the demo data (sites, the seed customer listing, a ledger to match against) and demo users (idempotent), then serve the web app and REST API until Ctrl-C") { noServe, urls };
        bind(demo, context =>
        {
            Init(context);
            var loaded = DemoData.Load(context.Session);
            context.Say(loaded ? "Demo data loaded." : "Demo data is already there; nothing changed.");
            context.Say($"Try: {context.Hint("customers list --site Durban")}");
            context.Say($"Then what a first sync would do: {context.Hint($"sync preview {DemoData.ConnectionName}")}");
            if (context.Value(noServe))
            {
                return CliApp.Ok;
            }
            return ServeCommand.Serve(context, TimeSpan.FromSeconds(1), once: false, context.Value(urls), started: () =>
            {
                context.Say($"Open {context.Value(urls)} and sign in as a demo user:");
                foreach (var (name, role, password) in DemoData.Users)
                {
                    context.Say($"  {name,-8} {password,-12} {role.ToString().ToLowerInvariant()}");
                }
                context.Say($"The sync preview: {context.Value(urls)}/sync/{DemoData.ConnectionName}/preview");
                context.Say($"The API's reference: {context.Value(urls)}/scalar");
            });
        });
        yield return demo;

        yield return Sites(bind);
        yield return Keys(bind);
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
        var who = new Argument<string>("NAME") { Description = "The user's name" };
        var password = new Command("password", "Set a user's password for the web app: typed (not shown), or the first line of piped input (yourself, or anyone as a supervisor)") { who };
        bind(password, context =>
        {
            var text = ReadPassword(context, context.Value(who));
            new SignIn(context.Database, context.Clock).SetPassword(context.Session, context.Value(who), text);
            context.Say($"Password of {context.Value(who)} set.");
            return CliApp.Ok;
        });
        return new Command("users", "Users and their roles: viewer, clerk, supervisor") { list, add, password };
    }

    /// <summary>A password from a pipe's first line, or typed at the terminal without showing it.</summary>
    private static string ReadPassword(CliContext context, string user)
    {
        if (Console.IsInputRedirected)
        {
            return Console.In.ReadLine() ?? "";
        }
        context.Stderr.Write($"New password for {user}: ");
        var text = new System.Text.StringBuilder();
        for (var key = Console.ReadKey(intercept: true); key.Key != ConsoleKey.Enter; key = Console.ReadKey(intercept: true))
        {
            if (key.Key == ConsoleKey.Backspace)
            {
                text.Length = Math.Max(0, text.Length - 1);
            }
            else if (!char.IsControl(key.KeyChar))
            {
                text.Append(key.KeyChar);
            }
        }
        context.Say("");
        return text.ToString();
    }

    private static Command Keys(Action<Command, Func<CliContext, int>> bind)
    {
        var list = new Command("list", "List the API keys that work (never the keys themselves)") { Output.Json };
        bind(list, context =>
        {
            _ = context.Session;
            var keys = new SignIn(context.Database, context.Clock).Keys();
            return Output.Rows(context, ["name", "role", "created-by", "created-at"],
                [.. keys.Select(k => new[] { k.Name, k.Role.ToString().ToLowerInvariant(), k.CreatedBy, Timestamps.Format(k.CreatedAt) })], "key");
        });
        var name = new Argument<string>("NAME") { Description = "The key's name (who or what uses it)" };
        var role = new Option<Role>("--role") { Required = true, Description = "viewer, clerk or supervisor" };
        var add = new Command("add", "Make an API key (supervisor only); the key is printed on stdout this once") { name, role };
        bind(add, context =>
        {
            var key = new SignIn(context.Database, context.Clock).CreateKey(context.Session, context.Value(name), context.Value(role));
            context.Say($"API key {context.Value(name)} made as {context.Value(role).ToString().ToLowerInvariant()}; keep it now, it is not shown again. Send it in the X-Api-Key header.");
            context.Stdout.Write(System.Text.Encoding.UTF8.GetBytes(key + "\n"));
            return CliApp.Ok;
        });
        var revokeName = new Argument<string>("NAME") { Description = "The key's name" };
        var revoke = new Command("revoke", "Stop an API key from working (supervisor only)") { revokeName };
        bind(revoke, context =>
        {
            new SignIn(context.Database, context.Clock).RevokeKey(context.Session, context.Value(revokeName));
            context.Say($"API key {context.Value(revokeName)} revoked.");
            return CliApp.Ok;
        });
        return new Command("keys", "API keys for programs that use the REST API") { list, add, revoke };
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
                    e.User, e.Action, e.Entity, e.Record, e.Changes(),
                })],
                "entry");
        });
        return new Command("audit", "The audit log of every write") { list };
    }
}
