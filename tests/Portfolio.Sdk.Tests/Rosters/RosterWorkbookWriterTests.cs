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
    private static (string? Text, CellValues? Type) CellAt(SpreadsheetDocument document, string sheetName, string reference)
    {
        var workbook = document.WorkbookPart!;
        var sheet = workbook.Workbook.Sheets!.Elements<Sheet>().Single(s => s.Name == sheetName);
        var part = (WorksheetPart)workbook.GetPartById(sheet.Id!);
        var cell = part.Worksheet.Descendants<Cell>().SingleOrDefault(c => c.CellReference == reference);
        if (cell is null)
        {
            return (null, null);
        }

        var type = cell.DataType?.Value;
        return (type == CellValues.InlineString ? cell.InlineString!.InnerText : cell.CellValue?.Text, type);
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
