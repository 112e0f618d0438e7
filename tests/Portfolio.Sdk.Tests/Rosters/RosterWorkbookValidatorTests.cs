using FsCheck;
using FsCheck.Fluent;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;

namespace Portfolio.Sdk.Tests.Rosters;

public sealed class RosterWorkbookValidatorTests
{
    private static readonly RosterBook Grades = RosterCatalogue.Default["grades"];
    private static readonly RosterSheetLayout SemesterGrades = RosterTestData.Layout("grades", "semester-grades");

    private static RosterValidationReport Validate(Stream stream) => new RosterWorkbookValidator().Validate(stream, "t.xlsx", TestContext.Current.CancellationToken);

    [Fact]
    public void Validate_OurOwnWorkbook_RoundTripsRowsAndCover()
    {
        using var stream = RosterTestData.Write(Grades, RosterTestData.Cover113First, w =>
        {
            using var sheet = w.BeginSheet("semester-grades");
            sheet.WriteRow(RosterTestData.SemesterGrade(SemesterGrades));
            sheet.WriteRow(RosterTestData.SemesterGrade(SemesterGrades, ("courseCode", "113060322H1110101010102")));
        });

        var report = Validate(stream);

        report.IsReadable.ShouldBeTrue();
        report.Diagnostics.ShouldBeEmpty();
        report.Book.ShouldBe(Grades);
        report.Cover.ShouldBe(RosterTestData.Cover113First);
        report.RowCounts["學期成績"].ShouldBe(2);
        report.RowCounts["補修成績"].ShouldBe(0);
    }

    [Fact]
    public void Validate_BadRowsInAWrittenWorkbook_ReportRowNumbersOfTheSheet()
    {
        using var stream = RosterTestData.Write(Grades, RosterTestData.Cover113First, w =>
        {
            using var sheet = w.BeginSheet("semester-grades");
            sheet.WriteRow(RosterTestData.SemesterGrade(SemesterGrades));
            sheet.WriteRow(RosterTestData.SemesterGrade(SemesterGrades, ("courseCode", "113060322H1110101010102"), ("credits", "T")));
        });

        var report = Validate(stream);

        report.HasErrors.ShouldBeTrue();
        var diagnostic = report.Diagnostics.Single();
        diagnostic.Code.ShouldBe(DiagnosticCodes.CreditsNotNumeric);
        diagnostic.Location.ShouldBe(new DiagnosticLocation("t.xlsx", "grades", "學期成績", 3, "修課學分"));
    }

    [Fact]
    public void Validate_TestSchoolOnTheCover_IsAnError()
    {
        using var stream = RosterTestData.Write(Grades, new RosterCover(SchoolCode.Parse("000000"), new SchoolYear(113), Term.First), _ => { });

        Validate(stream).Diagnostics.Select(d => d.Code).ShouldContain(DiagnosticCodes.CoverTestSchool);
    }

