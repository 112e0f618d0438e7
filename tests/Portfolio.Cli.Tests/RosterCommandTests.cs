using System.Text.Json;

namespace Portfolio.Cli.Tests;

public sealed class RosterCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("portfolio-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task List_Json_HasBooksWithCadenceAndSheetColumns()
    {
        var (exitCode, json) = await CliRunner.RunJsonAsync("roster", "list", "--year", "113", "--json");

        exitCode.ShouldBe(0);
        json.GetArrayLength().ShouldBe(8);
        var grades = json.EnumerateArray().Single(b => b.GetProperty("id").GetString() == "grades");
        grades.GetProperty("name").GetString().ShouldBe("學生成績名冊");
        grades.GetProperty("cadence").GetString().ShouldBe("semester");
        var sheet = grades.GetProperty("sheets")[0];
        sheet.GetProperty("section").GetString().ShouldBe("4.2");
        sheet.GetProperty("name").GetString().ShouldBe("學期成績");
        sheet.GetProperty("columns")[0].GetString().ShouldBe("身分證號");
        json.EnumerateArray().Single(b => b.GetProperty("id").GetString() == "performances").GetProperty("cadence").GetString().ShouldBe("year");
    }

    [Fact]
    public async Task List_YearChangesTheColumns()
    {
        static async Task<int> RepeatYearColumns(string year)
        {
            var (_, json) = await CliRunner.RunJsonAsync("roster", "list", "--year", year, "--json");
            return json.EnumerateArray().Single(b => b.GetProperty("id").GetString() == "retake-grades")
                .GetProperty("sheets")[1].GetProperty("columns").GetArrayLength();
        }

        (await RepeatYearColumns("113") - await RepeatYearColumns("108")).ShouldBe(2);
    }

    [Fact]
    public async Task Template_ThenValidateAndInspect_AreClean()
    {
        var file = Path.Combine(_directory, "performances.xlsx");

        var (templateExit, _, _) = await CliRunner.RunAsync("roster", "template", "--book", "performances", "--year", "113", "--school", "060322", "--out", file);
        var (validateExit, json) = await CliRunner.RunJsonAsync("roster", "validate", file, "--json");
        var (inspectExit, inspect) = await CliRunner.RunJsonAsync("roster", "inspect", file, "--json");

        templateExit.ShouldBe(0);
        validateExit.ShouldBe(0);
        json[0].GetProperty("valid").GetBoolean().ShouldBeTrue();
        json[0].GetProperty("book").GetString().ShouldBe("performances");
        json[0].GetProperty("cover").GetProperty("term").GetInt32().ShouldBe(0);
        inspectExit.ShouldBe(0);
        inspect.GetProperty("cover").GetProperty("schoolCode").GetString().ShouldBe("060322");
        inspect.GetProperty("sheets").GetArrayLength().ShouldBe(10);
        inspect.GetProperty("sheets").EnumerateArray().ShouldAllBe(s => s.GetProperty("rows").GetInt32() == 0);
    }

    [Fact]
    public async Task Validate_CorruptFile_ExitsTwoWithAClearMessageAndNoStackTrace()
    {
        var file = Path.Combine(_directory, "corrupt.xlsx");
        await File.WriteAllBytesAsync(file, [0x50, 0x4B, 0x03, 0x04, 1, 2, 3], TestContext.Current.CancellationToken);

        var (exitCode, output, error) = await CliRunner.RunAsync("roster", "validate", file);

        exitCode.ShouldBe(2);
        output.ShouldContain("PF1001");
        (output + error).ShouldNotContain("   at ");
    }

    [Fact]
    public async Task Validate_MissingFile_ExitsTwo()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("roster", "validate", Path.Combine(_directory, "nope.xlsx"));

        exitCode.ShouldBe(2);
        error.ShouldContain("nope.xlsx");
    }

    [Fact]
    public async Task Validate_TestSchoolCover_ExitsOneWithLocation()
    {
        var file = Path.Combine(_directory, "test-school.xlsx");
        await CliRunner.RunAsync("roster", "template", "--book", "grades", "--year", "113", "--school", "000000", "--out", file);

        var (exitCode, json) = await CliRunner.RunJsonAsync("roster", "validate", file, "--json");

        exitCode.ShouldBe(1);
        var diagnostic = json[0].GetProperty("diagnostics").EnumerateArray().Single();
        diagnostic.GetProperty("code").GetString().ShouldBe("PF1005");
        diagnostic.GetProperty("location").GetProperty("sheet").GetString().ShouldBe("封面");
        diagnostic.GetProperty("location").GetProperty("row").GetInt32().ShouldBe(2);
    }

    [Fact]
    public async Task VerifyPackage_NotAZip_ExitsTwo_AndAMissingFile_ExitsTwo()
    {
        var file = Path.Combine(_directory, "p.zip");
        await File.WriteAllTextAsync(file, "not a zip", TestContext.Current.CancellationToken);

        var (exitCode, json) = await CliRunner.RunJsonAsync("roster", "verify-package", file, "--json");
        var (missingExit, _, _) = await CliRunner.RunAsync("roster", "verify-package", Path.Combine(_directory, "none.zip"));

        exitCode.ShouldBe(2);
        json.GetProperty("diagnostics")[0].GetProperty("code").GetString().ShouldBe("PF1301");
        missingExit.ShouldBe(2);
    }

    [Fact]
    public async Task Template_UnknownBook_ExitsTwo()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("roster", "template", "--book", "nope", "--year", "113", "--out", Path.Combine(_directory, "x.xlsx"));

        exitCode.ShouldBe(2);
        error.ShouldContain("grades");
    }
}
