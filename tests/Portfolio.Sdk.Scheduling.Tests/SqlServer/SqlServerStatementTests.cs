using System.Data;
using Microsoft.SqlServer.TransactSql.ScriptDom;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Sis.Import;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.Records;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Workflow;
using TestRosters = Portfolio.Sdk.Submission.Tests.Rosters;

namespace Portfolio.Sdk.Scheduling.Tests.SqlServer;

/// <summary>
/// No SQL Server can run here, so every statement the SDK sends to SQL Server is parsed offline by Microsoft's own
/// T-SQL parser (ScriptDom, SQL Server 2022 grammar, which also refuses an ORDER BY inside a derived table): the dialect's quoting, markers and paging, the SIS queries the
/// demo profile builds, the demo SIS tables, and the statements the store, the submission ledger, the import ledger
/// and the Quartz schema actually send, recorded from their real code paths. A parse error fails the test and names
/// the statement. This project is the one that reaches every package that writes SQL.
/// </summary>
public sealed class SqlServerStatementTests
{
    private static readonly SqlDialect Dialect = SqlDialect.SqlServer;

    [Fact]
    public async Task EveryStatementTheSdkSendsToSqlServer_Parses()
    {
        var statements = new List<(string Origin, string Sql)>();
        statements.AddRange(DialectStatements());
        statements.AddRange(SisStatements());
        statements.AddRange(await DemoSisStatementsAsync());
        statements.AddRange(await StoreStatementsAsync());
        statements.AddRange(await LedgerStatementsAsync());
        statements.AddRange(await ImportLedgerStatementsAsync());
        statements.AddRange(await QuartzStatementsAsync());

        var problems = statements.SelectMany(s => Problems(s.Sql).Select(p => $"{s.Origin}: {p}\n    {s.Sql}")).ToList();

        problems.ShouldBeEmpty(string.Join("\n", problems));
        statements.Count.ShouldBeGreaterThan(60);
        statements.Select(s => s.Origin.Split(' ')[0]).Distinct().ShouldBe(["dialect", "sis", "store", "ledger", "import-ledger", "quartz"], ignoreOrder: true);
    }

    [Theory]
    [InlineData("SELECT [a] FROM [t] WHERE", "parse")]
    [InlineData("SELECT * FROM (SELECT [a] FROM [t] ORDER BY [a]) q ORDER BY 1 OFFSET 0 ROWS FETCH NEXT 5 ROWS ONLY", "ORDER BY clause is not valid")]
    [InlineData("SELECT `a` FROM `t`", "parse")]
    public void TheCheck_CatchesWhatSqlServerRefuses(string sql, string expected) =>
        Problems(sql).ShouldContain(p => p.Contains(expected, StringComparison.Ordinal));

    [Fact]
    public void TheCheck_AcceptsValidTSql() =>
        Problems("SELECT [a] FROM [sis].[t] WHERE [a] = @p0 ORDER BY [a] OFFSET 10 ROWS FETCH NEXT 5 ROWS ONLY").ShouldBeEmpty();

    private static List<string> Problems(string sql)
    {
        new TSql160Parser(initialQuotedIdentifiers: true).Parse(new StringReader(sql), out var errors);
        return errors.Select(e => $"parse error at line {e.Line}, column {e.Column}: {e.Message}").ToList();
    }

    private static IEnumerable<(string, string)> DialectStatements()
    {
        var table = Dialect.QuoteIdentifier("sis.stud_base");
        var select = $"SELECT {Dialect.QuoteIdentifier("stud_no")} FROM {table} WHERE {Dialect.QuoteIdentifier("sy")} = {Dialect.ParameterMarker(0)} ORDER BY {Dialect.QuoteIdentifier("stud_no")}";
        yield return ("dialect select", select);
        yield return ("dialect page 0", Dialect.Page(select, 0, 500));
        yield return ("dialect page 1000", Dialect.Page(select, 1000, 500));
        yield return ("dialect placeholders", Dialect.RewritePlaceholders("SELECT a FROM t WHERE sy = @schoolYear AND sem = @term AND sy2 = @schoolYear AND x = @@ROWCOUNT", out _));
        yield return ("dialect types", $"CREATE TABLE {Dialect.QuoteIdentifier("types")} (a {Dialect.TextType}, b {Dialect.BigIntType}, c {Dialect.IntegerType}, d {Dialect.VarCharType}(10))");
    }

