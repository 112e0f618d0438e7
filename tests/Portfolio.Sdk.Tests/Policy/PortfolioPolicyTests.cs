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

    private const string GradeWindows = """
        { "$schema": "../schemas/policy.schema.json",
          "school": { "windows": [
            { "kind": "selection", "term": "113-0", "start": "2025-06-01", "end": "2025-07-10" },
            { "kind": "selection", "term": "113-0", "grade": 3, "start": "2025-03-01", "end": "2025-03-31" },
            { "kind": "upload", "term": "113-2", "grade": "高三", "start": "2025-02-10", "end": "2025-04-30" },
            { "kind": "certification", "term": "113-2", "grade": "2", "start": "2025-02-10", "end": "2025-07-15" } ] } }
        """;

    [Fact]
    public void GradeWindows_ReplaceTheSchoolWideWindow_ForTheirGradeOnly()
    {
        var outcome = Load(GradeWindows);

        outcome.Diagnostics.ShouldBeEmpty();
        var policy = outcome.Value!;
        var year = SchoolTerm.Parse("113-0");
        policy.WindowFor(PolicyWindowKind.Selection, year, GradeLevel.Third)!.End.ShouldBe(new DateOnly(2025, 3, 31));
        policy.WindowFor(PolicyWindowKind.Selection, year, GradeLevel.First)!.End.ShouldBe(new DateOnly(2025, 7, 10));
        policy.WindowFor(PolicyWindowKind.Selection, year)!.Grade.ShouldBeNull();
        policy.WindowFor(PolicyWindowKind.Upload, SchoolTerm.Parse("113-2"), GradeLevel.Third)!.Grade.ShouldBe(GradeLevel.Third);
        policy.WindowFor(PolicyWindowKind.Upload, SchoolTerm.Parse("113-2"), GradeLevel.Second).ShouldBeNull();
        policy.WindowFor(PolicyWindowKind.Certification, SchoolTerm.Parse("113-2"), GradeLevel.Second)!.Grade.ShouldBe(GradeLevel.Second);

        var april = new DateOnly(2025, 4, 1);
        var closed = policy.CheckWindow(PolicyWindowKind.Selection, year, GradeLevel.Third, april)!;
        closed.Code.ShouldBe(DiagnosticCodes.WindowClosed);
        closed.Message.ShouldBe("高三勾選期間為 2025-03-01 至 2025-03-31，2025-04-01 不在期間內");
        closed.MessageEnglish.ShouldBe("The grade 12 selection window is 2025-03-01 to 2025-03-31; 2025-04-01 is outside it");
        policy.CheckWindow(PolicyWindowKind.Selection, year, GradeLevel.Second, april)!.Message.ShouldStartWith("勾選期間為 2025-06-01 至 2025-07-10");
        policy.CheckWindow(PolicyWindowKind.Selection, year, GradeLevel.Third, new DateOnly(2025, 3, 31)).ShouldBeNull();
        policy.CheckWindow(PolicyWindowKind.Selection, year, GradeLevel.Second, new DateOnly(2025, 6, 15)).ShouldBeNull();
        policy.CheckWindow(PolicyWindowKind.Selection, year, new DateOnly(2025, 6, 15)).ShouldBeNull();
        policy.CheckWindow(PolicyWindowKind.Upload, SchoolTerm.Parse("113-2"), GradeLevel.First, new DateOnly(2030, 1, 1)).ShouldBeNull();
    }

    [Fact]
    public void TheBuilder_GivesWhatTheJsonGives()
    {
        var year = SchoolTerm.Parse("113-0");
        var built = new PortfolioPolicyBuilder()
            .WithSchool(new SchoolPolicy { PerformanceUploadsPerYear = 20 })
            .WithWindow(PolicyWindowKind.Selection, year, new DateOnly(2025, 6, 1), new DateOnly(2025, 7, 10))
            .WithWindow(PolicyWindowKind.Selection, year, GradeLevel.Third, new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31))
            .WithNational(new NationalPolicy { From = new SchoolYear(115), CourseOutcomeSelectionCap = 3 })
            .Build();

        built.Diagnostics.ShouldBeEmpty();
        var policy = built.Value!;
        policy.School.Windows.ShouldBe(Load(GradeWindows).Value!.School.Windows.Take(2));
        policy.School.PerformanceUploadsPerYear.ShouldBe(20);
        policy.For(new SchoolYear(115)).CourseOutcomeSelectionCap.ShouldBe(3);
        policy.For(new SchoolYear(110)).DocumentMaxBytes.ShouldBe(4L << 20);

        var bad = new PortfolioPolicyBuilder().WithWindow(PolicyWindowKind.Upload, year, GradeLevel.Third, new DateOnly(2025, 3, 1), new DateOnly(2025, 8, 31)).Build();
        bad.Success.ShouldBeFalse();
        bad.Diagnostics.Single().Location!.Path.ShouldBe("school.windows[0]");
    }

    [Theory]
    [InlineData("""{ "kind": "selection", "term": "113-0", "grade": 3, "start": "2025-03-01", "end": "2025-08-01" }""", "2025-08-01", "outside school year 113 (2024-08-01 to 2025-07-31)")]
    [InlineData("""{ "kind": "selection", "term": "113-0", "grade": 3, "start": "2024-07-31", "end": "2025-03-01" }""", "2024-07-31", "outside school year 113")]
    [InlineData("""{ "kind": "selection", "term": "113-0", "grade": 3, "start": "2025-03-31", "end": "2025-03-01" }""", "2025-03-01", "ends (2025-03-01) before it starts (2025-03-31)")]
    [InlineData("""{ "kind": "selection", "term": "113-0", "grade": 3, "start": "2025-03-01", "end": "2025-03-31" }, { "kind": "selection", "term": "113-0", "grade": "高三", "start": "2025-03-20", "end": "2025-04-10" }""", "2025-03-20", "overlap")]
    [InlineData("""{ "kind": "selection", "term": "113-0", "grade": 3, "start": "2025-03-01", "end": "2025-03-31" }, { "kind": "selection", "term": "113-0", "grade": 3, "start": "2025-05-01", "end": "2025-05-10" }""", "113-0", "is set twice")]
    public void GradeWindows_OutsideTheYear_InvertedOrOverlapping_AreRefusedAtLoad(string windows, string zhPart, string enPart)
    {
        var outcome = Load($$"""{ "school": { "windows": [ {{windows}} ] } }""");

        outcome.Success.ShouldBeFalse();
        var problem = outcome.Diagnostics.ShouldHaveSingleItem();
        problem.Code.ShouldBe(DiagnosticCodes.PolicyInvalid);
        problem.Location!.Path!.ShouldStartWith("school.windows[");
        problem.Message.ShouldContain(zhPart);
        problem.Message.ShouldContain("高三勾選");
        problem.MessageEnglish.ShouldContain(enPart);
        problem.MessageEnglish.ShouldContain("grade 12 selection");
        problem.MessageEnglish.ShouldNotContain("Selection", Case.Sensitive);
    }

    [Fact]
    public void ASchoolWideWindow_MayOverlapAGradeWindow_AndOnlyGradeWindowsMustStayInTheYear()
    {
        Load("""
            { "school": { "windows": [
              { "kind": "submission", "term": "113-0", "start": "2025-07-20", "end": "2025-08-10" },
              { "kind": "submission", "term": "113-0", "grade": 3, "start": "2025-03-01", "end": "2025-07-25" } ] } }
            """).Diagnostics.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("4")]
    [InlineData("0")]
    [InlineData("\"高四\"")]
    [InlineData("true")]
    public void AGradeOtherThan1To3_IsRefused(string grade)
    {
        var outcome = Load($$"""{ "school": { "windows": [ { "kind": "upload", "term": "113-1", "grade": {{grade}}, "start": "2024-08-01", "end": "2024-09-01" } ] } }""");

        outcome.Success.ShouldBeFalse();
        outcome.Diagnostics.ShouldHaveSingleItem().Location!.Path.ShouldBe("school.windows[0].grade");
    }

    [Theory]
    [InlineData("""{ "window": [] }""", "window", "window")]
    [InlineData("""{ "national": [ { "from": 113, "courseOutcomeSelectonCap": 3 } ] }""", "courseOutcomeSelectonCap", "national[0].courseOutcomeSelectonCap")]
    [InlineData("""{ "national": [ { "from": 113 }, { "from": 114, "mediaMaxMB": 20 } ] }""", "mediaMaxMB", "national[1].mediaMaxMB")]
    [InlineData("""{ "school": { "window": [] } }""", "window", "school.window")]
    [InlineData("""{ "school": { "windows": [ { "kind": "upload", "term": "113-1", "start": "2024-08-01", "end": "2024-09-01", "grades": 3 } ] } }""", "grades", "school.windows[0].grades")]
    [InlineData("""{ "school": { "$schema": "x" } }""", "$schema", "school.$schema")]
    public void UnknownKeys_AtEveryLevel_AreRefusedNamingTheKeyAndItsPath(string json, string key, string path)
    {
        var outcome = Load(json);

        outcome.Success.ShouldBeFalse();
        var unknown = outcome.Diagnostics.ShouldHaveSingleItem();
        unknown.Code.ShouldBe(DiagnosticCodes.JsonKeyUnknown);
        unknown.Location!.Path.ShouldBe(path);
        unknown.Location.Source.ShouldBe("policy.json");
        unknown.Message.ShouldBe($"規定設定中有不認得的欄位「{key}」（位置 {path}）；請檢查拼字");
        unknown.MessageEnglish.ShouldBe($"The policy has an unknown key \"{key}\" (at {path}); check its spelling");
    }

    [Fact]
    public void EveryUnknownKey_IsReported_AndKeysMatchWithoutCase()
    {
        var outcome = Load("""{ "$schema": "policy.schema.json", "Window": 1, "SCHOOL": { "Windows": [], "quota": 1 }, "national": [ { "FROM": 113, "cap": 1 } ] }""");

        outcome.Diagnostics.Select(d => d.Location!.Path).ShouldBe(["Window", "SCHOOL.quota", "national[0].cap"]);
    }
}
