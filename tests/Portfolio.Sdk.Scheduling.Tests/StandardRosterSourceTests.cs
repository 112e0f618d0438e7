using System.Collections.Concurrent;
using System.Data.Common;
using System.Text.Json.Nodes;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Sandbox;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.TermRosters;
using Portfolio.Sdk.Storage.Packages;
using Portfolio.Sdk.Storage.Tests;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Testing;
using FsCheck;
using FsCheck.Fluent;
using Quartz;
using static Portfolio.Sdk.Storage.Tests.ModuleFixture;

namespace Portfolio.Sdk.Scheduling.Tests;

/// <summary>
/// The standard roster source under the real jobs: each school's SIS (SQLite, or PostgreSQL) and module store, the
/// sandbox gateway over real HTTP, the ledger on SQLite. Every book submitted once, every row's account reported, the
/// year packages locked once accepted, an unknown school reported without stopping the scheduler.
/// </summary>
public sealed class StandardRosterSourceTests
{
    private static readonly SchoolCode SchoolA = SchoolCode.Parse("060322");
    private static readonly SchoolCode SchoolB = SchoolCode.Parse("013301");

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task SemesterJob_SubmitsEveryBookOfEachSchool_WithItsAccount_AndASecondFiringSubmitsNothingNew(string provider)
    {
        await using var sisA = await TestSisDatabase.OpenAsync(provider);
        await using var sisB = TestSisDatabase.Sqlite();
        await DemoSis.GenerateAsync(sisA.DataSource, new DemoSisOptions { Students = 15, School = SchoolA, Term = Term1, Dialect = sisA.Dialect }, Token);
        await DemoSis.GenerateAsync(sisB.DataSource, new DemoSisOptions { Students = 10, School = SchoolB, Term = Term1 }, Token);
        await ExecuteAsync(sisA.DataSource, "UPDATE stud_base SET class_kind = '01' WHERE stud_no = (SELECT MIN(stud_no) FROM stud_base WHERE id_no IS NOT NULL)"); // school A has a 進修部
        await using var h = await Harness.StartAsync(new()
        {
            [SchoolA.Value] = new SchoolDataSources { Sis = new SisReader(sisA.DataSource, DemoSis.Profile(sisA.Dialect)), DefaultDivision = "1" },
            [SchoolB.Value] = new SchoolDataSources { Sis = new SisReader(sisB.DataSource, DemoSis.Profile(sisB.Dialect)), DefaultDivision = "1" },
        });

        await h.RunAsync<SemesterRostersJob>(SchoolA, "113-1");
        await h.RunAsync<SemesterRostersJob>(SchoolB, "113-1");

        var ledger = await h.Ledger.ListAsync(cancellationToken: Token);
        ledger.Where(r => r.Identity.School == SchoolA).Select(r => r.Identity.Book).Order().ShouldBe(["cadre", "continuing-grades", "grades", "retake-grades", "student"]);
        ledger.Where(r => r.Identity.School == SchoolB).Select(r => r.Identity.Book).Order().ShouldBe(["cadre", "grades", "retake-grades", "student"]);
        ledger.ShouldAllBe(r => r.State == SubmissionState.Accepted && r.Identity.Term == Term1 && r.Identity.Revision == 1);
        h.Sandbox.Store.SubmissionCount.ShouldBe(9);

        // Every row accounted for, reported to the observer and logged book by book, with every diagnostic.
        var built = h.Observer.TermBuilds.ToList();
        built.Select(b => b.School.Value).Order().ShouldBe([SchoolB.Value, SchoolA.Value]);
        foreach (var (_, _, results) in built)
        {
            results.ShouldAllBe(r => r.Account.Balances);
        }

        var results9 = built.SelectMany(b => b.Results).ToList();
        results9.Count.ShouldBe(9);
        results9.Sum(r => r.RowsLeftOut).ShouldBeGreaterThan(0, "the demo SIS has dirty rows");
        h.Logs(4222).Count.ShouldBe(9);
        h.Logs(4224).Count.ShouldBe(results9.Sum(r => r.Diagnostics.Count(d => d.IsError)));
        h.AllLogs().ShouldAllBe(l => !System.Text.RegularExpressions.Regex.IsMatch(l.Message, "(?<![A-Za-z0-9])[A-Z][12][0-9]{8}(?![0-9])"), "never an unmasked 身分證號 (a course code may hold the same shape inside)");
        Directory.EnumerateFiles(h.BuildDirectory).ShouldBeEmpty("each book's file goes once the outbox has it");

        // A second firing builds every book again (a change must never wait unseen): the same bytes, nothing sent.
        await h.RunAsync<SemesterRostersJob>(SchoolA, "113-1");
        await h.RunAsync<SemesterRostersJob>(SchoolB, "113-1");
        h.Sandbox.Store.SubmissionCount.ShouldBe(9);
        h.Sandbox.Store.Submissions.ShouldAllBe(s => h.Sandbox.Store.TimesStored(s.IdempotencyKey) == 1);
        h.Observer.TermBuilds.Count.ShouldBe(4);
        (await h.Ledger.ListAsync(cancellationToken: Token)).Count.ShouldBe(9);
        h.AllLogs().Where(l => l.Id.Id == 4205).ShouldBeEmpty();

        // A score corrected in school B's SIS: the next firing sends the grades book again as its revision 2, correcting
        // revision 1, with the changed row logged (masked); the other books are the same and are not sent.
        await ExecuteAsync(sisB.DataSource, "UPDATE score_sem SET score = score + 0.5 WHERE rowid = (SELECT MIN(s.rowid) FROM score_sem s JOIN stud_base b ON b.stud_no = s.stud_no "
            + "WHERE s.sy = 113 AND s.sem = 1 AND s.score_type = 'N' AND s.score BETWEEN 61 AND 98 AND s.re_score IS NULL AND b.id_no IS NOT NULL)");
        await h.RunAsync<SemesterRostersJob>(SchoolB, "113-1");
        var afterChange = await h.Ledger.ListAsync(SchoolB.Value, cancellationToken: Token);
        var revision2 = afterChange.Where(r => r.Identity.Revision == 2).ShouldHaveSingleItem();
        revision2.Identity.Book.ShouldBe("grades");
        revision2.Corrects.ShouldBe(afterChange.Single(r => r.Identity.Book == "grades" && r.Identity.Revision == 1).IdempotencyKey);
        revision2.State.ShouldBe(SubmissionState.Accepted);
        h.Sandbox.Store.SubmissionCount.ShouldBe(10);
        var changed = h.AllLogs().Where(l => l.Id.Id == 4205).ShouldHaveSingleItem();
        changed.Message.ShouldContain("1 changed");
        changed.Message.ShouldContain("score");
        h.AllLogs().ShouldAllBe(l => !System.Text.RegularExpressions.Regex.IsMatch(l.Message, "(?<![A-Za-z0-9])[A-Z][12][0-9]{8}(?![0-9])"), "never an unmasked 身分證號 (a course code may hold the same shape inside)");
    }

