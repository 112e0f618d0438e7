using System.Globalization;

namespace Portfolio.Sdk.Submission.Http;

/// <summary>
/// Settings of the HTTP gateway client (<c>Portfolio:Gateway</c> in configuration). <see cref="ToString"/> never
/// shows the access token.
/// </summary>
public sealed class GatewayClientOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Portfolio:Gateway";

    /// <summary>Gets or sets the gateway's base address. HTTPS is required except for loopback addresses (the local sandbox).</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>Gets or sets the access token sent as <c>Authorization: Bearer</c>; never logged.</summary>
    public string? AccessToken { get; set; }

    /// <summary>Gets the resilience settings.</summary>
    public GatewayResilienceOptions Resilience { get; } = new();

    /// <inheritdoc />
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{BaseAddress} (token {(string.IsNullOrEmpty(AccessToken) ? "none" : "set")}; {Resilience})");
}

/// <summary>
/// The pinned defaults of <see cref="GatewayResilienceOptions"/>. They suit roster uploads of tens of megabytes to a
/// slow government service; a test pins them and <c>docs/gateway-protocol.md</c> documents them.
/// </summary>
public static class GatewayResilienceDefaults
{
    /// <summary>The time allowed for one call with all its retries.</summary>
    /// <value>5 minutes.</value>
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The time allowed for one attempt, the response body included.</summary>
    /// <value>60 seconds.</value>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(60);

    /// <summary>How many times a failed attempt is retried.</summary>
    /// <value>5.</value>
    public const int MaxRetryAttempts = 5;

    /// <summary>The first retry delay; later ones grow exponentially, with jitter.</summary>
    /// <value>2 seconds.</value>
    public static readonly TimeSpan RetryBaseDelay = TimeSpan.FromSeconds(2);

    /// <summary>The longest delay between attempts, a <c>Retry-After</c> included.</summary>
    /// <value>60 seconds.</value>
    public static readonly TimeSpan RetryMaxDelay = TimeSpan.FromSeconds(60);

    /// <summary>The share of failed attempts in the sampling window that opens the circuit.</summary>
    /// <value>0.5.</value>
    public const double CircuitFailureRatio = 0.5;

    /// <summary>How many attempts the sampling window needs before the circuit may open.</summary>
    /// <value>10.</value>
    public const int CircuitMinimumThroughput = 10;

    /// <summary>The circuit's sampling window.</summary>
    /// <value>2 minutes.</value>
    public static readonly TimeSpan CircuitSamplingDuration = TimeSpan.FromMinutes(2);

    /// <summary>How long an open circuit refuses calls.</summary>
    /// <value>30 seconds.</value>
    public static readonly TimeSpan CircuitBreakDuration = TimeSpan.FromSeconds(30);
}

/// <summary>
/// The resilience pipeline of the gateway client (<c>Portfolio:Gateway:Resilience</c> in configuration): the
/// standard resilience handler of Microsoft.Extensions.Http.Resilience (from the outside in: rate limiter, total
/// timeout, retry, circuit breaker, attempt timeout) with these settings. Defaults are in
/// <see cref="GatewayResilienceDefaults"/>.
/// </summary>
public sealed class GatewayResilienceOptions
{
    /// <summary>Gets or sets the time allowed for one call with all its retries.</summary>
    /// <value>Default <see cref="GatewayResilienceDefaults.TotalTimeout"/> (5 minutes).</value>
    public TimeSpan TotalTimeout { get; set; } = GatewayResilienceDefaults.TotalTimeout;

    /// <summary>Gets or sets the time allowed for one attempt, the response body included.</summary>
    /// <value>Default <see cref="GatewayResilienceDefaults.AttemptTimeout"/> (60 seconds).</value>
    public TimeSpan AttemptTimeout { get; set; } = GatewayResilienceDefaults.AttemptTimeout;

    /// <summary>Gets or sets how many times a failed attempt is retried.</summary>
    /// <value>Default <see cref="GatewayResilienceDefaults.MaxRetryAttempts"/> (5); 0 to 20.</value>
    public int MaxRetryAttempts { get; set; } = GatewayResilienceDefaults.MaxRetryAttempts;

    /// <summary>Gets or sets the first retry delay; later ones grow exponentially, with jitter.</summary>
    /// <value>Default <see cref="GatewayResilienceDefaults.RetryBaseDelay"/> (2 seconds).</value>
    public TimeSpan RetryBaseDelay { get; set; } = GatewayResilienceDefaults.RetryBaseDelay;

