using System.CommandLine;
using System.Globalization;
using Portfolio.Sdk;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Profiles;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.TermRosters;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Receipts;

namespace Portfolio.Cli.Commands;

/// <summary><c>portfolio build</c>: this term's rosters straight from a SIS, through a mapping profile.</summary>
internal static class BuildCommand
{
    private static readonly string[] Books = ["student", "grades", "retake-grades", "cadre"];

    // Written when asked for, and by default when the day books counted 進修部 grade rows for it.
    private const string ContinuingBook = "continuing-grades";

    public static Command Build()
    {
        var profile = new Option<FileInfo>("--profile") { Description = "對應設定 JSON 檔 / the mapping profile (JSON), e.g. samples/SisProfiles/demo-sis.profile.json", Required = true };
        var provider = new Option<string>("--provider") { Description = "資料庫種類：sqlite 或 postgres / the database kind: sqlite or postgres", Required = true };
        var connection = new Option<string>("--connection") { Description = "連線字串（sqlite 可只給檔名）/ connection string (a file name for sqlite)", Required = true };
        var school = new Option<string>("--school") { Description = "學校代碼 / school code", Required = true };
        var term = new Option<string>("--term") { Description = "學期，例如 113-1 / the term, e.g. 113-1", Required = true };
        var output = new Option<string>("--out") { Description = "輸出資料夾 / output folder", DefaultValueFactory = _ => "rosters" };
        var books = new Option<string>("--books") { Description = "名冊：student,grades,retake-grades,cadre,continuing-grades（預設全部；進修部名冊於有進修部成績時產生）/ which books (default all; the 進修部 book when the term has 進修部 grades)", DefaultValueFactory = _ => string.Join(',', Books) };
        var division = new Option<string?>("--division") { Description = "校務系統沒有部別時使用的部別代碼 / the 部別代碼 for students whose SIS row has none" };
        var json = new Option<bool>("--json") { Description = "以 JSON 輸出 / print JSON" };
        var submission = new SubmissionContext.Options();
        var command = new Command("build", "從校務系統產生本學期名冊（逐列檢核，錯誤列不納入並列出原因）/ build a term's rosters from a SIS, validating every row; bad rows are left out and reported.\n"
            + "Each book is compared with its last submitted revision in the ledger (--ledger, --outbox, when the ledger exists): same content, or the rows added, removed and changed.\n"
            + "Exit codes: 0 all rows written, 1 some SIS rows left out, 2 usage error or unreadable profile or database.")
        {
            profile, provider, connection, school, term, output, books, division, json,
        };
        submission.AddTo(command, gateway: false);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var file = parse.GetValue(profile)!;
            if (!file.Exists)
            {
                await error.WriteLineAsync($"找不到檔案 / file not found: {file.FullName}");
                return ExitCodes.UsageOrUnreadable;
            }

            ParseOutcome<SisProfile> loaded;
            await using (var stream = file.OpenRead())
            {
                loaded = SisProfile.Load(stream, file.Name);
            }

            var wanted = parse.GetValue(books)!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (!loaded.Success || !SchoolCode.TryParse(parse.GetValue(school), out var schoolCode) || !SchoolTerm.TryParse(parse.GetValue(term), out var schoolTerm)
                || schoolTerm.Term == Term.WholeYear || wanted.Length == 0 || wanted.Any(b => !Books.Contains(b) && b != ContinuingBook)
                || SisCommand.Open(parse.GetValue(provider)!, parse.GetValue(connection)!) is not { } database)
            {
                await CliJson.WriteDiagnosticLinesAsync(error, loaded.Diagnostics, string.Empty);
                await error.WriteLineAsync("請檢查 --profile、--provider（sqlite 或 postgres）、--school、--term（如 113-1）與 --books / check --profile, --provider (sqlite or postgres), --school, --term (e.g. 113-1) and --books (student, grades, retake-grades, cadre, continuing-grades)");
                return ExitCodes.UsageOrUnreadable;
            }

            // A school's division is per student in some SIS and per school in others: without it in the profile
            // and without --division, every student would be left out (PF1101); say so instead of building that.
            if (wanted.Contains("student") && parse.GetValue(division) is null
                && !loaded.Value!.Mappings[Sdk.Sis.Records.SisRecordKind.Students].Columns.ContainsKey("division"))
            {
                await database.DataSource.DisposeAsync();
                await error.WriteLineAsync("設定檔沒有對應學生的部別（division），請以 --division 指定學校的部別代碼（如 1） / the profile maps no division for students: give the school's 部別代碼 with --division (e.g. 1)");
                return ExitCodes.UsageOrUnreadable;
            }

            await using var dataSource = database.DataSource;
            var builder = new TermRosterBuilder(new SisReader(dataSource, loaded.Value!)) { DefaultDivision = parse.GetValue(division) };
            var folder = Directory.CreateDirectory(parse.GetValue(output)!).FullName;
            var results = new List<(string File, TermRosterResult Result)>();
            try
            {
                await CliTerminal.WithProgressAsync(CliTerminal.For(error, parse.GetValue(json)), "build", async progress =>
                {
                    // One pass over the SIS for every book asked for (the 進修部 book by default only when the term
                    // has 進修部 grades); each book's file is opened as the builder starts it.
                    var byDefault = parse.GetResult(books) is not { Implicit: false };
                    var paths = new Dictionary<string, string>(StringComparer.Ordinal);
                    var opened = 0;
                    var built = await builder.WriteTermAsync(
                        book =>
                        {
                            progress.Report((book.Name, (double)opened++ / wanted.Length));
                            var path = Path.Combine(folder, $"{schoolCode.Value}_{schoolTerm}_{book.Name}.xlsx");
                            paths[book.Id] = path;
                            return File.Create(path);
                        },
                        schoolCode, schoolTerm, byDefault ? null : wanted, cancellationToken);

                    // Listed in the order asked for (by default: student, grades, retake-grades, cadre, then 進修部).
                    string[] order = [.. wanted, ContinuingBook];
                    results.AddRange(built.OrderBy(r => Array.IndexOf(order, r.Book.Id)).Select(r => (paths[r.Book.Id], r)));
                    return results;
                });
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or PortfolioException)
            {
                await error.WriteLineAsync(ex is PortfolioException { Diagnostic: { } d } ? $"{d.Code} {d.Message} / {d.MessageEnglish}" : $"資料庫錯誤 / database error: {ex.Message}");
                return ExitCodes.UsageOrUnreadable;
            }

            // What changed since the last submission, book by book (only when a ledger exists: build never creates one).
            var changes = new Dictionary<string, RosterChanges>(StringComparer.Ordinal);
            var hasLedger = File.Exists(parse.GetValue(submission.Ledger));
            if (hasLedger)
            {
                await using var context = await SubmissionContext.OpenAsync(parse, submission, error, needGateway: false, cancellationToken);
                if (context is null)
                {
                    return ExitCodes.UsageOrUnreadable;
                }

                foreach (var (path, result) in results)
                {
                    await using var rebuilt = File.OpenRead(path);
                    changes[path] = await context.Service.ChangesSinceSubmissionAsync(new SubmissionIdentity(schoolCode, result.Book.Id, schoolTerm), rebuilt, cancellationToken);
                }
            }

            var console = parse.InvocationConfiguration.Output;
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(console, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteStartArray("books");
                    foreach (var (path, result) in results)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("id", result.Book.Id);
                        writer.WriteString("file", path);
                        writer.WriteNumber("rows", result.Rows);
                        writer.WriteNumber("leftOut", result.RowsLeftOut);
                        writer.WriteStartObject("account");
                        writer.WriteString("source", result.Account.Source);
                        writer.WriteNumber("read", result.Account.Read);
                        writer.WriteNumber("written", result.Account.Written);
                        writer.WriteStartObject("leftOutByCause");
                        foreach (var (cause, count) in result.Account.LeftOutByCause)
                        {
                            writer.WriteNumber(System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(cause.ToString()), count);
                        }

                        writer.WriteEndObject();
                        writer.WriteStartObject("forOtherBooks");
                        foreach (var (book, count) in result.Account.ForOtherBooks)
                        {
                            writer.WriteNumber(book, count);
                        }

                        writer.WriteEndObject();
                        writer.WriteEndObject();
                        CliJson.WriteDiagnostics(writer, result.Diagnostics);
                        WriteChanges(writer, hasLedger ? changes[path] : null);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                });
            }
            else if (CliTerminal.For(console, json: false) is { } terminal)
            {
                await CliTerminal.WriteTableAsync(
                    terminal,
                    ["名冊 book", "讀取 read", "列 rows", "未納入 left out", "他冊 other books", "檔案 file"],
                    results.Select(r => (IReadOnlyList<string>)[r.Result.Book.Name, r.Result.Account.Read.ToString(CultureInfo.InvariantCulture), r.Result.Rows.ToString(CultureInfo.InvariantCulture),
                        r.Result.RowsLeftOut.ToString(CultureInfo.InvariantCulture), r.Result.Account.ForOtherBooks.Values.Sum().ToString(CultureInfo.InvariantCulture), r.File]),
                    () => Task.CompletedTask);
                foreach (var (path, result) in results.Where(r => r.Result.Diagnostics.Count > 0 || hasLedger))
                {
                    await console.WriteLineAsync($"{Path.GetFileName(path)}:");
                    await CliJson.WriteDiagnosticLinesAsync(console, result.Diagnostics, "  ");
                    await WriteChangesAsync(console, hasLedger ? changes[path] : null);
                }
            }
            else
            {
                foreach (var (path, result) in results)
                {
                    await console.WriteLineAsync($"{path}: {result.Rows} 列 rows, {result.RowsLeftOut} 列未納入 left out");
                    await console.WriteLineAsync($"  {result.Account}");
                    await CliJson.WriteDiagnosticLinesAsync(console, result.Diagnostics, "  ");
                    await WriteChangesAsync(console, hasLedger ? changes[path] : null);
                }
            }

            return results.Exists(r => r.Result.RowsLeftOut > 0) ? ExitCodes.Invalid : ExitCodes.Success;
        });
        return command;
    }

    // The rows listed in human output; --json lists them all.
    private const int ChangedRowsShown = 20;

    private static async Task WriteChangesAsync(TextWriter console, RosterChanges? changes)
    {
        if (changes is null)
        {
            return;
        }

        if (changes.Submitted is not { } submitted)
        {
            await console.WriteLineAsync("  尚未送出 / not submitted yet");
            return;
        }

        var since = $"  自 r{submitted.Identity.Revision.ToString(CultureInfo.InvariantCulture)}（{submitted.State}）以來 / since r{submitted.Identity.Revision.ToString(CultureInfo.InvariantCulture)} ({submitted.State}):";
        if (changes.IsSameContent)
        {
            await console.WriteLineAsync($"{since} 內容相同 / same content");
            return;
        }

        if (!changes.RowsCompared)
        {
            await console.WriteLineAsync($"{since} 內容不同 / content differs");
            await CliJson.WriteDiagnosticLinesAsync(console, changes.Diagnostics, "    ");
            return;
        }

        await console.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"{since} 新增 {changes.Added}、刪除 {changes.Removed}、修改 {changes.Changed} 列 / {changes.Added} added, {changes.Removed} removed, {changes.Changed} changed rows"));
        foreach (var row in changes.Rows.Take(ChangedRowsShown))
        {
            await console.WriteLineAsync($"    {row}");
        }

        if (changes.Rows.Count > ChangedRowsShown)
        {
            await console.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"    … 另 {changes.Rows.Count - ChangedRowsShown} 列 / {changes.Rows.Count - ChangedRowsShown} more (--json lists all)"));
        }
    }

    private static void WriteChanges(System.Text.Json.Utf8JsonWriter writer, RosterChanges? changes)
    {
        if (changes is null)
        {
            writer.WriteNull("changes");
            return;
        }

        writer.WriteStartObject("changes");
        if (changes.Submitted is { } submitted)
        {
            writer.WriteStartObject("submitted");
            writer.WriteNumber("revision", submitted.Identity.Revision);
            writer.WriteString("state", submitted.State.ToString());
            writer.WriteString("sha256", submitted.Sha256);
            writer.WriteEndObject();
        }
        else
        {
            writer.WriteNull("submitted");
        }

        writer.WriteString("sha256", changes.RebuiltSha256);
        writer.WriteBoolean("sameContent", changes.IsSameContent);
        writer.WriteBoolean("rowsCompared", changes.RowsCompared);
        writer.WriteNumber("added", changes.Added);
        writer.WriteNumber("removed", changes.Removed);
        writer.WriteNumber("changed", changes.Changed);
        writer.WriteStartArray("rows");
        foreach (var row in changes.Rows)
        {
            writer.WriteStartObject();
            writer.WriteString("kind", System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(row.Kind.ToString()));
            writer.WriteString("sheet", row.Sheet);
            writer.WriteString("key", row.RowKey);
            writer.WriteStartArray("columns");
            foreach (var column in row.Columns)
            {
                writer.WriteStringValue(column);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        CliJson.WriteDiagnostics(writer, changes.Diagnostics);
        writer.WriteEndObject();
    }
}
