using Concord.Core.Common;
using Concord.Core.Connectors;

namespace Concord.Connectors.Files;

/// <summary>
/// Where an exchange folder is and how its files look: the folder, the column map (a preset, a map
/// file, or a map file over a preset), the export's file name in the folder, and the company name
/// a run is confirmed with (S1; the folder's name when not given).
/// </summary>
public sealed record FileOptions(string Folder, ColumnMap Map, string Export, string? Company);

/// <summary>
/// <c>--accounting csv:FOLDER;preset=NAME;map=FILE;export=FILE;company=NAME</c> and the same with
/// <c>xlsx:</c>: an accounting package reached through files in a folder (X4).
/// </summary>
public sealed class FileConnectorKind(ITableFormat format) : ConnectorKind<FileOptions>
{
    public override string Kind => format.Extension;

    public override string Usage =>
        $"{Kind}:FOLDER[;preset={string.Join("|", ColumnMapPresets.Names)}][;map=FILE][;export=FILE][;company=NAME]";

    public override FileOptions Parse(ConnectorSettings settings)
    {
        settings.OnlyKnown(Usage, takesPath: true, "path", "preset", "map", "export", "company");
        var folder = settings.PathOr("path") ?? throw settings.Error($"the exchange folder is missing; the setting reads {Usage}");
        var presetName = settings.Optional("preset");
        var mapFile = settings.Optional("map");
        var preset = presetName is null
            ? mapFile is null ? ColumnMapPresets.Find(ColumnMapPresets.Default) : null
            : ColumnMapPresets.Find(presetName)
                ?? throw settings.Error($"preset=: '{presetName}' is not a preset; the presets are {string.Join(", ", ColumnMapPresets.Names)}");
        var map = mapFile is null ? preset! : ReadMap(settings, mapFile, preset);
        var export = settings.Optional("export") ?? $"customers.{format.Extension}";
        if (Path.GetFileName(export) != export || !export.EndsWith($".{format.Extension}", StringComparison.OrdinalIgnoreCase))
        {
            throw settings.Error($"export=: '{export}' must be the name of a .{format.Extension} file in the exchange folder, without a path");
        }
        return new FileOptions(folder, map, export, settings.Optional("company"));
    }

    /// <summary>The connector, its layout following the connection's field map (S8; a line the layout cannot take is refused here).</summary>
    public override IConnector Open(FileOptions options, ConnectorContext context) =>
        new FileConnector(options with { Map = options.Map.Following(context.Connection.FieldMap) }, format, context.Session.Clock);

    private static ColumnMap ReadMap(ConnectorSettings settings, string file, ColumnMap? preset)
    {
        string text;
        try
        {
            text = File.ReadAllText(file);
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            throw settings.Error($"map=: the column map {file} cannot be read: {error.Message}");
        }
        try
        {
            return ColumnMap.Parse($"map {Path.GetFileName(file)}", text, preset);
        }
        catch (FieldValueError error)
        {
            throw settings.Error($"map=: the column map {file} {error.Reason}");
        }
    }
}