    /// <summary>Gets or sets the longest delay between attempts, a <c>Retry-After</c> included.</summary>
    /// <value>Default <see cref="GatewayResilienceDefaults.RetryMaxDelay"/> (60 seconds).</value>
    public TimeSpan RetryMaxDelay { get; set; } = GatewayResilienceDefaults.RetryMaxDelay;

    /// <summary>Gets or sets the share of failed attempts in the sampling window that opens the circuit.</summary>
    /// <value>Default <see cref="GatewayResilienceDefaults.CircuitFailureRatio"/> (0.5); in (0, 1].</value>
    public double CircuitFailureRatio { get; set; } = GatewayResilienceDefaults.CircuitFailureRatio;

    /// <summary>Gets or sets how many attempts the sampling window needs before the circuit may open.</summary>
    /// <value>Default <see cref="GatewayResilienceDefaults.CircuitMinimumThroughput"/> (10); at least 2.</value>
    public int CircuitMinimumThroughput { get; set; } = GatewayResilienceDefaults.CircuitMinimumThroughput;

    /// <summary>Gets or sets the circuit's sampling window; at least twice <see cref="AttemptTimeout"/>.</summary>
    /// <value>Default <see cref="GatewayResilienceDefaults.CircuitSamplingDuration"/> (2 minutes).</value>
    public TimeSpan CircuitSamplingDuration { get; set; } = GatewayResilienceDefaults.CircuitSamplingDuration;

    /// <summary>Gets or sets how long an open circuit refuses calls.</summary>
    /// <value>Default <see cref="GatewayResilienceDefaults.CircuitBreakDuration"/> (30 seconds); at least 0.5 seconds.</value>
    public TimeSpan CircuitBreakDuration { get; set; } = GatewayResilienceDefaults.CircuitBreakDuration;

    private static TimeSpan MinTimeout => TimeSpan.FromMilliseconds(10);

    private static TimeSpan HalfSecond => TimeSpan.FromMilliseconds(500);

    private static TimeSpan OneDay => TimeSpan.FromDays(1);

    /// <summary>Checks the settings.</summary>
    /// <returns>What is wrong, in English; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        void Require(bool ok, string problem)
        {
            if (!ok)
            {
                problems.Add(problem);
            }
        }

        // The ranges are those the standard resilience handler enforces, so a value we accept never fails it later.
        Require(TotalTimeout >= MinTimeout && TotalTimeout <= OneDay, "Resilience.TotalTimeout must be between 10 ms and 24 hours.");
        Require(AttemptTimeout >= MinTimeout && AttemptTimeout <= OneDay, "Resilience.AttemptTimeout must be between 10 ms and 24 hours.");
        Require(AttemptTimeout < TotalTimeout, "Resilience.AttemptTimeout must be shorter than Resilience.TotalTimeout.");
        Require(MaxRetryAttempts is >= 0 and <= 20, "Resilience.MaxRetryAttempts must be between 0 and 20.");
        Require(RetryBaseDelay > TimeSpan.Zero && RetryBaseDelay <= RetryMaxDelay, "Resilience.RetryBaseDelay must be positive and not exceed Resilience.RetryMaxDelay.");
        Require(RetryMaxDelay <= OneDay, "Resilience.RetryMaxDelay must not exceed 24 hours.");
        Require(CircuitFailureRatio is > 0 and <= 1, "Resilience.CircuitFailureRatio must be in (0, 1].");
        Require(CircuitMinimumThroughput >= 2, "Resilience.CircuitMinimumThroughput must be at least 2.");
        Require(CircuitSamplingDuration >= 2 * AttemptTimeout && CircuitSamplingDuration >= HalfSecond && CircuitSamplingDuration <= OneDay,
            "Resilience.CircuitSamplingDuration must be at least twice Resilience.AttemptTimeout, at least 0.5 seconds and at most 24 hours.");
        Require(CircuitBreakDuration >= HalfSecond && CircuitBreakDuration <= OneDay, "Resilience.CircuitBreakDuration must be between 0.5 seconds and 24 hours.");
        return problems;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"total {TotalTimeout.TotalSeconds}s, attempt {AttemptTimeout.TotalSeconds}s, {MaxRetryAttempts} retries from {RetryBaseDelay.TotalSeconds}s up to {RetryMaxDelay.TotalSeconds}s, "
        + $"circuit {CircuitFailureRatio:0.##} of {CircuitMinimumThroughput}+ in {CircuitSamplingDuration.TotalSeconds}s breaks {CircuitBreakDuration.TotalSeconds}s");
}
