using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Scheduling.Tests;

/// <summary>The public surface of Portfolio.Sdk.Scheduling must match its approved listing (PORTFOLIO_ACCEPT_API=1 rewrites it).</summary>
public sealed class PublicApiTests
{
    [Fact]
    public void PublicApi_MatchesTheApprovedListing()
    {
        var assembly = typeof(PortfolioSchedule).Assembly;
        var actual = PublicApiRenderer.Render(assembly);
        var path = RepositoryPaths.Combine("tests", "Portfolio.Sdk.Scheduling.Tests", "PublicApi", "Portfolio.Sdk.Scheduling.approved.txt");
        if (Environment.GetEnvironmentVariable("PORTFOLIO_ACCEPT_API") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, actual);
        }

        actual.ShouldBe(File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : string.Empty, "The public API changed; rerun with PORTFOLIO_ACCEPT_API=1 and add a CHANGELOG entry.");
    }

    [Fact]
    public void EveryPublicMember_HasXmlDocs()
    {
        var assembly = typeof(PortfolioSchedule).Assembly;
        var xml = Path.ChangeExtension(assembly.Location, ".xml");
        File.Exists(xml).ShouldBeTrue();
        var documented = System.Xml.Linq.XDocument.Load(xml).Descendants("member").Select(m => m.Attribute("name")!.Value).ToHashSet(StringComparer.Ordinal);
        var missing = assembly.GetExportedTypes().Where(t => !documented.Contains("T:" + t.FullName)).Select(t => t.FullName).ToList();
        missing.ShouldBeEmpty();
    }
}
