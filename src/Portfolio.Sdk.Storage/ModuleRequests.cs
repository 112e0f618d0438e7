using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Storage;

/// <summary>A student's new 課程學習成果 as uploaded: the course, the 簡述 and the files (their type is read from their content).</summary>
public sealed record CourseOutcomeUpload
{
    /// <summary>Gets the student's key.</summary>
    public required string StudentKey { get; init; }

    /// <summary>Gets the student's class (for the 導師's scope and the class views).</summary>
    public string? ClassName { get; init; }

    /// <summary>Gets the term the course was taken.</summary>
    public required SchoolTerm Term { get; init; }

    /// <summary>Gets the course.</summary>
    public required CourseCode CourseCode { get; init; }

    /// <summary>Gets the kind of course.</summary>
    public CourseOutcomeKind Kind { get; init; }

    /// <summary>Gets the 簡述.</summary>
    public required string Summary { get; init; }

    /// <summary>Gets the user id of the teacher who certifies it (the course's teacher).</summary>
    public required string CertifyingTeacher { get; init; }

    /// <summary>Gets whether the work was done by a group (the 簡述 should then state the student's own part).</summary>
    public bool IsGroupWork { get; init; }

    /// <summary>Gets the files' contents, read once each; the caller disposes them.</summary>
    public IReadOnlyList<Stream> Files { get; init; } = [];

    /// <summary>Returns the identifying fields with the student key masked and no content.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"CourseOutcomeUpload {{ StudentKey = {Redaction.MaskIdentifier(StudentKey)}, Term = {Term}, CourseCode = {CourseCode}, Files = {Files.Count} }}";
}

/// <summary>
/// A new 多元表現 item: uploaded by the student (a proof file is required, seed 001 §4-3.4), bulk-imported by staff (it
/// becomes the student's item and the student attaches the proof, §4-5.2), or a school-entered cadre record (校內幹部).
/// </summary>
public sealed record PerformanceUpload
{
    /// <summary>Gets the student's key.</summary>
    public required string StudentKey { get; init; }

    /// <summary>Gets the student's class.</summary>
    public string? ClassName { get; init; }

    /// <summary>Gets the category: the roster sheet identifier, e.g. <c>performance-competition</c>.</summary>
    public required string Category { get; init; }

    /// <summary>Gets the date the performance happened (or started).</summary>
    public required DateOnly Date { get; init; }

    /// <summary>Gets the 內容簡述 (required from a student).</summary>
    public string? Summary { get; init; }

    /// <summary>Gets the category's own fields as the JSON of its roster row, or <see langword="null"/>.</summary>
    public string? FieldsJson { get; init; }

    /// <summary>Gets whether the work was done by a group.</summary>
    public bool IsGroupWork { get; init; }

    /// <summary>Gets whether the school enters it (校內幹部經歷, by a 校內幹部提交者): not selected, not counted.</summary>
    public bool IsSchoolEntered { get; init; }

    /// <summary>Gets the proof files' contents, read once each; the caller disposes them.</summary>
    public IReadOnlyList<Stream> Files { get; init; } = [];

    /// <summary>Returns the identifying fields with the student key masked and no content.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"PerformanceUpload {{ StudentKey = {Redaction.MaskIdentifier(StudentKey)}, Category = {Category}, Files = {Files.Count} }}";
}
