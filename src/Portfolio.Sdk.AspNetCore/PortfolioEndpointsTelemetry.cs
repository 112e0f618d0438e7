using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Portfolio.Sdk.AspNetCore;

/// <summary>
/// The telemetry of Portfolio.Sdk.AspNetCore (遙測): one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both
/// named <see cref="Name"/>. Each endpoint call is an activity <c>portfolio.endpoint</c> and is counted by endpoint,
/// outcome and PF code; never an ID or a name.
/// </summary>
/// <remarks>
/// Instruments: <c>portfolio.http.requests</c> (by <c>portfolio.endpoint</c>, <c>portfolio.outcome</c>: <c>succeeded</c>,
/// <c>refused</c>, <c>failed</c>; <c>portfolio.diagnostic.code</c> and <c>http.response.status_code</c> when refused or failed).
/// </remarks>
public static class PortfolioEndpointsTelemetry
{
    /// <summary>The name of the activity source and the meter: <c>Portfolio.Sdk.AspNetCore</c>.</summary>
    public const string Name = "Portfolio.Sdk.AspNetCore";

    /// <summary>The tag naming the endpoint (its route name without the <c>Portfolio.</c> prefix).</summary>
    public const string EndpointTag = "portfolio.endpoint";

    internal static readonly ActivitySource Source = new(Name, typeof(PortfolioEndpointsTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(PortfolioEndpointsTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> Requests = Meter.CreateCounter<long>("portfolio.http.requests", "{request}", "Portfolio endpoint calls, by endpoint and outcome.");

    internal static void Record(string endpoint, string outcome, int status, string? code)
    {
        var tags = new TagList
        {
            { EndpointTag, endpoint },
            { "portfolio.outcome", outcome },
            { "http.response.status_code", status },
        };
        if (code is not null)
        {
            tags.Add("portfolio.diagnostic.code", code);
        }

        Requests.Add(1, tags);
        if (Activity.Current is { } activity && activity.Source == Source)
        {
            activity.SetTag("portfolio.outcome", outcome);
            activity.SetTag("http.response.status_code", status);
            if (code is not null)
            {
                activity.SetTag("portfolio.diagnostic.code", code);
            }

            if (outcome == "failed")
            {
                activity.SetStatus(ActivityStatusCode.Error);
            }
        }
    }
}
