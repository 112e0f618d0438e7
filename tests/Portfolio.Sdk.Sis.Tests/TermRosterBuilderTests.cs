using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.TermRosters;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Sis.Tests;

/// <summary>SIS → rosters on the demo SIS (real SQLite, PostgreSQL and MariaDB): every written workbook validates clean; the dirty SIS rows are left out with diagnostics.</summary>
public sealed class TermRosterBuilderTests
{
    private static readonly SchoolTerm Term = SchoolTerm.Parse("113-1");
    private static readonly SchoolCode School = SchoolCode.Parse("060322");

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public async Task DemoSis_BuildsThreeRostersThatValidateClean(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestSisDatabase.OpenAsync(provider);
        var counts = await DemoSis.GenerateAsync(database.DataSource, new DemoSisOptions { Students = 40, Term = Term, Dialect = database.Dialect }, ct);
        var builder = new TermRosterBuilder(new SisReader(database.DataSource, DemoSis.Profile(database.Dialect))) { DefaultDivision = "1" };

        var results = new List<(TermRosterResult Result, RosterValidationReport Report)>();
        foreach (var write in new Func<Stream, Task<TermRosterResult>>[]
        {
            s => builder.WriteStudentDataAsync(s, School, Term, ct),
            s => builder.WriteGradesAsync(s, School, Term, ct),
            s => builder.WriteCadresAsync(s, School, Term, ct),
        })
        {
            using var output = new MemoryStream();
            var result = await write(output);
            output.Position = 0;
            results.Add((result, new RosterWorkbookValidator().Validate(output, result.Book.Id, ct)));
        }

        results.Select(r => r.Result.Book.Id).ShouldBe(["student", "grades", "cadre"]);
        foreach (var (result, report) in results)
        {
            var errors = report.Diagnostics.Where(d => d.IsError).Take(5).Select(d => d.ToString());
            (result.Book.Id, result.Rows, string.Join("\n", errors)).ShouldBe((result.Book.Id, result.Rows, string.Empty));
        }

        results[0].Result.Diagnostics.Where(d => d.IsError).ShouldAllBe(d => d.Location!.Source!.StartsWith("sis:", StringComparison.Ordinal)); // only the SIS's own dirty rows
        results.ShouldAllBe(r => r.Result.Rows > 0 && !r.Report.HasErrors);
        results.ShouldAllBe(r => r.Report.RowCounts.Values.Sum() == r.Result.Rows);
        results[0].Result.Rows.ShouldBeLessThanOrEqualTo(counts.Students);
        results[1].Result.RowsLeftOut.ShouldBeGreaterThan(0);       // the demo's dirty grade rows
        results[1].Result.Diagnostics.ShouldContain(d => d.IsError); // ... each with its reason
        (results[1].Result.Rows + results[1].Result.RowsLeftOut).ShouldBeLessThanOrEqualTo(counts.Scores);
        foreach (var (result, _) in results)
        {
            AssertAccounted(result);
        }
    }

    // Every row read is written, left out or counted for another book, and every row left out has its own error
    // diagnostic at its SIS row, naming no 身分證號.
    internal static void AssertAccounted(TermRosterResult result)
    {
        var account = result.Account;
        account.Balances.ShouldBeTrue(account.ToString());
        account.Written.ShouldBe(result.Rows);
        var leftOutRows = result.Diagnostics.Where(d => d.IsError && d.Location?.Source == account.Source).Select(d => d.Location!.Row).Distinct().Count();
        leftOutRows.ShouldBe(account.LeftOut, account.ToString());
        result.Diagnostics.Where(d => d.IsError).ShouldAllBe(d => d.Location!.Source!.StartsWith("sis:", StringComparison.Ordinal));
    }

