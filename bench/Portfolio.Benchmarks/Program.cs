// Bench program for the roster writer (docs/benchmarks.md). Each scenario runs in its own child process so that
// its peak working set is its own; the parent prints rows per second and ratios against the raw floor measured
// in the same run.
//   dotnet run -c Release --project bench/Portfolio.Benchmarks -- [rows...]      (default: 50000 200000)
//   dotnet run -c Release --project bench/Portfolio.Benchmarks -- sis [rows...]  (SIS read from PostgreSQL; needs PORTFOLIO_TEST_PG)
//   dotnet run -c Release --project bench/Portfolio.Benchmarks -- sis build [students]  (a school's semester rosters from PostgreSQL to files)
//   dotnet run -c Release --project bench/Portfolio.Benchmarks -- reconcile [rows...]  (a roster reconciled with its receipt)
//   dotnet run -c Release --project bench/Portfolio.Benchmarks -- module [sqlite] [postgres]  (the module's views and a selection burst)
using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Portfolio.Benchmarks;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;

var book = RosterCatalogue.Default["grades"];
var cover = new RosterCover(SchoolCode.Parse("060322"), new SchoolYear(113), Term.First);
var layout = book.FindSheet("semester-grades")!.LayoutFor(cover.Year);

if (args is ["sis", .. var sisArgs])
{
    return await SisBench.RunAsync(sisArgs);
}

if (args is ["module", .. var moduleArgs])
{
    return await ModuleBench.RunAsync(moduleArgs);
}

if (args is ["reconcile", .. var reconcileArgs])
{
    return await ReconcileBench.RunAsync(reconcileArgs);
}

if (args is ["--child", var childScenario, var rowsText])
{
    var rows = int.Parse(rowsText, CultureInfo.InvariantCulture);
    var path = Path.Combine(Path.GetTempPath(), $"bench-{childScenario}-{Environment.ProcessId}.xlsx");
    if (childScenario is "validate" or "exceldatareader")
    {
        Sdk(path, rows, validate: false);   // the file both readers read, written before the clock starts
    }

    var watch = Stopwatch.StartNew();
    var errors = childScenario switch
    {
        "raw" => Raw(path, rows),
        "sdk" => Sdk(path, rows, validate: true),
        "sdk-write" => Sdk(path, rows, validate: false),
        "rows-only" => RowsOnly(path, rows, validate: false),
        "validate-only" => RowsOnly(path, rows, validate: true),
        "dom" => Dom(path, rows),
        "spreadcheetah" => SpreadCheetahWrite(path, rows),
        "miniexcel" => MiniExcelWrite(path, rows),
        "validate" => ValidateFile(path, rows),
        "exceldatareader" => ExcelDataReaderRead(path, rows),
        _ => throw new ArgumentException(childScenario),
    };
    watch.Stop();
    var size = new FileInfo(path).Length;
    File.Delete(path);
    using var self = Process.GetCurrentProcess();
    self.Refresh();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{watch.Elapsed.TotalSeconds:F3} {self.PeakWorkingSet64} {GC.GetTotalAllocatedBytes()} {size} {errors}"));
    return 0;
}

var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [50_000, 200_000];
const int Repeats = 3;
Console.WriteLine($"roster write benchmark: 4.2 學期成績, {layout.Columns.Count} columns, {Environment.ProcessorCount} cores, .NET {Environment.Version}, median of {Repeats}");
Console.WriteLine($"{"scenario",-34} {"rows",8} {"seconds",8} {"rows/s",10} {"vs raw",7} {"peak MiB",9} {"alloc MiB",10} {"file MiB",9}");
foreach (var rows in sizes)
{
    double? rawSeconds = null;
    foreach (var (scenario, label) in new[]
    {
        ("raw", "raw floor (OpenXmlWriter, no checks)"), ("sdk-write", "SDK writer, no validation"), ("sdk", "SDK writer + row validation"),
        ("spreadcheetah", "SpreadCheetah 1.28 (write only)"), ("miniexcel", "MiniExcel 1.46 (write only)"), ("dom", "DOM (SpreadsheetDocument in memory)"),
        ("exceldatareader", "read: ExcelDataReader (values only)"), ("validate", "read: SDK roster validate"),
    })
    {
        var runs = Enumerable.Range(0, Repeats).Select(_ => RunChild(scenario, rows)).OrderBy(r => r.Seconds).ToList();
        var median = runs[Repeats / 2];
        rawSeconds ??= median.Seconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{label,-34} {rows,8} {median.Seconds,8:F2} {rows / median.Seconds,10:N0} {median.Seconds / rawSeconds.Value,7:F2} {median.PeakBytes / 1048576.0,9:F0} {median.AllocatedBytes / 1048576.0,10:F0} {median.FileBytes / 1048576.0,9:F1}")
            + (median.Errors > 0 ? $"  ({median.Errors} diagnostics!)" : string.Empty));
    }
}

