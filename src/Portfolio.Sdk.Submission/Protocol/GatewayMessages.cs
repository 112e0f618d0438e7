using System.Globalization;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Privacy;

namespace Portfolio.Sdk.Submission.Protocol;

/// <summary>What is being submitted: a semester roster workbook, or a per-year upload package (workbook, evidence files, manifest).</summary>
public enum SubmissionContentKind
{
    /// <summary>A roster workbook (.xlsx).</summary>
    Workbook,

    /// <summary>A per-year upload package (.zip with <c>manifest.json</c>).</summary>
    Package,
}

/// <summary>The gateway's verdict on a submission.</summary>
public enum GatewayVerdict
{
    /// <summary>Received; rows that failed validation are listed in the diagnostics and left out of the receipt.</summary>
    Accepted,

    /// <summary>Refused as a whole (unreadable, wrong cover, no valid row); nothing was stored.</summary>
    Rejected,
}

/// <summary>The <c>metadata</c> part of a submission request (<c>schemas/gateway/submission-metadata.schema.json</c>).</summary>
public sealed record SubmissionMetadata
{
    /// <summary>Gets the idempotency key, fixed before the first send and reused by every retry.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Gets the 6-character school code.</summary>
    public required string SchoolCode { get; init; }

    /// <summary>Gets the roster book identifier, e.g. <c>semester-grades</c>.</summary>
    public required string Book { get; init; }

    /// <summary>Gets the ROC school year.</summary>
    public required int SchoolYear { get; init; }

    /// <summary>Gets the term: 1, 2, or 0 for the per-year books.</summary>
    public required int Term { get; init; }

    /// <summary>Gets the kind of content.</summary>
    public required SubmissionContentKind ContentKind { get; init; }

    /// <summary>Gets the SHA-256 of the content, lower-case hex; the gateway refuses content that does not match.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Gets the content length in bytes.</summary>
    public required long Length { get; init; }

    /// <summary>Gets the revision: 1 for the first submission of a roster, higher for corrected resubmissions.</summary>
    public int Revision { get; init; } = 1;

    /// <summary>Gets the idempotency key of the submission this one corrects, if it is a corrected resubmission.</summary>
    public string? Corrects { get; init; }
}

/// <summary>A diagnostic as it travels in gateway messages.</summary>
public sealed record GatewayDiagnostic
{
    /// <summary>Gets the stable code, e.g. <c>PF1203</c>.</summary>
    public required string Code { get; init; }

    /// <summary>Gets the severity.</summary>
    public required DiagnosticSeverity Severity { get; init; }

    /// <summary>Gets the Traditional Chinese message.</summary>
    public required string Message { get; init; }

    /// <summary>Gets the English message.</summary>
    public required string MessageEnglish { get; init; }

    /// <summary>Gets the sheet, when the problem is in a workbook.</summary>
    public string? Sheet { get; init; }

    /// <summary>Gets the 1-based row, when known.</summary>
    public int? Row { get; init; }

    /// <summary>Gets the column header, when known.</summary>
    public string? Column { get; init; }

    /// <summary>Gets the field path, when the problem is in a message field.</summary>
    public string? Path { get; init; }

    /// <summary>Converts a diagnostic for the wire.</summary>
    /// <param name="diagnostic">The diagnostic.</param>
    /// <returns>The wire form.</returns>
    public static GatewayDiagnostic From(Diagnostic diagnostic)
    {
        ArgumentNullException.ThrowIfNull(diagnostic);
        return new GatewayDiagnostic
        {
            Code = diagnostic.Code,
            Severity = diagnostic.Severity,
            Message = diagnostic.Message,
            MessageEnglish = diagnostic.MessageEnglish,
            Sheet = diagnostic.Location?.Sheet,
            Row = diagnostic.Location?.Row,
            Column = diagnostic.Location?.Column,
            Path = diagnostic.Location?.Path,
        };
    }

    /// <summary>Converts back to a <see cref="Diagnostic"/>.</summary>
    /// <param name="source">The source to put in the location, e.g. the submission's key.</param>
    /// <returns>The diagnostic.</returns>
    public Diagnostic ToDiagnostic(string? source = null) =>
        new(Code, Severity, Message, MessageEnglish, new DiagnosticLocation(Source: source, Sheet: Sheet, Row: Row, Column: Column, Path: Path));
}

