using Portfolio.Sdk.Admission;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;

namespace Portfolio.Sdk.Tests.Admission;

/// <summary>Submitted items for the admission tests: no student key, name or text, only what the rules test.</summary>
internal static class AdmissionTestData
{
    /// <summary>A valid 課程代碼 of school 060322, category 1 (部定必修), with the given 科目屬性 at position 19.</summary>
    public static CourseCode Course(string attribute, int cohort = 111) =>
        CourseCode.Parse(string.Concat(cohort.ToString(System.Globalization.CultureInfo.InvariantCulture), "060322", "V", "21", "301", "0", "1", "0", attribute, "01", "01"));

    public static AdmissionItem Outcome(string attribute, int submittedFor) => new()
    {
        Id = Guid.NewGuid(),
        Kind = AdmissionItemKind.CourseOutcome,
        SubmittedFor = new SchoolYear(submittedFor),
        CourseCode = Course(attribute),
    };

    public static AdmissionItem Performance(string category, int submittedFor) => new()
    {
        Id = Guid.NewGuid(),
        Kind = AdmissionItemKind.Performance,
        SubmittedFor = new SchoolYear(submittedFor),
        PerformanceCategory = category,
    };

    /// <summary>Every 科目屬性 of the code table, the unknown C, and the 10 多元表現 categories of the roster catalogue plus one unknown.</summary>
    public static readonly string[] Attributes = ["0", "1", "2", "3", "4", "5", "6", "A", "B", "C", "D"];

    public static readonly string[] Categories =
    [
        "performance-cadre", "performance-competition", "performance-certificate", "performance-service", "performance-flexible",
        "performance-group-activity", "performance-workplace", "performance-work", "performance-precollege", "performance-other", "performance-unknown",
    ];
}
