using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters;

namespace Portfolio.Sdk.Tests.Rosters;

/// <summary>Every problem in the research's data-quality list, and each cell type, is caught.</summary>
public sealed class RosterRowValidatorTests
{
    private static readonly RosterSheetLayout Grades = RosterTestData.Layout("grades", "semester-grades");

    private static List<Diagnostic> Check(RosterSheetLayout layout, params string?[][] rows)
    {
        var validator = new RosterRowValidator(layout, RosterTestData.Cover113First, source: "t.xlsx");
        var diagnostics = new List<Diagnostic>();
        for (var i = 0; i < rows.Length; i++)
        {
            validator.Validate(rows[i], i + 2, diagnostics);
        }

        return diagnostics;
    }

    private static List<string> Codes(RosterSheetLayout layout, params (string Key, string? Value)[] overrides) =>
        Check(layout, RosterTestData.SemesterGrade(layout, overrides)).Select(d => d.Code).ToList();

    [Fact]
    public void ValidRow_HasNoDiagnostics()
    {
        Check(Grades, RosterTestData.SemesterGrade(Grades)).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("courseCode", "113060322H1110109010101", DiagnosticCodes.GroupActivityWithoutD)]
    [InlineData("credits", "T", DiagnosticCodes.CreditsNotNumeric)]
    [InlineData("credits", "-2", DiagnosticCodes.CreditsNotNumeric)]
    [InlineData("score", "101", DiagnosticCodes.ScoreInvalid)]
    [InlineData("score", "八十", DiagnosticCodes.ScoreInvalid)]
    [InlineData("passed", "2", DiagnosticCodes.CodeUnknown)]
    [InlineData("creditCounting", "4", DiagnosticCodes.CodeUnknown)]
    [InlineData("nationalId", "A123456788", DiagnosticCodes.NationalIdCheckDigit)]
    [InlineData("nationalId", null, DiagnosticCodes.ValueRequired)]
    [InlineData("birthDate", "2008/02/30", DiagnosticCodes.DateInvalid)]
    [InlineData("gradeLevel", "1.5", DiagnosticCodes.ValueNotInteger)]
    [InlineData("gradeLevel", "7", DiagnosticCodes.ValueOutOfRange)]
    [InlineData("courseCode", "113060322H111010101010", DiagnosticCodes.CourseCodeLength)]
    [InlineData("courseCode", "113013301H1110101010101", DiagnosticCodes.CourseSchoolMismatch)]
    public void BadCell_IsReportedWithItsCode(string key, string? value, string code)
    {
        Codes(Grades, (key, value)).ShouldContain(code);
    }

    [Fact]
    public void ACodeThatLostItsLeadingZero_NamesTheCodeItWas()
    {
        var visiting = RosterTestData.Layout("student", "student-visiting");
        var row = RosterTestData.Row(visiting, ("nationalId", "A123456789"), ("homeSchoolCode", "060322"), ("visitingSchoolCode", "013301"), ("group", "0"));

        var diagnostics = Check(visiting, row);   // (the row leaves other required cells empty)
        var lost = diagnostics.Single(d => d.Location!.Column == visiting.Columns.Single(c => c.Key == "group").Header);

        lost.Code.ShouldBe(DiagnosticCodes.LeadingZerosLost);
        diagnostics.ShouldNotContain(d => d.Code == DiagnosticCodes.CodeUnknown);
        lost.MessageEnglish.ShouldContain("\"00\"");       // the 普通型 group code 00, typed as 0 by a spreadsheet
        lost.Location!.Column.ShouldBe(visiting.Columns.Single(c => c.Key == "group").Header);
    }

    [Theory]
    [InlineData("113/09/30", "113/09/01", true)]
    [InlineData("113/09/01", "113/09/01", false)]
    [InlineData("113/09/01", null, false)]
    public void ADateRangeEndingBeforeItStarts_IsAnError(string start, string? end, bool inverted)
    {
        var cadres = RosterTestData.Layout("cadre", "cadre-records");
        var row = RosterTestData.Row(cadres, ("nationalId", "A123456789"), ("birthDate", "2008/05/13"), ("unitName", "101班"), ("startDate", start), ("endDate", end), ("position", "班長"), ("cadreLevel", "2"));

        var codes = Check(cadres, row).Select(d => d.Code).ToList();

        codes.Contains(DiagnosticCodes.DateRangeInverted).ShouldBe(inverted, string.Join(", ", codes));
    }

