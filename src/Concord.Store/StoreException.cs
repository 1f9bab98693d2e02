namespace Concord.Store;

/// <summary>What is wrong with a store a person pointed Concord at.</summary>
public enum StoreProblem
{
    /// <summary>The connection string cannot be used as given (not KEY=VALUE, unknown key, bad value).</summary>
    Invalid,

    /// <summary>There is no Concord store there yet: only `init` (or `demo`) creates one.</summary>
    Missing,

    /// <summary>The store can be read but not written.</summary>
    ReadOnly,
}

/// <summary>
/// A store that cannot be used for a reason the person must act on. The message describes the
/// store without secrets; the caller adds what to do (the command line it was given).
/// </summary>
public sealed class StoreException(StoreProblem problem, string message) : Exception(message)
{
    public StoreProblem Problem { get; } = problem;
}