return 0;

static (double Seconds, long PeakBytes, long AllocatedBytes, long FileBytes, int Errors) RunChild(string scenario, int rows)
{
    var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
    foreach (var argument in new[] { typeof(GradeRows).Assembly.Location, "--child", scenario, rows.ToString(CultureInfo.InvariantCulture) }.Skip(Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal) ? 0 : 1))
    {
        start.ArgumentList.Add(argument);
    }

    using var child = Process.Start(start)!;
    var line = child.StandardOutput.ReadToEnd().Trim().Split(' ');
    child.WaitForExit();
    return (double.Parse(line[0], CultureInfo.InvariantCulture), long.Parse(line[1], CultureInfo.InvariantCulture),
        long.Parse(line[2], CultureInfo.InvariantCulture), long.Parse(line[3], CultureInfo.InvariantCulture), int.Parse(line[4], CultureInfo.InvariantCulture));
}

// The SDK path: every row validated (unless measuring the writer alone), then streamed to the workbook.
int Sdk(string path, int rows, bool validate)
{
    using var file = File.Create(path);
    using var writer = RosterWorkbookWriter.Create(file, book, cover);
    using var sheet = writer.BeginSheet("semester-grades");
    var validator = new RosterRowValidator(sheet.Layout, cover);
    var diagnostics = new List<Diagnostic>();
    var rowNumber = 2;
    foreach (var row in GradeRows.Generate(sheet.Layout, rows))
    {
        if (validate)
        {
            validator.Validate(row, rowNumber++, diagnostics);
        }

        sheet.WriteRow(row);
    }

    return diagnostics.Count;
}

// Where the time of "sdk" goes (run alone: --child rows-only N, --child validate-only N): the rows generated, and
// generated + validated, with nothing written. The file is left empty.
int RowsOnly(string path, int rows, bool validate)
{
    var validator = new RosterRowValidator(layout, cover);
    var diagnostics = new List<Diagnostic>();
    var rowNumber = 2;
    var cells = 0L;
    foreach (var row in GradeRows.Generate(layout, rows))
    {
        if (validate)
        {
            validator.Validate(row, rowNumber++, diagnostics);
        }

        cells += row.Length;
    }

    File.WriteAllBytes(path, []);
    return cells > 0 ? diagnostics.Count : -1;
}

