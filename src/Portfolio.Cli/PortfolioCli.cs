using System.CommandLine;
using Portfolio.Cli.Commands;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Privacy;

namespace Portfolio.Cli;

/// <summary>Builds and runs the <c>portfolio</c> command tree.</summary>
internal static class PortfolioCli
{
    public static RootCommand BuildRoot()
    {
        var root = new RootCommand("portfolio：學生學習歷程檔案工具 / tools for the Student Learning Portfolio (學習歷程).\n"
            + "Start with: portfolio demo (the whole flow on a demo school). Then: build (rosters from your SIS), validate, submit, receipts.\n"
            + "Exit codes: 0 valid, 1 invalid data, 2 usage error or unreadable input, 3 submissions still outstanding.");
        root.Add(DemoCommand.Build());
        root.Add(IdsCommand.Build());
        root.Add(CourseCodeCommand.Build());
        root.Add(CodesCommand.Build());
        root.Add(RosterCommand.Build());
        root.Add(SisCommand.Build());
        root.Add(BuildCommand.Build());
        root.Add(RosterCommand.Validate());
        root.Add(SubmitCommand.Build());
        root.Add(ReceiptsCommand.Build());
        root.Add(ReceiptsCommand.BuildLedger());
        root.Add(SandboxCommand.Build());
        root.Add(ModuleCommand.Build());
        root.Add(AdmissionCommand.Build());
        root.Add(TransferCommand.Build());
        return root;
    }

    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        var root = BuildRoot();
        var parse = root.Parse(args);
        var configuration = new InvocationConfiguration { Output = output, Error = error };
        if (parse.Errors.Count > 0)
        {
            foreach (var problem in parse.Errors)
            {
                await error.WriteLineAsync(problem.Message);
            }

            await error.WriteLineAsync("Run 'portfolio --help' for usage. / 請執行 portfolio --help 查看用法。");
            return ExitCodes.UsageOrUnreadable;
        }

        // No stack trace ever reaches the user: a failure no command turned into a diagnostic becomes PF1313 here.
        configuration.EnableDefaultExceptionHandler = false;
        try
        {
            return await parse.InvokeAsync(configuration, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await error.WriteLineAsync("已取消 / cancelled");
            return ExitCodes.UsageOrUnreadable;
        }
        catch (Exception ex)
        {
            await ReportFailureAsync(args, output, error, ex);
            return ExitCodes.UsageOrUnreadable;
        }
    }

    /// <summary>A diagnostic for a failure that is not the input's fault: the exception's type and its message, redacted, and no stack trace.</summary>
    internal static Diagnostic Failure(string what, Exception ex)
    {
        var reason = ex.GetType().Name + ": " + Redaction.QuoteText(ex.Message);
        return DiagnosticCatalog.Create(DiagnosticCodes.InputFailed, null, what, reason, reason);
    }

    private static async Task ReportFailureAsync(string[] args, TextWriter output, TextWriter error, Exception ex)
    {
        var command = "portfolio " + string.Join(' ', args.TakeWhile(a => !a.StartsWith('-')).Take(2));
        var diagnostic = Failure(command, ex);
        if (args.Contains("--json", StringComparer.Ordinal))
        {
            await CliJson.WriteAsync(output, writer =>
            {
                writer.WriteStartObject();
                writer.WriteBoolean("failed", true);
                CliJson.WriteDiagnostics(writer, [diagnostic]);
                writer.WriteEndObject();
            });
        }

        await CliJson.WriteDiagnosticLinesAsync(error, [diagnostic], string.Empty);
    }
}