/// <summary>The gateway's answer to a submission and to a status query (<c>schemas/gateway/submission-status.schema.json</c>).</summary>
public sealed record SubmissionStatus
{
    /// <summary>Gets the gateway's identifier of the submission (absent when rejected before storing).</summary>
    public string? SubmissionId { get; init; }

    /// <summary>Gets the idempotency key.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Gets the verdict.</summary>
    public required GatewayVerdict Verdict { get; init; }

    /// <summary>Gets when the gateway first received the submission.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>Gets the school code.</summary>
    public required string SchoolCode { get; init; }

    /// <summary>Gets the roster book.</summary>
    public required string Book { get; init; }

    /// <summary>Gets the ROC school year.</summary>
    public required int SchoolYear { get; init; }

    /// <summary>Gets the term.</summary>
    public required int Term { get; init; }

    /// <summary>Gets the SHA-256 of the content received.</summary>
    public required string Sha256 { get; init; }

    /// <summary>Gets the number of rows received (left in the receipt).</summary>
    public int AcceptedRows { get; init; }

    /// <summary>Gets the number of rows refused for validation errors.</summary>
    public int RejectedRows { get; init; }

    /// <summary>Gets the receipt's identifier once it is issued.</summary>
    public string? ReceiptId { get; init; }

    /// <summary>Gets the diagnostics: why rows or the whole submission were refused, and warnings.</summary>
    public IReadOnlyList<GatewayDiagnostic> Diagnostics { get; init; } = [];
}

/// <summary>A problem response (RFC 9457) for a request the gateway could not process (<c>schemas/gateway/problem.schema.json</c>).</summary>
public sealed record GatewayProblem
{
    /// <summary>Gets the HTTP status.</summary>
    public required int Status { get; init; }

    /// <summary>Gets a short English title.</summary>
    public required string Title { get; init; }

    /// <summary>Gets the diagnostics, each with a stable code and both languages.</summary>
    public IReadOnlyList<GatewayDiagnostic> Diagnostics { get; init; } = [];
}

/// <summary>A receipt (收訖明細) in a receipt listing, without its rows.</summary>
public record ReceiptSummary
{
    /// <summary>Gets the receipt identifier.</summary>
    public required string ReceiptId { get; init; }

    /// <summary>Gets the idempotency key of the submission it acknowledges.</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>Gets the gateway's submission identifier.</summary>
    public required string SubmissionId { get; init; }

    /// <summary>Gets the school code.</summary>
    public required string SchoolCode { get; init; }

    /// <summary>Gets the roster book.</summary>
    public required string Book { get; init; }

    /// <summary>Gets the ROC school year.</summary>
    public required int SchoolYear { get; init; }

    /// <summary>Gets the term.</summary>
    public required int Term { get; init; }

    /// <summary>Gets when the receipt was issued.</summary>
    public required DateTimeOffset IssuedAt { get; init; }

    /// <summary>Gets the number of rows it lists.</summary>
    public required int RowCount { get; init; }
}

/// <summary>A whole receipt (收訖明細): what the central database holds for each student (<c>schemas/gateway/receipt.schema.json</c>).</summary>
public sealed record Receipt : ReceiptSummary
{
    /// <summary>Gets the rows.</summary>
    public required IReadOnlyList<ReceiptRow> Rows { get; init; }
}

/// <summary>One row of a receipt: a student's record in one sheet, keyed as the roster keys it.</summary>
public sealed record ReceiptRow
{
    /// <summary>Gets the student's 身分證號 (masked by <see cref="ToString"/>).</summary>
    public required string StudentKey { get; init; }

    /// <summary>Gets the sheet identifier, e.g. <c>semester-grades</c>.</summary>
    public required string Sheet { get; init; }

    /// <summary>Gets the row key: the values of the sheet's key columns joined with <c>|</c>.</summary>
    public required string RowKey { get; init; }

    /// <summary>Gets the received values by column key (personal columns such as 姓名 are left out).</summary>
    public required IReadOnlyDictionary<string, string?> Values { get; init; }

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Sheet} {Redaction.MaskIdentifier(StudentKey)} ({Values.Count} values)");
}
