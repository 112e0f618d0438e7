using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.Records;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Sis.YearPackages;

/// <summary>
/// The standard <see cref="IYearPackageDirectory"/>: a school year's students and grades as the school-administration
/// system has them, read once through <see cref="SisReader"/>. The module's student key is the 學號; a student is in the
/// 進修部 when the 班別 (<c>classType</c>) is in the code table <c>continuing-class-type</c> (as the term rosters decide).
/// A course is the grade row of that student, term and 課程代碼 that carries its subject name, grade level and credits:
/// <list type="bullet">
/// <item><description>學期: a regular grade (before a 補修, 重修 or 重讀 one); 重讀: the 重讀 grade, else the regular one.</description></item>
/// <item><description>補修: the 補修 grade; its <c>originalSchoolYear</c>/<c>originalTerm</c> are the 應修課學期 and <c>method</c> the 補修方式 (as on 4.3).</description></item>
/// <item><description>重修: the 重修 grade; its <c>originalSchoolYear</c>/<c>originalTerm</c> and <c>originalCourseCode</c> (the grade's own course when empty, as on 5.2) are the 原修課 term and course, <c>method</c> the 重修方式.</description></item>
/// <item><description>轉學轉科: the transfer grade of that term and course, or the only one whose <c>originalSchoolYear</c>/<c>originalTerm</c> and <c>originalCourseCode</c> are them; those are the 原修課 term and course, <c>originalSchoolCode</c> the 原修課學校.</description></item>
/// <item><description>借讀: the regular grade of that term and course (a course taken as a visitor is graded as one of the term's); its <c>originalSchoolCode</c> is the 借讀學校.</description></item>
/// </list>
/// A fact the SIS row does not have is not supplied (the package builder leaves the item out naming it).
/// </summary>
public sealed class SisYearPackageDirectory : IYearPackageDirectory
{
    private readonly Dictionary<string, (NationalId Id, bool Continuing)> _students;
    private readonly Dictionary<(string Student, SchoolTerm Term, CourseCode Course), List<GradeRecord>> _grades;
    private readonly Dictionary<(string Student, SchoolTerm Term, CourseCode Course), GradeRecord?> _transfersByOriginal;

    private SisYearPackageDirectory(
        Dictionary<string, (NationalId, bool)> students,
        Dictionary<(string, SchoolTerm, CourseCode), List<GradeRecord>> grades,
        Dictionary<(string, SchoolTerm, CourseCode), GradeRecord?> transfersByOriginal)
    {
        _students = students;
        _grades = grades;
        _transfersByOriginal = transfersByOriginal;
    }

    /// <summary>Gets the number of students read.</summary>
    public int Students => _students.Count;

    /// <summary>Gets the number of courses read (student, term and 課程代碼).</summary>
    public int Courses => _grades.Count;

    /// <summary>Reads the students and both terms' grades of a school year, with the default code tables.</summary>
    /// <param name="reader">The SIS reader.</param>
    /// <param name="year">The school year.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The directory.</returns>
    public static Task<SisYearPackageDirectory> LoadAsync(SisReader reader, SchoolYear year, CancellationToken cancellationToken = default) =>
        LoadAsync(reader, year, CodeTableCatalog.Default, cancellationToken);

    /// <summary>Reads the students and both terms' grades of a school year.</summary>
    /// <param name="reader">The SIS reader.</param>
    /// <param name="year">The school year.</param>
    /// <param name="codes">The code tables (<c>continuing-class-type</c> tells the 進修部's 班別).</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The directory.</returns>
    public static async Task<SisYearPackageDirectory> LoadAsync(SisReader reader, SchoolYear year, CodeTableCatalog codes, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(codes);
        HashSet<string> continuingClassTypes = codes.TryGetTable("continuing-class-type", out var table) ? [.. table.Entries.Select(e => e.Code)] : [];
        var students = new Dictionary<string, (NationalId, bool)>(StringComparer.Ordinal);
        await foreach (var row in reader.ReadStudentsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (row.Record is { } student && !student.NationalId.IsEmpty)
            {
                students[student.StudentNumber] = (student.NationalId, student.ClassType is { } type && continuingClassTypes.Contains(type));
            }
        }

        var grades = new Dictionary<(string, SchoolTerm, CourseCode), List<GradeRecord>>();
        var transfers = new Dictionary<(string, SchoolTerm, CourseCode), GradeRecord?>();
        foreach (var term in new[] { new SchoolTerm(year, Term.First), new SchoolTerm(year, Term.Second) })
        {
            await foreach (var row in reader.ReadGradesAsync(term, cancellationToken).ConfigureAwait(false))
            {
                if (row.Record is not { } record)
                {
                    continue;
                }

                var key = (record.StudentNumber, record.Term, record.CourseCode);
                if (!grades.TryGetValue(key, out var rows))
                {
                    grades.Add(key, rows = []);
                }

                rows.Add(record);
                if (record is { Kind: GradeKind.Transfer, OriginalTerm: { } originalTerm, OriginalCourseCode: { } originalCourse })
                {
                    // Two transfer grades of one original course cannot tell which is meant: neither answers for it.
                    var original = (record.StudentNumber, originalTerm, originalCourse);
                    transfers[original] = transfers.ContainsKey(original) ? null : record;
                }
            }
        }

        return new SisYearPackageDirectory(students, grades, transfers);
    }

