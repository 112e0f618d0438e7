using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Sis.Profiles;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.Records;

namespace Portfolio.Sdk.Sis.Tests;

/// <summary>The demo SIS built in a real SQLite file, a real PostgreSQL schema and a real MariaDB database, read back through the profile.</summary>
public sealed class SisReaderIntegrationTests
{
    private static readonly SchoolTerm Term = SchoolTerm.Parse("113-1");

    public static TheoryData<string> Providers() => TestDatabase.Providers();

    private static Task<TestSisDatabase> OpenAsync(string provider) => TestSisDatabase.OpenAsync(provider);

    private static async Task<(TestSisDatabase Database, SisReader Reader, DemoSisCounts Counts)> DemoAsync(string provider, int students = 60)
    {
        var database = await OpenAsync(provider);
        var counts = await DemoSis.GenerateAsync(database.DataSource, new DemoSisOptions { Students = students, Term = Term, Dialect = database.Dialect }, TestContext.Current.CancellationToken);
        return (database, new SisReader(database.DataSource, DemoSis.Profile(database.Dialect)), counts);
    }

    private static async Task<List<SisRow<T>>> AllAsync<T>(IAsyncEnumerable<SisRow<T>> rows)
        where T : class
    {
        var list = new List<SisRow<T>>();
        await foreach (var row in rows.WithCancellation(TestContext.Current.CancellationToken))
        {
            list.Add(row);
        }

        return list;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Students_AreMapped_AndTheBadIdRowIsReportedWithItsSourceRow(string provider)
    {
        var (database, reader, counts) = await DemoAsync(provider);
        await using var _ = database;

        var rows = await AllAsync(reader.ReadStudentsAsync(TestContext.Current.CancellationToken));

        counts.Students.ShouldBe(60);
        rows.Count.ShouldBe(60);
        rows.Count(r => r.IsMapped).ShouldBe(59);
        var bad = rows.Single(r => !r.IsMapped);
        bad.SourceRow.ShouldBe(8);
        var diagnostic = bad.Diagnostics.Single();
        diagnostic.Code.ShouldBe(DiagnosticCodes.NationalIdCheckDigit);
        diagnostic.Location!.Column.ShouldBe("id_no");
        diagnostic.Location.Row.ShouldBe(8);
        var first = rows[0].Record!;
        first.StudentNumber.ShouldBe("S000000");
        first.Gender.ShouldBe("1");
        first.BirthDate.Year.ShouldBeGreaterThan(1990);
        first.ToString().ShouldNotContain(first.Name!);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Grades_StreamAllKinds_AndRowsWithNonNumericCreditsAreReported(string provider)
    {
        var (database, reader, counts) = await DemoAsync(provider);
        await using var _ = database;

        var rows = await AllAsync(reader.ReadGradesAsync(Term, TestContext.Current.CancellationToken));

        rows.Count.ShouldBe(664);
        var unmapped = rows.Where(r => !r.IsMapped).ToList();
        unmapped.Count.ShouldBe(20);
        unmapped.ShouldAllBe(r => r.Diagnostics.Single().Code == DiagnosticCodes.SisValueInvalid && r.Diagnostics.Single().Location!.Column == "credit");
        var grades = rows.Where(r => r.IsMapped).Select(r => r.Record!).ToList();
        grades.Select(g => g.Kind).Distinct().Order().ShouldBe([GradeKind.Regular, GradeKind.MakeupCourse, GradeKind.Transfer, GradeKind.Retake]);
        grades.ShouldAllBe(g => g.Term == Term);
        grades.Where(g => g.Kind == GradeKind.Retake).ShouldAllBe(g => g.OriginalCourseCode != null && g.OriginalTerm == new SchoolTerm(new SchoolYear(112), Portfolio.Sdk.Calendar.Term.First));
        grades.Where(g => g.MakeupExamScore == null).ShouldAllBe(g => g.MakeupExamPassed == "-1");
        grades.Where(g => g.CourseCode.IsGroupActivityOrFlexibleLearning && g.CourseCode.SubjectAttribute == "D").ShouldAllBe(g => g.CreditCounting == "3");
        grades.Single(g => g.StudentNumber == "S000013" && g.SubjectName == "國語文").Score.ShouldBe(0m);
        grades.ShouldContain(g => g.Score != null && g.Score != decimal.Truncate(g.Score.Value));    // tenths survive the database (MySQL's bare NUMERIC rounds them away)
        grades.Where(g => g.Score != null).Select(g => g.Score!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)).ShouldAllBe(t => !t.EndsWith(".0", StringComparison.Ordinal)); // 66, not DECIMAL(5,1)'s 66.0
        counts.Scores.ShouldBeGreaterThan(rows.Count);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task TermsChangesCoursesAndCadres_AreMapped(string provider)
    {
        var (database, reader, _) = await DemoAsync(provider);
        await using var __ = database;
        var token = TestContext.Current.CancellationToken;

        var terms = await AllAsync(reader.ReadStudentTermsAsync(Term, token));
        var changes = await AllAsync(reader.ReadEnrollmentChangesAsync(token));
        var courses = await AllAsync(reader.ReadCoursesAsync(Term, token));
        var cadres = await AllAsync(reader.ReadCadresAsync(Term, token));

        terms.Count.ShouldBe(60);
        terms.ShouldAllBe(r => r.IsMapped && r.Record!.GradeLevel >= 1 && r.Record.GradeLevel <= 3);
        var change = changes.Single().Record!;
        (change.ChangeCode, change.StudentType).ShouldBe(("111", "1"));
        courses.Count.ShouldBe(33);
        courses.Count(c => !c.IsMapped).ShouldBe(1);
        cadres.Count.ShouldBe(9);
        cadres.ShouldAllBe(c => c.IsMapped && c.Record!.StartDate < c.Record.EndDate);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task PagedQueries_RunAndKeepTheQuerysOwnOrder(string provider)
    {
        var (database, _, _) = await DemoAsync(provider);
        await using var __ = database;
        var profile = DemoSis.Profile(database.Dialect);

        async Task<List<string>> KeysAsync(SisQuery query)
        {
            var keys = new List<string>();
            await using var command = database.DataSource.CreateCommand(query.CommandText);
            foreach (var (name, value) in query.Parameters)
            {
                var parameter = command.CreateParameter();
                parameter.ParameterName = name;
                parameter.Value = value;
                command.Parameters.Add(parameter);
            }

            await using var reader = await command.ExecuteReaderAsync(TestContext.Current.CancellationToken);
            while (await reader.ReadAsync(TestContext.Current.CancellationToken))
            {
                keys.Add($"{reader.GetValue(reader.GetOrdinal("stud_no"))}|{reader.GetValue(reader.GetOrdinal("course_code"))}");
            }

            return keys;
        }

        var all = await KeysAsync(SisQuery.Build(profile, SisRecordKind.Grades, Term));
        var page = await KeysAsync(SisQuery.Build(profile, SisRecordKind.Grades, Term, page: (100, 25)));

        page.ShouldBe(all.Skip(100).Take(25));   // the query's ORDER BY stud_no, course_code, not the first column alone
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Reading_IsCancellableMidStream(string provider)
    {
        var (database, reader, _) = await DemoAsync(provider);
        await using var _ = database;
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var seen = 0;

        await Should.ThrowAsync<OperationCanceledException>(async () =>
        {
            await foreach (var row in reader.ReadGradesAsync(Term, cancellation.Token))
            {
                if (++seen == 10)
                {
                    await cancellation.CancelAsync();
                }
            }
        });

        seen.ShouldBe(10);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Values_WithQuotesAndSql_AreBoundNotExecuted(string provider)
    {
        await using var database = await OpenAsync(provider);
        await DemoSis.CreateSchemaAsync(database.DataSource, database.Dialect, TestContext.Current.CancellationToken);
        await using (var connection = await database.DataSource.OpenConnectionAsync(TestContext.Current.CancellationToken))
        await using (var insert = connection.CreateCommand())
        {
            insert.CommandText = "INSERT INTO stud_base (stud_no, id_no, stud_name, birthday) VALUES ('S1', 'A123456789', 'O''Brien''); DROP TABLE stud_base; --', '0970513')";
            await insert.ExecuteNonQueryAsync(TestContext.Current.CancellationToken);
        }

        var rows = await AllAsync(new SisReader(database.DataSource, DemoSis.Profile(database.Dialect)).ReadStudentsAsync(TestContext.Current.CancellationToken));

        rows.Single().Record!.Name.ShouldBe("O'Brien'); DROP TABLE stud_base; --");
        rows.Single().Record!.BirthDate.ShouldBe(new DateOnly(2008, 5, 13));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task MissingTable_IsAPortfolioExceptionNamingTheRecordKind(string provider)
    {
        await using var database = await OpenAsync(provider);
        var profile = new SisProfileBuilder("broken", database.Dialect)
            .MapTable(SisRecordKind.EnrollmentChanges, "no_such_table", new Dictionary<string, string> { ["studentNumber"] = "a", ["changeCode"] = "b" })
            .Build().Value!;

        var ex = await Should.ThrowAsync<PortfolioException>(async () =>
            await AllAsync(new SisReader(database.DataSource, profile).ReadEnrollmentChangesAsync(TestContext.Current.CancellationToken)));

        ex.Diagnostic!.Code.ShouldBe(DiagnosticCodes.SisReadFailed);
        ex.Diagnostic.Location!.Source.ShouldBe("sis:enrollmentChanges");
    }
}
