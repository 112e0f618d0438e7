using System.Collections.Frozen;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Policy;

namespace Portfolio.Sdk.Workflow;

/// <summary>A name in Traditional Chinese and in English (中英文名稱), as users read it.</summary>
/// <param name="Chinese">The Traditional Chinese name.</param>
/// <param name="English">The English name, lower case as it reads inside a sentence.</param>
public readonly record struct BilingualName(string Chinese, string English);

/// <summary>
/// The words users see for the module's roles, operations, certification states, window kinds and grades (顯示名稱):
/// one table, in Traditional Chinese and English. Every refusal names roles and operations with these words, never
/// with the enum names. Operations read as verb phrases: 「授課教師不能勾選項目」 / "A course teacher cannot select items".
/// </summary>
public static class PortfolioDisplayNames
{
    private static readonly FrozenDictionary<Enum, BilingualName> Names = new Dictionary<Enum, BilingualName>
    {
        [PortfolioRole.SystemAdministrator] = new("系統管理者", "system administrator"),
        [PortfolioRole.CourseOutcomeSubmitter] = new("課程學習提交者", "course-outcome submitter"),
        [PortfolioRole.PerformanceSubmitter] = new("多元表現提交者", "performance submitter"),
        [PortfolioRole.CadreSubmitter] = new("校內幹部提交者", "cadre-record submitter"),
        [PortfolioRole.PerformanceManager] = new("多元項目管理者", "performance-item manager"),
        [PortfolioRole.CertificateManager] = new("證照項目管理者", "certificate-item manager"),
        [PortfolioRole.CourseTeacher] = new("授課教師", "course teacher"),
        [PortfolioRole.HomeroomTeacher] = new("導師", "homeroom teacher"),
        [PortfolioRole.CounselingTeacher] = new("課程諮詢教師", "course counselling teacher"),
        [PortfolioRole.Student] = new("學生", "student"),
        [PortfolioRole.Guardian] = new("家長", "guardian"),

        [PortfolioOperation.ManageRoles] = new("設定角色權限", "assign roles"),
        [PortfolioOperation.ConfigureCourseOutcomes] = new("設定課程學習成果參數", "set the course-outcome parameters"),
        [PortfolioOperation.ViewCourseOutcomes] = new("瀏覽課程學習成果", "view course outcomes"),
        [PortfolioOperation.SubmitCourseOutcomeRoster] = new("提交課程學習成果名冊", "submit the course-outcome roster"),
        [PortfolioOperation.ConfigurePerformances] = new("設定多元表現參數", "set the performance parameters"),
        [PortfolioOperation.ViewPerformances] = new("瀏覽多元表現", "view performances"),
        [PortfolioOperation.SubmitPerformanceRoster] = new("提交多元表現名冊", "submit the performance roster"),
        [PortfolioOperation.ImportCadres] = new("匯入校內幹部經歷", "import cadre records"),
        [PortfolioOperation.ViewCadres] = new("瀏覽校內幹部經歷", "view cadre records"),
        [PortfolioOperation.SubmitCadreRoster] = new("提交校內幹部經歷名冊", "submit the cadre roster"),
        [PortfolioOperation.ImportPerformances] = new("整批匯入多元表現", "import performances in bulk"),
        [PortfolioOperation.ManageCertificateNames] = new("管理檢定證照項目", "manage the certificate names"),
        [PortfolioOperation.CertifyCourseOutcome] = new("認證課程學習成果", "certify course outcomes"),
        [PortfolioOperation.AssignCertifyingTeacher] = new("更換認證教師", "change the certifying teacher"),
        [PortfolioOperation.RecordCounseling] = new("記錄課程諮詢", "record course counselling"),
        [PortfolioOperation.EditOwnPortfolio] = new("增修自己的學習歷程資料", "edit their own portfolio"),
        [PortfolioOperation.SubmitForCertification] = new("送審課程學習成果", "send course outcomes for certification"),
        [PortfolioOperation.SelectItems] = new("勾選項目", "select items"),
        [PortfolioOperation.EditAnnouncements] = new("編輯公告", "edit announcements"),
        [PortfolioOperation.EditPerformances] = new("增修多元表現", "edit performances"),
        [PortfolioOperation.ViewPerformanceImports] = new("瀏覽整批匯入的多元表現", "view bulk-imported performances"),
        [PortfolioOperation.EditCertificateRecords] = new("增修檢定證照紀錄", "edit certificate records"),
        [PortfolioOperation.ViewCertificateRecords] = new("瀏覽檢定證照紀錄", "view certificate records"),
        [PortfolioOperation.ReviewCourseOutcomes] = new("檢視待認證的課程學習成果", "review course outcomes sent for certification"),
        [PortfolioOperation.MaintainStudentData] = new("維護學生資料", "maintain student data"),
        [PortfolioOperation.SetConfirmationWindow] = new("設定收訖確認期間", "set the confirmation window"),
        [PortfolioOperation.AnswerReceipt] = new("確認收訖明細", "confirm or dispute receipt rows"),
        [PortfolioOperation.DecideReceiptDispute] = new("處理收訖明細更正申請", "decide receipt disputes"),
        [PortfolioOperation.PrintConfirmationSheet] = new("列印學習歷程確認單", "print confirmation sheets"),
        [PortfolioOperation.RequestGuardianBinding] = new("申請親子綁定", "ask for a guardian binding"),
        [PortfolioOperation.DecideGuardianBinding] = new("審核親子綁定", "approve or revoke guardian bindings"),
        [PortfolioOperation.ViewReceipts] = new("瀏覽收訖明細", "view receipts"),
        [PortfolioOperation.ExchangePortfolios] = new("匯出或匯入歷程交換檔", "export or import a transfer package"),

        [CertificationState.Draft] = new("未送審", "not yet sent for certification"),
        [CertificationState.Pending] = new("待認證", "awaiting certification"),
        [CertificationState.Certified] = new("認證通過", "certified"),
        [CertificationState.Rejected] = new("認證不通過", "rejected"),

        [PolicyWindowKind.Upload] = new("上傳", "upload"),
        [PolicyWindowKind.Certification] = new("認證", "certification"),
        [PolicyWindowKind.Selection] = new("勾選", "selection"),
        [PolicyWindowKind.Submission] = new("提交", "submission"),
        [PolicyWindowKind.Confirmation] = new("收訖確認", "receipt confirmation"),

        [GradeLevel.First] = new("高一", "grade 10"),
        [GradeLevel.Second] = new("高二", "grade 11"),
        [GradeLevel.Third] = new("高三", "grade 12"),
    }.ToFrozenDictionary();

