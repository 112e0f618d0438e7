using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis;
using Portfolio.Sdk.Sis.Profiles;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.TermRosters;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the SIS adapter (校務系統介接) in a host.</summary>
public static class SisServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="SisReader"/> and <see cref="TermRosterBuilder"/> on the host's SIS data source. The mapping
    /// profile (<see cref="PortfolioSisOptions.ProfileFile"/> or <see cref="PortfolioSisOptions.Profile"/>) is loaded and
    /// validated when the host starts; a bad profile stops the start with every problem listed.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioSis(this IServiceCollection services, Action<PortfolioSisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddCore(services).Configure(configure);
        return services;
    }

    /// <summary>
    /// Registers the SIS adapter on the <see cref="System.Data.Common.DbDataSource"/> the host registered under
    /// <paramref name="dataSourceKey"/> (<c>AddKeyedSingleton&lt;DbDataSource&gt;("sis", …)</c>): the SDK never takes
    /// another of the host's data sources.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="dataSourceKey">The SIS data source's service key.</param>
    /// <param name="configure">Sets the other options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioSis(this IServiceCollection services, string dataSourceKey, Action<PortfolioSisOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(dataSourceKey);
        ArgumentNullException.ThrowIfNull(configure);
        AddCore(services).Configure(o =>
        {
            configure(o);
            o.DataSourceKey = dataSourceKey;
        });
        return services;
    }

    /// <summary>
    /// Registers the SIS adapter with its options bound from configuration, e.g.
    /// <c>configuration.GetSection(PortfolioSisOptions.SectionName)</c>
    /// (<c>{ "ProfileFile": "my-sis.profile.json", "DataSourceKey": "sis", "School": "060322" }</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The SIS section (not the root).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioSis(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddCore(services).Bind(configuration);
        return services;
    }

    private static OptionsBuilder<PortfolioSisOptions> AddCore(IServiceCollection services)
    {
        var builder = services.AddOptions<PortfolioSisOptions>().PostConfigure(LoadProfile).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PortfolioSisOptions>, PortfolioSisOptionsValidator>());
        services.TryAddSingleton(sp =>
        {
            var options = sp.GetRequiredService<IOptions<PortfolioSisOptions>>().Value;
            var profile = options.Profile ?? throw new InvalidOperationException($"{PortfolioSisOptions.SectionName}: no mapping profile (set ProfileFile).");
            return new SisReader(sp.GetPortfolioDataSource(options.DataSourceKey, PortfolioSisOptions.SectionName), profile)
            {
                School = options.School is { } school ? SchoolCode.Parse(school) : null,
                Logger = sp.GetService<ILoggerFactory>()?.CreateLogger<SisReader>() ?? NullLogger<SisReader>.Instance,
            };
        });
        services.TryAddSingleton(sp => new TermRosterBuilder(sp.GetRequiredService<SisReader>())
        {
            DefaultDivision = sp.GetRequiredService<IOptions<PortfolioSisOptions>>().Value.DefaultDivision,
        });
        return builder;
    }

    private static void LoadProfile(PortfolioSisOptions options)
    {
        if (options.ProfileFile is not { } path || !File.Exists(path))
        {
            return;
        }

        using var stream = File.OpenRead(path);
        var outcome = SisProfile.Load(stream, Path.GetFileName(path));
        PortfolioSisOptionsValidator.LoadProblems.AddOrUpdate(options, outcome.Diagnostics);
        if (outcome.Value is { } profile)
        {
            options.Profile = profile;
        }
    }

    private sealed class PortfolioSisOptionsValidator : IValidateOptions<PortfolioSisOptions>
    {
        public static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PortfolioSisOptions, IReadOnlyList<Diagnostic>> LoadProblems = [];

        public ValidateOptionsResult Validate(string? name, PortfolioSisOptions options)
        {
            var failures = new List<string>();
            if (options.ProfileFile is { } path && !File.Exists(path))
            {
                failures.Add($"{PortfolioSisOptions.SectionName}: the mapping profile does not exist: {path}");
            }
            else if (options.ProfileFile is null && options.Profile is null)
            {
                failures.Add($"{PortfolioSisOptions.SectionName}: a mapping profile is required (ProfileFile).");
            }

            if (LoadProblems.TryGetValue(options, out var problems))
            {
                failures.AddRange(problems.Where(d => d.IsError).Select(d => $"{d.Code} {d.Message} / {d.MessageEnglish} [{d.Location}]"));
            }

            if (options.School is { } school && !SchoolCode.TryParse(school, out _))
            {
                failures.Add($"{PortfolioSisOptions.SectionName}: School '{school}' is not a school code (6 characters).");
            }

            if (options.DataSourceKey is { } key && string.IsNullOrWhiteSpace(key))
            {
                failures.Add($"{PortfolioSisOptions.SectionName}: DataSourceKey is blank; remove it or name the SIS data source's key.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
