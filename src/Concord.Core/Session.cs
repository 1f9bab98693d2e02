using Concord.Core.Audit;
using Concord.Core.Common;
using Concord.Core.Users;
using Concord.Store;

namespace Concord.Core;

/// <summary>Who is acting, on which store, by which clock: what every service needs to read, write and audit.</summary>
public sealed class Session
{
    public Session(Database database, User user, TimeProvider clock)
    {
        Database = database;
        User = user;
        Clock = clock;
        Audit = new AuditLog(user.Name, clock);
    }

    public Database Database { get; }

    public User User { get; }

    public TimeProvider Clock { get; }

    public AuditLog Audit { get; }

    public DateTimeOffset Now => Clock.GetUtcNow();

    /// <summary>Refuses the action unless the user's role is at least <paramref name="role"/>.</summary>
    public void Require(Role role, string action)
    {
        if (User.Role < role)
        {
            throw new UserError($"user {User.Name}", "role",
                $"is {User.Role.ToString().ToLowerInvariant()}; to {action} a {role.ToString().ToLowerInvariant()} role is needed");
        }
    }
}
