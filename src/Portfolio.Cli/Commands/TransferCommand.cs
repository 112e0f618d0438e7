using System.CommandLine;
using System.Globalization;
using Portfolio.Sdk;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Transfer;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Cli.Commands;

/// <summary>
/// <c>portfolio transfer export|import|inspect</c>: 歷程交換. Export a student's portfolio from the module's store for
/// the receiving school, import one from the sending school, or show what a package holds and whether it is valid
/// without importing it. IDs and names are always masked in the output.
/// </summary>
internal static class TransferCommand
{
    // The CLI acts as the school's 系統管理者, the role 歷程交換 belongs to.
    private static readonly PortfolioActor Administrator = new("portfolio-cli", new HashSet<PortfolioRole> { PortfolioRole.SystemAdministrator });

    public static Command Build() => new("transfer", "歷程交換：轉學生學習歷程的匯出、匯入與檢視 / transfer-student portfolio exchange: export, import, inspect") { Export(), Import(), Inspect() };

    private static Option<string> Provider() => new("--provider") { Description = "資料庫種類：sqlite 或 postgres / the database kind: sqlite or postgres", Required = true };

    private static Option<string> Connection() => new("--connection") { Description = "連線字串（sqlite 可只給檔名）/ connection string (a file name for sqlite)", Required = true };

    private static Option<DirectoryInfo> Files() => new("--files") { Description = "模組的檔案庫資料夾 / the module's content store folder", Required = true };

    private static Option<string> Student() => new("--student") { Description = "學生在本校資料庫的代號 / the student's key in this school's store", Required = true };

    private static Option<string> Id() => new("--id") { Description = "學生的身分證號或居留證號 / the student's national ID or resident certificate number", Required = true };

    private static Option<bool> Json() => new("--json") { Description = "以 JSON 輸出 / print JSON" };

