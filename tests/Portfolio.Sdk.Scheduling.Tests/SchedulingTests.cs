using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Sandbox;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.Ledger;
using TestRosters = Portfolio.Sdk.Submission.Tests.Rosters;
using Portfolio.Sdk.Testing;
using Quartz;
using Quartz.Extensibility;

namespace Portfolio.Sdk.Scheduling.Tests;

public sealed class SchedulingTests
{
    private static readonly SchoolYear Year = new(113);

    private static PortfolioPolicy Policy() => new(PortfolioPolicy.Default.National, new SchoolPolicy
    {
        Windows =
        [
            new PolicyWindow(PolicyWindowKind.Submission, SchoolTerm.Parse("113-1"), new DateOnly(2025, 2, 3), new DateOnly(2025, 2, 14)),
            new PolicyWindow(PolicyWindowKind.Selection, new SchoolTerm(Year, Term.WholeYear), new DateOnly(2025, 7, 1), new DateOnly(2025, 7, 10)),
            new PolicyWindow(PolicyWindowKind.Submission, new SchoolTerm(Year, Term.WholeYear), new DateOnly(2025, 7, 5), new DateOnly(2025, 7, 31)),
        ],
    });

    internal sealed class GradesSource : ISchoolRosterSource
    {
        public Task<IReadOnlyList<SchoolRoster>> SemesterRostersAsync(SchoolCode school, SchoolTerm term, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<SchoolRoster>>([new SchoolRoster(TestRosters.Identity(school: school.Value), _ => Task.FromResult<Stream>(new MemoryStream(TestRosters.Grades(2, school: school.Value))))]);

        public Task<IReadOnlyList<SchoolRoster>> YearPackagesAsync(SchoolCode school, SchoolYear year, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<SchoolRoster>>([]);
    }

    /// <summary>A started host with the ledger on SQLite in <paramref name="folder"/>, the gateway at the sandbox, and <see cref="GradesSource"/>.</summary>
    private static async Task<IHost> StartHostAsync(string folder, RunningSandbox sandbox, Action<IServiceCollection> scheduling, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<System.Data.Common.DbDataSource>(SqliteFactory.Instance.CreateDataSource($"Data Source={Path.Combine(folder, "ledger.db")};Pooling=False"));
        builder.Services.AddPortfolioGateway(o => o.BaseAddress = sandbox.BaseAddress);
        builder.Services.AddPortfolioSubmission(o => o.OutboxDirectory = Path.Combine(folder, "outbox"));
        builder.Services.AddSingleton<ISchoolRosterSource, GradesSource>();
        scheduling(builder.Services);
        var host = builder.Build();
        await host.Services.GetRequiredService<ISubmissionLedger>().EnsureCreatedAsync(ct);
        await host.StartAsync(ct);
        return host;
    }

    [Fact]
    public void SharedStoreWithoutClustering_IsRefusedAtStartUpWithAClearMessage()
    {
        var services = new ServiceCollection().AddPortfolioScheduling(o => o.PostgresConnectionString = "Host=db;Database=quartz");
        using var provider = services.BuildServiceProvider();
        var ex = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        ex.Message.ShouldContain("Clustered is false");

        using var mySqlAlone = new ServiceCollection().AddPortfolioScheduling(o => o.MySqlConnectionString = "Server=db;Database=quartz").BuildServiceProvider();
        Should.Throw<OptionsValidationException>(() => mySqlAlone.GetRequiredService<IStartupValidator>().Validate()).Message.ShouldContain("shared MySQL store is configured but Clustered is false");
        using var twoStores = new ServiceCollection().AddPortfolioScheduling(o => (o.PostgresConnectionString, o.MySqlConnectionString, o.Clustered) = ("Host=db", "Server=db", true)).BuildServiceProvider();
        Should.Throw<OptionsValidationException>(() => twoStores.GetRequiredService<IStartupValidator>().Validate()).Message.ShouldContain("keep one");
        new PortfolioSchedulingOptions { MySqlConnectionString = "Server=db;Password=secret", Clustered = true }.ToString().ShouldNotContain("secret");

        using var tooEager = new ServiceCollection().AddPortfolioScheduling(o => o.IdleWaitTime = TimeSpan.FromMilliseconds(500)).BuildServiceProvider();
        Should.Throw<OptionsValidationException>(() => tooEager.GetRequiredService<IStartupValidator>().Validate()).Message.ShouldContain("IdleWaitTime of at least 1 s");
    }

    [Fact]
    public async Task Windows_AJobDueOutsideItsWindowDoesNotFire_AndFiresWhenTheWindowOpens()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 20, 0, 0, 0, TimeSpan.Zero)); // before the windows open
        var scheduler = await QuartzSchedulerBuilder.Create(q =>
        {
            q.UseInMemoryStore(_ => { });
            q.UseTimeProvider(clock);
        }).BuildScheduler(TestContext.Current.CancellationToken);
        try
        {
            var options = new PortfolioSchedulingOptions { SubmissionInterval = TimeSpan.FromHours(12) };
            var count = await PortfolioSchedule.ScheduleSchoolAsync(scheduler, TestRosters.School, Year, Policy(), options, clock, TestContext.Current.CancellationToken);
            count.ShouldBeGreaterThanOrEqualTo(4);

            var group = PortfolioSchedule.GroupOf(TestRosters.School);
            var semester = (await scheduler.GetTrigger(new TriggerKey("semester-rosters-113-1", group), TestContext.Current.CancellationToken))!;
            var calendar = (await scheduler.GetCalendar(semester.CalendarName!, TestContext.Current.CancellationToken))!;
            var fires = TriggerFireTimes.Compute(semester, calendar, 100);

            // The first firing is when the window opens (08:00 Taipei on 3 February), never before; the last is inside it.
            fires[0].ShouldBe(new DateTimeOffset(2025, 2, 3, 8, 0, 0, TimeSpan.FromHours(8)));
            fires.ShouldAllBe(f => f >= new DateTimeOffset(2025, 2, 3, 0, 0, 0, TimeSpan.FromHours(8)) && f < new DateTimeOffset(2025, 2, 15, 0, 0, 0, TimeSpan.FromHours(8)));
            calendar.IsTimeIncluded(new DateTimeOffset(2025, 2, 2, 12, 0, 0, TimeSpan.FromHours(8))).ShouldBeFalse();
            calendar.IsTimeIncluded(new DateTimeOffset(2025, 2, 3, 12, 0, 0, TimeSpan.FromHours(8))).ShouldBeTrue();

            // The per-year packages wait for the selection window to close (10 July), inside the per-year submission window.
            var packages = (await scheduler.GetTrigger(new TriggerKey("year-packages-113", group), TestContext.Current.CancellationToken))!;
            TriggerFireTimes.Compute(packages, calendar, 1)[0].ShouldBe(new DateTimeOffset(2025, 7, 11, 8, 0, 0, TimeSpan.FromHours(8)));

            // A trigger whose next time falls on an excluded day moves to the next included one: after downtime the
            // misfire instruction fires it once now, and the calendar still keeps it inside the window.
            semester.MisfireInstructionCode.ShouldBe((int)SimpleTriggerMisfireInstruction.FireNow);
            calendar.GetNextIncludedTimeUtc(new DateTimeOffset(2025, 1, 20, 0, 0, 0, TimeSpan.Zero)).ShouldBeGreaterThanOrEqualTo(new DateTimeOffset(2025, 2, 2, 16, 0, 0, TimeSpan.Zero));
        }
        finally
        {
            await scheduler.Shutdown(false, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task TwoSchoolsWithDifferentWindows_KeepTheirOwnCalendars()
    {
        var ct = TestContext.Current.CancellationToken;
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 1, 20, 0, 0, 0, TimeSpan.Zero));
        var scheduler = await QuartzSchedulerBuilder.Create(q =>
        {
            q.UseInMemoryStore(_ => { });
            q.UseTimeProvider(clock);
        }).BuildScheduler(ct);
        try
        {
            PortfolioPolicy Window(DateOnly start, DateOnly end) => new(PortfolioPolicy.Default.National, new SchoolPolicy
            {
                Windows = [new PolicyWindow(PolicyWindowKind.Submission, SchoolTerm.Parse("113-1"), start, end)],
            });
            var early = SchoolCode.Parse("060322");
            var late = SchoolCode.Parse("013301");
            await PortfolioSchedule.ScheduleSchoolAsync(scheduler, early, Year, Window(new DateOnly(2025, 2, 3), new DateOnly(2025, 2, 7)), new PortfolioSchedulingOptions(), clock, ct);
            await PortfolioSchedule.ScheduleSchoolAsync(scheduler, late, Year, Window(new DateOnly(2025, 2, 17), new DateOnly(2025, 2, 21)), new PortfolioSchedulingOptions(), clock, ct);

            foreach (var (school, first, last) in new[] { (early, new DateOnly(2025, 2, 3), new DateOnly(2025, 2, 7)), (late, new DateOnly(2025, 2, 17), new DateOnly(2025, 2, 21)) })
            {
                var trigger = (await scheduler.GetTrigger(new TriggerKey("semester-rosters-113-1", PortfolioSchedule.GroupOf(school)), ct))!;
                trigger.CalendarName.ShouldBe(PolicyCalendars.NameOf(school, PolicyWindowKind.Submission, Year));
                var calendar = (await scheduler.GetCalendar(trigger.CalendarName!, ct))!;
                var fires = TriggerFireTimes.Compute(trigger, calendar, 100);
                var opens = new DateTimeOffset(first.ToDateTime(new TimeOnly(8, 0)), TimeSpan.FromHours(8));
                var closes = new DateTimeOffset(last.ToDateTime(new TimeOnly(23, 59, 59)), TimeSpan.FromHours(8));
                fires[0].ShouldBe(opens);
                fires.ShouldAllBe(f => f >= opens && f <= closes);
            }
        }
        finally
        {
            await scheduler.Shutdown(false, CancellationToken.None);
        }
    }

