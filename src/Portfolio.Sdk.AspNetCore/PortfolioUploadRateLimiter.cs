using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.AspNetCore;

/// <summary>The per-user limit on uploads and edits with files: a fixed window per actor id (System.Threading.RateLimiting).</summary>
internal sealed class PortfolioUploadRateLimiter : IAsyncDisposable
{
    private readonly PartitionedRateLimiter<string> _limiter;

    public PortfolioUploadRateLimiter(IOptions<PortfolioEndpointOptions> options)
    {
        var value = options.Value;
        _limiter = PartitionedRateLimiter.Create<string, string>(actor => RateLimitPartition.GetFixedWindowLimiter(actor, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = value.UploadsPerWindow,
            Window = value.UploadWindow,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    public ValueTask DisposeAsync() => _limiter.DisposeAsync();

    /// <summary>The endpoint filter: after authorization (the actor is known), before the body is read.</summary>
    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var actor = PortfolioActorAccessor.Required(http);
        var limiter = http.RequestServices.GetRequiredService<PortfolioUploadRateLimiter>();
        using var lease = limiter._limiter.AttemptAcquire(actor.UserId);
        if (lease.IsAcquired)
        {
            return await next(context).ConfigureAwait(false);
        }

        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter) ? Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)) : 60;
        http.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return PortfolioProblemDetails.Result(DiagnosticCatalog.Create(DiagnosticCodes.HttpRateLimited, null, seconds), http);
    }
}
