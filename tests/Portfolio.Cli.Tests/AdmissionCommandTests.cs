using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Portfolio.Cli;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Cli.Tests;

/// <summary><c>portfolio admission check</c> on a SQLite store seeded through the module: counts, codes, masking, exit codes.</summary>
public sealed class AdmissionCommandTests : IDisposable
{
    private const string StudentKey = "A123456789";

    private readonly string _folder = Directory.CreateTempSubdirectory("admission-cli-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static CourseCode Course(string attribute) => CourseCode.Parse($"111060322V21301010{attribute}0101");

    // Two submitted 實習科目 outcomes (111, 112), one 一般科目 (112), a competition (111) and a 先修課程 (112); one outcome
    // selected but not submitted.
    private async Task<string> SeedAsync()
    {
        var path = Path.Combine(_folder, "module.db");
        using var dataSource = SqliteFactory.Instance.CreateDataSource($"Data Source={path};Pooling=False");
        var store = new PortfolioStore(dataSource, SqlDialect.Sqlite);
        await store.CreateSchemaAsync();
        var module = new PortfolioModule(store, new FileSystemContentStore(Path.Combine(_folder, "files")), PortfolioPolicy.Default, TimeProvider.System);
        var student = PortfolioActor.StudentOf("u-student", StudentKey);
        var teacher = new PortfolioActor("t-math", new HashSet<PortfolioRole> { PortfolioRole.CourseTeacher });
        var courseStaff = new PortfolioActor("staff-course", new HashSet<PortfolioRole> { PortfolioRole.CourseOutcomeSubmitter });
        var performanceStaff = new PortfolioActor("staff-perf", new HashSet<PortfolioRole> { PortfolioRole.PerformanceSubmitter });
        Stream Pdf() => new MemoryStream(Encoding.ASCII.GetBytes($"%PDF-1.4\n% {Guid.NewGuid()}\n%%EOF\n"));

        async Task OutcomeAsync(string attribute, string term, bool submit = true)
        {
            var t = SchoolTerm.Parse(term);
            var o = (await module.UploadCourseOutcomeAsync(student, new CourseOutcomeUpload
            {
                StudentKey = StudentKey, ClassName = "301", Term = t, CourseCode = Course(attribute), CertifyingTeacher = "t-math",
                Summary = "專題實作：我設計電路並量測，學到如何除錯。", Files = [Pdf()],
            })).Value!;
            o = (await module.SendForCertificationAsync(student, o.Id, o.Version)).Value!;
            o = (await module.CertifyAsync(teacher, o.Id, o.Version)).Value!;
            await store.RecordCreditedCoursesAsync(StudentKey, "301", t, [o.CourseCode]);
            o = (await module.SelectCourseOutcomeAsync(student, o.Id, o.Version, t.Year)).Value!;
            if (submit)
            {
                (await module.LockCourseOutcomeAsync(courseStaff, o.Id, o.Version)).Succeeded.ShouldBeTrue();
            }
        }

        async Task PerformanceAsync(string category, DateOnly date, int year)
        {
            var p = (await module.UploadPerformanceAsync(student, new PerformanceUpload
            {
                StudentKey = StudentKey, ClassName = "301", Category = category, Date = date, Summary = "參加比賽：我負責設計。", Files = [Pdf()],
            })).Value!;
            p = (await module.SelectPerformanceAsync(student, p.Id, p.Version, new SchoolYear(year), new SchoolYear(111))).Value!;
            (await module.LockPerformanceAsync(performanceStaff, p.Id, p.Version)).Succeeded.ShouldBeTrue();
        }

        await OutcomeAsync("3", "111-1");
        await OutcomeAsync("3", "112-1");
        await OutcomeAsync("1", "112-2");
        await OutcomeAsync("3", "112-2", submit: false);
        await PerformanceAsync("performance-competition", new DateOnly(2023, 3, 1), 111);
        await PerformanceAsync("performance-precollege", new DateOnly(2023, 10, 1), 112);
        return path;
    }

    [Fact]
    public async Task Check_Json_GivesCapsCodesAndUnplacedItems_WithTheStudentMasked()
    {
        var path = await SeedAsync();

        var (exit, output, error) = await CliRunner.RunAsync("admission", "check", "--student", StudentKey, "--year", "113", "--provider", "sqlite", "--connection", path, "--json");

        exit.ShouldBe(ExitCodes.Success, error);
        output.ShouldNotContain(StudentKey);
        using var json = JsonDocument.Parse(output);
        var root = json.RootElement;
        root.GetProperty("student").GetString().ShouldBe(Portfolio.Sdk.Privacy.Redaction.MaskIdentifier(StudentKey));
        root.GetProperty("items").GetArrayLength().ShouldBe(5);
        var routes = root.GetProperty("routes").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
        var vocational = routes["vocational-selection"];
        var caps = vocational.GetProperty("caps").EnumerateArray().ToDictionary(c => c.GetProperty("id").GetString()!);
        caps["B-1"].GetProperty("available").GetInt32().ShouldBe(2);
        caps["B-1"].GetProperty("max").GetInt32().ShouldBe(3);
        caps["B-1"].GetProperty("min").GetInt32().ShouldBe(1);
        caps["B-1"].GetProperty("evidence").GetString().ShouldBe("C-3p");
        caps["B-2"].GetProperty("available").GetInt32().ShouldBe(1);
        caps["C"].GetProperty("available").GetInt32().ShouldBe(1);
        vocational.GetProperty("mostItems").GetInt32().ShouldBe(4);
        vocational.GetProperty("edition").GetProperty("from").GetInt32().ShouldBe(113);
        var unplaced = vocational.GetProperty("unplaced").EnumerateArray().Single();
        unplaced.GetProperty("reason").GetProperty("code").GetString().ShouldBe("PF3604");
        var university = routes["university-application"].GetProperty("caps").EnumerateArray().Select(c => (c.GetProperty("id").GetString(), c.GetProperty("available").GetInt32(), c.GetProperty("counted").GetInt32()));
        university.ShouldBe([("course-outcomes", 3, 3), ("performances", 2, 2)]);
        var competition = root.GetProperty("items").EnumerateArray().Single(i => i.TryGetProperty("category", out var c) && c.GetString() == "performance-competition");
        competition.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("route").GetString() == "vocational-selection").GetProperty("codes")[0].GetString().ShouldBe("C-5");
        root.GetProperty("diagnostics").EnumerateArray().Select(d => d.GetProperty("code").GetString()).ShouldContain("PF3602");   // 大學 sources end at 112
    }

