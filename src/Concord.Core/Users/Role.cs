namespace Concord.Core.Users;

/// <summary>What a user may do: a viewer reads, a clerk writes records, a supervisor also deletes and manages users.</summary>
public enum Role
{
    Viewer = 0,
    Clerk = 1,
    Supervisor = 2,
}

/// <summary>A person (or API key) that Concord attributes every write to.</summary>
public sealed record User(string Name, Role Role);