    [Fact]
    public async Task ATermTheSisHasNoPlacementsFor_SubmitsNoEmptyBooks_ItIsReportedWithPF3704()
    {
        await using var sis = TestSisDatabase.Sqlite();
        await DemoSis.GenerateAsync(sis.DataSource, new DemoSisOptions { Students = 5, School = SchoolA, Term = Term1 }, Token);
        await using var h = await Harness.StartAsync(new() { [SchoolA.Value] = new SchoolDataSources { Sis = new SisReader(sis.DataSource, DemoSis.Profile(sis.Dialect)), DefaultDivision = "1" } });

        (await h.RunAsync<SemesterRostersJob>(SchoolA, "114-1")).ShouldBeNull();   // the SIS holds 113-1 only

        var notBuilt = h.Observer.NotBuilt.ShouldHaveSingleItem();
        notBuilt.Diagnostic.Code.ShouldBe("PF3704");
        notBuilt.Diagnostic.MessageEnglish.ShouldContain("114-1");
        (await h.Ledger.ListAsync(cancellationToken: Token)).ShouldBeEmpty();
        h.Sandbox.Store.SubmissionCount.ShouldBe(0);
        Directory.EnumerateFiles(h.BuildDirectory).ShouldBeEmpty();

        // The right term goes out as usual.
        (await h.RunAsync<SemesterRostersJob>(SchoolA, "113-1")).ShouldBeNull();
        h.Sandbox.Store.SubmissionCount.ShouldBe(4);
    }

    [Fact]
    public async Task UnknownSchool_IsReportedWithPF3701_AndTheSchedulerGoesOn_ASchoolWithoutModuleGetsPF3702()
    {
        await using var sis = TestSisDatabase.Sqlite();
        await DemoSis.GenerateAsync(sis.DataSource, new DemoSisOptions { Students = 5, School = SchoolA, Term = Term1 }, Token);
        await using var h = await Harness.StartAsync(
            new() { [SchoolA.Value] = new SchoolDataSources { Sis = new SisReader(sis.DataSource, DemoSis.Profile(sis.Dialect)), DefaultDivision = "1" } },
            services => services.AddSingleton<ISchoolRosterObserver, ThrowingObserver>());   // a broken observer stops nothing

        (await h.RunAsync<SemesterRostersJob>(SchoolB, "113-1")).ShouldBeNull();
        (await h.RunAsync<YearPackagesJob>(SchoolA, "113")).ShouldBeNull();

        h.Observer.NotBuilt.Select(n => (n.School, n.Diagnostic.Code)).ShouldBe([(SchoolB, "PF3701"), (SchoolA, "PF3702")]);
        h.Observer.NotBuilt[0].Diagnostic.MessageEnglish.ShouldContain("013301");
        h.Logs(4220).Select(l => l.Level).ShouldBe([LogLevel.Error, LogLevel.Error]);
        h.Logs(4220)[0].Message.ShouldContain("PF3701");
        (await h.Ledger.ListAsync(cancellationToken: Token)).ShouldBeEmpty();

        // The scheduler runs on: the known school's books go out.
        (await h.RunAsync<SemesterRostersJob>(SchoolA, "113-1")).ShouldBeNull();
        (await h.Ledger.ListAsync(cancellationToken: Token)).Count.ShouldBe(4);
        h.Observer.TermBuilds.ShouldHaveSingleItem();
        h.Logs(4232).Count.ShouldBe(3, "the broken observer failed on PF3701, PF3702 and the build, and was logged each time");
    }

