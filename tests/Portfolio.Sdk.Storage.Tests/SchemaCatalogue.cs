using System.Data.Common;
using Portfolio.Sdk.Data;

namespace Portfolio.Sdk.Testing;

/// <summary>
/// What a database holds, read from its own catalogue: every table with its columns, every index and trigger, as
/// sorted lines. Two schemas are the same when their lines are equal. Shared by the store and Quartz schema tests.
/// </summary>
internal static class SchemaCatalogue
{
    public static async Task<IReadOnlyList<string>> ReadAsync(DbDataSource dataSource, SqlDialect dialect, CancellationToken cancellationToken)
    {
        var sql = dialect.Name switch
        {
            "sqlite" => "SELECT m.type || ' ' || m.tbl_name || ' ' || m.name || COALESCE(' ' || c.name || ' ' || c.type || ' ' || c.\"notnull\" || ' ' || c.pk, '') "
                + "FROM sqlite_master m LEFT JOIN pragma_table_info(m.name) c ON m.type = 'table' WHERE m.name NOT LIKE 'sqlite_%'",
            "postgresql" => "SELECT 'column ' || table_name || ' ' || column_name || ' ' || data_type || ' ' || is_nullable FROM information_schema.columns WHERE table_schema = current_schema() "
                + "UNION ALL SELECT 'index ' || tablename || ' ' || indexname || ' ' || replace(indexdef, current_schema() || '.', '') FROM pg_indexes WHERE schemaname = current_schema()",
            "mysql" => "SELECT CONCAT('column ', table_name, ' ', column_name, ' ', column_type, ' ', is_nullable) FROM information_schema.columns WHERE table_schema = DATABASE() "
                + "UNION ALL SELECT CONCAT('index ', table_name, ' ', index_name, ' ', seq_in_index, ' ', column_name, ' ', non_unique) FROM information_schema.statistics WHERE table_schema = DATABASE()",
            _ => throw new NotSupportedException(dialect.Name),
        };
        var lines = new List<string>();
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            lines.Add(reader.GetString(0));
        }

        lines.Sort(StringComparer.Ordinal);
        return lines;
    }

    /// <summary>Runs each statement on its own connection state, outside any transaction, as a database without transactional DDL would keep it.</summary>
    public static async Task ApplyOneByOneAsync(DbDataSource dataSource, IEnumerable<string> statements, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        foreach (var statement in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = statement;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public static async Task<long> CountAsync(DbDataSource dataSource, string sql, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken), System.Globalization.CultureInfo.InvariantCulture);
    }
}
