using System.Data.Common;
using System.Diagnostics;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Portfolio.Sdk.Data;

namespace Portfolio.Sdk.Storage;

/// <summary>
/// Checks the module's store database (學習歷程資料庫健康檢查): a connection opens and the store's tables answer a query.
/// Unhealthy when the database cannot be reached or the schema was not applied; the description carries no server
/// details, the exception (for the host's logs) is attached.
/// </summary>
public sealed class PortfolioStoreHealthCheck : IHealthCheck
{
    private readonly DbDataSource _dataSource;
    private readonly SqlDialect _dialect;

    /// <summary>Initializes a check.</summary>
    /// <param name="dataSource">The store's database.</param>
    /// <param name="dialect">Its dialect.</param>
    public PortfolioStoreHealthCheck(DbDataSource dataSource, SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        ArgumentNullException.ThrowIfNull(dialect);
        _dataSource = dataSource;
        _dialect = dialect;
    }

    /// <inheritdoc />
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var system = new KeyValuePair<string, object?>(StorageTelemetry.DatabaseSystemTag, StorageTelemetry.DatabaseSystem(_dialect));
        using var activity = StorageTelemetry.Source.StartActivity("store.health_check", ActivityKind.Client, default(ActivityContext), [system]);
        HealthCheckResult result;
        try
        {
            var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
            await using (connection.ConfigureAwait(false))
            {
                foreach (var table in new[] { StoreSchema.CourseOutcomeTable, StoreSchema.AuditTable })
                {
                    var command = connection.CreateCommand();
                    await using (command.ConfigureAwait(false))
                    {
                        command.CommandText = $"SELECT COUNT(*) FROM {_dialect.QuoteIdentifier(table)} WHERE 1 = 0";
                        await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false);
                    }
                }
            }

            result = HealthCheckResult.Healthy($"The portfolio store ({_dialect.Name}) answers.");
        }
        catch (DbException ex)
        {
            result = new HealthCheckResult(context.Registration.FailureStatus,
                $"The portfolio store ({_dialect.Name}) cannot be reached or its tables are missing (apply schemas/sql).", ex);
        }

        var outcome = result.Status == HealthStatus.Healthy ? "healthy" : "unhealthy";
        StorageTelemetry.HealthChecks.Add(1, system, new KeyValuePair<string, object?>("portfolio.outcome", outcome));
        activity?.SetTag("portfolio.outcome", outcome);
        return result;
    }
}
