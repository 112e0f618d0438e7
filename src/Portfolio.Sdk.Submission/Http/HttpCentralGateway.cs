using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using Polly;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Submission.Http;

/// <summary>
/// The gateway over HTTP (the sandbox, or an official API should one appear). Use it as a typed client of
/// <c>IHttpClientFactory</c> through <c>AddPortfolioGateway</c>, which puts the standard resilience handler of
/// Microsoft.Extensions.Http.Resilience in front of it.
/// Whole-request refusals (400, 409, 413, 415, 422) become a <see cref="GatewayVerdict.Rejected"/> status with the
/// gateway's diagnostics; 401 and 403 and anything still failing after the pipeline's retries throw
/// <see cref="GatewayException"/>.
/// </summary>
public sealed class HttpCentralGateway : ICentralGateway
{
    private readonly HttpClient _http;
    private readonly GatewayClientOptions _options;
    private readonly TimeProvider _clock;

    /// <summary>Initializes the client.</summary>
    /// <param name="http">An HTTP client from <c>AddPortfolioGateway</c> (resilience handler, fresh content per attempt).</param>
    /// <param name="options">The settings.</param>
    /// <param name="clock">The clock for the receipt time of a rejection; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public HttpCentralGateway(HttpClient http, IOptions<GatewayClientOptions> options, TimeProvider? clock = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        _http = http;
        _options = options.Value;
        _clock = clock ?? TimeProvider.System;
        _http.BaseAddress ??= _options.BaseAddress;
    }

    /// <inheritdoc />
    public async Task<GatewayDelivery> SubmitAsync(SubmissionMetadata metadata, Func<Stream> openContent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(metadata);
        ArgumentNullException.ThrowIfNull(openContent);
        using var request = Request(HttpMethod.Post, GatewayProtocol.SubmissionsPath);
        request.Headers.Add(GatewayProtocol.IdempotencyKeyHeader, metadata.IdempotencyKey);
        request.Options.Set(GatewayAttemptHandler.ContentFactory, () => Multipart(metadata, openContent));
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var replayed = response.Headers.TryGetValues(GatewayProtocol.ReplayedHeader, out var values) && values.Contains("true", StringComparer.OrdinalIgnoreCase);
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK or HttpStatusCode.Created or HttpStatusCode.UnprocessableEntity when IsJson(response):
                return new GatewayDelivery(await ReadAsync<SubmissionStatus>(response, cancellationToken).ConfigureAwait(false), replayed);
            case HttpStatusCode.BadRequest or HttpStatusCode.Conflict or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnsupportedMediaType or HttpStatusCode.UnprocessableEntity:
                var problem = await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false);
                return new GatewayDelivery(new SubmissionStatus
                {
                    IdempotencyKey = metadata.IdempotencyKey,
                    Verdict = GatewayVerdict.Rejected,
                    ReceivedAt = _clock.GetUtcNow(),
                    SchoolCode = metadata.SchoolCode,
                    Book = metadata.Book,
                    SchoolYear = metadata.SchoolYear,
                    Term = metadata.Term,
                    Sha256 = metadata.Sha256,
                    Diagnostics = problem.Diagnostics,
                }, replayed);
            default:
                throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <inheritdoc />
    public async Task<SubmissionStatus?> GetStatusAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        using var request = Request(HttpMethod.Get, $"{GatewayProtocol.SubmissionsPath}/{Uri.EscapeDataString(idempotencyKey)}");
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null
            : response.IsSuccessStatusCode ? await ReadAsync<SubmissionStatus>(response, cancellationToken).ConfigureAwait(false)
            : throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<IReadOnlyList<ReceiptSummary>> ListReceiptsAsync(string schoolCode, DateTimeOffset? since = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(schoolCode);
        var query = $"?school={Uri.EscapeDataString(schoolCode)}" + (since is { } s ? $"&since={Uri.EscapeDataString(s.ToString("O", CultureInfo.InvariantCulture))}" : string.Empty);
        using var request = Request(HttpMethod.Get, GatewayProtocol.ReceiptsPath + query);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.IsSuccessStatusCode
            ? await ReadAsync<List<ReceiptSummary>>(response, cancellationToken).ConfigureAwait(false)
            : throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task<Receipt?> GetReceiptAsync(string receiptId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(receiptId);
        using var request = Request(HttpMethod.Get, $"{GatewayProtocol.ReceiptsPath}/{Uri.EscapeDataString(receiptId)}");
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode == HttpStatusCode.NotFound ? null
            : response.IsSuccessStatusCode ? await ReadAsync<Receipt>(response, cancellationToken).ConfigureAwait(false)
            : throw await FailureAsync(response, cancellationToken).ConfigureAwait(false);
    }

    private static MultipartFormDataContent Multipart(SubmissionMetadata metadata, Func<Stream> openContent)
    {
        var form = new MultipartFormDataContent();
        form.Add(JsonContent.Create(metadata, options: GatewayJson.Options), GatewayProtocol.MetadataPart);
        var content = new StreamContent(openContent());
        content.Headers.ContentType = new MediaTypeHeaderValue(metadata.ContentKind == SubmissionContentKind.Package ? GatewayProtocol.PackageMediaType : GatewayProtocol.WorkbookMediaType);
        form.Add(content, GatewayProtocol.ContentPart, metadata.ContentKind == SubmissionContentKind.Package ? "package.zip" : "roster.xlsx");
        return form;
    }

    private static bool IsJson(HttpResponseMessage response) => response.Content.Headers.ContentType?.MediaType is "application/json";

    private static async Task<T> ReadAsync<T>(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<T>(GatewayJson.Options, cancellationToken).ConfigureAwait(false)
                ?? throw new JsonException("The body is null.");
        }
        catch (JsonException ex)
        {
            throw new GatewayException(DiagnosticCatalog.Create(DiagnosticCodes.GatewayUnexpectedResponse, null, (int)response.StatusCode), ex);
        }
    }

    private static async Task<GatewayProblem> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await response.Content.ReadFromJsonAsync<GatewayProblem>(GatewayJson.Options, cancellationToken).ConfigureAwait(false)
                ?? new GatewayProblem { Status = (int)response.StatusCode, Title = response.ReasonPhrase ?? "error" };
        }
        catch (JsonException)
        {
            var diagnostic = DiagnosticCatalog.Create(DiagnosticCodes.GatewayUnexpectedResponse, null, (int)response.StatusCode);
            return new GatewayProblem { Status = (int)response.StatusCode, Title = response.ReasonPhrase ?? "error", Diagnostics = [GatewayDiagnostic.From(diagnostic)] };
        }
    }

    private static async Task<GatewayException> FailureAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            return new GatewayException(DiagnosticCatalog.Create(DiagnosticCodes.GatewayUnauthorized, null));
        }

        var problem = await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false);
        var diagnostic = (problem.Diagnostics.Count > 0 ? problem.Diagnostics[0].ToDiagnostic() : null)
            ?? DiagnosticCatalog.Create(DiagnosticCodes.GatewayUnavailable, null, $"HTTP {(int)response.StatusCode}");
        return new GatewayException(diagnostic, isTransient: GatewayResilience.IsTransient(response.StatusCode));
    }

    private HttpRequestMessage Request(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (!string.IsNullOrEmpty(_options.AccessToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _options.AccessToken);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return request;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or ExecutionRejectedException
                                   || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            // Retries are spent (or the circuit is open, or the rate limiter refused): the submission stays in the ledger and is resent later with the same key.
            throw new GatewayException(DiagnosticCatalog.Create(DiagnosticCodes.GatewayUnavailable, null, ex.GetType().Name), ex, isTransient: true);
        }
    }
}
