namespace Concord.Bench;

/// <summary>Stores for the benchmarks on a PostgreSQL server: each in a fresh schema of its own, so runs never meet.</summary>
public static class BenchStores
{
    /// <summary>Makes a fresh schema on <paramref name="server"/> and gives the connection string of a store in it.</summary>
    public static string PostgresSchema(string server, string name)
    {
        var schema = $"bench_{name}_{Guid.NewGuid():N}";
        using (var connection = new Npgsql.NpgsqlConnection(server))
        {
            connection.Open();
            using var command = new Npgsql.NpgsqlCommand($"CREATE SCHEMA {schema}", connection);
            command.ExecuteNonQuery();
        }
        return new Npgsql.NpgsqlConnectionStringBuilder(server) { SearchPath = schema }.ToString();
    }
}
