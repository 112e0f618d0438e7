using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Submission.Http;
using Portfolio.Sdk.Submission.Protocol;
using WireMock.Logging;
using WireMock.Server;

namespace Portfolio.Sdk.Submission.Tests.Contract;

/// <summary>The gateway client exactly as <c>AddPortfolioGateway</c> registers it, pointed at a server that is not ours.</summary>
internal sealed class GatewayUnderTest : IDisposable
{
    public const string Token = "contract-test-token";

    private readonly ServiceProvider _provider;

    private GatewayUnderTest(Uri baseAddress, Action<GatewayResilienceOptions>? resilience)
    {
        var services = new ServiceCollection();
        services.AddPortfolioGateway(o =>
        {
            o.BaseAddress = baseAddress;
            o.AccessToken = Token;
            Fast(o.Resilience);
            resilience?.Invoke(o.Resilience);
        });
        _provider = services.BuildServiceProvider();
        _provider.GetRequiredService<IStartupValidator>().Validate();
        Gateway = _provider.GetRequiredService<ICentralGateway>();
    }

    public ICentralGateway Gateway { get; }

    public static GatewayUnderTest For(WireMockServer server, Action<GatewayResilienceOptions>? resilience = null) => new(new Uri(server.Url! + "/"), resilience);

    public static GatewayUnderTest For(Uri baseAddress, Action<GatewayResilienceOptions>? resilience = null) => new(baseAddress, resilience);

    /// <summary>
    /// Quick retries; an attempt timeout generous enough for a mock server's first answer on a loaded machine (about
    /// 3 s seen here); a circuit that does not open during a test. Tests of timeouts set their own.
    /// </summary>
    public static void Fast(GatewayResilienceOptions r)
    {
        r.TotalTimeout = TimeSpan.FromSeconds(60);
        r.AttemptTimeout = TimeSpan.FromSeconds(10);
        r.MaxRetryAttempts = 2;
        r.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
        r.RetryMaxDelay = TimeSpan.FromSeconds(5);
        r.CircuitFailureRatio = 1;
        r.CircuitMinimumThroughput = 100;
        r.CircuitSamplingDuration = TimeSpan.FromSeconds(30);
        r.CircuitBreakDuration = TimeSpan.FromSeconds(1);
    }

    public static SubmissionMetadata Metadata(string key = "0192f0c8a1b27c3d8e9f001122334455") => new()
    {
        IdempotencyKey = key,
        SchoolCode = "013301",
        Book = "course-outcome",
        SchoolYear = 113,
        Term = 1,
        ContentKind = SubmissionContentKind.Workbook,
        Sha256 = new string('a', 64),
        Length = 12,
    };

    public static Stream Content() => new MemoryStream("roster bytes"u8.ToArray());

    public static string Accepted(SubmissionMetadata m, string submissionId = "sub-0001") => JsonSerializer.Serialize(new SubmissionStatus
    {
        SubmissionId = submissionId,
        IdempotencyKey = m.IdempotencyKey,
        Verdict = GatewayVerdict.Accepted,
        ReceivedAt = new DateTimeOffset(2024, 10, 1, 2, 0, 0, TimeSpan.Zero),
        SchoolCode = m.SchoolCode,
        Book = m.Book,
        SchoolYear = m.SchoolYear,
        Term = m.Term,
        Sha256 = m.Sha256,
        AcceptedRows = 4,
    }, GatewayJson.Options);

    public static string Problem(int status, string code) => JsonSerializer.Serialize(new GatewayProblem
    {
        Status = status,
        Title = "refused",
        Diagnostics = [GatewayDiagnostic.From(new Diagnostic(code, DiagnosticSeverity.Error, "中文說明", "English text"))],
    }, GatewayJson.Options);

    /// <summary>The idempotency key of every request the server logged, in order.</summary>
    public static IReadOnlyList<string?> Keys(WireMockServer server) =>
        [.. server.LogEntries.OrderBy(e => e.RequestMessage.DateTime).Select(KeyOf)];

    public void Dispose() => _provider.Dispose();

    private static string? KeyOf(ILogEntry entry) =>
        entry.RequestMessage.Headers?.FirstOrDefault(h => string.Equals(h.Key, GatewayProtocol.IdempotencyKeyHeader, StringComparison.OrdinalIgnoreCase)).Value?.FirstOrDefault();
}
