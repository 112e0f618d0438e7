using System.Security.Claims;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Sdk.Workflow;
using SchoolPortal;

namespace Portfolio.Sdk.Browser.Tests;

/// <summary>The portal's parts without a browser: the actor mapping, the browser rule, and a second start on the same data.</summary>
[Collection(SharedPortal.Name)]
public sealed class PortalUnitTests(PortalFixture portal)
{
    private readonly DemoActorResolver _resolver = new();

    [Fact]
    public async Task Resolver_Anonymous_IsNoActor()
    {
        (await _resolver.ResolveAsync(new ClaimsPrincipal(new ClaimsIdentity()), TestContext.Current.CancellationToken)).ShouldBeNull();
    }

    [Fact]
    public async Task Resolver_Student_IsTheStudentOnTheirOwnKey()
    {
        var student = portal.School.Students.Values.First();
        var actor = await _resolver.ResolveAsync(Principal(DemoActorResolver.ClaimsOf(student)), TestContext.Current.CancellationToken);
        actor.ShouldNotBeNull();
        actor.Roles.ShouldBe([PortfolioRole.Student]);
        actor.StudentKey.ShouldBe(student.StudentNumber);
        actor.Can(PortfolioOperation.SelectItems, new PortfolioTarget(student.StudentNumber)).ShouldBeTrue();
        actor.Can(PortfolioOperation.SelectItems, new PortfolioTarget("someone-else")).ShouldBeFalse();
    }

    [Fact]
    public async Task Resolver_Staff_CarryTheirClassesAndCourses()
    {
        var homeroom = portal.School.Staff.Values.First(s => s.Role == PortfolioRole.HomeroomTeacher);
        var teacher = portal.School.Staff.Values.First(s => s.Role == PortfolioRole.CourseTeacher);
        var h = await _resolver.ResolveAsync(Principal(DemoActorResolver.ClaimsOf(homeroom)), TestContext.Current.CancellationToken);
        h.ShouldNotBeNull().Classes.ShouldBe(homeroom.Classes, ignoreOrder: true);
        h.Can(PortfolioOperation.ViewCourseOutcomes, new PortfolioTarget(ClassName: homeroom.Classes[0])).ShouldBeTrue();
        h.Can(PortfolioOperation.ViewCourseOutcomes, new PortfolioTarget(ClassName: "999")).ShouldBeFalse();
        var t = await _resolver.ResolveAsync(Principal(DemoActorResolver.ClaimsOf(teacher)), TestContext.Current.CancellationToken);
        t.ShouldNotBeNull().Courses.ShouldBe(teacher.Courses, ignoreOrder: true);
        t.Roles.ShouldBe([PortfolioRole.CourseTeacher]);
        t.StudentKey.ShouldBeNull();
    }

    [Theory]
    [InlineData("Janitor")]          // not a portfolio role
    [InlineData("99")]               // a number outside the enum
    [InlineData("Student")]          // a student without a student key
    public async Task Resolver_UnknownRoleOrStudentWithoutKey_IsNoActor(string role)
    {
        var principal = Principal([new Claim(ClaimTypes.NameIdentifier, "u-1"), new Claim(ClaimTypes.Role, role)]);
        (await _resolver.ResolveAsync(principal, TestContext.Current.CancellationToken)).ShouldBeNull();
    }

