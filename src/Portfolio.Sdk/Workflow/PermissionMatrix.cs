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

    /// <summary>The actor's own portfolio (學生); for a binding request, the guardian's own account (<see cref="PortfolioTarget.Guardian"/>).</summary>
    Self,

    /// <summary>The students bound to the actor and approved by their 導師 (家長: <see cref="PortfolioActor.Children"/>).</summary>
    OwnChildren,
}

/// <summary>
/// The role × operation matrix of seed 001 chapter 4 (權限表): each role, what it may do and over whom. Each operation
/// belongs to one column of the seed's table (權限設定, 公告編輯, 增修學生歷程資料, 瀏覽學生歷程資料, 課程學習成果認證,
/// 管理檢定證照項目, 提交資料至國教署, 學生資料維護), and a role holds it only where the table marks that column for the
/// role, limited as the table limits it (限課程, 限多元, 限幹部, 限項目, 限證照). The parameter settings of §4-1 to §4-3 and
/// the counselling records of §4-9, which the table has no column for, come from the sections' own text. The
/// 系統管理者 has no 認證 right and does not maintain 學生資料; a student's own acts (送審, 勾選) stay the student's.
/// The 家長 role is not in seed 001's table: it comes from 臺北市's 親子綁定 (seed 003: the guardian applies, 「本次申請資料經
/// 教師審核後，將綁定於原有帳號中」) and seed 000 (「透過孩子的課程學習成果，瞭解孩子在學校課程的學習情況」): read-only, on the
/// bound children only. The receipt (收訖明細) view follows who may view the items it lists (research §3.8: students
/// confirm their own rows; the 導師 follows the class).
/// </summary>
public static class PermissionMatrix
{
    private static readonly FrozenDictionary<(PortfolioRole, PortfolioOperation), PermissionScope> Matrix = Build();

    /// <summary>Gets the scope in which <paramref name="role"/> may perform <paramref name="operation"/>.</summary>
    /// <param name="role">The role.</param>
    /// <param name="operation">The operation.</param>
    /// <returns>The scope; <see cref="PermissionScope.None"/> when not allowed.</returns>
    public static PermissionScope ScopeOf(PortfolioRole role, PortfolioOperation operation) => Matrix.GetValueOrDefault((role, operation));

