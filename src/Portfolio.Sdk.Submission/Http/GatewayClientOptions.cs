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
/// The resilience pipeline of the gateway client, Microsoft's standard HTTP pipeline rebuilt on Polly.Core (from the
/// outside in): total timeout, retry, circuit breaker, attempt timeout. The defaults suit roster uploads of tens of
/// megabytes to a slow government service; a test pins them.
/// </summary>
public sealed class GatewayResilienceOptions
{
    /// <summary>Gets or sets the time allowed for one call with all its retries. Default 5 minutes.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Gets or sets the time allowed for one attempt. Default 60 seconds.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets how many times a failed attempt is retried. Default 5.</summary>
    public int MaxRetryAttempts { get; set; } = 5;

    /// <summary>Gets or sets the first retry delay; later ones grow exponentially, with jitter. Default 2 seconds.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Gets or sets the longest delay between attempts, a <c>Retry-After</c> included. Default 60 seconds.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Gets or sets the share of failed attempts in the sampling window that opens the circuit. Default 0.5.</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Gets or sets how many attempts the sampling window needs before the circuit may open. Default 10.</summary>
    public int CircuitMinimumThroughput { get; set; } = 10;

    /// <summary>Gets or sets the circuit's sampling window; at least twice <see cref="AttemptTimeout"/>. Default 2 minutes.</summary>
    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>Gets or sets how long an open circuit refuses calls. Default 30 seconds.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

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

        Require(TotalTimeout > TimeSpan.Zero, "Resilience.TotalTimeout must be positive.");
        Require(AttemptTimeout > TimeSpan.Zero, "Resilience.AttemptTimeout must be positive.");
        Require(AttemptTimeout <= TotalTimeout, "Resilience.AttemptTimeout must not exceed Resilience.TotalTimeout.");
        Require(MaxRetryAttempts is >= 0 and <= 20, "Resilience.MaxRetryAttempts must be between 0 and 20.");
        Require(RetryBaseDelay > TimeSpan.Zero && RetryBaseDelay <= RetryMaxDelay, "Resilience.RetryBaseDelay must be positive and not exceed Resilience.RetryMaxDelay.");
        Require(CircuitFailureRatio is > 0 and <= 1, "Resilience.CircuitFailureRatio must be in (0, 1].");
        Require(CircuitMinimumThroughput >= 2, "Resilience.CircuitMinimumThroughput must be at least 2.");
        Require(CircuitSamplingDuration >= 2 * AttemptTimeout, "Resilience.CircuitSamplingDuration must be at least twice Resilience.AttemptTimeout.");
        Require(CircuitBreakDuration >= TimeSpan.FromMilliseconds(500), "Resilience.CircuitBreakDuration must be at least 0.5 seconds.");
        return problems;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"total {TotalTimeout.TotalSeconds}s, attempt {AttemptTimeout.TotalSeconds}s, {MaxRetryAttempts} retries from {RetryBaseDelay.TotalSeconds}s up to {RetryMaxDelay.TotalSeconds}s, "
        + $"circuit {CircuitFailureRatio:0.##} of {CircuitMinimumThroughput}+ in {CircuitSamplingDuration.TotalSeconds}s breaks {CircuitBreakDuration.TotalSeconds}s");
}
