using System.CommandLine;
using System.Globalization;
using Portfolio.Sdk;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Documents;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Cli.Commands;

/// <summary><c>portfolio module stats</c>: the school's statistics, or a class's status, from the module's store.</summary>
internal static class ModuleCommand
{
    public static Command Build() => new("module", "學習歷程模組的資料庫 / the portfolio module's store") { Stats(), ConfirmationSheet() };

    /// <summary>The CLI acts as the school's administrator (read-only commands: school-wide views).</summary>
    internal static readonly PortfolioActor CliAdministrator = new("portfolio-cli", new HashSet<PortfolioRole> { PortfolioRole.SystemAdministrator });

    /// <summary>
    /// A read-only module over a store at <see cref="StoreSchema.CurrentVersion"/>, or <see langword="null"/> after saying
    /// on <paramref name="error"/> that the store is missing or at another version (the CLI never creates or migrates it).
    /// </summary>
    internal static Task<PortfolioModule?> OpenReadOnlyAsync(System.Data.Common.DbDataSource dataSource, Portfolio.Sdk.Data.SqlDialect dialect, TextWriter error, CancellationToken cancellationToken) =>
        OpenExistingAsync(dataSource, dialect, Path.Combine(Path.GetTempPath(), "portfolio-cli-files"), error, cancellationToken);

    // The module over an existing store of the current schema version (the CLI never creates or migrates one), with
    // its evidence files in the given folder.
    internal static async Task<PortfolioModule?> OpenExistingAsync(System.Data.Common.DbDataSource dataSource, Portfolio.Sdk.Data.SqlDialect dialect, string files, TextWriter error,
        CancellationToken cancellationToken)
    {
        var store = new PortfolioStore(dataSource, dialect);
        var version = await store.SchemaVersionAsync(cancellationToken);
        if (version != StoreSchema.CurrentVersion)
        {
            await error.WriteLineAsync($"此資料庫的學習歷程資料表版本為 {version}，需要 {StoreSchema.CurrentVersion}（請先由模組啟動建立或升級）/ the store's schema version is {version}; {StoreSchema.CurrentVersion} is needed (start the module once to create or migrate it)");
            return null;
        }

        return new PortfolioModule(store, new FileSystemContentStore(files), PortfolioPolicy.Default, TimeProvider.System);
    }

    // portfolio module confirmation-sheet: the 確認單 of a student (--student) or of a class (--class) as one PDF.
    private static Command ConfirmationSheet()
    {
        var provider = new Option<string>("--provider") { Description = "資料庫種類：sqlite 或 postgres / the database kind: sqlite or postgres", Required = true };
        var connection = new Option<string>("--connection") { Description = "連線字串（sqlite 可只給檔名）/ connection string (a file name for sqlite)", Required = true };
        var year = new Option<int>("--year") { Description = "學年度，例如 113 / the school year, e.g. 113", Required = true };
        var student = new Option<string?>("--student") { Description = "學生的身分證號 / the student's 身分證號" };
        var @class = new Option<string?>("--class") { Description = "整班列印（導師）/ every student of a class (for the 導師)" };
        var output = new Option<FileInfo>("--out") { Description = "PDF 檔 / the PDF file", Required = true };
        var font = new Option<string?>("--font") { Description = "中文字型檔（TTF、OTF 或 TTC；預設 fonts-noto-cjk）/ a CJK font file (TTF, OTF or TTC; fonts-noto-cjk by default)" };
        var family = new Option<string?>("--font-family") { Description = "字型檔中的字族，預設 Noto Sans CJK TC / the family in the font file" };
        var school = new Option<string?>("--school-name") { Description = "印在標題的校名 / the school's name for the title" };
        var command = new Command("confirmation-sheet", "列印學習歷程確認單（學生、家長簽名）/ print the 確認單 for student and guardian to sign")
        {
            provider, connection, year, student, @class, output, font, family, school,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var studentKey = parse.GetValue(student)?.Trim().ToUpperInvariant();
            var className = parse.GetValue(@class)?.Trim();
            if ((string.IsNullOrEmpty(studentKey) == string.IsNullOrEmpty(className))
                || parse.GetValue(year) is not (>= SchoolYear.MinValue and <= SchoolYear.MaxValue)
                || SisCommand.Open(parse.GetValue(provider)!, parse.GetValue(connection)!) is not { } opened)
            {
                await error.WriteLineAsync("請給 --student 或 --class 其中之一；--provider 應為 sqlite 或 postgres，--year 應為學年度 / give one of --student or --class; --provider must be sqlite or postgres and --year a school year");
                return ExitCodes.UsageOrUnreadable;
            }

            await using var dataSource = opened.DataSource;
            if (await ModuleCommand.OpenReadOnlyAsync(dataSource, opened.Dialect, error, cancellationToken) is not { } module)
            {
                return ExitCodes.UsageOrUnreadable;
            }

            // Read-only: the administrator's view is school-wide.
            var actor = ModuleCommand.CliAdministrator;
            var schoolYear = new SchoolYear(parse.GetValue(year));
            var sheets = new ConfirmationSheets(module);
            IReadOnlyList<ConfirmationSheet> built;
            if (studentKey is { Length: > 0 })
            {
                built = [(await sheets.BuildAsync(actor, studentKey, schoolYear, cancellationToken: cancellationToken)).Value!];
            }
            else
            {
                built = (await sheets.BuildClassAsync(actor, schoolYear, className!, cancellationToken)).Value!;
                if (built.Count == 0)
                {
                    await error.WriteLineAsync($"{schoolYear} 學年度 {className} 班沒有學生資料 / class {className} has no students in school year {schoolYear}");
                    return ExitCodes.Invalid;
                }
            }

            var options = new ConfirmationSheetOptions
            {
                FontPath = parse.GetValue(font),
                FontFamily = parse.GetValue(family) ?? ConfirmationSheetOptions.DefaultFontFamily,
                SchoolName = parse.GetValue(school),
            };
            var file = parse.GetValue(output)!;
            try
            {
                using var pdf = new MemoryStream();
                await new ConfirmationSheetPdf(options).WriteAsync(built, pdf, cancellationToken);
                file.Directory?.Create();
                await File.WriteAllBytesAsync(file.FullName, pdf.ToArray(), cancellationToken);
            }
            catch (PortfolioException ex) when (ex.Diagnostic is { } d)
            {
                await error.WriteLineAsync($"{d.Code} {d.Message} / {d.MessageEnglish}");
                return ExitCodes.UsageOrUnreadable;
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"已列印 {built.Count} 份確認單（{built.Sum(s => s.Items.Count)} 個項目）/ printed {built.Count} confirmation sheets ({built.Sum(s => s.Items.Count)} items): {file.Name}"));
            return ExitCodes.Success;
        });
        return command;
    }

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
            if (await ModuleCommand.OpenReadOnlyAsync(dataSource, opened.Dialect, error, cancellationToken) is not { } module)
            {
                return ExitCodes.UsageOrUnreadable;
            }

            // Read-only: the statistics never touch files; the administrator's view is school-wide.
            var actor = ModuleCommand.CliAdministrator;
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
