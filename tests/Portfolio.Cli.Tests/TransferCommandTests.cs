using System.Text;
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

public sealed class TransferCommandTests
{
    private const string Id = "A123456789";
    private const string Name = "王小明";

    private static async Task<string> StoreAsync(string folder, string name, bool seed)
    {
        var path = Path.Combine(folder, name);
        using var dataSource = SqliteFactory.Instance.CreateDataSource($"Data Source={path};Pooling=False");
        var store = new PortfolioStore(dataSource, SqlDialect.Sqlite);
        await store.CreateSchemaAsync();
        if (seed)
        {
            var module = new PortfolioModule(store, new FileSystemContentStore(Path.Combine(folder, "files-" + name)), PortfolioPolicy.Default, TimeProvider.System);
            var student = PortfolioActor.StudentOf("u-1", "S1");
            (await module.UploadCourseOutcomeAsync(student, new CourseOutcomeUpload
            {
                StudentKey = "S1", ClassName = "101", Term = SchoolTerm.Parse("113-1"), CourseCode = CourseCode.Parse("113060322H1110101010101"), CertifyingTeacher = "t-math",
                Summary = "函數圖形的探究：我蒐集資料並畫圖。", Files = [new MemoryStream(Encoding.ASCII.GetBytes("%PDF-1.4\n%%EOF\n"))],
            })).Succeeded.ShouldBeTrue();
            (await module.UploadPerformanceAsync(student, new PerformanceUpload
            {
                StudentKey = "S1", ClassName = "101", Category = "performance-competition", Date = new DateOnly(2024, 9, 20), Summary = "科展：我負責實驗設計。",
                Files = [new MemoryStream(Encoding.ASCII.GetBytes("%PDF-1.4\n% proof\n%%EOF\n"))],
            })).Succeeded.ShouldBeTrue();
        }

        return path;
    }

    [Fact]
    public async Task ExportInspectImport_RoundTrip_WithMaskedOutput_AndExitCodes()
    {
        var folder = Directory.CreateTempSubdirectory("transfer-cli-").FullName;
        try
        {
            var sending = await StoreAsync(folder, "sending.db", seed: true);
            var receiving = await StoreAsync(folder, "receiving.db", seed: false);
            var package = Path.Combine(folder, "S1.zip");

            var (exit, output, error) = await CliRunner.RunAsync("transfer", "export", "--provider", "sqlite", "--connection", sending, "--files", Path.Combine(folder, "files-sending.db"),
                "--student", "S1", "--id", Id, "--name", Name, "--birth", "2007-05-01", "--school", "193301", "--term", "113-1", "--output", package);
            exit.ShouldBe(ExitCodes.Success, error + output);
            File.Exists(package).ShouldBeTrue();
            File.Exists(package + ".partial").ShouldBeFalse();
            output.ShouldNotContain(Id);

            var (inspectExit, inspect) = await CliRunner.RunJsonAsync("transfer", "inspect", package, "--json");
            inspectExit.ShouldBe(ExitCodes.Success);
            inspect.GetProperty("readable").GetBoolean().ShouldBeTrue();
            inspect.GetProperty("recordsRead").GetInt32().ShouldBe(2);
            inspect.GetProperty("student").GetProperty("school").GetString().ShouldBe("193301");
            var (_, text, _) = await CliRunner.RunAsync("transfer", "inspect", package);
            text.ShouldContain("read 2 = accepted 2 + left out 0");
            text.ShouldContain("113060322H1110101010101");
            foreach (var shown in new[] { inspect.ToString(), text })
            {
                shown.ShouldNotContain(Id);
                shown.ShouldNotContain(Name);
            }

            string[] import = ["transfer", "import", "--provider", "sqlite", "--connection", receiving, "--files", Path.Combine(folder, "files-receiving"), "--student", "T9", "--id", Id, "--class", "205", package, "--json"];
            var (importExit, imported) = await CliRunner.RunJsonAsync(import);
            importExit.ShouldBe(ExitCodes.Success);
            (imported.GetProperty("added").GetInt32(), imported.GetProperty("leftOut").GetInt32()).ShouldBe((2, 0));
            var (againExit, again) = await CliRunner.RunJsonAsync(import);
            againExit.ShouldBe(ExitCodes.Success);
            (again.GetProperty("added").GetInt32(), again.GetProperty("alreadyPresent").GetInt32()).ShouldBe((0, 2));

            var (otherExit, _, other) = await CliRunner.RunAsync([.. import[..^1].Select(a => a == Id ? "B123456780" : a)]);
            otherExit.ShouldBe(ExitCodes.Invalid);
            other.ShouldContain("PF6012");
            other.ShouldNotContain(Id);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Inspect_ABrokenPackage_IsUnreadable_WithTheReason()
    {
        var path = Path.Combine(Path.GetTempPath(), $"broken-{Guid.NewGuid():N}.zip");
        try
        {
            await File.WriteAllBytesAsync(path, Encoding.ASCII.GetBytes("PK\u0003\u0004 truncated"), TestContext.Current.CancellationToken);
            var (exit, json) = await CliRunner.RunJsonAsync("transfer", "inspect", path, "--json");
            exit.ShouldBe(ExitCodes.UsageOrUnreadable);
            json.GetProperty("readable").GetBoolean().ShouldBeFalse();
            json.GetProperty("diagnostics")[0].GetProperty("code").GetString().ShouldBe("PF6001");
        }
        finally
        {
            File.Delete(path);
        }
    }
}
