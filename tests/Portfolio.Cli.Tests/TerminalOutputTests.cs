using System.Diagnostics;
using System.Text;
using System.Text.Json;

namespace Portfolio.Cli.Tests;

/// <summary>
/// Progress bars and tables are drawn only for a person at a terminal: redirected output and <c>--json</c> stay plain,
/// with no ANSI escape, and JSON parses. The terminal case runs the CLI under <c>script</c>, which gives it a real
/// pseudo-terminal.
/// </summary>
public sealed class TerminalOutputTests
{
    private const char Escape = '\u001b';

    private static string Dll => Path.Combine(AppContext.BaseDirectory, "portfolio.dll");

    private static async Task<(int ExitCode, string Output, string Error)> RunAsync(string file, IEnumerable<string> args)
    {
        var start = new ProcessStartInfo(file)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        start.Environment["TERM"] = "xterm-256color";
        start.Environment.Remove("NO_COLOR");
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await output, await error);
    }

    private static Task<(int ExitCode, string Output, string Error)> RunRedirectedAsync(params string[] args) => RunAsync("dotnet", [Dll, .. args]);

    /// <summary>Runs the CLI on a pseudo-terminal; standard output and error both go to the terminal, whose transcript is returned.</summary>
    private static Task<(int ExitCode, string Output, string Error)> RunOnTerminalAsync(params string[] args)
    {
        var command = string.Join(' ', new[] { "dotnet", Dll }.Concat(args).Select(a => "'" + a.Replace("'", "'\\''", StringComparison.Ordinal) + "'"));
        return RunAsync("script", ["-q", "-e", "-c", command, "/dev/null"]);
    }

    /// <summary>
    /// .NET's console on Unix sends the terminal's keypad-transmit string (smkx, <c>ESC[?1h ESC=</c>) when it takes
    /// over a terminal, before any of our output; it never reaches redirected output (see the tests above).
    /// </summary>
    private static string WithoutRuntimeKeypadMode(string transcript) =>
        transcript.StartsWith("\u001b[?1h\u001b=", StringComparison.Ordinal) ? transcript["\u001b[?1h\u001b=".Length..] : transcript;

    private static bool HasScript() => File.Exists("/usr/bin/script");

    [Fact]
    public async Task Demo_Redirected_PrintsNoAnsiEscape_AndItsJsonParses()
    {
        var folder = Directory.CreateTempSubdirectory("portfolio-tty-").FullName;
        try
        {
            var text = await RunRedirectedAsync("demo", "--out", folder, "--term", "113-1");
            var json = await RunRedirectedAsync("demo", "--out", folder, "--term", "113-1", "--json");

            text.ExitCode.ShouldBe(ExitCodes.Success);
            text.Output.ShouldContain("名冊 Rosters");
            text.Output.ShouldNotContain(Escape);
            text.Error.ShouldNotContain(Escape);
            json.ExitCode.ShouldBe(ExitCodes.Success);
            json.Output.ShouldNotContain(Escape);
            json.Error.ShouldNotContain(Escape);
            using var document = JsonDocument.Parse(json.Output);
            document.RootElement.GetProperty("submissions").GetArrayLength().ShouldBe(5);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Theory]
    [InlineData("codes", "list")]
    [InlineData("roster", "list", "--year", "113")]
    public async Task Tables_Redirected_ArePlainText_AndJsonParses(params string[] args)
    {
        var text = await RunRedirectedAsync(args);
        var json = await RunRedirectedAsync([.. args, "--json"]);

        text.ExitCode.ShouldBe(ExitCodes.Success);
        text.Output.ShouldNotContain(Escape);
        text.Output.ShouldNotContain('╭');
        json.Output.ShouldNotContain(Escape);
        using var document = JsonDocument.Parse(json.Output);
        document.RootElement.GetArrayLength().ShouldBeGreaterThan(0);
    }

    [Fact]
    public async Task OnATerminal_TheDemoDrawsProgressAndTables_ButJsonStaysClean()
    {
        Assert.SkipUnless(HasScript(), "util-linux script(1) is needed for a pseudo-terminal");
        var folder = Directory.CreateTempSubdirectory("portfolio-tty-").FullName;
        try
        {
            var drawn = await RunOnTerminalAsync("demo", "--out", folder, "--term", "113-1");
            var json = await RunOnTerminalAsync("demo", "--out", folder, "--term", "113-1", "--json");

            drawn.ExitCode.ShouldBe(ExitCodes.Success);
            drawn.Output.ShouldContain(Escape);           // the progress display and its colours
            drawn.Output.ShouldContain("╭");              // a table border
            drawn.Output.ShouldContain("demo");
            json.ExitCode.ShouldBe(ExitCodes.Success);
            var clean = WithoutRuntimeKeypadMode(json.Output);
            clean.ShouldNotContain(Escape);
            using var document = JsonDocument.Parse(clean.Replace("\r\n", "\n", StringComparison.Ordinal));
            document.RootElement.GetProperty("newSubmissions").GetInt32().ShouldBe(0);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task OnATerminal_CodesList_IsATable()
    {
        Assert.SkipUnless(HasScript(), "util-linux script(1) is needed for a pseudo-terminal");

        var drawn = await RunOnTerminalAsync("codes", "list");

        drawn.ExitCode.ShouldBe(ExitCodes.Success);
        drawn.Output.ShouldContain("╭");
        drawn.Output.ShouldContain("special-status");
    }
}
