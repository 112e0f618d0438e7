using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Input;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Tests.Rosters;

namespace Portfolio.Sdk.Tests.Input;

/// <summary>Cell length, diagnostics kept, and what a diagnostic may quote.</summary>
public sealed class ReaderBoundsTests
{
    private static readonly RosterSheetLayout SemesterGrades = RosterTestData.Layout("grades", "semester-grades");

    [Fact]
    public void ManyBadRows_KeepTheFirstN_WithLocations_AndCountTheRestPerCode()
    {
        using var workbook = HostileZipTests.ValidWorkbook(2_500, i => RosterTestData.SemesterGrade(SemesterGrades,
            ("courseCode", "113060322H11101010101" + (i % 100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture)), ("subjectName", "科目" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)), ("credits", "T")));

        var report = new RosterWorkbookValidator(limits: InputLimits.Default with { MaxDiagnostics = 100 }).Validate(workbook, "many.xlsx", TestContext.Current.CancellationToken);

        var listed = report.Diagnostics.Where(d => d.Code != DiagnosticCodes.DiagnosticsTruncated).ToList();
        listed.Count.ShouldBe(100);
        listed.ShouldAllBe(d => d.Location != null && d.Location.Row != null);
        var summaries = report.Diagnostics.Where(d => d.Code == DiagnosticCodes.DiagnosticsTruncated).ToList();
        summaries.ShouldNotBeEmpty();
        var total = report.Diagnostics.Count(d => d.Code == DiagnosticCodes.CreditsNotNumeric)
            + summaries.Where(s => s.MessageEnglish.Contains(DiagnosticCodes.CreditsNotNumeric, StringComparison.Ordinal)).Sum(s => int.Parse(s.MessageEnglish.Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture));
        total.ShouldBe(2_500);
        report.RowCounts["學期成績"].ShouldBe(2_500);
    }

    [Fact]
    public void AHugeCell_IsCut_AndReported_WithItsLocation()
    {
        var huge = new string('9', 200_000);
        using var workbook = HostileZipTests.ValidWorkbook(1, _ => RosterTestData.SemesterGrade(SemesterGrades, ("subjectName", huge)));

        var report = new RosterWorkbookValidator().Validate(workbook, "cell.xlsx", TestContext.Current.CancellationToken);

        var limit = report.Diagnostics.Single(d => d.Code == DiagnosticCodes.InputLimitExceeded);
        limit.Location!.Row.ShouldBe(2);
        limit.Location.Sheet.ShouldBe("學期成績");
        limit.MessageEnglish.ShouldContain("200000");
        report.Diagnostics.ShouldAllBe(d => d.Message.Length < 400 && d.MessageEnglish.Length < 400);
    }

    [Theory]
    [InlineData("A108948473")]
    [InlineData("劉冠宇")]
    [InlineData("FC12345678")]
    public void AValueInTheWrongColumn_IsNeverQuotedVerbatim(string value)
    {
        using var workbook = HostileZipTests.ValidWorkbook(1, _ => RosterTestData.SemesterGrade(SemesterGrades,
            ("score", value), ("credits", value), ("birthDate", value), ("gradeLevel", value), ("makeupExamScore", value), ("creditCounting", value), ("passed", value), ("subjectName", value)));

        var report = new RosterWorkbookValidator().Validate(workbook, "pii.xlsx", TestContext.Current.CancellationToken);

        report.HasErrors.ShouldBeTrue();
        foreach (var d in report.Diagnostics)
        {
            d.ToString().ShouldNotContain(value);
        }
    }

    [Theory]
    [InlineData("A123456789", "A12****789")]
    [InlineData("收到 A123456789 與 b287654321", "收到 A12****789 與 b28****321")]
    [InlineData("劉冠宇", "劉冠宇")]
    public void QuoteText_MasksIdShapes_AndKeepsOtherText(string input, string expected) =>
        Redaction.QuoteText(input).ShouldBe(expected);

    [Theory]
    [InlineData("劉冠宇", "○○○")]
    [InlineData("85分", "85○")]
    [InlineData("2008/13/45", "2008/13/45")]
    [InlineData("A123456789", "A12****789")]
    public void QuoteValue_HidesLettersOutsideAscii(string input, string expected) =>
        Redaction.QuoteValue(input).ShouldBe(expected);

    [Fact]
    public void QuotedText_IsCutToABound()
    {
        var quoted = Redaction.QuoteText(new string('x', 10_000));
        quoted.Length.ShouldBeLessThan(Redaction.MaxQuotedLength + 16);
        quoted.ShouldEndWith("…(10000)");
    }
}
