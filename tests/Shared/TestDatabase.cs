namespace Portfolio.Sdk.Testing;

/// <summary>
/// Where the test databases are. In CI (<c>CI=true</c>) a missing database fails the run; on a laptop the test
/// is skipped with a message saying how to provide one.
/// </summary>
public static class TestDatabase
{
    public const string PostgresVariable = "PORTFOLIO_TEST_PG";

    public static string PostgresConnectionStringOrSkip()
    {
        var value = Environment.GetEnvironmentVariable(PostgresVariable);
        if (!string.IsNullOrWhiteSpace(value))
        {
            return value;
        }

        if (string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase))
        {
            Assert.Fail($"{PostgresVariable} is not set: in CI the PostgreSQL tests must run (see .ci/run).");
        }

        Assert.Skip($"{PostgresVariable} is not set; run ./build.sh test (which starts PostgreSQL) to include the PostgreSQL tests.");
        return string.Empty;
    }
}
