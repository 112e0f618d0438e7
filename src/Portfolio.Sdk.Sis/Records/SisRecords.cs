using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Privacy;

namespace Portfolio.Sdk.Sis.Records;

/// <summary>The kinds of record a SIS mapping profile can map, in the order a school's data is usually read.</summary>
public enum SisRecordKind
{
    /// <summary>學籍資料: one row per student.</summary>
    Students = 1,

    /// <summary>學期編班: class, seat and grade per student and term.</summary>
    StudentTerms,

    /// <summary>學籍異動: status changes, from which 身分別 is derived.</summary>
    EnrollmentChanges,

    /// <summary>開課資料: the course master with 課程代碼.</summary>
    Courses,

    /// <summary>學期成績: grades, including 補考, 補修, 重修, 重讀 and transfer credits.</summary>
    Grades,

    /// <summary>校內幹部經歷: cadre records.</summary>
    Cadres,
}

/// <summary>Which roster sheet a grade belongs to (成績類別).</summary>
public enum GradeKind
{
    /// <summary>A regular semester grade (4.2 學期成績).</summary>
    Regular = 0,

    /// <summary>A make-up course grade (4.3 補修成績).</summary>
    MakeupCourse,

    /// <summary>A transfer credit (4.4 轉學轉科成績).</summary>
    Transfer,

    /// <summary>A retake grade (5.2 重修成績).</summary>
    Retake,

    /// <summary>A repeat-year grade (5.3 重讀成績).</summary>
    RepeatYear,

    /// <summary>
    /// A 進修部 year course's 補考 (6.3 補考成績): both terms' 節數 (<c>credits</c>, <c>secondTermCredits</c>) and the
    /// first and second 補考 (<c>makeupExamScore</c>/<c>makeupExamPassed</c>, <c>secondMakeupExamScore</c>/
    /// <c>secondMakeupExamPassed</c>). Day students' 補考 stays on their regular grade row.
    /// </summary>
    MakeupExam,
}

/// <summary>A student's basic data from the SIS (學籍資料).</summary>
public sealed record StudentRecord
{
    /// <summary>Gets the SIS's own student key (學號), which links the other records.</summary>
    public required string StudentNumber { get; init; }

    /// <summary>Gets the 身分證號.</summary>
    public required NationalId NationalId { get; init; }

    /// <summary>Gets the 出生日期.</summary>
    public required DateOnly BirthDate { get; init; }

    /// <summary>Gets the 姓名 (personal data; never in <see cref="ToString"/>).</summary>
    public string? Name { get; init; }

    /// <summary>Gets the 性別代碼 (1 男, 2 女).</summary>
    public string? Gender { get; init; }

    /// <summary>Gets the 入學學年度.</summary>
    public SchoolYear? EntryYear { get; init; }

    /// <summary>Gets the 班別 code.</summary>
    public string? ClassType { get; init; }

    /// <summary>Gets the 部別 code.</summary>
    public string? Division { get; init; }

    /// <summary>Gets the 群別 code.</summary>
    public string? Group { get; init; }

    /// <summary>Gets the 科班學程別 code.</summary>
    public string? Department { get; init; }

    /// <summary>Gets the 特殊身分別 list, normalised (<c>1,4</c>).</summary>
    public string? SpecialStatus { get; init; }

    /// <summary>Gets the 原住民族別.</summary>
    public string? IndigenousNation { get; init; }

    /// <summary>Gets the 入學方式.</summary>
    public string? AdmissionMethod { get; init; }

    /// <summary>Gets the 學籍狀態.</summary>
    public string? EnrollmentStatus { get; init; }

    /// <summary>Returns the record with the student key and ID masked and no name.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"StudentRecord {{ StudentNumber = {Redaction.MaskIdentifier(StudentNumber)}, NationalId = {NationalId} }}";
}

/// <summary>A student's class, seat and grade in one term (學期編班).</summary>
public sealed record StudentTermRecord
{
    /// <summary>Gets the 學號.</summary>
    public required string StudentNumber { get; init; }

    /// <summary>Gets the term.</summary>
    public required SchoolTerm Term { get; init; }

    /// <summary>Gets the 年級.</summary>
    public int? GradeLevel { get; init; }

    /// <summary>Gets the 班級名稱.</summary>
    public string? ClassName { get; init; }

    /// <summary>Gets the 座號.</summary>
    public int? SeatNumber { get; init; }

    /// <summary>Returns the record with the student key masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"StudentTermRecord {{ StudentNumber = {Redaction.MaskIdentifier(StudentNumber)}, Term = {Term}, ClassName = {ClassName} }}";
}

/// <summary>A status change (學籍異動), with the 身分別 it implies for transfer rows.</summary>
public sealed record EnrollmentChangeRecord
{
    /// <summary>Gets the 學號.</summary>
    public required string StudentNumber { get; init; }

    /// <summary>Gets the 學籍異動代碼.</summary>
    public required string ChangeCode { get; init; }

    /// <summary>Gets the date of the change.</summary>
    public DateOnly? ChangeDate { get; init; }

    /// <summary>Gets the 身分別 the change implies (1 轉學生, 2 轉科生, 3 跨課綱復學), or <see langword="null"/>.</summary>
    public string? StudentType { get; init; }

