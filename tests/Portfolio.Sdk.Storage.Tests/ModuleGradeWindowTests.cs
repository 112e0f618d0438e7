using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Workflow;
using static Portfolio.Sdk.Storage.Tests.ModuleFixture;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>
/// Windows per grade through the module: 高三's upload window closed before today while the school-wide one is open, so a
/// 高三 student (class 301) is refused and a 高一 student (class 101) is not; the class name's first digit is its grade.
/// </summary>
public sealed class ModuleGradeWindowTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task GradeThreeWindowClosedEarlier_RefusesOnlyGradeThree(string provider)
    {
        var policy = new PortfolioPolicyBuilder()
            .WithWindow(PolicyWindowKind.Upload, Term1, new DateOnly(2024, 9, 1), new DateOnly(2025, 1, 31))
            .WithWindow(PolicyWindowKind.Upload, Term1, GradeLevel.Third, new DateOnly(2024, 9, 1), new DateOnly(2024, 10, 1))
            .Build().Value!;
        await using var f = await OpenAsync(provider, policy);   // today is 2024-10-15

        var first = await f.Module.UploadCourseOutcomeAsync(Student, Outcome() with { ClassName = "101" }, Token);
        var third = await f.Module.UploadCourseOutcomeAsync(Student, Outcome() with { ClassName = "301" }, Token);

        first.Succeeded.ShouldBeTrue(first.Problem?.ToString());
        third.Succeeded.ShouldBeFalse();
        third.Problem!.Code.ShouldBe(DiagnosticCodes.WindowClosed);
        third.Problem.Message.ShouldContain("高三");
    }

    [Theory]
    [InlineData("101", GradeLevel.First)]
    [InlineData("312", GradeLevel.Third)]
    [InlineData("2051", GradeLevel.Second)]
    [InlineData("401", null)]
    [InlineData("忠班", null)]
    [InlineData("1A", null)]
    [InlineData(null, null)]
    public void GradeFromClassName_ReadsTheFirstDigitOfANumericClass(string? className, GradeLevel? grade) =>
        PortfolioModule.GradeFromClassName(className).ShouldBe(grade);
}