    [Fact]
    public void Registration_WithTheHostsResolverType_GivesTheStandardSource_WithItsOptions()
    {
        var services = new ServiceCollection().AddLogging();
        services.AddSingleton<System.Data.Common.DbDataSource>(SqliteFactory.Instance.CreateDataSource("Data Source=:memory:"));
        services.AddPortfolioSubmission(o => o.OutboxDirectory = Path.Combine(Path.GetTempPath(), "portfolio-registration-outbox"));
        services.AddSingleton<ISchoolRosterSource, SchedulingTests.GradesSource>();   // replaced by the standard one
        services.AddSingleton<ISchoolDataSources>(new FixedSources([]));
        var actor = new Portfolio.Sdk.Workflow.PortfolioActor("system:vendor-batch", new HashSet<Portfolio.Sdk.Workflow.PortfolioRole> { Portfolio.Sdk.Workflow.PortfolioRole.CourseOutcomeSubmitter });
        services.AddPortfolioStandardRosters(o => o.Actor = actor);
        using var provider = services.BuildServiceProvider();
        provider.GetRequiredService<ISchoolRosterSource>().ShouldBeOfType<StandardSchoolRosterSource>();
        provider.GetRequiredService<Microsoft.Extensions.Options.IOptions<StandardRosterSourceOptions>>().Value.Actor.ShouldBeSameAs(actor);
        new StandardRosterSourceOptions().Actor.UserId.ShouldBe(StandardRosterSourceOptions.SchedulerUserId);
    }

    private sealed class ThrowingObserver : ISchoolRosterObserver
    {
        public Task TermRostersBuiltAsync(SchoolCode school, SchoolTerm term, IReadOnlyList<TermRosterResult> results, CancellationToken cancellationToken) => throw new InvalidOperationException("broken");

        public Task YearPackageBuiltAsync(SchoolCode school, SchoolYear year, YearPackageKind kind, PortfolioResult<YearPackage> result, CancellationToken cancellationToken) => throw new InvalidOperationException("broken");

        public Task YearPackageLockedAsync(SubmissionRecord submission, PortfolioResult<YearPackageLock> result, CancellationToken cancellationToken) => throw new InvalidOperationException("broken");

