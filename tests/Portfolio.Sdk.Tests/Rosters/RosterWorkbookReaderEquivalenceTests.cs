using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using FsCheck;
using FsCheck.Fluent;
using Portfolio.Sdk.Rosters;

namespace Portfolio.Sdk.Tests.Rosters;

/// <summary>
/// The reader goes over the zip entries with an <see cref="System.Xml.XmlReader"/> since issue 13; before, it went
/// through the OpenXml SDK. On random vendor workbooks (shared strings, rich text with phonetic hints, inline strings,
/// booleans, numbers, formulas, gaps, white space, XML specials), it must read what the OpenXml SDK reads.
/// </summary>
public sealed class RosterWorkbookReaderEquivalenceTests
{
    private static readonly string[] Texts = ["060322", "王小明", "a<b>&c\"'", " ", "  lead", "trail  ", string.Empty, "line\nbreak", "Ａ１２", "👩‍👩‍👧", "85.5", "-1"];

    [Fact]
    public void ReadRows_RandomVendorWorkbooks_ReadWhatTheOpenXmlSdkReads()
    {
        var gen = from seed in Gen.Choose(0, int.MaxValue) from sheets in Gen.Choose(1, 3) select (seed, sheets);
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            using var stream = RandomWorkbook(new Random(c.seed), c.sheets);
            var expected = ReferenceRead(stream);
            stream.Position = 0;
            using var reader = RosterWorkbookReader.Open(stream, "v.xlsx").Value!;
            reader.SheetNames.ShouldBe(expected.Select(s => s.Name));
            foreach (var (name, rows) in expected)
            {
                var actual = reader.ReadRows(name).Select(r => (r.RowNumber, string.Join("|", r.Cells.Select(v => v ?? "∅")))).ToList();
                actual.ShouldBe(rows, name);
            }

            reader.Diagnostics.ShouldBeEmpty();
            return true;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(150));
    }

    [Fact]
    public void ReadRows_MutatedSheetXml_EndsWithADiagnostic_NeverAnException()
    {
        using var original = RandomWorkbook(new Random(7), 1);
        var bytes = original.ToArray();
        var gen = from position in Gen.Choose(0, 4000) from value in Gen.Elements('<', '>', '&', '"', '/', 'x', '\u0001', ' ') select (position, value);
        Prop.ForAll(Gen.ArrayOf(gen, 3).ToArbitrary(), edits =>
        {
            using var mutated = RewriteSheets(bytes, xml =>
            {
                var chars = xml.ToCharArray();
                foreach (var (position, value) in edits)
                {
                    chars[position % chars.Length] = value;
                }

                return new string(chars);
            });
            var opened = RosterWorkbookReader.Open(mutated, "m.xlsx");
            if (!opened.Success)
            {
                return opened.Diagnostics.Count > 0;
            }

            using var reader = opened.Value!;
            foreach (var name in reader.SheetNames)
            {
                _ = reader.ReadRows(name).Count();
            }

            return !reader.Failed || reader.Diagnostics.Count > 0;
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(300));
    }

    private static MemoryStream RewriteSheets(byte[] bytes, Func<string, string> change)
    {
        var output = new MemoryStream();
        using (var source = new ZipArchive(new MemoryStream(bytes), ZipArchiveMode.Read))
        using (var target = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in source.Entries)
            {
                using var from = new StreamReader(entry.Open(), Encoding.UTF8);
                var text = from.ReadToEnd();
                using var to = new StreamWriter(target.CreateEntry(entry.FullName).Open(), new UTF8Encoding(false));
                to.Write(entry.FullName.StartsWith("xl/worksheets/", StringComparison.Ordinal) ? change(text) : text);
            }
        }

        output.Position = 0;
        return output;
    }

    private static MemoryStream RandomWorkbook(Random random, int sheetCount)
    {
        var stream = new MemoryStream();
        using (var document = SpreadsheetDocument.Create(stream, SpreadsheetDocumentType.Workbook))
        {
            var workbook = document.AddWorkbookPart();
            workbook.Workbook = new Workbook(new Sheets());
            var strings = workbook.AddNewPart<SharedStringTablePart>();
            strings.SharedStringTable = new SharedStringTable();
            var shared = 0;
            for (var s = 0; s < sheetCount; s++)
            {
                var data = new SheetData();
                var rowNumber = 0u;
                for (var r = random.Next(0, 12); r > 0; r--)
                {
                    rowNumber += (uint)random.Next(1, 3);
                    var row = new Row { RowIndex = random.Next(6) == 0 ? null : rowNumber };
                    var column = 0;
                    for (var c = random.Next(0, 8); c > 0; c--)
                    {
                        column += random.Next(1, 3);
                        var cell = new Cell { CellReference = random.Next(5) == 0 ? null : ((char)('A' + column - 1)).ToString() + rowNumber };
                        var text = Texts[random.Next(Texts.Length)];
                        switch (random.Next(8))
                        {
                            case 0:
                                cell.CellValue = new CellValue(random.Next(-5, 1000).ToString(CultureInfo.InvariantCulture));
                                break;
                            case 1:
                                cell.DataType = CellValues.Boolean;
                                cell.CellValue = new CellValue(random.Next(2).ToString(CultureInfo.InvariantCulture));
                                break;
                            case 2:
                                cell.DataType = CellValues.InlineString;
                                cell.InlineString = new InlineString(new Text(text) { Space = SpaceProcessingModeValues.Preserve });
                                break;
                            case 3:
                                strings.SharedStringTable.Append(new SharedStringItem(
                                    new Run(new RunProperties(new Bold()), new Text(text) { Space = SpaceProcessingModeValues.Preserve }),
                                    new Run(new Text("尾")),
                                    new PhoneticRun(new Text("ㄨㄤˊ")) { BaseTextStartIndex = 0, EndingBaseIndex = 1 }));
                                cell.DataType = CellValues.SharedString;
                                cell.CellValue = new CellValue((shared++).ToString(CultureInfo.InvariantCulture));
                                break;
                            case 4:
                                cell.DataType = CellValues.String;
                                cell.CellFormula = new CellFormula("A1&\"x\"");
                                cell.CellValue = new CellValue(text);
                                break;
                            case 5:
                                // An index past the table: read as an empty cell.
                                cell.DataType = CellValues.SharedString;
                                cell.CellValue = new CellValue("99999");
                                break;
                            default:
                                strings.SharedStringTable.Append(new SharedStringItem(new Text(text) { Space = SpaceProcessingModeValues.Preserve }));
                                cell.DataType = CellValues.SharedString;
                                cell.CellValue = new CellValue((shared++).ToString(CultureInfo.InvariantCulture));
                                break;
                        }

                        row.Append(cell);
                    }

                    data.Append(row);
                }

                var part = workbook.AddNewPart<WorksheetPart>();
                part.Worksheet = new Worksheet(data);
                workbook.Workbook.Sheets!.Append(new Sheet { Name = "S" + s, SheetId = (uint)(s + 1), Id = workbook.GetIdOfPart(part) });
            }
        }

        stream.Position = 0;
        return stream;
    }

    // What the reader did before issue 13, through the OpenXml SDK's reader, kept as the reference.
    private static List<(string Name, List<(int, string)> Rows)> ReferenceRead(Stream stream)
    {
        using var document = SpreadsheetDocument.Open(stream, false);
        var workbook = document.WorkbookPart!;
        var strings = workbook.SharedStringTablePart?.SharedStringTable.Elements<SharedStringItem>().Select(TextOf).ToList() ?? [];
        var result = new List<(string, List<(int, string)>)>();
        foreach (var sheet in workbook.Workbook.Sheets!.Elements<Sheet>())
        {
            var part = (WorksheetPart)workbook.GetPartById(sheet.Id!.Value!);
            var rows = new List<(int, string)>();
            var rowNumber = 0;
            using var reader = OpenXmlReader.Create(part);
            var cells = new List<string?>();
            var inRow = false;
            while (reader.Read())
            {
                if (reader.ElementType == typeof(Row))
                {
                    if (reader.IsStartElement)
                    {
                        inRow = true;
                        cells.Clear();
                        var r = reader.Attributes.FirstOrDefault(a => a.LocalName == "r").Value;
                        rowNumber = int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : rowNumber + 1;
                    }
                    else if (inRow)
                    {
                        inRow = false;
                        if (cells.Count > 0)
                        {
                            rows.Add((rowNumber, string.Join("|", cells.Select(v => v ?? "∅"))));
                        }
                    }
                }
                else if (inRow && reader.ElementType == typeof(Cell) && reader.IsStartElement)
                {
                    var cell = (Cell)reader.LoadCurrentElement()!;
                    var reference = cell.CellReference?.Value;
                    var index = string.IsNullOrEmpty(reference) ? cells.Count : reference.TakeWhile(char.IsAsciiLetterUpper).Aggregate(0, (a, ch) => (a * 26) + (ch - 'A' + 1)) - 1;
                    while (cells.Count <= index)
                    {
                        cells.Add(null);
                    }

                    var raw = cell.CellValue?.Text;
                    cells[index] = cell.DataType?.InnerText switch
                    {
                        "inlineStr" => cell.InlineString is { } inline ? TextOf(inline) : null,
                        "s" => int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < strings.Count ? strings[i] : null,
                        "b" => raw == "1" ? "TRUE" : "FALSE",
                        _ => string.IsNullOrEmpty(raw) ? null : raw,
                    };
                }
            }

            result.Add((sheet.Name!.Value!, rows));
        }

        return result;
    }

    private static string TextOf(OpenXmlElement container)
    {
        var sb = new StringBuilder();
        foreach (var child in container.ChildElements)
        {
            if (child is Text text)
            {
                sb.Append(text.Text);
            }
            else if (child is Run run && run.Text is { } runText)
            {
                sb.Append(runText.Text);
            }
        }

        return sb.ToString();
    }
}
