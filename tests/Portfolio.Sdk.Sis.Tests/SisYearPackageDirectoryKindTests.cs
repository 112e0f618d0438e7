using System.Globalization;
using FsCheck;
using FsCheck.Fluent;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Sis.Profiles;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.Records;
using Portfolio.Sdk.Sis.YearPackages;
using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Sis.Tests;

/// <summary>
/// The standard directory's answers per course-outcome kind and its 部別, over a real SIS database (SQLite and
/// PostgreSQL): each checked against the SIS row it comes from, a fact the row does not have never supplied.
/// </summary>
public sealed class SisYearPackageDirectoryKindTests
{
    private static readonly SchoolTerm Term1 = SchoolTerm.Parse("113-1");

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task EveryKindsFacts_ComeFromItsGradeRow_AndAMissingFactStaysMissing(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestSisDatabase.OpenAsync(provider);
        await DemoSis.GenerateAsync(database.DataSource, new DemoSisOptions { Students = 30, Term = Term1, DirtyRows = false, Dialect = database.Dialect }, ct);
        const string Where = "sy = 113 AND sem = 1 AND score_type = 'N'";
        await ExecuteAsync(database,
            "ALTER TABLE score_sem ADD COLUMN method TEXT",
            "ALTER TABLE score_sem ADD COLUMN orig_school TEXT",
            $"UPDATE score_sem SET score_type = 'S', orig_sy = 112, orig_sem = 1 WHERE {Where} AND course_id % 7 = 1",
            $"UPDATE score_sem SET score_type = 'R', orig_sy = 112, orig_sem = 2 WHERE {Where} AND course_id % 7 = 2",
            "UPDATE score_sem SET method = '3' WHERE score_type IN ('S', 'R') AND stud_no IN (SELECT stud_no FROM stud_base WHERE id_no IS NOT NULL ORDER BY stud_no LIMIT 10)",
            "UPDATE score_sem SET orig_course_code = '112060322H1110101010101' WHERE score_type = 'R' AND method IS NULL",
            $"UPDATE score_sem SET score_type = 'T', orig_sy = 112, orig_sem = 2, orig_school = '013301', "
                + $"orig_course_code = (SELECT '112013301' || SUBSTR(c.course_code, 10) FROM course_open c WHERE c.course_id = score_sem.course_id) WHERE {Where} AND course_id % 7 = 3",
            $"UPDATE score_sem SET score_type = 'T', orig_sy = 112, orig_sem = 2 WHERE {Where} AND course_id % 7 = 4",
            $"UPDATE score_sem SET orig_school = '013301' WHERE {Where} AND course_id % 7 = 5",
            $"UPDATE score_sem SET orig_school = '13-01' WHERE {Where} AND course_id % 7 = 6",
            $"UPDATE score_sem SET score_type = 'D' WHERE {Where} AND course_id % 11 = 0",
            "UPDATE course_open SET credit = NULL WHERE course_id = (SELECT MIN(course_id) FROM course_open WHERE sy = 113 AND sem = 1)",
            "UPDATE stud_base SET class_kind = '01' WHERE stud_no = (SELECT MIN(stud_no) FROM stud_base WHERE id_no IS NOT NULL)");
        var reader = new SisReader(database.DataSource, Profile(database.Dialect));
        var directory = await SisYearPackageDirectory.LoadAsync(reader, Term1.Year, ct);

        // The 部別: the 進修部 student by the 班別 code table, every other student in the day school, an unknown one unknown.
        var students = await RowsAsync(database, "SELECT stud_no, class_kind FROM stud_base WHERE id_no IS NOT NULL");
        foreach (var row in students)
        {
            (await directory.FindDivisionAsync((string)row[0]!, ct)).ShouldBe((string?)row[1] == "01" ? RosterDivision.Continuing : RosterDivision.Day);
        }

        students.Count(r => (string?)r[1] == "01").ShouldBe(1);
        (await directory.FindDivisionAsync("NO-SUCH-STUDENT", ct)).ShouldBeNull();

        var seen = await CheckEveryRowAsync(database, directory, ct);

        // Every case happened in this SIS.
        seen.Keys.Order().ShouldBe(new[]
        {
            "MakeupCourse", "MakeupCourse without method", "Retake", "Retake without method", "RepeatYear", "Semester", "Transfer", "Transfer without school",
            "Visiting", "Visiting without school", "null credit",
        }.Order(), string.Join(", ", seen.Select(p => $"{p.Key}={p.Value}")));
    }

    // ---------------------------------------------------------------- the same over random dirty SIS rows

    // A change to one grade row (picked by index): its kind, whether its original/due term is NULL, its method and other
    // school as text (blank, padded, garbage, valid), and whether its course's credit is NULL.
    private sealed record RowChange(int Row, string Type, bool NoOriginal, string? Method, string? School, bool NullCredit);

