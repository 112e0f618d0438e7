namespace Portfolio.Sdk.Workflow;

/// <summary>The roles of the portfolio module (角色), from seed 001 chapter 4.</summary>
public enum PortfolioRole
{
    /// <summary>系統管理者: assigns the roles and has every permission.</summary>
    SystemAdministrator = 1,

    /// <summary>課程學習提交者: course-outcome parameters, status, certification status, roster submission.</summary>
    CourseOutcomeSubmitter,

    /// <summary>多元表現提交者: 多元表現 parameters, status, roster submission.</summary>
    PerformanceSubmitter,

    /// <summary>校內幹部提交者: cadre import from the SIS or Excel, query, roster submission.</summary>
    CadreSubmitter,

    /// <summary>多元項目管理者: bulk import of 多元表現 by Excel.</summary>
    PerformanceManager,

    /// <summary>證照項目管理者: the drop-down list of certificate names.</summary>
    CertificateManager,

    /// <summary>授課教師: certifies the course outcomes of the courses they teach.</summary>
    CourseTeacher,

    /// <summary>導師: views the status of the students of their classes.</summary>
    HomeroomTeacher,

    /// <summary>課程諮詢教師: records course counselling.</summary>
    CounselingTeacher,

    /// <summary>學生: their own autobiography, study plan, course outcomes and 多元表現, and their selection.</summary>
    Student,

    /// <summary>
    /// 家長 (guardian: 法定代理人 or 監護人): reads, never writes, the course outcomes, 多元表現, selections and receipts of
    /// the students bound to them; a binding is requested by the school or the guardian's account and approved by the
    /// student's 導師 (臺北市 親子綁定, seed 003: 「本次申請資料經教師審核後，將綁定於原有帳號中」).
    /// </summary>
    Guardian,
}

/// <summary>What can be done in the portfolio module (操作); every operation is checked against <see cref="PermissionMatrix"/>.</summary>
public enum PortfolioOperation
{
    /// <summary>Assign roles to staff (權限設定; 系統管理者 only).</summary>
    ManageRoles = 1,

    /// <summary>Set the course-outcome parameters (counts, dates).</summary>
    ConfigureCourseOutcomes,

    /// <summary>View the course-outcome and certification status.</summary>
    ViewCourseOutcomes,

    /// <summary>Export and submit the 課程學習成果名冊 (locks what it takes).</summary>
    SubmitCourseOutcomeRoster,

    /// <summary>Set the 多元表現 parameters (counts, file sizes, dates).</summary>
    ConfigurePerformances,

    /// <summary>View the 多元表現 status.</summary>
    ViewPerformances,

    /// <summary>Export and submit the 學生自填多元表現名冊 (locks what it takes).</summary>
    SubmitPerformanceRoster,

    /// <summary>Import cadre records from the SIS or Excel.</summary>
    ImportCadres,

    /// <summary>View cadre records.</summary>
    ViewCadres,

    /// <summary>Export and submit the 校內幹部經歷名冊.</summary>
    SubmitCadreRoster,

    /// <summary>Bulk-import 多元表現 by Excel.</summary>
    ImportPerformances,

    /// <summary>Maintain the certificate-name drop-down list.</summary>
    ManageCertificateNames,

    /// <summary>Certify, reject or withdraw a course outcome's certification.</summary>
    CertifyCourseOutcome,

    /// <summary>Change the certifying teacher or assign a proxy.</summary>
    AssignCertifyingTeacher,

    /// <summary>Record course counselling (課程諮詢紀錄).</summary>
    RecordCounseling,

    /// <summary>Write one's own autobiography, study plan, course outcomes and 多元表現.</summary>
    EditOwnPortfolio,

    /// <summary>Send one's course outcome for certification (送審).</summary>
    SubmitForCertification,

    /// <summary>Select one's items for the central database (勾選).</summary>
    SelectItems,

    /// <summary>Write and publish the school's announcements (公告編輯).</summary>
    EditAnnouncements,

    /// <summary>Add to and correct students' 多元表現 records (增修學生歷程資料, 限多元).</summary>
    EditPerformances,

    /// <summary>View the 多元表現 records imported in bulk (瀏覽學生歷程資料, 限項目).</summary>
    ViewPerformanceImports,

    /// <summary>Add to and correct the 檢定證照 records of students' 多元表現 (增修學生歷程資料, 限證照).</summary>
    EditCertificateRecords,

    /// <summary>View the 檢定證照 records of students' 多元表現 (瀏覽學生歷程資料, 限證照).</summary>
    ViewCertificateRecords,

    /// <summary>Read the course outcomes sent to one for certification, their 簡述 and files (待認證; seed 001 §4-7.5).</summary>
    ReviewCourseOutcomes,

    /// <summary>Maintain one's own 學生資料 (學生資料維護: contact details and the like the student keeps up to date).</summary>
    MaintainStudentData,

    /// <summary>Set the students' confirmation window (收訖確認期間) of a submitted roster.</summary>
    SetConfirmationWindow,

    /// <summary>Confirm or dispute one's own rows of a receipt (收訖明細: 正確 / 錯誤).</summary>
    AnswerReceipt,

    /// <summary>Decide a disputed receipt row (更正屬實 / 駁回) and resubmit the upheld ones.</summary>
    DecideReceiptDispute,

    /// <summary>Print the 學習歷程確認單 for the student and guardian to sign.</summary>
    PrintConfirmationSheet,
    /// <summary>Ask for a guardian (家長) to be bound to a student (親子綁定申請): the school, or the guardian's own account for itself.</summary>
    RequestGuardianBinding,

    /// <summary>Approve or revoke a guardian's binding to a student (親子綁定審核): the student's 導師.</summary>
    DecideGuardianBinding,

    /// <summary>View a student's rows of the central database's receipt (收訖明細).</summary>
    ViewReceipts,
    /// <summary>
    /// Export a student's portfolio for the receiving school, and import one from the sending school (歷程交換, research
    /// §3.9; Shinher's 匯出/匯入歷程交換人員); the 系統管理者's under §4-1 (擁有全系統的權限).
    /// </summary>
    ExchangePortfolios,
}