    /// <summary>Gets the name of a role (角色名稱).</summary>
    /// <param name="role">The role.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="role"/> is not a defined role.</exception>
    public static BilingualName Of(PortfolioRole role) => Lookup(role);

    /// <summary>Gets the name of an operation (操作名稱), as a verb phrase.</summary>
    /// <param name="operation">The operation.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="operation"/> is not a defined operation.</exception>
    public static BilingualName Of(PortfolioOperation operation) => Lookup(operation);

    /// <summary>Gets the name of a certification state (認證狀態).</summary>
    /// <param name="state">The state.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="state"/> is not a defined state.</exception>
    public static BilingualName Of(CertificationState state) => Lookup(state);

    /// <summary>Gets the name of an activity with a window (上傳、認證、勾選、提交).</summary>
    /// <param name="kind">The activity.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="kind"/> is not a defined activity.</exception>
    public static BilingualName Of(PolicyWindowKind kind) => Lookup(kind);

    /// <summary>Gets the name of a grade (高一、高二、高三).</summary>
    /// <param name="grade">The grade.</param>
    /// <returns>The name.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="grade"/> is not a defined grade.</exception>
    public static BilingualName Of(GradeLevel grade) => Lookup(grade);

    /// <summary>
    /// Names the roles of an actor for a refusal: 「導師、授課教師」 / "A homeroom teacher or course teacher", in the
    /// order of the enum so the text is stable; 「沒有角色的使用者」 / "A user without a role" for none.
    /// </summary>
    /// <param name="roles">The roles.</param>
    /// <returns>The names, the English one capitalised to start a sentence.</returns>
    internal static BilingualName OfRoles(IEnumerable<PortfolioRole> roles)
    {
        var names = roles.Distinct().Order().Select(Of).ToList();
        if (names.Count == 0)
        {
            return new("沒有角色的使用者", "A user without a role");
        }

        var english = string.Join(" or ", names.Select(n => n.English));
        var article = "aeiou".Contains(english[0], StringComparison.Ordinal) ? "An " : "A ";
        return new(string.Join("、", names.Select(n => n.Chinese)), article + english);
    }

    private static BilingualName Lookup(Enum value) =>
        Names.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, "No display name for this value.");
}
