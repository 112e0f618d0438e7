using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Tests.Courses;

public sealed class CourseCodeTests
{
    // 108 | 060322 | H | 11 | 101 | 0 | 1 | 0 | 1 | 01 | 01
    private const string Regular = "108060322H1110101010101";

    // Category 8 (團體活動時間) with subject attribute D.
    private const string GroupActivityWithD = "108060322H11101080D0101";

    // Category 9 (彈性學習時間) with subject attribute 1.
    private const string FlexibleWithoutD = "108060322H1110109010101";

    [Fact]
    public void Validate_SplitsTheElevenSegments()
    {
        var code = CourseCode.Parse(Regular);

        code.CohortYear.ShouldBe(new SchoolYear(108));
        code.SchoolCode.Value.ShouldBe("060322");
        code.CourseType.ShouldBe("H");
        code.Group.ShouldBe("11");
        code.Department.ShouldBe("101");
        code.ClassGroup.ShouldBe("0");
        code.CourseCategory.ShouldBe("1");
        code.Delivery.ShouldBe("0");
        code.SubjectAttribute.ShouldBe("1");
        code.Domain.ShouldBe("01");
        code.Subject.ShouldBe("01");
        code.CurriculumMapKey.ShouldBe("108060322H111010");
        code.CurriculumMapKey.Length.ShouldBe(16);
    }

    [Fact]
    public void SegmentLayout_CoversAll23CharactersOnce()
    {
        var covered = CourseCodeSegmentInfo.Segments.SelectMany(s => Enumerable.Range(s.Start, s.Length)).ToList();

        covered.ShouldBe(Enumerable.Range(0, CourseCode.Length).ToList());
        CourseCodeSegmentInfo.Of(CourseCodeSegment.CourseCategory).Positions.ShouldBe("17");
        CourseCodeSegmentInfo.Of(CourseCodeSegment.SubjectAttribute).Positions.ShouldBe("19");
    }

    [Fact]
    public void Explain_NamesKnownSegmentsAndLeavesUnknownNull()
    {
        var segments = CourseCode.Parse(Regular).Explain();

        segments.Count.ShouldBe(11);
        segments.Select(s => s.Info.Key).ShouldBe(
            ["cohortYear", "schoolCode", "courseType", "group", "department", "classGroup", "courseCategory", "delivery", "subjectAttribute", "domain", "subject"]);
        segments[2].Meaning.ShouldBe("普通型");
        segments[3].Meaning.ShouldBe("普通高中");
        segments[4].Meaning.ShouldBe("普通班");
        segments[6].Meaning.ShouldBe("部定必修");
        segments[8].Meaning.ShouldBe("一般科目");
        segments[9].Meaning.ShouldBeNull();
        segments[10].Meaning.ShouldBeNull();
    }

    [Fact]
    public void GroupActivityWithAttributeD_AllowsGradesAndRequiresCreditCounting3()
    {
        var outcome = CourseCode.Validate(GroupActivityWithD);

        outcome.Success.ShouldBeTrue();
        outcome.Diagnostics.ShouldBeEmpty();
        outcome.Value.IsGroupActivityOrFlexibleLearning.ShouldBeTrue();
        outcome.Value.AllowsGradeSubmission.ShouldBeTrue();
        outcome.Value.RequiredCreditCounting.ShouldBe("3");
    }

    [Fact]
    public void FlexibleLearningWithoutD_WarnsThatGradesAreNotSubmitted()
    {
        var outcome = CourseCode.Validate(FlexibleWithoutD);

        outcome.Success.ShouldBeTrue();
        outcome.Value.AllowsGradeSubmission.ShouldBeFalse();
        outcome.Value.RequiredCreditCounting.ShouldBeNull();
        var warning = outcome.Diagnostics.Single();
        warning.Code.ShouldBe(DiagnosticCodes.CourseCodeGroupActivityAttribute);
        warning.Message.ShouldContain("彈性學習時間");
        warning.Location!.Path.ShouldBe("subjectAttribute");
    }

    [Fact]
    public void RegularCourse_HasNoCreditCountingRequirement()
    {
        var code = CourseCode.Parse(Regular);

        code.IsGroupActivityOrFlexibleLearning.ShouldBeFalse();
        code.AllowsGradeSubmission.ShouldBeTrue();
        code.RequiredCreditCounting.ShouldBeNull();
    }

