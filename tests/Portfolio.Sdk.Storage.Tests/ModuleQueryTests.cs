using FsCheck;
using FsCheck.Fluent;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;
using static Portfolio.Sdk.Storage.Tests.ModuleFixture;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>The views schools run on: scoped by the permission matrix, and statistics equal to a brute-force count.</summary>
public sealed class ModuleQueryTests
{
    private static readonly string[] Classes = ["101", "102", "201"];

    private static readonly string[] Teachers = ["t-a", "t-b", "t-c"];

    public static TheoryData<string> Providers() => ["sqlite", "postgres"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Views_AreScopedByThePermissionMatrix(string provider)
    {
        await using var f = await OpenAsync(provider);
        var m = f.Module;
        var mine = await f.CertifiedOutcomeAsync();
        var other = PortfolioActor.StudentOf("u-s2", "S000002");
        var theirs = (await m.UploadCourseOutcomeAsync(other, Outcome("S000002") with { ClassName = "102" }, Token)).Value!;
        var theirsSent = (await m.SendForCertificationAsync(other, theirs.Id, theirs.Version, Token)).Value!;
        (await m.SelectCourseOutcomeAsync(Student, mine.Id, mine.Version, Year, Token)).Succeeded.ShouldBeTrue();
        (await m.UploadPerformanceAsync(CadreStaff, Performance(proof: false) with { Category = "performance-cadre", IsSchoolEntered = true }, Token)).Succeeded.ShouldBeTrue();
        (await m.UploadPerformanceAsync(CadreStaff, Performance(proof: false) with { Category = "performance-cadre", IsSchoolEntered = true }, Token)).Succeeded.ShouldBeTrue();

        // A student sees their own items only.
        (await ToListAsync(m.ListCourseOutcomesAsync(Student, StudentKey, Year, cancellationToken: Token))).Select(o => o.Id).ShouldBe([mine.Id]);
        (await ToListAsync(m.ListCourseOutcomesAsync(Student, "S000002", Year, cancellationToken: Token))).ShouldBeEmpty();
        (await ToListAsync(m.ListCourseOutcomesAsync(other, "S000002", Year, CertificationState.Pending, Token))).Select(o => o.Id).ShouldBe([theirs.Id]);
        (await ToListAsync(m.ListCourseOutcomesAsync(other, "S000002", Year, CertificationState.Certified, Token))).ShouldBeEmpty();
        (await ToListAsync(m.ListPerformancesAsync(Student, StudentKey, Year, Token))).Count.ShouldBe(2);

        // A 導師 sees their own class, and is refused another's.
        var homeroom = new PortfolioActor("t-home", new HashSet<PortfolioRole> { PortfolioRole.HomeroomTeacher }) { Classes = new HashSet<string> { "101" } };
        (await ToListAsync(m.ListCourseOutcomesAsync(homeroom, StudentKey, Year, cancellationToken: Token))).Count.ShouldBe(1);
        (await ToListAsync(m.ListCourseOutcomesAsync(homeroom, "S000002", Year, cancellationToken: Token))).ShouldBeEmpty();
        var status = (await m.GetClassStatusAsync(homeroom, Year, "101", Token)).Value!;
        status.Single().ShouldBe(new StudentStatus(StudentKey, "101", 1, 1, 1, 0, 1, 0, 0));
        status.Single().ToString().ShouldNotContain(StudentKey);
        (await m.GetClassStatusAsync(homeroom, Year, "102", Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        (await m.GetSchoolStatisticsAsync(homeroom, Year, Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        (await m.GetClassStatusAsync(Student, Year, "101", Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);

        // The teacher's 待認證 queue: assigned or proxy only.
        (await ToListAsync(m.ListPendingCertificationsAsync(MathTeacher, Token))).Select(o => o.Id).ShouldBe([theirsSent.Id]);
        (await ToListAsync(m.ListPendingCertificationsAsync(OtherTeacher, Token))).ShouldBeEmpty();
        var proxied = (await m.AssignProxyAsync(MathTeacher with { Courses = new HashSet<string> { MathCourse.Value } }, theirsSent.Id, theirsSent.Version, "t-other", Token)).Value!;
        (await ToListAsync(m.ListPendingCertificationsAsync(OtherTeacher, Token))).Select(o => o.Id).ShouldBe([proxied.Id]);

        // Staff: who selected nothing yet; cadre counts.
        var nothing = (await m.ListStudentsWithNothingSelectedAsync(CourseStaff, Year, cancellationToken: Token)).Value!;
        nothing.Select(s => s.StudentKey).ShouldBe(["S000002"]);
        (await m.ListStudentsWithNothingSelectedAsync(homeroom, Year, "101", Token)).Value!.ShouldBeEmpty();
        (await m.GetCadreCountsAsync(CadreStaff, Year, cancellationToken: Token)).Value!.ShouldBe([new CadreCount(StudentKey, "101", 2)]);
        (await m.GetCadreCountsAsync(homeroom, Year, "101", Token)).Value!.Single().Cadres.ShouldBe(2);
        (await m.GetCadreCountsAsync(homeroom, Year, "102", Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
    }

    /// <summary>One generated student: class, credited or not, course outcomes and 多元表現.</summary>
    public sealed record GeneratedStudent(int Class, bool Credited, (int Year, int State, bool Selected, int Teacher)[] Outcomes, (int Year, bool SchoolEntered, int SelectedFor)[] Performances);

    private static Gen<GeneratedStudent[]> Students()
    {
        var outcome = from year in Gen.Elements(112, 113, 113)
                      from state in Gen.Choose(0, 3)
                      from selected in Gen.Elements(true, false)
                      from teacher in Gen.Choose(0, Teachers.Length - 1)
                      select (year, state, selected && state == (int)CertificationState.Certified, teacher);
        var performance = from year in Gen.Elements(112, 113, 113)
                          from schoolEntered in Gen.Elements(false, false, true)
                          from selectedFor in Gen.Elements(0, 112, 113, 113)
                          select (year, schoolEntered, schoolEntered ? 0 : selectedFor);
        var student = from @class in Gen.Choose(0, Classes.Length - 1)
                      from credited in Gen.Elements(true, false)
                      from outcomeCount in Gen.Choose(0, 4)
                      from outcomes in Gen.ArrayOf(outcome, outcomeCount)
                      from performanceCount in Gen.Choose(0, 3)
                      from performances in Gen.ArrayOf(performance, performanceCount)
                      select new GeneratedStudent(@class, credited, outcomes, performances);
        return from count in Gen.Choose(1, 10)
               from students in Gen.ArrayOf(student, count)
               select students;
    }

    [Fact]
    public void SchoolStatistics_EqualABruteForceCount_OverRandomData_Sqlite() =>
        Prop.ForAll(Students().ToArbitrary(), students => StatisticsMatch("sqlite", students)).Check(Config.QuickThrowOnFailure.WithMaxTest(25));

    [Fact]
    public void SchoolStatistics_EqualABruteForceCount_OverRandomData_Postgres()
    {
        Portfolio.Sdk.Testing.TestDatabase.PostgresConnectionStringOrSkip();
        Prop.ForAll(Students().ToArbitrary(), students => StatisticsMatch("postgres", students)).Check(Config.QuickThrowOnFailure.WithMaxTest(8));
    }

    // A property runs synchronously; each case gets a database of its own.
    private static bool StatisticsMatch(string provider, GeneratedStudent[] students) =>
        Task.Run(() => StatisticsMatchAsync(provider, students)).GetAwaiter().GetResult();

    private static async Task<bool> StatisticsMatchAsync(string provider, GeneratedStudent[] students)
    {
        await using var f = await OpenAsync(provider);
        for (var i = 0; i < students.Length; i++)
        {
            var s = students[i];
            var key = $"S{i:000000}";
            var @class = Classes[s.Class];
            if (s.Credited)
            {
                await f.Store.RecordCreditedCoursesAsync(key, @class, Term1, [MathCourse]);
            }

            foreach (var (year, state, selected, teacher) in s.Outcomes)
            {
                await f.Store.AddAsync(new CourseOutcome
                {
                    Id = Guid.NewGuid(), StudentKey = key, ClassName = @class, Term = new SchoolTerm(new SchoolYear(year), Term.First), CourseCode = MathCourse,
                    Summary = "s", CertifyingTeacher = Teachers[teacher], State = (CertificationState)state, SelectedFor = selected ? new SchoolYear(year) : null,
                }, CourseStaff);
            }

            foreach (var (year, schoolEntered, selectedFor) in s.Performances)
            {
                await f.Store.AddAsync(new PerformanceItem
                {
                    Id = Guid.NewGuid(), StudentKey = key, ClassName = @class, Category = "performance-competition", Date = new DateOnly(year + 1911, 10, 1),
                    IsSchoolEntered = schoolEntered, SelectedFor = selectedFor == 0 ? null : new SchoolYear(selectedFor),
                }, ImportStaff);
            }
        }

        var actual = (await f.Module.GetSchoolStatisticsAsync(CourseStaff, Year)).Value!;
        var expected = BruteForce(students);
        return actual.Grades.SequenceEqual(expected.Grades) && actual.Classes.SequenceEqual(expected.Classes) && actual.Teachers.SequenceEqual(expected.Teachers);
    }

    // Straight from the definitions, one student and one item at a time, for school year 113.
    private static SchoolStatistics BruteForce(GeneratedStudent[] students)
    {
        var present = students.Select((s, i) => (Student: s, Index: i))
            .Where(x => x.Student.Credited || x.Student.Outcomes.Any(o => o.Year == 113) || x.Student.Performances.Any(p => !p.SchoolEntered && (p.Year == 113 || p.SelectedFor == 113)))
            .ToList();
        PortfolioStatistics Row(StatisticsGroup group, string key, IEnumerable<GeneratedStudent> members)
        {
            var list = members.ToList();
            var outcomes = list.SelectMany(s => s.Outcomes.Where(o => o.Year == 113)).ToList();
            return new PortfolioStatistics(group, key, list.Count,
                list.Count(s => s.Outcomes.Any(o => o.Year == 113)),
                list.Count(s => s.Outcomes.Any(o => o.Year == 113 && o.Selected) || s.Performances.Any(p => p.SelectedFor == 113)),
                outcomes.Count, outcomes.Count(o => o.State != 0), outcomes.Count(o => o.State == (int)CertificationState.Certified), outcomes.Count(o => o.Selected));
        }

        var classes = present.GroupBy(x => Classes[x.Student.Class]).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Row(StatisticsGroup.Class, g.Key, g.Select(x => x.Student))).ToList();
        var grades = present.GroupBy(x => Classes[x.Student.Class][..1]).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => Row(StatisticsGroup.Grade, g.Key, g.Select(x => x.Student))).ToList();
        var teachers = new List<PortfolioStatistics>();
        foreach (var (teacher, t) in Teachers.Select((t, i) => (t, i)).OrderBy(x => x.t, StringComparer.Ordinal))
        {
            var mine = students.Select((s, i) => (Outcomes: s.Outcomes.Where(o => o.Year == 113 && o.Teacher == t).ToList(), Index: i)).Where(x => x.Outcomes.Count > 0).ToList();
            if (mine.Count > 0)
            {
                var all = mine.SelectMany(x => x.Outcomes).ToList();
                teachers.Add(new PortfolioStatistics(StatisticsGroup.Teacher, teacher, mine.Count, mine.Count, mine.Count(x => x.Outcomes.Any(o => o.Selected)),
                    all.Count, all.Count(o => o.State != 0), all.Count(o => o.State == (int)CertificationState.Certified), all.Count(o => o.Selected)));
            }
        }

        return new SchoolStatistics(Year, grades, classes, teachers);
    }
}
