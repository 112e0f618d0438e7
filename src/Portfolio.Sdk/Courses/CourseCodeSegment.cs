namespace Portfolio.Sdk.Courses;

/// <summary>The eleven segments of a 23-character 課程代碼, in order.</summary>
public enum CourseCodeSegment
{
    /// <summary>適用入學年度 (positions 1–3): the cohort's ROC entry year.</summary>
    CohortYear = 0,

    /// <summary>學校代碼 (positions 4–9).</summary>
    SchoolCode = 1,

    /// <summary>課程類型 (position 10): H 普通型, V 技術型 ….</summary>
    CourseType = 2,

    /// <summary>群別代碼 (positions 11–12).</summary>
    Group = 3,

    /// <summary>科/班/學程別代碼 (positions 13–15).</summary>
    Department = 4,

    /// <summary>班群 (position 16), school-defined.</summary>
    ClassGroup = 5,

    /// <summary>課程類別 (position 17): 1 部定必修 … 8 團體活動時間, 9 彈性學習時間.</summary>
    CourseCategory = 6,

    /// <summary>開課方式 (position 18).</summary>
    Delivery = 7,

    /// <summary>科目屬性 (position 19).</summary>
    SubjectAttribute = 8,

    /// <summary>領域名稱代碼 (positions 20–21).</summary>
    Domain = 9,

    /// <summary>科目名稱代碼 (positions 22–23).</summary>
    Subject = 10,
}
