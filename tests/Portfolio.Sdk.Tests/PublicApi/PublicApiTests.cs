using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Tests.PublicApi;

/// <summary>
/// The public surface of Portfolio.Sdk must match the approved listing. After an intended change, run the tests
/// with PORTFOLIO_ACCEPT_API=1 to rewrite the listing, review its diff, and add a CHANGELOG entry.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PortfolioSdk_PublicApi_MatchesTheApprovedListing() =>
        PublicApiApproval.Verify(typeof(Portfolio.Sdk.Identity.NationalId).Assembly, "tests", "Portfolio.Sdk.Tests", "PublicApi");
}