    [Theory]
    [InlineData("113-1", false)]
    [InlineData("113-2", true)]     // the roster is 113-1
    [InlineData("112-1", true)]
    public void AnActualTermOutsideTheRostersTerm_IsAnError(string actualTerm, bool outside)
    {
        var outcomes = RosterTestData.Layout("course-outcomes", "outcome-semester");
        var row = RosterTestData.Row(outcomes, ("nationalId", "A123456789"), ("actualTerm", actualTerm), ("courseCode", "113060322H1110101010101"),
            ("subjectName", "國語文"), ("gradeLevel", "1"), ("credits", "4"), ("summary", "我整理了單元重點並提出延伸問題。"));

        var diagnostics = Check(outcomes, row);

        diagnostics.Any(d => d.Code == DiagnosticCodes.TermOutsideBook).ShouldBe(outside, string.Join(", ", diagnostics));
    }

    [Fact]
    public void GroupActivityWithD_RequiresCreditCounting3()
    {
        Codes(Grades, ("courseCode", "113060322H11101080D0101"), ("creditCounting", "1")).ShouldBe([DiagnosticCodes.GroupActivityCreditCounting]);
        Codes(Grades, ("courseCode", "113060322H11101080D0101"), ("creditCounting", "3")).ShouldBeEmpty();
    }

    [Fact]
    public void CreditCounting3_OnARegularCourse_IsAWarning()
    {
        var diagnostics = Check(Grades, RosterTestData.SemesterGrade(Grades, ("creditCounting", "3")));

        diagnostics.Single().Code.ShouldBe(DiagnosticCodes.CreditCounting3RegularCourse);
        diagnostics.Single().Severity.ShouldBe(DiagnosticSeverity.Warning);
    }

    [Theory]
    [InlineData("-1", "1")]
    [InlineData("-1", "0")]
    [InlineData("70", "-1")]
    public void PassFlag_MustAgreeWithTheScore(string score, string flag)
    {
        Codes(Grades, ("score", score), ("passed", flag)).ShouldContain(DiagnosticCodes.PassFlagInconsistent);
    }

    [Fact]
    public void ZeroScoreMarkedPassed_IsAnError()
    {
        Codes(Grades, ("score", "0"), ("passed", "1")).ShouldBe([DiagnosticCodes.ZeroScorePassed]);
        Codes(Grades, ("score", "0"), ("passed", "0")).ShouldBeEmpty();
    }

    [Fact]
    public void MakeupExamForAPassedSubject_IsAnError()
    {
        Codes(Grades, ("makeupExamScore", "60"), ("makeupExamPassed", "1")).ShouldBe([DiagnosticCodes.MakeupAfterPass]);
        Codes(Grades, ("score", "40"), ("passed", "0"), ("makeupExamScore", "60"), ("makeupExamPassed", "1")).ShouldBeEmpty();
    }

    [Fact]
    public void CohortNotMatchingGrade_IsAWarning()
    {
        // Grade 2 in 113 should take cohort 112's courses.
        var diagnostics = Check(Grades, RosterTestData.SemesterGrade(Grades, ("gradeLevel", "2")));

        diagnostics.Single().Code.ShouldBe(DiagnosticCodes.CourseCohortGradeMismatch);
        diagnostics.Single().Severity.ShouldBe(DiagnosticSeverity.Warning);
    }

    [Fact]
    public void DuplicateKey_NamesTheFirstRow_CaseAndSpaceInsensitive()
    {
        var diagnostics = Check(Grades,
            RosterTestData.SemesterGrade(Grades),
            RosterTestData.SemesterGrade(Grades, ("courseCode", "113060322H1110101010102")),
            RosterTestData.SemesterGrade(Grades, ("nationalId", " a123456789 ")));

        var duplicate = diagnostics.Single(d => d.Code == DiagnosticCodes.DuplicateRow);
        duplicate.Location!.Row.ShouldBe(4);
        duplicate.Message.ShouldContain("第 2 列");
    }