    private static Gen<RowChange[]> Changes()
    {
        var garbage = from length in Gen.Choose(0, 8)
                      from chars in Gen.ArrayOf(Gen.Elements("0123456789ABZaz -'\"　中\t".ToCharArray()), length)
                      select new string(chars);
        var text = Gen.OneOf(Gen.Constant<string?>(null), Gen.Elements<string?>(string.Empty, "  ", "3", " 2 ", "013301", " 013301 ", "01330", "0133011"), garbage.Select(g => (string?)g));
        var change = from row in Gen.Choose(0, 10_000)
                     from type in Gen.Elements("N", "S", "R", "T", "D")
                     from noOriginal in Gen.Frequency((1, Gen.Constant(true)), (3, Gen.Constant(false)))
                     from method in text
                     from school in text
                     from nullCredit in Gen.Frequency((1, Gen.Constant(true)), (9, Gen.Constant(false)))
                     select new RowChange(row, type, noOriginal, method, school, nullCredit);
        return from count in Gen.Choose(1, 30)
               from changes in Gen.ArrayOf(change, count)
               select changes;
    }

    [Fact]
    public void EveryKindsFacts_ComeFromItsGradeRow_OverRandomDirtySisRows_Sqlite() =>
        Prop.ForAll(Changes().ToArbitrary(), changes => Task.Run(() => CheckChangesAsync(changes)).GetAwaiter().GetResult()).Check(Config.QuickThrowOnFailure.WithMaxTest(15));

    private static async Task<bool> CheckChangesAsync(RowChange[] changes)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestSisDatabase.OpenAsync("sqlite");
        await DemoSis.GenerateAsync(database.DataSource, new DemoSisOptions { Students = 8, Term = Term1, DirtyRows = false, Dialect = database.Dialect }, ct);
        var keys = await RowsAsync(database, "SELECT stud_no, course_id FROM score_sem WHERE sy = 113 AND sem = 1 ORDER BY stud_no, course_id");
        static string Sql(string? text) => text is null ? "NULL" : $"'{text.Replace("'", "''", StringComparison.Ordinal)}'";
        var statements = new List<string> { "ALTER TABLE score_sem ADD COLUMN method TEXT", "ALTER TABLE score_sem ADD COLUMN orig_school TEXT" };
        foreach (var c in changes)
        {
            var key = keys[c.Row % keys.Count];
            var original = c.NoOriginal ? "orig_sy = NULL, orig_sem = NULL" : "orig_sy = 112, orig_sem = 1";
            statements.Add($"UPDATE score_sem SET score_type = '{c.Type}', {original}, method = {Sql(c.Method)}, orig_school = {Sql(c.School)} WHERE stud_no = {Sql((string)key[0]!)} AND course_id = {key[1]}");
            if (c.NullCredit)
            {
                statements.Add($"UPDATE course_open SET credit = NULL WHERE course_id = {key[1]}");
            }
        }

