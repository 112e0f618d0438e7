using System.Diagnostics;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Sandbox;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Tests;

namespace Portfolio.Cli.Tests;

public sealed class SubmitCommandTests : IAsyncLifetime
{
    private readonly string _folder = Directory.CreateTempSubdirectory("portfolio-cli-submit-").FullName;
    private RunningSandbox _sandbox = null!;

    public async ValueTask InitializeAsync() => _sandbox = await SandboxServer.StartAsync();

    public async ValueTask DisposeAsync()
    {
        await _sandbox.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_folder, recursive: true);
    }

    private string Write(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllBytes(path, content);
        return path;
    }

    private string[] Common() => ["--ledger", Path.Combine(_folder, "ledger.db"), "--outbox", Path.Combine(_folder, "outbox")];

    [Fact]
    public async Task Submit_ThenAgain_SubmitsOnce_ThenReceiptsAreCollectedAndReconciled()
    {
        var roster = Write("grades.xlsx", Rosters.Grades(3));
        var (first, json) = await CliRunner.RunJsonAsync(["submit", roster, "--gateway", _sandbox.BaseAddress.ToString(), "--json", .. Common()]);
        var (second, again) = await CliRunner.RunJsonAsync(["submit", roster, "--gateway", _sandbox.BaseAddress.ToString(), "--json", .. Common()]);

        first.ShouldBe(ExitCodes.Success);
        second.ShouldBe(ExitCodes.Success);
        var submission = json.GetProperty("submissions")[0];
        submission.GetProperty("state").GetString().ShouldBe("accepted");
        submission.GetProperty("acceptedRows").GetInt32().ShouldBe(6);
        again.GetProperty("submissions")[0].GetProperty("key").GetString().ShouldBe(submission.GetProperty("key").GetString());
        again.GetProperty("submissions")[0].GetProperty("attempts").GetInt32().ShouldBe(1);
        _sandbox.Store.SubmissionCount.ShouldBe(1);

        var (collected, receipts) = await CliRunner.RunJsonAsync(["receipts", "collect", "--school", "060322", "--gateway", _sandbox.BaseAddress.ToString(), "--json", .. Common()]);
        collected.ShouldBe(ExitCodes.Success);
        receipts.GetProperty("submissions")[0].GetProperty("state").GetString().ShouldBe("receipt-received");
        var key = submission.GetProperty("key").GetString()!;
        var (reconciled, report) = await CliRunner.RunJsonAsync(["receipts", "reconcile", "--key", key, "--json", .. Common()]);
        reconciled.ShouldBe(ExitCodes.Success);
        report.GetProperty("matched").GetInt32().ShouldBe(6);

        var (disputed, _, _) = await CliRunner.RunAsync(["receipts", "confirm", "--key", key, "--student", Rosters.StudentId(1), "--dispute", "--note", "成績有誤", .. Common()]);
        disputed.ShouldBe(ExitCodes.Success);
        var (listed, ledger) = await CliRunner.RunJsonAsync(["ledger", "--json", .. Common()]);
        listed.ShouldBe(ExitCodes.Success);
        ledger.GetProperty("submissions").GetArrayLength().ShouldBe(1);
    }

    [Fact]
    public async Task Submit_CorruptFile_IsExit2WithADiagnostic_AndTheOthersGoThrough()
    {
        var good = Write("good.xlsx", Rosters.Grades(1));
        var bad = Write("bad.xlsx", "this is not a workbook"u8.ToArray());
        var (exit, json) = await CliRunner.RunJsonAsync(["submit", good, bad, "--gateway", _sandbox.BaseAddress.ToString(), "--json", .. Common()]);

        exit.ShouldBe(ExitCodes.UsageOrUnreadable);
        var submissions = json.GetProperty("submissions");
        submissions[0].GetProperty("state").GetString().ShouldBe("accepted");
        submissions[1].GetProperty("diagnostics")[0].GetProperty("code").GetString()!.ShouldStartWith("PF10");
    }

    [Fact]
    public async Task Submit_WhenTheGatewayIsDown_LeavesItOutstanding_AndTheNextRunResendsIt()
    {
        var roster = Write("grades.xlsx", Rosters.Grades(2));
        var (down, _, _) = await CliRunner.RunAsync(["submit", roster, "--gateway", "http://127.0.0.1:9/", "--retries", "1", .. Common()]);
        down.ShouldBe(ExitCodes.Outstanding);

        var (up, json) = await CliRunner.RunJsonAsync(["submit", "--gateway", _sandbox.BaseAddress.ToString(), "--json", .. Common()]);
        up.ShouldBe(ExitCodes.Success);
        json.GetProperty("submissions")[0].GetProperty("source").GetString().ShouldBe("(resumed)");
        json.GetProperty("submissions")[0].GetProperty("state").GetString().ShouldBe("accepted");
    }

    [Fact]
    public async Task Submit_ToAFileDrop_WritesTheUploadAndItsInstructions()
    {
        var roster = Write("grades.xlsx", Rosters.Grades(1));
        var drop = Path.Combine(_folder, "drop");
        var (exit, json) = await CliRunner.RunJsonAsync(["submit", roster, "--drop", drop, "--json", .. Common()]);

        exit.ShouldBe(ExitCodes.Success);
        json.GetProperty("submissions")[0].GetProperty("state").GetString().ShouldBe("sent");
        var folder = Path.Combine(drop, "060322", "113-1");
        Directory.GetFiles(folder, "*.xlsx").ShouldHaveSingleItem();
        File.ReadAllText(Directory.GetFiles(folder, "*.txt").ShouldHaveSingleItem()).ShouldContain("SHA-256");
    }

    [Fact]
    public async Task Submit_WithoutAGateway_IsAUsageError()
    {
        var (exit, _, error) = await CliRunner.RunAsync(["submit", "x.xlsx", .. Common()]);
        exit.ShouldBe(ExitCodes.UsageOrUnreadable);
        error.ShouldContain("--gateway");
    }
}

