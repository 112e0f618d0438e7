using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Tests.Workflow;

public sealed class CourseOutcomeWorkflowTests
{
    private static readonly PortfolioActor Student = PortfolioActor.StudentOf("u-student", "S000001");
    private static readonly PortfolioActor OtherStudent = PortfolioActor.StudentOf("u-other", "S000002");
    private static readonly PortfolioActor Teacher = new("t-math", new HashSet<PortfolioRole> { PortfolioRole.CourseTeacher }) { Courses = new HashSet<string> { "113060322H1110101010101" } };
    private static readonly PortfolioActor OtherTeacher = new("t-other", new HashSet<PortfolioRole> { PortfolioRole.CourseTeacher }) { Courses = new HashSet<string> { "113060322H1110101010101" } };
    private static readonly PortfolioActor Proxy = new("t-proxy", new HashSet<PortfolioRole> { PortfolioRole.CourseTeacher });
    private static readonly PortfolioActor Staff = new("s-office", new HashSet<PortfolioRole> { PortfolioRole.CourseOutcomeSubmitter });
    private static readonly PortfolioActor Admin = new("admin", new HashSet<PortfolioRole> { PortfolioRole.SystemAdministrator });
    private static readonly SchoolYear Year = new(113);

    private static CourseOutcome Draft() => new()
    {
        Id = Guid.NewGuid(),
        StudentKey = "S000001",
        ClassName = "101",
        Term = SchoolTerm.Parse("113-1"),
        CourseCode = CourseCode.Parse("113060322H1110101010101"),
        Summary = "函數圖形的探究報告，我負責資料蒐集與結論。",
        CertifyingTeacher = "t-math",
    };

    private static CourseOutcome Ok(WorkflowResult<CourseOutcome> result)
    {
        result.Problem.ShouldBeNull();
        return result.Value!;
    }

    private static void Refused(WorkflowResult<CourseOutcome> result, string code)
    {
        result.Succeeded.ShouldBeFalse();
        result.Value.ShouldBeNull();
        result.Problem!.Code.ShouldBe(code);
    }

    private static CourseOutcome Certified()
    {
        var pending = Ok(CourseOutcomeWorkflow.SubmitForCertification(Draft(), Student, 1));
        return Ok(CourseOutcomeWorkflow.Certify(pending, Teacher, pending.Version));
    }

    [Fact]
    public void Lifecycle_SendRejectEditResendCertifySelectLockUnlock()
    {
        var draft = Draft();
        var pending = Ok(CourseOutcomeWorkflow.SubmitForCertification(draft, Student, draft.Version));
        var rejected = Ok(CourseOutcomeWorkflow.Reject(pending, Teacher, pending.Version, "請附上完整報告檔"));
        var edited = Ok(CourseOutcomeWorkflow.Edit(rejected, Student, rejected.Version, "修正後的簡述", ["abc"]));
        var resent = Ok(CourseOutcomeWorkflow.SubmitForCertification(edited, Student, edited.Version));
        var certified = Ok(CourseOutcomeWorkflow.Certify(resent, Teacher, resent.Version));
        var selected = Ok(CourseOutcomeWorkflow.Select(certified, Student, certified.Version, Year, 0, new SelectionCaps()));
        var locked = Ok(CourseOutcomeWorkflow.LockForSubmission(selected, Staff, selected.Version));
        var unlocked = Ok(CourseOutcomeWorkflow.UnlockForCorrection(locked, Staff, locked.Version, "收訖異議 113-001"));

        (pending.State, rejected.State, rejected.CertificationNote).ShouldBe((CertificationState.Pending, CertificationState.Rejected, "請附上完整報告檔"));
        (edited.State, edited.Summary).ShouldBe((CertificationState.Rejected, "修正後的簡述"));
        (certified.State, certified.CertificationNote).ShouldBe((CertificationState.Certified, null));
        selected.SelectedFor.ShouldBe(Year);
        locked.IsLocked.ShouldBeTrue();
        unlocked.IsLocked.ShouldBeFalse();
        unlocked.Version.ShouldBe(draft.Version + 8);
    }

    [Fact]
    public void CertifiedOutcome_CannotBeEditedUntilTheTeacherWithdrawsTheCertification()
    {
        var certified = Certified();

        Refused(CourseOutcomeWorkflow.Edit(certified, Student, certified.Version, "x", []), DiagnosticCodes.TransitionInvalid);
        var withdrawn = Ok(CourseOutcomeWorkflow.WithdrawCertification(certified, Teacher, certified.Version));
        withdrawn.State.ShouldBe(CertificationState.Draft);
        Ok(CourseOutcomeWorkflow.Edit(withdrawn, Student, withdrawn.Version, "x", []));
    }