    private static async Task ExecuteAsync(TestSisDatabase database, params string[] statements)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        foreach (var sql in statements)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await command.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }
    }

    private static async Task<(TermRosterResult Result, MemoryStream Workbook)> BuildAsync(Func<TermRosterBuilder, Stream, Task<TermRosterResult>> write, TestSisDatabase database)
    {
        var builder = new TermRosterBuilder(new SisReader(database.DataSource, DemoSis.Profile(database.Dialect))) { DefaultDivision = "1" };
        var output = new MemoryStream();
        var result = await write(builder, output);
        output.Position = 0;
        return (result, output);
    }

    [Fact]
    public async Task NullSeat_IsReportedAtTheSisRow_NeverWrittenAsZero()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = TestSisDatabase.Sqlite();
        await DemoSis.GenerateAsync(database.DataSource, new DemoSisOptions { Students = 12, Term = Term, DirtyRows = false }, ct);
        await ExecuteAsync(database, "UPDATE stud_class_hist SET seat_no = NULL WHERE stud_no = (SELECT MIN(stud_no) FROM stud_class_hist WHERE sy = 113 AND sem = 1) AND sy = 113 AND sem = 1");

        var (result, workbook) = await BuildAsync((b, s) => b.WriteStudentDataAsync(s, School, Term, ct), database);

        result.Account.LeftOutByCause.ShouldBe(new Dictionary<SisRowLeftOutCause, int> { [SisRowLeftOutCause.RequiredValueNull] = 1 });
        var missing = result.Diagnostics.Single(d => d.IsError);
        missing.Code.ShouldBe("PF2303");
        missing.Location!.Source.ShouldBe("sis:studentTerms");
        missing.Location.Column.ShouldBe("seat_no");
        missing.Message.ShouldContain("座號");
        AssertAccounted(result);
        using var reader = RosterWorkbookReader.Open(workbook).Value!;
        reader.ReadRows("學生資料").Skip(1).ShouldAllBe(r => r.Cells[10] != "0");
    }

    [Fact]
    public async Task RowsOfFailedAndUnknownStudents_AreLeftOutWithTheirCause()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = TestSisDatabase.Sqlite();
        await DemoSis.GenerateAsync(database.DataSource, new DemoSisOptions { Students = 12, Term = Term, DirtyRows = false }, ct);
        await ExecuteAsync(database,
            "UPDATE score_sem SET score_type = 'N'", // regular grades only: the generator plants a few others
            "UPDATE stud_base SET id_no = 'A123456788' WHERE stud_no = (SELECT MIN(stud_no) FROM stud_base)",       // a bad check digit: the student fails
            "INSERT INTO cadre_hist VALUES ('X999', 113, 1, '班級', '班長', 1, '113/08/30', NULL)");                  // nobody has 學號 X999

        var (grades, _) = await BuildAsync((b, s) => b.WriteGradesAsync(s, School, Term, ct), database);
        var (cadres, _) = await BuildAsync((b, s) => b.WriteCadresAsync(s, School, Term, ct), database);

        grades.Account.LeftOutByCause[SisRowLeftOutCause.StudentFailed].ShouldBeGreaterThan(0);
        grades.Diagnostics.Count(d => d.Code == "PF2302" && d.Location!.Source == "sis:grades").ShouldBe(grades.Account.LeftOutByCause[SisRowLeftOutCause.StudentFailed]);
        // Each names the cause in the basic data (the bad check digit, PF0106), not only the students row.
        grades.Diagnostics.Where(d => d.Code == "PF2302").ShouldAllBe(d => d.MessageEnglish.Contains("PF0106", StringComparison.Ordinal) && d.Message.Contains("PF0106", StringComparison.Ordinal));
        cadres.Account.LeftOutByCause[SisRowLeftOutCause.StudentUnknown].ShouldBe(1);
        cadres.Diagnostics.ShouldContain(d => d.Code == "PF2301" && d.Message.Contains("X*", StringComparison.Ordinal) && !d.Message.Contains("X999", StringComparison.Ordinal));
        AssertAccounted(grades);
        AssertAccounted(cadres);
        grades.Diagnostics.Concat(cadres.Diagnostics).ShouldAllBe(d => !d.ToString().Contains("A123456788", StringComparison.Ordinal));
    }

    [Fact]
    public async Task EveryGradeKind_GoesToItsSheet_OrIsCountedForItsBook()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = TestSisDatabase.Sqlite();
        await DemoSis.GenerateAsync(database.DataSource, new DemoSisOptions { Students = 12, Term = Term, DirtyRows = false }, ct);
        var profile = DemoSis.Profile(database.Dialect);
        await ExecuteAsync(database,
            "UPDATE score_sem SET score_type = 'N'",
            "UPDATE score_sem SET score_type = 'S', orig_sy = 112, orig_sem = 2 WHERE rowid IN (SELECT rowid FROM score_sem WHERE sy = 113 AND sem = 1 LIMIT 2)",
            "UPDATE score_sem SET score_type = 'R', orig_sy = 112, orig_sem = 1 WHERE rowid IN (SELECT rowid FROM score_sem WHERE sy = 113 AND sem = 1 AND score_type = 'N' LIMIT 3)");

        var (grades, workbook) = await BuildAsync((b, s) => b.WriteGradesAsync(s, School, Term, ct), database);
        var (retakes, _) = await BuildAsync((b, s) => b.WriteRetakeGradesAsync(s, School, Term, ct), database);

        // The demo profile maps no 補修方式/重修方式 column: those rows are left out at their SIS row, never guessed.
        grades.Account.ForOtherBooks.ShouldBe(new Dictionary<string, int> { ["retake-grades"] = 3 });
        grades.Account.LeftOutByCause[SisRowLeftOutCause.RequiredValueNull].ShouldBe(2);
        grades.Diagnostics.Where(d => d.Code == "PF2303").ShouldAllBe(d => d.Message.Contains("補修方式"));
        retakes.Account.Read.ShouldBe(grades.Account.Read);
        retakes.Account.ForOtherBooks["grades"].ShouldBe(grades.Account.Read - 3);
        retakes.Account.LeftOutByCause[SisRowLeftOutCause.RequiredValueNull].ShouldBe(3);
        AssertAccounted(grades);
        AssertAccounted(retakes);
        profile.Mappings.ShouldNotBeEmpty();
        using var reader = RosterWorkbookReader.Open(workbook).Value!;
        reader.ReadRows("學期成績").Count().ShouldBe(grades.Account.Written + 1);
    }

    [Fact]
    public async Task MappedMakeupAndRetakeRows_AreWrittenToTheirSheets()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = TestSisDatabase.Sqlite();
        await DemoSis.GenerateAsync(database.DataSource, new DemoSisOptions { Students = 12, Term = Term, DirtyRows = false }, ct);
        await ExecuteAsync(database,
            "ALTER TABLE score_sem ADD COLUMN way TEXT",
            "UPDATE score_sem SET score_type = 'N'",
            "UPDATE score_sem SET score_type = 'S', orig_sy = 112, orig_sem = 2, way = '1' WHERE rowid IN (SELECT rowid FROM score_sem WHERE sy = 113 AND sem = 1 AND course_id IN (SELECT course_id FROM course_open WHERE course_code NOT LIKE '%D%') LIMIT 2)",
            "UPDATE score_sem SET score_type = 'R', orig_sy = 112, orig_sem = 1, way = '1' WHERE rowid IN (SELECT rowid FROM score_sem WHERE sy = 113 AND sem = 1 AND score_type = 'N' AND course_id IN (SELECT course_id FROM course_open WHERE course_code NOT LIKE '%D%') LIMIT 3)");
        var demo = DemoSis.Profile(database.Dialect);
        var columns = demo.Mappings[Records.SisRecordKind.Grades].Columns.ToDictionary(p => p.Key, p => p.Value);
        columns["method"] = "way";
        var profile = new Profiles.SisProfileBuilder("demo-with-methods", database.Dialect)
            .MapQuery(Records.SisRecordKind.Students, "SELECT * FROM stud_base", demo.Mappings[Records.SisRecordKind.Students].Columns.ToDictionary(p => p.Key, p => p.Value),
                new Dictionary<string, Dictionary<string, string>> { ["gender"] = new() { ["M"] = "1", ["F"] = "2" } })
            .MapQuery(Records.SisRecordKind.Grades, DemoSis.GradesQuery.Replace("s.count_credit", "s.count_credit, s.way", StringComparison.Ordinal), columns,
                demo.Mappings[Records.SisRecordKind.Grades].Values.ToDictionary(p => p.Key, p => p.Value.ToDictionary(q => q.Key, q => q.Value)))
            .Build().Value!;
        var builder = new TermRosterBuilder(new SisReader(database.DataSource, profile)) { DefaultDivision = "1" };

        using var gradesFile = new MemoryStream();
        var grades = await builder.WriteGradesAsync(gradesFile, School, Term, ct);
        using var retakeFile = new MemoryStream();
        var retakes = await builder.WriteRetakeGradesAsync(retakeFile, School, Term, ct);

        grades.RowCounts["makeup-course-grades"].ShouldBe(2);
        retakes.RowCounts["retake"].ShouldBe(3);
        AssertAccounted(grades);
        AssertAccounted(retakes);
        retakeFile.Position = 0;
        using var reader = RosterWorkbookReader.Open(retakeFile).Value!;
        var retakeRows = reader.ReadRows("重修成績").Skip(1).ToList();
        retakeRows.Count.ShouldBe(3);
        retakeRows.ShouldAllBe(r => r.Cells[2] == "112" && r.Cells[3] == "1" && r.Cells[8] == "1");
        retakeFile.Position = 0;
        new RosterWorkbookValidator().Validate(retakeFile, "retake-grades", ct).Diagnostics.Where(d => d.IsError).ShouldBeEmpty();
    }
}
