// Quick start for a school's in-house developer: read the SIS through a mapping profile, build this term's
// 學生成績名冊 from it, and validate the workbook before it goes anywhere near the central database.
// Usage: QuickStart [sis.db] [out-folder]. Without a database it builds the demo SIS first.
using Microsoft.Data.Sqlite;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.TermRosters;

var folder = Directory.CreateDirectory(args.Length > 1 ? args[1] : "quickstart-out").FullName;
var database = args.Length > 0 ? args[0] : Path.Combine(folder, "demo-sis.db");
await using var sis = SqliteFactory.Instance.CreateDataSource($"Data Source={database};Pooling=False");
if (args.Length == 0)
{
    await DemoSis.GenerateAsync(sis, new DemoSisOptions { Students = 30, Term = SchoolTerm.Parse("113-1") });
}

// <readme:quickstart>
var reader = new SisReader(sis, DemoSis.Profile(SqlDialect.Sqlite));   // your SIS: SisProfile.Load(profile.json)
var builder = new TermRosterBuilder(reader) { DefaultDivision = "1" };
var path = Path.Combine(folder, "060322_113-1_學生成績名冊.xlsx");
await using (var file = File.Create(path))
{
    var written = await builder.WriteGradesAsync(file, SchoolCode.Parse("060322"), SchoolTerm.Parse("113-1"));
    Console.WriteLine($"{written.Rows} rows written; {written.RowsLeftOut} SIS rows left out:");
    foreach (var problem in written.Diagnostics.Take(5))
    {
        Console.WriteLine($"  {problem}");                            // PF2102 [source=sis:grades, row=…]: …
    }
}

await using (var file = File.OpenRead(path))
{
    var report = new RosterWorkbookValidator().Validate(file, Path.GetFileName(path));
    Console.WriteLine(report.HasErrors ? "the roster has errors" : $"{path}: valid, ready to submit");
}
// </readme:quickstart>