// The floor: the same cells with OpenXmlWriter into a streamed zip entry, no catalogue and no checks.
int Raw(string path, int rows)
{
    using var file = File.Create(path);
    using var zip = new ZipArchive(file, ZipArchiveMode.Create);
    using (var entry = zip.CreateEntry("xl/worksheets/sheet2.xml", CompressionLevel.Fastest).Open())
    using (var writer = OpenXmlWriter.Create(entry, new UTF8Encoding(false)))
    {
        var numeric = layout.Columns.Select(c => c.Type is RosterColumnType.Score or RosterColumnType.Credits or RosterColumnType.WholeNumber).ToArray();
        writer.WriteStartElement(new Worksheet());
        writer.WriteStartElement(new SheetData());
        var rowNumber = 1;
        foreach (var row in GradeRows.Generate(layout, rows))
        {
            var r = (rowNumber++).ToString(CultureInfo.InvariantCulture);
            writer.WriteStartElement(new Row(), [new OpenXmlAttribute("r", string.Empty, r)]);
            for (var i = 0; i < row.Length; i++)
            {
                if (row[i] is not { } value)
                {
                    continue;
                }

                var reference = ((char)('A' + i)).ToString() + r;
                if (numeric[i])
                {
                    writer.WriteStartElement(new Cell(), [new OpenXmlAttribute("r", string.Empty, reference)]);
                    writer.WriteElement(new CellValue(value));
                }
                else
                {
                    writer.WriteStartElement(new Cell(), [new OpenXmlAttribute("r", string.Empty, reference), new OpenXmlAttribute("t", string.Empty, "inlineStr")]);
                    writer.WriteElement(new InlineString(new Text(value)));
                }

                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }

        writer.WriteEndElement();
        writer.WriteEndElement();
    }

    return 0;
}

// The DOM approach: the whole sheet built as objects in memory, then saved.
int Dom(string path, int rows)
{
    using var document = SpreadsheetDocument.Create(path, SpreadsheetDocumentType.Workbook);
    var workbook = document.AddWorkbookPart();
    workbook.Workbook = new Workbook(new Sheets());
    var part = workbook.AddNewPart<WorksheetPart>();
    var data = new SheetData();
    var rowNumber = 1u;
    foreach (var row in GradeRows.Generate(layout, rows))
    {
        var xmlRow = new Row { RowIndex = rowNumber };
        for (var i = 0; i < row.Length; i++)
        {
            if (row[i] is { } value)
            {
                xmlRow.Append(new Cell { CellReference = ((char)('A' + i)).ToString() + rowNumber, DataType = CellValues.InlineString, InlineString = new InlineString(new Text(value)) });
            }
        }

        data.Append(xmlRow);
        rowNumber++;
    }

    part.Worksheet = new Worksheet(data);
    workbook.Workbook.Sheets!.Append(new Sheet { Name = "學期成績", SheetId = 1, Id = workbook.GetIdOfPart(part) });
    return 0;
}

// SpreadCheetah, the same cells (text as text, numeric columns as numbers), streaming to the file.
int SpreadCheetahWrite(string path, int rows)
{
    var numeric = layout.Columns.Select(c => c.Type is RosterColumnType.Score or RosterColumnType.Credits or RosterColumnType.WholeNumber).ToArray();
    return Task.Run(async () =>
    {
        await using var file = File.Create(path);
        await using var spreadsheet = await SpreadCheetah.Spreadsheet.CreateNewAsync(file);
        await spreadsheet.StartWorksheetAsync("學期成績");
        var cells = new SpreadCheetah.Cell[layout.Columns.Count];
        foreach (var row in GradeRows.Generate(layout, rows))
        {
            for (var i = 0; i < row.Length; i++)
            {
                cells[i] = row[i] is not { } value ? new SpreadCheetah.Cell()
                    : numeric[i] && decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? new SpreadCheetah.Cell(number)
                    : new SpreadCheetah.Cell(value);
            }

            await spreadsheet.AddRowAsync(cells);
        }

        await spreadsheet.FinishAsync();
        return 0;
    }).GetAwaiter().GetResult();
}

// MiniExcel, the same cells from an enumeration of rows (its streaming path).
int MiniExcelWrite(string path, int rows)
{
    var numeric = layout.Columns.Select(c => c.Type is RosterColumnType.Score or RosterColumnType.Credits or RosterColumnType.WholeNumber).ToArray();
    var headers = layout.Columns.Select(c => c.Header).ToArray();
    IEnumerable<IDictionary<string, object?>> Rows()
    {
        foreach (var row in GradeRows.Generate(layout, rows))
        {
            var cells = new Dictionary<string, object?>(headers.Length);
            for (var i = 0; i < row.Length; i++)
            {
                cells[headers[i]] = row[i] is not { } value ? null
                    : numeric[i] && decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out var number) ? number
                    : value;
            }

            yield return cells;
        }
    }

    MiniExcelLibs.MiniExcel.SaveAs(path, Rows(), sheetName: "學期成績");
    return 0;
}

// The SDK's roster validation of the written workbook: every cell read and checked.
int ValidateFile(string path, int rows)
{
    using var file = File.OpenRead(path);
    var report = new RosterWorkbookValidator().Validate(file, path);
    return report.RowCounts.Values.Sum() == rows ? report.Diagnostics.Count(d => d.IsError) : -1;
}

// ExcelDataReader reading every value of the same workbook: the read floor vendors know.
int ExcelDataReaderRead(string path, int rows)
{
    Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);   // ExcelDataReader's default configuration asks for code page 1252
    using var file = File.OpenRead(path);
    using var reader = ExcelDataReader.ExcelReaderFactory.CreateOpenXmlReader(file);
    var read = 0L;
    do
    {
        while (reader.Read())
        {
            for (var i = 0; i < reader.FieldCount; i++)
            {
                read += reader.GetValue(i) is null ? 0 : 1;
            }
        }
    }
    while (reader.NextResult());
    return read > rows ? 0 : -1;
}
