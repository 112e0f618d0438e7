using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Policy;

namespace Portfolio.Sdk.Tests.Policy;

public sealed class UploadChecksTests
{
    private static readonly byte[] Pdf = "%PDF-1.7\n%xx"u8.ToArray();
    private static readonly byte[] Mp4 = [0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6D, 0x70, 0x34, 0x32];
    private static readonly PortfolioPolicy Policy = new(PortfolioPolicy.Default.National, new SchoolPolicy
    {
        CourseOutcomeUploadsPerTerm = 6,
        CourseOutcomeUploadsPerSubject = 5,
        PerformanceUploadsPerYear = 20,
        StorageQuotaBytes = 200L << 20,
        Windows = [new PolicyWindow(PolicyWindowKind.Upload, SchoolTerm.Parse("113-1"), new DateOnly(2024, 8, 1), new DateOnly(2025, 2, 14))],
    });

    private static UploadRequest Request(UploadKind kind = UploadKind.CourseOutcome, byte[]? header = null, long length = 1 << 20, string? summary = "我負責實驗設計與資料分析，學到了控制變因。") => new()
    {
        Kind = kind, Term = SchoolTerm.Parse("113-1"), Today = new DateOnly(2024, 12, 1), Summary = summary, FileHeader = header ?? Pdf, FileLength = length,
    };

    private static List<string> Codes(UploadRequest request, PortfolioPolicy? policy = null) =>
        UploadChecks.Check(request, policy ?? Policy).Select(d => d.Code).ToList();

    [Fact]
    public void ValidUpload_HasNoProblems()
    {
        Codes(Request()).ShouldBeEmpty();
        Codes(Request(header: Mp4, length: 9L << 20)).ShouldBeEmpty();
    }

    [Fact]
    public void FileType_IsJudgedByContent()
    {
        Codes(Request(header: "MZ\u0090\0exe"u8.ToArray())).ShouldBe([DiagnosticCodes.FileTypeUnsupported]);
        Codes(Request(UploadKind.Counseling, header: Mp4, summary: null)).ShouldBe([DiagnosticCodes.FileTypeNotAllowed]);
    }

    [Theory]
    [InlineData(UploadKind.CourseOutcome, false, 4L << 20, 113, false)]
    [InlineData(UploadKind.CourseOutcome, false, (4L << 20) + 1, 113, true)]
    [InlineData(UploadKind.CourseOutcome, false, 3L << 20, 108, true)]
    [InlineData(UploadKind.Performance, true, 10L << 20, 113, false)]
    [InlineData(UploadKind.Performance, true, 6L << 20, 108, true)]
    [InlineData(UploadKind.Counseling, false, 3L << 20, 113, true)]
    public void Size_DependsOnKindAndYear(UploadKind kind, bool media, long length, int year, bool tooLarge)
    {
        var request = Request(kind, media ? Mp4 : Pdf, length) with { Term = new SchoolTerm(new SchoolYear(year), Term.First) };
        var policy = new PortfolioPolicy(PortfolioPolicy.Default.National);

        Codes(request, policy).Contains(DiagnosticCodes.FileTooLarge).ShouldBe(tooLarge);
    }

    [Fact]
    public void Summary_IsRequiredAndCountedAsCharactersAPersonSees()
    {
        Codes(Request(summary: " ")).ShouldBe([DiagnosticCodes.SummaryRequired]);
        Codes(Request(summary: new string('字', 100))).ShouldBeEmpty();
        Codes(Request(summary: new string('字', 101))).ShouldBe([DiagnosticCodes.SummaryTooLong]);

        // 100 emoji with skin tones are 100 characters to a person, though 400 UTF-16 units.
        Codes(Request(summary: string.Concat(Enumerable.Repeat("👍🏽", 100)))).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("如附檔")]
    [InlineData("詳見附件。")]
    [InlineData("謝謝老師！")]
    [InlineData("無")]
    public void SummaryThatSaysNothing_IsAWarning(string summary)
    {
        var diagnostic = UploadChecks.Check(Request(summary: summary), Policy).Single();

        diagnostic.Code.ShouldBe(DiagnosticCodes.SummarySaysNothing);
        diagnostic.Severity.ShouldBe(DiagnosticSeverity.Warning);
    }

    [Fact]
    public void GroupWorkWithoutPersonalShare_IsAWarning()
    {
        Codes(Request(summary: "小組完成的太陽能車報告。") with { IsGroupWork = true }).ShouldBe([DiagnosticCodes.GroupWorkWithoutShare]);
        Codes(Request(summary: "小組完成的太陽能車報告，我負責電路。") with { IsGroupWork = true }).ShouldBeEmpty();
    }

    [Fact]
    public void ExternalLinks_OnlyHttpsAndOnlyForPerformances()
    {
        Codes(Request(UploadKind.Performance, length: 0) with { FileHeader = default, ExternalLink = "https://youtu.be/abc" }).ShouldBeEmpty();
        Codes(Request(UploadKind.Performance, length: 0) with { FileHeader = default, ExternalLink = "http://youtu.be/abc" }).ShouldBe([DiagnosticCodes.UrlInvalid]);
        Codes(Request() with { ExternalLink = "https://youtu.be/abc" }).ShouldBe([DiagnosticCodes.UrlInvalid]);
    }

    [Fact]
    public void CapsWindowsAndQuota_ComeFromTheSchoolPolicy()
    {
        Codes(Request() with { UploadedThisTerm = 6 }).ShouldBe([DiagnosticCodes.UploadCap]);
        Codes(Request() with { UploadedThisSubject = 5 }).ShouldBe([DiagnosticCodes.UploadCap]);
        Codes(Request(UploadKind.Performance) with { UploadedThisYear = 20 }).ShouldBe([DiagnosticCodes.UploadCap]);
        Codes(Request() with { Today = new DateOnly(2025, 2, 15) }).ShouldBe([DiagnosticCodes.WindowClosed]);
        var thirdYearCloseEarlier = new PortfolioPolicy(PortfolioPolicy.Default.National, Policy.School with
        {
            Windows = [.. Policy.School.Windows, new PolicyWindow(PolicyWindowKind.Upload, SchoolTerm.Parse("113-1"), new DateOnly(2024, 8, 1), new DateOnly(2024, 11, 30)) { Grade = GradeLevel.Third }],
        });
        Codes(Request() with { Grade = GradeLevel.Third }, thirdYearCloseEarlier).ShouldBe([DiagnosticCodes.WindowClosed]);
        Codes(Request() with { Grade = GradeLevel.Second }, thirdYearCloseEarlier).ShouldBeEmpty();
        Codes(Request(), thirdYearCloseEarlier).ShouldBeEmpty();
        Codes(Request() with { StorageUsedBytes = 199L << 20, FileLength = 2L << 20 }).ShouldBe([DiagnosticCodes.StorageQuota]);
        Codes(Request() with { UploadedThisTerm = 100, Today = new DateOnly(2030, 1, 1) }, new PortfolioPolicy(PortfolioPolicy.Default.National)).ShouldBeEmpty();
    }
}
