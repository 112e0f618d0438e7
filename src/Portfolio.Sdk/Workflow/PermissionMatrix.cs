using System.Collections.Frozen;

namespace Portfolio.Sdk.Workflow;

/// <summary>How far an allowed operation reaches (權限範圍).</summary>
public enum PermissionScope
{
    /// <summary>Not allowed.</summary>
    None = 0,

    /// <summary>Every student of the school.</summary>
    School,

    /// <summary>The students of the actor's classes (導師).</summary>
    OwnClasses,

    /// <summary>The course outcomes of the actor's courses, or those assigned to the actor as certifying teacher or proxy (授課教師).</summary>
    OwnCourses,

    /// <summary>The actor's own portfolio (學生).</summary>
    Self,
}

/// <summary>
/// The role × operation matrix of seed 001 chapter 4 (權限表): each role, what it may do and over whom. The
/// 系統管理者 may do everything; the other roles only what their section lists.
/// </summary>
public static class PermissionMatrix
{
    private static readonly FrozenDictionary<(PortfolioRole, PortfolioOperation), PermissionScope> Matrix = Build();

    /// <summary>Gets the scope in which <paramref name="role"/> may perform <paramref name="operation"/>.</summary>
    /// <param name="role">The role.</param>
    /// <param name="operation">The operation.</param>
    /// <returns>The scope; <see cref="PermissionScope.None"/> when not allowed.</returns>
    public static PermissionScope ScopeOf(PortfolioRole role, PortfolioOperation operation) =>
        role == PortfolioRole.SystemAdministrator
            ? (operation is PortfolioOperation.EditOwnPortfolio or PortfolioOperation.SubmitForCertification or PortfolioOperation.SelectItems ? PermissionScope.None : PermissionScope.School)
            : Matrix.GetValueOrDefault((role, operation));

    private static FrozenDictionary<(PortfolioRole, PortfolioOperation), PermissionScope> Build()
    {
        var school = PermissionScope.School;
        (PortfolioRole Role, PortfolioOperation Operation, PermissionScope Scope)[] entries =
        [
            // 4-2 課程學習提交者
            (PortfolioRole.CourseOutcomeSubmitter, PortfolioOperation.ConfigureCourseOutcomes, school),
            (PortfolioRole.CourseOutcomeSubmitter, PortfolioOperation.ViewCourseOutcomes, school),
            (PortfolioRole.CourseOutcomeSubmitter, PortfolioOperation.SubmitCourseOutcomeRoster, school),
            (PortfolioRole.CourseOutcomeSubmitter, PortfolioOperation.AssignCertifyingTeacher, school),

            // 4-3 多元表現提交者
            (PortfolioRole.PerformanceSubmitter, PortfolioOperation.ConfigurePerformances, school),
            (PortfolioRole.PerformanceSubmitter, PortfolioOperation.ViewPerformances, school),
            (PortfolioRole.PerformanceSubmitter, PortfolioOperation.SubmitPerformanceRoster, school),

            // 4-4 校內幹部提交者
            (PortfolioRole.CadreSubmitter, PortfolioOperation.ImportCadres, school),
            (PortfolioRole.CadreSubmitter, PortfolioOperation.ViewCadres, school),
            (PortfolioRole.CadreSubmitter, PortfolioOperation.SubmitCadreRoster, school),

            // 4-5 多元項目管理者, 4-6 證照項目管理者
            (PortfolioRole.PerformanceManager, PortfolioOperation.ImportPerformances, school),
            (PortfolioRole.CertificateManager, PortfolioOperation.ManageCertificateNames, school),

            // 4-7 授課教師: certify and change the certifying teacher, for their own courses.
            (PortfolioRole.CourseTeacher, PortfolioOperation.CertifyCourseOutcome, PermissionScope.OwnCourses),
            (PortfolioRole.CourseTeacher, PortfolioOperation.AssignCertifyingTeacher, PermissionScope.OwnCourses),
            (PortfolioRole.CourseTeacher, PortfolioOperation.ViewCourseOutcomes, PermissionScope.OwnCourses),

            // 4-8 導師: view their classes.
            (PortfolioRole.HomeroomTeacher, PortfolioOperation.ViewCourseOutcomes, PermissionScope.OwnClasses),
            (PortfolioRole.HomeroomTeacher, PortfolioOperation.ViewPerformances, PermissionScope.OwnClasses),

            // 4-9 課程諮詢教師
            (PortfolioRole.CounselingTeacher, PortfolioOperation.RecordCounseling, school),

            // 4-10 學生: their own portfolio.
            (PortfolioRole.Student, PortfolioOperation.EditOwnPortfolio, PermissionScope.Self),
            (PortfolioRole.Student, PortfolioOperation.SubmitForCertification, PermissionScope.Self),
            (PortfolioRole.Student, PortfolioOperation.SelectItems, PermissionScope.Self),
            (PortfolioRole.Student, PortfolioOperation.ViewCourseOutcomes, PermissionScope.Self),
            (PortfolioRole.Student, PortfolioOperation.ViewPerformances, PermissionScope.Self),
        ];
        return entries.ToFrozenDictionary(e => (e.Role, e.Operation), e => e.Scope);
    }
}
