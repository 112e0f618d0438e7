using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Sis.Tests.PublicApi;

/// <summary>The public surface of Portfolio.Sdk.Sis must match the approved listing (PORTFOLIO_ACCEPT_API=1 rewrites it).</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PortfolioSdkSis_PublicApi_MatchesTheApprovedListing()
    {
        var assembly = typeof(Portfolio.Sdk.Sis.Reading.SisReader).Assembly;
        var actual = PublicApiRenderer.Render(assembly);
        var approvedPath = RepositoryPaths.Combine("tests", "Portfolio.Sdk.Sis.Tests", "PublicApi", assembly.GetName().Name + ".approved.txt");
        if (Environment.GetEnvironmentVariable("PORTFOLIO_ACCEPT_API") == "1")
        {
            File.WriteAllText(approvedPath, actual);
        }

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;
        actual.ShouldBe(approved, "The public API changed; rerun with PORTFOLIO_ACCEPT_API=1, review the diff and add a CHANGELOG entry.");
    }
}
