using System.Diagnostics;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>samples/ModuleCycle runs the whole course-outcome and 多元表現 cycle through the service alone, on SQLite.</summary>
public sealed class ModuleCycleSampleTests
{
    [Fact]
    public async Task ModuleCycleSample_RunsTheWholeCycle_OnSqlite()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"module-cycle-{Guid.NewGuid():N}");
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, StandardOutputEncoding = System.Text.Encoding.UTF8 };
        start.ArgumentList.Add(RepositoryPaths.Combine("samples", "ModuleCycle", "bin", configuration, "net10.0", "ModuleCycle.dll"));
        start.ArgumentList.Add("--files");
        start.ArgumentList.Add(folder);
        try
        {
            using var process = Process.Start(start)!;
            var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var errors = await process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);

            process.ExitCode.ShouldBe(0, output + errors);
            output.ShouldNotContain("FAIL");
            output.ShouldContain("audit: 24 entries, chain intact");
            output.ShouldContain("cycle complete");
            output.ShouldContain("PF3117");
        }
        finally
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
    }
}
