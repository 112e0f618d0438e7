using Portfolio.Sdk.Admission;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;
using static Portfolio.Sdk.Storage.Tests.ModuleFixture;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>
/// <see cref="PortfolioModule.AssessAdmissionAsync"/> on SQLite and PostgreSQL: it reads exactly the student's submitted
/// items (selected and locked), never another student's or an unsubmitted one, and only for the student, their 導師
/// and administrators.
/// </summary>
public sealed class ModuleAdmissionTests
{
    public static TheoryData<string> Providers() => ["sqlite", "postgres"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly PortfolioActor Administrator = new("admin", new HashSet<PortfolioRole> { PortfolioRole.SystemAdministrator });

    private static CourseCode Course(string attribute, int cohort = 111) => CourseCode.Parse($"{cohort}060322V21301010{attribute}0101");

    // Uploads, certifies, credits, selects for the course's own year and (when submitted) locks a course outcome.
    private static async Task<CourseOutcome> OutcomeAsync(PortfolioModule m, string attribute, string term, bool submitted = true, bool selected = true, string student = StudentKey)
    {
        var actor = StudentActor(student);
        var uploaded = await m.UploadCourseOutcomeAsync(actor, Outcome(student, Course(attribute), SchoolTerm.Parse(term)), Token);
        uploaded.Succeeded.ShouldBeTrue(uploaded.ToString());
        var sent = await m.SendForCertificationAsync(actor, uploaded.Value!.Id, uploaded.Value.Version, Token);
        var certified = (await m.CertifyAsync(MathTeacher, sent.Value!.Id, sent.Value.Version, Token)).Value!;
        await m.Store.RecordCreditedCoursesAsync(student, "101", certified.Term, [certified.CourseCode], Token);
        if (!selected)
        {
            return certified;
        }

        var picked = await m.SelectCourseOutcomeAsync(StudentActor(student), certified.Id, certified.Version, certified.Term.Year, Token);
        picked.Succeeded.ShouldBeTrue(picked.ToString());
        if (!submitted)
        {
            return picked.Value!;
        }

        var locked = await m.LockCourseOutcomeAsync(CourseStaff, picked.Value!.Id, picked.Value.Version, Token);
        locked.Succeeded.ShouldBeTrue(locked.ToString());
        return locked.Value!;
    }

    private static async Task<PerformanceItem> PerformanceAsync(PortfolioModule m, string category, DateOnly date, int year, bool submitted = true, string student = StudentKey)
    {
        var uploaded = await m.UploadPerformanceAsync(StudentActor(student), Performance(student, date) with { Category = category }, Token);
        uploaded.Succeeded.ShouldBeTrue(uploaded.ToString());
        var picked = await m.SelectPerformanceAsync(StudentActor(student), uploaded.Value!.Id, uploaded.Value.Version, new SchoolYear(year), new SchoolYear(111), Token);
        picked.Succeeded.ShouldBeTrue(picked.ToString());
        if (!submitted)
        {
            return picked.Value!;
        }

        var locked = await m.LockPerformanceAsync(PerformanceStaff, picked.Value!.Id, picked.Value.Version, Token);
        locked.Succeeded.ShouldBeTrue(locked.ToString());
        return locked.Value!;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ReadsTheSubmittedItemsOnly_AndPlacesEachUnderItsCodes(string provider)
    {
        await using var f = await OpenAsync(provider);
        await SubmittedItemsScenarioAsync(f.Module);
    }

    [Fact]
    public async Task ReadsTheSubmittedItemsOnly_OnMariaDb()
    {
        var (module, _, cleanup) = await ModuleMariaDbTests.OpenAsync(PortfolioPolicy.Default);
        try
        {
            await SubmittedItemsScenarioAsync(module);
        }
        finally
        {
            await cleanup();
        }
    }

    private static async Task SubmittedItemsScenarioAsync(PortfolioModule m)
    {
        var practicum111 = await OutcomeAsync(m, "3", "111-1");
        var practicum112 = await OutcomeAsync(m, "3", "112-1");
        var general112 = await OutcomeAsync(m, "1", "112-2");
        await OutcomeAsync(m, "3", "112-1", submitted: false);                    // selected, not yet submitted
        await OutcomeAsync(m, "2", "112-1", selected: false);                     // certified only
        var competition = await PerformanceAsync(m, "performance-competition", new DateOnly(2023, 3, 1), 111);
        var precollege = await PerformanceAsync(m, "performance-precollege", new DateOnly(2023, 10, 1), 112);
        await PerformanceAsync(m, "performance-service", new DateOnly(2023, 11, 1), 112, submitted: false);
        (await m.UploadPerformanceAsync(CadreStaff, Performance(proof: false) with { Category = "performance-cadre", IsSchoolEntered = true }, Token)).Succeeded.ShouldBeTrue();
        await OutcomeAsync(m, "3", "112-1", student: "S000002");                 // another student's

        var result = await m.AssessAdmissionAsync(Student, StudentKey, new SchoolYear(113), cancellationToken: Token);

        result.Succeeded.ShouldBeTrue(result.ToString());
        var assessment = result.Value!;
        assessment.Items.Select(p => p.Item.Id).ShouldBe([practicum111.Id, practicum112.Id, general112.Id, competition.Id, precollege.Id], ignoreOrder: true);
        var vocational = assessment[AdmissionRoute.VocationalSelection];
        vocational.Codes.Single(c => c.Code.Code == "B-1").Items.ShouldBe([practicum111.Id, practicum112.Id], ignoreOrder: true);
        vocational.Codes.Single(c => c.Code.Code == "B-2").Items.ShouldBe([general112.Id]);
        vocational.Codes.Single(c => c.Code.Code == "C-5").Items.ShouldBe([competition.Id]);
        vocational.Unplaced.ShouldHaveSingleItem().Item.Id.ShouldBe(precollege.Id);
        vocational.MostItems.ShouldBe(4);
        var university = assessment[AdmissionRoute.UniversityApplication];
        university.Caps.Select(c => (c.Cap.Id, c.Available, c.Cap.Max)).ShouldBe([("course-outcomes", 3, 3), ("performances", 2, 10)]);
        university.Unplaced.ShouldBeEmpty();

        // For 112, the items submitted for 112 are not in that year's data; B-1 still counts 6.
        var earlier = (await m.AssessAdmissionAsync(Administrator, StudentKey, new SchoolYear(112), cancellationToken: Token)).Value!;
        earlier[AdmissionRoute.VocationalSelection].Unplaced.Count(u => u.Reason.Code == DiagnosticCodes.AdmissionItemAfterYear).ShouldBe(3);
        earlier[AdmissionRoute.VocationalSelection].Caps.Single(c => c.Cap.Id == "B-1").Cap.Max.ShouldBe(6);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task OnlyTheStudent_TheirHomeroomTeacher_AndAdministrators_MayAsk(string provider)
    {
        await using var f = await OpenAsync(provider);
        await OutcomeAsync(f.Module, "3", "112-1");
        var year = new SchoolYear(113);
        var homeroom = new PortfolioActor("t-home", new HashSet<PortfolioRole> { PortfolioRole.HomeroomTeacher }) { Classes = new HashSet<string> { "101" } };
        var otherHomeroom = homeroom with { Classes = new HashSet<string> { "102" } };

        foreach (var allowed in new[] { Student, homeroom, Administrator })
        {
            var result = await f.Module.AssessAdmissionAsync(allowed, StudentKey, year, cancellationToken: Token);
            result.Succeeded.ShouldBeTrue(result.ToString());
            result.Value!.Items.Count.ShouldBe(1);
        }

        foreach (var refused in new[] { OtherStudent, otherHomeroom, MathTeacher, CourseStaff, PerformanceStaff })
        {
            var result = await f.Module.AssessAdmissionAsync(refused, StudentKey, year, cancellationToken: Token);
            result.Succeeded.ShouldBeFalse();
            result.Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
            result.Problem.Message.ShouldNotContain(StudentKey);
        }

        // With nothing submitted, the 導師 is found through the credited courses.
        await f.Store.RecordCreditedCoursesAsync("S000003", "101", SchoolTerm.Parse("112-1"), [Course("1")], Token);
        var empty = await f.Module.AssessAdmissionAsync(homeroom, "S000003", year, cancellationToken: Token);
        empty.Succeeded.ShouldBeTrue(empty.ToString());
        empty.Value!.Items.ShouldBeEmpty();
        (await f.Module.AssessAdmissionAsync(otherHomeroom, "S000003", year, cancellationToken: Token)).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
    }
}