    [Fact]
    public void OneBadRow_DoesNotHideTheOthers()
    {
        var diagnostics = Check(Grades,
            RosterTestData.SemesterGrade(Grades, ("credits", "T")),
            RosterTestData.SemesterGrade(Grades, ("courseCode", "113060322H1110101010102")),
            RosterTestData.SemesterGrade(Grades, ("courseCode", "113060322H1110101010103"), ("score", "0"), ("passed", "1")));

        diagnostics.Select(d => (d.Location!.Row, d.Code)).ShouldBe([(2, DiagnosticCodes.CreditsNotNumeric), (4, DiagnosticCodes.ZeroScorePassed)]);
        diagnostics.ShouldAllBe(d => d.Location!.Sheet == "學期成績" && d.Location.Book == "grades" && d.Location.Source == "t.xlsx");
    }

    [Fact]
    public void Diagnostics_NameTheColumnHeader()
    {
        var diagnostic = Check(Grades, RosterTestData.SemesterGrade(Grades, ("credits", "T"))).Single();

        diagnostic.Location!.Column.ShouldBe("修課學分");
        diagnostic.Location.Row.ShouldBe(2);
    }

    [Fact]
    public void StudentData_SpecialStatusListMustBeNormalised()
    {
        var layout = RosterTestData.Layout("student", "student-data");
        string?[] Student(string status) => RosterTestData.Row(layout,
            ("nationalId", "A123456789"), ("birthDate", "0970513"), ("gender", "1"), ("group", "11"), ("department", "101"),
            ("division", "1"), ("classType", "1"), ("gradeLevel", "1"), ("className", "101"), ("seatNumber", "1"), ("specialStatus", status));

        Check(layout, Student("4,10")).ShouldBeEmpty();
        foreach (var bad in new[] { "10,4", "4,4", ",4", "4, 10" })
        {
            var diagnostic = Check(layout, Student(bad)).Single();
            diagnostic.Code.ShouldBe(DiagnosticCodes.CodeListNotNormalised);
            diagnostic.MessageEnglish.ShouldContain(bad == "4,4" || bad == ",4" ? "\"4\"" : "\"4,10\"");
        }
    }

    [Fact]
    public void StudentData_ContinuingEducationClass_InDayBook_IsAnError()
    {
        var layout = RosterTestData.Layout("student", "student-data");
        var row = RosterTestData.Row(layout,
            ("nationalId", "A123456789"), ("birthDate", "2008-05-13"), ("gender", "2"), ("group", "11"), ("department", "101"),
            ("division", "1"), ("classType", "01"), ("gradeLevel", "1"), ("className", "101"), ("seatNumber", "1"));

        Check(layout, row).Select(d => d.Code).ShouldBe([DiagnosticCodes.ContinuingInDayBook]);
    }

    [Fact]
    public void StudentData_IndigenousFieldsMustAgreeWithSpecialStatus()
    {
        var layout = RosterTestData.Layout("student", "student-data");
        string?[] Student(string? status, string? nation) => RosterTestData.Row(layout,
            ("nationalId", "A123456789"), ("birthDate", "2008-05-13"), ("gender", "2"), ("group", "11"), ("department", "101"),
            ("division", "1"), ("classType", "1"), ("gradeLevel", "1"), ("className", "101"), ("seatNumber", "1"),
            ("specialStatus", status), ("indigenousNation", nation));

        Check(layout, Student("1", "阿美族")).ShouldBeEmpty();
        Check(layout, Student("1", null)).Single().Code.ShouldBe(DiagnosticCodes.IndigenousInconsistent);
        Check(layout, Student("4", "泰雅族")).Single().Code.ShouldBe(DiagnosticCodes.IndigenousInconsistent);
    }

    [Fact]
    public void StudentData_FreeTextAdmissionMethod_IsWarned()
    {
        var layout = RosterTestData.Layout("student", "student-data");
        string?[] Student(string method) => RosterTestData.Row(layout,
            ("nationalId", "A123456789"), ("birthDate", "2008-05-13"), ("gender", "2"), ("group", "11"), ("department", "101"),
            ("division", "1"), ("classType", "1"), ("gradeLevel", "1"), ("className", "101"), ("seatNumber", "1"), ("admissionMethod", method));

        Check(layout, Student("優先免試入學")).ShouldBeEmpty();
        var warning = Check(layout, Student("免試入學-分區")).Single();
        warning.Code.ShouldBe(DiagnosticCodes.CodeUnlisted);
        warning.Severity.ShouldBe(DiagnosticSeverity.Warning);
        warning.Location!.Column.ShouldBe("入學方式");
    }

