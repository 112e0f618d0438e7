using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Submission.Confirmation;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.AspNetCore;

/// <summary>A 課程學習成果 as the endpoints return it; the student key is masked (the caller knows whose it is).</summary>
/// <param name="Id">The identifier.</param>
/// <param name="StudentKey">The student key, masked (<c>A12****789</c>).</param>
/// <param name="ClassName">The class.</param>
/// <param name="Term">The term, e.g. <c>113-1</c>.</param>
/// <param name="CourseCode">The 23-character course code.</param>
/// <param name="Kind">The kind of course.</param>
/// <param name="Summary">The 簡述.</param>
/// <param name="Files">The files' SHA-256 (download them under <c>files/{sha256}</c>).</param>
/// <param name="State">The certification state: <c>Draft</c> 未送審, <c>Pending</c> 待認證, <c>Certified</c> 認證通過, <c>Rejected</c> 認證不通過.</param>
/// <param name="CertifyingTeacher">The certifying teacher's user id.</param>
/// <param name="ProxyTeacher">The proxy's user id.</param>
/// <param name="CertificationNote">The 認證說明.</param>
/// <param name="SelectedFor">The school year it is selected for (勾選), or <see langword="null"/>.</param>
/// <param name="IsLocked">Whether submission locked it.</param>
/// <param name="Version">The version to send back with a change (optimistic concurrency).</param>
public sealed record CourseOutcomeView(Guid Id, string StudentKey, string? ClassName, string Term, string CourseCode, string Kind, string Summary, IReadOnlyList<string> Files,
    string State, string CertifyingTeacher, string? ProxyTeacher, string? CertificationNote, int? SelectedFor, bool IsLocked, long Version)
{
    /// <summary>Creates the view of an outcome, its student key masked.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The view.</returns>
    public static CourseOutcomeView Of(CourseOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        return new(outcome.Id, Redaction.MaskIdentifier(outcome.StudentKey), outcome.ClassName, outcome.Term.ToString(), outcome.CourseCode.Value, outcome.Kind.ToString(), outcome.Summary,
            outcome.FileHashes, outcome.State.ToString(), outcome.CertifyingTeacher, outcome.ProxyTeacher, outcome.CertificationNote, outcome.SelectedFor?.RocYear, outcome.IsLocked, outcome.Version);
    }
}

/// <summary>A 多元表現 item as the endpoints return it; the student key is masked.</summary>
/// <param name="Id">The identifier.</param>
/// <param name="StudentKey">The student key, masked.</param>
/// <param name="ClassName">The class.</param>
/// <param name="Category">The category (roster sheet identifier, e.g. <c>performance-competition</c>).</param>
/// <param name="Date">The date it happened.</param>
/// <param name="Summary">The 內容簡述.</param>
/// <param name="FieldsJson">The category's own fields as JSON.</param>
/// <param name="Files">The proof files' SHA-256.</param>
/// <param name="IsSchoolEntered">Whether the school entered it (校內幹部).</param>
/// <param name="SelectedFor">The school year it is selected for, or <see langword="null"/>.</param>
/// <param name="IsLocked">Whether submission locked it.</param>
/// <param name="Version">The version to send back with a change.</param>
public sealed record PerformanceView(Guid Id, string StudentKey, string? ClassName, string Category, DateOnly Date, string? Summary, string? FieldsJson, IReadOnlyList<string> Files,
    bool IsSchoolEntered, int? SelectedFor, bool IsLocked, long Version)
{
    /// <summary>Creates the view of an item, its student key masked.</summary>
    /// <param name="item">The item.</param>
    /// <returns>The view.</returns>
    public static PerformanceView Of(PerformanceItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return new(item.Id, Redaction.MaskIdentifier(item.StudentKey), item.ClassName, item.Category, item.Date, item.Summary, item.FieldsJson, item.FileHashes,
            item.IsSchoolEntered, item.SelectedFor?.RocYear, item.IsLocked, item.Version);
    }
}

/// <summary>A student's items of a school year (我的學習歷程).</summary>
/// <param name="Year">The school year (民國).</param>
/// <param name="CourseOutcomes">The course outcomes by term and course.</param>
/// <param name="Performances">The 多元表現 by date.</param>
/// <param name="CourseOutcomeCap">How many course outcomes may be selected for the year.</param>
/// <param name="PerformanceCap">How many 多元表現 may be selected for the year.</param>
public sealed record StudentItemsView(int Year, IReadOnlyList<CourseOutcomeView> CourseOutcomes, IReadOnlyList<PerformanceView> Performances, int CourseOutcomeCap, int PerformanceCap);