        public Task NotBuiltAsync(SchoolCode school, Diagnostic diagnostic, CancellationToken cancellationToken) => throw new InvalidOperationException("broken");
    }

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgres")]
    public async Task YearPackagesJob_PackagesFromTheModuleStore_Submits_AndLocksTheItemsOnce(string provider)
    {
        await using var f = await OpenAsync(provider);
        var selected = await SelectedOutcomeAsync(f);
        await using var sis = TestSisDatabase.Sqlite();
        await using var h = await Harness.StartAsync(new() { [SchoolA.Value] = YearSources(f, sis) });

        (await h.RunAsync<YearPackagesJob>(SchoolA, "113")).ShouldBeNull();

        var outcomes = (await h.Ledger.FindAsync(new SubmissionIdentity(SchoolA, "course-outcomes", new SchoolTerm(Year, Term.WholeYear)), Token)).ShouldNotBeNull();
        outcomes.State.ShouldBe(SubmissionState.Accepted);
        var (_, _, kind, result) = h.Observer.PackageBuilds.Single(b => b.Kind == YearPackageKind.CourseOutcomes);
        result.Value.ShouldNotBeNull().Packaged.ShouldBe([new YearPackageItem(selected.Id, selected.Version)]);
        h.Logs(4226).Count.ShouldBe(3, "the day and 進修部 course outcomes, and the 多元表現");
        h.Observer.PackageBuilds.Single(b => b.Kind == YearPackageKind.ContinuingCourseOutcomes).Result.Value.ShouldNotBeNull().Considered.ShouldBe(0);
        (await h.Ledger.FindAsync(new SubmissionIdentity(SchoolA, "continuing-course-outcomes", new SchoolTerm(Year, Term.WholeYear)), Token)).ShouldBeNull("a school without 進修部 items submits no 進修部 package");

        var stored = (await f.Store.GetAsync(selected.Id, Token)).ShouldNotBeNull();
        stored.IsLocked.ShouldBeTrue();
        stored.Version.ShouldBe(selected.Version + 1);
        var locked = h.Observer.Locks.Single(l => l.Record.Identity.Book == "course-outcomes").Result.Value.ShouldNotBeNull();
        (locked.Locked, locked.AlreadyLocked, locked.Refused.Count).ShouldBe((1, 0, 0));
        h.Logs(4230).ShouldContain(l => l.Message.Contains(StandardRosterSourceOptions.SchedulerUserId, StringComparison.Ordinal));
        Directory.EnumerateFiles(h.BuildDirectory).ShouldBeEmpty();

        // Fired again: built again (the same bytes, locked items and all), nothing sent or locked again.
        var submissions = h.Sandbox.Store.SubmissionCount;
        var locks = h.Observer.Locks.Count;
        (await h.RunAsync<YearPackagesJob>(SchoolA, "113")).ShouldBeNull();
        h.Sandbox.Store.SubmissionCount.ShouldBe(submissions);
        h.Observer.PackageBuilds.Count.ShouldBe(6);
        (await h.Ledger.ListAsync(cancellationToken: Token)).ShouldAllBe(r => r.Identity.Revision == 1);
        h.Observer.Locks.Count.ShouldBe(locks);
        (await f.Store.GetAsync(selected.Id, Token))!.Version.ShouldBe(selected.Version + 1);

        // A node that died after locking but before recording it: the recovering firing counts, never locks twice.
        var journal = Path.Combine(h.Outbox, "year-packages", outcomes.Sha256 + ".json");
        var record = JsonNode.Parse(await File.ReadAllTextAsync(journal, Token))!.AsObject();
        record["LockedAt"].ShouldNotBeNull();
        record["LockedAt"] = null;
        await File.WriteAllTextAsync(journal, record.ToJsonString(), Token);
        (await h.RunAsync<YearPackagesJob>(SchoolA, "113")).ShouldBeNull();
        var again = h.Observer.Locks.Last(l => l.Record.Identity.Book == "course-outcomes").Result.Value.ShouldNotBeNull();
        (again.Locked, again.AlreadyLocked, again.Refused.Count).ShouldBe((0, 1, 0));
        (await f.Store.GetAsync(selected.Id, Token))!.Version.ShouldBe(selected.Version + 1);
        h.Sandbox.Store.SubmissionCount.ShouldBe(submissions);
    }

    [Fact]
    public async Task A進修部StudentsOutcomes_GoInTheirOwnPackage_SubmittedBeforeTheDayOne_AndLockedOnce()
    {
        await using var f = await OpenAsync("sqlite");
        var day = await SelectedOutcomeAsync(f);
        var continuing = await SelectedOutcomeAsync(f, "S000002", OtherMath);
        await using var sis = TestSisDatabase.Sqlite();
        var sources = YearSources(f, sis);
        ((MapDirectory)sources.PackageDirectory!).Continuing.Add("S000002");
        await using var h = await Harness.StartAsync(new() { [SchoolA.Value] = sources });

        (await h.RunAsync<YearPackagesJob>(SchoolA, "113")).ShouldBeNull();

        var term = new SchoolTerm(Year, Term.WholeYear);
        var dayRecord = (await h.Ledger.FindAsync(new SubmissionIdentity(SchoolA, "course-outcomes", term), Token)).ShouldNotBeNull();
        var continuingRecord = (await h.Ledger.FindAsync(new SubmissionIdentity(SchoolA, "continuing-course-outcomes", term), Token)).ShouldNotBeNull();
        (dayRecord.State, continuingRecord.State).ShouldBe((SubmissionState.Accepted, SubmissionState.Accepted));
        continuingRecord.CreatedAt.ShouldBeLessThanOrEqualTo(dayRecord.CreatedAt);
        var builds = h.Observer.PackageBuilds.ToList();
        builds.Single(b => b.Kind == YearPackageKind.CourseOutcomes).Result.Value.ShouldNotBeNull().Packaged.ShouldBe([new YearPackageItem(day.Id, day.Version)]);
        builds.Single(b => b.Kind == YearPackageKind.ContinuingCourseOutcomes).Result.Value.ShouldNotBeNull().Packaged.ShouldBe([new YearPackageItem(continuing.Id, continuing.Version)]);
        (await f.Store.GetAsync(day.Id, Token))!.IsLocked.ShouldBeTrue();
        (await f.Store.GetAsync(continuing.Id, Token))!.IsLocked.ShouldBeTrue();
        h.Observer.Locks.Single(l => l.Record.Identity.Book == "continuing-course-outcomes").Result.Value.ShouldNotBeNull().Locked.ShouldBe(1);
        Directory.EnumerateFiles(h.BuildDirectory).ShouldBeEmpty();

        // Fired again: built again, the same content, nothing sent or locked again.
        var submissions = h.Sandbox.Store.SubmissionCount;
        (await h.RunAsync<YearPackagesJob>(SchoolA, "113")).ShouldBeNull();
        h.Sandbox.Store.SubmissionCount.ShouldBe(submissions);
        h.Observer.PackageBuilds.Count.ShouldBe(builds.Count * 2);
        (await h.Ledger.ListAsync(cancellationToken: Token)).ShouldAllBe(r => r.Identity.Revision == 1);
        (await f.Store.GetAsync(continuing.Id, Token))!.Version.ShouldBe(continuing.Version + 1);

        // The lock recorded the receipt row each item became (kept through the packaging record): a dispute staff
        // uphold on the 進修部 row finds and unlocks its item.
        var admin = new Portfolio.Sdk.Workflow.PortfolioActor("admin", new HashSet<Portfolio.Sdk.Workflow.PortfolioRole> { Portfolio.Sdk.Workflow.PortfolioRole.SystemAdministrator });
        var unlock = await f.Module.UnlockForCorrectionAsync(admin,
            new Portfolio.Sdk.Workflow.ReceiptRowReference("continuing-course-outcomes", term, "continuing-outcome-semester", $"{IdOf(2).Value}|{OtherMath.Value}", "k#1"), Token);
        unlock.Value.ShouldNotBeNull().Outcome.ShouldBe(Portfolio.Sdk.Workflow.ReceiptRowUnlockOutcome.Unlocked);
        unlock.Value.ItemId.ShouldBe(continuing.Id);
        (await f.Store.GetAsync(continuing.Id, Token))!.IsLocked.ShouldBeFalse();
    }

