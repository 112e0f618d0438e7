using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Privacy;

namespace Portfolio.Sdk.Workflow;

/// <summary>Which of a student's own documents (學生自述文件).</summary>
public enum StudentDocumentKind
{
    /// <summary>自傳.</summary>
    Autobiography = 1,

    /// <summary>學習計畫.</summary>
    StudyPlan,
}

/// <summary>A student's autobiography or study plan (自傳、學習計畫, seed 001 §4-10): written and kept by the student.</summary>
public sealed record StudentDocument
{
    /// <summary>Gets the identifier.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the student's key.</summary>
    public required string StudentKey { get; init; }

    /// <summary>Gets which document it is.</summary>
    public required StudentDocumentKind Kind { get; init; }

    /// <summary>Gets the text.</summary>
    public required string Text { get; init; }

    /// <summary>Gets the SHA-256 of each attached file.</summary>
    public IReadOnlyList<string> FileHashes { get; init; } = [];

    /// <summary>Gets the version, increased by every change.</summary>
    public long Version { get; init; } = 1;

    /// <summary>Returns the identifying fields with the student key masked and no text.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"StudentDocument {{ Id = {Id}, StudentKey = {Redaction.MaskIdentifier(StudentKey)}, Kind = {Kind}, Version = {Version} }}";

    /// <summary>The student edits their own document.</summary>
    /// <param name="actor">Who acts.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="text">The new text.</param>
    /// <param name="fileHashes">The new files.</param>
    /// <returns>The result.</returns>
    public WorkflowResult<StudentDocument> Edit(PortfolioActor actor, long expectedVersion, string text, IReadOnlyList<string> fileHashes)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(fileHashes);
        Diagnostic? problem = actor.Check(PortfolioOperation.EditOwnPortfolio, new PortfolioTarget(StudentKey))
            ?? (expectedVersion != Version ? DiagnosticCatalog.Create(DiagnosticCodes.VersionConflict, null, expectedVersion, Version) : null);
        return problem is null
            ? WorkflowResult<StudentDocument>.Ok(this with { Text = text, FileHashes = [.. fileHashes], Version = Version + 1 })
            : WorkflowResult<StudentDocument>.Refused(problem);
    }
}

/// <summary>Whether counselling was given to one student or to a group (諮詢形式).</summary>
public enum CounselingForm
{
    /// <summary>個別諮詢.</summary>
    Individual = 1,

    /// <summary>團體諮詢.</summary>
    Group,
}

/// <summary>
/// A course-counselling record (課程諮詢紀錄, seed 001 §4-9), written by a 課程諮詢教師 for one student or a group. It
/// stays in the school: it is part of the portfolio but is never submitted to the central database.
/// </summary>
public sealed record CounselingRecord
{
    /// <summary>Gets the identifier.</summary>
    public required Guid Id { get; init; }

    /// <summary>Gets the counselling teacher's user id.</summary>
    public required string CounselorId { get; init; }

    /// <summary>Gets the students counselled.</summary>
    public required IReadOnlyList<string> StudentKeys { get; init; }

    /// <summary>Gets the date of the counselling.</summary>
    public required DateOnly Date { get; init; }

    /// <summary>Gets whether it was individual or group counselling.</summary>
    public CounselingForm Form { get; init; } = CounselingForm.Individual;

    /// <summary>Gets the topic.</summary>
    public required string Topic { get; init; }

    /// <summary>Gets the notes.</summary>
    public string? Notes { get; init; }

    /// <summary>Gets the SHA-256 of each attachment (pdf, jpg or png; see <see cref="Policy.UploadKind.Counseling"/>).</summary>
    public IReadOnlyList<string> AttachmentHashes { get; init; } = [];

    /// <summary>Gets the version, increased by every change.</summary>
    public long Version { get; init; } = 1;

    /// <summary>Gets whether the record goes to the central database: never.</summary>
    public static bool IsSubmittedToCentralDatabase => false;

    /// <summary>Creates a record; only a role allowed to record counselling may.</summary>
    /// <param name="actor">Who records it.</param>
    /// <param name="record">The record, with <see cref="CounselorId"/> set to the actor.</param>
    /// <returns>The result.</returns>
    public static WorkflowResult<CounselingRecord> Create(PortfolioActor actor, CounselingRecord record)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(record);
        if (actor.Check(PortfolioOperation.RecordCounseling, new PortfolioTarget()) is { } denied)
        {
            return WorkflowResult<CounselingRecord>.Refused(denied);
        }

        return record.StudentKeys.Count == 0 || string.IsNullOrWhiteSpace(record.Topic) || record.CounselorId != actor.UserId
            || (record.Form == CounselingForm.Individual && record.StudentKeys.Count != 1)
            ? throw new ArgumentException("A counselling record needs its counsellor (the actor), a topic and its students (one for individual counselling).", nameof(record))
            : WorkflowResult<CounselingRecord>.Ok(record with { Version = 1 });
    }

    /// <summary>Returns the identifying fields with the counsellor masked, no students and no notes.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"CounselingRecord {{ Id = {Id}, CounselorId = {Redaction.MaskIdentifier(CounselorId)}, Date = {Date:yyyy-MM-dd}, Form = {Form}, Students = {StudentKeys.Count} }}");
}
