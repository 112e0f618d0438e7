using Microsoft.Data.Sqlite;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Testing;

namespace Portfolio.Cli.Tests;

public sealed class BuildCommandTests
{
    [Fact]
    public async Task Build_FromADemoSisThroughTheSampleProfile_WritesValidRosters_AndReportsTheLeftOutRows()
    {
        var folder = Directory.CreateTempSubdirectory("portfolio-build-").FullName;
        try
        {
            var sis = Path.Combine(folder, "sis.db");
            (await CliRunner.RunAsync("sis", "generate", "--provider", "sqlite", "--connection", sis, "--students", "25", "--term", "113-1")).ExitCode.ShouldBe(ExitCodes.Success);

            var (exit, json) = await CliRunner.RunJsonAsync("build", "--profile", RepositoryPaths.Combine("samples", "SisProfiles", "demo-sis.profile.json"),
                "--provider", "sqlite", "--connection", sis, "--school", "060322", "--term", "113-1", "--division", "1", "--out", Path.Combine(folder, "out"), "--json");

            exit.ShouldBe(ExitCodes.Invalid); // the demo SIS holds dirty rows on purpose
            var books = json.GetProperty("books").EnumerateArray().ToList();
            books.Select(b => b.GetProperty("id").GetString()).ShouldBe(["student", "grades", "retake-grades", "cadre"]);
            books.Sum(b => b.GetProperty("leftOut").GetInt32()).ShouldBeGreaterThan(0);
            foreach (var book in books)
            {
                await using var file = File.OpenRead(book.GetProperty("file").GetString()!);
                var report = new RosterWorkbookValidator().Validate(file, cancellationToken: TestContext.Current.CancellationToken);
                report.HasErrors.ShouldBeFalse();
                report.RowCounts.Values.Sum().ShouldBe(book.GetProperty("rows").GetInt32());
                var account = book.GetProperty("account");
                var leftOut = account.GetProperty("leftOutByCause").EnumerateObject().Sum(p => p.Value.GetInt32());
                var others = account.GetProperty("forOtherBooks").EnumerateObject().Sum(p => p.Value.GetInt32());
                account.GetProperty("read").GetInt32().ShouldBe(account.GetProperty("written").GetInt32() + leftOut + others);
                leftOut.ShouldBe(book.GetProperty("leftOut").GetInt32());
            }

            var (validated, _, _) = await CliRunner.RunAsync(["validate", .. books.Select(b => b.GetProperty("file").GetString()!)]);
            validated.ShouldBe(ExitCodes.Success);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Build_WithoutADivisionFromTheProfileOrTheCommand_IsAUsageError_NotEveryStudentLeftOut()
    {
        var folder = Directory.CreateTempSubdirectory("portfolio-build-").FullName;
        try
        {
            var sis = Path.Combine(folder, "sis.db");
            (await CliRunner.RunAsync("sis", "generate", "--provider", "sqlite", "--connection", sis, "--students", "5", "--term", "113-1")).ExitCode.ShouldBe(ExitCodes.Success);

            var (exit, output, error) = await CliRunner.RunAsync("build", "--profile", RepositoryPaths.Combine("samples", "SisProfiles", "demo-sis.profile.json"),
                "--provider", "sqlite", "--connection", sis, "--school", "060322", "--term", "113-1", "--out", Path.Combine(folder, "out"));

            exit.ShouldBe(ExitCodes.UsageOrUnreadable);
            error.ShouldContain("--division");
            Directory.Exists(Path.Combine(folder, "out")).ShouldBeFalse(output);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Build_WithAMissingProfile_IsAUsageErrorWithAMessage()
    {
        var (exit, _, error) = await CliRunner.RunAsync("build", "--profile", "nope.json", "--provider", "sqlite", "--connection", "x.db", "--school", "060322", "--term", "113-1");
        exit.ShouldBe(ExitCodes.UsageOrUnreadable);
        error.ShouldContain("nope.json");
    }

    [Fact]
    public async Task Validate_OnACorruptFile_IsExit2WithADiagnosticAndNoStackTrace()
    {
        var path = Path.Combine(Path.GetTempPath(), $"corrupt-{Guid.NewGuid():N}.xlsx");
        await File.WriteAllBytesAsync(path, [0x50, 0x4B, 0x03, 0x04, 1, 2, 3], TestContext.Current.CancellationToken);
        try
        {
            var (exit, output, error) = await CliRunner.RunAsync("validate", path);
            exit.ShouldBe(ExitCodes.UsageOrUnreadable);
            (output + error).ShouldContain("PF10");
            (output + error).ShouldNotContain("   at ");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