/// <summary>One student's status in a class view (學生狀態); the student key is masked.</summary>
/// <param name="StudentKey">The student key, masked.</param>
/// <param name="ClassName">The class.</param>
/// <param name="Uploaded">Course outcomes uploaded.</param>
/// <param name="Sent">Sent for certification.</param>
/// <param name="Certified">Certified.</param>
/// <param name="Rejected">Rejected.</param>
/// <param name="Selected">Course outcomes selected.</param>
/// <param name="PerformancesUploaded">多元表現 uploaded.</param>
/// <param name="PerformancesSelected">多元表現 selected.</param>
/// <param name="HasNothingSelected">Whether nothing is selected yet (尚未勾選).</param>
public sealed record StudentStatusView(string StudentKey, string? ClassName, int Uploaded, int Sent, int Certified, int Rejected, int Selected, int PerformancesUploaded, int PerformancesSelected, bool HasNothingSelected)
{
    /// <summary>Creates the view of a status, its student key masked.</summary>
    /// <param name="status">The status.</param>
    /// <returns>The view.</returns>
    public static StudentStatusView Of(StudentStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new(Redaction.MaskIdentifier(status.StudentKey), status.ClassName, status.Uploaded, status.Sent, status.Certified, status.Rejected, status.Selected,
            status.PerformancesUploaded, status.PerformancesSelected, status.HasNothingSelected);
    }
}

/// <summary>A class's status for a school year (班級狀態), as a 導師 sees it.</summary>
/// <param name="Year">The school year.</param>
/// <param name="ClassName">The class.</param>
/// <param name="Students">The students.</param>
public sealed record ClassStatusView(int Year, string ClassName, IReadOnlyList<StudentStatusView> Students);

/// <summary>The school's statistics of a year (全校統計) by grade, class and certifying teacher.</summary>
/// <param name="Year">The school year.</param>
/// <param name="Grades">By grade.</param>
/// <param name="Classes">By class.</param>
/// <param name="Teachers">By certifying teacher.</param>
public sealed record SchoolStatisticsView(int Year, IReadOnlyList<PortfolioStatistics> Grades, IReadOnlyList<PortfolioStatistics> Classes, IReadOnlyList<PortfolioStatistics> Teachers)
{
    /// <summary>Creates the view of the statistics.</summary>
    /// <param name="statistics">The statistics.</param>
    /// <returns>The view.</returns>
    public static SchoolStatisticsView Of(SchoolStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(statistics);
        return new(statistics.Year.RocYear, statistics.Grades, statistics.Classes, statistics.Teachers);
    }
}

/// <summary>A student's answer to a receipt (收訖明細確認); the student key is masked.</summary>
/// <param name="SubmissionKey">The submission's idempotency key.</param>
/// <param name="StudentKey">The student key, masked.</param>
/// <param name="Decision"><c>Confirm</c> or <c>Dispute</c>.</param>
/// <param name="Note">What is wrong, for a dispute.</param>
/// <param name="At">When it was recorded.</param>
public sealed record ConfirmationView(string SubmissionKey, string StudentKey, string Decision, string? Note, DateTimeOffset At)
{
    /// <summary>Creates the view of a confirmation, its student key masked.</summary>
    /// <param name="confirmation">The confirmation.</param>
    /// <returns>The view.</returns>
    public static ConfirmationView Of(ConfirmationRecord confirmation)
    {
        ArgumentNullException.ThrowIfNull(confirmation);
        return new(confirmation.IdempotencyKey, Redaction.MaskIdentifier(confirmation.StudentKey), confirmation.Decision.ToString(), confirmation.Note, confirmation.At);
    }
}

/// <summary>A change that needs only the version the caller read (送審, 認證, 取消認證, 取消勾選).</summary>
/// <param name="Version">The version the caller read.</param>
public sealed record VersionRequest(long Version);

/// <summary>A selection (勾選) for a school year.</summary>
/// <param name="Version">The version the student read.</param>
/// <param name="Year">The school year of the submission (民國).</param>
/// <param name="EntryYear">The school year the student entered (多元表現 only: items from 1 July of that year count).</param>
public sealed record SelectRequest(long Version, int Year, int? EntryYear = null);

