using Portfolio.Sdk.Sis.Records;

namespace Portfolio.Sdk.Sis.Profiles;

/// <summary>How a SIS value is converted into a record field.</summary>
public enum SisFieldType
{
    /// <summary>Text.</summary>
    Text = 0,

    /// <summary>身分證號 with check digit.</summary>
    NationalId,

    /// <summary>A date: a database date, or Gregorian, ROC or Excel-serial text.</summary>
    Date,

    /// <summary>A whole number.</summary>
    WholeNumber,

    /// <summary>A decimal number.</summary>
    Number,

    /// <summary>An ROC school year; a Gregorian year (1912 or later) is converted.</summary>
    SchoolYear,

    /// <summary>A term, 1 or 2.</summary>
    Term,

    /// <summary>A 課程代碼.</summary>
    CourseCode,

    /// <summary>A comma-separated code list, normalised.</summary>
    CodeList,

    /// <summary>A <see cref="Records.GradeKind"/>: its name or number.</summary>
    GradeKind,
}

/// <summary>A field of a SIS record that a profile maps a column onto.</summary>
/// <param name="Name">The field name used in profiles, e.g. <c>nationalId</c>.</param>
/// <param name="Type">How values are converted.</param>
/// <param name="IsRequired">Whether a profile must map it and every row must have it.</param>
public sealed record SisField(string Name, SisFieldType Type, bool IsRequired)
{
    private static readonly Dictionary<SisRecordKind, SisField[]> ByKind = new()
    {
        [SisRecordKind.Students] =
        [
            new("studentNumber", SisFieldType.Text, true), new("nationalId", SisFieldType.NationalId, true), new("birthDate", SisFieldType.Date, true),
            new("name", SisFieldType.Text, false), new("gender", SisFieldType.Text, false), new("entryYear", SisFieldType.SchoolYear, false),
            new("classType", SisFieldType.Text, false), new("division", SisFieldType.Text, false), new("group", SisFieldType.Text, false),
            new("department", SisFieldType.Text, false), new("specialStatus", SisFieldType.CodeList, false), new("indigenousNation", SisFieldType.Text, false),
            new("admissionMethod", SisFieldType.Text, false), new("enrollmentStatus", SisFieldType.Text, false),
        ],
        [SisRecordKind.StudentTerms] =
        [
            new("studentNumber", SisFieldType.Text, true), new("schoolYear", SisFieldType.SchoolYear, true), new("term", SisFieldType.Term, true),
            new("gradeLevel", SisFieldType.WholeNumber, false), new("className", SisFieldType.Text, false), new("seatNumber", SisFieldType.WholeNumber, false),
        ],
        [SisRecordKind.EnrollmentChanges] =
        [
            new("studentNumber", SisFieldType.Text, true), new("changeCode", SisFieldType.Text, true), new("changeDate", SisFieldType.Date, false),
        ],
        [SisRecordKind.Courses] =
        [
            new("schoolYear", SisFieldType.SchoolYear, true), new("term", SisFieldType.Term, true), new("courseCode", SisFieldType.CourseCode, true),
            new("subjectName", SisFieldType.Text, true), new("credits", SisFieldType.Number, false), new("gradeLevel", SisFieldType.WholeNumber, false),
        ],
        [SisRecordKind.Grades] =
        [
            new("studentNumber", SisFieldType.Text, true), new("schoolYear", SisFieldType.SchoolYear, true), new("term", SisFieldType.Term, true),
            new("courseCode", SisFieldType.CourseCode, true), new("kind", SisFieldType.GradeKind, false), new("subjectName", SisFieldType.Text, false),
            new("gradeLevel", SisFieldType.WholeNumber, false), new("credits", SisFieldType.Number, false), new("score", SisFieldType.Number, false),
            new("passed", SisFieldType.Text, false), new("makeupExamScore", SisFieldType.Number, false), new("makeupExamPassed", SisFieldType.Text, false),
            new("creditCounting", SisFieldType.Text, false), new("originalSchoolYear", SisFieldType.SchoolYear, false), new("originalTerm", SisFieldType.Term, false),
            new("originalCourseCode", SisFieldType.CourseCode, false), new("method", SisFieldType.Text, false), new("repeatNote", SisFieldType.Text, false),
            new("studentType", SisFieldType.Text, false), new("yearScore", SisFieldType.Number, false), new("yearPassed", SisFieldType.Text, false),
            new("secondTermCredits", SisFieldType.Number, false), new("secondMakeupExamScore", SisFieldType.Number, false), new("secondMakeupExamPassed", SisFieldType.Text, false),
            new("originalSchoolCode", SisFieldType.Text, false),
        ],
        [SisRecordKind.Cadres] =
        [
            new("studentNumber", SisFieldType.Text, true), new("schoolYear", SisFieldType.SchoolYear, true), new("term", SisFieldType.Term, true),
            new("unitName", SisFieldType.Text, true), new("position", SisFieldType.Text, true), new("startDate", SisFieldType.Date, false),
            new("endDate", SisFieldType.Date, false), new("cadreLevel", SisFieldType.Text, false),
        ],
    };

    /// <summary>Gets the fields of a record kind, in order.</summary>
    /// <param name="kind">The record kind.</param>
    /// <returns>The fields.</returns>
    public static IReadOnlyList<SisField> Of(SisRecordKind kind) => ByKind[kind];

    /// <summary>Gets whether records of <paramref name="kind"/> are read one term at a time.</summary>
    /// <param name="kind">The record kind.</param>
    /// <returns><see langword="true"/> when the kind has <c>schoolYear</c> and <c>term</c> fields.</returns>
    public static bool IsPerTerm(SisRecordKind kind) => ByKind[kind].Any(f => f.Name == "term");
}
