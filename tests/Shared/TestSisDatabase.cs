using System.Data.Common;
using Microsoft.Data.Sqlite;
using MySqlConnector;
using Npgsql;
using Portfolio.Sdk.Data;

namespace Portfolio.Sdk.Testing;

/// <summary>
/// A real database for one test: a SQLite file, a PostgreSQL schema of its own, or a MariaDB database of its own
/// (tests run in parallel).
/// </summary>
public sealed class TestSisDatabase : IAsyncDisposable
{
    private readonly Func<ValueTask> _cleanup;

    private TestSisDatabase(DbDataSource dataSource, SqlDialect dialect, Func<ValueTask> cleanup, string? connectionString = null)
    {
        DataSource = dataSource;
        Dialect = dialect;
        _cleanup = cleanup;
        ConnectionString = connectionString;
    }

    public DbDataSource DataSource { get; }

    /// <summary>The connection string of this database (PostgreSQL and MariaDB), for another process or a Quartz store.</summary>
    public string? ConnectionString { get; }

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

        var own = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;
        var dataSource = new NpgsqlDataSourceBuilder(own).Build();
        return new TestSisDatabase(dataSource, SqlDialect.PostgreSql, async () =>
        {
            await dataSource.DisposeAsync();
            await using var admin = NpgsqlDataSource.Create(connectionString);
            await using var drop = admin.CreateCommand($"DROP SCHEMA {schema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        }, own);
    }

    /// <summary>Opens a fresh database on <paramref name="provider"/>: <c>sqlite</c>, <c>postgresql</c> (or <c>postgres</c>), <c>mariadb</c> (or <c>mysql</c>).</summary>
    public static async Task<TestSisDatabase> OpenAsync(string provider) => provider switch
    {
        "sqlite" => Sqlite(),
        "postgresql" or "postgres" => await PostgresAsync(),
        "mariadb" or "mysql" => await MySqlAsync(),
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, "sqlite, postgresql or mariadb"),
    };

    /// <summary>
    /// A database of its own on the MariaDB server of <c>PORTFOLIO_TEST_MYSQL</c>, in utf8mb4, named after the
    /// configured database (<c>portfolio_test_…</c>), dropped afterwards. The connection string is the caller's as
    /// given: MySqlConnector's defaults (e.g. CHAR(36) read as <see cref="Guid"/>) are what a vendor gets.
    /// </summary>
    public static async Task<TestSisDatabase> MySqlAsync()
    {
        var connectionString = TestDatabase.MySqlConnectionStringOrSkip();
        var builder = new MySqlConnectionStringBuilder(connectionString);
        var prefix = builder.Database is { Length: > 0 and <= 30 } configured ? configured : "portfolio_test";
        var database = $"{prefix}_{Guid.NewGuid():N}";
        await using (var admin = new MySqlDataSource(connectionString))
        await using (var create = admin.CreateCommand($"CREATE DATABASE `{database}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci"))
        {
            await create.ExecuteNonQueryAsync();
        }

        builder.Database = database;
        var dataSource = new MySqlDataSource(builder.ConnectionString);
        return new TestSisDatabase(dataSource, SqlDialect.MySql, async () =>
        {
            await dataSource.DisposeAsync();
            await using var admin = new MySqlDataSource(connectionString);
            await using var drop = admin.CreateCommand($"DROP DATABASE IF EXISTS `{database}`");
            await drop.ExecuteNonQueryAsync();
        }, builder.ConnectionString);
    }

    public ValueTask DisposeAsync() => _cleanup();
}
