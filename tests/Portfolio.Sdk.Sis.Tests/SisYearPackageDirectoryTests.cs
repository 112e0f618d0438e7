using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.Records;
using Portfolio.Sdk.Sis.YearPackages;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Sis.Tests;

/// <summary>The standard directory of the per-year packages, over a real SIS database: every student and course the reader maps.</summary>
public sealed class SisYearPackageDirectoryTests
{
    private static readonly SchoolTerm Term1 = SchoolTerm.Parse("113-1");

    [Theory]
    [InlineData("sqlite")]
    [InlineData("postgresql")]
    public async Task Directory_ResolvesEveryMappedStudentAndGradedCourse_AndNothingElse(string provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var database = await TestSisDatabase.OpenAsync(provider);
        await DemoSis.GenerateAsync(database.DataSource, new DemoSisOptions { Students = 20, Term = Term1, Dialect = database.Dialect }, ct);
        var reader = new SisReader(database.DataSource, DemoSis.Profile(database.Dialect));
        var directory = await SisYearPackageDirectory.LoadAsync(reader, Term1.Year, ct);

        var students = new Dictionary<string, NationalId>(StringComparer.Ordinal);
        await foreach (var row in reader.ReadStudentsAsync(ct))
        {
            if (row.Record is { } s)
            {
                students[s.StudentNumber] = s.NationalId;
            }
        }

        students.ShouldNotBeEmpty();
        directory.Students.ShouldBe(students.Count);
        foreach (var (key, id) in students)
        {
            (await directory.FindNationalIdAsync(key, ct)).ShouldBe(id);
        }

        (await directory.FindNationalIdAsync("NO-SUCH-STUDENT", ct)).ShouldBeNull();

        var graded = 0;
        await foreach (var row in reader.ReadGradesAsync(Term1, ct))
        {
            if (row.Record is { Kind: GradeKind.Regular, SubjectName: { Length: > 0 } subject, GradeLevel: { } grade, Credits: { } credits } g)
            {
                var course = (await directory.FindCourseAsync(g.StudentNumber, Term1, g.CourseCode, ct)).ShouldNotBeNull();
                course.SubjectName.ShouldBe(subject);
                course.GradeLevel.ShouldBe(grade);
                course.Credits.ShouldBe(credits);
                (await directory.FindCourseAsync(g.StudentNumber, SchoolTerm.Parse("113-2"), g.CourseCode, ct)).ShouldBeNull();
                graded++;
            }
        }

        graded.ShouldBeGreaterThan(0);
        directory.Courses.ShouldBeGreaterThanOrEqualTo(graded / 2);
        (await directory.FindCourseAsync(students.Keys.First(), Term1, CourseCode.Parse("113060322H1110101990101"), ct)).ShouldBeNull();
    }
}
