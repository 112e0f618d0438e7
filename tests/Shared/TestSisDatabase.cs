using System.Data.Common;
using Microsoft.Data.Sqlite;
using Npgsql;
using Portfolio.Sdk.Data;

namespace Portfolio.Sdk.Testing;

/// <summary>A real database for one test class: a SQLite file, or a PostgreSQL schema of its own (tests run in parallel).</summary>
public sealed class TestSisDatabase : IAsyncDisposable
{
    private readonly Func<ValueTask> _cleanup;

    private TestSisDatabase(DbDataSource dataSource, SqlDialect dialect, Func<ValueTask> cleanup)
    {
        DataSource = dataSource;
        Dialect = dialect;
        _cleanup = cleanup;
    }

    public DbDataSource DataSource { get; }

    public SqlDialect Dialect { get; }

    public static TestSisDatabase Sqlite()
    {
        var path = Path.Combine(Path.GetTempPath(), $"sis-{Guid.NewGuid():N}.db");
        var dataSource = SqliteFactory.Instance.CreateDataSource($"Data Source={path};Pooling=False");
        return new TestSisDatabase(dataSource, SqlDialect.Sqlite, () =>
        {
            dataSource.Dispose();
            File.Delete(path);
            return ValueTask.CompletedTask;
        });
    }

    public static async Task<TestSisDatabase> PostgresAsync()
    {
        var connectionString = TestDatabase.PostgresConnectionStringOrSkip();
        var schema = $"sis_{Guid.NewGuid():N}";
        await using (var admin = NpgsqlDataSource.Create(connectionString))
        await using (var create = admin.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var dataSource = new NpgsqlDataSourceBuilder(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString).Build();
        return new TestSisDatabase(dataSource, SqlDialect.PostgreSql, async () =>
        {
            await dataSource.DisposeAsync();
            await using var admin = NpgsqlDataSource.Create(connectionString);
            await using var drop = admin.CreateCommand($"DROP SCHEMA {schema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        });
    }

    public ValueTask DisposeAsync() => _cleanup();
}