    [Fact]
    public async Task ACrashAfterTheSubmission_IsLockedByTheNextFiring_AndAnItemChangedSincePackagingIsLeftOutWithPF1119()
    {
        await using var f = await OpenAsync("sqlite");
        var first = await SelectedOutcomeAsync(f);
        var second = await SelectedOutcomeAsync(f, "S000002", OtherMath);
        await using var sis = TestSisDatabase.Sqlite();
        await using var h = await Harness.StartAsync(new() { [SchoolA.Value] = YearSources(f, sis) });

        // A firing that stopped after the submission was accepted, before anything was locked.
        var source = h.Host.Services.GetRequiredService<ISchoolRosterSource>();
        var submissions = h.Host.Services.GetRequiredService<SubmissionService>();
        var roster = (await source.YearPackagesAsync(SchoolA, Year, Token)).Single(r => r.Identity.Book == "course-outcomes");
        await using (var content = await roster.OpenAsync(Token))
        {
            (await submissions.SubmitAsync(roster.Identity, content, Token)).State.ShouldBe(SubmissionState.Accepted);
        }

        // Meanwhile the second student's outcome changes (unselected and selected again).
        var unselected = (await f.Module.UnselectCourseOutcomeAsync(StudentActor("S000002"), second.Id, second.Version, Token)).Value.ShouldNotBeNull();
        (await f.Module.SelectCourseOutcomeAsync(StudentActor("S000002"), second.Id, unselected.Version, Year, Token)).Succeeded.ShouldBeTrue();

        (await h.RunAsync<YearPackagesJob>(SchoolA, "113")).ShouldBeNull();

        var result = h.Observer.Locks.Single(l => l.Record.Identity.Book == "course-outcomes").Result.Value.ShouldNotBeNull();
        (result.Locked, result.AlreadyLocked).ShouldBe((1, 0));
        var refused = result.Refused.ShouldHaveSingleItem();
        refused.Id.ShouldBe(second.Id);
        refused.Diagnostics[0].Code.ShouldBe("PF1119");
        (await f.Store.GetAsync(first.Id, Token))!.IsLocked.ShouldBeTrue();
        (await f.Store.GetAsync(second.Id, Token))!.IsLocked.ShouldBeFalse();
        h.Logs(4224).ShouldContain(l => l.Message.Contains("PF1119", StringComparison.Ordinal) && !l.Message.Contains("S000002", StringComparison.Ordinal));
        h.Sandbox.Store.SubmissionCount.ShouldBe(2, "the course outcomes once by hand, the 多元表現 by the job");
    }

