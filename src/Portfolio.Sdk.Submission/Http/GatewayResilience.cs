using System.Globalization;
using System.Net;
using Microsoft.Extensions.Http.Resilience;
using Polly;
using Portfolio.Sdk.Submission.Telemetry;

namespace Portfolio.Sdk.Submission.Http;

/// <summary>
/// Maps <see cref="GatewayResilienceOptions"/> onto the standard resilience handler of
/// Microsoft.Extensions.Http.Resilience. What is transient is the library's rule (network errors, a body cut short,
/// attempt timeouts, 408, 429, 5xx); <c>Retry-After</c> is the library's too. We add only what it does not do: a
/// <c>Retry-After</c> is capped at <see cref="GatewayResilienceOptions.RetryMaxDelay"/> (Polly ignores
/// <c>MaxDelay</c> for delays a generator returns); <see cref="GatewayResilienceOptions.MaxRetryAttempts"/> of 0
/// means no retries (the library requires at least one); retries are counted in <see cref="SubmissionTelemetry"/>.
/// </summary>
internal static class GatewayResilience
{
    /// <summary>Whether a status code is worth retrying: 408, 429 and every 5xx (the library's rule too).</summary>
    /// <param name="status">The status.</param>
    /// <returns><see langword="true"/> when transient.</returns>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>Sets the standard handler's options from ours.</summary>
    /// <param name="target">The standard handler's options.</param>
    /// <param name="options">Our settings (validated at start).</param>
    public static void Apply(HttpStandardResilienceOptions target, GatewayResilienceOptions options)
    {
        target.TotalRequestTimeout.Timeout = options.TotalTimeout;
        target.AttemptTimeout.Timeout = options.AttemptTimeout;

        var retry = target.Retry;
        // The library wants at least one retry; our 0 (documented: no retries) keeps one that never handles an outcome.
        retry.MaxRetryAttempts = Math.Max(1, options.MaxRetryAttempts);
        if (options.MaxRetryAttempts == 0)
        {
            retry.ShouldHandle = _ => ValueTask.FromResult(false);
        }

        retry.Delay = options.RetryBaseDelay;
        retry.MaxDelay = options.RetryMaxDelay;
        retry.BackoffType = DelayBackoffType.Exponential;
        retry.UseJitter = true;
        retry.ShouldRetryAfterHeader = true;
        var retryAfter = retry.DelayGenerator;
        retry.DelayGenerator = async args =>
        {
            var asked = retryAfter is null ? null : await retryAfter(args).ConfigureAwait(false);
            return asked > options.RetryMaxDelay ? options.RetryMaxDelay : asked;
        };
        retry.OnRetry = args =>
        {
            SubmissionTelemetry.RecordRetry(ErrorType(args.Outcome));
            return ValueTask.CompletedTask;
        };

        var circuit = target.CircuitBreaker;
        circuit.FailureRatio = options.CircuitFailureRatio;
        circuit.MinimumThroughput = options.CircuitMinimumThroughput;
        circuit.SamplingDuration = options.CircuitSamplingDuration;
        circuit.BreakDuration = options.CircuitBreakDuration;
    }

    /// <summary>The OpenTelemetry <c>error.type</c> of a failed attempt: the status code, or the exception's type.</summary>
    /// <param name="outcome">The outcome.</param>
    /// <returns>The value.</returns>
    public static string ErrorType(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } ex ? ex.GetType().FullName ?? ex.GetType().Name
        : outcome.Result is { } response ? ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture)
        : "_OTHER";
}
