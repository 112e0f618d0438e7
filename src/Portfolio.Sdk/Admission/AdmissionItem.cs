using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Admission;

/// <summary>What a submitted item is: a 課程學習成果 or a 多元表現.</summary>
public enum AdmissionItemKind
{
    /// <summary>課程學習成果.</summary>
    CourseOutcome = 1,

    /// <summary>多元表現.</summary>
    Performance,
}

/// <summary>
/// An item the student submitted to the central database (已提交項目), as admission preparation sees it: which kind,
/// the school year it was submitted for, and the facts the item codes test (the 課程代碼's 科目屬性, the 多元表現 category).
/// It carries no student key, name or text.
/// </summary>
public sealed record AdmissionItem
{
    /// <summary>Gets the item's identifier in the store.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the kind.</summary>
    public required AdmissionItemKind Kind { get; init; }

    /// <summary>Gets the school year it was selected and submitted for.</summary>
    public required SchoolYear SubmittedFor { get; init; }

    /// <summary>Gets the course of a course outcome (its 科目屬性 decides the 四技二專 code), or <see langword="null"/>.</summary>
    public CourseCode? CourseCode { get; init; }

    /// <summary>Gets the category of a 多元表現 (roster sheet id, e.g. <c>performance-competition</c>), or <see langword="null"/>.</summary>
    public string? PerformanceCategory { get; init; }

    /// <summary>Takes a course outcome selected for a school year.</summary>
    /// <param name="outcome">The course outcome.</param>
    /// <returns>The item.</returns>
    /// <exception cref="ArgumentException">The outcome is not selected for any year.</exception>
    public static AdmissionItem From(CourseOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new AdmissionItem
        {
            Id = outcome.Id,
            Kind = AdmissionItemKind.CourseOutcome,
            SubmittedFor = outcome.SelectedFor ?? throw new ArgumentException("The course outcome is not selected for a school year.", nameof(outcome)),
            CourseCode = outcome.CourseCode,
        };
    }

    /// <summary>Takes a 多元表現 selected for a school year.</summary>
    /// <param name="item">The 多元表現.</param>
    /// <returns>The item.</returns>
    /// <exception cref="ArgumentException">The item is not selected for any year.</exception>
    public static AdmissionItem From(PerformanceItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new AdmissionItem
        {
            Id = item.Id,
            Kind = AdmissionItemKind.Performance,
            SubmittedFor = item.SelectedFor ?? throw new ArgumentException("The performance is not selected for a school year.", nameof(item)),
            PerformanceCategory = item.Category,
        };
    }
}
