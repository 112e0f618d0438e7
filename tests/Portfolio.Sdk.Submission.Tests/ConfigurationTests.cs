using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Submission.Http;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>Every options type of the package binds from configuration and is validated when the host starts.</summary>
public sealed class ConfigurationTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void GatewayAndSubmissionOptions_BindFromTheirSections_AndReachTheStandardHandler()
    {
        var configuration = Configuration(
            ("Portfolio:Gateway:BaseAddress", "https://k12ea.example.tw/api/"),
            ("Portfolio:Gateway:AccessToken", "from-configuration"),
            ("Portfolio:Gateway:Resilience:MaxRetryAttempts", "3"),
            ("Portfolio:Gateway:Resilience:AttemptTimeout", "00:00:20"),
            ("Portfolio:Gateway:Resilience:RetryMaxDelay", "00:00:15"),
            ("Portfolio:Gateway:Resilience:CircuitFailureRatio", "0.25"),
            ("Portfolio:Submission:OutboxDirectory", "/var/lib/portfolio/outbox"),
            ("Portfolio:Submission:Dialect", "postgresql"));
        var services = new ServiceCollection();
        var builder = services.AddPortfolioGateway(configuration.GetSection(GatewayClientOptions.SectionName));
        services.AddPortfolioSubmission(configuration.GetSection(SubmissionOptions.SectionName));
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var gateway = provider.GetRequiredService<IOptions<GatewayClientOptions>>().Value;
        gateway.BaseAddress.ShouldBe(new Uri("https://k12ea.example.tw/api/"));
        gateway.AccessToken.ShouldBe("from-configuration");
        gateway.Resilience.MaxRetryAttempts.ShouldBe(3);
        gateway.Resilience.AttemptTimeout.ShouldBe(TimeSpan.FromSeconds(20));
        gateway.Resilience.TotalTimeout.ShouldBe(GatewayResilienceDefaults.TotalTimeout); // not in configuration: the default
        var standard = provider.GetRequiredService<IOptionsMonitor<HttpStandardResilienceOptions>>().Get(builder.Name + "-standard");
        standard.Retry.MaxRetryAttempts.ShouldBe(3);
        standard.Retry.MaxDelay.ShouldBe(TimeSpan.FromSeconds(15));
        standard.AttemptTimeout.Timeout.ShouldBe(TimeSpan.FromSeconds(20));
        standard.CircuitBreaker.FailureRatio.ShouldBe(0.25);

        var submission = provider.GetRequiredService<IOptions<SubmissionOptions>>().Value;
        submission.OutboxDirectory.ShouldBe("/var/lib/portfolio/outbox");
        submission.Dialect.ShouldBe(SqlDialect.PostgreSql);
    }

    [Fact]
    public void BindConfiguration_NextToTheActionOverload_BindsFromTheHostsConfiguration()
    {
        var services = new ServiceCollection();
        services.AddSingleton(Configuration(("Portfolio:Gateway:BaseAddress", "http://127.0.0.1:5080/"), ("Portfolio:Gateway:Resilience:MaxRetryAttempts", "7")));
        services.AddOptions<GatewayClientOptions>().BindConfiguration(GatewayClientOptions.SectionName);
        services.AddPortfolioGateway(o => o.AccessToken = "set-in-code");
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IStartupValidator>().Validate();

        var gateway = provider.GetRequiredService<IOptions<GatewayClientOptions>>().Value;
        gateway.BaseAddress.ShouldBe(new Uri("http://127.0.0.1:5080/"));
        gateway.Resilience.MaxRetryAttempts.ShouldBe(7);
        gateway.AccessToken.ShouldBe("set-in-code");
    }

    [Theory]
    [InlineData("Portfolio:Gateway:Resilience:MaxRetryAttempts", "99", "MaxRetryAttempts must be between")]
    [InlineData("Portfolio:Gateway:Resilience:AttemptTimeout", "00:10:00", "AttemptTimeout must be shorter than")]
    [InlineData("Portfolio:Gateway:BaseAddress", "http://k12ea.example.tw/", "must use HTTPS")]
    [InlineData("Portfolio:Gateway:Resilience:TotalTimeout", "00:00:00.005", "TotalTimeout must be between 10 ms and 24 hours")]
    [InlineData("Portfolio:Gateway:Resilience:CircuitBreakDuration", "2.00:00:00", "CircuitBreakDuration must be between")]
    [InlineData("Portfolio:Submission:Dialect", "informix", "Dialect names no dialect")]
    [InlineData("Portfolio:Submission:OutboxDirectory", " ", "OutboxDirectory is required")]
    public async Task AnInvalidValue_FailsWhenTheHostStarts(string key, string value, string message)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Portfolio:Gateway:BaseAddress"] = "https://k12ea.example.tw/",
            ["Portfolio:Gateway:AccessToken"] = "never-shown-token",
            ["Portfolio:Submission:Dialect"] = "sqlite",
            [key] = value,
        });
        builder.Services.AddPortfolioGateway(builder.Configuration.GetSection(GatewayClientOptions.SectionName));
        builder.Services.AddPortfolioSubmission(builder.Configuration.GetSection(SubmissionOptions.SectionName));
        using var host = builder.Build();

        var ex = await Should.ThrowAsync<OptionsValidationException>(() => host.StartAsync(TestContext.Current.CancellationToken));

        ex.Message.ShouldContain(message);
        ex.Message.ShouldNotContain("never-shown-token");
    }

    [Fact]
    public async Task Ledger_UsesTheDatabaseTheHostStatedOnce_ByKeyAmongSeveral()
    {
        var folder = Directory.CreateTempSubdirectory("portfolio-ledger-key-").FullName;
        try
        {
            var services = new ServiceCollection();
            services.AddKeyedSingleton<System.Data.Common.DbDataSource>("sis", Microsoft.Data.Sqlite.SqliteFactory.Instance.CreateDataSource($"Data Source={Path.Combine(folder, "sis.db")};Pooling=False"));
            services.AddKeyedSingleton<System.Data.Common.DbDataSource>("portfolio", Microsoft.Data.Sqlite.SqliteFactory.Instance.CreateDataSource($"Data Source={Path.Combine(folder, "portfolio.db")};Pooling=False"));
            services.AddPortfolioDatabase(o => { o.Dialect = SqlDialect.Sqlite; o.DataSourceKey = "portfolio"; });
            services.AddPortfolioSubmission(o => o.OutboxDirectory = Path.Combine(folder, "outbox"));   // no dialect, no data source of its own
            await using var provider = services.BuildServiceProvider();

            await provider.GetRequiredService<Ledger.ISubmissionLedger>().EnsureCreatedAsync(TestContext.Current.CancellationToken);

            File.Exists(Path.Combine(folder, "portfolio.db")).ShouldBeTrue();
            File.Exists(Path.Combine(folder, "sis.db")).ShouldBeFalse();
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void OptionsTypes_LiveInPortfolioNamespaces()
    {
        typeof(SubmissionOptions).Namespace.ShouldBe("Portfolio.Sdk.Submission");
        typeof(GatewayClientOptions).Namespace.ShouldBe("Portfolio.Sdk.Submission.Http");
        typeof(GatewayResilienceOptions).Namespace.ShouldBe("Portfolio.Sdk.Submission.Http");
        typeof(SubmissionService).Assembly.GetExportedTypes()
            .Where(t => t.Name.EndsWith("Options", StringComparison.Ordinal))
            .ShouldAllBe(t => t.Namespace!.StartsWith("Portfolio.Sdk", StringComparison.Ordinal));
    }
}
