using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>The public surface of Portfolio.Sdk.Storage must match the approved listing (PORTFOLIO_ACCEPT_API=1 rewrites it).</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PortfolioSdkStorage_PublicApi_MatchesTheApprovedListing()
    {
        var assembly = typeof(PortfolioStore).Assembly;
        var actual = PublicApiRenderer.Render(assembly);
        var path = RepositoryPaths.Combine("tests", "Portfolio.Sdk.Storage.Tests", assembly.GetName().Name + ".approved.txt");
        if (Environment.GetEnvironmentVariable("PORTFOLIO_ACCEPT_API") == "1")
        {
            File.WriteAllText(path, actual);
        }

        actual.ShouldBe(File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : string.Empty, "The public API changed; rerun with PORTFOLIO_ACCEPT_API=1 and add a CHANGELOG entry.");
    }
}
