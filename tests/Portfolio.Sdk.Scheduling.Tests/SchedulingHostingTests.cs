using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Npgsql;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Testing;
using Quartz;

namespace Portfolio.Sdk.Scheduling.Tests;

/// <summary>The scheduler from configuration, its health check (in memory and clustered on PostgreSQL), job telemetry and dates in logs.</summary>
[Collection(SchedulingTelemetryTests.Name)]
public sealed class SchedulingHostingTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    [Fact]
    public void Options_BindFromConfiguration_AndAreValidatedOnStart()
    {
        var configuration = Configuration(
            ("Portfolio:Scheduling:SchedulerName", "school-a"),
            ("Portfolio:Scheduling:MaxConcurrency", "2"),
            ("Portfolio:Scheduling:IdleWaitTime", "00:00:05"),
            ("Portfolio:Scheduling:ReminderDaysBefore", "5"));
        using var provider = new ServiceCollection().AddLogging()
            .AddPortfolioScheduling(configuration.GetSection(PortfolioSchedulingOptions.SectionName)).BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<PortfolioSchedulingOptions>>().Value;
        (options.SchedulerName, options.MaxConcurrency, options.IdleWaitTime, options.ReminderDaysBefore).ShouldBe(("school-a", 2, TimeSpan.FromSeconds(5), 5));
    }

    // A host without a module store (no PortfolioModule) must pass ValidateOnBuild (Development's default): the notice
    // jobs, which need the module, are registered only when the notices are scheduled. Found by a newcomer's trial.
    [Fact]
    public void NoticeJobs_AreRegisteredOnlyWhenNoticesAreScheduled()
    {
        var without = new ServiceCollection().AddLogging().AddPortfolioScheduling(o => o.SchedulerName = "no-notices");
        without.ShouldNotContain(d => d.ServiceType == typeof(WindowNoticeJob) || d.ServiceType == typeof(RejectionNoticeJob) || d.ServiceType == typeof(ConfirmationNoticeJob));
        var with = new ServiceCollection().AddLogging().AddPortfolioScheduling(o => { o.SchedulerName = "notices"; o.ScheduleNotices = true; });
        with.ShouldContain(d => d.ServiceType == typeof(WindowNoticeJob));
        with.ShouldContain(d => d.ServiceType == typeof(ConfirmationNoticeJob));
        with.ShouldContain(d => d.ServiceType == typeof(Portfolio.Sdk.Notices.INoticeDelivery));
    }

    [Fact]
    public void InvalidConfiguration_StopsTheStart()
    {
        using var zero = new ServiceCollection().AddPortfolioScheduling(Configuration(("MaxConcurrency", "0"))).BuildServiceProvider();
        Should.Throw<OptionsValidationException>(() => zero.GetRequiredService<IStartupValidator>().Validate()).Message.ShouldContain("MaxConcurrency 1–64");

        using var shared = new ServiceCollection().AddPortfolioScheduling(Configuration(("PostgresConnectionString", "Host=db;Database=quartz"))).BuildServiceProvider();
        Should.Throw<OptionsValidationException>(() => shared.GetRequiredService<IStartupValidator>().Validate()).Message.ShouldContain("Clustered is false");

        using var text = new ServiceCollection().AddPortfolioScheduling(Configuration(("MaxConcurrency", "many"))).BuildServiceProvider();
        Should.Throw<InvalidOperationException>(() => text.GetRequiredService<IStartupValidator>().Validate()).Message.ShouldContain("MaxConcurrency");
    }

    private static IHost BuildHost(Action<PortfolioSchedulingOptions> configure)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddPortfolioScheduling(configure);
        builder.Services.AddHealthChecks().AddPortfolioScheduler(tags: ["live"]);
        return builder.Build();
    }

    private static async Task<HealthReportEntry> CheckAsync(IHost host, CancellationToken ct) =>
        (await host.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(ct)).Entries[SchedulingHealthChecksBuilderExtensions.DefaultName];

    /// <summary>Quartz's hosted service starts the scheduler in the background once the host has started.</summary>
    private static async Task WaitUntilRunningAsync(IHost host, CancellationToken ct)
    {
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
        for (var i = 0; i < 100 && await scheduler.GetStatus(ct) != SchedulerStatus.Running; i++)
        {
            await Task.Delay(100, ct);
        }
    }

    [Fact]
    public async Task HealthCheck_InMemory_NotStarted_Running_Standby()
    {
        var ct = TestContext.Current.CancellationToken;
        using var host = BuildHost(o => o.SchedulerName = $"health-{Guid.NewGuid():N}");

        var before = await CheckAsync(host, ct);
        before.Status.ShouldBe(HealthStatus.Unhealthy);
        before.Description.ShouldNotBeNull().ShouldContain("not started");

        await host.StartAsync(ct);
        try
        {
            await WaitUntilRunningAsync(host, ct);
            var running = await CheckAsync(host, ct);
            running.Status.ShouldBe(HealthStatus.Healthy, running.Description);
            running.Tags.ShouldContain("live");

            var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
            await scheduler.Standby(ct);
            var standby = await CheckAsync(host, ct);
            standby.Status.ShouldBe(HealthStatus.Unhealthy);
            standby.Description.ShouldNotBeNull().ShouldContain("standby");
        }
        finally
        {
            await host.StopAsync(ct);
        }
    }

    [Fact]
    public async Task HealthCheck_ClusteredOnPostgreSql_IsHealthyWhenTheStoreAnswers_AndUnhealthyWhenItsTablesAreGone()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = TestDatabase.PostgresConnectionStringOrSkip();
        var schema = $"health_{Guid.NewGuid():N}";
        await using (var source = NpgsqlDataSource.Create(admin))
        await using (var create = source.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { SearchPath = schema }.ConnectionString;
        try
        {
            await using (var store = NpgsqlDataSource.Create(connectionString))
            {
                await QuartzSchema.ApplyAsync(store, SqlDialect.PostgreSql, cancellationToken: ct);
            }

            using var host = BuildHost(o =>
            {
                o.SchedulerName = $"health-{Guid.NewGuid():N}";
                o.PostgresConnectionString = connectionString;
                o.Clustered = true;
                o.CheckinInterval = TimeSpan.FromSeconds(1);
                o.CheckinMisfireThreshold = TimeSpan.FromSeconds(2);
            });
            await host.StartAsync(ct);
            try
            {
                await WaitUntilRunningAsync(host, ct);
                var healthy = await CheckAsync(host, ct);
                healthy.Status.ShouldBe(HealthStatus.Healthy, healthy.Description);
                healthy.Data["clustered"].ShouldBe(true);
                healthy.Data["persistent"].ShouldBe(true);

                await using (var source = NpgsqlDataSource.Create(connectionString))
                await using (var drop = source.CreateCommand("DROP TABLE qrtz_job_details CASCADE"))
                {
                    await drop.ExecuteNonQueryAsync(ct);
                }

                var broken = await CheckAsync(host, ct);
                broken.Status.ShouldBe(HealthStatus.Unhealthy);
                broken.Description.ShouldNotBeNull().ShouldContain("job store");
            }
            finally
            {
                await host.StopAsync(ct);
            }
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            await using var source = NpgsqlDataSource.Create(admin);
            await using var drop = source.CreateCommand($"DROP SCHEMA {schema} CASCADE");
            await drop.ExecuteNonQueryAsync(ct);
        }
    }

    [Fact]
    public async Task JobRuns_AreCountedByJobAndOutcome_AndTracedWithoutTheSchool()
    {
        var ct = TestContext.Current.CancellationToken;
        var runs = new List<Dictionary<string, object?>>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == SchedulingTelemetry.Name && instrument.Name == "portfolio.scheduling.job.runs")
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            lock (runs)
            {
                runs.Add(tags.ToArray().ToDictionary(t => t.Key, t => t.Value));
            }
        });
        meters.Start();
        var activities = new List<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = s => s.Name == SchedulingTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(tracing);

        using var host = BuildHost(o => o.SchedulerName = $"telemetry-{Guid.NewGuid():N}");
        await host.StartAsync(ct);
        try
        {
            var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(ct);
            // A reminder outside its window (does nothing: success), and one without a school (fails).
            var quiet = JobBuilder.Create<DeadlineReminderJob>().WithIdentity("quiet", "test")
                .UsingJobData(PortfolioJobData.School, "060322").UsingJobData(PortfolioJobData.Term, "100-1")
                .UsingJobData(PortfolioJobData.Window, "Selection").UsingJobData(PortfolioJobData.WindowStart, "2011-09-01").UsingJobData(PortfolioJobData.WindowEnd, "2011-09-10").Build();
            var broken = JobBuilder.Create<DeadlineReminderJob>().WithIdentity("broken", "test").UsingJobData(PortfolioJobData.Term, "100-1").Build();
            await scheduler.ScheduleJob(quiet, TriggerBuilder.Create().WithIdentity("quiet", "test").StartNow().Build(), default, ct);
            await scheduler.ScheduleJob(broken, TriggerBuilder.Create().WithIdentity("broken", "test").StartNow().Build(), default, ct);

            for (var i = 0; i < 100; i++)
            {
                lock (runs)
                {
                    if (runs.Count >= 2)
                    {
                        break;
                    }
                }

                await Task.Delay(100, ct);
            }
        }
        finally
        {
            await host.StopAsync(ct);
        }

        lock (runs)
        {
            runs.ShouldContain(t => (string?)t[SchedulingTelemetry.JobNameTag] == nameof(DeadlineReminderJob) && (string?)t[PortfolioTelemetry.OutcomeTag] == "success");
            runs.ShouldContain(t => (string?)t[PortfolioTelemetry.OutcomeTag] == "failure" && (string?)t["error.type"] == typeof(JobExecutionException).FullName);
            runs.SelectMany(t => t.Values).ShouldAllBe(v => !Equals(v, "060322"));
        }

        lock (activities)
        {
            activities.Count(a => a.OperationName == "job.run").ShouldBeGreaterThanOrEqualTo(2);
            activities.SelectMany(a => a.TagObjects).ShouldAllBe(t => !Equals(t.Value, "060322"));
        }
    }

    [Fact]
    public async Task ReminderLog_WritesTheDateInIso8601_UnderAnEnUsCulture()
    {
        var culture = CultureInfo.CurrentCulture;
        CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("en-US");
        try
        {
            var logger = new FakeLogger<LoggingDeadlineReminder>();
            var window = new PolicyWindow(PolicyWindowKind.Selection, SchoolTerm.Parse("113-1"), new DateOnly(2025, 2, 3), new DateOnly(2025, 2, 14));
            await new LoggingDeadlineReminder(logger).RemindAsync(SchoolCode.Parse("060322"), window, 2, TestContext.Current.CancellationToken);

            var message = logger.LatestRecord.Message;
            message.ShouldContain("closes on 2025-02-14");
            message.ShouldNotContain("2/14/2025");
            message.ShouldNotContain("02/14/2025");
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SchedulingTelemetryTests
{
    public const string Name = "scheduling-telemetry";
}
