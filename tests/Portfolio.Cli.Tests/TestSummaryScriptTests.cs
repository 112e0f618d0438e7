using System.Diagnostics;
using Portfolio.Sdk.Testing;

namespace Portfolio.Cli.Tests;

/// <summary>
/// <c>scripts/test-summary.sh</c>, the closing line of <c>./build.sh test</c>: it once looped forever under GNU awk,
/// so it is run here on logs shaped like <c>dotnet test</c>'s, including the ones that tripped the old loop.
/// </summary>
public sealed class TestSummaryScriptTests
{
    private static async Task<string> SummariseAsync(string log)
    {
        var start = new ProcessStartInfo("bash") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(RepositoryPaths.Combine("scripts", "test-summary.sh"));
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(log);
        process.StandardInput.Close();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var output = await process.StandardOutput.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        process.ExitCode.ShouldBe(0, await process.StandardError.ReadToEndAsync(timeout.Token));
        return output.TrimEnd();
    }

    [Fact]
    public async Task Sums_EveryAssemblyLine()
    {
        const string log = """
            Test run for /x/Portfolio.Sdk.Tests.dll (.NETCoreApp,Version=v10.0)
            Passed!  - Failed:     0, Passed:   549, Skipped:     0, Total:   549, Duration: 8 s - Portfolio.Sdk.Tests.dll (net10.0)
            Failed!  - Failed:     2, Passed:    71, Skipped:     1, Total:    74, Duration: 8 s - Portfolio.Sdk.Sis.Tests.dll (net10.0)
            Passed!  - Failed:     0, Passed: 1,234, Skipped:     3, Total: 1,237, Duration: 1 m - Big.Tests.dll (net10.0)
            """;

        (await SummariseAsync(log)).ShouldBe("1854 passed, 2 failed, 4 skipped");
    }

    [Theory]
    [InlineData("Passed!  - Failed:")]
    [InlineData("Failed!  - Failed:     0, Passed:")]
    [InlineData("")]
    [InlineData("no summary here at all")]
    public async Task Ends_OnTruncatedOrMissingLines(string log)
    {
        (await SummariseAsync(log)).ShouldBe("0 passed, 0 failed, 0 skipped");
    }
}
