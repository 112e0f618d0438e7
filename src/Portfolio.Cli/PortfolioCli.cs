using System.CommandLine;
using Portfolio.Cli.Commands;

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

        return await parse.InvokeAsync(configuration, cancellationToken);
    }
}