    private static IEnumerable<(string, string)> SisStatements()
    {
        var profile = DemoSis.Profile(Dialect);
        var term = SchoolTerm.Parse("113-1");
        foreach (var kind in Enum.GetValues<SisRecordKind>().Where(k => profile.TryGetMapping(k, out _)))
        {
            yield return ($"sis {kind}", SisQuery.Build(profile, kind, term, SchoolCode.Parse("060322")).CommandText);
            yield return ($"sis {kind} paged", SisQuery.Build(profile, kind, term, SchoolCode.Parse("060322"), (1000, 500)).CommandText);
        }

        foreach (var statement in DemoSis.SchemaStatementsFor(Dialect))
        {
            yield return ("sis demo table", statement);
        }
    }

    // What building the demo SIS in SQL Server sends: drops, tables, index and the multi-row inserts.
    private static async Task<IEnumerable<(string, string)>> DemoSisStatementsAsync()
    {
        var source = new RecordingDataSource();
        await DemoSis.GenerateAsync(source, new DemoSisOptions { Students = 30, Dialect = Dialect }, TestContext.Current.CancellationToken);
        var sent = source.Statements.Distinct().ToList();
        sent.ShouldContain(s => s.StartsWith("INSERT INTO score_sem VALUES", StringComparison.Ordinal));
        return sent.Select(s => ("sis demo build", s)).ToList();
    }

    private static async Task<IEnumerable<(string, string)>> StoreStatementsAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var source = new RecordingDataSource();
        var store = new PortfolioStore(source, Dialect);
        await store.CreateSchemaAsync(ct);
        var student = PortfolioActor.StudentOf("u-student", "S000001");
        var outcome = new CourseOutcome
        {
            Id = Guid.NewGuid(), StudentKey = "S000001", Term = SchoolTerm.Parse("113-1"), CourseCode = Courses.CourseCode.Parse("113060322H1110101010101"),
            Summary = "報告", CertifyingTeacher = "t-math",
        };
        await store.AddAsync(outcome, student, ct);
        await store.SaveAsync(outcome, outcome with { Summary = "改", Version = 2 }, student, "course-outcome.edit", ct);
        await store.GetAsync(outcome.Id, ct);
        await store.CountSelectedAsync("S000001", new SchoolYear(113), ct);
        var item = new PerformanceItem { Id = Guid.NewGuid(), StudentKey = "S000001", Category = "performance-cadre", Date = new DateOnly(2024, 9, 1) };
        await store.AddAsync(item, student, ct);
        await store.SaveAsync(item, item with { Version = 2 }, student, "performance.select", ct);
        await store.GetPerformanceAsync(item.Id, ct);
        await store.CountSelectedPerformancesAsync("S000001", new SchoolYear(113), ct);
        var document = new StudentDocument { Id = Guid.NewGuid(), StudentKey = "S000001", Kind = StudentDocumentKind.StudyPlan, Text = "計畫" };
        await store.AddAsync(document, student, ct);
        await store.SaveAsync(document, document with { Version = 2 }, student, ct);
        await store.GetStudentDocumentAsync(document.Id, ct);
        var counselor = new PortfolioActor("c1", new HashSet<PortfolioRole> { PortfolioRole.CounselingTeacher });
        var record = CounselingRecord.Create(counselor, new CounselingRecord
        {
            Id = Guid.NewGuid(), CounselorId = "c1", StudentKeys = ["S000001"], Form = CounselingForm.Group, Date = new DateOnly(2024, 10, 1), Topic = "選課",
        }).Value!;
        await store.AddAsync(record, counselor, ct);
        await store.GetCounselingAsync(record.Id, ct);
        await foreach (var _ in store.ReadAuditAsync(ct))
        {
        }

