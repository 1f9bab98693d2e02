using Concord.Core.Common;
using Concord.Store;

namespace Concord.Core.Users;

/// <summary>The users of a store and the default one the command line acts as.</summary>
public sealed class UserDirectory(Database database, TimeProvider clock)
{
    public const string DefaultUserSetting = "default-user";
    public const string FirstUserName = "admin";

    /// <summary>Creates the first supervisor when the store has no user yet; returns the default user's name.</summary>
    public string EnsureFirstUser() => database.InTransaction((connection, transaction) =>
    {
        var existing = Settings.Get(connection, transaction, DefaultUserSetting);
        if (existing is not null)
        {
            return existing;
        }
        if (Sql.Scalar<long>(connection, transaction, "SELECT COUNT(*) FROM users WHERE name_key = @k", ("k", Codes.Key(FirstUserName))) == 0)
        {
            Insert(connection, transaction, new User(FirstUserName, Role.Supervisor));
        }
        Settings.Set(connection, transaction, DefaultUserSetting, FirstUserName);
        return FirstUserName;
    });

    /// <summary>Finds the user to act as: the named one, or the store's default.</summary>
    public User Resolve(string? name)
    {
        using var connection = database.OpenConnection();
        var wanted = name ?? Settings.Get(connection, null, DefaultUserSetting)
            ?? throw new UserError("store", null, $"has no users yet; run '{CommandHint.For("init")}' first");
        return Find(connection, wanted)
            ?? throw new UserError($"user {wanted}", null, $"does not exist; '{CommandHint.ForAnotherUser("users list")}' shows who does");
    }

    public IReadOnlyList<User> List()
    {
        using var connection = database.OpenConnection();
        using var command = Sql.Command(connection, null, "SELECT name, role FROM users ORDER BY name_key");
        using var reader = command.ExecuteReader();
        var users = new List<User>();
        while (reader.Read())
        {
            users.Add(new User(reader.GetString(0), Enum.Parse<Role>(reader.GetString(1), ignoreCase: true)));
        }
        return users;
    }

    public void Add(Session session, string name, Role role)
    {
        session.Require(Role.Supervisor, "add users");
        var checkedName = UserError.Guard($"user {name}", "name", () => Codes.Check(name));
        database.InTransaction((connection, transaction) =>
        {
            if (Find(connection, checkedName, transaction) is not null)
            {
                throw new UserError($"user {checkedName}", "name", "already exists");
            }
            var user = new User(checkedName, role);
            Insert(connection, transaction, user);
            session.Audit.Write(connection, transaction, "create", "user", checkedName, null, System.Text.Json.JsonSerializer.Serialize(new { name = checkedName, role = role.ToString() }));
        });
    }

    private void Insert(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction transaction, User user) =>
        Sql.Execute(connection, transaction,
            "INSERT INTO users (name, name_key, role, created_at) VALUES (@n, @k, @r, @at)",
            ("n", user.Name), ("k", Codes.Key(user.Name)), ("r", user.Role.ToString().ToLowerInvariant()),
            ("at", Timestamps.Format(clock.GetUtcNow())));

    internal static User? Find(System.Data.Common.DbConnection connection, string name, System.Data.Common.DbTransaction? transaction = null)
    {
        using var command = Sql.Command(connection, transaction, "SELECT name, role FROM users WHERE name_key = @k", ("k", Codes.Key(name)));
        using var reader = command.ExecuteReader();
        return reader.Read() ? new User(reader.GetString(0), Enum.Parse<Role>(reader.GetString(1), ignoreCase: true)) : null;
    }
}
