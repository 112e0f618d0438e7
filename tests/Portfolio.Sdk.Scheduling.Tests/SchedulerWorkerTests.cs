using System.Text;
using Microsoft.Data.Sqlite;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Submission.Ledger;

namespace Portfolio.Sdk.Scheduling.Tests;

/// <summary>The worker sample on one machine, as a new user runs it: jobs in memory, an in-process sandbox, two schools.</summary>
public sealed class SchedulerWorkerTests
{
    [Fact]
    public async Task OneMachine_SubmitsEachSchoolsSemesterBooks_AndAStartAgainSubmitsNothingNew()
    {
        var ct = TestContext.Current.CancellationToken;
        var folder = Directory.CreateTempSubdirectory("portfolio-worker-").FullName;
        var log = new StringBuilder();
        try
        {
            var ledgerFile = Path.Combine(folder, "ledger.db");
            var keys = new List<string>();
            for (var run = 0; run < 2; run++)
            {
                var (process, instance) = await SchedulerWorkerProcess.StartAsync(log, ct, "--outbox", folder, "--schools", "060322,013301", "--Logging:LogLevel:Portfolio.Sdk.Scheduling", "Information");
                using (process)
                {
                    instance.ShouldBe("NON_CLUSTERED");
                    IReadOnlyList<SubmissionRecord> records = [];
                    await using (var source = SqliteFactory.Instance.CreateDataSource($"Data Source={ledgerFile};Pooling=False"))
                    {
                        var ledger = new DbSubmissionLedger(source, SqlDialect.Sqlite);
                        // Until both schools' jobs have run in this start, and their books (four each: the demo SIS has no 進修部) are accepted.
                        for (var i = 0; i < 600 && !(SchedulerWorkerProcess.Occurrences(log, "Semester rosters of") >= 2 * (run + 1) && records.Count == 8 && records.All(r => r.State == SubmissionState.Accepted)); i++)
                        {
                            await Task.Delay(100, ct);
                            records = await ledger.ListAsync(cancellationToken: ct);
                        }
                    }

                    SchedulerWorkerProcess.Occurrences(log, "Semester rosters of").ShouldBe(2 * (run + 1), log.ToString());
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync(ct);
                    records.Select(r => r.Identity.School.Value).Distinct().Order().ToArray().ShouldBe(["013301", "060322"], customMessage: log.ToString());
                    records.Select(r => r.Identity.Book).Distinct().Order().ToArray().ShouldBe(["cadre", "grades", "retake-grades", "student"]);
                    records.ShouldAllBe(r => r.State == SubmissionState.Accepted && r.Attempts == 1);
                    keys.Add(string.Join(",", records.Select(r => r.IdempotencyKey).Order()));
                }
            }

            keys[1].ShouldBe(keys[0]); // the second start found both in the ledger and sent nothing
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
