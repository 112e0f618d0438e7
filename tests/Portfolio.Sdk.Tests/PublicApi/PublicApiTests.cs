using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Tests.PublicApi;

/// <summary>
/// The public surface of Portfolio.Sdk must match the approved listing. After an intended change, run the tests
/// with PORTFOLIO_ACCEPT_API=1 to rewrite the listing, review its diff, and add a CHANGELOG entry.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PortfolioSdk_PublicApi_MatchesTheApprovedListing()
    {
        Approve(typeof(Portfolio.Sdk.Identity.NationalId).Assembly);
    }

    private static void Approve(System.Reflection.Assembly assembly)
    {
        var actual = PublicApiRenderer.Render(assembly);
        var approvedPath = RepositoryPaths.Combine("tests", "Portfolio.Sdk.Tests", "PublicApi", assembly.GetName().Name + ".approved.txt");
        if (Environment.GetEnvironmentVariable("PORTFOLIO_ACCEPT_API") == "1")
        {
            File.WriteAllText(approvedPath, actual);
        }

        var approved = File.Exists(approvedPath) ? File.ReadAllText(approvedPath).ReplaceLineEndings("\n") : string.Empty;
        if (approved != actual)
        {
            File.WriteAllText(Path.ChangeExtension(approvedPath, ".received.txt"), actual);
        }

        actual.ShouldBe(approved, $"The public API changed. Compare {Path.GetFileName(approvedPath)} with the .received.txt beside it; if intended, rerun with PORTFOLIO_ACCEPT_API=1 and add a CHANGELOG entry.");
    }
}