    [Fact]
    public void Resolver_AnyClaims_NeverThrows_AndAnActorAlwaysHasAKnownRole()
    {
        string[] types = [ClaimTypes.NameIdentifier, ClaimTypes.Role, DemoActorResolver.StudentClaim, DemoActorResolver.ClassClaim, DemoActorResolver.CourseClaim, ClaimTypes.Name, "other"];
        var values = Gen.OneOf(
            Gen.Elements(Enum.GetNames<PortfolioRole>()),
            Gen.Elements("0", "11", "-1", "student", "SystemAdministrator,Student", " Student", ""),
            ArbMap.Default.ArbFor<NonNull<string>>().Generator.Select(s => s.Get));
        var claim = Gen.Elements(types).SelectMany(type => values.Select(value => new Claim(type, value)));
        Prop.ForAll(Gen.ListOf(claim).ToArbitrary(), claims =>
        {
            var actor = _resolver.ResolveAsync(Principal(claims), CancellationToken.None).AsTask().GetAwaiter().GetResult();
            return actor is null || (actor.Roles.Count > 0 && actor.Roles.All(Enum.IsDefined) && actor.UserId.Length > 0
                && (!actor.Roles.Contains(PortfolioRole.Student) || !string.IsNullOrEmpty(actor.StudentKey)));
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));
    }

    [Fact]
    public void BrowserRule_MissingInCi_Fails_ElsewhereSkips_PresentRuns()
    {
        Should.Throw<Xunit.Sdk.FailException>(() => BrowserRequirement.Require(isInstalled: false, ci: "true")).Message.ShouldContain("apt-get install -y chromium");
        Should.Throw<Exception>(() => BrowserRequirement.Require(isInstalled: false, ci: null)).Message.ShouldContain(BrowserRequirement.Missing);
        Should.NotThrow(() => BrowserRequirement.Require(isInstalled: true, ci: "true"));
    }

    [Fact]
    public async Task SecondStart_OnTheSameData_SeedsNothingAgain()
    {
        var sis = Path.Combine(portal.DataFolder, "demo-sis.db");
        var written = File.GetLastWriteTimeUtc(sis);
        var receipts = portal.Services.GetRequiredService<PortalReceipts>();
        var before = await receipts.Ledger.ListAsync(cancellationToken: TestContext.Current.CancellationToken);

        await using var again = await PortalApp.CreateAsync(["--urls", "http://127.0.0.1:0", "--data", portal.DataFolder, "--students", "30"], cancellationToken: TestContext.Current.CancellationToken);

        var school = again.Services.GetRequiredService<PortalSchool>().School;
        school.Term.ShouldBe(portal.School.Term);
        school.Students.Keys.ShouldBe(portal.School.Students.Keys, ignoreOrder: true);
        File.GetLastWriteTimeUtc(sis).ShouldBe(written);                   // the demo SIS was not rebuilt
        var after = await again.Services.GetRequiredService<PortalReceipts>().Ledger.ListAsync(cancellationToken: TestContext.Current.CancellationToken);
        after.Select(r => r.IdempotencyKey).ShouldBe(before.Select(r => r.IdempotencyKey), ignoreOrder: true);
        after.Count.ShouldBe(2);                                            // 學生資料 and 學生成績, once each
        school.Account.Balances.ShouldBeTrue();
        school.Account.Counts.Values.Sum(c => c.LeftOut).ShouldBeGreaterThan(0);                     // the demo SIS's dirty rows
        school.Account.Diagnostics.Count.ShouldBeGreaterThanOrEqualTo(school.Account.Counts.Values.Sum(c => c.LeftOut));   // each with its own diagnostic
    }

    [Fact]
    public void SisAccount_ARowLeftOutWithoutADiagnostic_IsRefused()
    {
        var account = new SisReadAccount();
        account.Read("students");
        Should.Throw<ArgumentException>(() => account.LeftOut("students", []));
        account.Balances.ShouldBeFalse();
        account.LeftOut("students", [Portfolio.Sdk.Diagnostics.DiagnosticCatalog.Create(Portfolio.Sdk.Diagnostics.DiagnosticCodes.PortalStudentWithoutClass, null, "S*****1", "115-1")]);
        account.Balances.ShouldBeTrue();
        account.Diagnostics.Single().Message.ShouldContain("S*****1");
    }

    private static ClaimsPrincipal Principal(IEnumerable<Claim> claims) =>
        new(new ClaimsIdentity(claims, "demo", ClaimTypes.Name, ClaimTypes.Role));
}