    [Fact]
    public void Validate_PerYearBookWithATerm_IsAnError()
    {
        var book = RosterCatalogue.Default["performances"];
        using var stream = RosterTestData.Write(book, new RosterCover(SchoolCode.Parse("060322"), new SchoolYear(113), Term.Second), _ => { });

        var report = Validate(stream);

        report.Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.CoverTermCadence);
        report.Diagnostics.Single().Location!.Column.ShouldBe("學期");
    }

    [Fact]
    public void Validate_ANameTypedIntoAHeaderCell_IsLocatedByItsLettersAndNeverQuoted()
    {
        var headers = SemesterGrades.Columns.Select(c => c.Header).ToList<string?>();
        using var stream = RosterWorkbookReaderTests.VendorWorkbook(
            ("封面", [["學校代碼", "學年度", "學期"], ["060322", "113", "1"]]),
            ("學期成績", [[.. headers, "劉冠宇"], [.. RosterTestData.SemesterGrade(SemesterGrades), null]]));

        var unknown = Validate(stream).Diagnostics.Single(d => d.Code == DiagnosticCodes.ColumnUnknown);

        unknown.Location!.Column.ShouldBe(DiagnosticLocation.SpreadsheetColumn(headers.Count));
        unknown.ToString().ShouldNotContain("劉冠宇");
    }

    [Fact]
    public void Validate_CodesThatLostTheirLeadingZeros_AreDiagnosedAtTheCellWithTheFix()
    {
        var visiting = RosterTestData.Layout("student", "student-visiting");
        var row = RosterTestData.Row(visiting, ("nationalId", "A123456789"), ("homeSchoolCode", "13301"), ("visitingSchoolCode", "060322"));
        using var stream = RosterWorkbookReaderTests.VendorWorkbook(
            ("封面", [["學校代碼", "學年度", "學期"], ["60322", "113", "1"]]),                        // 060322, made a number by Excel
            ("學生借讀資料", [[.. visiting.Columns.Select(c => c.Header)], row]));

        var report = Validate(stream);

        report.IsReadable.ShouldBeTrue();                                                        // not "unreadable": the rows are still checked
        var cover = report.Diagnostics.Single(d => d.Code == DiagnosticCodes.LeadingZerosLost && d.Location!.Sheet == "封面");
        cover.Location!.Column.ShouldBe("學校代碼");
        cover.MessageEnglish.ShouldContain("\"060322\"");
        var cell = report.Diagnostics.Single(d => d.Code == DiagnosticCodes.LeadingZerosLost && d.Location!.Sheet == "學生借讀資料");
        cell.Location!.Row.ShouldBe(2);
        cell.MessageEnglish.ShouldContain("\"013301\"");
    }

    [Fact]
    public void Validate_SheetNamesWithStraySpacesOrFullWidthCharacters_AreReadWithAWarning_NeverSkipped()
    {
        var headers = SemesterGrades.Columns.Select(c => c.Header).ToList<string?>();
        using var stream = RosterWorkbookReaderTests.VendorWorkbook(
            ("封面 ", [["學校代碼", "學年度", "學期"], ["060322", "113", "1"]]),
            ("學期成績\u200B", [[.. headers], RosterTestData.SemesterGrade(SemesterGrades, ("credits", "T"))]),
            (" 補修成績", [[.. RosterTestData.Layout("grades", "makeup-course-grades").Columns.Select(c => c.Header)]]),
            ("轉學轉科成績", [[.. RosterTestData.Layout("grades", "transfer-grades").Columns.Select(c => c.Header)]]));

        var report = Validate(stream);

        report.IsReadable.ShouldBeTrue();
        report.Book.ShouldBe(Grades);
        report.RowCounts["學期成績"].ShouldBe(1);
        report.Diagnostics.Count(d => d.Code == DiagnosticCodes.SheetNameApproximate).ShouldBe(3);
        report.Diagnostics.ShouldNotContain(d => d.Code == DiagnosticCodes.SheetMissing || d.Code == DiagnosticCodes.SheetUnknown);
        report.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.CreditsNotNumeric);   // the rows were checked
    }

    [Theory]
    [InlineData(0, "A")]
    [InlineData(25, "Z")]
    [InlineData(26, "AA")]
    [InlineData(701, "ZZ")]
    [InlineData(702, "AAA")]
    public void SpreadsheetColumn_IsTheLettersExcelShows(int index, string letters) =>
        DiagnosticLocation.SpreadsheetColumn(index).ShouldBe(letters);

    [Fact]
    public void Validate_VendorWorkbookWithShuffledAndExtraColumns_StillChecksEveryRow()
    {
        var headers = SemesterGrades.Columns.Select(c => c.Header).ToList();
        var row = RosterTestData.SemesterGrade(SemesterGrades, ("credits", "T"));

        // Swap the first two columns, drop DataKey, add a column the spec does not have.
        string?[] Shuffle(IReadOnlyList<string?> cells) => [cells[1], cells[0], .. cells.Skip(2).Where((_, i) => i != 10), "extra"];
        using var stream = RosterWorkbookReaderTests.VendorWorkbook(
            ("封面", [["學校代碼", "學年度", "學期"], ["060322", "113", "1"]]),
            ("學期成績", [Shuffle(headers), Shuffle(row)]),
            ("補修成績", [[.. RosterTestData.Layout("grades", "makeup-course-grades").Columns.Select(c => c.Header)]]));

        var report = Validate(stream);

        report.Book.ShouldBe(Grades);
        var codes = report.Diagnostics.Select(d => d.Code).ToList();
        codes.ShouldContain(DiagnosticCodes.ColumnOrder);
        codes.ShouldContain(DiagnosticCodes.ColumnUnknown);
        codes.ShouldContain(DiagnosticCodes.SheetMissing);
        codes.ShouldContain(DiagnosticCodes.CreditsNotNumeric);
        report.Diagnostics.Single(d => d.Code == DiagnosticCodes.ColumnMissing).Severity.ShouldBe(DiagnosticSeverity.Warning);
        report.Diagnostics.Single(d => d.Code == DiagnosticCodes.CreditsNotNumeric).Location!.Row.ShouldBe(2);
    }

    [Fact]
    public void Validate_MissingRequiredColumn_IsAnError()
    {
        var headers = SemesterGrades.Columns.Select(c => c.Header).Where(h => h != "課程代碼").ToArray();
        using var stream = RosterWorkbookReaderTests.VendorWorkbook(
            ("封面", [["學校代碼", "學年度", "學期"], ["060322", "113", "1"]]),
            ("學期成績", [headers]));

        var missing = Validate(stream).Diagnostics.Single(d => d.Code == DiagnosticCodes.ColumnMissing);

        missing.Severity.ShouldBe(DiagnosticSeverity.Error);
        missing.Location!.Column.ShouldBe("課程代碼");
    }

    [Fact]
    public void Validate_NoCover_IsUnreadableWithPF1003()
    {
        using var stream = RosterWorkbookReaderTests.VendorWorkbook(("學期成績", [["身分證號"]]));

        var report = Validate(stream);

        report.IsReadable.ShouldBeFalse();
        report.Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.CoverMissing);
    }

    [Fact]
    public void Validate_UnknownBook_IsUnreadableWithPF1002()
    {
        using var stream = RosterWorkbookReaderTests.VendorWorkbook(("工作表1", [["a"]]));

        var report = Validate(stream);

        report.IsReadable.ShouldBeFalse();
        report.Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.BookUnrecognised);
    }

    [Fact]
    public void Validate_TruncatedWorkbook_IsUnreadableNotAnException()
    {
        using var full = RosterTestData.Write(Grades, RosterTestData.Cover113First, w =>
        {
            using var sheet = w.BeginSheet("semester-grades");
            for (var i = 0; i < 200; i++)
            {
                sheet.WriteRow(RosterTestData.SemesterGrade(SemesterGrades, ("courseCode", $"113060322H11101010101{i % 100:00}")));
            }
        });
        var bytes = full.ToArray();

        foreach (var length in new[] { 10, bytes.Length / 3, bytes.Length / 2, bytes.Length - 30 })
        {
            var report = Validate(new MemoryStream(bytes[..length]));
            report.IsReadable.ShouldBeFalse($"length {length}");
            report.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.WorkbookUnreadable);
        }
    }

    [Fact]
    public void Validate_RandomBytes_NeverThrow()
    {
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), bytes =>
        {
            var report = Validate(new MemoryStream(bytes ?? []));
            return !report.IsReadable && report.HasErrors;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    [Fact]
    public void Validate_MutatedWorkbooks_NeverThrow()
    {
        using var original = RosterTestData.Write(Grades, RosterTestData.Cover113First, w =>
        {
            using var sheet = w.BeginSheet("semester-grades");
            sheet.WriteRow(RosterTestData.SemesterGrade(SemesterGrades));
        });
        var bytes = original.ToArray();
        var edits = from position in Gen.Choose(0, bytes.Length - 1) from value in Gen.Choose(0, 255) select (position, (byte)value);

        Prop.ForAll(Gen.ArrayOf(edits, 4).ToArbitrary(), changes =>
        {
            var copy = (byte[])bytes.Clone();
            foreach (var (position, value) in changes)
            {
                copy[position] = value;
            }

            var report = Validate(new MemoryStream(copy));
            return report.IsReadable || report.HasErrors;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }
}
