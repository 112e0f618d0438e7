using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Notices;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Sandbox;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Workflow;
using Quartz;
using TestRosters = Portfolio.Sdk.Submission.Tests.Rosters;

namespace Portfolio.Sdk.Scheduling.Tests;

/// <summary>
/// The notice jobs in running workers (hosts with the module, the ledger and Quartz, as a vendor runs them): two nodes
/// on one PostgreSQL store firing the same jobs at once deliver each notice once, a failed delivery is delivered at the
/// next firing, a restarted worker delivers nothing again; the receipts' confirmation window is announced to each
/// student listed in it.
/// </summary>
public sealed class NoticeSchedulingTests
{
    private static readonly SchoolCode School = SchoolCode.Parse("060322");

    private static readonly CourseCode Course = CourseCode.Parse("113060322H1110101010101");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    internal sealed class RecordingDelivery : INoticeDelivery
    {
        private int _failures;

        public RecordingDelivery(int failFirst = 0, Func<PortfolioNotice, bool>? failing = null) => (_failures, Failing) = (failFirst, failing ?? (_ => false));

        public ConcurrentQueue<PortfolioNotice> Delivered { get; } = new();

        public int FailuresLeft => Volatile.Read(ref _failures);

        private Func<PortfolioNotice, bool> Failing { get; }

        public async Task DeliverAsync(PortfolioNotice notice, CancellationToken cancellationToken)
        {
            await Task.Delay(5, cancellationToken);
            if (Failing(notice) && Interlocked.Decrement(ref _failures) >= 0)
            {
                throw new HttpRequestException("the school's mail server is down");
            }

            Delivered.Enqueue(notice);
        }
    }

    private sealed class Executions : IJobListener
    {
        public ConcurrentQueue<string> Done { get; } = new();

        public string Name => "notice-test-executions";

        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
        {
            Done.Enqueue(context.JobDetail.Key.Name);
            return ValueTask.CompletedTask;
        }
    }

    // The windows around today (the workers run on the real clock): upload and certification close tomorrow, selection the day after.
    private static PortfolioPolicy PolicyAroundToday(out SchoolTerm term)
    {
        var calendar = new SchoolCalendar(TimeProvider.System);
        var today = calendar.Today;
        term = calendar.CurrentTerm;
        return new PortfolioPolicy(PortfolioPolicy.Default.National, new SchoolPolicy
        {
            Windows =
            [
                new PolicyWindow(PolicyWindowKind.Upload, term, today.AddDays(-20), today.AddDays(1)),
                new PolicyWindow(PolicyWindowKind.Certification, term, today.AddDays(-20), today.AddDays(1)),
                new PolicyWindow(PolicyWindowKind.Selection, new SchoolTerm(term.Year, Term.WholeYear), today.AddDays(-20), today.AddDays(2)),
            ],
        });
    }

