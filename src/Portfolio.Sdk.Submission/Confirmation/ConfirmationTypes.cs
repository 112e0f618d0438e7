using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Submission.Receipts;
using Portfolio.Sdk.Workflow;

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

    /// <summary>
    /// Gets the answer's version: a stamp of everything it holds (answer, note, decision, reason, correction), which a
    /// caller hands back to change the row only while it is still what they read (<see cref="VersionOf"/>; 0 is "not
    /// answered yet"). Two different answers have different versions (a 52-bit hash, safe as a JSON number).
    /// </summary>
    public long Version => VersionOf(this);

    /// <summary>Gets the version of an answer, or 0 when there is none (<see cref="Version"/>).</summary>
    /// <param name="answer">The answer, or <see langword="null"/> for an unanswered row.</param>
    /// <returns>The version: 0 for none, else 1 to 2^52.</returns>
    public static long VersionOf(ReceiptRowAnswer? answer)
    {
        if (answer is null)
        {
            return 0;
        }

        var text = string.Join('\u001f',
            answer.IdempotencyKey, answer.Row.ToString(CultureInfo.InvariantCulture), answer.StudentKey, ((int)answer.Decision).ToString(CultureInfo.InvariantCulture),
            answer.Note ?? "\u0000", answer.AnsweredBy, answer.AnsweredAt.UtcTicks.ToString(CultureInfo.InvariantCulture),
            answer.Verdict is { } v ? ((int)v).ToString(CultureInfo.InvariantCulture) : "\u0000", answer.Reason ?? "\u0000", answer.DecidedBy ?? "\u0000",
            answer.DecidedAt?.UtcTicks.ToString(CultureInfo.InvariantCulture) ?? "\u0000", answer.CorrectionKey ?? "\u0000");
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text));
        return (long)(System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(hash) & ((1UL << 52) - 1)) + 1;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{IdempotencyKey}#{Row} {Redaction.MaskIdentifier(StudentKey)} {Decision}{(Verdict is { } v ? " " + v : string.Empty)}");
}

/// <summary>One row of a receipt as its student sees it: the values received and the answer so far.</summary>
/// <param name="Row">The 0-based position in the receipt (what <see cref="ConfirmationDesk.AnswerAsync(Portfolio.Sdk.Workflow.PortfolioActor, string, int, ConfirmationDecision, string?, CancellationToken)"/> takes).</param>
/// <param name="Sheet">The sheet identifier.</param>
/// <param name="Received">The row as the central database received it (its row key holds the student's ID).</param>
/// <param name="Answer">The answer and decision, or <see langword="null"/> when not answered yet.</param>
public sealed record StudentReceiptRow(int Row, string Sheet, ReceiptRow Received, ReceiptRowAnswer? Answer)
{
    /// <summary>Gets the version of the row's answer (0 when not answered yet), to hand back with the next answer or decision.</summary>
    public long Version => ReceiptRowAnswer.VersionOf(Answer);

    /// <summary>Gets the row key with the student's ID masked, for display.</summary>
    public string MaskedRowKey => RosterContent.MaskRowKey(Received.RowKey, Received.StudentKey);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"#{Row} {Sheet} {MaskedRowKey} {Answer?.Decision.ToString() ?? "unanswered"}");
}

/// <summary>A receipt (收訖明細) as one student sees it: the submission, the last day to answer and the student's rows.</summary>
/// <param name="Submission">The submission the receipt answers.</param>
/// <param name="LastDay">The last day students may answer (the school's window, else the receipt's own); <see langword="null"/> when none was set.</param>
/// <param name="Rows">The student's rows with their answers and decisions.</param>
public sealed record OpenReceipt(SubmissionRecord Submission, DateOnly? LastDay, IReadOnlyList<StudentReceiptRow> Rows)
{
    /// <summary>Gets whether students may still answer (the window has not closed; see <see cref="ConfirmationDesk.AnswerAsync(Portfolio.Sdk.Workflow.PortfolioActor, string, int, ConfirmationDecision, string?, long, CancellationToken)"/> for the day check).</summary>
    public bool IsOpen => Submission.State == SubmissionState.ReceiptReceived;

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Submission.IdempotencyKey} {Submission.Identity.Book} {Submission.Identity.Term} {Rows.Count} rows");
}

/// <summary>A disputed receipt row waiting for the school's decision (更正申請), for staff.</summary>
/// <param name="Submission">The submission.</param>
/// <param name="Row">The row, with the student's answer (<see cref="StudentReceiptRow.Answer"/>, never <see langword="null"/> here).</param>
public sealed record OpenDispute(SubmissionRecord Submission, StudentReceiptRow Row)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Submission.IdempotencyKey} {Row}");
}

/// <summary>
/// Staff's decision on a disputed row and, for an upheld dispute (更正屬實), what unlocking the row's item did: the
/// course outcome or 多元表現 of a locked per-year package is unlocked for correction; a row made from no item (a grade
/// row from the SIS) has <see cref="ReceiptRowUnlockOutcome.NoItem"/>.
/// </summary>
/// <param name="Answer">The answer with the decision, as saved.</param>
/// <param name="Unlock">What unlocking the row's item did; <see langword="null"/> for a rejection, a desk without the module's items, or a refused unlock.</param>
/// <param name="UnlockRefused">Why the unlock was refused (e.g. PF3101: the decider's role may not unlock that kind of item); the decision stands.</param>
public sealed record DisputeDecision(ReceiptRowAnswer Answer, ReceiptRowUnlock? Unlock, IReadOnlyList<Diagnostic> UnlockRefused);
