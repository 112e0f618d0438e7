using Portfolio.Sdk.Audit;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Storage.Tests;

public sealed class StoreTests
{
    private static readonly PortfolioActor Student = PortfolioActor.StudentOf("u-student", "S000001");
    private static readonly PortfolioActor Teacher = new("t-math", new HashSet<PortfolioRole> { PortfolioRole.CourseTeacher });

    public static TheoryData<string> Providers() => TestDatabase.Providers();

    public static TheoryData<string> Dialects() => [.. SqlDialect.All.Select(d => d.Name)];

    private static CourseOutcome NewOutcome(string student = "S000001") => new()
    {
        Id = Guid.NewGuid(),
        StudentKey = student,
        ClassName = "101",
        Term = SchoolTerm.Parse("113-1"),
        CourseCode = CourseCode.Parse("113060322H1110101010101"),
        Summary = "函數圖形的探究報告，我負責資料蒐集。組員：林𡘙（4-byte UTF-8: utf8mb4 on MariaDB）",
        FileHashes = [new string('a', 64)],
        CertifyingTeacher = "t-math",
    };

    private static async Task<(TestSisDatabase Database, PortfolioStore Store)> OpenAsync(string provider)
    {
        var database = await TestSisDatabase.OpenAsync(provider);
        var store = new PortfolioStore(database.DataSource, database.Dialect);
        await store.CreateSchemaAsync(TestContext.Current.CancellationToken);
        return (database, store);
    }

    private static async Task<List<AuditEntry>> AuditAsync(PortfolioStore store)
    {
        var entries = new List<AuditEntry>();
        await foreach (var entry in store.ReadAuditAsync(TestContext.Current.CancellationToken))
        {
            entries.Add(entry);
        }

        return entries;
    }

