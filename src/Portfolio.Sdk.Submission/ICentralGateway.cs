using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Submission;

/// <summary>
/// The central database (中央資料庫) as the SDK sees it. <see cref="Http.HttpCentralGateway"/> speaks the gateway
/// protocol over HTTP (the sandbox, or a future official API); <see cref="FileDrop.FileDropGateway"/> leaves the
/// upload for a person to carry to the portal.
/// </summary>
public interface ICentralGateway
{
    /// <summary>Delivers a submission. Calling it again with the same idempotency key never creates a second submission.</summary>
    /// <param name="metadata">What is submitted, with its idempotency key.</param>
    /// <param name="openContent">Opens the content; called once per attempt.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The gateway's answer, or that the submission waits for a manual upload.</returns>
    /// <exception cref="GatewayException">The gateway could not be reached or refused the call itself; <see cref="PortfolioException.IsTransient"/> says whether a later retry may succeed.</exception>
    Task<GatewayDelivery> SubmitAsync(SubmissionMetadata metadata, Func<Stream> openContent, CancellationToken cancellationToken = default);

    /// <summary>Asks for a submission's status.</summary>
    /// <param name="idempotencyKey">The submission's key.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The status, or <see langword="null"/> when the gateway has no such submission.</returns>
    Task<SubmissionStatus?> GetStatusAsync(string idempotencyKey, CancellationToken cancellationToken = default);

    /// <summary>Lists a school's receipts.</summary>
    /// <param name="schoolCode">The school.</param>
    /// <param name="since">Only receipts issued at or after this time, or all when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The receipts, oldest first.</returns>
    Task<IReadOnlyList<ReceiptSummary>> ListReceiptsAsync(string schoolCode, DateTimeOffset? since = null, CancellationToken cancellationToken = default);

    /// <summary>Fetches a receipt with its rows.</summary>
    /// <param name="receiptId">The receipt.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The receipt, or <see langword="null"/> when there is none.</returns>
    Task<Receipt?> GetReceiptAsync(string receiptId, CancellationToken cancellationToken = default);
}

/// <summary>What became of a delivery.</summary>
/// <param name="Status">The gateway's answer, or <see langword="null"/> when the submission waits for a manual upload.</param>
/// <param name="Replayed">Whether the gateway answered from an earlier request with the same key.</param>
/// <param name="DroppedAt">For a file drop, the folder holding the upload and its instructions.</param>
public sealed record GatewayDelivery(SubmissionStatus? Status, bool Replayed = false, string? DroppedAt = null);

/// <summary>A gateway call that failed as a whole; its <see cref="PortfolioException.Diagnostic"/> says why.</summary>
public sealed class GatewayException : PortfolioException
{
    /// <summary>Initializes an exception.</summary>
    public GatewayException()
    {
    }

    /// <summary>Initializes an exception.</summary>
    /// <param name="message">The message.</param>
    public GatewayException(string message)
        : base(message)
    {
    }

    /// <summary>Initializes an exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public GatewayException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    /// <summary>Initializes an exception from a diagnostic.</summary>
    /// <param name="diagnostic">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    /// <param name="isTransient">Whether a later retry may succeed.</param>
    public GatewayException(Diagnostics.Diagnostic diagnostic, Exception? innerException = null, bool isTransient = false)
        : base(diagnostic, innerException, isTransient)
    {
    }
}
