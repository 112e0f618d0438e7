using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Identity;

namespace Portfolio.Sdk.Rosters.Packages;

/// <summary>
/// What a per-year package (課程學習成果, 多元表現) needs that the portfolio module does not keep: a student key's
/// 身分證號 and a course's subject name, grade level and credits, as the school-administration system (校務行政系統)
/// knows them. The vendor supplies it (Portfolio.Sdk.Sis has one over its reader's basic data and grades).
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
}

/// <summary>A course as a 課程學習成果 row names it.</summary>
/// <param name="SubjectName">The 科目名稱.</param>
/// <param name="GradeLevel">The 開課年級 (1–3).</param>
/// <param name="Credits">The 實際學分數.</param>
public sealed record YearPackageCourse(string SubjectName, int GradeLevel, decimal Credits);
