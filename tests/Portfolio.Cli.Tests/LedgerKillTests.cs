using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Portfolio.Sdk.Sandbox;

namespace Portfolio.Cli.Tests;

/// <summary>
/// The real executable killed at many points of its first run against a new ledger: the next start completes the
/// schema, and <c>receipts collect</c> works.
/// </summary>
public sealed class LedgerKillTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("portfolio-cli-kill-").FullName;
    private RunningSandbox _sandbox = null!;

    public async ValueTask InitializeAsync() => _sandbox = await SandboxServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private static Process Start(params string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "portfolio.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }

    [Fact]
    public async Task KilledDuringTheFirstRun_TheNextStartCompletesTheSchema_AndCollectWorks()
    {
        var ct = TestContext.Current.CancellationToken;
        var outbox = Path.Combine(_folder, "outbox");
        var clock = Stopwatch.StartNew();
        using (var full = Start("ledger", "--ledger", Path.Combine(_folder, "full.db"), "--outbox", outbox))
        {
            await full.WaitForExitAsync(ct);
            full.ExitCode.ShouldBe(0);
        }

        var run = clock.Elapsed;
        const int points = 24;
        var leftAFile = 0;
        for (var i = 0; i < points; i++)
        {
            var ledger = Path.Combine(_folder, $"kill{i}.db");
            using (var process = Start("receipts", "collect", "--school", "060322", "--gateway", _sandbox.BaseAddress.ToString(), "--ledger", ledger, "--outbox", outbox))
            {
                // Spread the kills over the whole run, a little past its end.
                await Task.Delay(TimeSpan.FromTicks(run.Ticks * (i + 4) / points), ct);
                try
                {
                    process.Kill(entireProcessTree: true);
                }
                catch (InvalidOperationException)
                {
                    // Already finished.
                }

                await process.WaitForExitAsync(ct);
            }

            if (File.Exists(ledger))
            {
                leftAFile++;
            }

            var (exit, output, error) = await CliRunner.RunAsync("receipts", "collect", "--school", "060322", "--gateway", _sandbox.BaseAddress.ToString(), "--ledger", ledger, "--outbox", outbox);
            exit.ShouldBe(ExitCodes.Success, $"kill {i}: {output}{error}");
            (output + error).ShouldNotContain("no such table");

            await using var connection = new SqliteConnection($"Data Source={ledger};Pooling=False");
            await connection.OpenAsync(ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE name IN ('portfolio_submission', 'portfolio_receipt_row', 'portfolio_confirmation', 'ux_submission_identity', 'ix_submission_state')";
            Convert.ToInt32(await command.ExecuteScalarAsync(ct), System.Globalization.CultureInfo.InvariantCulture).ShouldBe(5, $"kill {i}");
        }

        // Some kills came after the ledger file was created, so the repair path was exercised, not only fresh starts.
        leftAFile.ShouldBeGreaterThan(0);
        TestContext.Current.TestOutputHelper?.WriteLine($"{points} kills over a {run.TotalMilliseconds:F0} ms run; {leftAFile} left a ledger file");
    }
}
