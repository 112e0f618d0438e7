using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Sis.Profiles;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.Records;
using Portfolio.Sdk.Sis.TermRosters;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Sis.Tests;

/// <summary>
/// The 進修部學生成績名冊 (6.x) from a real SIS (SQLite and PostgreSQL): every cell of 6.2, 6.3 and 6.4 checked against the
/// SIS rows it came from, every grade row of the term accounted for, NULL never written as a default.
/// </summary>
public sealed class ContinuingGradesBookTests
{
    private static readonly SchoolTerm Term = SchoolTerm.Parse("113-1");
    private static readonly SchoolCode School = SchoolCode.Parse("060322");

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task ContinuingBook_HasEveryCellFromTheSis_AndAccountsForEveryGradeRow(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestSisDatabase.OpenAsync(provider);
        await DemoSis.GenerateAsync(database.DataSource, new DemoSisOptions { Students = 12, Term = Term, DirtyRows = false, Dialect = database.Dialect }, ct);
        await ExecuteAsync(database,
            "ALTER TABLE score_sem ADD COLUMN year_score NUMERIC",
            "ALTER TABLE score_sem ADD COLUMN year_pass TEXT",
            "ALTER TABLE score_sem ADD COLUMN stud_type TEXT",
            "ALTER TABLE score_sem ADD COLUMN sec_credit NUMERIC",
            "ALTER TABLE score_sem ADD COLUMN re_score2 NUMERIC",
            "ALTER TABLE score_sem ADD COLUMN re_pass2 TEXT",
            "UPDATE score_sem SET score_type = 'N'",
            // Three 進修部 students (班別 01 進修部核定班, 04 員工進修班).
            "UPDATE stud_base SET class_kind = '01' WHERE stud_no IN (SELECT stud_no FROM stud_base ORDER BY stud_no LIMIT 2)",
            "UPDATE stud_base SET class_kind = '04' WHERE stud_no = (SELECT MAX(stud_no) FROM stud_base)",
            "UPDATE score_sem SET year_score = score + 1, year_pass = pass_yn WHERE course_id % 2 = 0",
            // One transfer grade and one retake of a 進修部 student, one course whose 節數 is NULL.
            "UPDATE score_sem SET score_type = 'T', orig_sy = 112, orig_sem = 2, stud_type = '1' WHERE sy = 113 AND sem = 1 AND stud_no = (SELECT MIN(stud_no) FROM stud_base) "
                + "AND course_id = (SELECT MIN(course_id) FROM score_sem WHERE sy = 113 AND sem = 1 AND stud_no = (SELECT MIN(stud_no) FROM stud_base))",
            "UPDATE score_sem SET score_type = 'R', orig_sy = 112, orig_sem = 1 WHERE sy = 113 AND sem = 1 AND stud_no = (SELECT MAX(stud_no) FROM stud_base) "
                + "AND course_id = (SELECT MAX(course_id) FROM score_sem WHERE sy = 113 AND sem = 1 AND stud_no = (SELECT MAX(stud_no) FROM stud_base))",
            "UPDATE course_open SET credit = NULL WHERE course_id = (SELECT MIN(course_id) FROM course_open WHERE sy = 113 AND sem = 1 AND subj_name = '化學')",
            // A 進修部 year course's two 補考 (6.3), and the same kind of row for a day student (left out of the day book).
            "UPDATE score_sem SET score_type = 'M', re_score = 45, re_pass = 'N', re_score2 = 62, re_pass2 = 'Y', sec_credit = 3 WHERE sy = 113 AND sem = 1 "
                + "AND stud_no = (SELECT MIN(stud_no) FROM stud_base) AND course_id = (SELECT MAX(course_id) FROM score_sem s JOIN course_open c USING (course_id) "
                + "WHERE s.sy = 113 AND s.sem = 1 AND c.credit IS NOT NULL AND s.stud_no = (SELECT MIN(stud_no) FROM stud_base))",
            "UPDATE score_sem SET score_type = 'M', sec_credit = 3 WHERE sy = 113 AND sem = 1 AND stud_no = (SELECT stud_no FROM stud_base WHERE class_kind = '1' ORDER BY stud_no LIMIT 1) "
                + "AND course_id = (SELECT MIN(course_id) FROM score_sem WHERE sy = 113 AND sem = 1 AND stud_no = (SELECT stud_no FROM stud_base WHERE class_kind = '1' ORDER BY stud_no LIMIT 1))");
        var builder = new TermRosterBuilder(new SisReader(database.DataSource, Profile(database.Dialect))) { DefaultDivision = "1" };

        using var output = new MemoryStream();
        var result = await builder.WriteContinuingGradesAsync(output, School, Term, ct);

        // Every grade row of the term: written, left out with its cause, or counted for a day book.
        TermRosterBuilderTests.AssertAccounted(result);
        var all = await ScalarAsync(database, "SELECT COUNT(*) FROM score_sem WHERE sy = 113 AND sem = 1");
        result.Account.Read.ShouldBe(all);
        var dayRows = await ScalarAsync(database, "SELECT COUNT(*) FROM score_sem s JOIN stud_base b ON b.stud_no = s.stud_no WHERE s.sy = 113 AND s.sem = 1 AND b.class_kind NOT IN ('01', '04')");
        result.Account.ForOtherBooks.Values.Sum().ShouldBe(dayRows);
        result.Account.LeftOutByCause[SisRowLeftOutCause.NoSheetForKind].ShouldBe(1);
        result.Diagnostics.Single(d => d.Code == "PF2305").Location!.Source.ShouldBe("sis:grades");
        var nullPeriods = await ScalarAsync(database, "SELECT COUNT(*) FROM score_sem s JOIN stud_base b ON b.stud_no = s.stud_no JOIN course_open c ON c.course_id = s.course_id "
            + "WHERE s.sy = 113 AND s.sem = 1 AND b.class_kind IN ('01', '04') AND c.credit IS NULL");
        nullPeriods.ShouldBeGreaterThan(0);
        result.Account.LeftOutByCause[SisRowLeftOutCause.RequiredValueNull].ShouldBe(nullPeriods);
        result.Diagnostics.Where(d => d.Code == "PF2303").ShouldAllBe(d => d.Message.Contains("修課節數") && d.Location!.Column == "credit");
        var ids = (await RowsAsync(database, "SELECT id_no FROM stud_base WHERE class_kind IN ('01', '04')")).Select(r => (string)r[0]!).ToList();
        result.Diagnostics.ShouldAllBe(d => ids.All(id => !d.ToString().Contains(id, StringComparison.Ordinal)));

        // 6.2, cell by cell against the SIS rows.
        var expected = await RowsAsync(database,
            "SELECT b.id_no, b.birthday, c.course_code, c.subj_name, c.grade, c.credit, s.score, s.pass_yn, s.year_score, s.year_pass, s.count_credit, s.re_score "
            + "FROM score_sem s JOIN course_open c ON c.course_id = s.course_id JOIN stud_base b ON b.stud_no = s.stud_no "
            + "WHERE s.sy = 113 AND s.sem = 1 AND b.class_kind IN ('01', '04') AND s.score_type = 'N' AND c.credit IS NOT NULL ORDER BY s.stud_no, c.course_code");
        expected.Count.ShouldBeGreaterThan(10);
        output.Position = 0;
        using var reader = RosterWorkbookReader.Open(output).Value!;
        var semester = reader.ReadRows("學期成績").ToList();
        semester[0].Cells.Take(11).ShouldBe(["身分證號", "出生日期", "課程代碼", "科目名稱", "開課年級", "修課節數", "學期學業成績", "成績及格", "學年學業成績", "學年及格", "是否採計學時"]);
        semester.Count.ShouldBe(expected.Count + 1);
        result.RowCounts["continuing-semester-grades"].ShouldBe(expected.Count);
        for (var i = 0; i < expected.Count; i++)
        {
            var (cells, sis) = (semester[i + 1].Cells, expected[i]);
            cells[0].ShouldBe((string)sis[0]!);
            cells[1].ShouldBe(RocDate((string)sis[1]!));
            cells[2].ShouldBe((string)sis[2]!);
            cells[3].ShouldBe((string)sis[3]!);
            cells[4].ShouldBe(Number(sis[4]));
            Number(cells[5]).ShouldBe(Number(sis[5]));
            Number(cells[6]).ShouldBe(Number(sis[6]));
            cells[7].ShouldBe(Flag(sis[7]));
            Number(cells[8]).ShouldBe(sis[8] is null ? "-1" : Number(sis[8]));  // no 學年學業成績 is 無 (-1), as in the day books
            cells[9].ShouldBe(Flag(sis[9]));
            cells[10].ShouldBe((string)sis[10]!);
        }

        // Each 補考成績 on a 進修部 regular grade is reported (6.2 has no column for it), never dropped silently.
        result.Diagnostics.Count(d => d.Code == "PF2306").ShouldBe(expected.Count(r => r[11] is not null));

        // 6.3: the 進修部 year course's two 補考, cell by cell.
        var makeup = reader.ReadRows("補考成績").Skip(1).ShouldHaveSingleItem().Cells;
        var makeupSis = (await RowsAsync(database,
            "SELECT b.id_no, c.course_code, c.subj_name, c.grade, c.credit FROM score_sem s JOIN course_open c ON c.course_id = s.course_id "
            + "JOIN stud_base b ON b.stud_no = s.stud_no WHERE s.score_type = 'M' AND b.class_kind IN ('01', '04')")).ShouldHaveSingleItem();
        makeup[0].ShouldBe((string)makeupSis[0]!);
        (makeup[2], makeup[3], makeup[4]).ShouldBe(((string)makeupSis[1]!, (string)makeupSis[2]!, Number(makeupSis[3])));
        Number(makeup[5]).ShouldBe(Number(makeupSis[4]));
        (Number(makeup[6]), Number(makeup[7]), makeup[8], Number(makeup[9]), makeup[10]).ShouldBe(("3", "45", "0", "62", "1"));

        // The day student's 進修部 補考 row is counted for the day book, which leaves it out with its reason.
        using var gradesOutput = new MemoryStream();
        var grades = await builder.WriteGradesAsync(gradesOutput, School, Term, ct);
        TermRosterBuilderTests.AssertAccounted(grades);
        grades.Account.LeftOutByCause[SisRowLeftOutCause.NoSheetForKind].ShouldBe(1);
        grades.Diagnostics.Single(d => d.Code == "PF2308").Location!.Source.ShouldBe("sis:grades");

        // 6.4: the transfer grade.
        var transfer = reader.ReadRows("轉學轉科成績").Skip(1).ShouldHaveSingleItem().Cells;
        var transferSis = (await RowsAsync(database,
            "SELECT b.id_no, c.course_code, c.credit, s.score, s.pass_yn, s.count_credit FROM score_sem s JOIN course_open c ON c.course_id = s.course_id "
            + "JOIN stud_base b ON b.stud_no = s.stud_no WHERE s.score_type = 'T'")).ShouldHaveSingleItem();
        transfer[0].ShouldBe((string)transferSis[0]!);
        (transfer[2], transfer[3], transfer[4]).ShouldBe(("112", "2", (string)transferSis[1]!));
        Number(transfer[7]).ShouldBe(Number(transferSis[2]));
        transfer[8].ShouldBe("1");
        Number(transfer[9]).ShouldBe(Number(transferSis[3]));
        transfer[10].ShouldBe(Flag(transferSis[4]));
        transfer[11].ShouldBe((string)transferSis[5]!);

        output.Position = 0;
        var report = new RosterWorkbookValidator().Validate(output, "continuing-grades", ct);
        report.Diagnostics.Where(d => d.IsError).ShouldBeEmpty();
        report.RowCounts.Values.Sum().ShouldBe(result.Rows);
    }

