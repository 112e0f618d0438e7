// Rosters sample: write this term's 學期成績 roster from typed rows, validate every row as it is written (the
// rows below include the data-quality problems the central database's research extract found), then build the
// per-year 課程學習成果 upload package with its evidence file. Usage: Rosters [output-folder]
using System.Text;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Rosters.Rows;
using Portfolio.Sdk.Schools;

var folder = Directory.CreateDirectory(args.Length > 0 ? args[0] : "roster-out").FullName;
var school = SchoolCode.Parse("060322");
var term = SchoolTerm.Parse("113-1");

// 1. The semester grade roster (學生成績名冊), streamed to disk; each row is validated before it is written.
var grades = RosterCatalogue.Default["grades"];
var cover = RosterCover.For(grades, school, term);
SemesterGradesRow Grade(string id, string course, decimal? score, string passed, decimal? makeup = null, string counting = "1", decimal credits = 2) => new()
{
    NationalId = NationalId.Parse(id),
    BirthDate = new DateOnly(2008, 5, 13),
    CourseCode = CourseCode.Parse(course),
    SubjectName = "科目",
    GradeLevel = 1,
    Credits = credits,
    Score = score,
    Passed = passed,
    MakeupExamScore = makeup,
    MakeupExamPassed = makeup is null ? "-1" : "1",
    CreditCounting = counting,
};

SemesterGradesRow[] rows =
[
    Grade("A123456789", "113060322H1110101010101", 88, "1"),
    Grade("A123456789", "113060322H11101080D0101", 75, "1", counting: "3"),
    Grade("F131104093", "113060322H1110101010101", 0, "1"),                   // 0 分卻標示及格
    Grade("F131104093", "113060322H1110109010101", 70, "1"),                  // 彈性學習時間，科目屬性不是 D
    Grade("AC01234567", "113060322H1110101010101", 92, "1", makeup: 60),      // 已及格卻有補考成績
    Grade("A800000014", "113060322H1110101010101", 45, "0", makeup: 62),
];

var diagnostics = new List<Diagnostic>();
var gradesFile = Path.Combine(folder, $"{school}_{term}_學生成績名冊.xlsx");
await using (var file = File.Create(gradesFile))
using (var writer = RosterWorkbookWriter.Create(file, grades, cover))
using (var sheet = writer.BeginSheet(SemesterGradesRow.Sheet))
{
    var validator = new RosterRowValidator(sheet.Layout, cover, source: Path.GetFileName(gradesFile));
    foreach (var row in rows)
    {
        validator.Validate(row, sheet.RowCount + 2, diagnostics);
        sheet.WriteRow(row);
    }
}

Console.WriteLine($"{gradesFile}: {rows.Length} rows, {diagnostics.Count(d => d.IsError)} errors");
foreach (var diagnostic in diagnostics)
{
    Console.WriteLine($"  {diagnostic.Code} row {diagnostic.Location?.Row} {diagnostic.Location?.Column}: {diagnostic.Message}");
}

// 2. The per-year course-outcome package: the workbook, the evidence file named by its hash, and the manifest.
var outcomes = RosterCatalogue.Default["course-outcomes"];
var packageFile = Path.Combine(folder, $"{school}_{term.Year}_學生課程學習成果名冊.zip");
await using (var file = File.Create(packageFile))
using (var package = RosterPackageWriter.Create(file, outcomes, RosterCover.For(outcomes, school, term)))
{
    var report = await package.AddFileAsync(new MemoryStream(Encoding.ASCII.GetBytes("%PDF-1.7\n% 閱讀報告\n%%EOF\n")));
    var evidence = report.Value!;
    package.WriteWorkbook(workbook =>
    {
        using var sheet = workbook.BeginSheet(OutcomeSemesterRow.Sheet);
        sheet.WriteRow(new OutcomeSemesterRow
        {
            NationalId = NationalId.Parse("A123456789"),
            ActualTerm = "1131",
            CourseCode = CourseCode.Parse("113060322H1110101010101"),
            SubjectName = "國語文",
            GradeLevel = 1,
            Credits = 4,
            Summary = "閱讀《傲慢與偏見》後的比較報告；我負責第二、三章的分析與結論。",
            DocumentLink = evidence.Path,
            DocumentMd5 = evidence.Md5,
        });
    });
    var manifest = package.Complete();
    Console.WriteLine($"{packageFile}: {manifest.Files.Count} file(s), workbook sha256 {manifest.Workbook.Sha256[..12]}…");
}

await using (var file = File.OpenRead(packageFile))
{
    var verified = new RosterPackageVerifier().Verify(file, Path.GetFileName(packageFile));
    Console.WriteLine($"package verified: {(verified.HasErrors ? "errors" : "ok")} ({verified.Diagnostics.Count} diagnostics)");
}

return 0;
