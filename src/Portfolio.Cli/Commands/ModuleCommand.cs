using System.CommandLine;
using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Cli.Commands;

/// <summary><c>portfolio module stats</c>: the school's statistics, or a class's status, from the module's store.</summary>
internal static class ModuleCommand
{
    public static Command Build() => new("module", "學習歷程模組的資料庫 / the portfolio module's store") { Stats() };

    private static Command Stats()
    {
        var provider = new Option<string>("--provider") { Description = "資料庫種類：sqlite 或 postgres / the database kind: sqlite or postgres", Required = true };
        var connection = new Option<string>("--connection") { Description = "連線字串（sqlite 可只給檔名）/ connection string (a file name for sqlite)", Required = true };
        var year = new Option<int>("--year") { Description = "學年度，例如 113 / the school year, e.g. 113", Required = true };
        var @class = new Option<string?>("--class") { Description = "只看此班的學生狀態 / one class's status per student" };
        var json = new Option<bool>("--json") { Description = "以 JSON 輸出 / print JSON" };
        var command = new Command("stats", "全校統計（年級、班級、認證教師：上傳率、認證率、勾選率）或一班的學生狀態 / school statistics by grade, class and teacher, or one class's status")
        {
            provider, connection, year, @class, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            if (parse.GetValue(year) is not (>= SchoolYear.MinValue and <= SchoolYear.MaxValue) || SisCommand.Open(parse.GetValue(provider)!, parse.GetValue(connection)!) is not { } opened)
            {
                await error.WriteLineAsync("--provider 應為 sqlite 或 postgres，--year 應為學年度 / --provider must be sqlite or postgres and --year a school year");
                return ExitCodes.UsageOrUnreadable;
            }

            await using var dataSource = opened.DataSource;
            var store = new PortfolioStore(dataSource, opened.Dialect);
            var version = await store.SchemaVersionAsync(cancellationToken);
            if (version != StoreSchema.CurrentVersion)
            {
                await error.WriteLineAsync($"此資料庫的學習歷程資料表版本為 {version}，需要 {StoreSchema.CurrentVersion}（請先由模組啟動建立或升級）/ the store's schema version is {version}; {StoreSchema.CurrentVersion} is needed (start the module once to create or migrate it)");
                return ExitCodes.UsageOrUnreadable;
            }

            // Read-only: the statistics never touch files; the administrator's view is school-wide.
            var module = new PortfolioModule(store, new FileSystemContentStore(Path.Combine(Path.GetTempPath(), "portfolio-cli-files")), PortfolioPolicy.Default, TimeProvider.System);
            var actor = new PortfolioActor("portfolio-cli", new HashSet<PortfolioRole> { PortfolioRole.SystemAdministrator });
            var schoolYear = new SchoolYear(parse.GetValue(year));
            if (parse.GetValue(@class) is { } className)
            {
                var students = (await module.GetClassStatusAsync(actor, schoolYear, className, cancellationToken)).Value!;
                await (parse.GetValue(json) ? WriteClassJsonAsync(output, schoolYear, className, students) : WriteClassAsync(output, schoolYear, className, students));
            }
            else
            {
                var statistics = (await module.GetSchoolStatisticsAsync(actor, schoolYear, cancellationToken)).Value!;
                await (parse.GetValue(json) ? WriteSchoolJsonAsync(output, statistics) : WriteSchoolAsync(output, statistics));
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static string Percent(double rate) => rate.ToString("P1", CultureInfo.InvariantCulture);

    private static async Task WriteSchoolAsync(TextWriter output, SchoolStatistics statistics)
    {
        await output.WriteLineAsync($"{statistics.Year} 學年度學習歷程統計 / portfolio statistics, school year {statistics.Year}");
        foreach (var (title, rows) in new[] { ("年級 / grade", statistics.Grades), ("班級 / class", statistics.Classes), ("認證教師 / teacher", statistics.Teachers) })
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync($"{title,-20} students  uploaded  sent  certified  selected  上傳率 upload  認證率 certified  勾選率 selected");
            foreach (var r in rows)
            {
                var key = r.Key;
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"{key,-20} {r.Students,8}  {r.Uploaded,8}  {r.Sent,4}  {r.Certified,9}  {r.Selected,8}  {Percent(r.UploadRate),13}  {Percent(r.CertificationRate),16}  {Percent(r.SelectionRate),15}"));
            }
        }
    }

    private static async Task WriteClassAsync(TextWriter output, SchoolYear year, string className, IReadOnlyList<StudentStatus> students)
    {
        await output.WriteLineAsync($"{year} 學年度 {className} 班學生狀態 / class {className}, school year {year} (student keys masked)");
        await output.WriteLineAsync("student        uploaded  sent  certified  rejected  selected  多元表現 uploaded  多元表現 selected");
        foreach (var s in students)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"{Redaction.MaskIdentifier(s.StudentKey),-14} {s.Uploaded,8}  {s.Sent,4}  {s.Certified,9}  {s.Rejected,8}  {s.Selected,8}  {s.PerformancesUploaded,17}  {s.PerformancesSelected,17}"));
        }

        await output.WriteLineAsync($"尚未勾選 / nothing selected yet: {students.Count(s => s.HasNothingSelected)} of {students.Count}");
    }

    private static Task WriteSchoolJsonAsync(TextWriter output, SchoolStatistics statistics) => CliJson.WriteAsync(output, writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("year", statistics.Year.RocYear);
        foreach (var (name, rows) in new[] { ("grades", statistics.Grades), ("classes", statistics.Classes), ("teachers", statistics.Teachers) })
        {
            writer.WriteStartArray(name);
            foreach (var r in rows)
            {
                writer.WriteStartObject();
                writer.WriteString("key", r.Key);
                writer.WriteNumber("students", r.Students);
                writer.WriteNumber("studentsUploaded", r.StudentsUploaded);
                writer.WriteNumber("studentsSelected", r.StudentsSelected);
                writer.WriteNumber("uploaded", r.Uploaded);
                writer.WriteNumber("sent", r.Sent);
                writer.WriteNumber("certified", r.Certified);
                writer.WriteNumber("selected", r.Selected);
                writer.WriteNumber("uploadRate", Math.Round(r.UploadRate, 4));
                writer.WriteNumber("certificationRate", Math.Round(r.CertificationRate, 4));
                writer.WriteNumber("selectionRate", Math.Round(r.SelectionRate, 4));
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteEndObject();
    });

    private static Task WriteClassJsonAsync(TextWriter output, SchoolYear year, string className, IReadOnlyList<StudentStatus> students) => CliJson.WriteAsync(output, writer =>
    {
        writer.WriteStartObject();
        writer.WriteNumber("year", year.RocYear);
        writer.WriteString("class", className);
        writer.WriteStartArray("students");
        foreach (var s in students)
        {
            writer.WriteStartObject();
            writer.WriteString("student", Redaction.MaskIdentifier(s.StudentKey));
            writer.WriteNumber("uploaded", s.Uploaded);
            writer.WriteNumber("sent", s.Sent);
            writer.WriteNumber("certified", s.Certified);
            writer.WriteNumber("rejected", s.Rejected);
            writer.WriteNumber("selected", s.Selected);
            writer.WriteNumber("performancesUploaded", s.PerformancesUploaded);
            writer.WriteNumber("performancesSelected", s.PerformancesSelected);
            writer.WriteBoolean("nothingSelected", s.HasNothingSelected);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    });
}
