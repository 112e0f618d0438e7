using Microsoft.Extensions.Diagnostics.HealthChecks;
using Quartz;

namespace Portfolio.Sdk.Scheduling;

/// <summary>
/// Checks the portfolio's scheduler (排程健康檢查): started, not in standby, not shut down, and its job store reachable
/// (a clustered store on PostgreSQL is queried). The description names what is wrong; the exception, when the store
/// failed, is attached for the host's logs.
/// </summary>
public sealed class PortfolioSchedulerHealthCheck : IHealthCheck
{
    private static readonly JobKey ProbeKey = new("health-probe", "portfolio-health");
    private readonly ISchedulerFactory _schedulers;

    /// <summary>Initializes a check.</summary>
    /// <param name="schedulers">Quartz's scheduler factory (registered by <c>AddPortfolioScheduling</c>).</param>
    public PortfolioSchedulerHealthCheck(ISchedulerFactory schedulers)
    {
        ArgumentNullException.ThrowIfNull(schedulers);
        _schedulers = schedulers;
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var failure = context.Registration.FailureStatus;
        try
        {
            var scheduler = await _schedulers.GetScheduler(cancellationToken).ConfigureAwait(false);
            var status = await scheduler.GetStatus(cancellationToken).ConfigureAwait(false);
            var data = new Dictionary<string, object>(StringComparer.Ordinal) { ["status"] = status.ToString() };
            if (status != SchedulerStatus.Running)
            {
                var what = status switch
                {
                    SchedulerStatus.Standby => "in standby: no job runs",
                    SchedulerStatus.Created => "not started",
                    SchedulerStatus.Shutdown or SchedulerStatus.ShuttingDown => "shut down",
                    _ => "in an unknown state",
                };
                return new HealthCheckResult(failure, $"The scheduler '{scheduler.SchedulerName}' is {what}.", data: data);
            }

            var metadata = await scheduler.GetMetadata(cancellationToken).ConfigureAwait(false);
            data["clustered"] = metadata.JobStoreClustered;
            data["persistent"] = metadata.JobStorePersistent;
            await scheduler.GetJobDetail(ProbeKey, cancellationToken).ConfigureAwait(false); // reads the job store (a query on a shared one)
            return HealthCheckResult.Healthy($"The scheduler '{scheduler.SchedulerName}' runs and its job store answers.", data);
        }
        catch (Exception ex) when (ex is SchedulerException or System.Data.Common.DbException)
        {
            return new HealthCheckResult(failure, "The scheduler's job store cannot be reached.", ex);
        }
    }
}
