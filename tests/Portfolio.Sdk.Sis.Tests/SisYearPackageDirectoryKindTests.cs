using System.Globalization;
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

        var rows = await RowsAsync(database,
            "SELECT s.stud_no, c.course_code, c.subj_name, c.grade, c.credit, s.score_type, s.orig_sy, s.orig_sem, s.orig_course_code, s.method, s.orig_school "
            + "FROM score_sem s JOIN course_open c ON c.course_id = s.course_id JOIN stud_base b ON b.stud_no = s.stud_no WHERE s.sy = 113 AND s.sem = 1 AND b.id_no IS NOT NULL");
        // A course with two grade rows of a student in the term (the demo's 補修 of a course also taken) is not checked here.
        var single = rows.GroupBy(r => ((string)r[0]!, (string)r[1]!)).Where(g => g.Count() == 1).Select(g => g.Single()).ToList();
        single.Count.ShouldBeGreaterThan(rows.Count * 3 / 4);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
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
                CourseOutcomeKind.MakeupCourse => course with { DueTerm = original, Method = (string?)r[9] },
                CourseOutcomeKind.Retake => course with { OriginalTerm = original, OriginalCourseCode = r[8] is null ? code : CourseCode.Parse((string)r[8]!), Method = (string?)r[9] },
                CourseOutcomeKind.Transfer => course with { OriginalSchool = r[10] is null ? null : SchoolCode.Parse((string)r[10]!), OriginalTerm = original, OriginalCourseCode = r[8] is null ? null : CourseCode.Parse((string)r[8]!) },
                CourseOutcomeKind.Visiting => course with { VisitingSchool = r[10] is "013301" ? SchoolCode.Parse("013301") : null },
                _ => course,
            };
            course.ShouldBe(expected, $"{kind} {code}");
            var name = kind + (course.Method is null && kind is CourseOutcomeKind.MakeupCourse or CourseOutcomeKind.Retake ? " without method" : string.Empty)
                + (kind is CourseOutcomeKind.Transfer or CourseOutcomeKind.Visiting && course.OriginalSchool is null && course.VisitingSchool is null ? " without school" : string.Empty);
            seen[name] = seen.GetValueOrDefault(name) + 1;

            // Only the kind's own row answers: a 補修 row is not a 重修 course, a regular row not a 補修 one.
            var otherKind = kind == CourseOutcomeKind.MakeupCourse ? CourseOutcomeKind.Retake : CourseOutcomeKind.MakeupCourse;
            (await directory.FindCourseAsync(student, otherKind, Term1, code, ct)).ShouldBeNull();

            // A transfer course is also found by the term and course it was first taken.
            if (kind == CourseOutcomeKind.Transfer && course.OriginalCourseCode is { } first)
            {
                (await directory.FindCourseAsync(student, kind, course.OriginalTerm!.Value, first, ct)).ShouldBe(course);
            }
        }

        // Every case happened in this SIS.
        seen.Keys.Order().ShouldBe(new[]
        {
            "MakeupCourse", "MakeupCourse without method", "Retake", "Retake without method", "RepeatYear", "Semester", "Transfer", "Transfer without school",
            "Visiting", "Visiting without school", "null credit",
        }.Order(), string.Join(", ", seen.Select(p => $"{p.Key}={p.Value}")));
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
