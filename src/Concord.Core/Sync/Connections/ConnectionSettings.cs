namespace Concord.Core.Sync.Connections;

/// <summary>The options a person gives when adding or changing a connection; null leaves a setting as it is.</summary>
public sealed record ConnectionSettings
{
    public string? Accounting { get; init; }
    public string? Direction { get; init; }
    public string? Priority { get; init; }
    public string? Replace { get; init; }
    public bool? CreateOnly { get; init; }
    public string? IncludeTypes { get; init; }
    public bool? IncludeInactive { get; init; }
    public string? Relations { get; init; }
    public bool? PostAccounts { get; init; }
    public string? Schedule { get; init; }
    public string? Site { get; init; }
    public string? Model { get; init; }
}
