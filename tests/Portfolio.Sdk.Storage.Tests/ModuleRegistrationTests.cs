using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Storage;

namespace Portfolio.Sdk.Storage.Tests;

public sealed class ModuleRegistrationTests
{
    private static ServiceProvider Build(Action<PortfolioModuleOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource("Data Source=:memory:"));
        services.AddPortfolioModule(configure);
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Defaults_ArePinned()
    {
        var options = new PortfolioModuleOptions();

        options.Policy.ShouldBeSameAs(PortfolioPolicy.Default);
        options.PolicyFile.ShouldBeNull();
        options.FilesRoot.ShouldBe("portfolio-files");
        PortfolioModuleOptions.SectionName.ShouldBe("Portfolio:Module");
        new Portfolio.Sdk.Data.PortfolioDatabaseOptions().Dialect.ShouldBe(Portfolio.Sdk.Data.SqlDialect.Sqlite);
        new Portfolio.Sdk.Data.PortfolioDatabaseOptions().DataSourceKey.ShouldBeNull();
    }

    [Fact]
    public void ValidModule_Resolves()
    {
        var root = Path.Combine(Path.GetTempPath(), $"module-{Guid.NewGuid():N}");
        using var provider = Build(o => o.FilesRoot = root);

        provider.GetRequiredService<IStartupValidator>().Validate();
        provider.GetRequiredService<PortfolioStore>().Dialect.Name.ShouldBe("sqlite");
        provider.GetRequiredService<FileSystemContentStore>().Root.ShouldBe(root);
        provider.GetRequiredService<PortfolioPolicy>().ShouldBeSameAs(PortfolioPolicy.Default);
        Directory.Delete(root);
    }

    [Fact]
    public void InvalidPolicyFile_StopsTheStartWithEveryProblem()
    {
        var file = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "school": { "storageQuotaMegabytes": -5, "windows": [ { "kind": "upload", "term": "113-1", "start": "2025-01-01", "end": "2024-01-01" } ] } }""");
        try
        {
            using var provider = Build(o => o.PolicyFile = file);

            var ex = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
            ex.Failures.Count().ShouldBe(2);
            ex.Failures.ShouldAllBe(f => f.StartsWith("PF3001", StringComparison.Ordinal));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void PolicyFile_IsLoaded()
    {
        var file = Path.Combine(Path.GetTempPath(), $"policy-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{ "school": { "storageQuotaMegabytes": 200 } }""");
        try
        {
            using var provider = Build(o => o.PolicyFile = file);

            provider.GetRequiredService<IStartupValidator>().Validate();
            provider.GetRequiredService<PortfolioPolicy>().School.StorageQuotaBytes.ShouldBe(200L << 20);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public void MissingPolicyFile_IsAStartError()
    {
        using var provider = Build(o => o.PolicyFile = "/nonexistent/policy.json");

        Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate()).Message.ShouldContain("policy.json");
    }
}
