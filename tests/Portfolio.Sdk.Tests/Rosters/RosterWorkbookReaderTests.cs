using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters;

namespace Portfolio.Sdk.Tests.Rosters;

/// <summary>Workbooks as Excel or a vendor writes them: shared strings, rich text, booleans, gaps.</summary>
public sealed class RosterWorkbookReaderTests
{
    internal static MemoryStream VendorWorkbook(params (string Name, string?[][] Rows)[] sheets)
    {
        var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            var strings = workbook.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new SharedStringTable();
            uint id = 1;
            foreach (var (name, rows) in sheets)
            {
                var part = workbook.AddNewPart<WorksheetPart>();
                var data = new SheetData();
                for (var r = 0; r < rows.Length; r++)
                {
                    var row = new Row { RowIndex = (uint)(r + 1) };
                    for (var c = 0; c < rows[r].Length; c++)
                    {
                        if (rows[r][c] is not { } value)
                        {
                            continue;
                        }

                        var reference = ((char)('A' + c)).ToString() + (r + 1);
                        if (decimal.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _) && !value.StartsWith('0'))
                        {
                            row.Append(new Cell { CellReference = reference, CellValue = new CellValue(value) });
                        }
                        else
                        {
                            strings.SharedStringTable.Append(new SharedStringItem(new Text(value)));
                            row.Append(new Cell { CellReference = reference, DataType = CellValues.SharedString, CellValue = new CellValue((strings.SharedStringTable.Count() - 1).ToString(System.Globalization.CultureInfo.InvariantCulture)) });
                        }
                    }

                    data.Append(row);
                }

                part.Worksheet = new Worksheet(data);
                workbook.Workbook.Sheets!.Append(new Sheet { Name = name, SheetId = id++, Id = workbook.GetIdOfPart(part) });
            }
        }

        stream.Position = 0;
        return stream;
    }

    [Fact]
    public void ReadRows_SharedStringsAndNumbers_AsText()
    {
        using var stream = VendorWorkbook(("封面", [["學校代碼", "學年度", "學期"], ["060322", "113", "1"]]));

        using var reader = RosterWorkbookReader.Open(stream).Value!;
        var rows = reader.ReadRows("封面").ToList();

        reader.SheetNames.ShouldBe(["封面"]);
        rows.Count.ShouldBe(2);
        rows[1].Cells.ShouldBe(["060322", "113", "1"]);
        rows[1].RowNumber.ShouldBe(2);
    }

    [Fact]
    public void ReadRows_GapsInRowsAndCells_KeepPositions()
    {
        using var stream = VendorWorkbook(("S", [["a", null, "c"], [], ["x"]]));

        using var reader = RosterWorkbookReader.Open(stream).Value!;
        var rows = reader.ReadRows("S").ToList();

        rows.Select(r => r.RowNumber).ShouldBe([1, 3]);
        rows[0].Cells.ShouldBe(["a", null, "c"]);
    }

    [Fact]
    public void ReadRows_RichTextBooleansAndPhonetics()
    {
        var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            var strings = workbook.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new SharedStringTable(
                new SharedStringItem(new Run(new Text("王")), new Run(new Text("小明")), new PhoneticRun(new Text("ㄨㄤˊ")) { BaseTextStartIndex = 0, EndingBaseIndex = 1 }));
            var part = workbook.AddNewPart<WorksheetPart>();
            part.Worksheet = new Worksheet(new SheetData(new Row(
                new Cell { CellReference = "A1", DataType = CellValues.SharedString, CellValue = new CellValue("0") },
                new Cell { CellReference = "B1", DataType = CellValues.Boolean, CellValue = new CellValue("1") },
                new Cell { CellReference = "C1", DataType = CellValues.InlineString, InlineString = new InlineString(new Text("inline")) })
            { RowIndex = 1 }));
            workbook.Workbook.Sheets!.Append(new Sheet { Name = "S", SheetId = 1, Id = workbook.GetIdOfPart(part) });
        }

        stream.Position = 0;
        using var reader = RosterWorkbookReader.Open(stream).Value!;

        reader.ReadRows("S").Single().Cells.ShouldBe(["王小明", "TRUE", "inline"]);
    }

    [Theory]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04, 0x00 })]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46 })]
    public void Open_NotAWorkbook_GivesPF1001(byte[] bytes)
    {
        var outcome = RosterWorkbookReader.Open(new MemoryStream(bytes), "x.xlsx");

        outcome.Success.ShouldBeFalse();
        outcome.Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.WorkbookUnreadable);
        outcome.Diagnostics.Single().Location!.Source.ShouldBe("x.xlsx");
    }

    [Fact]
    public void Open_ZipWithoutWorkbook_GivesPF1001()
    {
        var stream = new MemoryStream();
        using (var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = new StreamWriter(zip.CreateEntry("hello.txt").Open());
            entry.Write("hi");
        }

        stream.Position = 0;
        RosterWorkbookReader.Open(stream).Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.WorkbookUnreadable);
    }

    [Fact]
    public void ReadRows_UnknownSheet_Throws()
    {
        using var stream = VendorWorkbook(("S", [["a"]]));
        using var reader = RosterWorkbookReader.Open(stream).Value!;

        Should.Throw<KeyNotFoundException>(() => reader.ReadRows("T"));
    }
}
