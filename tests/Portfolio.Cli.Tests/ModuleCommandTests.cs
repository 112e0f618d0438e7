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

public sealed class ModuleCommandTests
{
    private static readonly SchoolTerm Term = SchoolTerm.Parse("113-1");

    private static readonly CourseCode Course = CourseCode.Parse("113060322H1110101010101");

    private static async Task<string> SeedAsync(string folder)
    {
        var path = Path.Combine(folder, "module.db");
        using var dataSource = SqliteFactory.Instance.CreateDataSource($"Data Source={path};Pooling=False");
        var store = new PortfolioStore(dataSource, SqlDialect.Sqlite);
        await store.CreateSchemaAsync();
        var module = new PortfolioModule(store, new FileSystemContentStore(Path.Combine(folder, "files")), PortfolioPolicy.Default, TimeProvider.System);
        var teacher = new PortfolioActor("t-math", new HashSet<PortfolioRole> { PortfolioRole.CourseTeacher });
        async Task<CourseOutcome> UploadAsync(string student, string @class)
        {
            var actor = PortfolioActor.StudentOf("u-" + student, student);
            return (await module.UploadCourseOutcomeAsync(actor, new CourseOutcomeUpload
            {
                StudentKey = student, ClassName = @class, Term = Term, CourseCode = Course, CertifyingTeacher = "t-math",
                Summary = "函數圖形的探究：我蒐集資料並畫圖，學到用圖形檢驗猜想。", Files = [new MemoryStream(Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n"))],
            })).Value!;
        }

        var first = await UploadAsync("A123456789", "101");
        var student = PortfolioActor.StudentOf("u-A123456789", "A123456789");
        first = (await module.SendForCertificationAsync(student, first.Id, first.Version)).Value!;
        first = (await module.CertifyAsync(teacher, first.Id, first.Version)).Value!;
        await store.RecordCreditedCoursesAsync("A123456789", "101", Term, [Course]);
        (await module.SelectCourseOutcomeAsync(student, first.Id, first.Version, Term.Year)).Succeeded.ShouldBeTrue();
        await UploadAsync("B223456789", "101");
        await store.RecordCreditedCoursesAsync("C123456789", "201", Term, [Course]);
        return path;
    }

    [Fact]
    public async Task Stats_Json_GivesRatesByGradeClassAndTeacher()
    {
        var folder = Directory.CreateTempSubdirectory("module-cli-").FullName;
        try
        {
            var path = await SeedAsync(folder);
            var (exit, output, error) = await CliRunner.RunAsync("module", "stats", "--provider", "sqlite", "--connection", path, "--year", "113", "--json");

            exit.ShouldBe(ExitCodes.Success, error);
            using var json = JsonDocument.Parse(output);
            var classes = json.RootElement.GetProperty("classes").EnumerateArray().ToDictionary(c => c.GetProperty("key").GetString()!);
            classes["101"].GetProperty("students").GetInt32().ShouldBe(2);
            classes["101"].GetProperty("uploaded").GetInt32().ShouldBe(2);
            classes["101"].GetProperty("sent").GetInt32().ShouldBe(1);
            classes["101"].GetProperty("certificationRate").GetDouble().ShouldBe(1);
            classes["101"].GetProperty("selectionRate").GetDouble().ShouldBe(0.5);
            classes["201"].GetProperty("students").GetInt32().ShouldBe(1);
            classes["201"].GetProperty("uploadRate").GetDouble().ShouldBe(0);
            json.RootElement.GetProperty("grades").EnumerateArray().Select(g => g.GetProperty("key").GetString()).ShouldBe(["1", "2"]);
            json.RootElement.GetProperty("teachers").EnumerateArray().Single().GetProperty("certified").GetInt32().ShouldBe(1);

            var (classExit, classOutput, _) = await CliRunner.RunAsync("module", "stats", "--provider", "sqlite", "--connection", path, "--year", "113", "--class", "101");
            classExit.ShouldBe(ExitCodes.Success);
            classOutput.ShouldContain("nothing selected yet: 1 of 2");
            classOutput.ShouldNotContain("A123456789");
            classOutput.ShouldNotContain("B223456789");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task ConfirmationSheet_OfAStudentAndOfAClass_IsAPdfWithTheMaskedIdAndTheTitles()
    {
        var folder = Directory.CreateTempSubdirectory("module-cli-sheet-").FullName;
        try
        {
            var path = await SeedAsync(folder);
            var pdf = Path.Combine(folder, "out", "a.pdf");
            var (exit, output, error) = await CliRunner.RunAsync("module", "confirmation-sheet", "--provider", "sqlite", "--connection", path, "--year", "113",
                "--student", "a123456789", "--out", pdf, "--school-name", "國立範例高中");
            exit.ShouldBe(ExitCodes.Success, error);
            output.ShouldContain("printed 1 confirmation sheets (1 items)");
            var text = await Portfolio.Sdk.Documents.Tests.PdfTools.RunAsync("pdftotext", pdf, "-");
            text.ShouldContain("A12****789");
            text.ShouldContain("函數圖形的探究");
            text.ShouldContain("未提交");   // selected, but no roster submission locked it yet
            text.ShouldNotContain("A123456789");

            var classPdf = Path.Combine(folder, "class.pdf");
            var (classExit, classOutput, classError) = await CliRunner.RunAsync("module", "confirmation-sheet", "--provider", "sqlite", "--connection", path, "--year", "113",
                "--class", "101", "--out", classPdf);
            classExit.ShouldBe(ExitCodes.Success, classError);
            classOutput.ShouldContain("printed 2 confirmation sheets");
            (await Portfolio.Sdk.Documents.Tests.PdfTools.RunAsync("pdfinfo", classPdf)).ShouldMatch(@"Pages:\s+2\s");

            (await CliRunner.RunAsync("module", "confirmation-sheet", "--provider", "sqlite", "--connection", path, "--year", "113", "--out", pdf)).ExitCode.ShouldBe(ExitCodes.UsageOrUnreadable);
            (await CliRunner.RunAsync("module", "confirmation-sheet", "--provider", "sqlite", "--connection", path, "--year", "113", "--student", "A123456789", "--class", "101", "--out", pdf)).ExitCode
                .ShouldBe(ExitCodes.UsageOrUnreadable);
            var (fontExit, _, fontError) = await CliRunner.RunAsync("module", "confirmation-sheet", "--provider", "sqlite", "--connection", path, "--year", "113",
                "--student", "A123456789", "--out", pdf, "--font", Path.Combine(folder, "missing.ttc"));
            fontExit.ShouldBe(ExitCodes.UsageOrUnreadable);
            fontError.ShouldContain("PF6101");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Stats_OnADatabaseWithoutTheStore_IsAUsageError()
    {
        var path = Path.Combine(Path.GetTempPath(), $"empty-{Guid.NewGuid():N}.db");
        try
        {
            var (exit, _, error) = await CliRunner.RunAsync("module", "stats", "--provider", "sqlite", "--connection", path, "--year", "113");
            exit.ShouldBe(ExitCodes.UsageOrUnreadable);
            error.ShouldContain("schema version");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