    private static Command Export()
    {
        var provider = Provider();
        var connection = Connection();
        var files = Files();
        var student = Student();
        var id = Id();
        var name = new Option<string>("--name") { Description = "學生中文姓名 / the student's name", Required = true };
        var birth = new Option<string>("--birth") { Description = "出生日期 yyyy-MM-dd / date of birth", Required = true };
        var school = new Option<string>("--school") { Description = "本校（原學校）代碼 / this (the sending) school's code", Required = true };
        var term = new Option<string>("--term") { Description = "學年度學期，例如 113-1 / the term, e.g. 113-1", Required = true };
        var output = new Option<FileInfo>("--output") { Description = "輸出的交換檔 (.zip) / the package to write", Required = true };
        var json = Json();
        var command = new Command("export", "匯出一位學生的學習歷程交換檔（給轉入學校）/ export a student's portfolio for the receiving school")
        {
            provider, connection, files, student, id, name, birth, school, term, output, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var nationalId = NationalId.Validate(parse.GetValue(id));
            var schoolCode = SchoolCode.Validate(parse.GetValue(school));
            if (!nationalId.Success || !schoolCode.Success || !SchoolTerm.TryParse(parse.GetValue(term), out var schoolTerm)
                || !DateOnly.TryParseExact(parse.GetValue(birth), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var birthDate))
            {
                await error.WriteLineAsync("--id 應為身分證號、--school 為學校代碼、--term 如 113-1、--birth 如 2007-05-01 / --id must be a national ID, --school a school code, --term like 113-1 and --birth like 2007-05-01");
                return ExitCodes.UsageOrUnreadable;
            }

            if (await OpenAsync(parse.GetValue(provider)!, parse.GetValue(connection)!, parse.GetValue(files)!, error, cancellationToken) is not { } opened)
            {
                return ExitCodes.UsageOrUnreadable;
            }

            await using var dataSource = opened.DataSource;
            var target = parse.GetValue(output)!;
            var request = new TransferExportRequest
            {
                StudentKey = parse.GetValue(student)!, NationalId = nationalId.Value, Name = parse.GetValue(name)!, BirthDate = birthDate, SchoolCode = schoolCode.Value, Term = schoolTerm,
            };

            // Written beside the target, then moved: a failed export never leaves half a package under the target's name.
            var partial = target.FullName + ".partial";
            PortfolioResult<TransferExportSummary> result;
            await using (var stream = new FileStream(partial, FileMode.Create, FileAccess.Write, FileShare.None))
            {
                result = await opened.Module.ExportTransferAsync(Administrator, request, stream, cancellationToken);
            }

            if (!result.Succeeded)
            {
                File.Delete(partial);
                await WriteDiagnosticsAsync(parse.GetValue(json) ? parse.InvocationConfiguration.Output : error, parse.GetValue(json), result.Diagnostics);
                return ExitCodes.Invalid;
            }

            File.Move(partial, target.FullName, overwrite: true);
            var s = result.Value;
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(parse.InvocationConfiguration.Output, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("package", target.FullName);
                    writer.WriteNumber("courseOutcomes", s.CourseOutcomes);
                    writer.WriteNumber("performances", s.Performances);
                    writer.WriteNumber("cadres", s.Cadres);
                    writer.WriteNumber("files", s.Files);
                    writer.WriteNumber("leftOut", s.LeftOut);
                    CliJson.WriteDiagnostics(writer, result.Diagnostics);
                    writer.WriteEndObject();
                });
            }
            else
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"已匯出 {Redaction.MaskIdentifier(request.StudentKey)} 的交換檔 / exported: 課程學習成果 {s.CourseOutcomes}, 多元表現 {s.Performances}, 校內幹部 {s.Cadres}, files {s.Files}, left out {s.LeftOut} → {target.Name}"));
                await WriteDiagnosticsAsync(parse.InvocationConfiguration.Output, false, result.Diagnostics);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Import()
    {
        var provider = Provider();
        var connection = Connection();
        var files = Files();
        var student = Student();
        var id = Id();
        var @class = new Option<string?>("--class") { Description = "學生在本校的班級 / the student's class at this school" };
        var package = new Argument<FileInfo>("package") { Description = "原學校的交換檔 (.zip) / the sending school's package" };
        var json = Json();
        var command = new Command("import", "匯入原學校的學習歷程交換檔（成為原學校的歷程，本校不可修改）/ import a package from the sending school as its read-only history")
        {
            provider, connection, files, student, id, @class, package, json,
        };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var nationalId = NationalId.Validate(parse.GetValue(id));
            var path = parse.GetValue(package)!;
            if (!nationalId.Success || !path.Exists)
            {
                await error.WriteLineAsync("--id 應為身分證號，交換檔必須存在 / --id must be a national ID and the package must exist");
                return ExitCodes.UsageOrUnreadable;
            }

            if (await OpenAsync(parse.GetValue(provider)!, parse.GetValue(connection)!, parse.GetValue(files)!, error, cancellationToken) is not { } opened)
            {
                return ExitCodes.UsageOrUnreadable;
            }

            await using var dataSource = opened.DataSource;
            await using var stream = path.OpenRead();
            var request = new TransferImportRequest { StudentKey = parse.GetValue(student)!, NationalId = nationalId.Value, ClassName = parse.GetValue(@class) };
            var result = await opened.Module.ImportTransferAsync(Administrator, request, stream, cancellationToken);
            var asJson = parse.GetValue(json);
            var output = parse.InvocationConfiguration.Output;
            if (!result.Succeeded)
            {
                await WriteDiagnosticsAsync(asJson ? output : error, asJson, result.Diagnostics);
                return result.Problem?.Code is DiagnosticCodes.TransferStudentMismatch ? ExitCodes.Invalid : ExitCodes.UsageOrUnreadable;
            }

            var r = result.Value;
            if (asJson)
            {
                await CliJson.WriteAsync(output, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("sendingSchool", r.SendingSchool);
                    writer.WriteNumber("recordsRead", r.RecordsRead);
                    writer.WriteNumber("added", r.Added);
                    writer.WriteNumber("alreadyPresent", r.AlreadyPresent);
                    writer.WriteNumber("leftOut", r.LeftOut);
                    CliJson.WriteDiagnostics(writer, r.Diagnostics);
                    writer.WriteEndObject();
                });
            }
            else
            {
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                    $"自 {r.SendingSchool} 匯入 / imported from {r.SendingSchool}: read {r.RecordsRead} = added {r.Added} + already present {r.AlreadyPresent} + left out {r.LeftOut}"));
                await WriteDiagnosticsAsync(output, false, r.Diagnostics);
            }

            return r.LeftOut > 0 ? ExitCodes.Invalid : ExitCodes.Success;
        });
        return command;
    }

    private static Command Inspect()
    {
        var package = new Argument<FileInfo>("package") { Description = "交換檔 (.zip) / the package" };
        var json = Json();
        var command = new Command("inspect", "檢視交換檔的內容與檢查結果（不匯入；身分證號遮蔽）/ show what a package holds and its validation, without importing (IDs masked)") { package, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var path = parse.GetValue(package)!;
            var output = parse.InvocationConfiguration.Output;
            if (!path.Exists)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"找不到交換檔 / no such package: {path.Name}");
                return ExitCodes.UsageOrUnreadable;
            }

            await using var stream = path.OpenRead();
            using var read = await TransferPackage.ReadAsync(stream, null, cancellationToken);
            var student = read.Document?.Student;
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(output, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteBoolean("readable", read.IsReadable);
                    if (student is not null)
                    {
                        writer.WriteStartObject("student");
                        writer.WriteString("school", student.SchoolCode);
                        writer.WriteString("term", string.Create(CultureInfo.InvariantCulture, $"{student.SchoolYear}-{student.Term}"));
                        writer.WriteString("nationalId", Redaction.MaskIdentifier(student.NationalId));
                        writer.WriteString("name", Redaction.MaskName(student.Name));
                        writer.WriteEndObject();
                    }

                    writer.WriteNumber("recordsRead", read.RecordsRead);
                    writer.WriteNumber("accepted", read.RecordsAccepted);
                    writer.WriteNumber("leftOut", read.RecordsLeftOut);
                    writer.WriteStartArray("records");
                    foreach (var record in read.Records)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("path", record.Path);
                        writer.WriteString("kind", record.Kind.ToString());
                        writer.WriteString("school", record.CourseOutcome?.SchoolCode ?? record.Performance?.SchoolCode);
                        writer.WriteString("what", What(record));
                        writer.WriteNumber("files", record.Files.Count);
                        writer.WriteBoolean("accepted", record.IsAccepted);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    CliJson.WriteDiagnostics(writer, read.AllDiagnostics);
                    writer.WriteEndObject();
                });
            }
            else
            {
                if (student is not null)
                {
                    await output.WriteLineAsync($"原學校 / sending school {student.SchoolCode}, {student.SchoolYear}-{student.Term}; 學生 / student {Redaction.MaskIdentifier(student.NationalId)} {Redaction.MaskName(student.Name)}");
                }

                await CliTerminal.WriteTableAsync(
                    CliTerminal.For(output, json: false),
                    ["路徑 / path", "學校 / school", "內容 / what", "檔案 / files", "結果 / result"],
                    read.Records.Select(r => (IReadOnlyList<string>)[r.Path, r.CourseOutcome?.SchoolCode ?? r.Performance?.SchoolCode ?? string.Empty, What(r), r.Files.Count.ToString(CultureInfo.InvariantCulture), r.IsAccepted ? "ok" : "left out"]),
                    async () =>
                    {
                        foreach (var r in read.Records)
                        {
                            await output.WriteLineAsync($"{r.Path}\t{r.CourseOutcome?.SchoolCode ?? r.Performance?.SchoolCode}\t{What(r)}\tfiles {r.Files.Count}\t{(r.IsAccepted ? "ok" : "left out")}");
                        }
                    });
                await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"read {read.RecordsRead} = accepted {read.RecordsAccepted} + left out {read.RecordsLeftOut}"));
                await WriteDiagnosticsAsync(output, false, read.AllDiagnostics);
            }

            return !read.IsReadable ? ExitCodes.UsageOrUnreadable : read.RecordsLeftOut > 0 ? ExitCodes.Invalid : ExitCodes.Success;
        });
        return command;
    }

    // What a record is, with nothing personal: the course and term, or the category and date.
    private static string What(TransferRecord record) => record.CourseOutcome is { } o
        ? string.Create(CultureInfo.InvariantCulture, $"{o.SchoolYear}-{o.Term} {o.CourseCode} {o.CertificationState}")
        : $"{record.Category} {record.Performance?.Date}";

    private static async Task WriteDiagnosticsAsync(TextWriter output, bool json, IEnumerable<Diagnostic> diagnostics)
    {
        if (json)
        {
            await CliJson.WriteAsync(output, writer =>
            {
                writer.WriteStartObject();
                CliJson.WriteDiagnostics(writer, diagnostics);
                writer.WriteEndObject();
            });
            return;
        }

        foreach (var d in diagnostics)
        {
            await output.WriteLineAsync(d.ToString());
        }
    }

    private static async Task<(System.Data.Common.DbDataSource DataSource, PortfolioModule Module)?> OpenAsync(string provider, string connection, DirectoryInfo files, TextWriter error, CancellationToken cancellationToken)
    {
        if (SisCommand.Open(provider, connection) is not { } opened)
        {
            await error.WriteLineAsync("--provider 應為 sqlite 或 postgres / --provider must be sqlite or postgres");
            return null;
        }

        if (await ModuleCommand.OpenExistingAsync(opened.DataSource, opened.Dialect, files.FullName, error, cancellationToken) is not { } module)
        {
            await opened.DataSource.DisposeAsync();
            return null;
        }

        return (opened.DataSource, module);
    }
}