/// <summary>A rejection (認證不通過) with its reason.</summary>
/// <param name="Version">The version the teacher read.</param>
/// <param name="Reason">The 認證說明; required.</param>
public sealed record RejectRequest(long Version, string? Reason);

/// <summary>A student's dispute of a receipt (申請更正).</summary>
/// <param name="Note">What is wrong; required.</param>
public sealed record DisputeRequest(string? Note);

/// <summary>
/// One row of a receipt (收訖明細) with its answer and the school's decision; the row key and values are masked (the
/// receipt leaves personal columns such as 姓名 out; an ID among the key columns is masked here).
/// </summary>
/// <param name="Row">The row's 0-based position in the receipt (what the answer and decide endpoints take).</param>
/// <param name="Sheet">The sheet, e.g. <c>course-outcomes</c>.</param>
/// <param name="RowKey">The row key, the student's ID masked.</param>
/// <param name="Values">The values received by column key, IDs masked.</param>
/// <param name="Decision">The student's answer, <c>Confirm</c> 正確 or <c>Dispute</c> 錯誤, or <see langword="null"/> when not answered yet.</param>
/// <param name="Note">The student's note (what is wrong).</param>
/// <param name="AnsweredAt">When the student answered.</param>
/// <param name="Verdict">The school's decision on a dispute: <c>Upheld</c> 更正屬實 or <c>Rejected</c> 駁回.</param>
/// <param name="Reason">The school's reason (shown to the student).</param>
/// <param name="DecidedAt">When the school decided.</param>
/// <param name="Version">The version of the answer (0 when not answered yet): send it back with the next answer or decision.</param>
public sealed record ReceiptRowView(int Row, string Sheet, string RowKey, IReadOnlyDictionary<string, string?> Values, string? Decision, string? Note, DateTimeOffset? AnsweredAt,
    string? Verdict, string? Reason, DateTimeOffset? DecidedAt, long Version)
{
    /// <summary>Creates the view of a row, its ID masked.</summary>
    /// <param name="row">The row.</param>
    /// <returns>The view.</returns>
    public static ReceiptRowView Of(StudentReceiptRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var key = row.Received.StudentKey;
        // A value that is an ID as a whole (the student's, a guardian's) is masked; a course code that merely contains an
        // ID's shape is the student's to check and stays as received.
        var values = row.Received.Values.ToDictionary(v => v.Key, v => v.Value is null ? null
            : string.Equals(v.Value.Trim(), key, StringComparison.OrdinalIgnoreCase) || IsIdentifier(v.Value.Trim()) ? Redaction.MaskIdentifier(v.Value.Trim()) : v.Value, StringComparer.Ordinal);
        var answer = row.Answer;
        return new(row.Row, row.Sheet, row.MaskedRowKey, values, answer?.Decision.ToString(), answer?.Note, answer?.AnsweredAt,
            answer?.Verdict?.ToString(), answer?.Reason, answer?.DecidedAt, row.Version);
    }

    private static bool IsIdentifier(string value) => value.Length == 10 && Redaction.MaskIdentifiersIn(value) != value;
}

/// <summary>A receipt (收訖明細) as its student sees it: the submission, the window and the student's own rows.</summary>
/// <param name="SubmissionKey">The submission's idempotency key (in the answer endpoints' path).</param>
/// <param name="Book">The roster book, e.g. <c>course-outcomes</c>.</param>
/// <param name="Term">The term, e.g. <c>113-1</c> (<c>113-0</c> for a per-year book).</param>
/// <param name="IsOpen">Whether answers are still taken (the window may still refuse a day outside it).</param>
/// <param name="LastDay">The last day to answer, when one was set.</param>
/// <param name="Rows">The student's rows.</param>
public sealed record ReceiptView(string SubmissionKey, string Book, string Term, bool IsOpen, DateOnly? LastDay, IReadOnlyList<ReceiptRowView> Rows)
{
    /// <summary>Creates the view of a student's receipt.</summary>
    /// <param name="receipt">The receipt.</param>
    /// <returns>The view.</returns>
    public static ReceiptView Of(OpenReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        return new(receipt.Submission.IdempotencyKey, receipt.Submission.Identity.Book, receipt.Submission.Identity.Term.ToString(), receipt.IsOpen, receipt.LastDay,
            [.. receipt.Rows.Select(ReceiptRowView.Of)]);
    }
}