    [Fact]
    public async Task ASubmittedPackageWithoutItsPackagingRecord_IsReportedWithPF3703_NotLockedBlindly()
    {
        await using var f = await OpenAsync("sqlite");
        var selected = await SelectedOutcomeAsync(f);
        await using var sis = TestSisDatabase.Sqlite();
        await using var h = await Harness.StartAsync(new() { [SchoolA.Value] = YearSources(f, sis) });
        (await h.RunAsync<YearPackagesJob>(SchoolA, "113")).ShouldBeNull();
        var outcomes = (await h.Ledger.FindAsync(new SubmissionIdentity(SchoolA, "course-outcomes", new SchoolTerm(Year, Term.WholeYear)), Token))!;
        File.Delete(Path.Combine(h.Outbox, "year-packages", outcomes.Sha256 + ".json"));

        // The next firing builds the same package again and writes its record anew: its items count as locked already.
        (await h.RunAsync<YearPackagesJob>(SchoolA, "113")).ShouldBeNull();
        h.Observer.NotBuilt.ShouldBeEmpty();
        var again = h.Observer.Locks.Last(l => l.Record.Identity.Book == "course-outcomes").Result.Value.ShouldNotBeNull();
        (again.Locked, again.AlreadyLocked).ShouldBe((0, 1));
        (await f.Store.GetAsync(selected.Id, Token))!.Version.ShouldBe(selected.Version + 1);

        // A record lost between the build and the lock (here: the lock called with no record at hand) is PF3703.
        var roster = (await h.Host.Services.GetRequiredService<ISchoolRosterSource>().YearPackagesAsync(SchoolA, Year, Token)).Single(r => r.Identity.Book == "course-outcomes");
        File.Delete(Path.Combine(h.Outbox, "year-packages", outcomes.Sha256 + ".json"));
        await roster.SubmittedAsync!(outcomes, Token);
        var notBuilt = h.Observer.NotBuilt.ShouldHaveSingleItem();
        notBuilt.Diagnostic.Code.ShouldBe("PF3703");
        notBuilt.Diagnostic.MessageEnglish.ShouldContain(outcomes.Sha256[..12]);
        (await f.Store.GetAsync(selected.Id, Token))!.Version.ShouldBe(selected.Version + 1);
        foreach (var file in Directory.EnumerateFiles(h.BuildDirectory))
        {
            File.Delete(file);   // the packages listed above and not submitted
        }
    }

    /// <summary>
    /// The packaging record is read back from a shared folder: whatever it holds (cut short, a character changed, any
    /// text), the lock neither throws nor guesses: the firing reports PF3703, or locks from a record that still reads whole.
    /// </summary>
    [Fact]
    public async Task ADamagedPackagingRecord_NeverThrows_ItIsReportedOrReadWhole()
    {
        {
            await using var f = await OpenAsync("sqlite");
            await SelectedOutcomeAsync(f);
            await using var sis = TestSisDatabase.Sqlite();
            var folder = Directory.CreateTempSubdirectory("portfolio-journal-").FullName;
            try
            {
                await using var ledgerSource = SqliteFactory.Instance.CreateDataSource($"Data Source={Path.Combine(folder, "ledger.db")};Pooling=False");
                var ledger = new DbSubmissionLedger(ledgerSource, Portfolio.Sdk.Data.SqlDialect.Sqlite);
                await ledger.EnsureCreatedAsync(Token);
                var observer = new RecordingObserver();
                var sources = new Dictionary<string, SchoolDataSources> { [SchoolA.Value] = YearSources(f, sis) };
                var source = new StandardSchoolRosterSource(new FixedSources(sources), new SubmissionOutbox(Path.Combine(folder, "outbox")),
                    new StandardRosterSourceOptions { BuildDirectory = Path.Combine(folder, "build") }, [observer]);
                var roster = (await source.YearPackagesAsync(SchoolA, Year, Token)).Single(r => r.Identity.Book == "course-outcomes");
                await (await roster.OpenAsync(Token)).DisposeAsync();
                var journal = Directory.EnumerateFiles(Path.Combine(folder, "outbox", "year-packages"), "*.json").ShouldHaveSingleItem();
                var valid = await File.ReadAllTextAsync(journal, Token);
                var record = new SubmissionRecord
                {
                    IdempotencyKey = "k", Identity = roster.Identity, ContentKind = Portfolio.Sdk.Submission.Protocol.SubmissionContentKind.Package, Sha256 = Path.GetFileNameWithoutExtension(journal),
                    Length = 1, State = SubmissionState.Accepted, CreatedAt = Now, UpdatedAt = Now,
                };
                var damaged = Gen.OneOf(
                    from cut in Gen.Choose(0, valid.Length - 1) select valid[..cut],
                    from at in Gen.Choose(0, valid.Length - 1) from c in Gen.Elements('{', '}', '"', ',', ':', '[', ']', 'x', '0', ' ', 'n') select valid[..at] + c + valid[(at + 1)..],
                    ArbMap.Default.GeneratorFor<string>().Select(t => t ?? string.Empty));
                Prop.ForAll(damaged.ToArbitrary(), text =>
                {
                    File.WriteAllText(journal, text);
                    var before = observer.NotBuilt.Count + observer.Locks.Count;
                    Should.NotThrow(() => Fire(() => roster.SubmittedAsync!(record, Token)));
                    var reported = observer.NotBuilt.Count + observer.Locks.Count - before;
                    return reported == 1;   // one answer per firing: PF3703, or the lock's result
                }).Check(Config.QuickThrowOnFailure.WithMaxTest(150));
                observer.NotBuilt.ShouldAllBe(n => n.Diagnostic.Code == "PF3703");
                observer.NotBuilt.ShouldNotBeEmpty();
            }
            finally
            {
                SqliteConnection.ClearAllPools();
                Directory.Delete(folder, recursive: true);
            }
        }
    }

