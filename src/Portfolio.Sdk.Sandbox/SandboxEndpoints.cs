using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Primitives;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Submission.Receipts;

namespace Portfolio.Sdk.Sandbox;

/// <summary>The gateway protocol's endpoints. Every refusal is a problem response with diagnostics; nothing a client sends yields a 500.</summary>
internal sealed class SandboxEndpoints(SandboxOptions options, SandboxStore store, TimeProvider clock)
{
    public static Task ProblemAsync(HttpContext context, int status, string title, IEnumerable<Diagnostic> diagnostics)
    {
        context.Response.StatusCode = status;
        return context.Response.WriteAsJsonAsync(
            new GatewayProblem { Status = status, Title = title, Diagnostics = [.. diagnostics.Select(GatewayDiagnostic.From)] },
            GatewayJson.Options, GatewayProtocol.ProblemMediaType, context.RequestAborted);
    }

    public async Task SubmitAsync(HttpContext context)
    {
        var request = context.Request;
        if (!Authorized(context))
        {
            await ProblemAsync(context, 401, "Unauthorized", [DiagnosticCatalog.Create(DiagnosticCodes.GatewayUnauthorized, null)]).ConfigureAwait(false);
            return;
        }

        if (!request.HasFormContentType || request.ContentType?.StartsWith("multipart/form-data", StringComparison.OrdinalIgnoreCase) != true)
        {
            await ProblemAsync(context, 415, "Unsupported media type", [DiagnosticCatalog.Create(DiagnosticCodes.GatewayContentType, Header("Content-Type"), request.ContentType ?? "(none)")]).ConfigureAwait(false);
            return;
        }

        if (request.ContentLength > options.MaxRequestBytes)
        {
            await TooLargeAsync(context).ConfigureAwait(false);
            return;
        }

        var key = request.Headers[GatewayProtocol.IdempotencyKeyHeader].ToString();
        if (!GatewayProtocol.IsValidIdempotencyKey(key))
        {
            await ProblemAsync(context, 400, "Bad request", [Field(GatewayProtocol.IdempotencyKeyHeader, "應為 8–64 個英數字、- 或 _", "8 to 64 letters, digits, - or _")]).ConfigureAwait(false);
            return;
        }

        IFormCollection form;
        try
        {
            if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
            {
                limit.MaxRequestBodySize = options.MaxRequestBytes;
            }

            form = await request.ReadFormAsync(new FormOptions { MultipartBodyLengthLimit = options.MaxRequestBytes, ValueLengthLimit = 64 * 1024 }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == 413)
        {
            await TooLargeAsync(context).ConfigureAwait(false);
            return;
        }
        catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException or IOException)
        {
            if (ex is InvalidDataException && ex.Message.Contains("length limit", StringComparison.OrdinalIgnoreCase))
            {
                await TooLargeAsync(context).ConfigureAwait(false);
                return;
            }

            await ProblemAsync(context, 400, "Bad request", [DiagnosticCatalog.Create(DiagnosticCodes.GatewayPartMissing, Header("Content-Type"), "multipart/form-data")]).ConfigureAwait(false);
            return;
        }

        if (!form.TryGetValue(GatewayProtocol.MetadataPart, out var metadataText) || StringValues.IsNullOrEmpty(metadataText))
        {
            await ProblemAsync(context, 400, "Bad request", [DiagnosticCatalog.Create(DiagnosticCodes.GatewayPartMissing, Part(GatewayProtocol.MetadataPart), GatewayProtocol.MetadataPart)]).ConfigureAwait(false);
            return;
        }

        var (metadata, problems) = ParseMetadata(metadataText.ToString(), key);
        if (metadata is null)
        {
            await ProblemAsync(context, 400, "Bad request", problems).ConfigureAwait(false);
            return;
        }

        if (form.Files.GetFile(GatewayProtocol.ContentPart) is not { } file)
        {
            await ProblemAsync(context, 400, "Bad request", [DiagnosticCatalog.Create(DiagnosticCodes.GatewayPartMissing, Part(GatewayProtocol.ContentPart), GatewayProtocol.ContentPart)]).ConfigureAwait(false);
            return;
        }

        using var content = new MemoryStream((int)Math.Min(file.Length, int.MaxValue));
        await file.CopyToAsync(content, context.RequestAborted).ConfigureAwait(false);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content.GetBuffer().AsSpan(0, (int)content.Length)));
        if (sha != metadata.Sha256 || content.Length != metadata.Length)
        {
            await ProblemAsync(context, 400, "Bad request", [DiagnosticCatalog.Create(DiagnosticCodes.GatewayContentHash, Part(GatewayProtocol.ContentPart))]).ConfigureAwait(false);
            return;
        }

        using (await store.LockAsync(key, context.RequestAborted).ConfigureAwait(false))
        {
            if (store.Get(key) is { } earlier)
            {
                if (earlier.Sha256 != sha)
                {
                    await ProblemAsync(context, 409, "Conflict", [DiagnosticCatalog.Create(DiagnosticCodes.GatewayKeyConflict, Header(GatewayProtocol.IdempotencyKeyHeader), key)]).ConfigureAwait(false);
                    return;
                }

                store.CountReplay();
                context.Response.Headers[GatewayProtocol.ReplayedHeader] = "true";
                await WriteStatusAsync(context, earlier.Status, 200).ConfigureAwait(false);
                return;
            }

            content.Position = 0;
            SubmissionStatus status;
            Receipt? receipt;
            try
            {
                status = Process(metadata, content, context.RequestAborted, out receipt);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // Whatever the content does to the readers, it is the content's fault: 422, never a 500 a client would retry.
                _ = ex;
                await ProblemAsync(context, 422, "Unprocessable content", [DiagnosticCatalog.Create(DiagnosticCodes.GatewayContentUnreadable, Part(GatewayProtocol.ContentPart))]).ConfigureAwait(false);
                return;
            }

            store.Store(status, receipt);
            await WriteStatusAsync(context, status, 201).ConfigureAwait(false);
        }
    }

    public async Task GetSubmissionAsync(HttpContext context, string key)
    {
        if (!Authorized(context))
        {
            await ProblemAsync(context, 401, "Unauthorized", [DiagnosticCatalog.Create(DiagnosticCodes.GatewayUnauthorized, null)]).ConfigureAwait(false);
            return;
        }

        if (store.Find(key) is { } status)
        {
            await WriteStatusAsync(context, status, 200).ConfigureAwait(false);
            return;
        }

        await ProblemAsync(context, 404, "Not found", [DiagnosticCatalog.Create(DiagnosticCodes.GatewayNotFound, null, "送件", key, "submission")]).ConfigureAwait(false);
    }

    public async Task ListReceiptsAsync(HttpContext context)
    {
        if (!Authorized(context))
        {
            await ProblemAsync(context, 401, "Unauthorized", [DiagnosticCatalog.Create(DiagnosticCodes.GatewayUnauthorized, null)]).ConfigureAwait(false);
            return;
        }

        var school = context.Request.Query["school"].ToString();
        if (!SchoolCode.TryParse(school, out _))
        {
            await ProblemAsync(context, 400, "Bad request", [Field("school", "應為 6 碼學校代碼", "a 6-character school code")]).ConfigureAwait(false);
            return;
        }

        DateTimeOffset? since = null;
        if (context.Request.Query["since"].ToString() is { Length: > 0 } sinceText)
        {
            if (!DateTimeOffset.TryParse(sinceText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
            {
                await ProblemAsync(context, 400, "Bad request", [Field("since", "應為 ISO 8601 時間", "an ISO 8601 time")]).ConfigureAwait(false);
                return;
            }

            since = parsed;
        }

        await context.Response.WriteAsJsonAsync(store.ListReceipts(school, since), GatewayJson.Options, context.RequestAborted).ConfigureAwait(false);
    }

    public async Task GetReceiptAsync(HttpContext context, string receiptId)
    {
        if (!Authorized(context))
        {
            await ProblemAsync(context, 401, "Unauthorized", [DiagnosticCatalog.Create(DiagnosticCodes.GatewayUnauthorized, null)]).ConfigureAwait(false);
            return;
        }

        if (store.FindReceipt(receiptId) is { } receipt)
        {
            await context.Response.WriteAsJsonAsync(receipt, GatewayJson.Options, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        await ProblemAsync(context, 404, "Not found", [DiagnosticCatalog.Create(DiagnosticCodes.GatewayNotFound, null, "收訖明細", receiptId, "receipt")]).ConfigureAwait(false);
    }

    private static DiagnosticLocation Header(string name) => new(Source: "request", Path: "headers." + name);

    private static DiagnosticLocation Part(string name) => new(Source: "request", Path: "form." + name);

    private static Diagnostic Field(string field, string zh, string en) =>
        DiagnosticCatalog.Create(DiagnosticCodes.GatewayMetadataField, new DiagnosticLocation(Source: "request", Path: field), field, zh, en);

    private static (SubmissionMetadata? Metadata, IReadOnlyList<Diagnostic> Problems) ParseMetadata(string json, string headerKey)
    {
        SubmissionMetadata? metadata;
        try
        {
            metadata = JsonSerializer.Deserialize<SubmissionMetadata>(json, GatewayJson.Options);
        }
        catch (JsonException ex)
        {
            var at = new DiagnosticLocation(Source: "request", Row: (int?)(ex.LineNumber + 1), Path: "metadata" + (ex.Path is { Length: > 1 } p ? p[1..] : string.Empty));
            return (null, [DiagnosticCatalog.Create(DiagnosticCodes.GatewayMetadataJson, at, ex.Message.Split(" Path:")[0])]);
        }

        if (metadata is null)
        {
            return (null, [DiagnosticCatalog.Create(DiagnosticCodes.GatewayMetadataJson, Part(GatewayProtocol.MetadataPart), "null")]);
        }

        var problems = new List<Diagnostic>();
        if (metadata.IdempotencyKey != headerKey)
        {
            problems.Add(Field("idempotencyKey", "與 Idempotency-Key 標頭不同", "differs from the Idempotency-Key header"));
        }

        if (!SchoolCode.TryParse(metadata.SchoolCode, out _))
        {
            problems.Add(Field("schoolCode", "應為 6 碼學校代碼", "a 6-character school code"));
        }

        if (!RosterCatalogue.Default.TryGetBook(metadata.Book ?? string.Empty, out _))
        {
            problems.Add(Field("book", "不是已知的名冊", "not a known roster book"));
        }

        if (metadata.SchoolYear is < SchoolYear.MinValue or > SchoolYear.MaxValue)
        {
            problems.Add(Field("schoolYear", "超出範圍", "out of range"));
        }

        if (metadata.Term is < 0 or > 2)
        {
            problems.Add(Field("term", "應為 0、1 或 2", "0, 1 or 2"));
        }

        if (metadata.Sha256 is not { Length: 64 } || !metadata.Sha256.All(char.IsAsciiHexDigitLower))
        {
            problems.Add(Field("sha256", "應為 64 個小寫十六進位字元", "64 lower-case hex digits"));
        }

        if (metadata.Revision < 1)
        {
            problems.Add(Field("revision", "應為 1 以上", "1 or more"));
        }

        return problems.Count == 0 ? (metadata, []) : (null, problems);
    }

    private Task TooLargeAsync(HttpContext context) =>
        ProblemAsync(context, 413, "Payload too large", [DiagnosticCatalog.Create(DiagnosticCodes.GatewayBodyTooLarge, new DiagnosticLocation(Source: "request"), options.MaxRequestBytes)]);

    private bool Authorized(HttpContext context) =>
        (string.IsNullOrEmpty(options.AccessToken) && options.AllowAnonymous)
        || (!string.IsNullOrEmpty(options.AccessToken) && CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(context.Request.Headers.Authorization.ToString()),
            System.Text.Encoding.UTF8.GetBytes("Bearer " + options.AccessToken)));

    private static Task WriteStatusAsync(HttpContext context, SubmissionStatus status, int created)
    {
        context.Response.StatusCode = status.Verdict == GatewayVerdict.Rejected ? 422 : created;
        return context.Response.WriteAsJsonAsync(status, GatewayJson.Options, context.RequestAborted);
    }

    // Validates with the SDK's own rules: unreadable content or a cover that disagrees with the metadata rejects the
    // whole submission; otherwise the valid rows are received and the invalid ones refused with their diagnostics.
    private SubmissionStatus Process(SubmissionMetadata metadata, Stream content, CancellationToken cancellationToken, out Receipt? receipt)
    {
        var now = clock.GetUtcNow();
        var rows = new List<ReceiptRow>();
        var refused = 0;
        var report = RosterContent.Read(content, metadata.ContentKind, metadata.ContentKind == SubmissionContentKind.Package ? "package.zip" : "roster.xlsx", row =>
        {
            if (row.IsValid)
            {
                rows.Add(row.ToReceiptRow());
            }
            else
            {
                refused++;
            }
        }, cancellationToken: cancellationToken);

        var diagnostics = new List<Diagnostic>();
        if (!report.IsReadable)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.GatewayContentUnreadable, Part(GatewayProtocol.ContentPart)));
        }
        else if (report.Cover is { } cover && (cover.School.Value != metadata.SchoolCode || cover.Year.RocYear != metadata.SchoolYear || (int)cover.Term != metadata.Term || report.Book?.Id != metadata.Book))
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.GatewayCoverMismatch, Part(GatewayProtocol.ContentPart),
                $"{cover.School.Value} {report.Book?.Id} {cover.Year.RocYear}-{(int)cover.Term}", $"{metadata.SchoolCode} {metadata.Book} {metadata.SchoolYear}-{metadata.Term}"));
        }
        else if (rows.Count == 0 && refused > 0)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.GatewayRowsRejected, Part(GatewayProtocol.ContentPart), refused, 0) with { Severity = DiagnosticSeverity.Error });
        }

        var rejected = diagnostics.Count > 0;
        diagnostics.AddRange(report.Diagnostics.Take(options.MaxDiagnostics));
        var status = new SubmissionStatus
        {
            SubmissionId = rejected ? null : SandboxStore.NextId("S"),
            IdempotencyKey = metadata.IdempotencyKey,
            Verdict = rejected ? GatewayVerdict.Rejected : GatewayVerdict.Accepted,
            ReceivedAt = now,
            SchoolCode = metadata.SchoolCode,
            Book = metadata.Book,
            SchoolYear = metadata.SchoolYear,
            Term = metadata.Term,
            Sha256 = metadata.Sha256,
            AcceptedRows = rejected ? 0 : rows.Count,
            RejectedRows = rejected ? rows.Count + refused : refused,
            Diagnostics = [.. diagnostics.Select(GatewayDiagnostic.From)],
        };

        receipt = null;
        if (!rejected)
        {
            receipt = new Receipt
            {
                ReceiptId = SandboxStore.NextId("R"),
                IdempotencyKey = metadata.IdempotencyKey,
                SubmissionId = status.SubmissionId!,
                SchoolCode = metadata.SchoolCode,
                Book = metadata.Book,
                SchoolYear = metadata.SchoolYear,
                Term = metadata.Term,
                IssuedAt = now,
                RowCount = rows.Count,
                Rows = rows,
            };
            status = status with { ReceiptId = receipt.ReceiptId };
        }

        return status;
    }
}
