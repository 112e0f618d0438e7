using System.ComponentModel;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Data;

namespace Portfolio.Sdk.Tests.Infrastructure;

/// <summary>The host's database stated once: bound from configuration, validated on start, keyed data sources resolved.</summary>
public sealed class DatabaseOptionsTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Theory]
    [InlineData("postgresql", "postgresql")]
    [InlineData("Postgres", "postgresql")]
    [InlineData("mssql", "sqlserver")]
    [InlineData("MariaDB", "mysql")]
    [InlineData("oracle", "oracle")]
    public void Dialect_BindsFromItsName(string configured, string expected)
    {
        using var provider = new ServiceCollection()
            .AddPortfolioDatabase(Configuration(("Dialect", configured), ("DataSourceKey", "portfolio")))
            .BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<PortfolioDatabaseOptions>>().Value;
        options.Dialect.Name.ShouldBe(expected);
        options.DataSourceKey.ShouldBe("portfolio");
        TypeDescriptor.GetConverter(typeof(SqlDialect)).ConvertToInvariantString(options.Dialect).ShouldBe(expected);
    }

    [Fact]
    public void UnknownDialect_AndBlankKey_StopTheStart()
    {
        using var unknown = new ServiceCollection().AddPortfolioDatabase(Configuration(("Dialect", "db2"))).BuildServiceProvider();
        Should.Throw<InvalidOperationException>(() => unknown.GetRequiredService<IStartupValidator>().Validate()).ToString().ShouldContain("'db2' is not a SQL dialect");

        using var blank = new ServiceCollection().AddPortfolioDatabase(SqlDialect.Sqlite, " ").BuildServiceProvider();
        Should.Throw<OptionsValidationException>(() => blank.GetRequiredService<IStartupValidator>().Validate()).Message.ShouldContain("DataSourceKey is blank");
    }

    [Fact]
    public void GetPortfolioDataSource_TakesTheKeyedOne_AndNeverGuessesAmongSeveral()
    {
        var sis = SqliteFactory.Instance.CreateDataSource("Data Source=:memory:");
        var store = SqliteFactory.Instance.CreateDataSource("Data Source=:memory:");
        using var keyed = new ServiceCollection()
            .AddKeyedSingleton<DbDataSource>("sis", sis)
            .AddKeyedSingleton<DbDataSource>("store", store)
            .AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource("Data Source=:memory:"))
            .BuildServiceProvider();
        keyed.GetPortfolioDataSource("sis", "test").ShouldBeSameAs(sis);
        keyed.GetPortfolioDataSource("store", "test").ShouldBeSameAs(store);
        Should.Throw<InvalidOperationException>(() => keyed.GetPortfolioDataSource("erp", "Portfolio:Sis")).Message.ShouldStartWith("Portfolio:Sis: no DbDataSource is registered under the key 'erp'");

        using var two = new ServiceCollection()
            .AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource("Data Source=:memory:"))
            .AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource("Data Source=:memory:"))
            .BuildServiceProvider();
        Should.Throw<InvalidOperationException>(() => two.GetPortfolioDataSource(null, "test")).Message.ShouldContain("several DbDataSources");

        using var none = new ServiceCollection().BuildServiceProvider();
        Should.Throw<InvalidOperationException>(() => none.GetPortfolioDataSource(null, "test")).Message.ShouldContain("no DbDataSource is registered");
    }
}
