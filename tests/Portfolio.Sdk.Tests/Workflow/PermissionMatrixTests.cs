using Portfolio.Sdk.Workflow;
using static Portfolio.Sdk.Workflow.PermissionScope;
using Op = Portfolio.Sdk.Workflow.PortfolioOperation;
using Role = Portfolio.Sdk.Workflow.PortfolioRole;

namespace Portfolio.Sdk.Tests.Workflow;

/// <summary>
/// Every role against every operation, checked against seed 001 chapter 4's table, transcribed here as text from the
/// seed (not from the code), plus the grants the sections' text adds where the table has no column.
/// </summary>
public sealed class PermissionMatrixTests
{
    // Seed 001 第4章 角色功能, the table as printed (tab-separated in the seed): columns, then one row per role.
    private static readonly string[] Columns = ["權限設定", "公告編輯", "增修學生歷程資料", "瀏覽學生歷程資料", "課程學習成果認證", "管理檢定證照項目", "提交資料至國教署", "學生資料維護"];

    private static readonly string[] Table =
    [
        "系統管理者\tV\tV\tV\tV\t\tV\tV\t",
        "課程學習提交者\t\t\t\tV(限課程)\t\t\tV\t",
        "多元表現提交者\t\t\tV(限多元)\tV(限多元)\t\t\tV\t",
        "校內幹部提交者\t\t\tV(限幹部)\tV(限幹部)\t\t\tV\t",
        "多元項目管理者\t\t\tV(限項目)\tV(限項目)\t\t\t\t",
        "證照項目管理者\t\t\tV(限證照)\tV(限證照)\t\tV\t\t",
        "授課教師\t\t\t\t\tV\t\t\t",
        "導師\t\t\t\tV\t\t\t\t",
        "學生\t\t\tV\tV\t\t\t\tV",
    ];

    // The seed's role names.
    private static readonly Dictionary<string, Role> Roles = new()
    {
        ["系統管理者"] = Role.SystemAdministrator,
        ["課程學習提交者"] = Role.CourseOutcomeSubmitter,
        ["多元表現提交者"] = Role.PerformanceSubmitter,
        ["校內幹部提交者"] = Role.CadreSubmitter,
        ["多元項目管理者"] = Role.PerformanceManager,
        ["證照項目管理者"] = Role.CertificateManager,
        ["授課教師"] = Role.CourseTeacher,
        ["導師"] = Role.HomeroomTeacher,
        ["學生"] = Role.Student,
    };

    // Our reading of which column each operation falls in, what it is limited to (限…) and who may hold it: 本人 for a
    // student's own acts, which only the student holds (4-10.5: the student decides); 校方 for staff work on students'
    // data; 皆可 for both. Null column: not in the table.
    private static readonly Dictionary<Op, (string? Column, string? Area, string Who)> Reading = new()
    {
        [Op.ManageRoles] = ("權限設定", null, "校方"),
        [Op.EditAnnouncements] = ("公告編輯", null, "校方"),
        [Op.EditPerformances] = ("增修學生歷程資料", "多元", "校方"),
        [Op.ImportCadres] = ("增修學生歷程資料", "幹部", "校方"),
        [Op.ImportPerformances] = ("增修學生歷程資料", "項目", "校方"),
        [Op.EditCertificateRecords] = ("增修學生歷程資料", "證照", "校方"),
        [Op.EditOwnPortfolio] = ("增修學生歷程資料", null, "本人"),
        [Op.SubmitForCertification] = ("增修學生歷程資料", "課程", "本人"),
        [Op.SelectItems] = ("增修學生歷程資料", null, "本人"),
        [Op.ViewCourseOutcomes] = ("瀏覽學生歷程資料", "課程", "皆可"),
        [Op.ViewPerformances] = ("瀏覽學生歷程資料", "多元", "皆可"),
        [Op.ViewCadres] = ("瀏覽學生歷程資料", "幹部", "皆可"),
        [Op.ViewPerformanceImports] = ("瀏覽學生歷程資料", "項目", "皆可"),
        [Op.ViewCertificateRecords] = ("瀏覽學生歷程資料", "證照", "皆可"),
        [Op.ReviewCourseOutcomes] = ("課程學習成果認證", null, "校方"),          // 4-7.5 詳閱簡述及文件
        [Op.CertifyCourseOutcome] = ("課程學習成果認證", null, "校方"),          // 4-7.1/2/4
        [Op.AssignCertifyingTeacher] = ("課程學習成果認證", null, "校方"),       // 4-7.3 更換認證教師
        [Op.ManageCertificateNames] = ("管理檢定證照項目", null, "校方"),        // 4-6.1
        [Op.SubmitCourseOutcomeRoster] = ("提交資料至國教署", "課程", "校方"),
        [Op.SubmitPerformanceRoster] = ("提交資料至國教署", "多元", "校方"),
        [Op.SubmitCadreRoster] = ("提交資料至國教署", "幹部", "校方"),
        [Op.MaintainStudentData] = ("學生資料維護", null, "本人"),
        [Op.ConfigureCourseOutcomes] = (null, null, "校方"),
        [Op.ConfigurePerformances] = (null, null, "校方"),
        [Op.RecordCounseling] = (null, null, "校方"),
        [Op.SetConfirmationWindow] = (null, null, "校方"),
        [Op.DecideReceiptDispute] = (null, null, "校方"),
        [Op.AnswerReceipt] = (null, null, "本人"),
        [Op.PrintConfirmationSheet] = (null, null, "皆可"),
        [Op.RequestGuardianBinding] = (null, null, "皆可"),
        [Op.DecideGuardianBinding] = (null, null, "校方"),
        [Op.ViewReceipts] = (null, null, "皆可"),
        [Op.ExchangePortfolios] = (null, null, "校方"),
    };

