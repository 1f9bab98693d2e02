using System.Data.Common;
using Concord.Core.Common;
using Concord.Core.Connectors;
using Concord.Core.Users;

namespace Concord.Core.Sync.Connections;

/// <summary>Connections (S1, S2, S5, S6, S12): add, change, list; validated at the edge, then trusted.</summary>
public sealed class ConnectionService(Session session)
{
    private const string Columns =
        "id, name, accounting, direction, priority, replace_fields, create_only, include_types, include_inactive, post_accounts, " +
        "schedule, site, model, confirmed_company, last_scheduled_at, operational_cursor, accounting_cursor, accounting_secret";


    public SyncConnection Add(string name, ConnectionSettings settings)
    {
        session.Require(Role.Supervisor, "add connections");
        var label = $"connection {name}";
        var connection = new SyncConnection { Name = UserError.Guard(label, "name", () => Codes.Check(name)) };
        Apply(connection, settings, label);
        return session.Database.InTransaction((db, transaction) =>
        {
            if (Find(db, transaction, connection.Name, Secrets) is not null)
            {
                throw new UserError(label, "name", "already exists");
            }
            CheckSite(db, transaction, connection, label);
            var now = Timestamps.Format(session.Now);
            connection.Id = Sql.Scalar<long>(db, transaction,
                "INSERT INTO sync_connections (name, name_key, accounting, direction, priority, replace_fields, create_only, include_types, " +
                "include_inactive, post_accounts, schedule, site, model, operational_cursor, created_at, modified_at) " +
                "VALUES (@n, @k, '', '', '', NULL, FALSE, NULL, FALSE, FALSE, NULL, NULL, NULL, 0, @at, @at) RETURNING id",
                ("n", connection.Name), ("k", Codes.Key(connection.Name)), ("at", now));
            Save(db, transaction, connection, Secrets);
            session.Audit.Write(db, transaction, "create", "connection", connection.Name, null, Describe(connection));
            return connection;
        });
    }

    /// <summary>Maps a Concord field to a field of the accounting system (S8), optionally on a condition; or removes the line (<paramref name="mapping"/> null).</summary>
    public SyncConnection Map(string name, string field, FieldMapping? mapping)
    {
        session.Require(Role.Supervisor, "change connections");
        return session.Database.InTransaction((db, transaction) =>
        {
            var connection = Get(db, transaction, name);
            var label = $"connection {connection.Name} field map";
            var before = Describe(connection);
            connection.FieldMap = mapping is null ? connection.FieldMap.Without(field, label) : connection.FieldMap.With(mapping, label);
            Sql.Execute(db, transaction, "UPDATE sync_connections SET field_map = @f, modified_at = @at WHERE id = @id",
                ("f", connection.FieldMap.ToJson()), ("at", Timestamps.Format(session.Now)), ("id", connection.Id));
            // A field newly carried (or no longer) changes what the last runs compared.
            CompareAllNext(db, transaction, connection);
            session.Audit.Write(db, transaction, "update", "connection", connection.Name, before, Describe(connection));
            return connection;
        });
    }

    public SyncConnection Set(string name, ConnectionSettings settings)
    {
        session.Require(Role.Supervisor, "change connections");
        return session.Database.InTransaction((db, transaction) =>
        {
            var connection = Get(db, transaction, name);
            var before = Describe(connection);
            Apply(connection, settings, $"connection {connection.Name}");
            CheckSite(db, transaction, connection, $"connection {connection.Name}");
            // Secrets are decrypted and encrypted again only when a new accounting setting was given.
            Save(db, transaction, connection, settings.Accounting is null ? null : Secrets);
            // New filters, direction or target change what the last runs saw.
            CompareAllNext(db, transaction, connection);
            session.Audit.Write(db, transaction, "update", "connection", connection.Name, before, Describe(connection));
            return connection;
        });
    }

    public SyncConnection Get(string name)
    {
        using var db = session.Database.OpenConnection();
        return Get(db, null, name);
    }

    public IReadOnlyList<SyncConnection> List()
    {
        using var db = session.Database.OpenConnection();
        return [.. Read(db, null, "", [], Secrets)];
    }

