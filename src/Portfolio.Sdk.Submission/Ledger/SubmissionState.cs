namespace Portfolio.Sdk.Submission.Ledger;

/// <summary>
/// Where a submission is in its life (送件狀態). The order is the life's order: a submission only moves forward,
/// except that a corrected resubmission starts a new submission with the next revision.
/// </summary>
public enum SubmissionState
{
    /// <summary>Recorded with its idempotency key and content; not yet sent.</summary>
    Pending = 0,

    /// <summary>Sent at least once without a final answer yet (or left for a manual portal upload); resent with the same key.</summary>
    Sent = 1,

    /// <summary>The gateway accepted it.</summary>
    Accepted = 2,

    /// <summary>The gateway rejected it as a whole; its diagnostics say why. A corrected revision is the way forward.</summary>
    Rejected = 3,

    /// <summary>The receipt (收訖明細) arrived; the student confirmation window is open.</summary>
    ReceiptReceived = 4,

    /// <summary>The confirmation window closed without disputes.</summary>
    Confirmed = 5,

    /// <summary>The confirmation window closed with at least one student's dispute; a corrected resubmission is due.</summary>
    Disputed = 6,
}

/// <summary>A student's answer in the confirmation window.</summary>
public enum ConfirmationDecision
{
    /// <summary>The student confirms the received data (確認無誤).</summary>
    Confirm = 1,

    /// <summary>The student disputes it (有誤申請更正).</summary>
    Dispute = 2,
}