        await ExecuteAsync(database, [.. statements]);
        var directory = await SisYearPackageDirectory.LoadAsync(new SisReader(database.DataSource, Profile(database.Dialect)), Term1.Year, ct);
        (await CheckEveryRowAsync(database, directory, ct)).Values.Sum().ShouldBeGreaterThan(0);
        return true;
    }

    // Every grade row of 113-1 (of a student with basic data, the only row of its student and course) against the
    // directory's answer for its kind: the SIS row's own values, a fact it does not have never supplied. Returns how often
    // each case was seen.
    private static async Task<Dictionary<string, int>> CheckEveryRowAsync(TestSisDatabase database, SisYearPackageDirectory directory, CancellationToken ct)
    {
        var rows = await RowsAsync(database,
            "SELECT s.stud_no, c.course_code, c.subj_name, c.grade, c.credit, s.score_type, s.orig_sy, s.orig_sem, s.orig_course_code, s.method, s.orig_school "
            + "FROM score_sem s JOIN course_open c ON c.course_id = s.course_id JOIN stud_base b ON b.stud_no = s.stud_no WHERE s.sy = 113 AND s.sem = 1 AND b.id_no IS NOT NULL");
        // A course with two grade rows of a student in the term (the demo's 補修 of a course also taken) is not checked here.
        var single = rows.GroupBy(r => ((string)r[0]!, (string)r[1]!)).Where(g => g.Count() == 1).Select(g => g.Single()).ToList();
        single.Count.ShouldBeGreaterThan(rows.Count * 3 / 4);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        static string? Text(object? sis) => sis is string text && !string.IsNullOrWhiteSpace(text) ? text.Trim() : null;
        static SchoolCode? School(object? sis) => sis is string text && text.Trim().Length == 6 && text.Trim().All(c => c is >= '0' and <= '9' or >= 'A' and <= 'Z') ? SchoolCode.Parse(text.Trim()) : null;
        foreach (var r in single)
        {
            var (student, code, subject, type) = ((string)r[0]!, CourseCode.Parse((string)r[1]!), (string)r[2]!, (string)r[5]!);
            var kind = type switch
            {
                "S" => CourseOutcomeKind.MakeupCourse, "R" => CourseOutcomeKind.Retake, "T" => CourseOutcomeKind.Transfer, "D" => CourseOutcomeKind.RepeatYear,
                _ => r[10] is null ? CourseOutcomeKind.Semester : CourseOutcomeKind.Visiting,
            };
            var course = await directory.FindCourseAsync(student, kind, Term1, code, ct);
            if (r[4] is null)
            {
                course.ShouldBeNull("a NULL credit is not made 0");
                seen["null credit"] = seen.GetValueOrDefault("null credit") + 1;
                continue;
            }

            course.ShouldNotBeNull($"{kind} {code}");
            (course.SubjectName, course.GradeLevel, course.Credits).ShouldBe((subject, int.Parse((string)r[3]!, CultureInfo.InvariantCulture), decimal.Parse((string)r[4]!, CultureInfo.InvariantCulture)));
            SchoolTerm? original = r[6] is null ? null : new SchoolTerm(new SchoolYear(int.Parse((string)r[6]!, CultureInfo.InvariantCulture)), (Term)int.Parse((string)r[7]!, CultureInfo.InvariantCulture));
            var expected = kind switch
            {
                CourseOutcomeKind.MakeupCourse => course with { DueTerm = original, Method = Text(r[9]) },
                CourseOutcomeKind.Retake => course with { OriginalTerm = original, OriginalCourseCode = r[8] is null ? code : CourseCode.Parse((string)r[8]!), Method = Text(r[9]) },
                CourseOutcomeKind.Transfer => course with { OriginalSchool = School(r[10]), OriginalTerm = original, OriginalCourseCode = r[8] is null ? null : CourseCode.Parse((string)r[8]!) },
                CourseOutcomeKind.Visiting => course with { VisitingSchool = School(r[10]) },
                _ => course,
            };
            course.ShouldBe(expected, $"{kind} {code}");
            var name = kind + (course.Method is null && kind is CourseOutcomeKind.MakeupCourse or CourseOutcomeKind.Retake ? " without method" : string.Empty)
                + (kind is CourseOutcomeKind.Transfer or CourseOutcomeKind.Visiting && course.OriginalSchool is null && course.VisitingSchool is null ? " without school" : string.Empty);
            seen[name] = seen.GetValueOrDefault(name) + 1;

            // Only the kind's own row answers (a 補修 row is not a 重修 course, a regular row not a 補修 one); a 學期 outcome
            // takes any row of the course, a 重讀 or 借讀 one the regular row.
            CourseOutcomeKind[] answering = type switch
            {
                "N" => [CourseOutcomeKind.Semester, CourseOutcomeKind.RepeatYear, CourseOutcomeKind.Visiting],
                "S" => [CourseOutcomeKind.Semester, CourseOutcomeKind.MakeupCourse],
                "R" => [CourseOutcomeKind.Semester, CourseOutcomeKind.Retake],
                "T" => [CourseOutcomeKind.Semester, CourseOutcomeKind.Transfer],
                "D" => [CourseOutcomeKind.Semester, CourseOutcomeKind.RepeatYear],
                _ => [CourseOutcomeKind.Semester],
            };
            foreach (var other in Enum.GetValues<CourseOutcomeKind>())
            {
                (await directory.FindCourseAsync(student, other, Term1, code, ct) is not null).ShouldBe(answering.Contains(other), $"{other} of a {type} row");
            }

            // A transfer course is also found by the term and course it was first taken.
            if (kind == CourseOutcomeKind.Transfer && course.OriginalCourseCode is { } first)
            {
                (await directory.FindCourseAsync(student, kind, course.OriginalTerm!.Value, first, ct)).ShouldBe(course);
            }
        }

        return seen;
    }

    private static SisProfile Profile(SqlDialect dialect)
    {
        var demo = DemoSis.Profile(dialect);
        var columns = demo.Mappings[SisRecordKind.Grades].Columns.ToDictionary(p => p.Key, p => p.Value);
        columns["method"] = "method";
        columns["originalSchoolCode"] = "orig_school";
        var values = demo.Mappings[SisRecordKind.Grades].Values.ToDictionary(p => p.Key, p => p.Value.ToDictionary(q => q.Key, q => q.Value));
        return new SisProfileBuilder("demo-year-packages", dialect)
            .MapQuery(SisRecordKind.Students, "SELECT * FROM stud_base", demo.Mappings[SisRecordKind.Students].Columns.ToDictionary(p => p.Key, p => p.Value),
                new Dictionary<string, Dictionary<string, string>> { ["gender"] = new() { ["M"] = "1", ["F"] = "2" } })
            .MapQuery(SisRecordKind.Grades, DemoSis.GradesQuery.Replace("s.count_credit", "s.count_credit, s.method, s.orig_school", StringComparison.Ordinal), columns, values)
            .Build().Value!;
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
                row[i] = reader.IsDBNull(i) ? null : reader.GetValue(i) is string text ? text : Convert.ToString(reader.GetValue(i), CultureInfo.InvariantCulture);
            }

            rows.Add(row);
        }

        return rows;
    }
}
