using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Data;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>States the host's database once for every Portfolio.Sdk package (學習歷程資料庫設定).</summary>
public static class PortfolioDatabaseServiceCollectionExtensions
{
    /// <summary>
    /// States the dialect of the host's database (and, when the host has several data sources, the key of the one
    /// Portfolio.Sdk uses). Every package that keeps data there reads these options; none takes a dialect of its own.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="dialect">The database's dialect.</param>
    /// <param name="dataSourceKey">The service key of its <see cref="DbDataSource"/>; <see langword="null"/> for the one unkeyed data source.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioDatabase(this IServiceCollection services, SqlDialect dialect, string? dataSourceKey = null)
    {
        ArgumentNullException.ThrowIfNull(dialect);
        return services.AddPortfolioDatabase(o =>
        {
            o.Dialect = dialect;
            o.DataSourceKey = dataSourceKey;
        });
    }

    /// <summary>States the host's database through a delegate; see <see cref="AddPortfolioDatabase(IServiceCollection, SqlDialect, string?)"/>.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioDatabase(this IServiceCollection services, Action<PortfolioDatabaseOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddPortfolioDatabaseOptions().Configure(configure);
        return services;
    }

    /// <summary>
    /// States the host's database from configuration, e.g. the section <see cref="PortfolioDatabaseOptions.SectionName"/>
    /// (<c>{ "Dialect": "postgresql", "DataSourceKey": "portfolio" }</c>); an unknown dialect stops the start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section to bind (not the root).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioDatabase(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddPortfolioDatabaseOptions().Bind(configuration);
        return services;
    }

    /// <summary>
    /// Registers the database options with their start-up validation and nothing else; the packages call it so that a
    /// host that states no database gets the documented defaults.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The options builder.</returns>
    public static OptionsBuilder<PortfolioDatabaseOptions> AddPortfolioDatabaseOptions(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PortfolioDatabaseOptions>, PortfolioDatabaseOptionsValidator>());
        return services.AddOptions<PortfolioDatabaseOptions>().ValidateOnStart();
    }

    /// <summary>
    /// Resolves a <see cref="DbDataSource"/> for Portfolio.Sdk: the one registered under <paramref name="serviceKey"/>,
    /// or, without a key, the one unkeyed data source. Several unkeyed data sources are refused rather than guessed at.
    /// </summary>
    /// <param name="services">The service provider.</param>
    /// <param name="serviceKey">The service key; <see langword="null"/> for the unkeyed one.</param>
    /// <param name="user">Who asks (named in the error), e.g. <c>Portfolio:Sis</c>.</param>
    /// <returns>The data source.</returns>
    /// <exception cref="InvalidOperationException">None, or more than one without a key, is registered.</exception>
    public static DbDataSource GetPortfolioDataSource(this IServiceProvider services, string? serviceKey, string user)
    {
        ArgumentNullException.ThrowIfNull(services);
        if (serviceKey is not null)
        {
            return services.GetKeyedService<DbDataSource>(serviceKey)
                ?? throw new InvalidOperationException($"{user}: no DbDataSource is registered under the key '{serviceKey}' (AddKeyedSingleton<DbDataSource>(\"{serviceKey}\", …)).");
        }

        var unkeyed = services.GetServices<DbDataSource>().Take(2).ToList();
        return unkeyed.Count switch
        {
            1 => unkeyed[0],
            0 => throw new InvalidOperationException($"{user}: no DbDataSource is registered; register the database's data source, or set DataSourceKey to the key of a keyed one."),
            _ => throw new InvalidOperationException($"{user}: several DbDataSources are registered; set DataSourceKey to the key of the one to use (register them with AddKeyedSingleton)."),
        };
    }

    private sealed class PortfolioDatabaseOptionsValidator : IValidateOptions<PortfolioDatabaseOptions>
    {
        public ValidateOptionsResult Validate(string? name, PortfolioDatabaseOptions options)
        {
            var failures = new List<string>();
            if (options.Dialect is null)
            {
                failures.Add($"{PortfolioDatabaseOptions.SectionName}: Dialect is required (oracle, sqlserver, postgresql, mysql, sqlite).");
            }

            if (options.DataSourceKey is { } key && string.IsNullOrWhiteSpace(key))
            {
                failures.Add($"{PortfolioDatabaseOptions.SectionName}: DataSourceKey is blank; remove it or name the data source's key.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
