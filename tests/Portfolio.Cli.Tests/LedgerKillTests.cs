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

        // Kill at growing delays, a fraction of a full run apart, until the run has finished on its own a few times:
        // under load the run is slower and simply gets more kill points.
        var step = clock.Elapsed / 24;
        var leftAFile = 0;
        var finished = 0;
        var i = 0;
        for (; finished < 3 && i < 120; i++)
        {
            var ledger = Path.Combine(_folder, $"kill{i}.db");
            using (var process = Start("receipts", "collect", "--school", "060322", "--gateway", _sandbox.BaseAddress.ToString(), "--ledger", ledger, "--outbox", outbox))
            {
                await Task.Delay(step * i, ct);
                if (process.HasExited)
                {
                    finished++;
                }
                else
                {
                    try
                    {
                        process.Kill(entireProcessTree: true);
                    }
                    catch (InvalidOperationException)
                    {
                        finished++;
                    }
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
        TestContext.Current.TestOutputHelper?.WriteLine($"{i} runs {step.TotalMilliseconds:F0} ms apart; {i - finished} killed, {leftAFile} left a ledger file");
    }
}