    /// <summary>
    /// Encrypts the secrets of connections saved before they were kept encrypted (run by `init`);
    /// returns how many there were. Reads only, when there are none.
    /// </summary>
    public static int ProtectStoredSecrets(Store.Database database)
    {
        var secrets = new SecretBox(database.DataDirectory);
        return database.InTransaction((db, transaction) =>
        {
            var legacy = new List<(long Id, string Accounting)>();
            using (var command = Sql.Command(db, transaction, "SELECT id, accounting FROM sync_connections WHERE accounting_secret IS NULL"))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    legacy.Add((reader.GetInt64(0), reader.GetString(1)));
                }
            }
            var withSecrets = legacy.Where(l => AccountingSetting.HoldsSecrets(l.Accounting)).ToList();
            foreach (var (id, accounting) in withSecrets)
            {
                SaveAccounting(db, transaction, id, accounting, secrets);
            }
            return withSecrets.Count;
        });
    }

    private SecretBox Secrets => new(session.Database.DataDirectory);

    public SyncConnection Get(DbConnection db, DbTransaction? transaction, string name) =>
        Find(db, transaction, name, Secrets) ?? throw new UserError($"connection {name}", null, $"does not exist; '{CommandHint.For("connections list")}' shows them");

    /// <summary>Stores what a run moved forward: cursors, the confirmed company.</summary>
    public static void SaveProgress(DbConnection db, DbTransaction transaction, SyncConnection connection) =>
        Sql.Execute(db, transaction,
            "UPDATE sync_connections SET operational_cursor = @oc, accounting_cursor = @ac, confirmed_company = @cc WHERE id = @id",
            ("oc", connection.OperationalCursor), ("ac", connection.AccountingCursor), ("cc", connection.ConfirmedCompany), ("id", connection.Id));

    /// <summary>
    /// Records when the schedule last ran the connection (S12). Its own column only: the worker writes
    /// it outside the run's lock, and must not put back cursors a later run has moved on.
    /// </summary>
    public static void MarkScheduled(DbConnection db, DbTransaction transaction, SyncConnection connection, DateTimeOffset at) =>
        Sql.Execute(db, transaction, "UPDATE sync_connections SET last_scheduled_at = @ls WHERE id = @id", ("ls", Timestamps.Format(at)), ("id", connection.Id));

    /// <summary>The connection's settings as JSON, for the audit log and `show --json` (secrets hidden).</summary>
    public static string Describe(SyncConnection c) => System.Text.Json.JsonSerializer.Serialize(new
    {
        name = c.Name,
        accounting = c.AccountingForDisplay,
        direction = SyncConnection.DirectionText(c.Direction),
        priority = c.Priority.ToString().ToLowerInvariant(),
        replace = c.Replace,
        createOnly = c.CreateOnly,
        includeTypes = c.IncludeTypes,
        includeInactive = c.IncludeInactive,
        relations = c.Relations,
        postAccounts = c.PostAccounts,
        schedule = c.Schedule,
        site = c.Site,
        model = c.Model,
        confirmedCompany = c.ConfirmedCompany,
        fieldMap = c.FieldMap.Entries.Select(e => e.ToString()),
        operationalCursor = c.OperationalCursor,
        accountingCursor = c.AccountingCursor,
    });

    private static void Apply(SyncConnection connection, ConnectionSettings settings, string label)
    {
        if (settings.Accounting is { } accounting)
        {
            Connectors.ConnectorRegistry.Parse(label, accounting);
            connection.Accounting = accounting.Trim();
        }
        if (settings.Direction is { } direction)
        {
            connection.Direction = SyncConnection.ParseDirection(direction, label);
        }
        if (settings.Priority is { } priority)
        {
            connection.Priority = SyncConnection.ParsePriority(priority, label);
        }
        if (settings.Replace is { } replace)
        {
            connection.Replace = SyncFields.ParseList(replace, label);
        }
        if (settings.IncludeTypes is { } types)
        {
            connection.IncludeTypes = SplitList(types);
        }
        if (settings.Relations is { } relations)
        {
            var list = SplitList(relations).Select(r => r.ToLowerInvariant()).ToList();
            var unknown = list.FirstOrDefault(r => r is not ("customer" or "prospect" or "supplier"));
            connection.Relations = unknown is null
                ? list
                : throw new UserError(label, "relations", $"'{unknown}' is not one of: customer, prospect, supplier");
        }
        if (settings.Schedule is { } schedule)
        {
            connection.Schedule = schedule.Trim().Length == 0 ? null : Scheduling.Schedule.Check(schedule, label);
        }
        connection.CreateOnly = settings.CreateOnly ?? connection.CreateOnly;
        connection.IncludeInactive = settings.IncludeInactive ?? connection.IncludeInactive;
        connection.PostAccounts = settings.PostAccounts ?? connection.PostAccounts;
        if (settings.Site is { } site)
        {
            connection.Site = site.Trim().Length == 0 ? null : site.Trim();
        }
        if (settings.Model is { } model)
        {
            connection.Model = model.Trim().Length == 0 ? null : model.Trim();
        }
    }

    private static void CheckSite(DbConnection db, DbTransaction transaction, SyncConnection connection, string label)
    {
        if (connection.Site is { } site)
        {
            connection.Site = new ReferenceResolver(db, transaction).Find("site", site)
                ?? throw new UserError(label, "site", $"'{site}' does not exist; add it with '{CommandHint.For($"sites add {CommandHint.Quote(site)} --name …")}'");
        }
    }

    /// <summary>Forgets the cursors, so the next run compares everything.</summary>
    private static void CompareAllNext(DbConnection db, DbTransaction transaction, SyncConnection connection)
    {
        connection.OperationalCursor = 0;
        connection.AccountingCursor = null;
        SaveProgress(db, transaction, connection);
    }

    private static IReadOnlyList<string> SplitList(string text) =>
        [.. text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    /// <summary>Saves the settings; with <paramref name="secrets"/>, the accounting setting too: shown-safe, and encrypted in full when it holds secrets.</summary>
    private void Save(DbConnection db, DbTransaction transaction, SyncConnection c, SecretBox? secrets)
    {
        if (secrets is not null)
        {
            SaveAccounting(db, transaction, c.Id, c.Accounting, secrets);
        }
        Sql.Execute(db, transaction,
            "UPDATE sync_connections SET direction = @d, priority = @p, replace_fields = @r, create_only = @co, " +
            "include_types = @t, include_inactive = @ii, post_accounts = @pa, schedule = @s, site = @site, model = @m, modified_at = @at, " +
            "relations = @rel WHERE id = @id",
            ("d", SyncConnection.DirectionText(c.Direction)), ("p", c.Priority.ToString().ToLowerInvariant()),
            ("r", string.Join(",", c.Replace)), ("co", c.CreateOnly), ("t", string.Join(",", c.IncludeTypes)), ("ii", c.IncludeInactive),
            ("pa", c.PostAccounts), ("s", c.Schedule), ("site", c.Site), ("m", c.Model), ("at", Timestamps.Format(session.Now)),
            ("rel", string.Join(",", c.Relations)), ("id", c.Id));
    }

    /// <summary>The accounting setting as kept: masked for showing, and in full, encrypted, when it holds secrets.</summary>
    private static void SaveAccounting(DbConnection db, DbTransaction transaction, long id, string setting, SecretBox secrets) =>
        Sql.Execute(db, transaction, "UPDATE sync_connections SET accounting = @a, accounting_secret = @s WHERE id = @id",
            ("a", AccountingSetting.Mask(setting)), ("s", AccountingSetting.HoldsSecrets(setting) ? secrets.Protect(setting) : null), ("id", id));

    private static SyncConnection? Find(DbConnection db, DbTransaction? transaction, string name, SecretBox secrets) =>
        Read(db, transaction, "WHERE name_key = @k", [("k", Codes.Key(name))], secrets).FirstOrDefault();

    private static IEnumerable<SyncConnection> Read(DbConnection db, DbTransaction? transaction, string where, (string, object?)[] parameters, SecretBox secrets)
    {
        using var command = Sql.Command(db, transaction, $"SELECT {Columns}, relations, created_at, field_map FROM sync_connections {where} ORDER BY name_key", parameters);
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            IReadOnlyList<string> List(int i) => reader.TextOrNull(i) is { Length: > 0 } t ? SplitList(t) : [];
            var connection = new SyncConnection
            {
                Id = reader.GetInt64(0),
                Name = reader.GetString(1),
                Direction = SyncConnection.ParseDirection(reader.GetString(3), "stored connection"),
                Priority = SyncConnection.ParsePriority(reader.GetString(4), "stored connection"),
                Replace = List(5),
                CreateOnly = Convert.ToBoolean(reader.GetValue(6), System.Globalization.CultureInfo.InvariantCulture),
                IncludeTypes = List(7),
                IncludeInactive = Convert.ToBoolean(reader.GetValue(8), System.Globalization.CultureInfo.InvariantCulture),
                PostAccounts = Convert.ToBoolean(reader.GetValue(9), System.Globalization.CultureInfo.InvariantCulture),
                Schedule = reader.TextOrNull(10),
                Site = reader.TextOrNull(11),
                Model = reader.TextOrNull(12),
                ConfirmedCompany = reader.TextOrNull(13),
                LastScheduledAt = reader.TextOrNull(14) is { } at ? Timestamps.Parse(at) : null,
                OperationalCursor = reader.GetInt64(15),
                AccountingCursor = reader.TextOrNull(16),
                Relations = List(18),
                CreatedAt = Timestamps.Parse(reader.GetString(19)),
                FieldMap = FieldMap.FromJson(reader.TextOrNull(20)),
            };
            var secret = reader.TextOrNull(17);
            connection.AccountingFromStore(reader.GetString(2), secret is null ? null : () => secrets.Unprotect(secret, connection.Name));
            yield return connection;
        }
    }
}
