namespace Portfolio.Sdk.Testing;

/// <summary>
/// Where the test databases are. In CI (<c>CI=true</c>) a missing database fails the run; on a laptop the test
/// is skipped with a message saying how to provide one.
/// </summary>
public static class TestDatabase
{
    public const string PostgresVariable = "PORTFOLIO_TEST_PG";

    public const string MySqlVariable = "PORTFOLIO_TEST_MYSQL";

    /// <summary>The providers the database integration tests run on: <c>sqlite</c> in process, <c>postgresql</c> and <c>mariadb</c> live.</summary>
    public static TheoryData<string> Providers() => ["sqlite", "postgresql", "mariadb"];

    public static string PostgresConnectionStringOrSkip() =>
        ConnectionStringOrSkip(PostgresVariable, "PostgreSQL", "starts PostgreSQL");

    /// <summary>The MariaDB (or MySQL) test database as a MySqlConnector connection string; scripts/mariadb.sh exports it.</summary>
    public static string MySqlConnectionStringOrSkip() =>
        ConnectionStringOrSkip(MySqlVariable, "MariaDB", "starts MariaDB through scripts/mariadb.sh");

    private static string ConnectionStringOrSkip(string variable, string server, string howToStart)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{variable} is not set: in CI the {server} tests must run (see .ci/run).");
        }

        Assert.Skip($"{variable} is not set; run ./build.sh test (which {howToStart}) to include the {server} tests.");
        return string.Empty;
    }
}
