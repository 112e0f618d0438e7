using System.Diagnostics;

namespace Portfolio.Cli.Tests;

/// <summary>The real executable, as a user runs it: exit codes and UTF-8 output survive the process boundary.</summary>
public sealed class ProcessTests
{
    private static async Task<(int ExitCode, string Output)> RunProcessAsync(params string[] args)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "portfolio.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = System.Text.Encoding.UTF8 };
        start.ArgumentList.Add(dll);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, output);
    }

    [Theory]
    [InlineData(0, "ids", "check", "A123456789")]
    [InlineData(1, "ids", "check", "A123456788")]
    [InlineData(2, "ids", "check")]
    public async Task ExitCodes_AreTheDocumentedOnes(int expected, params string[] args)
    {
        var (exitCode, _) = await RunProcessAsync(args);

        exitCode.ShouldBe(expected);
    }

    [Fact]
    public async Task DemoJson_WithLoggingTurnedUp_IsStillValidJson_LogsGoToStandardError()
    {
        var folder = Directory.CreateTempSubdirectory("portfolio-demo-json-").FullName;
        try
        {
            var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, StandardOutputEncoding = System.Text.Encoding.UTF8 };
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "portfolio.dll"));
            foreach (var arg in new[] { "demo", "--out", folder, "--json" })
            {
                start.ArgumentList.Add(arg);
            }

            start.Environment["Logging__LogLevel__Default"] = "Information";
            using var process = Process.Start(start)!;
            var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);

            using var json = System.Text.Json.JsonDocument.Parse(output);   // throws if a log line slipped into standard output
            json.RootElement.GetProperty("submissions").GetArrayLength().ShouldBeGreaterThan(0);
            (await error).ShouldNotBeEmpty();                                 // the logs went to standard error
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Output_IsUtf8Chinese()
    {
        var (_, output) = await RunProcessAsync("course-code", "explain", "108060322H1110101010101");

        output.ShouldContain("普通高中");
    }
}