    [Fact]
    public async Task ClosedWindows_AreNotScheduled()
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2025, 3, 1, 0, 0, 0, TimeSpan.Zero)); // after the 113-1 submission window
        var scheduler = await QuartzSchedulerBuilder.Create(q =>
        {
            q.UseInMemoryStore(_ => { });
            q.UseTimeProvider(clock);
        }).BuildScheduler(TestContext.Current.CancellationToken);
        try
        {
            await PortfolioSchedule.ScheduleSchoolAsync(scheduler, TestRosters.School, Year, Policy(), new PortfolioSchedulingOptions(), clock, TestContext.Current.CancellationToken);
            (await scheduler.GetTrigger(new TriggerKey("semester-rosters-113-1", PortfolioSchedule.GroupOf(TestRosters.School)), TestContext.Current.CancellationToken)).ShouldBeNull();
            (await scheduler.GetTrigger(new TriggerKey("year-packages-113", PortfolioSchedule.GroupOf(TestRosters.School)), TestContext.Current.CancellationToken)).ShouldNotBeNull();
        }
        finally
        {
            await scheduler.Shutdown(false, TestContext.Current.CancellationToken);
        }
    }

    [Fact]
    public async Task InMemory_ASemesterJob_SubmitsThroughTheLedgerOnce_EvenWhenItFiresTwice()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sandbox = await SandboxServer.StartAsync(cancellationToken: ct);
        var folder = Directory.CreateTempSubdirectory("portfolio-scheduling-").FullName;
        using var host = await StartHostAsync(folder, sandbox, services => services.AddPortfolioScheduling(o => o.MaxConcurrency = 2), ct);
        try
        {
            var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
            var job = JobBuilder.Create<SemesterRostersJob>().WithIdentity("now", "test").RequestRecovery()
                .UsingJobData(PortfolioJobData.School, "060322").UsingJobData(PortfolioJobData.Term, "113-1").Build();
            await scheduler.ScheduleJob(job, TriggerBuilder.Create().WithIdentity("now", "test").StartNow().WithSimpleSchedule(s => s.WithInterval(TimeSpan.FromMilliseconds(300)).WithRepeatCount(1)).Build(), default, ct);

            var ledger = host.Services.GetRequiredService<ISubmissionLedger>();
            for (var i = 0; i < 100 && !((await ledger.ListAsync(cancellationToken: ct)) is [{ State: SubmissionState.Accepted }] && sandbox.Store.SubmissionCount == 1 && await scheduler.GetTrigger(new TriggerKey("now", "test"), ct) is null); i++)
            {
                await Task.Delay(100, ct);
            }

            (await ledger.ListAsync(cancellationToken: ct)).ShouldHaveSingleItem().State.ShouldBe(SubmissionState.Accepted);
            sandbox.Store.SubmissionCount.ShouldBe(1);
            sandbox.Store.Submissions.ShouldAllBe(s => sandbox.Store.TimesStored(s.IdempotencyKey) == 1);
        }
        finally
        {
            await host.StopAsync(ct);
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    private sealed class RecordingReminder : IDeadlineReminder
    {
        public System.Collections.Concurrent.ConcurrentQueue<(SchoolCode School, PolicyWindow Window, int DaysLeft)> Calls { get; } = new();

        public Task RemindAsync(SchoolCode school, PolicyWindow window, int daysLeft, CancellationToken cancellationToken)
        {
            Calls.Enqueue((school, window, daysLeft));
            return Task.CompletedTask;
        }
    }

    [Fact]
    public async Task Reminder_InTheLastDaysOfEachSchoolsOwnWindow_ReachesTheVendorsReminder()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sandbox = await SandboxServer.StartAsync(cancellationToken: ct);
        var folder = Directory.CreateTempSubdirectory("portfolio-reminder-").FullName;
        var reminder = new RecordingReminder();
        using var host = await StartHostAsync(folder, sandbox, services => services.AddPortfolioScheduling(o => { })
            .AddSingleton<IDeadlineReminder>(reminder), ct);                             // registered after: replaces the logging default
        try
        {
            // Two schools, each with its own selection window: one closes tomorrow, the other in ten days.
            var calendar = new SchoolCalendar(TimeProvider.System);
            var today = calendar.Today;
            var term = new SchoolTerm(calendar.CurrentYear, Term.First);
            PortfolioPolicy PolicyEnding(DateOnly end) => new(PortfolioPolicy.Default.National, new SchoolPolicy
            {
                Windows = [new PolicyWindow(PolicyWindowKind.Selection, term, today.AddDays(-20), end)],
            });
            var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
            await PortfolioSchedule.ScheduleSchoolAsync(scheduler, SchoolCode.Parse("060322"), calendar.CurrentYear, PolicyEnding(today.AddDays(1)), new PortfolioSchedulingOptions(), cancellationToken: ct);
            await PortfolioSchedule.ScheduleSchoolAsync(scheduler, SchoolCode.Parse("013301"), calendar.CurrentYear, PolicyEnding(today.AddDays(10)), new PortfolioSchedulingOptions(), cancellationToken: ct);

            for (var i = 0; i < 100 && reminder.Calls.IsEmpty; i++)
            {
                await Task.Delay(100, ct);
            }

            await Task.Delay(500, ct);
            var call = reminder.Calls.ShouldHaveSingleItem(); // the school whose window closes in ten days is not reminded yet
            call.School.Value.ShouldBe("060322");
            call.Window.ShouldBe(new PolicyWindow(PolicyWindowKind.Selection, term, today.AddDays(-20), today.AddDays(1)));
            call.DaysLeft.ShouldBe(1);
        }
        finally
        {
            await host.StopAsync(ct);
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void WithoutAVendorReminder_RemindersAreLogged()
    {
        var services = new ServiceCollection().AddLogging().AddPortfolioScheduling(o => { });
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<IDeadlineReminder>().ShouldBeOfType<LoggingDeadlineReminder>();
    }

    [Theory]
    [InlineData("postgresql")]
    [InlineData("sqlite")]
    [InlineData("sqlserver")]
    [InlineData("oracle")]
    [InlineData("mysql")]
    public void CheckedInQuartzScripts_MatchWhatQuartzCarries(string dialect)
    {
        SqlDialect.TryGet(dialect, out var d);
        var path = RepositoryPaths.Combine("schemas", "sql", $"quartz.{dialect}.sql");
        var expected = QuartzSchema.Script(d!);
        if (Environment.GetEnvironmentVariable("PORTFOLIO_ACCEPT") == "1")
        {
            File.WriteAllText(path, expected);
        }

        (File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : string.Empty).ShouldBe(expected, $"{path} drifted; run the tests with PORTFOLIO_ACCEPT=1.");
    }
}
