using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Sis.Tests.PublicApi;

/// <summary>The public surface of Portfolio.Sdk.Sis must match the approved listing (PORTFOLIO_ACCEPT_API=1 rewrites it).</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PortfolioSdkSis_PublicApi_MatchesTheApprovedListing() =>
        PublicApiApproval.Verify(typeof(Portfolio.Sdk.Sis.Reading.SisReader).Assembly, "tests", "Portfolio.Sdk.Sis.Tests", "PublicApi");
}
