using Concord.Core.Common;
using Concord.Core.Users;

namespace Concord.Core.Operational;

/// <summary>Sites (O1): the places a customer listing is kept for.</summary>
public sealed class SiteService(Session session)
{
    public static readonly RecordTable<Site> Table = new(Site.Schema);

    public Site Add(string code, string name)
    {
        session.Require(Role.Clerk, "add sites");
        var site = new Site
        {
            Code = UserError.Guard($"site {code}", "code", () => Codes.Check(code)),
            Name = UserError.Guard($"site {code}", "name", () => (string?)Site.Schema.Find("name")!.Parse(name))
                ?? throw new UserError($"site {code}", "name", "is required"),
        };
        return session.Database.InTransaction((connection, transaction) =>
        {
            if (Table.Find(connection, transaction, site.Code) is { } existing)
            {
                throw new UserError($"site {site.Code}", "code", $"already exists (as '{existing.Code}')");
            }
            site.CreatedAt = site.ModifiedAt = session.Now;
            Table.Insert(connection, transaction, site);
            session.Audit.Write(connection, transaction, "create", "site", site.Code, null, Site.Schema.ToAuditJson(site));
            return site;
        });
    }

    public IReadOnlyList<Site> List()
    {
        using var connection = session.Database.OpenConnection();
        return [.. Table.Stream(connection, "")];
    }
}
