using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Documents;

/// <summary>What an item on a 確認單 is.</summary>
public enum ConfirmationItemKind
{
    /// <summary>課程學習成果.</summary>
    CourseOutcome = 1,

    /// <summary>多元表現.</summary>
    Performance,
}

/// <summary>One submitted item on a 確認單.</summary>
/// <param name="Kind">Course outcome or 多元表現.</param>
/// <param name="Title">The title: a 多元表現's name field (競賽名稱, 證照名稱 …) or its 簡述; a course outcome's 簡述.</param>
/// <param name="Category">The course code, or the 多元表現 category's Chinese name.</param>
/// <param name="Term">The term (課程學習成果) or the date's term (多元表現), e.g. <c>113-1</c>.</param>
/// <param name="Certification">The certification state of a course outcome; <see langword="null"/> for 多元表現 (not certified).</param>
/// <param name="SubmittedOn">The day (Asia/Taipei) the roster submission locked it, or <see langword="null"/> when selected but not yet submitted.</param>
public sealed record ConfirmationItem(ConfirmationItemKind Kind, string Title, string Category, string Term, CertificationState? Certification, DateOnly? SubmittedOn);

/// <summary>
/// A student's 學習歷程確認單 for a school year: the items selected and submitted to the central database, for the student
/// and the guardian to check and sign. The student appears by masked 身分證號 only.
/// </summary>
/// <param name="Year">The school year.</param>
/// <param name="StudentKey">The student's 身分證號 (printed and shown masked only).</param>
/// <param name="ClassName">The class.</param>
/// <param name="Items">The items, course outcomes first, each kind by term.</param>
public sealed record ConfirmationSheet(SchoolYear Year, string StudentKey, string? ClassName, IReadOnlyList<ConfirmationItem> Items)
{
    /// <summary>Gets the student's masked 身分證號, as printed.</summary>
    public string MaskedStudentKey => Redaction.MaskIdentifier(StudentKey);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"ConfirmationSheet {{ Year = {Year}, Student = {MaskedStudentKey}, Class = {ClassName}, Items = {Items.Count} }}");
}
