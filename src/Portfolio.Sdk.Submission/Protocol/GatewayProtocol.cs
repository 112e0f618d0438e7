namespace Portfolio.Sdk.Submission.Protocol;

/// <summary>
/// The gateway protocol (閘道協定) between a school system and the central database, as the SDK defines it: the
/// real central database publishes no API (schools upload through a portal), so this is the protocol the SDK's
/// HTTP client and the sandbox speak, documented in <c>docs/gateway-protocol.md</c> with JSON Schemas in
/// <c>schemas/gateway/</c>.
/// </summary>
public static class GatewayProtocol
{
    /// <summary>The protocol version, the first segment of every path.</summary>
    public const string Version = "v1";

    /// <summary>The submissions collection: <c>POST</c> a submission, <c>GET {key}</c> its status.</summary>
    public const string SubmissionsPath = "v1/submissions";

    /// <summary>The receipts collection: <c>GET ?school=&amp;since=</c> lists, <c>GET {id}</c> fetches one.</summary>
    public const string ReceiptsPath = "v1/receipts";

    /// <summary>The header carrying the idempotency key of a submission.</summary>
    public const string IdempotencyKeyHeader = "Idempotency-Key";

    /// <summary>The response header set to <c>true</c> when a submission was answered from an earlier request with the same key.</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    /// <summary>The name of the multipart part holding the <see cref="SubmissionMetadata"/> JSON.</summary>
    public const string MetadataPart = "metadata";

    /// <summary>The name of the multipart part holding the workbook or package.</summary>
    public const string ContentPart = "content";

    /// <summary>The media type of problem responses (RFC 9457).</summary>
    public const string ProblemMediaType = "application/problem+json";

    /// <summary>The media type of a roster workbook.</summary>
    public const string WorkbookMediaType = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /// <summary>The media type of a per-year upload package.</summary>
    public const string PackageMediaType = "application/zip";

    /// <summary>The longest idempotency key accepted.</summary>
    public const int MaxIdempotencyKeyLength = 64;

    /// <summary>Whether <paramref name="key"/> is a well-formed idempotency key: 8 to 64 characters of letters, digits, <c>-</c> and <c>_</c>.</summary>
    /// <param name="key">The key.</param>
    /// <returns><see langword="true"/> when well formed.</returns>
    public static bool IsValidIdempotencyKey(string? key) =>
        key is { Length: >= 8 and <= MaxIdempotencyKeyLength } && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
}