    [Fact]
    public async Task Check_Text_ShowsEachRouteAndItem_AndAYearWithoutRulesExitsOne()
    {
        var path = await SeedAsync();

        var (exit, output, error) = await CliRunner.RunAsync("admission", "check", "--student", StudentKey, "--year", "113", "--provider", "sqlite", "--connection", path);
        exit.ShouldBe(ExitCodes.Success, error);
        output.ShouldContain("四技二專甄選入學");
        output.ShouldContain("B-1");
        output.ShouldContain("most items one 校系 counts: 4");
        output.ShouldContain("PF3604");
        output.ShouldContain(Portfolio.Sdk.Privacy.Redaction.MaskIdentifier(StudentKey));
        output.ShouldNotContain(StudentKey);

        var (oldExit, oldOutput, _) = await CliRunner.RunAsync("admission", "check", "--student", StudentKey, "--year", "110", "--provider", "sqlite", "--connection", path);
        oldExit.ShouldBe(ExitCodes.Invalid);
        oldOutput.ShouldContain("PF3601");
    }

    [Fact]
    public async Task Check_WithNewerRules_LayersThem_AndABrokenFileIsRefusedWithThePath()
    {
        var path = await SeedAsync();
        var newer = Path.Combine(_folder, "newer.json");
        await File.WriteAllTextAsync(newer, """
            { "revision": "vendor", "routes": [ { "id": "vocational-selection", "name": "四技二專甄選入學", "editions": [ { "from": 113, "sourcedThrough": 113,
              "itemCodes": [ { "code": "B-1", "name": "專題", "courseOutcomeAttributes": [ "3" ] } ], "caps": [ { "id": "B-1", "codes": [ "B-1" ], "max": 1 } ] } ] } ] }
            """, TestContext.Current.CancellationToken);

        var (exit, output, error) = await CliRunner.RunAsync("admission", "check", "--student", StudentKey, "--year", "113", "--provider", "sqlite", "--connection", path, "--rules", newer, "--json");
        exit.ShouldBe(ExitCodes.Success, error);
        using var json = JsonDocument.Parse(output);
        json.RootElement.GetProperty("rulesRevision").GetString().ShouldBe("2026.11.1+vendor");
        var vocational = json.RootElement.GetProperty("routes").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "vocational-selection");
        vocational.GetProperty("mostItems").GetInt32().ShouldBe(1);
        vocational.GetProperty("unplaced").GetArrayLength().ShouldBe(3);

        await File.WriteAllTextAsync(newer, """{ "routes": [ { "id": "x", "name": "X", "edtions": [] } ] }""", TestContext.Current.CancellationToken);
        var (badExit, _, badError) = await CliRunner.RunAsync("admission", "check", "--student", StudentKey, "--year", "113", "--provider", "sqlite", "--connection", path, "--rules", newer);
        badExit.ShouldBe(ExitCodes.UsageOrUnreadable);
        badError.ShouldContain("PF3002");
        badError.ShouldContain("routes[0].edtions");
    }

    [Fact]
    public async Task Check_UsageErrors_ExitTwo()
    {
        (await CliRunner.RunAsync("admission", "check", "--student", StudentKey, "--year", "113", "--provider", "oracle", "--connection", "x")).ExitCode.ShouldBe(ExitCodes.UsageOrUnreadable);
        (await CliRunner.RunAsync("admission", "check", "--student", " ", "--year", "113", "--provider", "sqlite", "--connection", Path.Combine(_folder, "none.db"))).ExitCode.ShouldBe(ExitCodes.UsageOrUnreadable);
        (await CliRunner.RunAsync("admission", "check", "--student", StudentKey, "--year", "113", "--provider", "sqlite", "--connection", Path.Combine(_folder, "empty.db"))).ExitCode.ShouldBe(ExitCodes.UsageOrUnreadable);
    }
}
