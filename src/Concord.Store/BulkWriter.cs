using System.Data.Common;
using Npgsql;

namespace Concord.Store;

/// <summary>Writes many rows into one table inside the caller's transaction, by the engine's fastest path.</summary>
public abstract class BulkWriter : IDisposable
{
    public abstract void Write(IReadOnlyList<object?> values);

    /// <summary>Finishes the batch; rows are visible once the caller's transaction commits.</summary>
    public abstract void Complete();

    public abstract void Dispose();
}

internal sealed class PreparedStatementBulkWriter : BulkWriter
{
    private readonly DbCommand _command;
    private readonly DbParameter[] _parameters;

    public PreparedStatementBulkWriter(DbConnection connection, DbTransaction transaction, string table, IReadOnlyList<string> columns)
    {
        _command = connection.CreateCommand();
        _command.Transaction = transaction;
        _command.CommandText =
            $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES ({string.Join(", ", columns.Select((_, i) => "$p" + i))})";
        _parameters = new DbParameter[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            var parameter = _command.CreateParameter();
            parameter.ParameterName = "$p" + i;
            _command.Parameters.Add(parameter);
            _parameters[i] = parameter;
        }
        _command.Prepare();
    }

    public override void Write(IReadOnlyList<object?> values)
    {
        for (var i = 0; i < _parameters.Length; i++)
        {
            _parameters[i].Value = values[i] ?? DBNull.Value;
        }
        _command.ExecuteNonQuery();
    }

    public override void Complete()
    {
    }

    public override void Dispose() => _command.Dispose();
}

internal sealed class BinaryCopyBulkWriter(NpgsqlConnection connection, string table, IReadOnlyList<string> columns) : BulkWriter
{
    private readonly NpgsqlBinaryImporter _importer =
        connection.BeginBinaryImport($"COPY {table} ({string.Join(", ", columns)}) FROM STDIN (FORMAT BINARY)");

    public override void Write(IReadOnlyList<object?> values)
    {
        _importer.StartRow();
        for (var i = 0; i < values.Count; i++)
        {
            switch (values[i])
            {
                case null: _importer.WriteNull(); break;
                case string s: _importer.Write(s, NpgsqlTypes.NpgsqlDbType.Text); break;
                case long l: _importer.Write(l, NpgsqlTypes.NpgsqlDbType.Bigint); break;
                case int n: _importer.Write((long)n, NpgsqlTypes.NpgsqlDbType.Bigint); break;
                case bool b: _importer.Write(b, NpgsqlTypes.NpgsqlDbType.Boolean); break;
                case var other: _importer.Write(other); break;
            }
        }
    }

    public override void Complete() => _importer.Complete();

    public override void Dispose() => _importer.Dispose();
}
