using System.Text;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Policy;

namespace Portfolio.Sdk.Tests.Policy;

public sealed class PortfolioPolicyTests
{
    private static ParseOutcome<PortfolioPolicy> Load(string json) => PortfolioPolicy.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "policy.json");

    [Fact]
    public void Defaults_ArePinned()
    {
        var national = new NationalPolicy { From = new SchoolYear(113) };

        (national.CourseOutcomeSelectionCap, national.PerformanceSelectionCap).ShouldBe((6, 10));
        (national.DocumentMaxBytes, national.MediaMaxBytes, national.CounselingAttachmentMaxBytes).ShouldBe((4L << 20, 10L << 20, 2L << 20));
        (national.SummaryMaxLength, national.ConfirmationMinDays).ShouldBe((100, 3));
        national.SelectionCaps.ShouldBe(new Portfolio.Sdk.Workflow.SelectionCaps(6, 10));
        PortfolioPolicy.Default.Validate().ShouldBeEmpty();
    }

    [Theory]
    [InlineData(104, 2, 5)]
    [InlineData(108, 2, 5)]
    [InlineData(109, 4, 10)]
    [InlineData(113, 4, 10)]
    [InlineData(90, 2, 5)]
    public void FileLimits_ChangedIn109(int year, int documentMb, int mediaMb)
    {
        var rules = PortfolioPolicy.Default.For(new SchoolYear(year));

        (rules.DocumentMaxBytes, rules.MediaMaxBytes).ShouldBe(((long)documentMb << 20, (long)mediaMb << 20));
    }

    [Fact]
    public void Load_SchoolParametersWindowsAndANationalChange()
    {
        var outcome = Load("""
            { "national": [ { "from": 115, "courseOutcomeSelectionCap": 3 } ],
              "school": { "courseOutcomeUploadsPerTerm": 6, "courseOutcomeUploadsPerSubject": 5, "performanceUploadsPerYear": 20, "storageQuotaMegabytes": 200,
                "windows": [ { "kind": "upload", "term": "113-1", "start": "2024-08-01", "end": "2025-02-14" } ] } }
            """);

        outcome.Diagnostics.ShouldBeEmpty();
        var policy = outcome.Value!;
        policy.For(new SchoolYear(114)).CourseOutcomeSelectionCap.ShouldBe(6);
        policy.For(new SchoolYear(115)).CourseOutcomeSelectionCap.ShouldBe(3);
        policy.For(new SchoolYear(115)).DocumentMaxBytes.ShouldBe(4L << 20);
        policy.School.StorageQuotaBytes.ShouldBe(200L << 20);
        policy.WindowFor(PolicyWindowKind.Upload, SchoolTerm.Parse("113-1"))!.End.ShouldBe(new DateOnly(2025, 2, 14));
        policy.WindowFor(PolicyWindowKind.Upload, SchoolTerm.Parse("113-2")).ShouldBeNull();
    }

    [Theory]
    [InlineData("{ nope")]
    [InlineData("""{ "national": [ { "from": 0 } ] }""")]
    [InlineData("""{ "national": [ { "from": 113, "performanceSelectionCap": 0 } ] }""")]
    [InlineData("""{ "school": { "storageQuotaMegabytes": -1 } }""")]
    [InlineData("""{ "school": { "windows": [ { "kind": "upload", "term": "113-1", "start": "2025-02-14", "end": "2024-08-01" } ] } }""")]
    [InlineData("""{ "school": { "windows": [ { "kind": "party", "term": "113-1", "start": "2024-08-01", "end": "2024-09-01" } ] } }""")]
    [InlineData("""{ "school": { "windows": [ { "kind": "upload", "term": "113-1", "start": "2024-08-01", "end": "2024-09-01" }, { "kind": "upload", "term": "113-1", "start": "2024-10-01", "end": "2024-11-01" } ] } }""")]
    public void Load_InvalidPolicies_AreRefusedWithClearErrors(string json)
    {
        var outcome = Load(json);

        outcome.Success.ShouldBeFalse();
        outcome.Diagnostics.ShouldAllBe(d => d.Code == DiagnosticCodes.PolicyInvalid && d.Location!.Source == "policy.json");
    }

    [Fact]
    public void CheckWindow_ForEachActivity_AndOpenWhenUnset()
    {
        var policy = new PortfolioPolicy(PortfolioPolicy.Default.National, new SchoolPolicy
        {
            Windows = [new PolicyWindow(PolicyWindowKind.Selection, SchoolTerm.Parse("113-0"), new DateOnly(2025, 6, 1), new DateOnly(2025, 6, 30))],
        });

        policy.CheckWindow(PolicyWindowKind.Selection, SchoolTerm.Parse("113-0"), new DateOnly(2025, 6, 30)).ShouldBeNull();
        var closed = policy.CheckWindow(PolicyWindowKind.Selection, SchoolTerm.Parse("113-0"), new DateOnly(2025, 7, 1))!;
        closed.Code.ShouldBe(DiagnosticCodes.WindowClosed);
        closed.Message.ShouldContain("勾選");
        closed.MessageEnglish.ShouldContain("2025-06-30");
        policy.CheckWindow(PolicyWindowKind.Certification, SchoolTerm.Parse("113-1"), new DateOnly(2030, 1, 1)).ShouldBeNull();
    }
}
