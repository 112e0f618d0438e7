using System.Reflection;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>The public surfaces of Portfolio.Sdk.Submission and Portfolio.Sdk.Sandbox must match their approved listings (PORTFOLIO_ACCEPT_API=1 rewrites them).</summary>
public sealed class PublicApiTests
{
    public static TheoryData<string> Assemblies() => ["Portfolio.Sdk.Submission", "Portfolio.Sdk.Sandbox"];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void PublicApi_MatchesTheApprovedListing(string name) =>
        PublicApiApproval.Verify(AssemblyOf(name), "tests", "Portfolio.Sdk.Submission.Tests", "PublicApi");

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void EveryPublicMember_HasXmlDocs(string name) => PublicApiApproval.VerifyXmlDocs(AssemblyOf(name));

    private static Assembly AssemblyOf(string name) =>
        name == "Portfolio.Sdk.Sandbox" ? typeof(Sandbox.SandboxServer).Assembly : typeof(SubmissionService).Assembly;
}
