namespace Concord.Core.Operational;

/// <summary>What a customer listing shows: one site, one type, one kind, inactive ones or not.</summary>
public sealed record CustomerFilter(string? Site = null, string? Type = null, string? Kind = null, bool IncludeInactive = false);
