using System.Globalization;

namespace Concord.Store;

/// <summary>The numbered SQL scripts embedded in this assembly, in order.</summary>
public static class Migrations
{
    public static IEnumerable<(int Version, string Name, string Script)> All()
    {
        var assembly = typeof(Migrations).Assembly;
        const string prefix = "Concord.Store.Migrations.";
        foreach (var resource in assembly.GetManifestResourceNames()
                     .Where(n => n.StartsWith(prefix, StringComparison.Ordinal))
                     .Order(StringComparer.Ordinal))
        {
            var name = resource[prefix.Length..^".sql".Length];
            var version = int.Parse(name[..name.IndexOf('_', StringComparison.Ordinal)], CultureInfo.InvariantCulture);
            using var stream = assembly.GetManifestResourceStream(resource)!;
            using var reader = new StreamReader(stream);
            yield return (version, name, reader.ReadToEnd());
        }
    }
}
