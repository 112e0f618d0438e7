using System.Data.Common;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Storage;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Options of the portfolio module as a host registers it.</summary>
public sealed class PortfolioModuleOptions
{
    /// <summary>The default folder of the file store.</summary>
    public const string DefaultFilesRoot = "portfolio-files";

    /// <summary>Gets or sets the policy; replaced by <see cref="PolicyFile"/> when that is set.</summary>
    /// <value>The default value is <see cref="PortfolioPolicy.Default"/>.</value>
    public PortfolioPolicy Policy { get; set; } = PortfolioPolicy.Default;

    /// <summary>Gets or sets a policy JSON file to load at start-up.</summary>
    /// <value>The default value is <see langword="null"/> (use <see cref="Policy"/>).</value>
    public string? PolicyFile { get; set; }

    /// <summary>Gets or sets the folder of the content-addressed file store.</summary>
    /// <value>The default value is <c>portfolio-files</c>.</value>
    public string FilesRoot { get; set; } = DefaultFilesRoot;

    /// <summary>Gets or sets the SQL dialect of the registered <see cref="DbDataSource"/>.</summary>
    /// <value>The default value is <see cref="SqlDialect.Sqlite"/>, the embedded default.</value>
    public SqlDialect Dialect { get; set; } = SqlDialect.Sqlite;
}

/// <summary>Registers the portfolio module (學習歷程模組) in a host.</summary>
public static class PortfolioServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="PortfolioPolicy"/>, <see cref="PortfolioStore"/>, <see cref="FileSystemContentStore"/> and the
    /// service <see cref="PortfolioModule"/> (each activity in one call).
    /// The policy (or <see cref="PortfolioModuleOptions.PolicyFile"/>) is validated when the host starts, and a bad
    /// policy stops the start with every problem listed. The host registers the <see cref="DbDataSource"/> of its
    /// database; a <see cref="TimeProvider"/> is added unless one is registered.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioModule(this IServiceCollection services, Action<PortfolioModuleOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<PortfolioModuleOptions>().Configure(configure).PostConfigure(LoadPolicyFile).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PortfolioModuleOptions>, PortfolioModuleOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<PortfolioModuleOptions>>().Value.Policy);
        services.TryAddSingleton(sp => new FileSystemContentStore(sp.GetRequiredService<IOptions<PortfolioModuleOptions>>().Value.FilesRoot));
        services.TryAddSingleton(sp => new PortfolioStore(
            sp.GetRequiredService<DbDataSource>(),
            sp.GetRequiredService<IOptions<PortfolioModuleOptions>>().Value.Dialect,
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new PortfolioModule(
            sp.GetRequiredService<PortfolioStore>(),
            sp.GetRequiredService<FileSystemContentStore>(),
            sp.GetRequiredService<PortfolioPolicy>(),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    private static void LoadPolicyFile(PortfolioModuleOptions options)
    {
        if (options.PolicyFile is not { } path || !File.Exists(path))
        {
            return;
        }

        using var stream = File.OpenRead(path);
        var outcome = PortfolioPolicy.Load(stream, Path.GetFileName(path));
        PortfolioModuleOptionsValidator.LoadProblems.TryAdd(options, outcome.Diagnostics);
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
                failures.Add("FilesRoot is required.");
            }

            return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
        }
    }
}