    [Fact]
    public void Outcome_SummaryOver100Characters_AndBadLinks()
    {
        var layout = RosterTestData.Layout("course-outcomes", "outcome-semester");
        string?[] Outcome(string summary, string? md5 = null) => RosterTestData.Row(layout,
            ("nationalId", "A123456789"), ("actualTerm", "1131"), ("courseCode", "113060322H1110101010101"), ("subjectName", "國語文"),
            ("gradeLevel", "1"), ("credits", "4"), ("summary", summary), ("documentMd5", md5));

        Check(layout, Outcome(new string('字', 100))).ShouldBeEmpty();
        Check(layout, Outcome(new string('字', 101))).Single().Code.ShouldBe(DiagnosticCodes.TextTooLong);
        Check(layout, Outcome("ok", "xyz")).Single().Code.ShouldBe(DiagnosticCodes.Md5Invalid);
    }

    [Fact]
    public void Performance_ExternalLinkMustBeHttps()
    {
        var layout = RosterTestData.Layout("performances", "performance-work");
        string?[] Work(string link) => RosterTestData.Row(layout,
            ("nationalId", "A123456789"), ("workName", "作品"), ("date", "113/09/01"), ("summary", "說明"), ("externalMediaLink", link));

        Check(layout, Work("https://youtu.be/x")).ShouldBeEmpty();
        Check(layout, Work("http://youtu.be/x")).Single().Code.ShouldBe(DiagnosticCodes.UrlInvalid);
        Check(layout, Work("javascript:alert(1)")).Single().Code.ShouldBe(DiagnosticCodes.UrlInvalid);
    }

    [Theory]
    [InlineData("2008/05/13")]
    [InlineData("2008-05-13")]
    [InlineData("20080513")]
    [InlineData("97/05/13")]
    [InlineData("0970513")]
    [InlineData("970513")]
    [InlineData("39581")]
    public void Dates_AcceptGregorianRocAndExcelSerials(string date)
    {
        Codes(Grades, ("birthDate", date)).ShouldBeEmpty();
    }

    [Fact]
    public void RepeatYearSheet_UsesItsOwnPassPairs()
    {
        var layout = RosterTestData.Layout("retake-grades", "repeat-year");
        var row = RosterTestData.Row(layout,
            ("nationalId", "A123456789"), ("birthDate", "2008-05-13"), ("courseCode", "113060322H1110101010101"), ("subjectName", "數學"),
            ("gradeLevel", "1"), ("credits", "4"), ("secondAttemptScore", "-1"), ("secondAttemptPassed", "1"), ("makeupExamScore", "-1"),
            ("makeupExamPassed", "-1"), ("repeatScore", "72"), ("passed", "1"), ("repeatNote", "2"), ("creditCounting", "1"));

        Check(layout, row).Select(d => d.Code).ShouldBe([DiagnosticCodes.PassFlagInconsistent]);
    }

    [Fact]
    public void Validate_WrongNumberOfValues_Throws()
    {
        var validator = new RosterRowValidator(Grades, RosterTestData.Cover113First);

        Should.Throw<ArgumentException>(() => validator.Validate(["x"], 2, new List<Diagnostic>()));
    }

    [Fact]
    public void CodeTablesAreCheckedForTheCoverYear()
    {
        var layout = RosterTestData.Layout("cadre", "cadre-records");
        var cover = new RosterCover(RosterTestData.Cover113First.School, new SchoolYear(113), Term.First);
        var validator = new RosterRowValidator(layout, cover);
        var diagnostics = new List<Diagnostic>();

        validator.Validate(RosterTestData.Row(layout, ("nationalId", "A123456789"), ("birthDate", "2008-05-13"), ("unitName", "301班"),
            ("startDate", "2024-08-01"), ("position", "班長"), ("cadreLevel", "4")), 2, diagnostics);

        diagnostics.Single().Code.ShouldBe(DiagnosticCodes.CodeUnlisted);
    }