    // A submitter's plain V under 提交資料至國教署 is its own roster (4-2.4, 4-3.3, 4-4.3 提交檔案匯出).
    private static readonly Dictionary<Role, string> SubmitterAreas = new()
    {
        [Role.CourseOutcomeSubmitter] = "課程",
        [Role.PerformanceSubmitter] = "多元",
        [Role.CadreSubmitter] = "幹部",
    };

    // Grants from the sections' text for operations the table has no column for.
    private static readonly Dictionary<(Role, Op), PermissionScope> SectionGrants = new()
    {
        [(Role.SystemAdministrator, Op.ConfigureCourseOutcomes)] = School,  // 4-1 功能參數
        [(Role.SystemAdministrator, Op.ConfigurePerformances)] = School,    // 4-1 功能參數
        [(Role.SystemAdministrator, Op.RecordCounseling)] = School,         // 4-1 擁有全系統的權限
        [(Role.CourseOutcomeSubmitter, Op.ConfigureCourseOutcomes)] = School, // 4-2.1 參數設定
        [(Role.PerformanceSubmitter, Op.ConfigurePerformances)] = School,   // 4-3.1 參數設定
        [(Role.CounselingTeacher, Op.RecordCounseling)] = School,           // 4-9.1 課程諮詢

        // The 收訖 loop (research §3.10, not in seed 001): the school announces the window, decides disputes and
        // resubmits; students answer their own rows; the 導師 exports the class's 歷程確認單 (Shinher).
        [(Role.SystemAdministrator, Op.SetConfirmationWindow)] = School,
        [(Role.CourseOutcomeSubmitter, Op.SetConfirmationWindow)] = School,
        [(Role.PerformanceSubmitter, Op.SetConfirmationWindow)] = School,
        [(Role.CadreSubmitter, Op.SetConfirmationWindow)] = School,
        [(Role.SystemAdministrator, Op.DecideReceiptDispute)] = School,
        [(Role.CourseOutcomeSubmitter, Op.DecideReceiptDispute)] = School,
        [(Role.PerformanceSubmitter, Op.DecideReceiptDispute)] = School,
        [(Role.CadreSubmitter, Op.DecideReceiptDispute)] = School,
        [(Role.Student, Op.AnswerReceipt)] = Self,
        [(Role.Student, Op.PrintConfirmationSheet)] = Self,
        [(Role.HomeroomTeacher, Op.PrintConfirmationSheet)] = OwnClasses,
        [(Role.SystemAdministrator, Op.PrintConfirmationSheet)] = School,
        // 收訖明細 (research §3.8): the students confirm their own rows, the submitters and the 導師 follow them.
        [(Role.Student, Op.ViewReceipts)] = Self,
        [(Role.SystemAdministrator, Op.ViewReceipts)] = School,
        [(Role.CourseOutcomeSubmitter, Op.ViewReceipts)] = School,
        [(Role.PerformanceSubmitter, Op.ViewReceipts)] = School,
        [(Role.CadreSubmitter, Op.ViewReceipts)] = School,
        [(Role.HomeroomTeacher, Op.ViewReceipts)] = OwnClasses,

        // 親子綁定, seed 003 (臺北市 酷課雲): 「本次申請資料經教師審核後，將綁定於原有帳號中」: the guardian (or the school)
        // applies, the 導師 reviews.
        [(Role.SystemAdministrator, Op.RequestGuardianBinding)] = School,
        [(Role.Guardian, Op.RequestGuardianBinding)] = Self,
        [(Role.HomeroomTeacher, Op.DecideGuardianBinding)] = OwnClasses,

        // 家長, seed 000 (「透過孩子的課程學習成果，瞭解孩子在學校課程的學習情況」): the bound children's items, read only.
        [(Role.Guardian, Op.ViewCourseOutcomes)] = OwnChildren,
        [(Role.Guardian, Op.ViewPerformances)] = OwnChildren,
        [(Role.Guardian, Op.ViewCadres)] = OwnChildren,
        [(Role.Guardian, Op.ViewPerformanceImports)] = OwnChildren,
        [(Role.Guardian, Op.ViewCertificateRecords)] = OwnChildren,
        [(Role.Guardian, Op.ViewReceipts)] = OwnChildren,
        [(Role.SystemAdministrator, Op.ExchangePortfolios)] = School,       // research §3.9 歷程交換; 4-1 擁有全系統的權限
    };

