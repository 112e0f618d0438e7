using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using DocumentFormat.OpenXml.Validation;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;

namespace Portfolio.Sdk.Tests.Rosters;

/// <summary>The writer's output is opened with the OpenXml SDK's DOM (an independent reader) and checked cell by cell.</summary>
public sealed class RosterWorkbookWriterTests
{
    private static WorksheetPart SheetPart(SpreadsheetDocument document, string sheetName)
    {
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName);
        return (WorksheetPart)workbook.GetPartById(sheet.Id!);
    }

    // The writer leaves out cell references where a cell follows its neighbour (as SpreadsheetML allows), so cells
    // are placed as every spreadsheet program places them: by their reference when they have one, else next in line.
    private static Cell? FindCell(SpreadsheetDocument document, string sheetName, string reference)
    {
        var column = new string([.. reference.TakeWhile(char.IsLetter)]);
        var rowNumber = uint.Parse(reference[column.Length..], System.Globalization.CultureInfo.InvariantCulture);
        var wanted = column.Aggregate(0, (n, c) => (n * 26) + (c - 'A' + 1)) - 1;
        var row = SheetPart(document, sheetName).Worksheet.Descendants<Row>().SingleOrDefault(r => r.RowIndex?.Value == rowNumber);
        var index = -1;
        foreach (var cell in row?.Elements<Cell>() ?? [])
        {
            index = cell.CellReference?.Value is { } r ? new string([.. r.TakeWhile(char.IsLetter)]).Aggregate(0, (n, c) => (n * 26) + (c - 'A' + 1)) - 1 : index + 1;
            if (index == wanted)
            {
                return cell;
            }
        }

        return null;
    }

    private static (string? Text, CellValues? Type) CellAt(SpreadsheetDocument document, string sheetName, string reference)
    {
        if (FindCell(document, sheetName, reference) is not { } cell)
        {
            return (null, null);
        }

        var type = cell.DataType?.Value;
        return (type == CellValues.InlineString ? cell.InlineString!.InnerText : cell.CellValue?.Text, type);
    }

    private static CellFormat FormatAt(SpreadsheetDocument document, string sheetName, string reference)
    {
        var cell = FindCell(document, sheetName, reference).ShouldNotBeNull();
        var formats = document.WorkbookPart!.WorkbookStylesPart.ShouldNotBeNull().Stylesheet.CellFormats!.Elements<CellFormat>().ToList();
        return formats[(int)(cell.StyleIndex?.Value ?? 0)];
    }

    [Fact]
    public void Write_GradesBook_CoverThenSheetsInCatalogueOrder()
    {
        var book = RosterCatalogue.Default["grades"];
        using var stream = RosterTestData.Write(book, RosterTestData.Cover113First, w => w.BeginSheet("補修成績").Dispose());

        using var document = SpreadsheetDocument.Open(stream, false);
        document.WorkbookPart!.Workbook.Sheets!.Elements<Sheet>().Select(s => s.Name!.Value).ShouldBe(["封面", "學期成績", "補修成績", "轉學轉科成績"]);
        CellAt(document, "封面", "A1").Text.ShouldBe("學校代碼");
        CellAt(document, "封面", "A2").ShouldBe(("060322", CellValues.InlineString));
        CellAt(document, "封面", "B2").Text.ShouldBe("113");
        CellAt(document, "封面", "C2").Text.ShouldBe("1");
        CellAt(document, "封面", "D2").Text.ShouldBe("學生成績名冊");
    }

    [Fact]
    public void Write_Rows_KeepCodesAsTextAndNumbersAsNumbers()
    {
        var book = RosterCatalogue.Default["grades"];
        var layout = RosterTestData.Layout("grades", "semester-grades");
        using var stream = RosterTestData.Write(book, RosterTestData.Cover113First, w =>
        {
            using var sheet = w.BeginSheet("semester-grades");
            sheet.WriteRow(RosterTestData.SemesterGrade(layout, ("nationalId", "A123456789"), ("qualitativeDescription", "  前後空白  ")));
            sheet.RowCount.ShouldBe(1);
        });

        using var document = SpreadsheetDocument.Open(stream, false);
        CellAt(document, "學期成績", "A1").Text.ShouldBe("身分證號");
        CellAt(document, "學期成績", "A2").ShouldBe(("A123456789", CellValues.InlineString));
        CellAt(document, "學期成績", "C2").ShouldBe(("113060322H1110101010101", CellValues.InlineString));
        CellAt(document, "學期成績", "F2").ShouldBe(("4", null));
        CellAt(document, "學期成績", "G2").ShouldBe(("85.5", null));
        CellAt(document, "學期成績", "I2").ShouldBe(("-1", null));
        CellAt(document, "學期成績", "K2").ShouldBe(("1", CellValues.InlineString));
        CellAt(document, "學期成績", "L2").Text.ShouldBe("  前後空白  ");
        CellAt(document, "學期成績", "M2").Text.ShouldBeNull();
    }

    [Fact]
    public void Write_LeadingZerosAndControlCharacters_SurviveAsValidXml()
    {
        var book = RosterCatalogue.Default["student"];
        var layout = RosterTestData.Layout("student", "student-visiting");
        using var stream = RosterTestData.Write(book, new RosterCover(SchoolCode.Parse("000123"), new SchoolYear(113), Term.Second), w =>
        {
            using var sheet = w.BeginSheet("學生借讀資料");
            sheet.WriteRow(RosterTestData.Row(layout, ("nationalId", "A123456789"), ("homeSchoolCode", "013301"), ("visitingCode", "bell\u0007")));
        });

        using var document = SpreadsheetDocument.Open(stream, false);
        CellAt(document, "封面", "A2").Text.ShouldBe("000123");
        CellAt(document, "學生借讀資料", "B2").Text.ShouldBe("013301");
        CellAt(document, "學生借讀資料", "F2").Text.ShouldBe("bell\uFFFD");
    }

    [Fact]
    public void Write_Output_PassesTheOpenXmlSchemaValidator()
    {
        var book = RosterCatalogue.Default["performances"];
        var layout = RosterTestData.Layout("performances", "performance-service");
        using var stream = RosterTestData.Write(book, new RosterCover(SchoolCode.Parse("060322"), new SchoolYear(113), Term.WholeYear), w =>
        {
            using var sheet = w.BeginSheet("performance-service");
            for (var i = 0; i < 50; i++)
            {
                sheet.WriteRow(RosterTestData.Row(layout, ("nationalId", "A123456789"), ("serviceName", $"服務 {i}"), ("hours", "2.5")));
            }
        });

        using var document = SpreadsheetDocument.Open(stream, false);
        new OpenXmlValidator().Validate(document, TestContext.Current.CancellationToken).Select(e => $"{e.Part?.Uri} {e.Description}").ShouldBeEmpty();
        document.WorkbookPart!.WorksheetParts.Count().ShouldBe(11);
    }

    [Fact]
    public void Write_ColumnsOfTheCoverYear_AreUsed()
    {
        var book = RosterCatalogue.Default["retake-grades"];
        using var stream = RosterTestData.Write(book, new RosterCover(SchoolCode.Parse("060322"), new SchoolYear(108), Term.First), _ => { });

        using var reader = RosterWorkbookReader.Open(stream).Value!;
        var header = reader.ReadRows("重讀成績").First().Cells;
        header.ShouldNotContain("再次修習成績");
        header[^8].ShouldBe("DataKey");
    }

    [Fact]
    public void Write_Misuse_ThrowsClearly()
    {
        var book = RosterCatalogue.Default["grades"];
        using var stream = new MemoryStream();
        using var writer = RosterWorkbookWriter.Create(stream, book, RosterTestData.Cover113First);
        var sheet = writer.BeginSheet("學期成績");

        Should.Throw<InvalidOperationException>(() => writer.BeginSheet("補修成績"));
        Should.Throw<ArgumentException>(() => sheet.WriteRow(["too", "few"]));
        sheet.Dispose();
        Should.Throw<ObjectDisposedException>(() => sheet.WriteRow(new string?[sheet.Layout.Columns.Count]));
        Should.Throw<ArgumentException>(() => writer.BeginSheet("學期成績"));
        Should.Throw<ArgumentException>(() => writer.BeginSheet("不存在"));
    }

    [Fact]
    public void Write_ToANonSeekableStream_Works()
    {
        var book = RosterCatalogue.Default["cadre"];
        using var buffer = new MemoryStream();
        using (var forwardOnly = new ForwardOnlyStream(buffer))
        using (var writer = RosterWorkbookWriter.Create(forwardOnly, book, RosterTestData.Cover113First))
        {
            writer.Complete();
        }

        buffer.Position = 0;
        using var document = SpreadsheetDocument.Open(buffer, false);
        document.WorkbookPart!.Workbook.Sheets!.Count().ShouldBe(2);
    }

    [Fact]
    public void Write_IsLaidOutForAClerk_HeaderCodesNumbersWidthsFrozenPaneProperties()
    {
        var book = RosterCatalogue.Default["grades"];
        var layout = RosterTestData.Layout("grades", "semester-grades");
        using var stream = RosterTestData.Write(book, RosterTestData.Cover113First, w =>
        {
            using var sheet = w.BeginSheet("semester-grades");
            sheet.WriteRow(RosterTestData.SemesterGrade(layout, ("nationalId", "A123456789")));
        });

        using var document = SpreadsheetDocument.Open(stream, false);
        var fonts = document.WorkbookPart!.WorkbookStylesPart!.Stylesheet.Fonts!.Elements<Font>().ToList();

        var header = FormatAt(document, "學期成績", "A1");
        fonts[(int)header.FontId!.Value].Bold.ShouldNotBeNull();
        header.Alignment!.WrapText!.Value.ShouldBeTrue();

        // 身分證號 and 課程代碼 in text format (@, built-in 49): Excel neither flags nor converts them.
        FormatAt(document, "學期成績", "A2").NumberFormatId!.Value.ShouldBe(49u);
        FormatAt(document, "學期成績", "C2").NumberFormatId!.Value.ShouldBe(49u);
        FormatAt(document, "封面", "A2").NumberFormatId!.Value.ShouldBe(49u);
        FormatAt(document, "學期成績", "G2").Alignment!.Horizontal!.Value.ShouldBe(HorizontalAlignmentValues.Right);
        FormatAt(document, "學期成績", "K2").Alignment!.Horizontal!.Value.ShouldBe(HorizontalAlignmentValues.Left);

        var worksheet = SheetPart(document, "學期成績").Worksheet;
        var pane = worksheet.Descendants<Pane>().Single();
        pane.State!.Value.ShouldBe(PaneStateValues.Frozen);
        pane.VerticalSplit!.Value.ShouldBe(1d);
        var widths = worksheet.Descendants<Column>().ToDictionary(c => (int)c.Min!.Value, c => c.Width!.Value);
        widths.Count.ShouldBe(layout.Columns.Count);
        widths[1].ShouldBeGreaterThanOrEqualTo(12d);   // 身分證號: ten characters
        widths[3].ShouldBeGreaterThanOrEqualTo(25d);   // 課程代碼: 23 characters
        widths[7].ShouldBeLessThan(widths[3]);          // a score

        var properties = document.PackageProperties;
        properties.Title.ShouldBe("學生成績名冊");
        properties.Subject.ShouldBe("060322 113-1");
    }

    [Fact]
    public void Write_SameContent_GivesTheSameBytes()
    {
        var book = RosterCatalogue.Default["grades"];
        var layout = RosterTestData.Layout("grades", "semester-grades");
        byte[] Build(string score) => RosterTestData.Write(book, RosterTestData.Cover113First, w =>
        {
            using var sheet = w.BeginSheet("semester-grades");
            sheet.WriteRow(RosterTestData.SemesterGrade(layout, ("nationalId", "A123456789"), ("score", score)));
        }).ToArray();

        var first = Build("85.5");
        Thread.Sleep(TimeSpan.FromSeconds(2.1)); // past the two-second resolution of zip times
        var again = Build("85.5");
        var changed = Build("86");

        Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(again)).ShouldBe(Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(first)));
        changed.SequenceEqual(first).ShouldBeFalse();
    }

    [Theory]
    [InlineData("a & b < c > d")]
    [InlineData("tab\tand\nnewline\rreturn")]
    [InlineData("emoji 🎓 and 𠀀 (a character outside the BMP)")]
    [InlineData("   ")]
    public void Write_TextRoundTripsThroughTheReader(string text)
    {
        var value = text;
        var book = RosterCatalogue.Default["grades"];
        var layout = RosterTestData.Layout("grades", "semester-grades");
        using var stream = RosterTestData.Write(book, RosterTestData.Cover113First, w =>
        {
            using var sheet = w.BeginSheet("semester-grades");
            sheet.WriteRow(RosterTestData.SemesterGrade(layout, ("nationalId", "A123456789"), ("qualitativeDescription", value)));
        });

        using var reader = RosterWorkbookReader.Open(stream).Value!;
        var row = reader.ReadRows("學期成績").Skip(1).Single();
        row.Cells[layout.Columns.ToList().FindIndex(c => c.Key == "qualitativeDescription")].ShouldBe(value);
        row.Cells[0].ShouldBe("A123456789");
    }

    private sealed class ForwardOnlyStream(Stream inner) : Stream
    {
        private long _written;

        public override bool CanRead => false;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _written; set => throw new NotSupportedException(); }

        public override void Flush() => inner.Flush();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count)
        {
            inner.Write(buffer, offset, count);
            _written += count;
        }
    }
}