    [Fact]
    public async Task WriteTerm_WritesTheContinuingBook_OnlyForASchoolThatHasOne()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = TestSisDatabase.Sqlite();
        await DemoSis.GenerateAsync(database.DataSource, new DemoSisOptions { Students = 12, Term = Term }, ct);
        var builder = new TermRosterBuilder(new SisReader(database.DataSource, DemoSis.Profile(database.Dialect))) { DefaultDivision = "1" };

        var dayOnly = await builder.WriteTermAsync(_ => new MemoryStream(), School, Term, ct);
        dayOnly.Select(r => r.Book.Id).ShouldBe(["student", "cadre", "grades", "retake-grades"]);

        await ExecuteAsync(database, "UPDATE stud_base SET class_kind = '01' WHERE stud_no = (SELECT MIN(stud_no) FROM stud_base WHERE id_no IS NOT NULL)");
        var withContinuing = await builder.WriteTermAsync(_ => new MemoryStream(), School, Term, ct);
        withContinuing.Select(r => r.Book.Id).ShouldBe(["student", "cadre", "grades", "retake-grades", "continuing-grades"]);
        var grades = withContinuing.Single(r => r.Book.Id == "grades");
        var continuing = withContinuing.Single(r => r.Book.Id == "continuing-grades");
        continuing.Account.Read.ShouldBe(grades.Account.Read);
        grades.Account.ForOtherBooks["continuing-grades"].ShouldBeGreaterThan(0);
        continuing.Account.ForOtherBooks.Keys.ShouldBeSubsetOf(["grades", "retake-grades"]);
        continuing.Rows.ShouldBeGreaterThan(0);
        foreach (var result in withContinuing)
        {
            TermRosterBuilderTests.AssertAccounted(result);
        }
    }

    [Fact]
    public async Task ContinuingBook_ChecksPassFlags_AgainstThePolicys進修部PassMark()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = TestSisDatabase.Sqlite();
        await DemoSis.GenerateAsync(database.DataSource, new DemoSisOptions { Students = 12, Term = Term, DirtyRows = false }, ct);
        await ExecuteAsync(database,
            "UPDATE score_sem SET score_type = 'N'",
            "UPDATE stud_base SET class_kind = '01' WHERE stud_no = (SELECT MIN(stud_no) FROM stud_base)",
            // 55 failed: right under a pass mark of 60, wrong under 50.
            "UPDATE score_sem SET score = 55, pass_yn = 'N' WHERE sy = 113 AND sem = 1 AND stud_no = (SELECT MIN(stud_no) FROM stud_base) "
                + "AND course_id = (SELECT MIN(course_id) FROM score_sem WHERE sy = 113 AND sem = 1 AND stud_no = (SELECT MIN(stud_no) FROM stud_base))");
        using var json = new MemoryStream("""{ "national": [ { "from": 109, "passMarks": { "continuing": 50 } } ] }"""u8.ToArray());
        var policy = Sdk.Policy.PortfolioPolicy.Load(json).Value!;

        async Task<TermRosterResult> BuildAsync(Sdk.Policy.PortfolioPolicy p)
        {
            var builder = new TermRosterBuilder(new SisReader(database.DataSource, DemoSis.Profile(database.Dialect))) { DefaultDivision = "1", Policy = p };
            return await builder.WriteContinuingGradesAsync(new MemoryStream(), School, Term, ct);
        }

        var warned = (await BuildAsync(policy)).Diagnostics.Where(d => d.Code == "PF1115").ShouldHaveSingleItem();
        warned.Severity.ShouldBe(Sdk.Diagnostics.DiagnosticSeverity.Warning);
        warned.Message.ShouldContain("進修部");
        warned.Message.ShouldContain("50");
        (await BuildAsync(Sdk.Policy.PortfolioPolicy.Default)).Diagnostics.ShouldNotContain(d => d.Code == "PF1115");   // 進修部 mark unknown: not checked
    }

    private static SisProfile Profile(SqlDialect dialect)
    {
        var demo = DemoSis.Profile(dialect);
        var columns = demo.Mappings[SisRecordKind.Grades].Columns.ToDictionary(p => p.Key, p => p.Value);
        columns["yearScore"] = "year_score";
        columns["yearPassed"] = "year_pass";
        columns["studentType"] = "stud_type";
        columns["secondTermCredits"] = "sec_credit";
        columns["secondMakeupExamScore"] = "re_score2";
        columns["secondMakeupExamPassed"] = "re_pass2";
        var values = demo.Mappings[SisRecordKind.Grades].Values.ToDictionary(p => p.Key, p => p.Value.ToDictionary(q => q.Key, q => q.Value));
        values["yearPassed"] = values["passed"];
        values["secondMakeupExamPassed"] = values["passed"];
        return new SisProfileBuilder("demo-continuing", dialect)
            .MapQuery(SisRecordKind.Students, "SELECT * FROM stud_base", demo.Mappings[SisRecordKind.Students].Columns.ToDictionary(p => p.Key, p => p.Value),
                new Dictionary<string, Dictionary<string, string>> { ["gender"] = new() { ["M"] = "1", ["F"] = "2" } })
            .MapQuery(SisRecordKind.Grades, DemoSis.GradesQuery.Replace("s.count_credit", "s.count_credit, s.year_score, s.year_pass, s.stud_type, s.sec_credit, s.re_score2, s.re_pass2", StringComparison.Ordinal), columns, values)
            .Build().Value!;
    }

    private static string RocDate(string roc) =>
        new DateOnly(int.Parse(roc[..3], CultureInfo.InvariantCulture) + 1911, int.Parse(roc[3..5], CultureInfo.InvariantCulture), int.Parse(roc[5..], CultureInfo.InvariantCulture))
            .ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);

    private static string? Number(object? value) =>
        value is null ? null : decimal.Parse(Convert.ToString(value, CultureInfo.InvariantCulture)!, CultureInfo.InvariantCulture).ToString("0.####", CultureInfo.InvariantCulture);

    private static string Flag(object? sis) => sis switch { "Y" => "1", "N" => "0", _ => "-1" };

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

    private static async Task<int> ScalarAsync(TestSisDatabase database, string sql)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return Convert.ToInt32(await command.ExecuteScalarAsync(TestContext.Current.CancellationToken), CultureInfo.InvariantCulture);
    }

    private static async Task<List<object?[]>> RowsAsync(TestSisDatabase database, string sql)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
        var rows = new List<object?[]>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken))
        {
            var row = new object?[reader.FieldCount];
            for (var i = 0; i < row.Length; i++)
            {
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) is var v && v is string ? v : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }
}