    // How far each role reaches: 導師 their classes (4-8), 授課教師 their courses (4-7), 學生 themselves (4-10).
    private static PermissionScope Reach(Role role) => role switch
    {
        Role.HomeroomTeacher => OwnClasses,
        Role.CourseTeacher => OwnCourses,
        Role.Student => Self,
        Role.Guardian => OwnChildren,
        _ => School,
    };

    private static PermissionScope Expected(Role role, Op operation)
    {
        if (SectionGrants.TryGetValue((role, operation), out var granted))
        {
            return granted;
        }

        var (column, area, who) = Reading[operation];
        var row = Table.Select(r => r.Split('\t')).SingleOrDefault(r => Roles[r[0]] == role);
        if (column is null || row is null)
        {
            return None;
        }

        var cell = row[Array.IndexOf(Columns, column) + 1];
        if (cell == "V" && column == "提交資料至國教署" && SubmitterAreas.TryGetValue(role, out var own))
        {
            cell = $"V(限{own})";
        }

        if (cell.Length == 0 || (who == "本人" && role != Role.Student) || (who == "校方" && role == Role.Student))
        {
            return None;
        }

        return cell == "V" || cell == $"V(限{area})" ? Reach(role) : None;
    }

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
    public void Matrix_MatchesSeed001(Role role, Op operation) =>
        PermissionMatrix.ScopeOf(role, operation).ShouldBe(Expected(role, operation));

    [Fact]
    public void Transcription_CoversEveryOperation_AndEveryMarkedCellHasAnOperation()
    {
        Reading.Keys.Order().ShouldBe(Enum.GetValues<Op>().Order());
        Table.ShouldAllBe(r => r.Split('\t', StringSplitOptions.None).Length == Columns.Length + 1);

        // Every V of the table is held by the role through at least one operation, and no blank cell is.
        foreach (var row in Table.Select(r => r.Split('\t')))
        {
            var role = Roles[row[0]];
            for (var c = 0; c < Columns.Length; c++)
            {
                var held = Enum.GetValues<Op>().Where(o => Reading[o].Column == Columns[c] && PermissionMatrix.ScopeOf(role, o) != None).ToList();
                (held.Count > 0).ShouldBe(row[c + 1].Length > 0, $"{row[0]} × {Columns[c]}");
            }
        }
    }

    [Fact]
    public void KnownGapsOfTheIssue_AreClosed()
    {
        Enum.IsDefined(Op.EditAnnouncements).ShouldBeTrue();
        PermissionMatrix.ScopeOf(Role.PerformanceSubmitter, Op.EditPerformances).ShouldBe(School);
        PermissionMatrix.ScopeOf(Role.PerformanceSubmitter, Op.ImportCadres).ShouldBe(None);
        PermissionMatrix.ScopeOf(Role.PerformanceManager, Op.ViewPerformanceImports).ShouldBe(School);
        PermissionMatrix.ScopeOf(Role.CertificateManager, Op.ViewCertificateRecords).ShouldBe(School);
        PermissionMatrix.ScopeOf(Role.SystemAdministrator, Op.CertifyCourseOutcome).ShouldBe(None);
        PermissionMatrix.ScopeOf(Role.Student, Op.MaintainStudentData).ShouldBe(Self);
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
        student.Can(Op.MaintainStudentData, new PortfolioTarget(StudentKey: "S000001")).ShouldBeTrue();
        student.Check(Op.SubmitCourseOutcomeRoster, new PortfolioTarget(StudentKey: "S000001"))!.Code.ShouldBe("PF3101");
    }