    [Theory]
    [MemberData(nameof(Dialects))]
    public void CheckedInSqlScripts_MatchTheSchemaTheCodeGenerates(string dialect)
    {
        SqlDialect.TryGet(dialect, out var d);
        var path = RepositoryPaths.Combine("schemas", "sql", $"store.{dialect}.sql");
        var expected = StoreSchema.Script(d!);
        if (Environment.GetEnvironmentVariable("PORTFOLIO_ACCEPT") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }

        (File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : string.Empty).ShouldBe(expected, $"{path} drifted; run the tests with PORTFOLIO_ACCEPT=1.");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Lifecycle_SendCertifySelect_WithAnIntactAuditTrail(string provider)
    {
        var (database, store) = await OpenAsync(provider);
        await using var _ = database;
        var token = TestContext.Current.CancellationToken;
        var draft = NewOutcome();
        await store.AddAsync(draft, Student, token);

        var read = (await store.GetAsync(draft.Id, token))!;
        var pending = CourseOutcomeWorkflow.SubmitForCertification(read, Student, read.Version).Value!;
        (await store.SaveAsync(read, pending, Student, "course-outcome.submit", token)).Succeeded.ShouldBeTrue();
        var certified = CourseOutcomeWorkflow.Certify(pending, Teacher, pending.Version).Value!;
        (await store.SaveAsync(pending, certified, Teacher, "course-outcome.certify", token)).Succeeded.ShouldBeTrue();
        var selectedCount = await store.CountSelectedAsync("S000001", new SchoolYear(113), token);
        var selected = CourseOutcomeWorkflow.Select(certified, Student, certified.Version, new SchoolYear(113), selectedCount, new SelectionCaps()).Value!;
        (await store.SaveAsync(certified, selected, Student, "course-outcome.select", token)).Succeeded.ShouldBeTrue();

        var final = (await store.GetAsync(draft.Id, token))!;
        final.ShouldBe(selected with { FileHashes = final.FileHashes });
        final.FileHashes.ShouldBe(draft.FileHashes);
        (await store.CountSelectedAsync("S000001", new SchoolYear(113), token)).ShouldBe(1);
        var audit = await AuditAsync(store);
        audit.Select(e => e.Action).ShouldBe(["course-outcome.create", "course-outcome.submit", "course-outcome.certify", "course-outcome.select"]);
        audit[2].ActorId.ShouldBe("t-math");
        audit[2].Before!.ShouldContain("\"State\":1");
        audit[2].After!.ShouldContain("\"State\":2");
        AuditTrail.Verify(audit).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task StaleSave_IsAConflict_AndChangesNothing(string provider)
    {
        var (database, store) = await OpenAsync(provider);
        await using var _ = database;
        var token = TestContext.Current.CancellationToken;
        var draft = NewOutcome();
        await store.AddAsync(draft, Student, token);
        var first = CourseOutcomeWorkflow.Edit(draft, Student, 1, "first edit", []).Value!;
        var second = CourseOutcomeWorkflow.Edit(draft, Student, 1, "second edit from the same read", []).Value!;

        (await store.SaveAsync(draft, first, Student, "course-outcome.edit", token)).Succeeded.ShouldBeTrue();
        var conflict = await store.SaveAsync(draft, second, Student, "course-outcome.edit", token);

        conflict.Problem!.Code.ShouldBe(DiagnosticCodes.VersionConflict);
        (await store.GetAsync(draft.Id, token))!.Summary.ShouldBe("first edit");
        (await AuditAsync(store)).Count.ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TamperingWithTheStoredAuditTrail_IsDetected(string provider)
    {
        var (database, store) = await OpenAsync(provider);
        await using var _ = database;
        var token = TestContext.Current.CancellationToken;
        var draft = NewOutcome();
        await store.AddAsync(draft, Student, token);
        var pending = CourseOutcomeWorkflow.SubmitForCertification(draft, Student, 1).Value!;
        await store.SaveAsync(draft, pending, Student, "course-outcome.submit", token);

        await using (var connection = await database.DataSource.OpenConnectionAsync(token))
        await using (var command = connection.CreateCommand())
        {
            command.CommandText = $"UPDATE {StoreSchema.AuditTable} SET actor_id = 'someone-else' WHERE sequence = 2";
            await command.ExecuteNonQueryAsync(token);
        }

        var problem = AuditTrail.Verify(await AuditAsync(store)).Single();
        problem.Code.ShouldBe(DiagnosticCodes.AuditChainBroken);
        problem.Location!.Row.ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ConcurrentWriters_KeepOneUnbrokenAuditChain(string provider)
    {
        var (database, store) = await OpenAsync(provider);
        await using var _ = database;
        var token = TestContext.Current.CancellationToken;
        var outcomes = Enumerable.Range(0, 6).Select(i => NewOutcome($"S{i:000000}")).ToList();

        await Task.WhenAll(outcomes.Select(o => store.AddAsync(o, PortfolioActor.StudentOf("u", o.StudentKey), token)));
        await Task.WhenAll(outcomes.Select(async o =>
        {
            var actor = PortfolioActor.StudentOf("u", o.StudentKey);
            var next = CourseOutcomeWorkflow.SubmitForCertification(o, actor, o.Version).Value!;
            (await store.SaveAsync(o, next, actor, "course-outcome.submit", token)).Succeeded.ShouldBeTrue();
        }));

        var audit = await AuditAsync(store);
        audit.Count.ShouldBe(12);
        AuditTrail.Verify(audit).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Performances_KeepTheirCategoryFields_AndSchoolEnteredOnesAreNotCounted(string provider)
    {
        var (database, store) = await OpenAsync(provider);
        await using var _ = database;
        var token = TestContext.Current.CancellationToken;
        var fields = System.Text.Json.JsonSerializer.Serialize(new Portfolio.Sdk.Rosters.Rows.PerformanceCompetitionRow
        {
            NationalId = Portfolio.Sdk.Identity.NationalId.Parse("A123456789"),
            CompetitionName = "全國高級中等學校小論文寫作比賽",
            CompetitionLevel = "4",
            AnnouncedDate = new DateOnly(2024, 11, 15),
            Summary = "與同學合寫，我負責實驗設計。",
        });
        var competition = new PerformanceItem { Id = Guid.NewGuid(), StudentKey = "S000001", Category = "performance-competition", Date = new DateOnly(2024, 11, 15), FieldsJson = fields };
        var cadre = new PerformanceItem { Id = Guid.NewGuid(), StudentKey = "S000001", Category = "performance-cadre", Date = new DateOnly(2024, 9, 1), IsSchoolEntered = true, SelectedFor = new SchoolYear(113) };
        await store.AddAsync(competition, Student, token);
        await store.AddAsync(cadre, new PortfolioActor("staff", new HashSet<PortfolioRole> { PortfolioRole.CadreSubmitter }), token);

        var count = await store.CountSelectedPerformancesAsync("S000001", new SchoolYear(113), token);
        var selected = PerformanceSelection.Select(competition, Student, 1, new SchoolYear(113), new SchoolYear(112), count, new SelectionCaps()).Value!;
        (await store.SaveAsync(competition, selected, Student, "performance.select", token)).Succeeded.ShouldBeTrue();

        count.ShouldBe(0);
        (await store.CountSelectedPerformancesAsync("S000001", new SchoolYear(113), token)).ShouldBe(1);
        var read = (await store.GetPerformanceAsync(competition.Id, token))!;
        read.ShouldBe(selected);
        System.Text.Json.JsonSerializer.Deserialize<Portfolio.Sdk.Rosters.Rows.PerformanceCompetitionRow>(read.FieldsJson!)!.CompetitionName.ShouldBe("全國高級中等學校小論文寫作比賽");
        (await store.SaveAsync(competition, selected, Student, "performance.select", token)).Problem!.Code.ShouldBe(DiagnosticCodes.VersionConflict);
        var audit = await AuditAsync(store);
        audit.Select(e => e.EntityType).ShouldBe(["performance", "performance", "performance"]);
        AuditTrail.Verify(audit).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task StudentDocumentsAndCounselingRecords_AreStoredAndAudited(string provider)
    {
        var (database, store) = await OpenAsync(provider);
        await using var _ = database;
        var token = TestContext.Current.CancellationToken;
        var counselor = new PortfolioActor("c1", new HashSet<PortfolioRole> { PortfolioRole.CounselingTeacher });
        var plan = new StudentDocument { Id = Guid.NewGuid(), StudentKey = "S000001", Kind = StudentDocumentKind.StudyPlan, Text = "高二選修物理。", FileHashes = [new string('b', 64)] };
        var record = CounselingRecord.Create(counselor, new CounselingRecord
        {
            Id = Guid.NewGuid(), CounselorId = "c1", StudentKeys = ["S000001", "S000002"], Form = CounselingForm.Group,
            Date = new DateOnly(2024, 10, 1), Topic = "選課諮詢", Notes = "說明加深加廣選修。",
        }).Value!;

        await store.AddAsync(plan, Student, token);
        var edited = plan.Edit(Student, plan.Version, "高二選修物理與程式設計。", []).Value!;
        (await store.SaveAsync(plan, edited, Student, token)).Succeeded.ShouldBeTrue();
        (await store.SaveAsync(plan, edited, Student, token)).Problem!.Code.ShouldBe(DiagnosticCodes.VersionConflict);
        await store.AddAsync(record, counselor, token);

        (await store.GetStudentDocumentAsync(plan.Id, token)).ShouldBe(edited with { FileHashes = [] }, new StudentDocumentComparer());
        var readRecord = (await store.GetCounselingAsync(record.Id, token))!;
        (readRecord.StudentKeys, readRecord.Date, readRecord.Form, readRecord.Notes).ShouldBe((record.StudentKeys, record.Date, record.Form, record.Notes), new TupleComparer());
        var audit = await AuditAsync(store);
        audit.Select(e => e.Action).ShouldBe(["student-document.create", "student-document.edit", "counseling.create"]);
        AuditTrail.Verify(audit).ShouldBeEmpty();
    }

    [Fact]
    public async Task OnAMariaDbDatabaseWhoseDefaultIsLatin1_TheTablesStillHoldEveryCharacter_AndKeysCompareExactly()
    {
        var admin = TestDatabase.MySqlConnectionStringOrSkip();
        var token = TestContext.Current.CancellationToken;
        var name = $"portfolio_latin1_{Guid.NewGuid():N}";
        await using (var server = new MySqlConnector.MySqlDataSource(admin))
        await using (var create = server.CreateCommand($"CREATE DATABASE `{name}` CHARACTER SET latin1"))
        {
            await create.ExecuteNonQueryAsync(token);
        }

        try
        {
            await using var dataSource = new MySqlConnector.MySqlDataSource(new MySqlConnector.MySqlConnectionStringBuilder(admin) { Database = name }.ConnectionString);
            var store = new PortfolioStore(dataSource, SqlDialect.MySql);
            await store.CreateSchemaAsync(token);
            var draft = NewOutcome();
            await store.AddAsync(draft, Student, token);

            (await store.GetAsync(draft.Id, token))!.Summary.ShouldBe(draft.Summary);   // 林𡘙 survives: the tables are utf8mb4
            var pending = CourseOutcomeWorkflow.SubmitForCertification(draft, Student, 1).Value!;
            var certified = CourseOutcomeWorkflow.Certify(pending, Teacher, 2).Value!;
            await store.SaveAsync(draft, pending, Student, "course-outcome.submit", token);
            await store.SaveAsync(pending, certified, Teacher, "course-outcome.certify", token);
            var selected = CourseOutcomeWorkflow.Select(certified, Student, 3, new SchoolYear(113), 0, new SelectionCaps()).Value!;
            await store.SaveAsync(certified, selected, Student, "course-outcome.select", token);
            (await store.CountSelectedAsync("S000001", new SchoolYear(113), token)).ShouldBe(1);
            (await store.CountSelectedAsync("s000001", new SchoolYear(113), token)).ShouldBe(0);   // keys compare exactly (utf8mb4_bin), as on SQLite and PostgreSQL
            AuditTrail.Verify(await AuditAsync(store)).ShouldBeEmpty();
        }
        finally
        {
            await using var server = new MySqlConnector.MySqlDataSource(admin);
            await using var drop = server.CreateCommand($"DROP DATABASE IF EXISTS `{name}`");
            await drop.ExecuteNonQueryAsync(CancellationToken.None);
        }
    }

    private sealed class StudentDocumentComparer : IEqualityComparer<StudentDocument?>
    {
        public bool Equals(StudentDocument? x, StudentDocument? y) =>
            x is not null && y is not null && x.Id == y.Id && x.Text == y.Text && x.Version == y.Version && x.FileHashes.SequenceEqual(y.FileHashes) && x.Kind == y.Kind;

        public int GetHashCode(StudentDocument? obj) => obj?.Id.GetHashCode() ?? 0;
    }

    private sealed class TupleComparer : IEqualityComparer<(IReadOnlyList<string>, DateOnly, CounselingForm, string?)>
    {
        public bool Equals((IReadOnlyList<string>, DateOnly, CounselingForm, string?) x, (IReadOnlyList<string>, DateOnly, CounselingForm, string?) y) =>
            x.Item1.SequenceEqual(y.Item1) && x.Item2 == y.Item2 && x.Item3 == y.Item3 && x.Item4 == y.Item4;

        public int GetHashCode((IReadOnlyList<string>, DateOnly, CounselingForm, string?) obj) => obj.Item2.GetHashCode();
    }
}
