using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the portfolio module (學習歷程模組) in a host.</summary>
public static class PortfolioServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PortfolioPolicy"/>, <see cref="PortfolioStore"/>, <see cref="FileSystemContentStore"/> and the
    /// service <see cref="PortfolioModule"/> (each activity in one call).
    /// The policy (or <see cref="PortfolioModuleOptions.PolicyFile"/>) is validated when the host starts, and a bad
    /// policy stops the start with every problem listed. The store uses the database the host states once with
    /// <c>AddPortfolioDatabase</c> (its dialect and, when the host has several, the key of its
    /// <see cref="System.Data.Common.DbDataSource"/>); a <see cref="TimeProvider"/> is added unless one is registered.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioModule(this IServiceCollection services, Action<PortfolioModuleOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        AddPortfolioModuleCore(services).Configure(configure);
        return services;
    }

    /// <summary>
    /// Registers the module as <see cref="AddPortfolioModule(IServiceCollection, Action{PortfolioModuleOptions})"/> does,
    /// with its options bound from configuration, e.g. <c>configuration.GetSection(PortfolioModuleOptions.SectionName)</c>
    /// (<c>{ "PolicyFile": "policy.json", "FilesRoot": "files" }</c>). A bad value stops the start.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The module's section (not the root).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioModule(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        AddPortfolioModuleCore(services).Bind(configuration);
        return services;
    }

    private static OptionsBuilder<PortfolioModuleOptions> AddPortfolioModuleCore(IServiceCollection services)
    {
        var builder = services.AddOptions<PortfolioModuleOptions>();
        builder.PostConfigure(LoadPolicyFile).ValidateOnStart();
        services.AddPortfolioDatabaseOptions();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PortfolioModuleOptions>, PortfolioModuleOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<PortfolioModuleOptions>>().Value.Policy);
        services.TryAddSingleton(sp => new FileSystemContentStore(sp.GetRequiredService<IOptions<PortfolioModuleOptions>>().Value.FilesRoot));
        services.TryAddSingleton(sp =>
        {
            var database = sp.GetRequiredService<IOptions<PortfolioDatabaseOptions>>().Value;
            return new PortfolioStore(
                sp.GetPortfolioDataSource(database.DataSourceKey, PortfolioDatabaseOptions.SectionName),
                database.Dialect,
                sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton(sp => new PortfolioModule(
            sp.GetRequiredService<PortfolioStore>(),
            sp.GetRequiredService<FileSystemContentStore>(),
            sp.GetRequiredService<PortfolioPolicy>(),
            sp.GetRequiredService<TimeProvider>()));

        // An upheld receipt dispute unlocks the row's item (the confirmation desk asks for it when registered).
        services.TryAddSingleton<IReceiptRowItems>(sp => sp.GetRequiredService<PortfolioModule>());
        return builder;
    }

    private static void LoadPolicyFile(PortfolioModuleOptions options)
    {
        if (options.PolicyFile is not { } path || !File.Exists(path))
        {
            return;
        }

        using var stream = File.OpenRead(path);
        var outcome = PortfolioPolicy.Load(stream, Path.GetFileName(path));
        PortfolioModuleOptionsValidator.LoadProblems.AddOrUpdate(options, outcome.Diagnostics);
        if (outcome.Value is { } policy)
        {
            options.Policy = policy;
        }
    }

    private sealed class PortfolioModuleOptionsValidator : IValidateOptions<PortfolioModuleOptions>
    {
        public static readonly System.Runtime.CompilerServices.ConditionalWeakTable<PortfolioModuleOptions, IReadOnlyList<Portfolio.Sdk.Diagnostics.Diagnostic>> LoadProblems = [];

        public ValidateOptionsResult Validate(string? name, PortfolioModuleOptions options)
        {
            var failures = new List<string>();
            if (options.PolicyFile is { } path && !File.Exists(path))
            {
                failures.Add($"PF3001 政策檔不存在 / the policy file does not exist: {path}");
            }

            var problems = LoadProblems.TryGetValue(options, out var loaded) ? loaded : options.Policy.Validate();
            failures.AddRange(problems.Where(d => d.IsError).Select(d => $"{d.Code} {d.Message} / {d.MessageEnglish} [{d.Location}]"));
            if (string.IsNullOrWhiteSpace(options.FilesRoot))
            {
                failures.Add($"{PortfolioModuleOptions.SectionName}: FilesRoot is required.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
