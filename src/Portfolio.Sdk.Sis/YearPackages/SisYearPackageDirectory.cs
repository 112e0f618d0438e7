using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.Records;

namespace Portfolio.Sdk.Sis.YearPackages;

/// <summary>
/// The standard <see cref="IYearPackageDirectory"/>: a school year's students and grades as the school-administration
/// system has them, read once through <see cref="SisReader"/>. The module's student key is the 學號; a course is the
/// grade row of that student, term and 課程代碼 (a regular grade before a 補修, 重修 or 重讀 one) that carries its subject
/// name, grade level and credits.
/// </summary>
public sealed class SisYearPackageDirectory : IYearPackageDirectory
{
    private readonly Dictionary<string, NationalId> _students;
    private readonly Dictionary<(string Student, SchoolTerm Term, CourseCode Course), YearPackageCourse> _courses;

    private SisYearPackageDirectory(Dictionary<string, NationalId> students, Dictionary<(string, SchoolTerm, CourseCode), YearPackageCourse> courses)
    {
        _students = students;
        _courses = courses;
    }

    /// <summary>Gets the number of students read.</summary>
    public int Students => _students.Count;

    /// <summary>Gets the number of courses read (student, term and 課程代碼).</summary>
    public int Courses => _courses.Count;

    /// <summary>Reads the students and both terms' grades of a school year.</summary>
    /// <param name="reader">The SIS reader.</param>
    /// <param name="year">The school year.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The directory.</returns>
    public static async Task<SisYearPackageDirectory> LoadAsync(SisReader reader, SchoolYear year, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var students = new Dictionary<string, NationalId>(StringComparer.Ordinal);
        await foreach (var row in reader.ReadStudentsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (row.Record is { } student && !student.NationalId.IsEmpty)
            {
                students[student.StudentNumber] = student.NationalId;
            }
        }

        var courses = new Dictionary<(string, SchoolTerm, CourseCode), YearPackageCourse>();
        foreach (var term in new[] { new SchoolTerm(year, Term.First), new SchoolTerm(year, Term.Second) })
        {
            await foreach (var row in reader.ReadGradesAsync(term, cancellationToken).ConfigureAwait(false))
            {
                if (row.Record is { SubjectName: { Length: > 0 } subject, GradeLevel: { } grade, Credits: { } credits } record)
                {
                    var key = (record.StudentNumber, record.Term, record.CourseCode);
                    if (record.Kind == GradeKind.Regular || !courses.ContainsKey(key))
                    {
                        courses[key] = new YearPackageCourse(subject, grade, credits);
                    }
                }
            }
        }

        return new SisYearPackageDirectory(students, courses);
    }

    /// <inheritdoc/>
    public ValueTask<NationalId?> FindNationalIdAsync(string studentKey, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult<NationalId?>(_students.TryGetValue(studentKey, out var id) ? id : null);

    /// <inheritdoc/>
    public ValueTask<YearPackageCourse?> FindCourseAsync(string studentKey, SchoolTerm term, CourseCode courseCode, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(_courses.GetValueOrDefault((studentKey, term, courseCode)));
}
