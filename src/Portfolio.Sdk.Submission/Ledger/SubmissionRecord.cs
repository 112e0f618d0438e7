using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Submission.Ledger;

/// <summary>What identifies a logical submission: one school's roster book for one term, at one revision.</summary>
/// <param name="School">The school.</param>
/// <param name="Book">The roster book identifier.</param>
/// <param name="Term">The school year and term (term 0 for the per-year books).</param>
/// <param name="Revision">1 for the first submission, 2 and up for corrected resubmissions.</param>
public sealed record SubmissionIdentity(SchoolCode School, string Book, SchoolTerm Term, int Revision = 1)
{
    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{School.Value}/{Book}/{Term}/r{Revision}");
}

/// <summary>One entry of the submission ledger (送件紀錄).</summary>
public sealed record SubmissionRecord
{
    /// <summary>Gets the idempotency key, fixed when the entry was created and reused by every send.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Gets what the submission is.</summary>
    public required SubmissionIdentity Identity { get; init; }

    /// <summary>Gets the key of the submission this one corrects, for a corrected resubmission.</summary>
    public string? Corrects { get; init; }

    /// <summary>Gets the kind of content.</summary>
    public required SubmissionContentKind ContentKind { get; init; }

    /// <summary>Gets the SHA-256 of the content (its name in the outbox).</summary>
    public required string Sha256 { get; init; }

    /// <summary>Gets the content length in bytes.</summary>
    public required long Length { get; init; }

    /// <summary>Gets the state.</summary>
    public required SubmissionState State { get; init; }

    /// <summary>Gets how many times it was sent.</summary>
    public int Attempts { get; init; }

    /// <summary>Gets the gateway's identifier once accepted.</summary>
    public string? GatewayId { get; init; }

    /// <summary>Gets the receipt identifier once the receipt arrived.</summary>
    public string? ReceiptId { get; init; }

    /// <summary>Gets the rows the gateway accepted.</summary>
    public int AcceptedRows { get; init; }

    /// <summary>Gets the rows the gateway refused.</summary>
    public int RejectedRows { get; init; }

    /// <summary>Gets the gateway's diagnostics (row refusals, or why it was rejected).</summary>
    public IReadOnlyList<GatewayDiagnostic> Diagnostics { get; init; } = [];

    /// <summary>Gets the last transport error, masked, if the last send failed.</summary>
    public string? LastError { get; init; }

    /// <summary>Gets the last day students may confirm or dispute (Asia/Taipei), once the window is open.</summary>
    public DateOnly? ConfirmUntil { get; init; }

    /// <summary>Gets when the entry was created.</summary>
    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>Gets when the entry last changed.</summary>
    public required DateTimeOffset UpdatedAt { get; init; }

    /// <summary>Gets the entry's version for optimistic concurrency (1 when first stored).</summary>
    public long Version { get; init; }

    /// <summary>Gets whether the submission still needs sending.</summary>
    public bool IsOutstanding => State is SubmissionState.Pending or SubmissionState.Sent;

    /// <summary>Gets the metadata sent with the content.</summary>
    /// <returns>The metadata.</returns>
    public SubmissionMetadata ToMetadata() => new()
    {
        IdempotencyKey = IdempotencyKey,
        SchoolCode = Identity.School.Value,
        Book = Identity.Book,
        SchoolYear = Identity.Term.Year.RocYear,
        Term = (int)Identity.Term.Term,
        ContentKind = ContentKind,
        Sha256 = Sha256,
        Length = Length,
        Revision = Identity.Revision,
        Corrects = Corrects,
    };

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Identity} {IdempotencyKey} {State}");
}

/// <summary>A student's recorded answer in the confirmation window.</summary>
/// <param name="IdempotencyKey">The submission.</param>
/// <param name="StudentKey">The student's 身分證號.</param>
/// <param name="Decision">Confirm or dispute.</param>
/// <param name="Note">The student's note (what is wrong, for a dispute).</param>
/// <param name="At">When it was recorded.</param>
public sealed record ConfirmationRecord(string IdempotencyKey, string StudentKey, ConfirmationDecision Decision, string? Note, DateTimeOffset At)
{
    /// <inheritdoc />
    public override string ToString() => $"{IdempotencyKey} {Privacy.Redaction.MaskIdentifier(StudentKey)} {Decision}";
}
