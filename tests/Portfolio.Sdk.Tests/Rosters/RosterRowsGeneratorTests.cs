using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Tests.Rosters;

public sealed class RosterRowsGeneratorTests
{
    [Fact]
    public void GeneratedRowRecords_MatchTheCatalogue()
    {
        var path = RepositoryPaths.Combine("src", "Portfolio.Sdk", "Rosters", "Rows", "RosterRows.g.cs");
        var expected = RosterRowsGenerator.Generate(RosterCatalogue.Default);
        if (Environment.GetEnvironmentVariable("PORTFOLIO_ACCEPT") == "1")
        {
            File.WriteAllText(path, expected);
        }

        var actual = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : string.Empty;
        actual.ShouldBe(expected, "The typed rows drifted from roster-catalogue.json; run the tests with PORTFOLIO_ACCEPT=1 and rebuild.");
    }

    [Fact]
    public void EverySheet_HasAGeneratedRecord()
    {
        var types = typeof(Portfolio.Sdk.Rosters.Rows.IRosterRow).Assembly.GetTypes()
            .Where(t => t.IsClass && typeof(Portfolio.Sdk.Rosters.Rows.IRosterRow).IsAssignableFrom(t))
            .Select(t => t.Name)
            .ToHashSet();

        foreach (var sheet in RosterCatalogue.Default.Books.SelectMany(b => b.Sheets))
        {
            types.ShouldContain(RosterRowsGenerator.ClassName(sheet));
        }
    }
}
