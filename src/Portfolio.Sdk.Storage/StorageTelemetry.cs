using System.Diagnostics;
using System.Diagnostics.Metrics;
using Portfolio.Sdk.Data;

namespace Portfolio.Sdk.Storage;

/// <summary>
/// The telemetry of Portfolio.Sdk.Storage (遙測): one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both
/// named <see cref="Name"/>. Store transactions (each change and its audit entry) and health checks are counted by
/// outcome, with the database system as OpenTelemetry names it (<c>db.system.name</c>); never an ID or a name.
/// </summary>
/// <remarks>
/// Instruments: <c>portfolio.store.transactions</c> (by <c>db.system.name</c> and <c>portfolio.outcome</c>:
/// <c>committed</c>, <c>rolled_back</c>, <c>failed</c>), <c>portfolio.store.retries</c>, <c>portfolio.store.transaction.duration</c>
/// (seconds) and <c>portfolio.store.health_checks</c> (by <c>portfolio.outcome</c>: <c>healthy</c>, <c>unhealthy</c>).
/// Activities: <c>store.transaction</c>, <c>store.health_check</c>.
/// </remarks>
public static class StorageTelemetry
{
    /// <summary>The name of the activity source and the meter: <c>Portfolio.Sdk.Storage</c>.</summary>
    public const string Name = "Portfolio.Sdk.Storage";

    /// <summary>The OpenTelemetry tag of the database system (<c>postgresql</c>, <c>sqlite</c>, <c>microsoft.sql_server</c>, <c>oracle.db</c>, <c>mysql</c>).</summary>
    public const string DatabaseSystemTag = "db.system.name";

    internal static readonly ActivitySource Source = new(Name, typeof(StorageTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(StorageTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> Transactions = Meter.CreateCounter<long>("portfolio.store.transactions", "{transaction}", "Store transactions (a change with its audit entry), by outcome.");

    internal static readonly Counter<long> Retries = Meter.CreateCounter<long>("portfolio.store.retries", "{retry}", "Store transactions started over after a busy database or a lost race.");

    internal static readonly Histogram<double> TransactionDuration = Meter.CreateHistogram<double>("portfolio.store.transaction.duration", "s", "How long store transactions take, retries included.");

    internal static readonly Counter<long> HealthChecks = Meter.CreateCounter<long>("portfolio.store.health_checks", "{check}", "Store health checks, by outcome.");

    /// <summary>Gets the OpenTelemetry name of a dialect's database system.</summary>
    /// <param name="dialect">The dialect.</param>
    /// <returns>The <c>db.system.name</c> value.</returns>
    public static string DatabaseSystem(SqlDialect dialect)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return dialect.Name switch
        {
            "sqlserver" => "microsoft.sql_server",
            "oracle" => "oracle.db",
            _ => dialect.Name,
        };
    }
}
