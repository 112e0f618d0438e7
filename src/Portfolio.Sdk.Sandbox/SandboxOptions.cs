using System.Globalization;

namespace Portfolio.Sdk.Sandbox;

/// <summary>Settings of the sandbox (<c>Sandbox</c> in configuration, e.g. <c>--Sandbox:Faults:Rate=0.2</c>).</summary>
public sealed class SandboxOptions
{
    /// <summary>The configuration section.</summary>
    public const string SectionName = "Sandbox";

    /// <summary>Gets or sets the largest request body accepted, in bytes. Default 100 MiB.</summary>
    public long MaxRequestBytes { get; set; } = 100L * 1024 * 1024;

    /// <summary>
    /// Gets or sets the access token clients must send as <c>Authorization: Bearer</c>. Required unless
    /// <see cref="AllowAnonymous"/> is set: <see cref="SandboxServer.Build"/> refuses to start without one.
    /// </summary>
    public string? AccessToken { get; set; }

    /// <summary>
    /// Gets or sets whether the sandbox answers without a token. Only on loopback addresses: the sandbox refuses to
    /// start on another address without a token, since receipts carry students' keys. Default <see langword="false"/>;
    /// <see cref="SandboxServer.StartAsync"/> on a loopback address without a token sets it.
    /// </summary>
    public bool AllowAnonymous { get; set; }

    /// <summary>
    /// Gets or sets a SQLite file that keeps the sandbox's submissions and receipts across restarts; in memory when
    /// <see langword="null"/> (the default).
    /// </summary>
    public string? DataFile { get; set; }

    /// <summary>Gets the injected faults.</summary>
    public SandboxFaultOptions Faults { get; } = new();

    /// <summary>Gets or sets the largest number of diagnostics returned with a submission (the count of refused rows is always exact). Default 500.</summary>
    public int MaxDiagnostics { get; set; } = 500;
}

/// <summary>Where an injected fault strikes.</summary>
public enum FaultPhase
{
    /// <summary>Before the request is processed: nothing is stored.</summary>
    Before,

    /// <summary>After the request was processed: the submission is stored, but the answer is lost.</summary>
    After,

    /// <summary>Either, at random.</summary>
    Either,
}

/// <summary>The kinds of fault the sandbox injects.</summary>
public enum FaultKind
{
    /// <summary>HTTP 500.</summary>
    Status500,

    /// <summary>HTTP 503.</summary>
    Status503,

    /// <summary>HTTP 429 with <c>Retry-After</c>.</summary>
    Status429,

    /// <summary>A delay before the answer.</summary>
    Latency,

    /// <summary>The connection is dropped without an answer.</summary>
    Drop,

    /// <summary>The answer is cut off halfway.</summary>
    Truncate,
}

/// <summary>
/// Faults injected at random into the <c>/v1</c> endpoints; a request can also ask for one with the
/// <c>X-Sandbox-Fault</c> header (<c>503</c>, <c>429;retry-after=2</c>, <c>latency;ms=500</c>, <c>drop;phase=after</c>, <c>truncate</c>).
/// </summary>
public sealed class SandboxFaultOptions
{
    /// <summary>The request header that asks for a fault.</summary>
    public const string Header = "X-Sandbox-Fault";

    /// <summary>Gets or sets the share of requests that get a random fault, 0 to 1. Default 0 (none).</summary>
    public double Rate { get; set; }

    /// <summary>Gets or sets the kinds drawn from, comma-separated (<c>500,503,429,latency,drop,truncate</c>), or <c>all</c> (the default).</summary>
    public string Kinds { get; set; } = "all";

    /// <summary>Gets or sets where random faults strike. Default <see cref="FaultPhase.Either"/>.</summary>
    public FaultPhase Phase { get; set; } = FaultPhase.Either;

    /// <summary>Gets or sets the <c>Retry-After</c> of a 429, in seconds. Default 1.</summary>
    public int RetryAfterSeconds { get; set; } = 1;

    /// <summary>Gets or sets the delay of a latency fault, in milliseconds. Default 2000.</summary>
    public int LatencyMilliseconds { get; set; } = 2000;

    /// <summary>Gets or sets the random seed, for reproducible runs; a random one when <see langword="null"/>.</summary>
    public int? Seed { get; set; }

    /// <summary>Parses a fault name: <c>500</c>, <c>503</c>, <c>429</c>, <c>latency</c>, <c>drop</c> or <c>truncate</c>.</summary>
    /// <param name="name">The name.</param>
    /// <param name="kind">The kind.</param>
    /// <returns><see langword="true"/> when known.</returns>
    public static bool TryParseKind(string? name, out FaultKind kind)
    {
        (var known, kind) = name?.Trim().ToUpperInvariant() switch
        {
            "500" => (true, FaultKind.Status500),
            "503" => (true, FaultKind.Status503),
            "429" => (true, FaultKind.Status429),
            "LATENCY" => (true, FaultKind.Latency),
            "DROP" => (true, FaultKind.Drop),
            "TRUNCATE" => (true, FaultKind.Truncate),
            _ => (false, default),
        };
        return known;
    }

    /// <summary>Gets the kinds drawn from.</summary>
    /// <returns>The kinds.</returns>
    /// <exception cref="FormatException">A name is unknown.</exception>
    public IReadOnlyList<FaultKind> KindList() =>
        string.Equals(Kinds.Trim(), "all", StringComparison.OrdinalIgnoreCase)
            ? Enum.GetValues<FaultKind>()
            : [.. Kinds.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(n => TryParseKind(n, out var k) ? k : throw new FormatException($"Unknown fault kind \"{n.Trim()}\"; use 500, 503, 429, latency, drop or truncate."))];

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"rate {Rate}, kinds {Kinds}, phase {Phase}");
}
