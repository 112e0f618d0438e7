using System.Collections.Concurrent;
using Microsoft.Data.Sqlite;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Testing;
using Quartz;
using Quartz.Extensibility;

namespace Portfolio.Sdk.Scheduling.Tests;

/// <summary>
/// A running Quartz scheduler on a fake clock, with the school's real triggers and calendars from
/// <see cref="PortfolioSchedule"/>: nothing fires before the window opens, the first firing comes when it opens,
/// a downtime inside the window ends with one firing (not one per missed time), and a downtime past the window's end
/// ends with none.
/// </summary>
public sealed class FakeClockSchedulerTests
{
    private static readonly TimeSpan Taipei = TimeSpan.FromHours(8);
    private const string Semester = "semester-rosters-113-1";

    [Fact]
    public async Task RunningScheduler_FiresOnlyInsideTheWindow_AndHandlesMisfiresAsDocumented()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 2, 2, 12, 0, 0, Taipei)); // the day before the window opens
        var fired = new ConcurrentQueue<(string Job, DateTimeOffset Scheduled, DateTimeOffset At)>();
        var folder = Directory.CreateTempSubdirectory("portfolio-fakeclock-").FullName;
        var connectionString = $"Data Source={Path.Combine(folder, "quartz.db")};Pooling=False";
        await using (var store = SqliteFactory.Instance.CreateDataSource(connectionString))
        {
            await QuartzSchema.ApplyAsync(store, SqlDialect.Sqlite, cancellationToken: ct);
        }

        // A persistent store, so that "down" is a real shutdown and a new scheduler over the same tables.
        var scheduler = await StartAsync();
        try
        {
            var policy = new PortfolioPolicy(PortfolioPolicy.Default.National, new SchoolPolicy
            {
                Windows = [new PolicyWindow(PolicyWindowKind.Submission, SchoolTerm.Parse("113-1"), new DateOnly(2025, 2, 3), new DateOnly(2025, 2, 14))],
            });
            await PortfolioSchedule.ScheduleSchoolAsync(scheduler, SchoolCode.Parse("060322"), new SchoolYear(113), policy,
                new PortfolioSchedulingOptions { SubmissionInterval = TimeSpan.FromHours(12) }, clock, ct);

            // Outside the window: the semester job does not fire, however long the scheduler runs.
            await Task.Delay(TimeSpan.FromSeconds(2.5), ct);
            SemesterFirings().ShouldBeEmpty();

            // The window opens at 08:00 on 3 February: the job fires, once, for that time.
            clock.SetUtcNow(new DateTimeOffset(2025, 2, 3, 8, 0, 1, Taipei));
            await WaitForAsync(() => SemesterFirings().Count >= 1, ct);
            await Task.Delay(TimeSpan.FromSeconds(1.5), ct);
            SemesterFirings().ShouldHaveSingleItem().Scheduled.ShouldBe(new DateTimeOffset(2025, 2, 3, 8, 0, 0, Taipei));

            // Three days down inside the window (six firings missed): on restart it fires once, now, not six times.
            await scheduler.Shutdown(true, ct);
            clock.SetUtcNow(new DateTimeOffset(2025, 2, 6, 9, 30, 0, Taipei));
            scheduler = await StartAsync();
            await WaitForAsync(() => SemesterFirings().Count >= 2, ct);
            await Task.Delay(TimeSpan.FromSeconds(2.5), ct);
            var firings = SemesterFirings();
            firings.Count.ShouldBe(2);
            firings[1].At.ShouldBe(new DateTimeOffset(2025, 2, 6, 9, 30, 0, Taipei));

            // Down until after the window closed: nothing fires, and the trigger is gone.
            await scheduler.Shutdown(true, ct);
            clock.SetUtcNow(new DateTimeOffset(2025, 2, 16, 9, 0, 0, Taipei));
            scheduler = await StartAsync();
            await Task.Delay(TimeSpan.FromSeconds(2.5), ct);
            SemesterFirings().Count.ShouldBe(2);
            (await scheduler.GetTrigger(new TriggerKey(Semester, PortfolioSchedule.GroupOf(SchoolCode.Parse("060322"))), ct)).ShouldBeNull();
        }
        finally
        {
            await scheduler.Shutdown(false, CancellationToken.None);
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }

        async Task<IScheduler> StartAsync()
        {
            var started = await QuartzSchedulerBuilder.Create(q =>
            {
                q.ConfigureScheduler(s => s.IdleWaitTime = TimeSpan.FromSeconds(1));
                q.UseTimeProvider(clock);
                q.UseJobFactory(new RecordingJobFactory(fired, clock));
                q.UsePersistentStore(p =>
                {
                    p.UseDataSource(d =>
                    {
                        d.Provider = DataSourceOptions.Providers.Sqlite;
                        d.ConnectionString = connectionString;
                    });
                    p.UseSystemTextJsonSerializer();
                    p.ConfigureStore(o => o.StoreJobDataAsStrings = true);
                });
            }).BuildScheduler(ct);
            await started.Start(ct);
            return started;
        }

        List<(string Job, DateTimeOffset Scheduled, DateTimeOffset At)> SemesterFirings() => fired.Where(f => f.Job == Semester).ToList();
    }

    private static async Task WaitForAsync(Func<bool> condition, CancellationToken cancellationToken)
    {
        for (var i = 0; i < 200 && !condition(); i++)
        {
            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Stands in for the portfolio jobs: records which job fired, for which scheduled time, at what (fake) time.</summary>
    private sealed class RecordingJobFactory(ConcurrentQueue<(string, DateTimeOffset, DateTimeOffset)> fired, TimeProvider clock) : IJobFactory
    {
        public ValueTask<JobScope> CreateJob(TriggerFiredBundle bundle, IScheduler scheduler, CancellationToken cancellationToken) =>
            ValueTask.FromResult(new JobScope(new RecordingJob(fired, clock), null));

        public ValueTask ReturnJob(JobScope scope, CancellationToken cancellationToken) => ValueTask.CompletedTask;
    }

    private sealed class RecordingJob(ConcurrentQueue<(string, DateTimeOffset, DateTimeOffset)> fired, TimeProvider clock) : IJob
    {
        public ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
        {
            fired.Enqueue((context.JobDetail.Key.Name, context.ScheduledFireTimeUtc!.Value, clock.GetUtcNow()));
            return ValueTask.CompletedTask;
        }
    }
}
