using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portfolio.Sdk.Scheduling;
using Quartz;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the portfolio scheduler's health check to a host's <see cref="IHealthChecksBuilder"/>.</summary>
public static class SchedulingHealthChecksBuilderExtensions
{
    /// <summary>The default name of the scheduler's health check.</summary>
    public const string DefaultName = "portfolio-scheduler";

    /// <summary>Adds <see cref="PortfolioSchedulerHealthCheck"/> on the scheduler registered by <c>AddPortfolioScheduling</c>.</summary>
    /// <param name="builder">The health checks.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status reported when the scheduler fails; <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags to filter checks by (e.g. <c>live</c>).</param>
    /// <returns>The health checks.</returns>
    public static IHealthChecksBuilder AddPortfolioScheduler(this IHealthChecksBuilder builder, string name = DefaultName, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(name, sp => new PortfolioSchedulerHealthCheck(sp.GetRequiredService<ISchedulerFactory>()), failureStatus, tags));
    }
}
