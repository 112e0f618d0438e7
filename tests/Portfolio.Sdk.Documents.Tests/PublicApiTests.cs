using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Documents.Tests;

/// <summary>The public surface of Portfolio.Sdk.Documents must match the approved listing (PORTFOLIO_ACCEPT_API=1 rewrites it).</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PortfolioSdkDocuments_PublicApi_MatchesTheApprovedListing() =>
        PublicApiApproval.Verify(typeof(ConfirmationSheetPdf).Assembly, "tests", "Portfolio.Sdk.Documents.Tests");
}