        return source.Statements.Distinct().Select(s => ("store", s)).ToList();
    }

    private static async Task<IEnumerable<(string, string)>> LedgerStatementsAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var source = new RecordingDataSource();
        var ledger = new DbSubmissionLedger(source, Dialect);
        await ledger.EnsureCreatedAsync(ct);
        var record = new SubmissionRecord
        {
            IdempotencyKey = "sqlserver-key-01", Identity = TestRosters.Identity(), ContentKind = SubmissionContentKind.Workbook, Sha256 = new string('a', 64),
            Length = 10, State = SubmissionState.Pending, CreatedAt = DateTimeOffset.UnixEpoch, UpdatedAt = DateTimeOffset.UnixEpoch,
        };
        await ledger.AddOrGetAsync(record, ct);
        await ledger.ListAsync(TestRosters.School.Value, [SubmissionState.Pending, SubmissionState.Sent], ct);

        // From here the submissions table answers with one accepted row, so that updates and receipts are sent too.
        source.Rows = sql => sql.Contains(SubmissionLedgerSchema.SubmissionTable, StringComparison.Ordinal) ? AcceptedRow(record) : null;
        await ledger.TransitionAsync(record.IdempotencyKey, [SubmissionState.Accepted], r => r with { GatewayId = "S1" }, ct);
        var receipt = new Receipt
        {
            ReceiptId = "R1", IdempotencyKey = record.IdempotencyKey, SubmissionId = "S1", SchoolCode = "060322", Book = "grades", SchoolYear = 113, Term = 1,
            IssuedAt = DateTimeOffset.UnixEpoch, RowCount = 1,
            Rows = [new ReceiptRow { StudentKey = TestRosters.StudentId(1), Sheet = "semester-grades", RowKey = "k", Values = new Dictionary<string, string?> { ["score"] = "88" } }],
        };
        await ledger.SaveReceiptAsync(record.IdempotencyKey, receipt, new DateOnly(2024, 10, 4), ct);
        await foreach (var _ in ledger.ReadReceiptRowsAsync(record.IdempotencyKey, ct))
        {
        }

        await ledger.RecordConfirmationAsync(new ConfirmationRecord(record.IdempotencyKey, TestRosters.StudentId(1), ConfirmationDecision.Confirm, null, DateTimeOffset.UnixEpoch), ct);
        await ledger.ReadConfirmationsAsync(record.IdempotencyKey, ct);
        var sent = source.Statements.Distinct().ToList();
        sent.ShouldContain(s => s.StartsWith("UPDATE", StringComparison.Ordinal));
        sent.ShouldContain(s => s.StartsWith($"INSERT INTO [{SubmissionLedgerSchema.ReceiptRowTable}]", StringComparison.Ordinal));
        return sent.Concat(SubmissionLedgerSchema.CreateStatements(Dialect)).Select(s => ("ledger", s)).ToList();
    }

    private static DataTable AcceptedRow(SubmissionRecord r)
    {
        var table = new DataTable();
        object?[] values =
        [
            r.IdempotencyKey, r.Identity.School.Value, r.Identity.Book, r.Identity.Term.Year.RocYear, (int)r.Identity.Term.Term, r.Identity.Revision, null,
            (int)r.ContentKind, r.Sha256, r.Length, (int)SubmissionState.Accepted, 1, "S1", null, 10, 0, null, null, null, 0L, 0L, 1L,
        ];
        for (var i = 0; i < values.Length; i++)
        {
            table.Columns.Add($"c{i}", values[i]?.GetType() ?? typeof(string));
        }

        table.Rows.Add([.. values.Select(v => v ?? DBNull.Value)]);
        return table;
    }

    private static async Task<IEnumerable<(string, string)>> ImportLedgerStatementsAsync()
    {
        var ct = TestContext.Current.CancellationToken;
        var source = new RecordingDataSource();
        var ledger = new DbImportLedger(source, Dialect);
        await ledger.EnsureCreatedAsync(ct);
        await ledger.ContainsAsync("cadres", new string('f', 64), ct);
        await ledger.AddAsync("cadres", new string('f', 64), ct);
        return source.Statements.Distinct().Append(ledger.CreateTableSql).Select(s => ("import-ledger", s)).ToList();
    }

    private static async Task<IEnumerable<(string, string)>> QuartzStatementsAsync()
    {
        var source = new RecordingDataSource();
        await QuartzSchema.ApplyAsync(source, Dialect, cancellationToken: TestContext.Current.CancellationToken);
        source.Statements.Count.ShouldBeGreaterThan(5);
        return source.Statements.Select((s, i) => ($"quartz statement {i + 1}", s)).ToList();
    }
}
