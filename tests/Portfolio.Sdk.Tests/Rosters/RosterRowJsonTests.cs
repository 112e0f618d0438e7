using System.Text.Json;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Rosters.Rows;

namespace Portfolio.Sdk.Tests.Rosters;

public sealed class RosterRowJsonTests
{
    internal static SemesterGradesRow SampleGrade() => new()
    {
        NationalId = NationalId.Parse("A123456789"),
        BirthDate = new DateOnly(2008, 5, 13),
        CourseCode = CourseCode.Parse("113060322H1110101010101"),
        SubjectName = "國語文",
        GradeLevel = 1,
        Credits = 4,
        Score = 85.5m,
        Passed = "1",
        MakeupExamScore = null,
        MakeupExamPassed = "-1",
        CreditCounting = "1",
        RemarkName = "王小明",
    };

    [Fact]
    public void JsonForm_UsesTheCatalogueKeysAndRoundTrips()
    {
        var row = SampleGrade();

        var json = JsonSerializer.Serialize(row);
        var back = JsonSerializer.Deserialize<SemesterGradesRow>(json);

        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        root.GetProperty("nationalId").GetString().ShouldBe("A123456789");
        root.GetProperty("birthDate").GetString().ShouldBe("2008-05-13");
        root.GetProperty("courseCode").GetString().ShouldBe("113060322H1110101010101");
        root.GetProperty("score").GetDecimal().ShouldBe(85.5m);
        root.GetProperty("makeupExamScore").ValueKind.ShouldBe(JsonValueKind.Null);
        root.TryGetProperty("sheetId", out _).ShouldBeFalse();
        back.ShouldBe(row);
    }

    [Fact]
    public void JsonForm_InvalidIdOrMissingRequiredField_FailsWithoutLeakingTheId()
    {
        var badId = JsonSerializer.Serialize(SampleGrade()).Replace("A123456789", "A123456788", StringComparison.Ordinal);
        var ex = Should.Throw<JsonException>(() => JsonSerializer.Deserialize<SemesterGradesRow>(badId));
        ex.Message.ShouldNotContain("A123456788");

        Should.Throw<JsonException>(() => JsonSerializer.Deserialize<SemesterGradesRow>("""{ "nationalId": "A123456789" }"""));
    }

    [Fact]
    public void ToString_ShowsOnlyTheMaskedKey()
    {
        var text = SampleGrade().ToString();

        text.ShouldBe("SemesterGradesRow { NationalId = A12****789 }");
        text.ShouldNotContain("王小明");
    }

    [Fact]
    public void TypedRows_WriteAndValidateClean_WithMinusOneForMissingScores()
    {
        var book = RosterCatalogue.Default["grades"];
        using var stream = RosterTestData.Write(book, RosterTestData.Cover113First, w =>
        {
            using var sheet = w.BeginSheet(SemesterGradesRow.Sheet);
            var validator = new RosterRowValidator(sheet.Layout, RosterTestData.Cover113First);
            var diagnostics = new List<Diagnostic>();
            validator.Validate(SampleGrade(), 2, diagnostics).ShouldBeTrue();
            diagnostics.ShouldBeEmpty();
            sheet.WriteRow(SampleGrade());
        });

        using var reader = RosterWorkbookReader.Open(stream).Value!;
        var cells = reader.ReadRows("學期成績").Skip(1).Single().Cells;
        cells[0].ShouldBe("A123456789");
        cells[1].ShouldBe("2008/05/13");
        cells[8].ShouldBe("-1");
        stream.Position = 0;
        new RosterWorkbookValidator().Validate(stream, cancellationToken: TestContext.Current.CancellationToken).Diagnostics.ShouldBeEmpty();
    }

    [Fact]
    public void TypedRow_ForAnotherSheet_IsRefused()
    {
        var book = RosterCatalogue.Default["grades"];
        using var stream = new MemoryStream();
        using var writer = RosterWorkbookWriter.Create(stream, book, RosterTestData.Cover113First);
        using var sheet = writer.BeginSheet("補修成績");

        Should.Throw<ArgumentException>(() => sheet.WriteRow(SampleGrade()));
    }

    [Fact]
    public void VersionedColumn_IsSkippedInYearsWithoutIt()
    {
        var row = new RepeatYearRow
        {
            NationalId = NationalId.Parse("A123456789"),
            BirthDate = new DateOnly(2008, 5, 13),
            CourseCode = CourseCode.Parse("108060322H1110101010101"),
            SubjectName = "數學",
            GradeLevel = 1,
            Credits = 4,
            SecondAttemptScore = 70,
            SecondAttemptPassed = "1",
            MakeupExamPassed = "-1",
            Passed = "1",
            RepeatScore = 72,
            RepeatNote = "2",
            CreditCounting = "1",
        };
        var old = RosterCatalogue.Default["retake-grades"].FindSheet("repeat-year")!.LayoutFor(new SchoolYear(108));
        var cells = new string?[old.Columns.Count];

        row.WriteCells(old, cells);

        cells.ShouldNotContain("70");
        cells[old.IndexOf("repeatScore")].ShouldBe("72");
    }
}
