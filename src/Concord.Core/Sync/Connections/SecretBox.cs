using System.Security.Cryptography;
using Concord.Core.Common;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Concord.Core.Sync.Connections;

/// <summary>
/// Encrypts connection secrets at rest with ASP.NET Core Data Protection, its keys in the data
/// folder's `keys` folder (0700): a copy of the store alone does not give the passwords away.
/// </summary>
public sealed class SecretBox(string dataDirectory)
{
    private const string Purpose = "Concord.ConnectionSettings.v1";

    public string KeysDirectory { get; } = Path.Combine(dataDirectory, "keys");

    public string Protect(string secret)
    {
        Store.Database.CreatePrivateFolder(KeysDirectory);
        var protectedText = Use(builder => builder, protector => protector.Protect(secret));
        if (!OperatingSystem.IsWindows())
        {
            foreach (var key in Directory.EnumerateFiles(KeysDirectory))
            {
                File.SetUnixFileMode(key, Store.Database.PrivateFile);
            }
        }
        return protectedText;
    }

    /// <summary>Decrypts what <see cref="Protect"/> made; reading never writes a key (the folder may be read-only).</summary>
    public string Unprotect(string protectedText, string connection)
    {
        if (!Directory.Exists(KeysDirectory) || !Directory.EnumerateFiles(KeysDirectory).Any())
        {
            throw Unreadable(connection, $"there are no keys in {KeysDirectory}");
        }
        try
        {
            return Use(builder => builder.DisableAutomaticKeyGeneration(), protector => protector.Unprotect(protectedText));
        }
        catch (CryptographicException)
        {
            throw Unreadable(connection, $"the keys in {KeysDirectory} are not the ones they were encrypted with");
        }
    }

    private static UserError Unreadable(string connection, string reason) =>
        new($"connection {connection}", "accounting",
            $"its secret settings cannot be decrypted: {reason}; copy the data folder's keys along with the store, or give the setting again with '{CommandHint.For($"connections set {CommandHint.Quote(connection)} --accounting …")}'");

    private T Use<T>(Func<IDataProtectionBuilder, IDataProtectionBuilder> configure, Func<IDataProtector, T> work)
    {
        var services = new ServiceCollection();
        configure(services.AddDataProtection()
            .SetApplicationName("concord")
            .PersistKeysToFileSystem(new DirectoryInfo(KeysDirectory)));
        using var provider = services.BuildServiceProvider();
        return work(provider.GetRequiredService<IDataProtectionProvider>().CreateProtector(Purpose));
    }
}
