using Portfolio.Sdk.Workflow;
using static Portfolio.Sdk.Workflow.PermissionScope;
using Op = Portfolio.Sdk.Workflow.PortfolioOperation;
using Role = Portfolio.Sdk.Workflow.PortfolioRole;

namespace Portfolio.Sdk.Tests.Workflow;

/// <summary>Every role against every operation, restated here from seed 001 chapter 4 independently of the code.</summary>
public sealed class PermissionMatrixTests
{
    private static readonly Dictionary<(Role, Op), PermissionScope> Seed001 = new()
    {
        [(Role.CourseOutcomeSubmitter, Op.ConfigureCourseOutcomes)] = School,       // 4-2.1 參數設定
        [(Role.CourseOutcomeSubmitter, Op.ViewCourseOutcomes)] = School,            // 4-2.2/3 填寫與認證狀況
        [(Role.CourseOutcomeSubmitter, Op.SubmitCourseOutcomeRoster)] = School,     // 4-2.4 提交檔案匯出
        [(Role.CourseOutcomeSubmitter, Op.AssignCertifyingTeacher)] = School,       // staff may change the certifier (4-7.3)
        [(Role.PerformanceSubmitter, Op.ConfigurePerformances)] = School,           // 4-3.1
        [(Role.PerformanceSubmitter, Op.ViewPerformances)] = School,                // 4-3.2
        [(Role.PerformanceSubmitter, Op.SubmitPerformanceRoster)] = School,         // 4-3.3
        [(Role.CadreSubmitter, Op.ImportCadres)] = School,                          // 4-4.1
        [(Role.CadreSubmitter, Op.ViewCadres)] = School,                            // 4-4.2
        [(Role.CadreSubmitter, Op.SubmitCadreRoster)] = School,                     // 4-4.3
        [(Role.PerformanceManager, Op.ImportPerformances)] = School,                // 4-5.1
        [(Role.CertificateManager, Op.ManageCertificateNames)] = School,            // 4-6.1
        [(Role.CourseTeacher, Op.CertifyCourseOutcome)] = OwnCourses,               // 4-7.1/2/4
        [(Role.CourseTeacher, Op.AssignCertifyingTeacher)] = OwnCourses,            // 4-7.3
        [(Role.CourseTeacher, Op.ViewCourseOutcomes)] = OwnCourses,
        [(Role.HomeroomTeacher, Op.ViewCourseOutcomes)] = OwnClasses,               // 4-8.1
        [(Role.HomeroomTeacher, Op.ViewPerformances)] = OwnClasses,                 // 4-8.2
        [(Role.CounselingTeacher, Op.RecordCounseling)] = School,                   // 4-9.1
        [(Role.Student, Op.EditOwnPortfolio)] = Self,                               // 4-10.1/2/3
        [(Role.Student, Op.SubmitForCertification)] = Self,
        [(Role.Student, Op.SelectItems)] = Self,
        [(Role.Student, Op.ViewCourseOutcomes)] = Self,
        [(Role.Student, Op.ViewPerformances)] = Self,
    };

    public static TheoryData<Role, Op> EveryRoleAndOperation()
    {
        var data = new TheoryData<Role, Op>();
        foreach (var role in Enum.GetValues<Role>())
        {
            foreach (var operation in Enum.GetValues<Op>())
            {
                data.Add(role, operation);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRoleAndOperation))]
    public void Matrix_MatchesSeed001(Role role, Op operation)
    {
        var expected = role == Role.SystemAdministrator
            ? (operation is Op.EditOwnPortfolio or Op.SubmitForCertification or Op.SelectItems ? None : School)   // 4-1: 最高權限, but a student's own acts stay the student's
            : Seed001.GetValueOrDefault((role, operation));

        PermissionMatrix.ScopeOf(role, operation).ShouldBe(expected);
    }

    [Fact]
    public void Scopes_AreCheckedAgainstTheTarget()
    {
        var homeroom = new PortfolioActor("t1", new HashSet<Role> { Role.HomeroomTeacher }) { Classes = new HashSet<string> { "101" } };
        var teacher = new PortfolioActor("t2", new HashSet<Role> { Role.CourseTeacher }) { Courses = new HashSet<string> { "113060322H1110101010101" } };
        var student = PortfolioActor.StudentOf("u1", "S000001");

        homeroom.Can(Op.ViewCourseOutcomes, new PortfolioTarget(ClassName: "101")).ShouldBeTrue();
        homeroom.Can(Op.ViewCourseOutcomes, new PortfolioTarget(ClassName: "102")).ShouldBeFalse();
        teacher.Can(Op.CertifyCourseOutcome, new PortfolioTarget(CourseCode: "113060322H1110101010101")).ShouldBeTrue();
        teacher.Can(Op.CertifyCourseOutcome, new PortfolioTarget(CourseCode: "113060322H1110101010102")).ShouldBeFalse();
        teacher.Can(Op.CertifyCourseOutcome, new PortfolioTarget(CourseCode: "other", ProxyTeacher: "t2")).ShouldBeTrue();
        student.Can(Op.SelectItems, new PortfolioTarget(StudentKey: "S000001")).ShouldBeTrue();
        student.Can(Op.SelectItems, new PortfolioTarget(StudentKey: "S000002")).ShouldBeFalse();
        student.Check(Op.SubmitCourseOutcomeRoster, new PortfolioTarget(StudentKey: "S000001"))!.Code.ShouldBe("PF3101");
    }
}
