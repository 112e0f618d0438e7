using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;

namespace Portfolio.Cli.Commands;

/// <summary><c>portfolio roster list|template|validate|inspect</c>.</summary>
internal static class RosterCommand
{
    public static Command Build()
    {
        return new Command("roster", "中央資料庫名冊 / central-database rosters (名冊)") { List(), Template(), Validate(), Inspect(), VerifyPackage() };
    }

    private static Option<bool> JsonOption() => new("--json") { Description = "以 JSON 輸出 / print JSON" };

    private static Command List()
    {
        var json = JsonOption();
        var year = new Option<int?>("--year") { Description = "學年度（民國），預設為今年 / ROC school year; the current one by default" };
        var command = new Command("list", "列出名冊、工作表與欄位 / list the books, sheets and columns") { year, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var schoolYear = ResolveYear(parse.GetValue(year));
            if (schoolYear is null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("--year 應為 1–999 / --year must be 1–999");
                return ExitCodes.UsageOrUnreadable;
            }

            var books = RosterCatalogue.Default.Books;
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(output, writer =>
                {
                    writer.WriteStartArray();
                    foreach (var book in books)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("id", book.Id);
                        writer.WriteString("name", book.Name);
                        writer.WriteString("cadence", book.Cadence == RosterCadence.Semester ? "semester" : "year");
                        writer.WriteString("division", book.Division == RosterDivision.Day ? "day" : "continuing");
                        writer.WriteStartArray("sheets");
                        foreach (var sheet in book.Sheets)
                        {
                            var layout = sheet.LayoutFor(schoolYear.Value);
                            writer.WriteStartObject();
                            writer.WriteString("id", sheet.Id);
                            writer.WriteString("section", sheet.Section);
                            writer.WriteString("name", sheet.Name);
                            writer.WriteStartArray("columns");
                            foreach (var column in layout.Columns)
                            {
                                writer.WriteStringValue(column.Header);
                            }

                            writer.WriteEndArray();
                            writer.WriteEndObject();
                        }

                        writer.WriteEndArray();
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                });
            }
            else
            {
                await output.WriteLineAsync($"{schoolYear} 學年度名冊 / rosters for school year {schoolYear} (catalogue {RosterCatalogue.Default.Revision})");
                foreach (var book in books)
                {
                    var cadence = book.Cadence == RosterCadence.Semester ? "每學期 semester" : "每學年 year";
                    await output.WriteLineAsync($"{book.Id,-28} {book.Name}  [{cadence}]");
                    foreach (var sheet in book.Sheets)
                    {
                        var layout = sheet.LayoutFor(schoolYear.Value);
                        await output.WriteLineAsync($"    {sheet.Section ?? "-",-5} {sheet.Name}：{string.Join("、", layout.Columns.Select(c => c.Header))}");
                    }
                }
            }

            cancellationToken.ThrowIfCancellationRequested();
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Template()
    {
        var book = new Option<string>("--book") { Description = "名冊識別碼，見 portfolio roster list / book id, see portfolio roster list", Required = true };
        var year = new Option<int>("--year") { Description = "學年度（民國）/ ROC school year", Required = true };
        var term = new Option<int>("--term") { Description = "學期 1 或 2（每學年名冊一律為 0）/ term 1 or 2 (0 for per-year books)", DefaultValueFactory = _ => 1 };
        var school = new Option<string?>("--school") { Description = "學校代碼，可留空 / school code for the cover (optional)" };
        var output = new Option<FileInfo>("--out") { Description = "輸出的 .xlsx 檔 / the .xlsx file to write", Required = true };
        var command = new Command("template", "產生空白名冊（封面與各工作表標題列）/ write an empty roster: cover and every sheet's header row") { book, year, term, school, output };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (!RosterCatalogue.Default.TryGetBook(parse.GetValue(book)!, out var rosterBook))
            {
                await error.WriteLineAsync($"沒有名冊「{parse.GetValue(book)}」/ no book '{parse.GetValue(book)}'. Known: {string.Join(", ", RosterCatalogue.Default.Books.Select(b => b.Id))}");
                return ExitCodes.UsageOrUnreadable;
            }

            var schoolYear = ResolveYear(parse.GetValue(year));
            var termValue = parse.GetValue(term);
            if (schoolYear is null || termValue is not (1 or 2))
            {
                await error.WriteLineAsync("--year 應為 1–999，--term 應為 1 或 2 / --year must be 1–999 and --term 1 or 2");
                return ExitCodes.UsageOrUnreadable;
            }

            var schoolCode = default(SchoolCode);
            if (parse.GetValue(school) is { } schoolText)
            {
                var outcome = SchoolCode.Validate(schoolText);
                if (!outcome.Success)
                {
                    await CliJson.WriteDiagnosticLinesAsync(error, outcome.Diagnostics);
                    return ExitCodes.UsageOrUnreadable;
                }

                schoolCode = outcome.Value;
            }

            var file = parse.GetValue(output)!;
            var cover = RosterCover.For(rosterBook, schoolCode, new SchoolTerm(schoolYear.Value, (Term)termValue));
            await using (var stream = file.Create())
            {
                using var writer = RosterWorkbookWriter.Create(stream, rosterBook, cover);
                writer.Complete();
            }

            cancellationToken.ThrowIfCancellationRequested();
            await parse.InvocationConfiguration.Output.WriteLineAsync($"{file.FullName}: {rosterBook.Name} {cover.SchoolTerm}, {rosterBook.Sheets.Count} 個工作表 / sheets");
            return ExitCodes.Success;
        });
        return command;
    }

    internal static Command Validate()
    {
        var files = new Argument<FileInfo[]>("file") { Description = "名冊 .xlsx 檔 / roster workbooks", Arity = ArgumentArity.OneOrMore };
        var json = JsonOption();
        var command = new Command("validate", "檢核名冊，列出所有問題及其位置 / validate rosters and print every problem with its location") { files, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var validator = new RosterWorkbookValidator();
            var reports = new List<RosterValidationReport>();
            var missing = false;
            var toValidate = parse.GetValue(files) ?? [];
            await CliTerminal.WithProgressAsync(CliTerminal.For(parse.InvocationConfiguration.Error, parse.GetValue(json)), "validate", async progress =>
            {
                foreach (var (file, i) in toValidate.Select((f, i) => (f, i)))
                {
                    progress.Report((file.Name, (double)i / toValidate.Length));

                    // Each file gets its own outcome; one that cannot be opened does not stop the others.
                    try
                    {
                        await using var stream = await OpenOrExplainAsync(file, parse.InvocationConfiguration.Error);
                        if (stream is null)
                        {
                            missing = true;
                            continue;
                        }

                        // The validator reads synchronously: off the caller's thread, so the progress display keeps moving.
                        reports.Add(await Task.Run(() => validator.Validate(stream, file.Name, cancellationToken), cancellationToken));
                    }
                    catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                    {
                        missing = true;
                        await CliJson.WriteDiagnosticLinesAsync(parse.InvocationConfiguration.Error, [PortfolioCli.Failure(file.Name, ex)], string.Empty);
                    }
                }

                return reports;
            });

            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(output, writer =>
                {
                    writer.WriteStartArray();
                    foreach (var report in reports)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("file", report.Source);
                        writer.WriteBoolean("readable", report.IsReadable);
                        writer.WriteBoolean("valid", report.IsReadable && !report.HasErrors);
                        writer.WriteString("book", report.Book?.Id);
                        WriteCover(writer, report.Cover);
                        WriteRows(writer, report.RowCounts);
                        writer.WriteStartObject("counts");
                        writer.WriteNumber("errors", report.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Error));
                        writer.WriteNumber("warnings", report.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning));
                        writer.WriteEndObject();
                        CliJson.WriteDiagnostics(writer, report.Diagnostics);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                });
            }
            else
            {
                foreach (var report in reports)
                {
                    var errors = report.Diagnostics.Count(d => d.IsError);
                    var warnings = report.Diagnostics.Count(d => d.Severity == DiagnosticSeverity.Warning);
                    var verdict = !report.IsReadable ? "無法讀取 unreadable" : errors == 0 ? "通過 valid" : "有錯誤 invalid";
                    await output.WriteLineAsync($"{report.Source}: {verdict} — {report.Book?.Name ?? "?"} {report.Cover?.SchoolTerm.ToString() ?? string.Empty}, {report.RowCounts.Values.Sum()} 列 rows, {errors} 錯誤 errors, {warnings} 警告 warnings");
                    await CliJson.WriteDiagnosticLinesAsync(output, report.Diagnostics);
                }
            }

            return missing || reports.Exists(r => !r.IsReadable) ? ExitCodes.UsageOrUnreadable
                : reports.Exists(r => r.HasErrors) ? ExitCodes.Invalid
                : ExitCodes.Success;
        });
        return command;
    }

    private static Command VerifyPackage()
    {
        var file = new Argument<FileInfo>("file") { Description = "上傳包 .zip / an upload package" };
        var json = JsonOption();
        var command = new Command("verify-package", "檢核每學年上傳包：清單、檔案雜湊、名冊與檔案引用 / verify a per-year upload package: manifest, file hashes, workbook and file references") { file, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var info = parse.GetValue(file)!;
            await using var stream = await OpenOrExplainAsync(info, parse.InvocationConfiguration.Error);
            if (stream is null)
            {
                return ExitCodes.UsageOrUnreadable;
            }

            var report = new Portfolio.Sdk.Rosters.Packages.RosterPackageVerifier().Verify(stream, info.Name, cancellationToken);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(output, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("file", info.Name);
                    writer.WriteBoolean("readable", report.Manifest is not null);
                    writer.WriteBoolean("valid", report.Manifest is not null && !report.HasErrors);
                    writer.WriteString("book", report.Manifest?.Book);
                    writer.WriteNumber("files", report.Manifest?.Files.Count ?? 0);
                    CliJson.WriteDiagnostics(writer, report.Diagnostics);
                    writer.WriteEndObject();
                });
            }
            else
            {
                var verdict = report.Manifest is null ? "無法讀取 unreadable" : report.HasErrors ? "有錯誤 invalid" : "通過 valid";
                await output.WriteLineAsync($"{info.Name}: {verdict} — {report.Manifest?.Book ?? "?"}, {report.Manifest?.Files.Count ?? 0} 個檔案 files");
                await CliJson.WriteDiagnosticLinesAsync(output, report.Diagnostics);
            }

            return report.Manifest is null ? ExitCodes.UsageOrUnreadable : report.HasErrors ? ExitCodes.Invalid : ExitCodes.Success;
        });
        return command;
    }

    private static Command Inspect()
    {
        var file = new Argument<FileInfo>("file") { Description = "名冊 .xlsx 檔 / a roster workbook" };
        var json = JsonOption();
        var command = new Command("inspect", "顯示封面與各工作表列數 / show the cover and the row count of each sheet") { file, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var info = parse.GetValue(file)!;
            await using var stream = await OpenOrExplainAsync(info, parse.InvocationConfiguration.Error);
            if (stream is null)
            {
                return ExitCodes.UsageOrUnreadable;
            }

            var opened = RosterWorkbookReader.Open(stream, info.Name);
            if (!opened.Success)
            {
                await CliJson.WriteDiagnosticLinesAsync(parse.InvocationConfiguration.Error, opened.Diagnostics, string.Empty);
                return ExitCodes.UsageOrUnreadable;
            }

            using var reader = opened.Value!;
            var sheets = new List<(string Name, int Rows)>();
            IReadOnlyList<string?>? coverValues = null;
            try
            {
                foreach (var name in reader.SheetNames)
                {
                    if (name == RosterBook.CoverSheetName)
                    {
                        coverValues = reader.ReadRows(name).Skip(1).FirstOrDefault()?.Cells;
                        continue;
                    }

                    // Row 1 is the header; blank rows are not counted.
                    sheets.Add((name, reader.ReadRows(name).Skip(1).Count(r => !r.IsBlank)));
                    cancellationToken.ThrowIfCancellationRequested();
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or System.Xml.XmlException or IOException)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"PF1001 {info.Name}: 活頁簿內容毀損 / the workbook's content is corrupt");
                return ExitCodes.UsageOrUnreadable;
            }

            if (reader.Failed)
            {
                await CliJson.WriteDiagnosticLinesAsync(parse.InvocationConfiguration.Error, reader.Diagnostics, string.Empty);
                return ExitCodes.UsageOrUnreadable;
            }

            // Cover cells and sheet names come from the file: IDs masked and long text cut before they are printed.
            // A book name is printed only when it is one the catalogue knows; the other cells are codes and numbers.
            string? CoverCell(int i) => coverValues is not null && i < coverValues.Count && coverValues[i] is { } value
                ? (i == 3 && RosterCatalogue.Default.Books.Any(b => b.Name == value) ? value : Portfolio.Sdk.Privacy.Redaction.QuoteValue(value))
                : null;
            sheets = [.. sheets.Select(s => (Portfolio.Sdk.Privacy.Redaction.QuoteText(s.Name), s.Rows))];
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(output, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("file", info.Name);
                    if (coverValues is not null)
                    {
                        writer.WriteStartObject("cover");
                        writer.WriteString("schoolCode", CoverCell(0));
                        writer.WriteString("schoolYear", CoverCell(1));
                        writer.WriteString("term", CoverCell(2));
                        writer.WriteString("book", CoverCell(3));
                        writer.WriteEndObject();
                    }
                    else
                    {
                        writer.WriteNull("cover");
                    }

                    writer.WriteStartArray("sheets");
                    foreach (var (name, rows) in sheets)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("name", name);
                        writer.WriteNumber("rows", rows);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                });
            }
            else
            {
                await output.WriteLineAsync(coverValues is null
                    ? $"{info.Name}: 無封面 / no cover sheet"
                    : $"{info.Name}: {CoverCell(3)} 學校代碼 {CoverCell(0)} 學年度 {CoverCell(1)} 學期 {CoverCell(2)}");
                foreach (var (name, rows) in sheets)
                {
                    await output.WriteLineAsync($"  {name,-16} {rows.ToString(CultureInfo.InvariantCulture),8} 列 rows");
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    private static async Task<FileStream?> OpenOrExplainAsync(FileInfo file, TextWriter error)
    {
        if (!file.Exists)
        {
            await error.WriteLineAsync($"找不到檔案 / file not found: {file.FullName}");
            return null;
        }

        return file.OpenRead();
    }

    private static void WriteCover(Utf8JsonWriter writer, RosterCover? cover)
    {
        if (cover is null)
        {
            writer.WriteNull("cover");
            return;
        }

        writer.WriteStartObject("cover");
        writer.WriteString("schoolCode", cover.School.Value);
        writer.WriteNumber("schoolYear", cover.Year.RocYear);
        writer.WriteNumber("term", (int)cover.Term);
        writer.WriteEndObject();
    }

    private static void WriteRows(Utf8JsonWriter writer, IReadOnlyDictionary<string, int> rows)
    {
        writer.WriteStartObject("rows");
        foreach (var (sheet, count) in rows)
        {
            writer.WriteNumber(sheet, count);
        }

        writer.WriteEndObject();
    }

    private static SchoolYear? ResolveYear(int? year) => year switch
    {
        null => new SchoolCalendar(TimeProvider.System).CurrentYear,
        >= SchoolYear.MinValue and <= SchoolYear.MaxValue => new SchoolYear(year.Value),
        _ => null,
    };
}
