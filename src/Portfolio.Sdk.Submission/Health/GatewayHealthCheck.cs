using System.Net;
using System.Net.Http.Headers;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Submission.Http;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Submission.Health;

/// <summary>
/// Checks that the gateway answers: one <c>GET</c> of the status of a submission that cannot exist
/// (<see cref="ProbeKey"/>), without retries, so it never submits and costs the gateway a lookup. A 404 or 200
/// is healthy; 401 or 403 (the token is refused), 408, 429, 5xx or no answer within the check's timeout is the
/// registration's failure status.
/// </summary>
public sealed class GatewayHealthCheck : IHealthCheck
{
    /// <summary>The name of the HTTP client the probe uses (no resilience handler: a probe must be quick and honest).</summary>
    public const string HttpClientName = "Portfolio.Sdk.Submission.GatewayProbe";

    /// <summary>The idempotency key the probe asks about; the SDK never issues it (its keys are 32 hexadecimal digits).</summary>
    public const string ProbeKey = "health-probe";

    private readonly IHttpClientFactory _clients;
    private readonly IOptionsMonitor<GatewayClientOptions> _options;

    /// <summary>Initializes the check.</summary>
    /// <param name="clients">The HTTP client factory.</param>
    /// <param name="options">The gateway settings.</param>
    public GatewayHealthCheck(IHttpClientFactory clients, IOptionsMonitor<GatewayClientOptions> options)
    {
        ArgumentNullException.ThrowIfNull(clients);
        ArgumentNullException.ThrowIfNull(options);
        _clients = clients;
        _options = options;
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var options = _options.CurrentValue;
        if (options.BaseAddress is not { } baseAddress)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "No gateway address is configured (未設定閘道位址).");
        }

        var http = _clients.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(baseAddress, $"{GatewayProtocol.SubmissionsPath}/{ProbeKey}"));
        if (!string.IsNullOrEmpty(options.AccessToken))
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.AccessToken);
        }

        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var data = new Dictionary<string, object> { ["server.address"] = baseAddress.Host, ["server.port"] = baseAddress.Port };
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            data["http.response.status_code"] = status;
            return response.StatusCode switch
            {
                HttpStatusCode.OK or HttpStatusCode.NotFound => HealthCheckResult.Healthy($"The gateway answers (閘道可連線): HTTP {status}.", data),
                HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => new HealthCheckResult(context.Registration.FailureStatus,
                    $"PF4008: the gateway refuses the access token (閘道拒絕存取權杖): HTTP {status}.", data: data),
                _ => new HealthCheckResult(context.Registration.FailureStatus, $"PF4012: the gateway answers HTTP {status} (閘道回應異常).", data: data),
            };
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            data["error.type"] = ex.GetType().FullName ?? ex.GetType().Name;
            return new HealthCheckResult(context.Registration.FailureStatus, "PF4012: the gateway cannot be reached (閘道無法連線).", ex, data);
        }
    }
}
