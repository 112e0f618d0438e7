using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Tests.Workflow;

public sealed class StudentRecordsTests
{
    private static readonly PortfolioActor Student = PortfolioActor.StudentOf("u1", "S000001");
    private static readonly PortfolioActor Counselor = new("c1", new HashSet<PortfolioRole> { PortfolioRole.CounselingTeacher });

    private static StudentDocument Plan() => new() { Id = Guid.NewGuid(), StudentKey = "S000001", Kind = StudentDocumentKind.StudyPlan, Text = "高二選修物理與程式設計。" };

    [Fact]
    public void StudentDocument_OnlyItsStudentEdits_WithVersionChecks()
    {
        var plan = Plan();

        var edited = plan.Edit(Student, 1, "新的學習計畫", []).Value!;

        edited.Version.ShouldBe(2);
        plan.Edit(PortfolioActor.StudentOf("u2", "S000002"), 1, "x", []).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        plan.Edit(Counselor, 1, "x", []).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        edited.Edit(Student, 1, "stale", []).Problem!.Code.ShouldBe(DiagnosticCodes.VersionConflict);
        edited.ToString().ShouldNotContain("學習計畫");
    }

    [Fact]
    public void CounselingRecord_OnlyCounselorsRecord_AndItNeverGoesToTheCentralDatabase()
    {
        var record = new CounselingRecord { Id = Guid.NewGuid(), CounselorId = "c1", StudentKeys = ["S000001"], Date = new DateOnly(2024, 10, 1), Topic = "選課諮詢" };

        CounselingRecord.Create(Counselor, record).Succeeded.ShouldBeTrue();
        CounselingRecord.Create(Student, record).Problem!.Code.ShouldBe(DiagnosticCodes.PermissionDenied);
        Should.Throw<ArgumentException>(() => CounselingRecord.Create(Counselor, record with { StudentKeys = ["S1", "S2"] }));
        CounselingRecord.Create(Counselor, record with { StudentKeys = ["S1", "S2"], Form = CounselingForm.Group }).Succeeded.ShouldBeTrue();
        CounselingRecord.IsSubmittedToCentralDatabase.ShouldBeFalse();
        record.ToString().ShouldNotContain("S000001");
    }
}
