using System.Reflection;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>The public surfaces of Portfolio.Sdk.Submission and Portfolio.Sdk.Sandbox must match their approved listings (PORTFOLIO_ACCEPT_API=1 rewrites them).</summary>
public sealed class PublicApiTests
{
    public static TheoryData<string> Assemblies() => ["Portfolio.Sdk.Submission", "Portfolio.Sdk.Sandbox"];

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void PublicApi_MatchesTheApprovedListing(string name)
    {
        var assembly = name == "Portfolio.Sdk.Sandbox" ? typeof(Sandbox.SandboxServer).Assembly : typeof(SubmissionService).Assembly;
        var actual = PublicApiRenderer.Render(assembly);
        var path = RepositoryPaths.Combine("tests", "Portfolio.Sdk.Submission.Tests", "PublicApi", name + ".approved.txt");
        if (Environment.GetEnvironmentVariable("PORTFOLIO_ACCEPT_API") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
        }

        actual.ShouldBe(File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : string.Empty, "The public API changed; rerun with PORTFOLIO_ACCEPT_API=1 and add a CHANGELOG entry.");
    }

    [Theory]
    [MemberData(nameof(Assemblies))]
    public void EveryPublicMember_HasXmlDocs(string name)
    {
        var assembly = name == "Portfolio.Sdk.Sandbox" ? typeof(Sandbox.SandboxServer).Assembly : typeof(SubmissionService).Assembly;
        var xml = Path.ChangeExtension(assembly.Location, ".xml");
        File.Exists(xml).ShouldBeTrue();
        var documented = System.Xml.Linq.XDocument.Load(xml).Descendants("member").Select(m => m.Attribute("name")!.Value).ToHashSet(StringComparer.Ordinal);
        var missing = assembly.GetExportedTypes().Where(t => !documented.Contains("T:" + t.FullName)).Select(t => t.FullName).ToList();
        missing.ShouldBeEmpty();
    }
}
