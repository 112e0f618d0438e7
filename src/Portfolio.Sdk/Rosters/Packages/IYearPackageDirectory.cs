using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Rosters.Packages;

/// <summary>
/// What a per-year package (課程學習成果, 多元表現) needs that the portfolio module does not keep: a student key's
/// 身分證號 and 部別, and a course's subject name, grade level and credits with the facts of its kind (補修's 應修課學期 and
/// 補修方式, 重修's and 轉學轉科's 原修課 course, 借讀's school), as the school-administration system (校務行政系統) knows
/// them. The vendor supplies it (Portfolio.Sdk.Sis has one over its reader's basic data and grades). Only
/// <see cref="FindNationalIdAsync"/> and the per-term <see cref="FindCourseAsync(string, SchoolTerm, CourseCode, CancellationToken)"/>
/// must be implemented: the other members have defaults for a day school whose SIS knows only semester courses.
/// </summary>
public interface IYearPackageDirectory
{
    /// <summary>Finds a student's 身分證號.</summary>
    /// <param name="studentKey">The module's student key (usually the 學號).</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The 身分證號, or <see langword="null"/> when the student is unknown (the item is left out).</returns>
    ValueTask<NationalId?> FindNationalIdAsync(string studentKey, CancellationToken cancellationToken = default);

    /// <summary>Finds what the roster says about a course a student took in a term.</summary>
    /// <param name="studentKey">The module's student key.</param>
    /// <param name="term">The term the course was taken.</param>
    /// <param name="courseCode">The 課程代碼.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The course's facts, or <see langword="null"/> when unknown (the item is left out).</returns>
    ValueTask<YearPackageCourse?> FindCourseAsync(string studentKey, SchoolTerm term, CourseCode courseCode, CancellationToken cancellationToken = default);

    /// <summary>
    /// Finds what the sheet of a course outcome's kind needs about its course: the subject name, grade level and credits,
    /// and the facts of the kind (see <see cref="YearPackageCourse"/>: which ones each kind needs). A fact the SIS does not
    /// have stays <see langword="null"/>; the item is then left out with a diagnostic naming it, never written with a
    /// made-up value.
    /// </summary>
    /// <remarks>
    /// The default answers <see cref="CourseOutcomeKind.Semester"/> and <see cref="CourseOutcomeKind.RepeatYear"/> (whose
    /// sheets need no more than the course) with the per-term look-up, and every other kind with <see langword="null"/>
    /// (the item is left out as a course not found): override it to package 補修, 重修, 轉學轉科 and 借讀 outcomes.
    /// </remarks>
    /// <param name="studentKey">The module's student key.</param>
    /// <param name="kind">The course outcome's kind (which sheet it goes on).</param>
    /// <param name="term">The term the course outcome was taken (<see cref="CourseOutcome.Term"/>).</param>
    /// <param name="courseCode">The course outcome's 課程代碼 (<see cref="CourseOutcome.CourseCode"/>).</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The course's facts, or <see langword="null"/> when the course is unknown (the item is left out).</returns>
    ValueTask<YearPackageCourse?> FindCourseAsync(string studentKey, CourseOutcomeKind kind, SchoolTerm term, CourseCode courseCode, CancellationToken cancellationToken = default) =>
        kind is CourseOutcomeKind.Semester or CourseOutcomeKind.RepeatYear
            ? FindCourseAsync(studentKey, term, courseCode, cancellationToken)
            : ValueTask.FromResult<YearPackageCourse?>(null);

    /// <summary>
    /// Finds a student's 部別: a 進修部 (continuing-education) student's course outcomes go into the
    /// <c>continuing-course-outcomes</c> book, every other student's into the day book <c>course-outcomes</c>.
    /// </summary>
    /// <remarks>The default answers <see cref="RosterDivision.Day"/> for every student (a school without a 進修部).</remarks>
    /// <param name="studentKey">The module's student key.</param>
    /// <param name="cancellationToken">Cancels the look-up.</param>
    /// <returns>The division, or <see langword="null"/> when it is not known (the item is left out).</returns>
    ValueTask<RosterDivision?> FindDivisionAsync(string studentKey, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<RosterDivision?>(RosterDivision.Day);
}

/// <summary>
/// A course as a 課程學習成果 row names it: the subject name, grade level and credits of the course (every kind), and the
/// facts only some kinds' sheets have. Each kind needs:
/// <list type="bullet">
/// <item><description>學期 and 重讀: nothing more.</description></item>
/// <item><description>補修 (<c>outcome-makeup</c>): <see cref="DueTerm"/> (應修課學年度/學期) and <see cref="Method"/> (補修方式, code table <c>makeup-method</c>).</description></item>
/// <item><description>重修 (<c>outcome-retake</c>): <see cref="OriginalTerm"/>, <see cref="OriginalCourseCode"/> and <see cref="Method"/> (重修方式, code table <c>retake-method</c>); the 原修課 subject, grade level and credits are <see cref="SubjectName"/>, <see cref="GradeLevel"/> and <see cref="Credits"/>.</description></item>
/// <item><description>轉學轉科 (<c>outcome-transfer</c>): <see cref="OriginalSchool"/>, <see cref="OriginalTerm"/> and <see cref="OriginalCourseCode"/>; the 原修課 subject, grade level and credits (學分/節數) are <see cref="SubjectName"/>, <see cref="GradeLevel"/> and <see cref="Credits"/>.</description></item>
/// <item><description>借讀 (<c>outcome-visiting</c>): <see cref="VisitingSchool"/>; the 借讀 term and 課程代碼 are the outcome's own, the 借讀校 subject, grade level and credits are <see cref="SubjectName"/>, <see cref="GradeLevel"/> and <see cref="Credits"/>.</description></item>
/// </list>
/// </summary>
/// <param name="SubjectName">The 科目名稱 (of the original course for 重修 and 轉學轉科, of the visited school's course for 借讀).</param>
/// <param name="GradeLevel">The 開課年級 (1–4).</param>
/// <param name="Credits">The 實際學分數 (節數 for a 進修部 course).</param>
public sealed record YearPackageCourse(string SubjectName, int GradeLevel, decimal Credits)
{
    /// <summary>Gets the term the course was due (補修: 應修課學年度 and 應修課學期), or <see langword="null"/> when not known.</summary>
    public SchoolTerm? DueTerm { get; init; }

    /// <summary>Gets the 補修方式 (補修) or 重修方式 (重修) code, or <see langword="null"/> when not known.</summary>
    public string? Method { get; init; }

    /// <summary>Gets the school the course was first taken at (轉學轉科: 原修課學校代碼), or <see langword="null"/> when not known.</summary>
    public SchoolCode? OriginalSchool { get; init; }

    /// <summary>Gets the term the course was first taken (重修, 轉學轉科: 原修課學年度 and 原修課學期), or <see langword="null"/> when not known.</summary>
    public SchoolTerm? OriginalTerm { get; init; }

    /// <summary>Gets the 課程代碼 of the course first taken (重修, 轉學轉科: 原修課課程代碼), or <see langword="null"/> when not known.</summary>
    public CourseCode? OriginalCourseCode { get; init; }

    /// <summary>Gets the school the course was taken at as a visitor (借讀: 借讀學校代碼), or <see langword="null"/> when not known.</summary>
    public SchoolCode? VisitingSchool { get; init; }
}
