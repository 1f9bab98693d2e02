using System.Data.Common;

namespace Concord.Core.Common;

/// <summary>Small helpers for parameterised ADO.NET commands that work on both engines.</summary>
public static class Sql
{
    /// <summary>A text column of the current row, null when the store holds none.</summary>
    public static string? TextOrNull(this DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    public static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            // With its prefix, SQLite finds the parameter in one look-up instead of trying each prefix in turn.
            parameter.ParameterName = name.StartsWith('@') ? name : "@" + name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<DbConnection, Dictionary<string, DbCommand>> Prepared = new();

    /// <summary>
    /// Runs a statement that a connection runs many times in a row (an insert per record of a batch)
    /// through one command kept per connection, so the engine parses it once. Same parameters, same order, every time.
    /// </summary>
    public static int ExecuteRepeated(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Repeated(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    /// <summary>As <see cref="ExecuteRepeated"/>, for a statement that returns one value.</summary>
    public static TValue ScalarRepeated<TValue>(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var value = Repeated(connection, transaction, sql, parameters).ExecuteScalar();
        return value is null or DBNull ? default! : (TValue)Convert.ChangeType(value, typeof(TValue), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>
    /// As <see cref="ExecuteRepeated"/>, for a point look-up that returns rows; dispose the reader
    /// before running the same statement again on the connection.
    /// </summary>
    public static DbDataReader QueryRepeated(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters) =>
        Repeated(connection, transaction, sql, parameters).ExecuteReader();

    private static DbCommand Repeated(DbConnection connection, DbTransaction? transaction, string sql, (string Name, object? Value)[] parameters)
    {
        var commands = Prepared.GetOrCreateValue(connection);
        if (!commands.TryGetValue(sql, out var command))
        {
            command = Command(connection, transaction, sql, parameters);
            commands[sql] = command;
            return command;
        }
        command.Transaction = transaction;
        for (var i = 0; i < parameters.Length; i++)
        {
            command.Parameters[i].Value = parameters[i].Value ?? DBNull.Value;
        }
        return command;
    }

    /// <summary>
    /// Runs <paramref name="select"/> (a query ending "WHERE column IN") for many keys, a few hundred
    /// at a time, and hands each row to <paramref name="read"/>: a few queries for many keys.
    /// </summary>
    public static void ForEachIn(DbConnection connection, DbTransaction? transaction, string select, IEnumerable<string> keys, Action<DbDataReader> read)
    {
        foreach (var chunk in keys.Distinct(StringComparer.Ordinal).Chunk(200))
        {
            using var command = Command(connection, transaction, $"{select} ({string.Join(", ", chunk.Select((_, i) => "@in" + i))})",
                [.. chunk.Select((key, i) => ("in" + i, (object?)key))]);
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                read(reader);
            }
        }
    }

    public static int Execute(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        return command.ExecuteNonQuery();
    }

    public static TValue Scalar<TValue>(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(connection, transaction, sql, parameters);
        var value = command.ExecuteScalar();
        return value is null or DBNull ? default! : (TValue)Convert.ChangeType(value, typeof(TValue), System.Globalization.CultureInfo.InvariantCulture);
    }
}