    private static FrozenDictionary<(PortfolioRole, PortfolioOperation), PermissionScope> Build()
    {
        const PermissionScope school = PermissionScope.School;
        (PortfolioRole Role, PortfolioOperation Operation, PermissionScope Scope)[] entries =
        [
            // 系統管理者: every column but 課程學習成果認證 and 學生資料維護; the parameters (功能參數) and the rest of the
            // system (§4-1: 擁有全系統的權限).
            (PortfolioRole.SystemAdministrator, PortfolioOperation.ManageRoles, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.EditAnnouncements, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.EditPerformances, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.ImportCadres, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.ImportPerformances, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.EditCertificateRecords, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.ViewCourseOutcomes, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.ViewPerformances, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.ViewCadres, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.ViewPerformanceImports, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.ViewCertificateRecords, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.ManageCertificateNames, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.SubmitCourseOutcomeRoster, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.SubmitPerformanceRoster, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.SubmitCadreRoster, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.ConfigureCourseOutcomes, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.ConfigurePerformances, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.RecordCounseling, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.SetConfirmationWindow, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.DecideReceiptDispute, school),
            (PortfolioRole.SystemAdministrator, PortfolioOperation.PrintConfirmationSheet, school),

            // 歷程交換 (research §3.9): not in the seed's table; the rest of the system is the 系統管理者's (§4-1).
            (PortfolioRole.SystemAdministrator, PortfolioOperation.ExchangePortfolios, school),

            // 課程學習提交者: 瀏覽 (限課程), 提交; 參數設定 (§4-2.1).
            (PortfolioRole.CourseOutcomeSubmitter, PortfolioOperation.ViewCourseOutcomes, school),
            (PortfolioRole.CourseOutcomeSubmitter, PortfolioOperation.SubmitCourseOutcomeRoster, school),
            (PortfolioRole.CourseOutcomeSubmitter, PortfolioOperation.ConfigureCourseOutcomes, school),

            // The submitters run the 收訖 loop of what they submit (research §3.10: the school sets the window, corrects
            // and resubmits).
            (PortfolioRole.CourseOutcomeSubmitter, PortfolioOperation.SetConfirmationWindow, school),
            (PortfolioRole.CourseOutcomeSubmitter, PortfolioOperation.DecideReceiptDispute, school),

            // 多元表現提交者: 增修 (限多元), 瀏覽 (限多元), 提交; 參數設定 (§4-3.1).
            (PortfolioRole.PerformanceSubmitter, PortfolioOperation.EditPerformances, school),
            (PortfolioRole.PerformanceSubmitter, PortfolioOperation.ViewPerformances, school),
            (PortfolioRole.PerformanceSubmitter, PortfolioOperation.SubmitPerformanceRoster, school),
            (PortfolioRole.PerformanceSubmitter, PortfolioOperation.ConfigurePerformances, school),
            (PortfolioRole.PerformanceSubmitter, PortfolioOperation.SetConfirmationWindow, school),
            (PortfolioRole.PerformanceSubmitter, PortfolioOperation.DecideReceiptDispute, school),

            // 校內幹部提交者: 增修 (限幹部), 瀏覽 (限幹部), 提交.
            (PortfolioRole.CadreSubmitter, PortfolioOperation.ImportCadres, school),
            (PortfolioRole.CadreSubmitter, PortfolioOperation.ViewCadres, school),
            (PortfolioRole.CadreSubmitter, PortfolioOperation.SubmitCadreRoster, school),
            (PortfolioRole.CadreSubmitter, PortfolioOperation.SetConfirmationWindow, school),
            (PortfolioRole.CadreSubmitter, PortfolioOperation.DecideReceiptDispute, school),

            // 多元項目管理者: 增修 (限項目), 瀏覽 (限項目).
            (PortfolioRole.PerformanceManager, PortfolioOperation.ImportPerformances, school),
            (PortfolioRole.PerformanceManager, PortfolioOperation.ViewPerformanceImports, school),

            // 證照項目管理者: 增修 (限證照), 瀏覽 (限證照), 管理檢定證照項目.
            (PortfolioRole.CertificateManager, PortfolioOperation.EditCertificateRecords, school),
            (PortfolioRole.CertificateManager, PortfolioOperation.ViewCertificateRecords, school),
            (PortfolioRole.CertificateManager, PortfolioOperation.ManageCertificateNames, school),

            // 授課教師: 課程學習成果認證 (§4-7: read, certify, reject, withdraw, change the certifying teacher), own courses.
            (PortfolioRole.CourseTeacher, PortfolioOperation.ReviewCourseOutcomes, PermissionScope.OwnCourses),
            (PortfolioRole.CourseTeacher, PortfolioOperation.CertifyCourseOutcome, PermissionScope.OwnCourses),
            (PortfolioRole.CourseTeacher, PortfolioOperation.AssignCertifyingTeacher, PermissionScope.OwnCourses),

            // 導師: 瀏覽, their classes.
            (PortfolioRole.HomeroomTeacher, PortfolioOperation.ViewCourseOutcomes, PermissionScope.OwnClasses),
            (PortfolioRole.HomeroomTeacher, PortfolioOperation.ViewPerformances, PermissionScope.OwnClasses),
            (PortfolioRole.HomeroomTeacher, PortfolioOperation.ViewCadres, PermissionScope.OwnClasses),
            (PortfolioRole.HomeroomTeacher, PortfolioOperation.ViewPerformanceImports, PermissionScope.OwnClasses),
            (PortfolioRole.HomeroomTeacher, PortfolioOperation.ViewCertificateRecords, PermissionScope.OwnClasses),

            // 導師 匯出歷程確認單 for their class (research §3.10, Shinher's 導師 role).
            (PortfolioRole.HomeroomTeacher, PortfolioOperation.PrintConfirmationSheet, PermissionScope.OwnClasses),

            // 課程諮詢教師 (§4-9; not in the table).
            (PortfolioRole.CounselingTeacher, PortfolioOperation.RecordCounseling, school),

            // 學生: 增修, 瀏覽 and 學生資料維護, their own.
            (PortfolioRole.Student, PortfolioOperation.EditOwnPortfolio, PermissionScope.Self),
            (PortfolioRole.Student, PortfolioOperation.SubmitForCertification, PermissionScope.Self),
            (PortfolioRole.Student, PortfolioOperation.SelectItems, PermissionScope.Self),
            (PortfolioRole.Student, PortfolioOperation.ViewCourseOutcomes, PermissionScope.Self),
            (PortfolioRole.Student, PortfolioOperation.ViewPerformances, PermissionScope.Self),
            (PortfolioRole.Student, PortfolioOperation.ViewCadres, PermissionScope.Self),
            (PortfolioRole.Student, PortfolioOperation.ViewPerformanceImports, PermissionScope.Self),
            (PortfolioRole.Student, PortfolioOperation.ViewCertificateRecords, PermissionScope.Self),
            (PortfolioRole.Student, PortfolioOperation.MaintainStudentData, PermissionScope.Self),
            (PortfolioRole.Student, PortfolioOperation.AnswerReceipt, PermissionScope.Self),
            (PortfolioRole.Student, PortfolioOperation.PrintConfirmationSheet, PermissionScope.Self),
            (PortfolioRole.Student, PortfolioOperation.ViewReceipts, PermissionScope.Self),

            // 收訖明細: the school's staff who submit, the 導師 for their classes.
            (PortfolioRole.SystemAdministrator, PortfolioOperation.ViewReceipts, school),
            (PortfolioRole.CourseOutcomeSubmitter, PortfolioOperation.ViewReceipts, school),
            (PortfolioRole.PerformanceSubmitter, PortfolioOperation.ViewReceipts, school),
            (PortfolioRole.CadreSubmitter, PortfolioOperation.ViewReceipts, school),
            (PortfolioRole.HomeroomTeacher, PortfolioOperation.ViewReceipts, PermissionScope.OwnClasses),

            // 親子綁定 (seed 003, 臺北市 酷課雲): the school (系統管理者) or the guardian's own account applies; the 導師 of
            // the student's class reviews (approves or revokes).
            (PortfolioRole.SystemAdministrator, PortfolioOperation.RequestGuardianBinding, school),
            (PortfolioRole.Guardian, PortfolioOperation.RequestGuardianBinding, PermissionScope.Self),
            (PortfolioRole.HomeroomTeacher, PortfolioOperation.DecideGuardianBinding, PermissionScope.OwnClasses),

            // 家長 (seeds 000 and 003): reads the bound children's items, selections and receipts; never writes.
            (PortfolioRole.Guardian, PortfolioOperation.ViewCourseOutcomes, PermissionScope.OwnChildren),
            (PortfolioRole.Guardian, PortfolioOperation.ViewPerformances, PermissionScope.OwnChildren),
            (PortfolioRole.Guardian, PortfolioOperation.ViewCadres, PermissionScope.OwnChildren),
            (PortfolioRole.Guardian, PortfolioOperation.ViewPerformanceImports, PermissionScope.OwnChildren),
            (PortfolioRole.Guardian, PortfolioOperation.ViewCertificateRecords, PermissionScope.OwnChildren),
            (PortfolioRole.Guardian, PortfolioOperation.ViewReceipts, PermissionScope.OwnChildren),
        ];
        return entries.ToFrozenDictionary(e => (e.Role, e.Operation), e => e.Scope);
    }
}
