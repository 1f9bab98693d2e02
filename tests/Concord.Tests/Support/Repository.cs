namespace Concord.Tests.Support;

/// <summary>The source tree the tests were built from (for its scripts and sources).</summary>
public static class Repository
{
    public static string Root { get; } = FindRoot();

    private static string FindRoot()
    {
        for (var at = new DirectoryInfo(AppContext.BaseDirectory); at is not null; at = at.Parent)
        {
            if (File.Exists(Path.Combine(at.FullName, "Concord.slnx")))
            {
                return at.FullName;
            }
        }
        throw new InvalidOperationException("the repository root (Concord.slnx) is not above the test binaries");
    }
}
