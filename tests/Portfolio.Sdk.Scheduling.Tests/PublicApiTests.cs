using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Scheduling.Tests;

/// <summary>The public surface of Portfolio.Sdk.Scheduling must match its approved listing (PORTFOLIO_ACCEPT_API=1 rewrites it).</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesTheApprovedListing() =>
        PublicApiApproval.Verify(typeof(PortfolioSchedule).Assembly, "tests", "Portfolio.Sdk.Scheduling.Tests", "PublicApi");

    [Fact]
    public void EveryPublicMember_HasXmlDocs() => PublicApiApproval.VerifyXmlDocs(typeof(PortfolioSchedule).Assembly);
}
