using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Portfolio.Sdk.Submission.Http;

/// <summary>
/// The gateway client's resilience pipeline, built once per client so that the circuit breaker's state outlives the
/// pooled HTTP handlers. Transient outcomes: network errors, truncated responses, attempt timeouts, 408, 429 and 5xx.
/// </summary>
public sealed partial class GatewayResiliencePipeline
{
    private readonly ILogger _logger;

    /// <summary>Builds the pipeline.</summary>
    /// <param name="options">The settings (validated beforehand).</param>
    /// <param name="clock">The clock for delays and timeouts; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">Where retries and circuit changes are logged (never with request content or headers).</param>
    public GatewayResiliencePipeline(GatewayResilienceOptions options, TimeProvider? clock = null, ILogger<GatewayResiliencePipeline>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Validate();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join(" ", problems), nameof(options));
        }

        Options = options;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        var transient = new PredicateBuilder<HttpResponseMessage>()
            .Handle<HttpRequestException>()
            .Handle<IOException>()
            .Handle<TimeoutRejectedException>()
            .HandleResult(r => IsTransient(r.StatusCode));
        Pipeline = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = clock ?? TimeProvider.System }
            .AddTimeout(new TimeoutStrategyOptions { Name = "total", Timeout = options.TotalTimeout })
            .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
            {
                Name = "retry",
                ShouldHandle = transient,
                MaxRetryAttempts = options.MaxRetryAttempts,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                DelayGenerator = args => new ValueTask<TimeSpan?>(RetryAfter(args.Outcome.Result, clock ?? TimeProvider.System, options.RetryMaxDelay)),
                OnRetry = args =>
                {
                    LogRetry(_logger, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, Describe(args.Outcome));
                    args.Outcome.Result?.Dispose();
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions<HttpResponseMessage>
            {
                Name = "circuit",
                ShouldHandle = transient,
                FailureRatio = options.CircuitFailureRatio,
                MinimumThroughput = options.CircuitMinimumThroughput,
                SamplingDuration = options.CircuitSamplingDuration,
                BreakDuration = options.CircuitBreakDuration,
                OnOpened = args =>
                {
                    LogCircuitOpened(_logger, args.BreakDuration.TotalSeconds, Describe(args.Outcome));
                    return ValueTask.CompletedTask;
                },
                OnClosed = _ =>
                {
                    LogCircuitClosed(_logger);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(new TimeoutStrategyOptions { Name = "attempt", Timeout = options.AttemptTimeout })
            .Build();
    }

    /// <summary>Gets the settings.</summary>
    public GatewayResilienceOptions Options { get; }

    /// <summary>Gets the Polly pipeline.</summary>
    public ResiliencePipeline<HttpResponseMessage> Pipeline { get; }

    /// <summary>Whether a status code is worth retrying: 408, 429 and every 5xx.</summary>
    /// <param name="status">The status.</param>
    /// <returns><see langword="true"/> when transient.</returns>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

    /// <summary>
    /// The delay a response asks for in <c>Retry-After</c> (seconds or an HTTP date), capped at
    /// <paramref name="max"/>; <see langword="null"/> when it asks for none, so the exponential backoff applies.
    /// </summary>
    /// <param name="response">The response, if there was one.</param>
    /// <param name="clock">The clock, for HTTP dates.</param>
    /// <param name="max">The cap.</param>
    /// <returns>The delay, or <see langword="null"/>.</returns>
    public static TimeSpan? RetryAfter(HttpResponseMessage? response, TimeProvider clock, TimeSpan max)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var header = response?.Headers.RetryAfter;
        TimeSpan? delay = header?.Delta ?? (header?.Date is { } date ? date - clock.GetUtcNow() : null);
        return delay is null ? null : delay < TimeSpan.Zero ? TimeSpan.Zero : delay > max ? max : delay;
    }

    private static string Describe(Outcome<HttpResponseMessage> outcome) =>
        outcome.Exception is { } ex ? ex.GetType().Name : $"HTTP {(int)outcome.Result!.StatusCode}";

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "Gateway attempt failed ({Outcome}); retry {Attempt} in {DelayMs} ms")]
    private static partial void LogRetry(ILogger logger, int attempt, double delayMs, string outcome);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Error, Message = "Gateway circuit opened for {Seconds} s after {Outcome}")]
    private static partial void LogCircuitOpened(ILogger logger, double seconds, string outcome);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Information, Message = "Gateway circuit closed")]
    private static partial void LogCircuitClosed(ILogger logger);
}
