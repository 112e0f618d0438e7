using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Storage;

namespace Portfolio.Sdk.Storage.Tests;

public sealed class ModuleServiceRegistrationTests
{
    [Fact]
    public void AddPortfolioModule_RegistersTheService_OverTheRegisteredStoreAndPolicy()
    {
        var root = Path.Combine(Path.GetTempPath(), $"module-{Guid.NewGuid():N}");
        var policy = new PortfolioPolicy(PortfolioPolicy.Default.National, new SchoolPolicy { SelectionCapPerTerm = 3 });
        var services = new ServiceCollection();
        services.AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource("Data Source=:memory:"));
        services.AddPortfolioModule(o => { o.FilesRoot = root; o.Policy = policy; });
        using (var provider = services.BuildServiceProvider())
        {
            var module = provider.GetRequiredService<PortfolioModule>();
            module.ShouldBeSameAs(provider.GetRequiredService<PortfolioModule>());
            module.Store.ShouldBeSameAs(provider.GetRequiredService<PortfolioStore>());
            module.Policy.School.SelectionCapPerTerm.ShouldBe(3);
        }

        Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void PolicyJson_ReadsTheSelectionCapPerTerm_AndRejectsANonPositiveOne()
    {
        using var good = new MemoryStream("""{ "school": { "selectionCapPerTerm": 3 } }"""u8.ToArray());
        PortfolioPolicy.Load(good).Value!.School.SelectionCapPerTerm.ShouldBe(3);
        using var bad = new MemoryStream("""{ "school": { "selectionCapPerTerm": 0 } }"""u8.ToArray());
        PortfolioPolicy.Load(bad).Diagnostics.ShouldContain(d => d.Code == Portfolio.Sdk.Diagnostics.DiagnosticCodes.PolicyInvalid);
        new PortfolioPolicy(PortfolioPolicy.Default.National).School.SelectionCapPerTerm.ShouldBeNull();
    }
}