    [Fact]
    public void OnlyTheAssignedTeacherOrTheProxyCertify_NotAnotherTeacherOfTheCourse_NorTheAdministrator()
    {
        var pending = Ok(CourseOutcomeWorkflow.SubmitForCertification(Draft(), Student, 1));

        Refused(CourseOutcomeWorkflow.Certify(pending, OtherTeacher, pending.Version), DiagnosticCodes.NotCertifyingTeacher);
        Refused(CourseOutcomeWorkflow.Certify(pending, Admin, pending.Version), DiagnosticCodes.NotCertifyingTeacher);
        Refused(CourseOutcomeWorkflow.Certify(pending, Proxy, pending.Version), DiagnosticCodes.NotCertifyingTeacher);

        var withProxy = Ok(CourseOutcomeWorkflow.AssignProxy(pending, Teacher, pending.Version, "t-proxy"));
        Ok(CourseOutcomeWorkflow.Certify(withProxy, Proxy, withProxy.Version)).State.ShouldBe(CertificationState.Certified);
    }

    [Fact]
    public void ChangingTheCertifyingTeacher_MovesTheCertificationToThem()
    {
        var pending = Ok(CourseOutcomeWorkflow.SubmitForCertification(Draft(), Student, 1));

        var moved = Ok(CourseOutcomeWorkflow.ChangeCertifyingTeacher(pending, Teacher, pending.Version, "t-other"));

        Refused(CourseOutcomeWorkflow.Certify(moved, Teacher, moved.Version), DiagnosticCodes.NotCertifyingTeacher);
        Ok(CourseOutcomeWorkflow.Certify(moved, OtherTeacher, moved.Version));
        Refused(CourseOutcomeWorkflow.ChangeCertifyingTeacher(pending, Student, pending.Version, "t-other"), DiagnosticCodes.PermissionDenied);
    }