    [Fact]
    public void Guardian_ReadsOnlyTheBoundChildren_AndHoldsNoWrite()
    {
        var guardian = new PortfolioActor("g1", new HashSet<Role> { Role.Guardian }) { Children = new HashSet<string> { "S000001" } };

        guardian.Can(Op.ViewCourseOutcomes, new PortfolioTarget(StudentKey: "S000001")).ShouldBeTrue();
        guardian.Can(Op.ViewReceipts, new PortfolioTarget(StudentKey: "S000001")).ShouldBeTrue();
        guardian.Can(Op.ViewCourseOutcomes, new PortfolioTarget(StudentKey: "S000002")).ShouldBeFalse();
        guardian.Can(Op.ViewCourseOutcomes, new PortfolioTarget(ClassName: "101")).ShouldBeFalse();   // no class view
        guardian.Can(Op.RequestGuardianBinding, new PortfolioTarget(StudentKey: "S000009", Guardian: "g1")).ShouldBeTrue();
        guardian.Can(Op.RequestGuardianBinding, new PortfolioTarget(StudentKey: "S000009", Guardian: "g2")).ShouldBeFalse();
        new PortfolioActor("g1", new HashSet<Role> { Role.Guardian }).Can(Op.ViewCourseOutcomes, new PortfolioTarget(StudentKey: "S000001")).ShouldBeFalse();

        // Every operation but the views and the own binding request is refused, even on the bound child.
        foreach (var operation in Enum.GetValues<Op>().Where(o => o != Op.RequestGuardianBinding && !o.ToString().StartsWith("View", StringComparison.Ordinal)))
        {
            PermissionMatrix.ScopeOf(Role.Guardian, operation).ShouldBe(None, operation.ToString());
            guardian.Check(operation, new PortfolioTarget("S000001", "101", "C", "g1", "g1", "g1"))!.Code.ShouldBe("PF3101");
        }
    }

    [Fact]
    public void Refusal_NamesRolesAndOperationInWords()
    {
        var teacher = new PortfolioActor("t2", new HashSet<Role> { Role.CourseTeacher });
        var both = new PortfolioActor("t3", new HashSet<Role> { Role.CourseTeacher, Role.HomeroomTeacher });
        var nobody = new PortfolioActor("x", new HashSet<Role>());

        var refused = teacher.Check(Op.SelectItems, new PortfolioTarget(StudentKey: "S000001"))!;
        refused.Message.ShouldBe("權限不足：授課教師不能勾選項目");
        refused.MessageEnglish.ShouldBe("A course teacher cannot select items (permission denied)");
        both.Check(Op.ManageRoles, new PortfolioTarget())!.Message.ShouldBe("權限不足：授課教師、導師不能設定角色權限");
        both.Check(Op.ManageRoles, new PortfolioTarget())!.MessageEnglish.ShouldBe("A course teacher or homeroom teacher cannot assign roles (permission denied)");
        nobody.Check(Op.ViewCadres, new PortfolioTarget())!.MessageEnglish.ShouldBe("A user without a role cannot view cadre records (permission denied)");
    }

    public static TheoryData<Role, Op> EveryRefusal()
    {
        var data = new TheoryData<Role, Op>();
        foreach (var role in Enum.GetValues<Role>())
        {
            foreach (var operation in Enum.GetValues<Op>().Where(o => PermissionMatrix.ScopeOf(role, o) == None))
            {
                data.Add(role, operation);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryRefusal))]
    public void EveryRefusal_CarriesNoEnumName(Role role, Op operation)
    {
        var refused = new PortfolioActor("u", new HashSet<Role> { role }).Check(operation, new PortfolioTarget("S1", "101", "C", "t", "p"))!;

        foreach (var name in Enum.GetNames<Role>().Concat(Enum.GetNames<Op>()))
        {
            refused.Message.ShouldNotContain(name, Case.Sensitive);
            refused.MessageEnglish.ShouldNotContain(name, Case.Sensitive);
        }

        refused.Message.ShouldContain(PortfolioDisplayNames.Of(role).Chinese + "不能" + PortfolioDisplayNames.Of(operation).Chinese);
        refused.MessageEnglish.ShouldContain(PortfolioDisplayNames.Of(operation).English);
    }
}