    private static async Task<IHost> StartWorkerAsync(Func<DbDataSource> dataSource, SqlDialect dialect, RunningSandbox sandbox, string folder, PortfolioPolicy policy, INoticeDelivery delivery)
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(_ => dataSource());
        builder.Services.AddPortfolioDatabase(dialect);
        builder.Services.AddPortfolioGateway(o => o.BaseAddress = sandbox.BaseAddress);
        builder.Services.AddPortfolioSubmission(o => o.OutboxDirectory = Path.Combine(folder, "outbox-" + Guid.NewGuid().ToString("N")));
        builder.Services.AddPortfolioModule(o => (o.FilesRoot, o.Policy) = (Path.Combine(folder, "files"), policy));
        builder.Services.AddSingleton<ISchoolRosterSource, SchedulingTests.GradesSource>();
        builder.Services.AddPortfolioScheduling(o => o.ScheduleNotices = true).AddSingleton(delivery); // registered after: replaces the logging default
        var host = builder.Build();
        await host.StartAsync(Token);
        return host;
    }

    private static async Task<(IScheduler Scheduler, Executions Executions)> ScheduleAsync(IHost host, PortfolioPolicy policy, SchoolTerm term)
    {
        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Token);
        var executions = new Executions();
        scheduler.ListenerManager.AddJobListener(executions, GroupMatcher<JobKey>.AnyGroup());
        var options = new PortfolioSchedulingOptions { ScheduleNotices = true, NoticeInterval = TimeSpan.FromHours(6) };
        (await PortfolioSchedule.ScheduleSchoolAsync(scheduler, School, term.Year, policy, options, cancellationToken: Token)).ShouldBeGreaterThan(0);
        return (scheduler, executions);
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        for (var i = 0; i < 300 && !condition(); i++)
        {
            await Task.Delay(100, Token);
        }

        condition().ShouldBeTrue();
    }

    private static string[] NoticeJobs(SchoolTerm term) =>
        [$"notice-upload-{term}", $"notice-certification-{term}", $"notice-selection-{new SchoolTerm(term.Year, Term.WholeYear)}", $"notice-rejections-{term.Year.RocYear}", $"notice-confirmation-{term.Year.RocYear}"];

    [Fact]
    public async Task TwoWorkersOnOnePostgreSqlStore_DeliverEachNoticeOnce_RetryAFailure_AndARestartDeliversNothingAgain()
    {
        await using var database = await TestSisDatabase.PostgresAsync();
        await using var sandbox = await SandboxServer.StartAsync(cancellationToken: Token);
        var folder = Directory.CreateTempSubdirectory("portfolio-notices-").FullName;
        var policy = PolicyAroundToday(out var term);
        var sources = new List<NpgsqlDataSource>();
        DbDataSource NewSource()
        {
            var source = NpgsqlDataSource.Create(database.ConnectionString!);
            lock (sources)
            {
                sources.Add(source);
            }

            return source;
        }

        // The store: twelve students of class 101 credited this term, one of them with a course outcome awaiting t-math.
        var store = new PortfolioStore(database.DataSource, SqlDialect.PostgreSql);
        await store.CreateSchemaAsync(Token);
        for (var i = 1; i <= 12; i++)
        {
            await store.RecordCreditedCoursesAsync($"S{i:D6}", "101", term, [Course], Token);
        }

        // Delivery of S000005's nothing-uploaded notice fails once (the mail server is down).
        var delivery = new RecordingDelivery(failFirst: 1, failing: n => n.Kind == NoticeKind.NothingUploaded && n.Recipient.UserKey == "S000005");
        var nodes = new List<IHost>();
        try
        {
            nodes.Add(await StartWorkerAsync(NewSource, SqlDialect.PostgreSql, sandbox, folder, policy, delivery));
            nodes.Add(await StartWorkerAsync(NewSource, SqlDialect.PostgreSql, sandbox, folder, policy, delivery));
            await nodes[0].Services.GetRequiredService<ISubmissionLedger>().EnsureCreatedAsync(Token);
            var module = nodes[0].Services.GetRequiredService<PortfolioModule>();
            var student = PortfolioActor.StudentOf("u-1", "S000001");
            var uploaded = await module.UploadCourseOutcomeAsync(student, new CourseOutcomeUpload
            {
                StudentKey = "S000001", ClassName = "101", Term = term, CourseCode = Course, CertifyingTeacher = "t-math",
                Summary = "函數圖形的探究報告：我蒐集資料並畫出圖形，學到如何檢驗猜想。", Files = [new MemoryStream("%PDF-1.4\n% work\n%%EOF\n"u8.ToArray())],
            }, Token);
            uploaded.Succeeded.ShouldBeTrue(uploaded.ToString());
            (await module.SendForCertificationAsync(student, uploaded.Value.Id, uploaded.Value.Version, Token)).Succeeded.ShouldBeTrue();

            // Both nodes schedule the school (each its own in-memory scheduler) and fire every notice job at once.
            var scheduled = await Task.WhenAll(nodes.Select(n => ScheduleAsync(n, policy, term)));
            foreach (var (_, executions) in scheduled)
            {
                await WaitForAsync(() => NoticeJobs(term).All(executions.Done.Contains));
            }

            // 10 students told nothing is uploaded (not S000001, who uploaded; S000005's failed), 12 nothing selected,
            // t-math one pending: once each. S000005's failed delivery released its claim, so the other node's run may
            // already have delivered it (once) when it ran just after the failure; otherwise the next firing does.
            static bool Failed(PortfolioNotice n) => n.Kind == NoticeKind.NothingUploaded && n.Recipient.UserKey == "S000005";
            delivery.Delivered.Count(n => !Failed(n)).ShouldBe(10 + 12 + 1);
            delivery.Delivered.Count(Failed).ShouldBeLessThanOrEqualTo(1);
            delivery.FailuresLeft.ShouldBeLessThanOrEqualTo(0);                     // the failure did happen
            delivery.Delivered.Select(n => n.DedupeKey).Distinct().Count().ShouldBe(delivery.Delivered.Count);
            delivery.Delivered.Where(n => n.Kind == NoticeKind.PendingCertifications).ShouldHaveSingleItem().Recipient.UserKey.ShouldBe("t-math");
            delivery.Delivered.ShouldAllBe(n => !n.Message.Contains("S0000") && !n.MessageEnglish.Contains("S0000"));

            // The next firing (either node) delivers the failed one, and only it.
            var (scheduler, executionsOfFirst) = scheduled[0];
            var uploadJob = new JobKey($"notice-upload-{term}", PortfolioSchedule.GroupOf(School));
            var before = executionsOfFirst.Done.Count(n => n == uploadJob.Name);
            await scheduler.TriggerJob(uploadJob, Token);
            await WaitForAsync(() => executionsOfFirst.Done.Count(n => n == uploadJob.Name) > before);
            delivery.Delivered.Count.ShouldBe(24);
            delivery.Delivered.Count(Failed).ShouldBe(1);

            // Both workers stop; a new one starts on the same store and fires everything again: nothing is delivered twice.
            foreach (var node in nodes)
            {
                await node.StopAsync(Token);
                node.Dispose();
            }

            nodes.Clear();
            nodes.Add(await StartWorkerAsync(NewSource, SqlDialect.PostgreSql, sandbox, folder, policy, delivery));
            var (_, restarted) = await ScheduleAsync(nodes[0], policy, term);
            await WaitForAsync(() => NoticeJobs(term).All(restarted.Done.Contains));
            delivery.Delivered.Count.ShouldBe(24);
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.StopAsync(CancellationToken.None);
                node.Dispose();
            }

            foreach (var source in sources)
            {
                await source.DisposeAsync();
            }

            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task TheReceiptsConfirmationWindow_IsAnnouncedToEachStudentInIt_AndItsEndToThoseWhoHaveNotAnswered()
    {
        await using var sandbox = await SandboxServer.StartAsync(cancellationToken: Token);
        var folder = Directory.CreateTempSubdirectory("portfolio-confirm-notices-").FullName;
        var policy = PolicyAroundToday(out var term);
        var path = Path.Combine(folder, "school.db");
        var source = SqliteFactory.Instance.CreateDataSource($"Data Source={path};Pooling=False");
        var delivery = new RecordingDelivery();
        IHost? host = null;
        try
        {
            host = await StartWorkerAsync(() => source, SqlDialect.Sqlite, sandbox, folder, policy, delivery);
            await host.Services.GetRequiredService<ISubmissionLedger>().EnsureCreatedAsync(Token);
            await host.Services.GetRequiredService<PortfolioStore>().CreateSchemaAsync(Token);

            // Three students' grades submitted and their receipt collected: the confirmation window opens for ConfirmationMinDays.
            var submissions = host.Services.GetRequiredService<SubmissionService>();
            var record = await submissions.SubmitAsync(TestRosters.Identity(school: School.Value), new MemoryStream(TestRosters.Grades(3, school: School.Value)), Token);
            await submissions.CollectReceiptsAsync(School.Value, Token);
            var open = (await submissions.Ledger.GetAsync(record.IdempotencyKey, Token))!;
            open.State.ShouldBe(SubmissionState.ReceiptReceived);
            var students = new List<string>();
            await foreach (var row in submissions.Ledger.ReadReceiptRowsAsync(record.IdempotencyKey, Token))
            {
                students.Add(row.StudentKey);
            }

            students = [.. students.Distinct().Order()];
            students.Count.ShouldBe(3);
            (await submissions.RecordConfirmationAsync(record.IdempotencyKey, students[0], ConfirmationDecision.Confirm, cancellationToken: Token)).Succeeded.ShouldBeTrue();

            var (_, executions) = await ScheduleAsync(host, policy, term);
            await WaitForAsync(() => executions.Done.Contains($"notice-confirmation-{term.Year.RocYear}"));

            // Opened: all three; closing (it ends within the lead time): the two who have not answered.
            var notices = delivery.Delivered.Where(n => n.Kind is NoticeKind.ConfirmationWindowOpened or NoticeKind.ConfirmationWindowClosing).ToList();
            notices.Where(n => n.Kind == NoticeKind.ConfirmationWindowOpened).Select(n => n.Recipient.UserKey).Order().ShouldBe(students);
            notices.Where(n => n.Kind == NoticeKind.ConfirmationWindowClosing).Select(n => n.Recipient.UserKey).Order().ShouldBe(students.Skip(1));
            var until = open.ConfirmUntil!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            notices.ShouldAllBe(n => n.MessageEnglish.Contains(until) && students.All(s => !n.Message.Contains(s) && !n.MessageEnglish.Contains(s) && !n.ToString().Contains(s)));

            // Fired again: nothing new.
            var count = delivery.Delivered.Count;
            var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Token);
            var job = new JobKey($"notice-confirmation-{term.Year.RocYear}", PortfolioSchedule.GroupOf(School));
            await scheduler.TriggerJob(job, Token);
            await WaitForAsync(() => executions.Done.Count(n => n == job.Name) >= 2);
            delivery.Delivered.Count.ShouldBe(count);
        }
        finally
        {
            if (host is not null)
            {
                await host.StopAsync(CancellationToken.None);
                host.Dispose();
            }

            source.Dispose();
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task AGuardian_ReadsTheBoundChildsReceiptRows_OnlyWhileTheBindingIsApproved()
    {
        await using var sandbox = await SandboxServer.StartAsync(cancellationToken: Token);
        var folder = Directory.CreateTempSubdirectory("portfolio-guardian-receipt-").FullName;
        var policy = PolicyAroundToday(out _);
        var source = SqliteFactory.Instance.CreateDataSource($"Data Source={Path.Combine(folder, "school.db")};Pooling=False");
        IHost? host = null;
        try
        {
            host = await StartWorkerAsync(() => source, SqlDialect.Sqlite, sandbox, folder, policy, new RecordingDelivery());
            await host.Services.GetRequiredService<ISubmissionLedger>().EnsureCreatedAsync(Token);
            var module = host.Services.GetRequiredService<PortfolioModule>();
            await module.Store.CreateSchemaAsync(Token);
            var submissions = host.Services.GetRequiredService<SubmissionService>();
            var record = await submissions.SubmitAsync(TestRosters.Identity(school: School.Value), new MemoryStream(TestRosters.Grades(2, school: School.Value)), Token);
            await submissions.CollectReceiptsAsync(School.Value, Token);
            var students = new SortedSet<string>(StringComparer.Ordinal);
            await foreach (var row in submissions.Ledger.ReadReceiptRowsAsync(record.IdempotencyKey, Token))
            {
                students.Add(row.StudentKey);
            }

            var (child, other) = (students.Min!, students.Max!);
            var guardian = new PortfolioActor("g-parent", new HashSet<PortfolioRole> { PortfolioRole.Guardian });
            var homeroom = new PortfolioActor("t-home", new HashSet<PortfolioRole> { PortfolioRole.HomeroomTeacher }) { Classes = new HashSet<string> { "101" } };
            async Task<PortfolioResult<IReadOnlyList<Portfolio.Sdk.Submission.Protocol.ReceiptRow>>> ReadAsync(string student) =>
                await submissions.ReadStudentReceiptAsync(await module.ResolveActorAsync(guardian, Token), record.IdempotencyKey, student, cancellationToken: Token);

            // Asked for: nothing yet. Approved by the 導師: the child's rows, never the other student's. Revoked: nothing.
            var binding = (await module.RequestGuardianBindingAsync(guardian, "g-parent", child, "101", Token)).Value!;
            (await ReadAsync(child)).Problem!.Code.ShouldBe("PF3101");
            binding = (await module.ApproveGuardianBindingAsync(homeroom, binding.Id, binding.Version, Token)).Value!;
            var rows = (await ReadAsync(child)).Value!;
            rows.ShouldNotBeEmpty();
            rows.ShouldAllBe(r => r.StudentKey == child);
            (await ReadAsync(other)).Problem!.Code.ShouldBe("PF3101");
            (await submissions.ReadStudentReceiptAsync(guardian, record.IdempotencyKey, child, cancellationToken: Token)).Problem!.Code.ShouldBe("PF3101"); // not resolved: no children
            (await module.RevokeGuardianBindingAsync(homeroom, binding.Id, binding.Version, Token)).Succeeded.ShouldBeTrue();
            (await ReadAsync(child)).Problem!.Code.ShouldBe("PF3101");

            // The student reads their own rows; the 導師 of the class, the class's rows.
            (await submissions.ReadStudentReceiptAsync(PortfolioActor.StudentOf("u-c", child), record.IdempotencyKey, child, cancellationToken: Token)).Value!.Count.ShouldBe(rows.Count);
            (await submissions.ReadStudentReceiptAsync(homeroom, record.IdempotencyKey, other, "101", Token)).Succeeded.ShouldBeTrue();
            (await submissions.ReadStudentReceiptAsync(homeroom, record.IdempotencyKey, other, "102", Token)).Problem!.Code.ShouldBe("PF3101");
        }
        finally
        {
            if (host is not null)
            {
                await host.StopAsync(CancellationToken.None);
                host.Dispose();
            }

            source.Dispose();
            SqliteConnection.ClearAllPools();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task NoticeTriggers_AreScheduledOnlyWhenAskedFor_InsideEachWindowsLastDays_WithTheSchoolsCalendar()
    {
        var options = new PortfolioSchedulingOptions();
        (options.ScheduleNotices, options.NoticeLeadDays, options.NoticeInterval).ShouldBe((false, 3, TimeSpan.FromHours(6)));
        new PortfolioSchedulingOptions { NoticeLeadDays = 31 }.Validate().ShouldContain(p => p.Contains("NoticeLeadDays", StringComparison.Ordinal));
        new PortfolioSchedulingOptions { NoticeInterval = TimeSpan.Zero }.Validate().ShouldContain(p => p.Contains("NoticeInterval", StringComparison.Ordinal));

        // Quartz runs on the real clock: windows ahead of today.
        var today = new SchoolCalendar(TimeProvider.System).Today;
        var term = new SchoolCalendar(TimeProvider.System).CurrentTerm;
        var upload = new PolicyWindow(PolicyWindowKind.Upload, term, today.AddDays(10), today.AddDays(30));
        var upload3 = new PolicyWindow(PolicyWindowKind.Upload, term, today.AddDays(10), today.AddDays(20)) { Grade = GradeLevel.Third };
        var certification = new PolicyWindow(PolicyWindowKind.Certification, term, today.AddDays(15), today.AddDays(40));
        var policy = new PortfolioPolicy(PortfolioPolicy.Default.National, new SchoolPolicy { Windows = [upload, upload3, certification] });
        await using var provider = new ServiceCollection().AddLogging().AddPortfolioScheduling(o => { }).BuildServiceProvider();
        var scheduler = await provider.GetRequiredService<ISchedulerFactory>().GetScheduler(Token);
        var group = PortfolioSchedule.GroupOf(School);
        async Task<List<string>> NoticeTriggersAsync() =>
            [.. (await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(group), Token)).Select(k => k.Name).Where(n => n.StartsWith("notice-", StringComparison.Ordinal)).Order()];

        await PortfolioSchedule.ScheduleSchoolAsync(scheduler, School, term.Year, policy, options, cancellationToken: Token);
        (await NoticeTriggersAsync()).ShouldBeEmpty();

        await PortfolioSchedule.ScheduleSchoolAsync(scheduler, School, term.Year, policy, new PortfolioSchedulingOptions { ScheduleNotices = true, NoticeLeadDays = 2 }, cancellationToken: Token);
        var y = term.Year.RocYear;
        (await NoticeTriggersAsync()).ShouldBe([$"notice-certification-{term}", $"notice-confirmation-{y}", $"notice-rejections-{y}", $"notice-upload-{term}", $"notice-upload-{term}-g3"]);
        var taipei = TimeSpan.FromHours(8);
        DateTimeOffset At(DateOnly day, int h, int m, int s) => new(day.ToDateTime(new TimeOnly(h, m, s)), taipei);
        async Task<(ITrigger Trigger, IJobDetail Job)> GetAsync(string name) =>
            ((await scheduler.GetTrigger(new TriggerKey(name, group), Token))!, (await scheduler.GetJobDetail(new JobKey(name, group), Token))!);

        var (trigger, job) = await GetAsync($"notice-upload-{term}");
        (trigger.StartTimeUtc, trigger.EndTimeUtc).ShouldBe((At(today.AddDays(28), 8, 0, 0), At(today.AddDays(30), 23, 59, 59)));
        trigger.CalendarName.ShouldBe(PolicyCalendars.NameOf(School, PolicyWindowKind.Upload, term.Year));
        job.JobType.Type.ShouldBe(typeof(WindowNoticeJob));
        (job.JobDataMap.GetString(PortfolioJobData.LeadDays), job.JobDataMap.GetString(PortfolioJobData.Grade), job.JobDataMap.GetString(PortfolioJobData.Window)).ShouldBe(("2", "", "Upload"));
        (trigger, job) = await GetAsync($"notice-upload-{term}-g3");
        job.JobDataMap.GetString(PortfolioJobData.Grade).ShouldBe("3");
        trigger.StartTimeUtc.ShouldBe(At(today.AddDays(18), 8, 0, 0));
        (trigger, job) = await GetAsync($"notice-rejections-{y}");
        job.JobType.Type.ShouldBe(typeof(RejectionNoticeJob));
        (trigger.StartTimeUtc, trigger.EndTimeUtc).ShouldBe((At(today.AddDays(15), 8, 0, 0), At(today.AddDays(41), 23, 59, 59)));
        (await GetAsync($"notice-confirmation-{y}")).Job.JobType.Type.ShouldBe(typeof(ConfirmationNoticeJob));

        // The school's upload calendar excludes the days outside its upload windows.
        var calendar = (await scheduler.GetCalendar(PolicyCalendars.NameOf(School, PolicyWindowKind.Upload, term.Year), Token))!;
        calendar.IsTimeIncluded(At(today.AddDays(29), 12, 0, 0)).ShouldBeTrue();
        calendar.IsTimeIncluded(At(today.AddDays(31), 12, 0, 0)).ShouldBeFalse();
    }
}