    /// <inheritdoc/>
    public ValueTask<NationalId?> FindNationalIdAsync(string studentKey, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<NationalId?>(_students.TryGetValue(studentKey, out var student) ? student.Id : null);

    /// <inheritdoc/>
    public ValueTask<RosterDivision?> FindDivisionAsync(string studentKey, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<RosterDivision?>(_students.TryGetValue(studentKey, out var student) ? student.Continuing ? RosterDivision.Continuing : RosterDivision.Day : null);

    /// <inheritdoc/>
    public ValueTask<YearPackageCourse?> FindCourseAsync(string studentKey, SchoolTerm term, CourseCode courseCode, CancellationToken cancellationToken = default) =>
        FindCourseAsync(studentKey, CourseOutcomeKind.Semester, term, courseCode, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<YearPackageCourse?> FindCourseAsync(string studentKey, CourseOutcomeKind kind, SchoolTerm term, CourseCode courseCode, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(studentKey);
        var rows = _grades.GetValueOrDefault((studentKey, term, courseCode)) ?? [];
        GradeRecord? Of(GradeKind k) => rows.Find(g => g.Kind == k && HasCourse(g));
        GradeRecord? TransferTakenThen() => _transfersByOriginal.TryGetValue((studentKey, term, courseCode), out var t) && t is not null && HasCourse(t) ? t : null;
        var grade = kind switch
        {
            CourseOutcomeKind.Semester => Of(GradeKind.Regular) ?? rows.Find(HasCourse),
            CourseOutcomeKind.RepeatYear => Of(GradeKind.RepeatYear) ?? Of(GradeKind.Regular),
            CourseOutcomeKind.MakeupCourse => Of(GradeKind.MakeupCourse),
            CourseOutcomeKind.Retake => Of(GradeKind.Retake),
            CourseOutcomeKind.Transfer => Of(GradeKind.Transfer) ?? TransferTakenThen(),
            CourseOutcomeKind.Visiting => Of(GradeKind.Regular),
            _ => null,
        };
        if (grade is null)
        {
            return ValueTask.FromResult<YearPackageCourse?>(null);
        }

        var course = new YearPackageCourse(grade.SubjectName!, grade.GradeLevel!.Value, grade.Credits!.Value);
        course = kind switch
        {
            CourseOutcomeKind.MakeupCourse => course with { DueTerm = grade.OriginalTerm, Method = Blank(grade.Method) },
            CourseOutcomeKind.Retake => course with { OriginalTerm = grade.OriginalTerm, OriginalCourseCode = grade.OriginalCourseCode ?? grade.CourseCode, Method = Blank(grade.Method) },
            CourseOutcomeKind.Transfer => course with { OriginalSchool = School(grade.OriginalSchoolCode), OriginalTerm = grade.OriginalTerm, OriginalCourseCode = grade.OriginalCourseCode },
            CourseOutcomeKind.Visiting => course with { VisitingSchool = School(grade.OriginalSchoolCode) },
            _ => course,
        };
        return ValueTask.FromResult<YearPackageCourse?>(course);
    }

    private static bool HasCourse(GradeRecord g) => g is { SubjectName: { Length: > 0 }, GradeLevel: not null, Credits: not null };

    private static string? Blank(string? text) => string.IsNullOrWhiteSpace(text) ? null : text.Trim();

    // A 學校代碼 that does not parse is not supplied (the item is left out naming it), never guessed.
    private static SchoolCode? School(string? text) => SchoolCode.TryParse(text?.Trim(), out var code) ? code : null;
}