/// <summary>A disputed receipt row as staff see it (更正申請); the student key is masked.</summary>
/// <param name="SubmissionKey">The submission's idempotency key.</param>
/// <param name="Book">The roster book.</param>
/// <param name="Term">The term.</param>
/// <param name="StudentKey">The student key, masked.</param>
/// <param name="Row">The row with the student's note and any decision.</param>
public sealed record DisputeView(string SubmissionKey, string Book, string Term, string StudentKey, ReceiptRowView Row)
{
    /// <summary>Creates the view of a dispute.</summary>
    /// <param name="dispute">The dispute.</param>
    /// <returns>The view.</returns>
    public static DisputeView Of(OpenDispute dispute)
    {
        ArgumentNullException.ThrowIfNull(dispute);
        return new(dispute.Submission.IdempotencyKey, dispute.Submission.Identity.Book, dispute.Submission.Identity.Term.ToString(),
            Redaction.MaskIdentifier(dispute.Row.Received.StudentKey), ReceiptRowView.Of(dispute.Row));
    }
}

/// <summary>
/// Staff's decision on a dispute and, when upheld (更正屬實), what happened to the row's item: <c>Unlocked</c> for
/// correction, <c>NotLocked</c> (already unlocked), <c>NoItem</c> (a row from the SIS, such as a grade), or refused.
/// </summary>
/// <param name="Dispute">The dispute with its decision.</param>
/// <param name="Unlock">What unlocking the row's item did (<c>Unlocked</c>, <c>NotLocked</c>, <c>NoItem</c>), or <see langword="null"/> for a rejection or a refused unlock.</param>
/// <param name="ItemKind"><c>CourseOutcome</c> or <c>Performance</c>, when the row has an item.</param>
/// <param name="ItemId">The item's id, when the row has an item.</param>
/// <param name="UnlockRefused">Why the unlock was refused (the decision stands), each with its PF code and both messages.</param>
public sealed record DisputeDecisionView(DisputeView Dispute, string? Unlock, string? ItemKind, Guid? ItemId, IReadOnlyList<DiagnosticView> UnlockRefused);

/// <summary>A student's answer to one row (正確 or 錯誤).</summary>
/// <param name="Version">The row's version as read (0 when it was unanswered).</param>
/// <param name="Note">What is wrong; required for a dispute.</param>
public sealed record RowAnswerRequest(long Version, string? Note = null);

/// <summary>Staff's decision on a disputed row (更正屬實 or 駁回).</summary>
/// <param name="Version">The row's version as read.</param>
/// <param name="Verdict"><c>Upheld</c> or <c>Rejected</c> (case ignored).</param>
/// <param name="Reason">Why; required for a rejection, shown to the student.</param>
public sealed record DisputeDecisionRequest(long Version, string? Verdict, string? Reason = null);

/// <summary>The multipart form of a course-outcome upload (documented in OpenAPI; the endpoint streams it).</summary>
internal sealed class CourseOutcomeUploadForm
{
    public string Term { get; set; } = string.Empty;

    public string CourseCode { get; set; } = string.Empty;

    public string Summary { get; set; } = string.Empty;

    public string CertifyingTeacher { get; set; } = string.Empty;

    public string? Kind { get; set; }

    public string? ClassName { get; set; }

    public bool IsGroupWork { get; set; }

    public Microsoft.AspNetCore.Http.IFormFileCollection? Files { get; set; }
}

/// <summary>The multipart form of a 多元表現 upload.</summary>
internal sealed class PerformanceUploadForm
{
    public string Category { get; set; } = string.Empty;

    public DateOnly Date { get; set; }

    public string Summary { get; set; } = string.Empty;

    public string? FieldsJson { get; set; }

    public string? ClassName { get; set; }

    public bool IsGroupWork { get; set; }

    public Microsoft.AspNetCore.Http.IFormFileCollection? Files { get; set; }
}

/// <summary>The multipart form of an edit (files replace the old ones when given).</summary>
internal sealed class EditForm
{
    public long Version { get; set; }

    public string Summary { get; set; } = string.Empty;

    public string? FieldsJson { get; set; }

    public bool IsGroupWork { get; set; }

    public Microsoft.AspNetCore.Http.IFormFileCollection? Files { get; set; }
}
