using System.CommandLine;
using System.IO.Compression;
using Portfolio.Sdk;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Submission.Receipts;

namespace Portfolio.Cli.Commands;

/// <summary><c>portfolio submit</c>: send rosters and packages to the gateway, idempotently, resuming what an earlier run left.</summary>
internal static class SubmitCommand
{
    public static Command Build()
    {
        var files = new Argument<FileInfo[]>("files") { Description = "名冊 .xlsx 或上傳包 .zip / roster workbooks (.xlsx) or upload packages (.zip)", Arity = ArgumentArity.ZeroOrMore };
        var revision = new Option<int>("--revision") { Description = "版次（更正重送用 2 以上）/ revision (2 and up for corrections)", DefaultValueFactory = _ => 1 };
        var json = new Option<bool>("--json") { Description = "以 JSON 輸出 / print JSON" };
        var options = new SubmissionContext.Options();
        var command = new Command("submit", "送出名冊；先重送前次未完成的送件，同一份名冊不會送兩次 / submit rosters; first resends what an earlier run left outstanding, and never submits one roster twice.\n"
            + "Exit codes: 0 all accepted (or dropped for upload), 1 some rejected, 2 usage or unreadable file, 3 some still outstanding (run again).")
        {
            files, revision, json,
        };
        options.AddTo(command);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            await using var context = await SubmissionContext.OpenAsync(parse, options, error, needGateway: true, cancellationToken);
            if (context is null)
            {
                return ExitCodes.UsageOrUnreadable;
            }

            var results = new List<(string Source, SubmissionRecord? Record, IReadOnlyList<Diagnostic> Diagnostics)>();
            var toSubmit = parse.GetValue(files) ?? [];
            await CliTerminal.WithProgressAsync(CliTerminal.For(error, parse.GetValue(json)), "submit", async progress =>
            {
                progress.Report(("(resumed)", 0));
                try
                {
                    foreach (var resumed in await context.Service.ResumeAsync(cancellationToken: cancellationToken))
                    {
                        results.Add(("(resumed)", resumed, []));
                    }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    results.Add(("(resumed)", null, [PortfolioCli.Failure("(resumed)", ex)]));
                }

                // Each file gets its own outcome; one that fails does not stop the others (docs/cli.md).
                foreach (var (file, i) in toSubmit.Select((f, i) => (f, i)))
                {
                    progress.Report((file.Name, (i + 1.0) / (toSubmit.Length + 1)));
                    try
                    {
                        results.Add(await SubmitFileAsync(context, file, parse.GetValue(revision), cancellationToken));
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        results.Add((file.Name, null, [PortfolioCli.Failure(file.Name, ex)]));
                    }
                }

                return results;
            });

            if (parse.GetValue(json))
            {
                await CliJson.WriteAsync(output, writer =>
                {
                    writer.WriteStartObject();
                    writer.WriteStartArray("submissions");
                    foreach (var (source, record, diagnostics) in results)
                    {
                        writer.WriteStartObject();
                        writer.WriteString("source", source);
                        if (record is not null)
                        {
                            WriteRecord(writer, record);
                        }

                        CliJson.WriteDiagnostics(writer, record is null ? diagnostics : [.. diagnostics, .. record.Diagnostics.Select(d => d.ToDiagnostic(record.IdempotencyKey))]);
                        writer.WriteEndObject();
                    }

                    writer.WriteEndArray();
                    writer.WriteEndObject();
                });
            }
            else
            {
                foreach (var (source, record, diagnostics) in results)
                {
                    await output.WriteLineAsync(record is null ? $"{source}: 無法送出 / not submitted" : $"{source}: {Describe(record)}");
                    await CliJson.WriteDiagnosticLinesAsync(output, diagnostics, "  ");
                    if (record is not null)
                    {
                        await CliJson.WriteDiagnosticLinesAsync(output, [.. record.Diagnostics.Take(20).Select(d => d.ToDiagnostic())], "  ");
                    }
                }
            }

            return results.Any(r => r.Record is null) ? ExitCodes.UsageOrUnreadable
                : results.Any(r => r.Record!.State == SubmissionState.Rejected) ? ExitCodes.Invalid
                : results.Any(r => r.Record!.IsOutstanding && !(context.IsFileDrop && r.Record.LastError is null)) ? ExitCodes.Outstanding
                : ExitCodes.Success;
        });
        return command;
    }

    internal static string Describe(SubmissionRecord r) =>
        $"{r.Identity} {r.IdempotencyKey} {StateName(r.State)}"
        + (r.State is SubmissionState.Accepted or SubmissionState.ReceiptReceived ? $" ({r.AcceptedRows} 列收件 received, {r.RejectedRows} 列退回 refused)" : string.Empty)
        + (r.LastError is { } e ? $" [{e}]" : string.Empty);

    internal static string StateName(SubmissionState state) => state switch
    {
        SubmissionState.Pending => "pending",
        SubmissionState.Sent => "sent",
        SubmissionState.Accepted => "accepted",
        SubmissionState.Rejected => "rejected",
        SubmissionState.ReceiptReceived => "receipt-received",
        SubmissionState.Confirmed => "confirmed",
        _ => "disputed",
    };

    internal static void WriteRecord(System.Text.Json.Utf8JsonWriter writer, SubmissionRecord record)
    {
        writer.WriteString("key", record.IdempotencyKey);
        writer.WriteString("state", StateName(record.State));
        writer.WriteString("school", record.Identity.School.Value);
        writer.WriteString("book", record.Identity.Book);
        writer.WriteString("term", record.Identity.Term.ToString());
        writer.WriteNumber("revision", record.Identity.Revision);
        writer.WriteNumber("attempts", record.Attempts);
        writer.WriteNumber("acceptedRows", record.AcceptedRows);
        writer.WriteNumber("rejectedRows", record.RejectedRows);
        if (record.ReceiptId is { } receipt)
        {
            writer.WriteString("receiptId", receipt);
        }

        if (record.ConfirmUntil is { } until)
        {
            writer.WriteString("confirmUntil", until.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }

        if (record.Corrects is { } corrects)
        {
            writer.WriteString("corrects", corrects);
        }

        if (record.LastError is { } lastError)
        {
            writer.WriteString("lastError", lastError);
        }
    }

    private static async Task<(string, SubmissionRecord?, IReadOnlyList<Diagnostic>)> SubmitFileAsync(SubmissionContext context, FileInfo file, int revision, CancellationToken cancellationToken)
    {
        if (!file.Exists)
        {
            return (file.Name, null, [DiagnosticCatalog.Create(DiagnosticCodes.GatewayPartMissing, new DiagnosticLocation(Source: file.Name), file.FullName)]);
        }

        await using var stream = file.OpenRead();
        var kind = IsPackage(stream) ? SubmissionContentKind.Package : SubmissionContentKind.Workbook;
        stream.Position = 0;
        var report = RosterContent.Read(stream, kind, file.Name, _ => { }, cancellationToken: cancellationToken);
        if (!report.IsReadable || report.Cover is not { } cover || report.Book is not { } book)
        {
            return (file.Name, null, [.. report.Diagnostics.Where(d => d.IsError).Take(20)]);
        }

        stream.Position = 0;
        try
        {
            var record = await context.Service.EnqueueAsync(new SubmissionIdentity(cover.School, book.Id, new SchoolTerm(cover.Year, cover.Term), revision), stream, cancellationToken: cancellationToken);
            return (file.Name, await context.Service.SendAsync(record.IdempotencyKey, cancellationToken), []);
        }
        catch (PortfolioException ex) when (ex.Diagnostic is not null)
        {
            return (file.Name, null, [ex.Diagnostic]);
        }
    }

    private static bool IsPackage(Stream stream)
    {
        try
        {
            using var zip = new ZipArchive(stream, ZipArchiveMode.Read, leaveOpen: true);
            return zip.GetEntry(RosterPackageManifest.EntryName) is not null;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
