using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Sandbox;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.Ledger;
using Quartz;

namespace Portfolio.Sdk.Scheduling.Tests;

/// <summary><see cref="PortfolioScheduler"/>: pause and resume a school, run its jobs now, list what fires next.</summary>
public sealed class PortfolioSchedulerTests
{
    private static readonly SchoolCode First = SchoolCode.Parse("060322");
    private static readonly SchoolCode Second = SchoolCode.Parse("013301");

    /// <summary>A submission window of this school year's first term, opening <paramref name="inDays"/> days from today.</summary>
    private static (SchoolYear Year, PortfolioPolicy Policy, DateOnly Opens) WindowFromToday(int inDays)
    {
        var calendar = new SchoolCalendar(TimeProvider.System);
        var opens = calendar.Today.AddDays(inDays);
        var policy = new PortfolioPolicy(PortfolioPolicy.Default.National, new SchoolPolicy
        {
            Windows = [new PolicyWindow(PolicyWindowKind.Submission, new SchoolTerm(calendar.CurrentYear, Term.First), opens, opens.AddDays(14))],
        });
        return (calendar.CurrentYear, policy, opens);
    }

    private static DateTimeOffset EightInTaipei(DateOnly day) => new(day.ToDateTime(new TimeOnly(8, 0)), TimeSpan.FromHours(8));

    [Fact]
    public async Task PauseResumeAndList_WorkPerSchool_AndAPauseOutlivesRescheduling()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var provider = new ServiceCollection().AddLogging().AddPortfolioScheduling(o => { }).BuildServiceProvider();
        var schedule = provider.GetRequiredService<PortfolioScheduler>();
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
        var (year, policy, opens) = WindowFromToday(10);
        await PortfolioSchedule.ScheduleSchoolAsync(scheduler, First, year, policy, new PortfolioSchedulingOptions(), cancellationToken: ct);
        await PortfolioSchedule.ScheduleSchoolAsync(scheduler, Second, year, WindowFromToday(20).Policy, new PortfolioSchedulingOptions(), cancellationToken: ct);

        var all = await schedule.ListAsync(cancellationToken: ct);
        all.Select(j => j.School.Value).Distinct().ShouldBe([First.Value, Second.Value], ignoreOrder: true);
        all.Select(j => j.NextFireTime ?? DateTimeOffset.MaxValue).ShouldBeInOrder(SortDirection.Ascending);
        var semester = (await schedule.ListAsync(First, ct)).Single(j => j.Job == $"semester-rosters-{year.RocYear}-1");
        semester.NextFireTime.ShouldBe(EightInTaipei(opens));
        semester.PreviousFireTime.ShouldBeNull();
        (await schedule.ListAsync(Second, ct)).Single(j => j.Job == $"semester-rosters-{year.RocYear}-1").NextFireTime.ShouldBe(EightInTaipei(opens.AddDays(10)));

        await schedule.PauseSchoolAsync(First, ct);

        (await schedule.IsSchoolPausedAsync(First, ct)).ShouldBeTrue();
        (await schedule.IsSchoolPausedAsync(Second, ct)).ShouldBeFalse();
        (await schedule.ListAsync(First, ct)).ShouldAllBe(j => j.IsPaused);
        (await schedule.ListAsync(Second, ct)).ShouldAllBe(j => !j.IsPaused);

        await PortfolioSchedule.ScheduleSchoolAsync(scheduler, First, year, policy, new PortfolioSchedulingOptions(), cancellationToken: ct);   // a policy change
        (await schedule.ListAsync(First, ct)).ShouldAllBe(j => j.IsPaused);

        await schedule.ResumeSchoolAsync(First, ct);

        (await schedule.IsSchoolPausedAsync(First, ct)).ShouldBeFalse();
        (await schedule.ListAsync(First, ct)).ShouldAllBe(j => !j.IsPaused);
        var third = SchoolCode.Parse("999999");
        (await schedule.TriggerNowAsync(third, cancellationToken: ct)).ShouldBeEmpty();
        await schedule.PauseSchoolAsync(third, ct);                                                 // before it has any job
        await PortfolioSchedule.ScheduleSchoolAsync(scheduler, third, year, policy, new PortfolioSchedulingOptions(), cancellationToken: ct);
        (await schedule.ListAsync(third, ct)).ShouldNotBeEmpty();
        (await schedule.ListAsync(third, ct)).ShouldAllBe(j => j.IsPaused);
        (await schedule.TriggerNowAsync(First, "no-such-job", ct)).ShouldBeEmpty();
    }

    [Fact]
    public async Task TriggerNow_RunsAPausedSchoolsJobOnce_BeforeItsWindowOpens()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sandbox = await SandboxServer.StartAsync(cancellationToken: ct);
        var folder = Directory.CreateTempSubdirectory("portfolio-scheduler-").FullName;
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<System.Data.Common.DbDataSource>(SqliteFactory.Instance.CreateDataSource($"Data Source={Path.Combine(folder, "ledger.db")};Pooling=False"));
        builder.Services.AddPortfolioGateway(o => o.BaseAddress = sandbox.BaseAddress);
        builder.Services.AddPortfolioSubmission(o => o.OutboxDirectory = Path.Combine(folder, "outbox"));
        builder.Services.AddSingleton<ISchoolRosterSource, SchedulingTests.GradesSource>();
        builder.Services.AddPortfolioScheduling(o => { });
        using var host = builder.Build();
        await host.Services.GetRequiredService<ISubmissionLedger>().EnsureCreatedAsync(ct);
        await host.StartAsync(ct);
        try
        {
            var schedule = host.Services.GetRequiredService<PortfolioScheduler>();
            var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
            var (year, policy, _) = WindowFromToday(30);
            await PortfolioSchedule.ScheduleSchoolAsync(scheduler, First, year, policy, new PortfolioSchedulingOptions(), cancellationToken: ct);
            await schedule.PauseSchoolAsync(First, ct);

            var started = await schedule.TriggerNowAsync(First, $"semester-rosters-{year.RocYear}-1", ct);

            started.ShouldBe([$"semester-rosters-{year.RocYear}-1"]);
            var ledger = host.Services.GetRequiredService<ISubmissionLedger>();
            for (var i = 0; i < 150 && !((await ledger.ListAsync(cancellationToken: ct)) is [{ State: SubmissionState.Accepted }] && sandbox.Store.SubmissionCount == 1); i++)
            {
                await Task.Delay(100, ct);
            }

            (await ledger.ListAsync(cancellationToken: ct)).ShouldHaveSingleItem().State.ShouldBe(SubmissionState.Accepted);
            sandbox.Store.SubmissionCount.ShouldBe(1);
            (await schedule.IsSchoolPausedAsync(First, ct)).ShouldBeTrue();   // running now does not resume the schedule
        }
        finally
        {
            await host.StopAsync(ct);
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }
}
