using Npgsql;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Tests.Infrastructure;

/// <summary>
/// Proves that the PostgreSQL server .ci/run starts is reachable. Later issues run their integration tests on it.
/// </summary>
public sealed class PostgresConnectivityTests
{
    [Fact]
    public async Task Server_AcceptsQueries()
    {
        var connectionString = TestDatabase.PostgresConnectionStringOrSkip();
        await using var dataSource = NpgsqlDataSource.Create(connectionString);
        await using var command = dataSource.CreateCommand("select version(), current_database()");
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);

        (await reader.ReadAsync(TestContext.Current.CancellationToken)).ShouldBeTrue();
        reader.GetString(0).ShouldStartWith("PostgreSQL");
        reader.GetString(1).ShouldNotBeNullOrWhiteSpace();
    }
}
