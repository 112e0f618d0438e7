using System.Text.RegularExpressions;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Tests.Infrastructure;

/// <summary>README code comes from compiled samples: every <c>// &lt;readme:name&gt;</c> region of a sample appears verbatim in README.md.</summary>
public sealed partial class ReadmeSnippetTests
{
    public static TheoryData<string> Samples() =>
        [.. Directory.EnumerateFiles(RepositoryPaths.Combine("samples"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal) && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Where(f => File.ReadAllText(f).Contains("// <readme:", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepositoryPaths.Root, f))];

    [Theory]
    [MemberData(nameof(Samples))]
    public void ReadmeRegions_AppearVerbatimInTheReadme(string sample)
    {
        var readme = File.ReadAllText(RepositoryPaths.Combine("README.md")).ReplaceLineEndings("\n");
        var regions = Region().Matches(File.ReadAllText(RepositoryPaths.Combine(sample)).ReplaceLineEndings("\n"));
        regions.ShouldNotBeEmpty();
        foreach (Match region in regions)
        {
            readme.ShouldContain("```csharp\n" + region.Groups["code"].Value + "```", customMessage: $"README.md lacks the '{region.Groups["name"].Value}' region of {sample}; copy it over.");
        }
    }

    [Fact]
    public void TheSamplesWithRegions_AreFound() => Samples().Count.ShouldBeGreaterThanOrEqualTo(2);

    [GeneratedRegex(@"// <readme:(?<name>[a-z-]+)>\n(?<code>.*?)// </readme:\k<name>>", RegexOptions.Singleline)]
    private static partial Regex Region();
}
