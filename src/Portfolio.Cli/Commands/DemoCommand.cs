using System.CommandLine;
using System.Globalization;
using Portfolio.Cli.Demo;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Receipts;

namespace Portfolio.Cli.Commands;

/// <summary><c>portfolio demo</c>: the main job end to end on embedded defaults.</summary>
internal static class DemoCommand
{
    public static Command Build()
    {
        var output = new Option<string>("--out") { Description = "輸出資料夾（名冊可用 Excel 開啟）/ the output folder (open the rosters in Excel)", DefaultValueFactory = _ => "demo-out" };
        var term = new Option<string?>("--term") { Description = "學期，例如 113-1；預設為本學期 / the term, e.g. 113-1; the current one by default" };
        var json = new Option<bool>("--json") { Description = "以 JSON 輸出摘要 / print the summary as JSON" };
        var command = new Command("demo", "以示範學校跑完整流程：校務系統 → 名冊與上傳包 → 沙箱送件 → 收訖明細核對；重跑不會重複送件 / the whole flow on a demo school: SIS → rosters and packages → sandbox submission → receipts; running it again submits nothing twice.\n"
            + "Exit codes: 0 every submission accepted (or further), 1 some rejected, 2 usage error, 3 some outstanding.") { output, term, json };
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            SchoolTerm schoolTerm;
            if (parse.GetValue(term) is { } text)
            {
                if (!SchoolTerm.TryParse(text, out schoolTerm) || schoolTerm.Term == Term.WholeYear)
                {
                    await error.WriteLineAsync("--term 應為 學年度-學期（1 或 2）/ --term must be year-term (1 or 2)");
                    return ExitCodes.UsageOrUnreadable;
                }
            }
            else
            {
                schoolTerm = new SchoolCalendar(TimeProvider.System).CurrentTerm;
                schoolTerm = schoolTerm.Term == Term.WholeYear ? new SchoolTerm(schoolTerm.Year, Term.First) : schoolTerm;
            }

            var asJson = parse.GetValue(json);
            var summary = await CliTerminal.WithProgressAsync(CliTerminal.For(error, asJson), "demo", progress => new DemoJob(parse.GetValue(output)!, progress).RunAsync(schoolTerm, cancellationToken));
            if (asJson)
            {
                await WriteJsonAsync(console, summary);
            }
            else
            {
                await WriteTextAsync(console, CliTerminal.For(console, json: false), summary);
            }

            var states = summary.Submissions.Select(s => s.Record.State).ToList();
            return states.Contains(SubmissionState.Rejected) ? ExitCodes.Invalid
                : states.Any(s => s is SubmissionState.Pending or SubmissionState.Sent) ? ExitCodes.Outstanding
                : ExitCodes.Success;
        });
        return command;
    }

    private static Task WriteJsonAsync(TextWriter output, DemoSummary summary) => CliJson.WriteAsync(output, writer =>
    {
        writer.WriteStartObject();
        writer.WriteString("folder", summary.Folder);
        writer.WriteString("term", summary.Term.ToString());
        writer.WriteNumber("students", summary.Students);
        writer.WriteStartArray("books");
        foreach (var book in summary.Books)
        {
            writer.WriteStartObject();
            writer.WriteString("id", book.Id);
            writer.WriteString("name", book.Name);
            writer.WriteString("file", book.File);
            writer.WriteNumber("rows", book.Rows);
            writer.WriteNumber("leftOut", book.LeftOut);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("diagnostics");
        foreach (var group in summary.Diagnostics.GroupBy(d => d.Code).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            writer.WriteNumber(group.Key, group.Count());
        }

        writer.WriteEndObject();
        writer.WriteNumber("newSubmissions", summary.Submissions.Count(s => s.IsNew));
        writer.WriteStartArray("submissions");
        foreach (var submission in summary.Submissions)
        {
            writer.WriteStartObject();
            SubmitCommand.WriteRecord(writer, submission.Record);
            writer.WriteBoolean("new", submission.IsNew);
            if (submission.Reconciliation is { } r)
            {
                writer.WriteStartObject("reconciliation");
                writer.WriteNumber("students", r.Students.Count);
                writer.WriteNumber("matched", r.Matched);
                foreach (var kind in Enum.GetValues<RowDifferenceKind>())
                {
                    writer.WriteNumber(kind.ToString().ToLowerInvariant(), r.Count(kind));
                }

                writer.WriteEndObject();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteStartObject("locks");
        writer.WriteNumber("locked", summary.Locks.Locked);
        writer.WriteNumber("alreadyLocked", summary.Locks.AlreadyLocked);
        writer.WriteEndObject();
        writer.WriteEndObject();
    });

    private static async Task WriteTextAsync(TextWriter output, Spectre.Console.IAnsiConsole? terminal, DemoSummary summary)
    {
        await output.WriteLineAsync($"示範學校 demo school 060322, {summary.Term}, {summary.Students} 位學生 students");
        await output.WriteLineAsync();
        await output.WriteLineAsync("名冊 Rosters (open them in Excel):");
        await CliTerminal.WriteTableAsync(
            terminal,
            ["名冊 book", "列 rows", "未納入 left out", "檔案 file"],
            summary.Books.Select(b => (IReadOnlyList<string>)[b.Name, Number(b.Rows), Number(b.LeftOut), b.File]),
            async () =>
            {
                foreach (var book in summary.Books)
                {
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {book.Name,-14} {book.Rows,6} 列 rows  {book.LeftOut,4} 列未納入 left out  {book.File}"));
                }
            });

        await output.WriteLineAsync();
        await output.WriteLineAsync("診斷 Diagnostics by code (the demo SIS holds dirty rows on purpose; they are left out of the rosters):");
        var groups = summary.Diagnostics.GroupBy(d => d.Code).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        await CliTerminal.WriteTableAsync(
            terminal,
            ["代碼 code", "嚴重度 severity", "筆數 count", "訊息 message"],
            groups.Select(g => (IReadOnlyList<string>)[g.Key, CliJson.Severity(g.First().Severity), Number(g.Count()), g.First().MessageEnglish]),
            async () =>
            {
                foreach (var group in groups)
                {
                    var first = group.First();
                    await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"  {group.Key} {CliJson.Severity(first.Severity),-7} ×{group.Count(),-4} {first.MessageEnglish}"));
                }
            });

        await output.WriteLineAsync();
        await output.WriteLineAsync($"送件 Submissions ({summary.Submissions.Count(s => s.IsNew)} new; the sandbox ran in this process):");
        await CliTerminal.WriteTableAsync(
            terminal,
            ["名冊 book", "狀態 state", "冪等鍵 key", "收訖核對 receipt"],
            summary.Submissions.Select(s => (IReadOnlyList<string>)[s.Record.Identity.Book, SubmitCommand.StateName(s.Record.State) + (s.IsNew ? string.Empty : " (already submitted)"), s.Record.IdempotencyKey, s.Reconciliation?.ToString() ?? string.Empty]),
            async () =>
            {
                foreach (var submission in summary.Submissions)
                {
                    var r = submission.Record;
                    var reconciliation = submission.Reconciliation is { } report ? $"; 收訖核對 receipt: {report}" : string.Empty;
                    await output.WriteLineAsync($"  {r.Identity.Book,-16} {SubmitCommand.StateName(r.State),-17} {r.IdempotencyKey}{(submission.IsNew ? string.Empty : " (already submitted)")}{reconciliation}");
                }
            });

        await output.WriteLineAsync();
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"提交後鎖定 Locked after the accepted per-year packages: {summary.Locks.Locked} items ({summary.Locks.AlreadyLocked} already locked)"));

        if (summary.Submissions.FirstOrDefault(s => s.Record.ConfirmUntil is not null) is { Record.ConfirmUntil: { } until })
        {
            await output.WriteLineAsync();
            await output.WriteLineAsync($"學生確認期間 Students may confirm or dispute until {until.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)}: portfolio receipts confirm --ledger {Path.Combine(summary.Folder, "ledger.db")} --outbox {Path.Combine(summary.Folder, "outbox")} --key <key> --student <id>");
        }
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);
}
