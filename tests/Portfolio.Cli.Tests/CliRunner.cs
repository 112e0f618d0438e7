using System.Text.Json;

namespace Portfolio.Cli.Tests;

/// <summary>Runs the CLI in process and captures what it prints.</summary>
internal static class CliRunner
{
    public static async Task<(int ExitCode, string Output, string Error)> RunAsync(params string[] args)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = await PortfolioCli.RunAsync(args, output, error, TestContext.Current.CancellationToken);
        return (exitCode, output.ToString(), error.ToString());
    }

    public static async Task<(int ExitCode, JsonElement Json)> RunJsonAsync(params string[] args)
    {
        var (exitCode, output, _) = await RunAsync(args);
        using var document = JsonDocument.Parse(output);
        return (exitCode, document.RootElement.Clone());
    }
}