/// <summary>
/// The crash test: a real <c>portfolio submit</c> process sending many rosters is killed at random points, again and
/// again; after the last restart every roster is accepted exactly once at the sandbox.
/// </summary>
public sealed class SubmitCrashTests
{
    private const int RosterCount = 16;

    [Fact]
    public async Task KilledMidSubmission_ResumesWithoutLossOrDuplicate()
    {
        var ct = TestContext.Current.CancellationToken;
        var options = new SandboxOptions();
        options.Faults.Rate = 1; // every answer comes late, after the submission is stored: the widest window for a kill
        options.Faults.Kinds = "latency";
        options.Faults.Phase = FaultPhase.After;
        options.Faults.LatencyMilliseconds = 150;
        await using var sandbox = await SandboxServer.StartAsync(options, cancellationToken: TestContext.Current.CancellationToken);
        var folder = Directory.CreateTempSubdirectory("portfolio-crash-").FullName;
        try
        {
            var files = Enumerable.Range(0, RosterCount).Select(i =>
            {
                var school = $"0{60 + i:D2}322";
                var path = Path.Combine(folder, $"{school}.xlsx");
                File.WriteAllBytes(path, Rosters.Grades(3, school: school));
                return path;
            }).ToList();
            var ledger = Path.Combine(folder, "ledger.db");
            var random = new Random(20261122);
            var kills = 0;
            int? exitCode = null;
            for (var run = 0; run < 30 && exitCode is null; run++)
            {
                using var process = Start(["submit", .. files, "--gateway", sandbox.BaseAddress.ToString(), "--ledger", ledger, "--outbox", Path.Combine(folder, "outbox")]);
                if (kills < 6)
                {
                    var exited = process.WaitForExit(random.Next(400, 2500));
                    if (!exited)
                    {
                        process.Kill(entireProcessTree: true);
                        await process.WaitForExitAsync(ct);
                        kills++;
                        continue;
                    }
                }

                await process.WaitForExitAsync(ct);
                exitCode = process.ExitCode;
            }

            exitCode.ShouldBe(0);
            kills.ShouldBeGreaterThan(0);
            sandbox.Store.SubmissionCount.ShouldBe(RosterCount);
            sandbox.Store.Submissions.ShouldAllBe(s => sandbox.Store.TimesStored(s.IdempotencyKey) == 1);

            var dataSource = SqliteFactory.Instance.CreateDataSource($"Data Source={ledger};Pooling=False");
            await using (dataSource)
            {
                var records = await new DbSubmissionLedger(dataSource, SqlDialect.Sqlite).ListAsync(cancellationToken: ct);
                records.Count.ShouldBe(RosterCount);
                records.ShouldAllBe(r => r.State == SubmissionState.Accepted);
                records.Select(r => r.IdempotencyKey).ShouldBe(sandbox.Store.Submissions.Select(s => s.IdempotencyKey), ignoreOrder: true);
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private static Process Start(string[] args)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = false, RedirectStandardError = false, UseShellExecute = false };
        start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "portfolio.dll"));
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        return Process.Start(start)!;
    }
}