    [Theory]
    [InlineData("", DiagnosticCodes.CourseCodeEmpty)]
    [InlineData("108060322H111010101010", DiagnosticCodes.CourseCodeLength)]
    [InlineData("108060322h1110101010101", DiagnosticCodes.CourseCodeCharacters)]
    [InlineData("10806032-H1110101010101", DiagnosticCodes.CourseCodeCharacters)]
    [InlineData("1A8060322H1110101010101", DiagnosticCodes.CourseCodeCohortYear)]
    [InlineData("000060322H1110101010101", DiagnosticCodes.CourseCodeCohortYear)]
    public void Validate_InvalidCodes_ReportTheStableCode(string input, string code)
    {
        var outcome = CourseCode.Validate(input);

        outcome.Success.ShouldBeFalse();
        outcome.Diagnostics.Select(d => d.Code).ShouldContain(code);
    }

    [Fact]
    public void Validate_BadCharacters_ReportsEveryPosition()
    {
        var outcome = CourseCode.Validate("1080603-2h1110101010101");

        outcome.Diagnostics.Select(d => d.Code).ShouldBe([DiagnosticCodes.CourseCodeCharacters, DiagnosticCodes.CourseCodeCharacters]);
        outcome.Diagnostics[0].MessageEnglish.ShouldContain("Character 8");
        outcome.Diagnostics[1].MessageEnglish.ShouldContain("Character 10");
    }

    [Fact]
    public void Validate_UnlistedValuesInOpenTables_AreWarningsNamingTheSegment()
    {
        // 課程類型 X, 群別 99, 科別 777, 課程類別 7 and 開課方式 Z are not in the shipped tables.
        var outcome = CourseCode.Validate("108060322X9977707Z10101");

        outcome.Success.ShouldBeTrue();
        var paths = outcome.Diagnostics.Where(d => d.Code == DiagnosticCodes.CourseCodeSegmentUnlisted).Select(d => d.Location!.Path).ToList();
        paths.ShouldBe(["courseType", "group", "department", "courseCategory", "delivery"]);
        outcome.Diagnostics.ShouldAllBe(d => d.Severity == DiagnosticSeverity.Warning);
    }

    [Fact]
    public void Validate_ValueOutsideAClosedTable_IsAnError()
    {
        var closed = new CodeTable(CodeTableIds.CourseType, "課程類型", "Course type", isClosed: true, Evidence.Confirmed, null,
            [new CodeEntry("H", "普通型", Evidence.Confirmed)]);
        var codes = CodeTableCatalog.Default.WithOverrides(new CodeTableCatalog("test", [closed]));

        var outcome = CourseCode.Validate("108060322V1110101010101", codes: codes);

        outcome.Success.ShouldBeFalse();
        outcome.Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.CourseCodeSegmentUnknown);
    }

    [Fact]
    public void Validate_TestSchoolInsideTheCode_IsReportedAtTheSchoolSegment()
    {
        var outcome = CourseCode.Validate("108000000H1110101010101", new DiagnosticLocation(Sheet: "學期成績", Row: 3));

        outcome.Success.ShouldBeTrue();
        var warning = outcome.Diagnostics.Single();
        warning.Code.ShouldBe(DiagnosticCodes.SchoolCodeTest);
        warning.Location.ShouldBe(new DiagnosticLocation(Sheet: "學期成績", Row: 3, Path: "schoolCode"));
    }

    [Fact]
    public void Validate_FullWidthInput_IsNormalised()
    {
        var fullWidth = string.Concat(Regular.Select(c => (char)(c + 0xFEE0)));

        CourseCode.Validate(fullWidth).Value.Value.ShouldBe(Regular);
    }

    [Fact]
    public void Default_HasEmptySegmentsAndNoMapKey()
    {
        var empty = default(CourseCode);

        empty.Value.ShouldBe(string.Empty);
        empty.Segment(CourseCodeSegment.Group).ShouldBe(string.Empty);
        empty.CurriculumMapKey.ShouldBe(string.Empty);
    }
}