    // FsCheck's properties are synchronous: the firing's callback runs to its end on the thread pool.
    private static void Fire(Func<Task> callback) => Task.Run(callback, Token).GetAwaiter().GetResult();

    private sealed class FixedSources(Dictionary<string, SchoolDataSources> schools) : ISchoolDataSources
    {
        public ValueTask<SchoolDataSources?> FindAsync(SchoolCode school, CancellationToken cancellationToken) => ValueTask.FromResult(schools.GetValueOrDefault(school.Value));
    }

    private static readonly CourseCode OtherMath = CourseCode.Parse("113060322H1110101020101");

    private static SchoolDataSources YearSources(ModuleFixture f, TestSisDatabase sis)
    {
        var directory = new MapDirectory();
        directory.Ids[StudentKey] = IdOf(1);
        directory.Ids["S000002"] = IdOf(2);
        directory.Courses[(StudentKey, Term1, MathCourse)] = new YearPackageCourse("數學", 1, 4);
        directory.Courses[("S000002", Term1, OtherMath)] = new YearPackageCourse("數學", 1, 4);
        return new SchoolDataSources { Sis = new SisReader(sis.DataSource, DemoSis.Profile(sis.Dialect)), Module = f.Module, PackageDirectory = directory };
    }

    private static async Task<Portfolio.Sdk.Workflow.CourseOutcome> SelectedOutcomeAsync(ModuleFixture f, string student = StudentKey, CourseCode? course = null)
    {
        var certified = await f.CertifiedOutcomeAsync(student, course);
        return (await f.Module.SelectCourseOutcomeAsync(StudentActor(student), certified.Id, certified.Version, Year, Token)).Value.ShouldNotBeNull();
    }

    private static NationalId IdOf(int i)
    {
        var nine = $"A1{i:0000000}";
        return NationalId.Parse(nine + NationalId.ComputeCheckDigit(nine));
    }

    private static async Task ExecuteAsync(DbDataSource dataSource, string sql)
    {
        await using var command = dataSource.CreateCommand(sql);
        await command.ExecuteNonQueryAsync(Token);
    }

    private sealed class MapDirectory : IYearPackageDirectory
    {
        public Dictionary<string, NationalId> Ids { get; } = new(StringComparer.Ordinal);

        public Dictionary<(string, SchoolTerm, CourseCode), YearPackageCourse> Courses { get; } = [];