    [Fact]
    public void ChangingTheCertifyingTeacher_IsPartOfCertification_SoNeitherStaffNorTheAdministratorMay()
    {
        // Seed 001's table: 課程學習成果認證 is the 授課教師's alone (4-7.3 更換認證教師 is in the teacher's section).
        var pending = Ok(CourseOutcomeWorkflow.SubmitForCertification(Draft(), Student, 1));

        Refused(CourseOutcomeWorkflow.ChangeCertifyingTeacher(pending, Staff, pending.Version, "t-other"), DiagnosticCodes.PermissionDenied);
        var refused = CourseOutcomeWorkflow.AssignProxy(pending, Admin, pending.Version, "t-proxy").Problem!;
        refused.Message.ShouldBe("權限不足：系統管理者不能更換認證教師");
        refused.MessageEnglish.ShouldBe("A system administrator cannot change the certifying teacher (permission denied)");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    public void Rejection_NeedsAReason(string? reason)
    {
        var pending = Ok(CourseOutcomeWorkflow.SubmitForCertification(Draft(), Student, 1));

        Refused(CourseOutcomeWorkflow.Reject(pending, Teacher, pending.Version, reason), DiagnosticCodes.RejectionReasonRequired);
    }

    [Fact]
    public void IllegalTransitions_AreRefusedWithoutChangingState()
    {
        var draft = Draft();
        var certified = Certified();

        Refused(CourseOutcomeWorkflow.Certify(draft, Teacher, draft.Version), DiagnosticCodes.TransitionInvalid);
        Refused(CourseOutcomeWorkflow.Reject(draft, Teacher, draft.Version, "x"), DiagnosticCodes.TransitionInvalid);
        Refused(CourseOutcomeWorkflow.WithdrawCertification(draft, Teacher, draft.Version), DiagnosticCodes.TransitionInvalid);
        Refused(CourseOutcomeWorkflow.SubmitForCertification(certified, Student, certified.Version), DiagnosticCodes.TransitionInvalid);
        Refused(CourseOutcomeWorkflow.ChangeCertifyingTeacher(certified, Teacher, certified.Version, "t-other"), DiagnosticCodes.TransitionInvalid);
        var invalid = CourseOutcomeWorkflow.SubmitForCertification(certified, Student, certified.Version).Problem!;
        invalid.Message.ShouldBe("目前狀態為「認證通過」，不能送審");
        invalid.MessageEnglish.ShouldBe("The item is certified; it cannot be sent for certification");
        Refused(CourseOutcomeWorkflow.LockForSubmission(certified, Staff, certified.Version), DiagnosticCodes.TransitionInvalid);
        Refused(CourseOutcomeWorkflow.UnlockForCorrection(certified, Staff, certified.Version, "d"), DiagnosticCodes.TransitionInvalid);
        draft.State.ShouldBe(CertificationState.Draft);
        draft.Version.ShouldBe(1);
    }

    [Fact]
    public void StaleVersion_IsAConflict()
    {
        var draft = Draft();
        var edited = Ok(CourseOutcomeWorkflow.Edit(draft, Student, 1, "first", []));

        Refused(CourseOutcomeWorkflow.Edit(edited, Student, 1, "second, from a stale read", []), DiagnosticCodes.VersionConflict);
    }

    [Fact]
    public void Students_ActOnlyOnTheirOwnOutcomes()
    {
        Refused(CourseOutcomeWorkflow.Edit(Draft(), OtherStudent, 1, "x", []), DiagnosticCodes.PermissionDenied);
        Refused(CourseOutcomeWorkflow.SubmitForCertification(Draft(), OtherStudent, 1), DiagnosticCodes.PermissionDenied);
        Refused(CourseOutcomeWorkflow.SubmitForCertification(Draft(), Staff, 1), DiagnosticCodes.PermissionDenied);
    }

    [Fact]
    public void Selection_OnlyCertified_AndUnderTheCap()
    {
        var draft = Draft();
        var certified = Certified();

        Refused(CourseOutcomeWorkflow.Select(draft, Student, draft.Version, Year, 0, new SelectionCaps()), DiagnosticCodes.SelectionNotCertified);
        Refused(CourseOutcomeWorkflow.Select(certified, Student, certified.Version, Year, 6, new SelectionCaps()), DiagnosticCodes.SelectionCap);
        Ok(CourseOutcomeWorkflow.Select(certified, Student, certified.Version, Year, 5, new SelectionCaps()));
        Ok(CourseOutcomeWorkflow.Select(certified, Student, certified.Version, Year, 2, new SelectionCaps(CourseOutcomesPerYear: 3)));
    }

    [Fact]
    public void LockedOutcome_CannotBeChangedOrUnselectedOrWithdrawn()
    {
        var certified = Certified();
        var selected = Ok(CourseOutcomeWorkflow.Select(certified, Student, certified.Version, Year, 0, new SelectionCaps()));
        var locked = Ok(CourseOutcomeWorkflow.LockForSubmission(selected, Staff, selected.Version));

        Refused(CourseOutcomeWorkflow.Unselect(locked, Student, locked.Version), DiagnosticCodes.ItemLocked);
        Refused(CourseOutcomeWorkflow.WithdrawCertification(locked, Teacher, locked.Version), DiagnosticCodes.ItemLocked);
        Refused(CourseOutcomeWorkflow.Edit(locked, Student, locked.Version, "x", []), DiagnosticCodes.ItemLocked);
        Refused(CourseOutcomeWorkflow.UnlockForCorrection(locked, Student, locked.Version, "d"), DiagnosticCodes.PermissionDenied);
    }

    [Fact]
    public void WithdrawingASelectedCertification_UnselectsIt()
    {
        var certified = Certified();
        var selected = Ok(CourseOutcomeWorkflow.Select(certified, Student, certified.Version, Year, 0, new SelectionCaps()));

        Ok(CourseOutcomeWorkflow.WithdrawCertification(selected, Teacher, selected.Version)).SelectedFor.ShouldBeNull();
    }

    [Fact]
    public void ToString_MasksTheStudentAndHidesTheContent()
    {
        var text = Draft().ToString();

        text.ShouldContain("S*****1");
        text.ShouldNotContain("S000001");
        text.ShouldNotContain("函數");
    }

    [Fact]
    public void EveryWorkflowRefusal_NamesThingsInWords_NeverByEnumName()
    {
        var enumNames = Enum.GetNames<CertificationState>().Concat(Enum.GetNames<PortfolioRole>()).Concat(Enum.GetNames<PortfolioOperation>()).ToList();
        var problems = new List<Diagnostic>();
        foreach (var state in Enum.GetValues<CertificationState>())
        {
            foreach (var item in new[] { Draft() with { State = state }, Draft() with { State = state, IsLocked = true, SelectedFor = Year } })
            {
                foreach (var actor in new[] { Student, OtherStudent, Teacher, OtherTeacher, Staff, Admin })
                {
                    WorkflowResult<CourseOutcome>[] results =
                    [
                        CourseOutcomeWorkflow.Edit(item, actor, item.Version, "x", []),
                        CourseOutcomeWorkflow.SubmitForCertification(item, actor, item.Version),
                        CourseOutcomeWorkflow.Certify(item, actor, item.Version),
                        CourseOutcomeWorkflow.Reject(item, actor, item.Version, "理由"),
                        CourseOutcomeWorkflow.WithdrawCertification(item, actor, item.Version),
                        CourseOutcomeWorkflow.ChangeCertifyingTeacher(item, actor, item.Version, "t-x"),
                        CourseOutcomeWorkflow.AssignProxy(item, actor, item.Version, "t-y"),
                        CourseOutcomeWorkflow.Select(item, actor, item.Version, Year, 6, new SelectionCaps()),
                        CourseOutcomeWorkflow.Unselect(item, actor, item.Version),
                        CourseOutcomeWorkflow.LockForSubmission(item, actor, item.Version),
                        CourseOutcomeWorkflow.UnlockForCorrection(item, actor, item.Version, "d"),
                        CourseOutcomeWorkflow.Edit(item, actor, item.Version + 1, "x", []),
                    ];
                    problems.AddRange(results.Where(r => !r.Succeeded).Select(r => r.Problem!));
                }
            }
        }

        problems.Select(p => p.Code).Distinct().Count().ShouldBeGreaterThanOrEqualTo(6);
        foreach (var problem in problems)
        {
            foreach (var name in enumNames)
            {
                problem.Message.ShouldNotContain(name, Case.Sensitive);
                problem.MessageEnglish.ShouldNotContain(name, Case.Sensitive);
            }
        }
    }
}
