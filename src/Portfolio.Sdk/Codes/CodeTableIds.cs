namespace Portfolio.Sdk.Codes;

/// <summary>The identifiers of the code tables shipped with the SDK.</summary>
public static class CodeTableIds
{
    /// <summary>性別代碼.</summary>
    public const string Gender = "gender";

    /// <summary>群別代碼.</summary>
    public const string Group = "group";

    /// <summary>科班學程別代碼.</summary>
    public const string Department = "department";

    /// <summary>特殊身分別.</summary>
    public const string SpecialStatus = "special-status";

    /// <summary>班別.</summary>
    public const string ClassType = "class-type";

    /// <summary>進修部班別: the 班別 codes that mark continuing-education rows.</summary>
    public const string ContinuingClassType = "continuing-class-type";

    /// <summary>課程類型 (課程代碼 position 10).</summary>
    public const string CourseType = "course-type";

    /// <summary>班群 (課程代碼 position 16).</summary>
    public const string ClassGroup = "class-group";

    /// <summary>課程類別 (課程代碼 position 17).</summary>
    public const string CourseCategory = "course-category";

    /// <summary>開課方式 (課程代碼 position 18).</summary>
    public const string Delivery = "delivery";

    /// <summary>科目屬性 (課程代碼 position 19).</summary>
    public const string SubjectAttribute = "subject-attribute";

    /// <summary>成績及格 and the other pass flags.</summary>
    public const string PassFlag = "pass-flag";

    /// <summary>是否採計學分.</summary>
    public const string CreditCounting = "credit-counting";

    /// <summary>身分別 of transfer rows (轉學生, 轉科生, 跨課綱復學).</summary>
    public const string StudentType = "student-type";

    /// <summary>學籍異動代碼.</summary>
    public const string EnrollmentChange = "enrollment-change";

    /// <summary>重讀註記.</summary>
    public const string RepeatNote = "repeat-note";

    /// <summary>補修方式.</summary>
    public const string MakeupMethod = "makeup-method";

    /// <summary>重修方式.</summary>
    public const string RetakeMethod = "retake-method";

    /// <summary>幹部等級.</summary>
    public const string CadreLevel = "cadre-level";

    /// <summary>部別代碼.</summary>
    public const string Division = "division";

    /// <summary>入學方式 (open: values observed in the research extract).</summary>
    public const string AdmissionMethod = "admission-method";

    /// <summary>Test and administrative school codes that must never be submitted.</summary>
    public const string TestSchool = "test-school";

    /// <summary>The mapping 學籍異動代碼 → 身分別.</summary>
    public const string EnrollmentChangeToStudentType = "enrollment-change-to-student-type";
}
