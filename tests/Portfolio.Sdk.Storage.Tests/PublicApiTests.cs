using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>The public surface of Portfolio.Sdk.Storage must match the approved listing (PORTFOLIO_ACCEPT_API=1 rewrites it).</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PortfolioSdkStorage_PublicApi_MatchesTheApprovedListing() =>
        PublicApiApproval.Verify(typeof(PortfolioStore).Assembly, "tests", "Portfolio.Sdk.Storage.Tests");
}
