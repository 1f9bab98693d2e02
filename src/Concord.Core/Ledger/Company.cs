using Concord.Core.Common;

namespace Concord.Core.Ledger;

/// <summary>The company whose books the embedded ledger keeps; its name is what a sync must confirm (S1).</summary>
public static class Company
{
    public const string NameSetting = "company-name";
    public const string DefaultName = "Concord Ledger";

    public static string Name(Session session)
    {
        using var connection = session.Database.OpenConnection();
        return Settings.Get(connection, null, NameSetting) ?? DefaultName;
    }

    public static void Rename(Session session, string name)
    {
        session.Require(Users.Role.Supervisor, "rename the company");
        var text = name.Trim();
        if (text.Length is 0 or > 100)
        {
            throw new UserError("company", "name", "must be 1 to 100 characters");
        }
        session.Database.InTransaction((connection, transaction) =>
        {
            var before = Settings.Get(connection, transaction, NameSetting);
            Settings.Set(connection, transaction, NameSetting, text);
            session.Audit.Write(connection, transaction, "update", "company", "name", before is null ? null : System.Text.Json.JsonSerializer.Serialize(before), System.Text.Json.JsonSerializer.Serialize(text));
        });
    }
}
