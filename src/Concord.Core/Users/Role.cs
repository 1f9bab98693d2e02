namespace Concord.Core.Users;

/// <summary>What a user may do: a viewer reads, a clerk writes records, a supervisor also deletes and manages users.</summary>
public enum Role
{
    Viewer = 0,
    Clerk = 1,
    Supervisor = 2,
}

/// <summary>Roles as people write them: "viewer", "clerk", "supervisor".</summary>
public static class Roles
{
    /// <summary>The role a name stands for (any case); anything else is refused with the three names.</summary>
    public static Role Parse(string? name)
    {
        foreach (var role in Enum.GetValues<Role>())
        {
            if (string.Equals(role.ToString(), name, StringComparison.OrdinalIgnoreCase))
            {
                return role;
            }
        }
        throw new Common.FieldValueError("is viewer, clerk or supervisor");
    }
}

/// <summary>A person (or API key) that Concord attributes every write to.</summary>
public sealed record User(string Name, Role Role);
