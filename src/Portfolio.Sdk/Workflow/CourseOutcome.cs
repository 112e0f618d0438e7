using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Privacy;

namespace Portfolio.Sdk.Workflow;

/// <summary>The certification state of a course outcome (認證狀態).</summary>
public enum CertificationState
{
    /// <summary>未送審: the student is writing it.</summary>
    Draft = 0,

    /// <summary>待認證: sent for certification (送審).</summary>
    Pending,

    /// <summary>認證通過: certified; the student can no longer edit it and may select it.</summary>
    Certified,

    /// <summary>認證不通過: returned with a reason; the student may edit and resend it.</summary>
    Rejected,
}

/// <summary>Which course a course outcome belongs to (課程學習成果類別), matching the roster's sheets.</summary>
public enum CourseOutcomeKind
{
    /// <summary>學期課程學習成果.</summary>
    Semester = 0,

    /// <summary>補修課程學習成果.</summary>
    MakeupCourse,

    /// <summary>重修課程學習成果.</summary>
    Retake,

    /// <summary>重讀課程學習成果.</summary>
    RepeatYear,

    /// <summary>轉學轉科課程學習成果.</summary>
    Transfer,

    /// <summary>借讀課程學習成果.</summary>
    Visiting,
}

/// <summary>
/// A 課程學習成果 as the workflow sees it: immutable; every transition of <see cref="CourseOutcomeWorkflow"/> returns
/// a new value with <see cref="Version"/> increased, which a store uses for optimistic concurrency.
/// </summary>
public sealed record CourseOutcome
{
    /// <summary>Gets the identifier.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the student's key.</summary>
    public required string StudentKey { get; init; }

    /// <summary>Gets the student's class (for the 導師's scope).</summary>
    public string? ClassName { get; init; }

    /// <summary>Gets the term the course was taken.</summary>
    public required SchoolTerm Term { get; init; }

    /// <summary>Gets the course.</summary>
    public required CourseCode CourseCode { get; init; }

    /// <summary>Gets the kind of course.</summary>
    public CourseOutcomeKind Kind { get; init; }

    /// <summary>Gets the 簡述.</summary>
    public required string Summary { get; init; }

    /// <summary>Gets the SHA-256 of each attached file.</summary>
    public IReadOnlyList<string> FileHashes { get; init; } = [];

    /// <summary>Gets the certification state.</summary>
    public CertificationState State { get; init; }

    /// <summary>Gets the user id of the teacher who certifies it (the course's teacher unless changed).</summary>
    public required string CertifyingTeacher { get; init; }

    /// <summary>Gets the user id of the proxy teacher (代理人), when one is assigned.</summary>
    public string? ProxyTeacher { get; init; }

    /// <summary>Gets the 認證說明 of a rejection.</summary>
    public string? CertificationNote { get; init; }

    /// <summary>Gets the school year it is selected for (勾選), or <see langword="null"/>.</summary>
    public SchoolYear? SelectedFor { get; init; }

    /// <summary>Gets whether a roster submission locked it.</summary>
    public bool IsLocked { get; init; }

    /// <summary>Gets the version, increased by every change.</summary>
    public long Version { get; init; } = 1;

    /// <summary>
    /// Gets the code of the school it was transferred from (轉入, 歷程交換), or <see langword="null"/> for the school's own:
    /// a transferred outcome is the sending school's history, which the receiving school may select but never edit or certify.
    /// </summary>
    public string? TransferredFrom { get; init; }

    /// <summary>Gets the facts its permissions are checked against.</summary>
    public PortfolioTarget Target => new(StudentKey, ClassName, CourseCode.Value, CertifyingTeacher, ProxyTeacher);

    /// <summary>Returns the identifying fields with the student key masked and no content.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"CourseOutcome {{ Id = {Id}, StudentKey = {Redaction.MaskIdentifier(StudentKey)}, Term = {Term}, CourseCode = {CourseCode}, State = {State}, Version = {Version} }}";
}
