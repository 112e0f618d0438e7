using System.CommandLine;
using System.Globalization;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Submission.Receipts;

namespace Portfolio.Cli.Commands;

/// <summary><c>portfolio receipts collect|import|reconcile|confirm|close</c> and <c>portfolio ledger</c>: the 收訖明細 loop.</summary>
internal static class ReceiptsCommand
{
    private static Option<bool> JsonOption() => new("--json") { Description = "以 JSON 輸出 / print JSON" };

    private static Option<string> KeyOption() => new("--key") { Description = "送件的冪等鍵 / the submission's idempotency key", Required = true };

    public static Command Build() => new("receipts", "收訖明細：取回、匯入、核對、學生確認 / receipts (收訖明細): collect, import, reconcile, student confirmation")
    {
        Collect(), Import(), Reconcile(), Confirm(), Close(),
    };

    public static Command BuildLedger()
    {
        var options = new SubmissionContext.Options();
        var json = JsonOption();
        var school = new Option<string?>("--school") { Description = "只列此校 / only this school" };
        var command = new Command("ledger", "列出送件紀錄 / list the submission ledger") { school, json };
        options.AddTo(command, gateway: false);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var context = await SubmissionContext.OpenAsync(parse, options, parse.InvocationConfiguration.Error, needGateway: false, cancellationToken);
            if (context is null)
            {
                return ExitCodes.UsageOrUnreadable;
            }

            var records = await context.Ledger.ListAsync(parse.GetValue(school), cancellationToken: cancellationToken);
            await WriteRecordsAsync(parse, records, parse.GetValue(json), []);
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Collect()
    {
        var options = new SubmissionContext.Options();
        var school = new Option<string>("--school") { Description = "學校代碼 / school code", Required = true };
        var json = JsonOption();
        var command = new Command("collect", "從閘道取回收訖明細並核對，開放學生確認 / fetch receipts from the gateway, reconcile them, open the confirmation window") { school, json };
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            if (!SchoolCode.TryParse(parse.GetValue(school), out var code))
            {
                await error.WriteLineAsync("--school 應為 6 碼學校代碼 / --school must be a 6-character school code");
                return ExitCodes.UsageOrUnreadable;
            }

            await using var context = await SubmissionContext.OpenAsync(parse, options, error, needGateway: true, cancellationToken);
            if (context is null)
            {
                return ExitCodes.UsageOrUnreadable;
            }

            var harvest = await context.Service.CollectReceiptsAsync(code.Value, cancellationToken);
            var reports = new List<Diagnostic>(harvest.Diagnostics);
            foreach (var record in harvest.Received)
            {
                reports.AddRange((await context.Service.ReconcileAsync(record.IdempotencyKey, cancellationToken)).Diagnostics);
            }

            await WriteRecordsAsync(parse, harvest.Received, parse.GetValue(json), reports);
            return reports.Any(d => d.IsError) ? ExitCodes.Invalid : ExitCodes.Success;
        });
        return command;
    }

    private static Command Import()
    {
        var options = new SubmissionContext.Options();
        var file = new Argument<FileInfo>("file") { Description = "收訖明細檔：JSON（閘道格式）或 .xlsx/.xls/.csv / the receipt: JSON (gateway format) or a spreadsheet" };
        var key = new Option<string?>("--key") { Description = "試算表格式時，對應的送件冪等鍵 / for a spreadsheet, the submission's key" };
        var sheet = new Option<string?>("--sheet") { Description = "試算表格式時的工作表代號，例如 semester-grades / for a spreadsheet, the sheet id" };
        var mapping = new Option<FileInfo?>("--mapping") { Description = "欄位對應 JSON（預設為名冊欄名）/ a column mapping (JSON); the roster's headers by default" };
        var json = JsonOption();
        var command = new Command("import", "匯入手動下載的收訖明細 / import a receipt file downloaded by hand") { file, key, sheet, mapping, json };
        options.AddTo(command, gateway: false);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var path = parse.GetValue(file)!;
            if (!path.Exists)
            {
                await error.WriteLineAsync($"找不到檔案 / file not found: {path.FullName}");
                return ExitCodes.UsageOrUnreadable;
            }

            await using var context = await SubmissionContext.OpenAsync(parse, options, error, needGateway: false, cancellationToken);
            if (context is null)
            {
                return ExitCodes.UsageOrUnreadable;
            }

            var diagnostics = new List<Diagnostic>();
            Receipt? receipt;
            var progress = CliTerminal.For(error, parse.GetValue(json));
            await using (var stream = path.OpenRead())
            {
                if (path.Extension.Equals(".json", StringComparison.OrdinalIgnoreCase))
                {
                    var read = await CliTerminal.WithProgressAsync(progress, "import", _ => ReceiptImporter.ReadJsonAsync(stream, path.Name, cancellationToken));
                    diagnostics.AddRange(read.Diagnostics);
                    receipt = read.Value;
                }
                else
                {
                    if (parse.GetValue(key) is not { } k || await context.Ledger.GetAsync(k, cancellationToken) is not { } record
                        || !RosterCatalogue.Default.TryGetBook(record.Identity.Book, out var book) || book.FindSheet(parse.GetValue(sheet) ?? string.Empty) is not { } rosterSheet)
                    {
                        await error.WriteLineAsync("試算表格式需要 --key（送件紀錄中的冪等鍵）與 --sheet（該名冊的工作表代號）/ a spreadsheet needs --key (a key in the ledger) and --sheet (a sheet id of its book)");
                        return ExitCodes.UsageOrUnreadable;
                    }

                    ReceiptColumnMapping? columns = null;
                    if (parse.GetValue(mapping) is { } mappingFile)
                    {
                        await using var mappingStream = mappingFile.OpenRead();
                        var loaded = ReceiptColumnMapping.Load(mappingStream, mappingFile.Name);
                        if (!loaded.Success)
                        {
                            await CliJson.WriteDiagnosticLinesAsync(error, loaded.Diagnostics, string.Empty);
                            return ExitCodes.UsageOrUnreadable;
                        }

                        columns = loaded.Value;
                    }

                    var header = new ReceiptSummary
                    {
                        ReceiptId = "file:" + path.Name, IdempotencyKey = record.IdempotencyKey, SubmissionId = record.GatewayId ?? "manual", SchoolCode = record.Identity.School.Value,
                        Book = record.Identity.Book, SchoolYear = record.Identity.Term.Year.RocYear, Term = (int)record.Identity.Term.Term, IssuedAt = DateTimeOffset.UtcNow, RowCount = 0,
                    };
                    var imported = await CliTerminal.WithProgressAsync(progress, "import", _ => Task.Run(() => ReceiptImporter.ImportSpreadsheet(stream, path.Name, header, rosterSheet.LayoutFor(record.Identity.Term.Year), columns), cancellationToken));
                    diagnostics.AddRange(imported.Diagnostics);
                    receipt = imported.Receipt;
                }
            }

            var records = new List<SubmissionRecord>();
            if (receipt is not null)
            {
                var (record, problems) = await context.Service.ImportReceiptAsync(receipt, cancellationToken);
                diagnostics.AddRange(problems);
                if (record is not null)
                {
                    records.Add(record);
                    diagnostics.AddRange((await context.Service.ReconcileAsync(record.IdempotencyKey, cancellationToken)).Diagnostics);
                }
            }

            await WriteRecordsAsync(parse, records, parse.GetValue(json), diagnostics);
            return receipt is null ? ExitCodes.UsageOrUnreadable : diagnostics.Any(d => d.IsError) ? ExitCodes.Invalid : ExitCodes.Success;
        });
        return command;
    }

    private static Command Reconcile()
    {
        var options = new SubmissionContext.Options();
        var key = KeyOption();
        var json = JsonOption();
        var command = new Command("reconcile", "核對收訖明細與送出的資料（逐生）/ reconcile a receipt with what was submitted, per student") { key, json };
        options.AddTo(command, gateway: false);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var context = await SubmissionContext.OpenAsync(parse, options, parse.InvocationConfiguration.Error, needGateway: false, cancellationToken);
            if (context is null || await context.Ledger.GetAsync(parse.GetValue(key)!, cancellationToken) is not { ReceiptId: not null } record)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("送件紀錄中沒有此冪等鍵或尚無收訖明細 / no such key in the ledger, or no receipt yet");
                return ExitCodes.UsageOrUnreadable;
            }

            var report = await context.Service.ReconcileAsync(record.IdempotencyKey, cancellationToken);
            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(parse.InvocationConfiguration.Output, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteString("key", record.IdempotencyKey);
                    writer.WriteNumber("students", report.Students.Count);
                    writer.WriteNumber("matched", report.Matched);
                    foreach (var kind in Enum.GetValues<RowDifferenceKind>())
                    {
                        writer.WriteNumber(kind.ToString().ToLowerInvariant(), report.Count(kind));
                    }

                    CliJson.WriteDiagnostics(writer, report.Diagnostics);
                    writer.WriteEndObject();
                });
            }
            else
            {
                await parse.InvocationConfiguration.Output.WriteLineAsync($"{record.IdempotencyKey}: {report}");
                await CliJson.WriteDiagnosticLinesAsync(parse.InvocationConfiguration.Output, report.Diagnostics, "  ");
            }

            return report.IsClean ? ExitCodes.Success : ExitCodes.Invalid;
        });
        return command;
    }

    private static Command Confirm()
    {
        var options = new SubmissionContext.Options();
        var key = KeyOption();
        var student = new Option<string>("--student") { Description = "學生身分證號 / the student's national ID", Required = true };
        var dispute = new Option<bool>("--dispute") { Description = "學生申請更正（預設為確認無誤）/ the student disputes (the default is: confirms)" };
        var note = new Option<string?>("--note") { Description = "更正說明 / what is wrong" };
        var command = new Command("confirm", "記錄學生確認或申請更正 / record a student's confirmation or dispute") { key, student, dispute, note };
        options.AddTo(command, gateway: false);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var context = await SubmissionContext.OpenAsync(parse, options, parse.InvocationConfiguration.Error, needGateway: false, cancellationToken);
            if (context is null)
            {
                return ExitCodes.UsageOrUnreadable;
            }

            var recorded = await context.Service.RecordConfirmationAsync(parse.GetValue(key)!, parse.GetValue(student)!,
                parse.GetValue(dispute) ? ConfirmationDecision.Dispute : ConfirmationDecision.Confirm, parse.GetValue(note), cancellationToken);
            if (!recorded.Succeeded)
            {
                await CliJson.WriteDiagnosticLinesAsync(parse.InvocationConfiguration.Error, recorded.Diagnostics, string.Empty);
                return ExitCodes.Invalid;
            }

            await parse.InvocationConfiguration.Output.WriteLineAsync("已記錄 / recorded");
            return ExitCodes.Success;
        });
        return command;
    }

    private static Command Close()
    {
        var options = new SubmissionContext.Options();
        var key = KeyOption();
        var json = JsonOption();
        var command = new Command("close", "確認期間結束後結案（有申請更正則為 disputed）/ close the confirmation window once it has ended") { key, json };
        options.AddTo(command, gateway: false);
        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var context = await SubmissionContext.OpenAsync(parse, options, parse.InvocationConfiguration.Error, needGateway: false, cancellationToken);
            if (context is null)
            {
                return ExitCodes.UsageOrUnreadable;
            }

            var outcome = await context.Service.CloseConfirmationAsync(parse.GetValue(key)!, cancellationToken);
            await WriteRecordsAsync(parse, outcome.Record is null ? [] : [outcome.Record], parse.GetValue(json), outcome.Diagnostics);
            return outcome.Diagnostics.Any(d => d.IsError) ? ExitCodes.Invalid : ExitCodes.Success;
        });
        return command;
    }

    private static async Task WriteRecordsAsync(ParseResult parse, IReadOnlyList<SubmissionRecord> records, bool json, IReadOnlyList<Diagnostic> diagnostics)
    {
        var output = parse.InvocationConfiguration.Output;
        if (json)
        {
            await CliJson.WriteAsync(output, writer =>
            {
                writer.WriteStartObject();
                writer.WriteStartArray("submissions");
                foreach (var record in records)
                {
                    writer.WriteStartObject();
                    SubmitCommand.WriteRecord(writer, record);
                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
                CliJson.WriteDiagnostics(writer, diagnostics);
                writer.WriteEndObject();
            });
            return;
        }

        await CliTerminal.WriteTableAsync(
            CliTerminal.For(output, json: false),
            ["學校 school", "名冊 book", "學期 term", "版次 rev", "狀態 state", "收件 accepted", "退回 refused", "確認至 confirm until", "冪等鍵 key"],
            records.Select(r => (IReadOnlyList<string>)
            [
                r.Identity.School.Value, r.Identity.Book, r.Identity.Term.ToString(), r.Identity.Revision.ToString(CultureInfo.InvariantCulture), SubmitCommand.StateName(r.State),
                r.AcceptedRows.ToString(CultureInfo.InvariantCulture), r.RejectedRows.ToString(CultureInfo.InvariantCulture), r.ConfirmUntil is { } until ? until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty, r.IdempotencyKey,
            ]),
            async () =>
            {
                foreach (var record in records)
                {
                    await output.WriteLineAsync(SubmitCommand.Describe(record) + (record.ConfirmUntil is { } until ? " 確認至 confirm until " + until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : string.Empty));
                }
            });

        await CliJson.WriteDiagnosticLinesAsync(output, diagnostics, "  ");
    }
}
