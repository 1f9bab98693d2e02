using Concord.Core.Common;

namespace Concord.Core.Operational;

/// <summary>A branch or location of the business; the customer listing is kept per site (O1).</summary>
public sealed class Site
{
    public string Code { get; set; } = "";

    public string Name { get; set; } = "";

    public DateTimeOffset? CreatedAt { get; set; }

    public DateTimeOffset? ModifiedAt { get; set; }

    public static readonly RecordSchema<Site> Schema = new("site", "sites",
    [
        new() { Name = "code", Kind = FieldKind.Code, Required = true, MaxLength = Codes.MaxLength, Get = s => s.Code, Set = (s, v) => s.Code = (string)v! },
        new() { Name = "name", Kind = FieldKind.Text, Get = s => s.Name, Set = (s, v) => s.Name = (string?)v ?? "" },
        new() { Name = "created-at", Kind = FieldKind.Timestamp, SystemOnly = true, Get = s => s.CreatedAt, Set = (s, v) => s.CreatedAt = (DateTimeOffset?)v },
        new() { Name = "modified-at", Kind = FieldKind.Timestamp, SystemOnly = true, Get = s => s.ModifiedAt, Set = (s, v) => s.ModifiedAt = (DateTimeOffset?)v },
    ], () => new Site());
}