        public ValueTask<NationalId?> FindNationalIdAsync(string studentKey, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<NationalId?>(Ids.TryGetValue(studentKey, out var id) ? id : null);

        public ValueTask<YearPackageCourse?> FindCourseAsync(string studentKey, SchoolTerm term, CourseCode courseCode, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult(Courses.GetValueOrDefault((studentKey, term, courseCode)));

        public HashSet<string> Continuing { get; } = new(StringComparer.Ordinal);

        public ValueTask<Portfolio.Sdk.Rosters.RosterDivision?> FindDivisionAsync(string studentKey, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<Portfolio.Sdk.Rosters.RosterDivision?>(Continuing.Contains(studentKey) ? Portfolio.Sdk.Rosters.RosterDivision.Continuing : Portfolio.Sdk.Rosters.RosterDivision.Day);
    }

    private sealed class RecordingObserver : ISchoolRosterObserver
    {
        public ConcurrentQueue<(SchoolCode School, SchoolTerm Term, IReadOnlyList<TermRosterResult> Results)> TermBuilds { get; } = new();

        public ConcurrentQueue<(SchoolCode School, SchoolYear Year, YearPackageKind Kind, PortfolioResult<YearPackage> Result)> PackageBuilds { get; } = new();

        public ConcurrentQueue<(SubmissionRecord Record, PortfolioResult<YearPackageLock> Result)> Locks { get; } = new();

        public List<(SchoolCode School, Diagnostic Diagnostic)> NotBuilt { get; } = [];

        public Task TermRostersBuiltAsync(SchoolCode school, SchoolTerm term, IReadOnlyList<TermRosterResult> results, CancellationToken cancellationToken)
        {
            TermBuilds.Enqueue((school, term, results));
            return Task.CompletedTask;
        }

        public Task YearPackageBuiltAsync(SchoolCode school, SchoolYear year, YearPackageKind kind, PortfolioResult<YearPackage> result, CancellationToken cancellationToken)
        {
            PackageBuilds.Enqueue((school, year, kind, result));
            return Task.CompletedTask;
        }

        public Task YearPackageLockedAsync(SubmissionRecord submission, PortfolioResult<YearPackageLock> result, CancellationToken cancellationToken)
        {
            Locks.Enqueue((submission, result));
            return Task.CompletedTask;
        }

        public Task NotBuiltAsync(SchoolCode school, Diagnostic diagnostic, CancellationToken cancellationToken)
        {
            lock (NotBuilt)
            {
                NotBuilt.Add((school, diagnostic));
            }

            return Task.CompletedTask;
        }
    }

    private sealed class Executions : IJobListener
    {
        public ConcurrentDictionary<string, TaskCompletionSource<JobExecutionException?>> Waiting { get; } = new();

        public string Name => "standard-roster-test-executions";

        public ValueTask JobToBeExecuted(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobExecutionVetoed(IJobExecutionContext context, CancellationToken cancellationToken = default) => ValueTask.CompletedTask;

        public ValueTask JobWasExecuted(IJobExecutionContext context, JobExecutionException? jobException, CancellationToken cancellationToken = default)
        {
            if (Waiting.TryRemove(context.JobDetail.Key.Name, out var done))
            {
                done.TrySetResult(jobException);
            }

            return ValueTask.CompletedTask;
        }
    }

    /// <summary>A started host: the ledger on SQLite, the sandbox over HTTP, the standard source over the given schools.</summary>
    private sealed class Harness : IAsyncDisposable
    {
        private readonly string _folder;
        private readonly Executions _executions = new();
        private int _runs;

        private Harness(string folder, RunningSandbox sandbox, IHost host, RecordingObserver observer)
        {
            _folder = folder;
            Sandbox = sandbox;
            Host = host;
            Observer = observer;
        }

        public RunningSandbox Sandbox { get; }

        public IHost Host { get; }

        public RecordingObserver Observer { get; }

        public ISubmissionLedger Ledger => Host.Services.GetRequiredService<ISubmissionLedger>();

        public string BuildDirectory => Path.Combine(_folder, "build");

        public string Outbox => Path.Combine(_folder, "outbox");

        public IReadOnlyList<FakeLogRecord> Logs(int eventId) =>
            [.. Host.Services.GetFakeLogCollector().GetSnapshot().Where(l => l.Id.Id == eventId && l.Category == typeof(StandardSchoolRosterSource).FullName)];

        public IReadOnlyList<FakeLogRecord> AllLogs() => Host.Services.GetFakeLogCollector().GetSnapshot();

        public static async Task<Harness> StartAsync(Dictionary<string, SchoolDataSources> schools, Action<IServiceCollection>? more = null)
        {
            var sandbox = await SandboxServer.StartAsync(cancellationToken: Token);
            var folder = Directory.CreateTempSubdirectory("portfolio-standard-rosters-").FullName;
            var builder = Microsoft.Extensions.Hosting.Host.CreateApplicationBuilder();
            builder.Logging.ClearProviders().AddFakeLogging().SetMinimumLevel(LogLevel.Debug);
            builder.Services.AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource($"Data Source={Path.Combine(folder, "ledger.db")};Pooling=False"));
            builder.Services.AddPortfolioGateway(o => o.BaseAddress = sandbox.BaseAddress);
            builder.Services.AddPortfolioSubmission(o => o.OutboxDirectory = Path.Combine(folder, "outbox"));
            var observer = new RecordingObserver();
            builder.Services.AddSingleton<ISchoolRosterObserver>(observer);
            builder.Services.AddPortfolioStandardRosters((_, school, _) => ValueTask.FromResult(schools.GetValueOrDefault(school.Value)), o => o.BuildDirectory = Path.Combine(folder, "build"));
            builder.Services.AddPortfolioScheduling(o => o.MaxConcurrency = 2);
            more?.Invoke(builder.Services);
            var host = builder.Build();
            await host.Services.GetRequiredService<ISubmissionLedger>().EnsureCreatedAsync(Token);
            await host.StartAsync(Token);
            var started = new Harness(folder, sandbox, host, observer);
            var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Token);
            scheduler.ListenerManager.AddJobListener(started._executions);
            return started;
        }

        /// <summary>Fires a job once for a school and waits for it; returns the job's exception, if any.</summary>
        public async Task<JobExecutionException?> RunAsync<TJob>(SchoolCode school, string term)
            where TJob : IJob
        {
            var scheduler = await Host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(Token);
            var name = $"run-{Interlocked.Increment(ref _runs)}";
            var done = new TaskCompletionSource<JobExecutionException?>(TaskCreationOptions.RunContinuationsAsynchronously);
            _executions.Waiting[name] = done;
            var job = JobBuilder.Create<TJob>().WithIdentity(name, "test").UsingJobData(PortfolioJobData.School, school.Value).UsingJobData(PortfolioJobData.Term, term).Build();
            await scheduler.ScheduleJob(job, TriggerBuilder.Create().WithIdentity(name, "test").StartNow().Build(), default, Token);
            return await done.Task.WaitAsync(TimeSpan.FromSeconds(60), Token);
        }

        public async ValueTask DisposeAsync()
        {
            await Host.StopAsync(Token);
            Host.Dispose();
            await Sandbox.DisposeAsync();
            SqliteConnection.ClearAllPools();
            Directory.Delete(_folder, recursive: true);
        }
    }
}
