using System.Data.Common;
using Concord.Core.Common;

namespace Concord.Core.Sync.Running;

/// <summary>Records a run looked at but did not settle; the next incremental run plans them again.</summary>
public sealed class Deferred(long connectionId)
{
    public IReadOnlyList<(string Side, string Code)> All(DbConnection db)
    {
        using var command = Sql.Command(db, null, "SELECT side, code FROM sync_deferred WHERE connection_id = @c ORDER BY id", ("c", connectionId));
        using var reader = command.ExecuteReader();
        var list = new List<(string, string)>();
        while (reader.Read())
        {
            list.Add((reader.GetString(0), reader.GetString(1)));
        }
        return list;
    }

    public void Clear(DbConnection db, DbTransaction transaction) =>
        Sql.Execute(db, transaction, "DELETE FROM sync_deferred WHERE connection_id = @c", ("c", connectionId));

    public void Add(DbConnection db, DbTransaction transaction, string side, string code, string reason)
    {
        Sql.Execute(db, transaction, "DELETE FROM sync_deferred WHERE connection_id = @c AND side = @s AND code_key = @k",
            ("c", connectionId), ("s", side), ("k", Codes.Key(code)));
        Sql.Execute(db, transaction, "INSERT INTO sync_deferred (connection_id, side, code, code_key, reason) VALUES (@c, @s, @code, @k, @r)",
            ("c", connectionId), ("s", side), ("code", code), ("k", Codes.Key(code)), ("r", reason));
    }
}