    [Theory]
    [InlineData("113060322H1110101010101", "59.9", "1", true)]  // 普通型: 60
    [InlineData("113060322H1110101010101", "60", "0", true)]
    [InlineData("113060322H1110101010101", "60", "1", false)]
    [InlineData("113060322H1110101010101", "59.9", "0", false)]
    [InlineData("113060322V1110101010101", "45", "1", true)]    // 技術型: 60
    [InlineData("113060322M1110101010101", "45", "1", false)]   // M: no pass mark known ([U]), not checked
    public void PassFlag_IsCheckedAgainstThePassMarkOfTheRowsProgram(string courseCode, string score, string flag, bool warned)
    {
        var found = Check(Grades, RosterTestData.SemesterGrade(Grades, ("courseCode", courseCode), ("score", score), ("passed", flag)));
        var warning = found.Where(d => d.Code == DiagnosticCodes.PassFlagAgainstPassMark).ToList();
        warning.Count.ShouldBe(warned ? 1 : 0);
        warning.ShouldAllBe(d => d.Severity == DiagnosticSeverity.Warning && d.Location!.Column == "成績及格" && d.Message.Contains("60"));
    }

    [Fact]
    public void PassMarks_ComeFromThePolicy_ByProgram_WithThe進修部MarkForThe進修部Book()
    {
        using var json = new MemoryStream("""{ "national": [ { "from": 109, "passMarks": { "H": 70, "continuing": 50 } } ] }"""u8.ToArray());
        var policy = Portfolio.Sdk.Policy.PortfolioPolicy.Load(json).Value!;
        policy.For(new SchoolYear(113)).PassMarks.ShouldBe(new Dictionary<string, decimal> { ["H"] = 70, ["V"] = 60, ["C"] = 60, ["S"] = 60, ["continuing"] = 50 }, ignoreOrder: true);
        policy.For(new SchoolYear(108)).PassMarks.ContainsKey("continuing").ShouldBeFalse();

        List<Diagnostic> Run(RosterSheetLayout layout, Portfolio.Sdk.Policy.PortfolioPolicy p, string?[] row)
        {
            var validator = new RosterRowValidator(layout, RosterTestData.Cover113First) { Policy = p };
            var found = new List<Diagnostic>();
            validator.Validate(row, 2, found);
            return found.Where(d => d.Code == DiagnosticCodes.PassFlagAgainstPassMark).ToList();
        }

        // 普通型 at 70: 65 passed is now a contradiction, and the message names the mark and the 學制.
        var day = Run(Grades, policy, RosterTestData.SemesterGrade(Grades, ("score", "65"), ("passed", "1"))).ShouldHaveSingleItem();
        day.Message.ShouldContain("70");
        day.Message.ShouldContain("普通型");
        Run(Grades, Portfolio.Sdk.Policy.PortfolioPolicy.Default, RosterTestData.SemesterGrade(Grades, ("score", "65"), ("passed", "1"))).ShouldBeEmpty();

        // 進修部 at 50 (whatever the course type); without a 進修部 mark ([U]), 進修部 rows are not checked, not held to the day mark.
        var continuing = RosterTestData.Layout("continuing-grades", "continuing-semester-grades");
        string?[] Row(string score, string flag) => RosterTestData.Row(continuing,
        [
            ("nationalId", "A123456789"), ("birthDate", "2008/05/13"), ("courseCode", "113060322H1110101010101"), ("subjectName", "國語文"),
            ("gradeLevel", "1"), ("periods", "4"), ("score", score), ("passed", flag), ("yearScore", "-1"), ("yearPassed", "-1"), ("hourCounting", "1"),
        ]);
        Run(continuing, policy, Row("55", "1")).ShouldBeEmpty();
        Run(continuing, policy, Row("45", "1")).ShouldHaveSingleItem().Message.ShouldContain("進修部");
        Run(continuing, Portfolio.Sdk.Policy.PortfolioPolicy.Default, Row("45", "1")).ShouldBeEmpty();
    }

    [Fact]
    public void PassMarks_OutsideZeroToHundred_AreRefusedByThePolicy()
    {
        using var json = new MemoryStream("""{ "national": [ { "from": 109, "passMarks": { "continuing": 120 } } ] }"""u8.ToArray());
        var loaded = Portfolio.Sdk.Policy.PortfolioPolicy.Load(json, "policy.json");
        loaded.Success.ShouldBeFalse();
        loaded.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.PolicyInvalid && d.Location!.Path!.EndsWith("].passMarks.continuing", StringComparison.Ordinal));
    }
}
