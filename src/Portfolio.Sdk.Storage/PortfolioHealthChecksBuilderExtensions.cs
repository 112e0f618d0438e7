using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Adds the portfolio module's health checks to a host's <see cref="IHealthChecksBuilder"/>.</summary>
public static class PortfolioStoreHealthChecksBuilderExtensions
{
    /// <summary>The default name of the store's health check.</summary>
    public const string DefaultName = "portfolio-store";

    /// <summary>
    /// Adds <see cref="PortfolioStoreHealthCheck"/> on the database stated with <c>AddPortfolioDatabase</c> (its
    /// dialect and data source, keyed or not).
    /// </summary>
    /// <param name="builder">The health checks.</param>
    /// <param name="name">The check's name.</param>
    /// <param name="failureStatus">The status reported when the store fails; <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags to filter checks by (e.g. <c>ready</c>).</param>
    /// <returns>The health checks.</returns>
    public static IHealthChecksBuilder AddPortfolioStore(this IHealthChecksBuilder builder, string name = DefaultName, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddPortfolioDatabaseOptions();
        return builder.Add(new HealthCheckRegistration(name, sp =>
        {
            var database = sp.GetRequiredService<IOptions<PortfolioDatabaseOptions>>().Value;
            return new PortfolioStoreHealthCheck(sp.GetPortfolioDataSource(database.DataSourceKey, PortfolioDatabaseOptions.SectionName), database.Dialect);
        }, failureStatus, tags));
    }
}
