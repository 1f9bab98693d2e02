using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Concord.Core.Connectors;

namespace Concord.Connectors.Files;

/// <summary>An import file Concord wrote: its name, whether the package may still pick it up from import/, and when it was written.</summary>
public sealed record WrittenFile(string Name, string StatePath, bool InImport, DateTime WrittenUtc);

/// <summary>
/// The exchange folder of a file connector: the package's export (read), <c>import/</c> (the files
/// Concord writes for the package to import) and <c>.concord/</c> (Concord's own: temporary files and
/// <c>written/</c>, a copy of every import file Concord wrote). The copies are the state: the records
/// written but perhaps not yet in the export, kept after the package or a person takes the import
/// file away. Every file appears whole or not at all (written to a temporary name, flushed to disk,
/// renamed, the folder flushed); the import file comes first and its copy second, and a crash between
/// the two is mended on the next open by copying any import file that has no copy (<see cref="Recover"/>).
/// </summary>
public sealed class ExchangeFolder
{
    private const string Prefix = "concord-";
    private readonly TimeProvider _clock;

    public ExchangeFolder(string root, string exportName, string extension, TimeProvider clock)
    {
        Root = Path.GetFullPath(root);
        ExportPath = Path.Combine(Root, exportName);
        Extension = extension;
        _clock = clock;
    }

    public string Root { get; }

    public string ExportPath { get; }

    public string Extension { get; }

    public string ImportFolder => Path.Combine(Root, "import");

    public string OwnFolder => Path.Combine(Root, ".concord");

    public string StateFolder => Path.Combine(OwnFolder, "written");

    /// <summary>The folder and the package's export must be there: without them this side cannot be read (S14).</summary>
    public void CheckReachable()
    {
        if (!Directory.Exists(Root))
        {
            throw new ConnectorUnavailableException($"the exchange folder {Root} does not exist",
                "create it (or correct the path of the connection's --accounting setting) and put the package's customer export in it; nothing was written");
        }
        if (!File.Exists(ExportPath))
        {
            throw new ConnectorUnavailableException($"the accounting package's customer export {ExportPath} is not there",
                $"export the customer list from the package into {ExportPath} (or name the file with export=FILE); a company without customers exports a file with the header only; nothing was written");
        }
    }

    /// <summary>
    /// Makes the folders, removes temporary files a crash left, and copies into the state every
    /// import file of Concord's that has no copy yet (or a copy damaged since: not of its length).
    /// </summary>
    public void Recover()
    {
        Directory.CreateDirectory(ImportFolder);
        Directory.CreateDirectory(StateFolder);
        foreach (var temporary in Directory.EnumerateFiles(OwnFolder, "*.tmp"))
        {
            File.Delete(temporary);
        }
        foreach (var file in Directory.EnumerateFiles(ImportFolder, $"{Prefix}*.{Extension}"))
        {
            // No copy: a crash came between the import file and its copy. A copy of another length: damaged since.
            var copy = new FileInfo(Path.Combine(StateFolder, Path.GetFileName(file)));
            if (!copy.Exists || copy.Length != new FileInfo(file).Length)
            {
                Copy(Path.GetFileName(file));
            }
        }
    }

    /// <summary>What changes when the export is replaced or a file is written or forgotten: an index older than this is read again.</summary>
    public (long Export, long Length, long State) Version()
    {
        var export = new FileInfo(ExportPath);
        return (export.Exists ? export.LastWriteTimeUtc.Ticks : 0, export.Exists ? export.Length : -1, Directory.GetLastWriteTimeUtc(StateFolder).Ticks);
    }

    /// <summary>The import files Concord wrote and keeps, oldest first (their names sort by time).</summary>
    public IReadOnlyList<WrittenFile> Written() =>
        [.. Directory.EnumerateFiles(StateFolder, $"{Prefix}*.{Extension}")
            .Order(StringComparer.Ordinal)
            .Select(path => new WrittenFile(Path.GetFileName(path), path,
                File.Exists(Path.Combine(ImportFolder, Path.GetFileName(path))), File.GetLastWriteTimeUtc(path)))];

    /// <summary>Drops the copy of an import file whose records the export now shows.</summary>
    public static void Forget(WrittenFile file) => File.Delete(file.StatePath);

    /// <summary>
    /// Writes a new import file (import/concord-YYYYMMDD-HHMMSS-N.EXT) through <paramref name="write"/>,
    /// then its copy into the state; returns its name. On failure nothing is left under either name.
    /// </summary>
    public string Write(Action<Stream> write)
    {
        var name = FreeName();
        var temporary = Path.Combine(OwnFolder, name + ".tmp");
        try
        {
            using (var output = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(output);
                output.Flush(flushToDisk: true);
            }
            File.Move(temporary, Path.Combine(ImportFolder, name));
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        SyncFolder(ImportFolder);
        Copy(name);
        return name;
    }

    /// <summary>Copies an import file into the state, whole or not at all.</summary>
    private void Copy(string name)
    {
        var temporary = Path.Combine(OwnFolder, name + ".state.tmp");
        File.Copy(Path.Combine(ImportFolder, name), temporary, overwrite: true);
        using (var copy = new FileStream(temporary, FileMode.Open, FileAccess.ReadWrite))
        {
            copy.Flush(flushToDisk: true);
        }
        File.Move(temporary, Path.Combine(StateFolder, name), overwrite: true);
        SyncFolder(StateFolder);
    }

    private string FreeName()
    {
        var stamp = _clock.GetUtcNow().ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture);
        for (var n = 1; ; n++)
        {
            var name = $"{Prefix}{stamp}-{n}.{Extension}";
            if (!File.Exists(Path.Combine(ImportFolder, name)) && !File.Exists(Path.Combine(StateFolder, name)))
            {
                return name;
            }
        }
    }

    /// <summary>Flushes a folder's entries (a rename) to disk: .NET has no call for it, so POSIX open + fsync.</summary>
    private static void SyncFolder(string folder)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return;
        }
        var fd = Posix.open(Encoding.UTF8.GetBytes(folder + '\0'), 0);
        if (fd < 0)
        {
            throw new IOException($"cannot open the folder {folder} to flush it (error {Marshal.GetLastPInvokeError()})");
        }
        try
        {
            if (Posix.fsync(fd) != 0)
            {
                throw new IOException($"cannot flush the folder {folder} to disk (error {Marshal.GetLastPInvokeError()})");
            }
        }
        finally
        {
            _ = Posix.close(fd);
        }
    }

    private static class Posix
    {
        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int open(byte[] path, int flags);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int fsync(int fd);

        [DllImport("libc", SetLastError = true)]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        public static extern int close(int fd);
    }
}
