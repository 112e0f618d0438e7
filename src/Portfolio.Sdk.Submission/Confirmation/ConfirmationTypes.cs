using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Submission.Receipts;

namespace Portfolio.Sdk.Submission.Confirmation;

/// <summary>
/// The students' confirmation window a school announces for one roster book and term (收訖確認期間): inclusive days in
/// Asia/Taipei, at least the policy's <see cref="Policy.NationalPolicy.ConfirmationMinDays"/> days long and inside the
/// national schedule (<see cref="Policy.PolicyWindowKind.Confirmation"/>) when the policy has one.
/// </summary>
/// <param name="School">The school.</param>
/// <param name="Book">The roster book (the roster kind, e.g. <c>grades</c>).</param>
/// <param name="Term">The school year and term (term 0 for the per-year books).</param>
/// <param name="FirstDay">The first day students may answer.</param>
/// <param name="LastDay">The last day students may answer.</param>
public sealed record ConfirmationWindow(SchoolCode School, string Book, SchoolTerm Term, DateOnly FirstDay, DateOnly LastDay)
{
    /// <summary>Gets the number of days, both ends included.</summary>
    public int Days => LastDay.DayNumber - FirstDay.DayNumber + 1;

    /// <summary>Gets whether <paramref name="day"/> is inside the window.</summary>
    /// <param name="day">The day.</param>
    /// <returns><see langword="true"/> when open that day.</returns>
    public bool Contains(DateOnly day) => day >= FirstDay && day <= LastDay;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{School.Value}/{Book}/{Term} {FirstDay:yyyy-MM-dd}..{LastDay:yyyy-MM-dd}");
}

/// <summary>The school's decision on a disputed receipt row (更正申請處理結果).</summary>
public enum DisputeVerdict
{
    /// <summary>更正屬實: the row is wrong; it goes into the corrected resubmission.</summary>
    Upheld = 1,

    /// <summary>駁回: the row stays as submitted; the reason is shown to the student.</summary>
    Rejected = 2,
}

/// <summary>A student's answer to one row of a receipt (收訖明細), and the school's decision when disputed.</summary>
public sealed record ReceiptRowAnswer
{
    /// <summary>Gets the submission.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Gets the row: its 0-based position in the receipt.</summary>
    public required int Row { get; init; }

    /// <summary>Gets the student's 身分證號 (masked by <see cref="ToString"/>).</summary>
    public required string StudentKey { get; init; }

    /// <summary>Gets the answer: 正確 (<see cref="ConfirmationDecision.Confirm"/>) or 錯誤 (<see cref="ConfirmationDecision.Dispute"/>).</summary>
    public required ConfirmationDecision Decision { get; init; }

    /// <summary>Gets the student's note (what is wrong, for a dispute).</summary>
    public string? Note { get; init; }

    /// <summary>Gets who answered.</summary>
    public required string AnsweredBy { get; init; }

    /// <summary>Gets when the student answered.</summary>
    public required DateTimeOffset AnsweredAt { get; init; }

    /// <summary>Gets the school's decision on a dispute, once made.</summary>
    public DisputeVerdict? Verdict { get; init; }

    /// <summary>Gets the school's reason (required for a rejection, shown to the student).</summary>
    public string? Reason { get; init; }

    /// <summary>Gets who decided.</summary>
    public string? DecidedBy { get; init; }

    /// <summary>Gets when the school decided.</summary>
    public DateTimeOffset? DecidedAt { get; init; }

    /// <summary>Gets the idempotency key of the corrected resubmission that carried this row, once resubmitted.</summary>
    public string? CorrectionKey { get; init; }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{IdempotencyKey}#{Row} {Redaction.MaskIdentifier(StudentKey)} {Decision}{(Verdict is { } v ? " " + v : string.Empty)}");
}

/// <summary>One row of a receipt as its student sees it: the values received and the answer so far.</summary>
/// <param name="Row">The 0-based position in the receipt (what <see cref="ConfirmationDesk.AnswerAsync"/> takes).</param>
/// <param name="Sheet">The sheet identifier.</param>
/// <param name="Received">The row as the central database received it (its row key holds the student's ID).</param>
/// <param name="Answer">The answer and decision, or <see langword="null"/> when not answered yet.</param>
public sealed record StudentReceiptRow(int Row, string Sheet, ReceiptRow Received, ReceiptRowAnswer? Answer)
{
    /// <summary>Gets the row key with the student's ID masked, for display.</summary>
    public string MaskedRowKey => RosterContent.MaskRowKey(Received.RowKey, Received.StudentKey);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"#{Row} {Sheet} {MaskedRowKey} {Answer?.Decision.ToString() ?? "unanswered"}");
}
