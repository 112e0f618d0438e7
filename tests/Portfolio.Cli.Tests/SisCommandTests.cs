using Portfolio.Sdk.Testing;

namespace Portfolio.Cli.Tests;

public sealed class SisCommandTests : IDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"cli-sis-{Guid.NewGuid():N}.db");

    private static string Profile => RepositoryPaths.Combine("samples", "SisProfiles", "demo-sis.profile.json");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        File.Delete(_database);
    }

    [Fact]
    public async Task Generate_ThenRead_CountsEveryRecordKindAndReportsTheDirtyRows()
    {
        var (generateExit, generated, _) = await CliRunner.RunAsync("sis", "generate", "--provider", "sqlite", "--connection", _database, "--students", "30", "--seed", "7");
        var (readExit, json) = await CliRunner.RunJsonAsync("sis", "read", "--profile", Profile, "--provider", "sqlite", "--connection", _database, "--term", "113-1", "--json");

        generateExit.ShouldBe(0);
        generated.ShouldContain("30 students");
        readExit.ShouldBe(1);
        var counts = json.GetProperty("counts");
        counts.EnumerateObject().Select(p => p.Name).ShouldBe(["students", "studentTerms", "enrollmentChanges", "courses", "grades", "cadres"]);
        counts.GetProperty("students").GetProperty("rows").GetInt32().ShouldBe(30);
        counts.GetProperty("students").GetProperty("unmapped").GetInt32().ShouldBe(1);
        var codes = json.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("code").GetString()).Distinct().Order().ToList();
        codes.ShouldBe(["PF0106", "PF2102"]);
    }

    [Fact]
    public async Task Generate_Clean_ThenRead_ExitsZero()
    {
        await CliRunner.RunAsync("sis", "generate", "--provider", "sqlite", "--connection", _database, "--students", "12", "--clean");

        var (exitCode, output, _) = await CliRunner.RunAsync("sis", "read", "--profile", Profile, "--provider", "sqlite", "--connection", _database);

        exitCode.ShouldBe(0);
        output.ShouldContain("grades");
    }

    [Fact]
    public async Task Read_WithAnInjectingProfile_ExitsTwoBeforeTouchingTheDatabase()
    {
        var profile = Path.Combine(Path.GetTempPath(), $"bad-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(profile, """{ "dialect": "sqlite", "records": { "students": { "table": "x; DROP TABLE y", "columns": { "studentNumber": "a", "nationalId": "b", "birthDate": "c" } } } }""", TestContext.Current.CancellationToken);
        try
        {
            var (exitCode, _, error) = await CliRunner.RunAsync("sis", "read", "--profile", profile, "--provider", "sqlite", "--connection", _database);

            exitCode.ShouldBe(2);
            error.ShouldContain("PF2002");
            File.Exists(_database).ShouldBeFalse();
        }
        finally
        {
            File.Delete(profile);
        }
    }

    [Fact]
    public async Task UnknownProvider_ExitsTwo()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("sis", "generate", "--provider", "oracle", "--connection", "x");

        exitCode.ShouldBe(2);
        error.ShouldContain("sqlite");
    }
}