    /// <summary>Returns the record with the student key masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"EnrollmentChangeRecord {{ StudentNumber = {Redaction.MaskIdentifier(StudentNumber)}, ChangeCode = {ChangeCode} }}";
}

/// <summary>A course offered in a term (開課資料).</summary>
public sealed record CourseRecord
{
    /// <summary>Gets the term.</summary>
    public required SchoolTerm Term { get; init; }

    /// <summary>Gets the 課程代碼.</summary>
    public required CourseCode CourseCode { get; init; }

    /// <summary>Gets the 科目名稱.</summary>
    public required string SubjectName { get; init; }

    /// <summary>Gets the 學分.</summary>
    public decimal? Credits { get; init; }

    /// <summary>Gets the 開課年級.</summary>
    public int? GradeLevel { get; init; }
}

/// <summary>A grade (成績), of any <see cref="GradeKind"/>.</summary>
public sealed record GradeRecord
{
    /// <summary>Gets the 學號.</summary>
    public required string StudentNumber { get; init; }

    /// <summary>Gets the term the grade was earned in.</summary>
    public required SchoolTerm Term { get; init; }

    /// <summary>Gets the kind (which roster sheet it goes to).</summary>
    public GradeKind Kind { get; init; }

    /// <summary>Gets the 課程代碼.</summary>
    public required CourseCode CourseCode { get; init; }

    /// <summary>Gets the 科目名稱.</summary>
    public string? SubjectName { get; init; }

    /// <summary>Gets the 開課年級.</summary>
    public int? GradeLevel { get; init; }

    /// <summary>Gets the 修課學分.</summary>
    public decimal? Credits { get; init; }

    /// <summary>Gets the score, or <see langword="null"/> for none.</summary>
    public decimal? Score { get; init; }

    /// <summary>Gets the pass flag (1, 0 or -1).</summary>
    public string? Passed { get; init; }

    /// <summary>Gets the 補考成績.</summary>
    public decimal? MakeupExamScore { get; init; }

    /// <summary>Gets the 補考及格 flag.</summary>
    public string? MakeupExamPassed { get; init; }

    /// <summary>Gets the 是否採計學分 code.</summary>
    public string? CreditCounting { get; init; }

    /// <summary>Gets the original (or due) term of a 補修, 重修 or transfer grade.</summary>
    public SchoolTerm? OriginalTerm { get; init; }

    /// <summary>Gets the original course of a 重修 grade.</summary>
    public CourseCode? OriginalCourseCode { get; init; }

    /// <summary>
    /// Gets the 學校代碼 of the other school of a grade: the school a transfer grade's course was first taken at (轉學轉科
    /// 原修課學校), or the school a course was taken at as a visitor (借讀學校). Used by the 課程學習成果 packages.
    /// </summary>
    public string? OriginalSchoolCode { get; init; }

    /// <summary>Gets the 補修方式 or 重修方式 code.</summary>
    public string? Method { get; init; }

    /// <summary>Gets the 重讀註記 code.</summary>
    public string? RepeatNote { get; init; }

    /// <summary>Gets the 身分別 of a transfer grade.</summary>
    public string? StudentType { get; init; }

    /// <summary>Gets the second term's 節數 of a 進修部 補考 row (6.3 第二學期開設修課節數).</summary>
    public decimal? SecondTermCredits { get; init; }

    /// <summary>Gets the second 補考成績 of a 進修部 補考 row (6.3), or <see langword="null"/> for none.</summary>
    public decimal? SecondMakeupExamScore { get; init; }

    /// <summary>Gets the second 補考及格 flag of a 進修部 補考 row (6.3).</summary>
    public string? SecondMakeupExamPassed { get; init; }

    /// <summary>Gets the 學年學業成績 (進修部 6.2), or <see langword="null"/> for none.</summary>
    public decimal? YearScore { get; init; }

    /// <summary>Gets the 學年及格 flag (進修部 6.2).</summary>
    public string? YearPassed { get; init; }

    /// <summary>Returns the record with the student key masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"GradeRecord {{ StudentNumber = {Redaction.MaskIdentifier(StudentNumber)}, Term = {Term}, Kind = {Kind}, CourseCode = {CourseCode}, Score = {Score} }}";
}

/// <summary>A cadre post held at school (校內幹部經歷).</summary>
public sealed record CadreRecord
{
    /// <summary>Gets the 學號.</summary>
    public required string StudentNumber { get; init; }

    /// <summary>Gets the term.</summary>
    public required SchoolTerm Term { get; init; }

    /// <summary>Gets the 單位名稱 (class, club or school office).</summary>
    public required string UnitName { get; init; }

    /// <summary>Gets the 擔任職務.</summary>
    public required string Position { get; init; }

    /// <summary>Gets the 開始日期.</summary>
    public DateOnly? StartDate { get; init; }

    /// <summary>Gets the 結束日期.</summary>
    public DateOnly? EndDate { get; init; }

    /// <summary>Gets the 幹部等級 code.</summary>
    public string? CadreLevel { get; init; }

    /// <summary>Returns the record with the student key masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"CadreRecord {{ StudentNumber = {Redaction.MaskIdentifier(StudentNumber)}, Term = {Term}, Position = {Position} }}";
}
