using System.Text;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Documents.Tests;

/// <summary>
/// The 確認單 from a real store (SQLite, PostgreSQL): the items selected and submitted, printed as PDF with the CJK font
/// embedded, checked with poppler (rendered not blank; the masked ID and the Chinese titles extracted back).
/// </summary>
public sealed class ConfirmationSheetTests
{
    public const string StudentKey = "A123456789";
    public const string OtherKey = "B123456780";
    private const string OutcomeTitle = "函數圖形的探究報告：蒐集資料並畫出圖形";
    private const string PerformanceTitle = "全國科展化學組第二名";
    private static readonly SchoolYear Year = new(113);
    private static readonly PortfolioActor Teacher = new("t-math", new HashSet<PortfolioRole> { PortfolioRole.CourseTeacher });
    private static readonly PortfolioActor CourseStaff = new("staff-course", new HashSet<PortfolioRole> { PortfolioRole.CourseOutcomeSubmitter });
    private static readonly PortfolioActor PerformanceStaff = new("staff-perf", new HashSet<PortfolioRole> { PortfolioRole.PerformanceSubmitter });
    private static readonly PortfolioActor Homeroom = new("t-101", new HashSet<PortfolioRole> { PortfolioRole.HomeroomTeacher }) { Classes = new HashSet<string> { "101" } };
    private static readonly PortfolioActor OtherHomeroom = new("t-102", new HashSet<PortfolioRole> { PortfolioRole.HomeroomTeacher }) { Classes = new HashSet<string> { "102" } };

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Sheet_OfAStudent_PrintsTheSubmittedItemsWithTheMaskedIdAndChineseTitles(string provider)
    {
        await using var store = await StoreAsync(provider);
        var sheets = new ConfirmationSheets(store.Module);
        var outcomeId = await SubmittedOutcomeAsync(store.Module, StudentKey);
        await SubmittedPerformanceAsync(store.Module, StudentKey);
        await SubmittedOutcomeAsync(store.Module, OtherKey);

        var built = await sheets.BuildAsync(PortfolioActor.StudentOf("u-a", StudentKey), StudentKey, Year, cancellationToken: Token);
        built.Succeeded.ShouldBeTrue(built.Problem?.MessageEnglish);
        var sheet = built.Value!;
        sheet.ClassName.ShouldBe("101");
        sheet.Items.Count.ShouldBe(2);
        var outcome = sheet.Items[0];
        outcome.Kind.ShouldBe(ConfirmationItemKind.CourseOutcome);
        outcome.Title.ShouldBe(OutcomeTitle);
        outcome.Term.ShouldBe("113-1");
        outcome.Certification.ShouldBe(CertificationState.Certified);
        outcome.SubmittedOn.ShouldBe(new DateOnly(2024, 10, 15));
        sheet.Items[1].Title.ShouldBe(PerformanceTitle);
        sheet.Items[1].Category.ShouldBe("競賽參與紀錄");
        sheet.ToString().ShouldNotContain(StudentKey);

        // Only one's own sheet, or the 導師's class.
        (await sheets.BuildAsync(PortfolioActor.StudentOf("u-b", OtherKey), StudentKey, Year, cancellationToken: Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        (await sheets.BuildAsync(OtherHomeroom, StudentKey, Year, "101", Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        (await sheets.BuildAsync(Homeroom, StudentKey, Year, cancellationToken: Token)).Succeeded.ShouldBeTrue();
        outcomeId.ShouldNotBe(Guid.Empty);

        var folder = Directory.CreateTempSubdirectory("confirmation-sheet-").FullName;
        try
        {
            var pdf = Path.Combine(folder, "sheet.pdf");
            await using (var file = File.Create(pdf))
            {
                await Renderer().WriteAsync([sheet], file, Token);
            }

            if (Environment.GetEnvironmentVariable("PORTFOLIO_SHEET_OUT") is { Length: > 0 } keep)
            {
                File.Copy(pdf, Path.Combine(keep, $"sheet-{provider}.pdf"), overwrite: true);   // to look at it
            }

            var text = await PdfTools.RunAsync("pdftotext", "-layout", pdf, "-");
            text.ShouldContain(Redaction.MaskIdentifier(StudentKey));
            text.ShouldNotContain(StudentKey);
            text.ShouldContain("函數圖形的探究報告");
            text.ShouldContain(PerformanceTitle);
            text.ShouldContain("學生簽名");
            text.ShouldContain("家長簽名");
            text.ShouldContain("2024-10-15");
            (await PdfTools.InkRatioAsync(pdf)).ShouldBeGreaterThan(0.005);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Sheets_OfAClass_ForTheHomeroomTeacher_OnePagePerStudent_AndTheSameBytesEachTime()
    {
        await using var store = await StoreAsync("sqlite");
        await SubmittedOutcomeAsync(store.Module, StudentKey);
        await SubmittedPerformanceAsync(store.Module, OtherKey);
        var sheets = new ConfirmationSheets(store.Module);

        (await sheets.BuildClassAsync(OtherHomeroom, Year, "101", Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        (await sheets.BuildClassAsync(PortfolioActor.StudentOf("u-a", StudentKey), Year, "101", Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        var built = await sheets.BuildClassAsync(Homeroom, Year, "101", Token);
        built.Succeeded.ShouldBeTrue(built.Problem?.MessageEnglish);
        built.Value!.Select(s => s.StudentKey).ShouldBe([StudentKey, OtherKey]);

        var first = Renderer().Render(built.Value, Token);
        var second = Renderer().Render(built.Value, Token);
        var folder = Directory.CreateTempSubdirectory("confirmation-class-").FullName;
        try
        {
            var pdf = Path.Combine(folder, "class.pdf");
            await File.WriteAllBytesAsync(pdf, first, Token);
            if (Environment.GetEnvironmentVariable("PORTFOLIO_SHEET_OUT") is { Length: > 0 } keep)
            {
                await File.WriteAllBytesAsync(Path.Combine(keep, "class.pdf"), first, Token);
                await File.WriteAllBytesAsync(Path.Combine(keep, "class-again.pdf"), second, Token);
            }

            var differsAt = first.AsSpan().CommonPrefixLength(second);
            (differsAt == first.Length && first.Length == second.Length).ShouldBeTrue($"the second rendering differs at byte {differsAt}");

            var info = await PdfTools.RunAsync("pdfinfo", pdf);
            info.ShouldMatch(@"Pages:\s+2\s");
            var text = await PdfTools.RunAsync("pdftotext", pdf, "-");
            text.ShouldContain(Redaction.MaskIdentifier(OtherKey));
            text.ShouldContain(Redaction.MaskIdentifier(StudentKey));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Font_MissingOrWithoutTheFamily_IsAPortfolioExceptionWithItsCode()
    {
        var sheet = new ConfirmationSheet(Year, StudentKey, "101", []);
        var missing = await Should.ThrowAsync<PortfolioException>(() => new ConfirmationSheetPdf(new ConfirmationSheetOptions { FontPath = "/nonexistent/font.ttc" }).WriteAsync([sheet], Stream.Null, Token));
        missing.Diagnostic!.Code.ShouldBe(DiagnosticCodes.ConfirmationSheetFontMissing);
        var font = ConfirmationSheetOptions.DefaultFontPaths.FirstOrDefault(File.Exists);
        if (font is null)
        {
            PdfTools.Require("fonts-noto-cjk");
        }

        var family = await Should.ThrowAsync<PortfolioException>(() => new ConfirmationSheetPdf(new ConfirmationSheetOptions { FontPath = font, FontFamily = "No Such Family" }).WriteAsync([sheet], Stream.Null, Token));
        family.Diagnostic!.Code.ShouldBe(DiagnosticCodes.ConfirmationSheetFontFace);
    }

    internal static ConfirmationSheetPdf Renderer() =>
        new(new ConfirmationSheetOptions { SchoolName = "國立範例高級中學" }, new FakeTimeProvider(new DateTimeOffset(2025, 6, 20, 2, 0, 0, TimeSpan.Zero)));

    private static async Task<Guid> SubmittedOutcomeAsync(PortfolioModule module, string student)
    {
        var actor = PortfolioActor.StudentOf("u-" + student, student);
        var uploaded = await module.UploadCourseOutcomeAsync(actor, new CourseOutcomeUpload
        {
            StudentKey = student,
            ClassName = "101",
            Term = SchoolTerm.Parse("113-1"),
            CourseCode = CourseCode.Parse("113060322H1110101010101"),
            Summary = OutcomeTitle,
            CertifyingTeacher = "t-math",
            Files = [Pdf()],
        }, Token);
        uploaded.Succeeded.ShouldBeTrue(uploaded.Problem?.MessageEnglish);
        var sent = await module.SendForCertificationAsync(actor, uploaded.Value!.Id, uploaded.Value.Version, Token);
        var certified = await module.CertifyAsync(Teacher, sent.Value!.Id, sent.Value.Version, Token);
        await module.Store.RecordCreditedCoursesAsync(student, "101", certified.Value!.Term, [certified.Value.CourseCode], Token);
        var selected = await module.SelectCourseOutcomeAsync(actor, certified.Value.Id, certified.Value.Version, Year, Token);
        selected.Succeeded.ShouldBeTrue(selected.Problem?.MessageEnglish);
        var locked = await module.LockCourseOutcomeAsync(CourseStaff, selected.Value!.Id, selected.Value.Version, Token);
        locked.Succeeded.ShouldBeTrue(locked.Problem?.MessageEnglish);
        return locked.Value!.Id;
    }

    private static async Task SubmittedPerformanceAsync(PortfolioModule module, string student)
    {
        var actor = PortfolioActor.StudentOf("u-" + student, student);
        var uploaded = await module.UploadPerformanceAsync(actor, new PerformanceUpload
        {
            StudentKey = student,
            ClassName = "101",
            Category = "performance-competition",
            Date = new DateOnly(2024, 9, 20),
            Summary = "我負責實驗設計與數據分析。",
            FieldsJson = $$"""{ "competitionName": "{{PerformanceTitle}}" }""",
            Files = [Pdf()],
        }, Token);
        uploaded.Succeeded.ShouldBeTrue(uploaded.Problem?.MessageEnglish);
        var selected = await module.SelectPerformanceAsync(actor, uploaded.Value!.Id, uploaded.Value.Version, Year, Year, Token);
        selected.Succeeded.ShouldBeTrue(selected.Problem?.MessageEnglish);
        (await module.LockPerformanceAsync(PerformanceStaff, selected.Value!.Id, selected.Value.Version, Token)).Succeeded.ShouldBeTrue();
    }

    private static MemoryStream Pdf() => new(Encoding.ASCII.GetBytes($"%PDF-1.4\n% proof {Guid.NewGuid()}\n%%EOF\n"));

    private static async Task<TestStore> StoreAsync(string provider)
    {
        var database = provider == "sqlite" ? TestSisDatabase.Sqlite() : await TestSisDatabase.PostgresAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 10, 15, 2, 0, 0, TimeSpan.Zero));
        var store = new PortfolioStore(database.DataSource, database.Dialect, clock);
        await store.CreateSchemaAsync(Token);
        var root = Path.Combine(Path.GetTempPath(), $"sheet-files-{Guid.NewGuid():N}");
        return new TestStore(database, new PortfolioModule(store, new FileSystemContentStore(root), PortfolioPolicy.Default, clock), root);
    }

    private sealed class TestStore(TestSisDatabase database, PortfolioModule module, string root) : IAsyncDisposable
    {
        public PortfolioModule Module { get; } = module;

        public async ValueTask DisposeAsync()
        {
            await database.DisposeAsync();
            if (Directory.Exists(root))
            {
                Directory.Delete(root, recursive: true);
            }
        }
    }
}
