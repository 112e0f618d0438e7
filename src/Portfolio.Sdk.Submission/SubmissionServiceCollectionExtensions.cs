using System.Data.Common;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.FileDrop;
using Portfolio.Sdk.Submission.Http;
using Portfolio.Sdk.Submission.Ledger;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Settings of the submission service.</summary>
public sealed class SubmissionOptions
{
    /// <summary>The default outbox folder.</summary>
    public const string DefaultOutboxDirectory = "portfolio-outbox";

    /// <summary>Gets or sets the outbox folder, where content waits under its SHA-256.</summary>
    public string OutboxDirectory { get; set; } = DefaultOutboxDirectory;

    /// <summary>Gets or sets the dialect of the <see cref="DbDataSource"/> holding the ledger.</summary>
    public SqlDialect Dialect { get; set; } = SqlDialect.Sqlite;
}

/// <summary>Registers the central-database gateway and the submission service.</summary>
public static class SubmissionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the HTTP gateway client as <see cref="ICentralGateway"/>: a typed client of <c>IHttpClientFactory</c>
    /// behind the resilience handler, with its options validated at start-up (an address, HTTPS unless loopback, a
    /// coherent pipeline). The pipeline is shared by every handler instance, so the circuit breaker sees all calls.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (or bind <see cref="GatewayClientOptions.SectionName"/> before calling).</param>
    /// <returns>The HTTP client builder, for further handlers.</returns>
    public static IHttpClientBuilder AddPortfolioGateway(this IServiceCollection services, Action<GatewayClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<GatewayClientOptions>().Configure(configure).ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayClientOptions>, GatewayClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new GatewayResiliencePipeline(
            sp.GetRequiredService<IOptions<GatewayClientOptions>>().Value.Resilience,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<GatewayResiliencePipeline>>()));
        return services.AddHttpClient<ICentralGateway, HttpCentralGateway>((sp, client) =>
            {
                client.BaseAddress = sp.GetRequiredService<IOptions<GatewayClientOptions>>().Value.BaseAddress;
                client.Timeout = Timeout.InfiniteTimeSpan; // the pipeline owns every timeout
            })
            .AddHttpMessageHandler(sp => new GatewayResilienceHandler(sp.GetRequiredService<GatewayResiliencePipeline>()));
    }

    /// <summary>Registers the file-drop gateway as <see cref="ICentralGateway"/>, for schools that upload through the portal by hand.</summary>
    /// <param name="services">The services.</param>
    /// <param name="folder">The drop folder.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioFileDrop(this IServiceCollection services, string folder)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        services.TryAddSingleton<ICentralGateway>(new FileDropGateway(folder));
        return services;
    }

    /// <summary>
    /// Registers <see cref="SubmissionService"/> with its ledger (<see cref="DbSubmissionLedger"/> over the
    /// <see cref="DbDataSource"/> you register) and outbox. Register a gateway too, with
    /// <see cref="AddPortfolioGateway"/> or <see cref="AddPortfolioFileDrop"/>; the policy is the registered
    /// <see cref="PortfolioPolicy"/> (from <c>AddPortfolioModule</c>) or the default.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioSubmission(this IServiceCollection services, Action<SubmissionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SubmissionOptions>().Configure(configure ?? (_ => { }))
            .Validate(o => !string.IsNullOrWhiteSpace(o.OutboxDirectory), "Portfolio submission: OutboxDirectory is required.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISubmissionLedger>(sp => new DbSubmissionLedger(
            sp.GetRequiredService<DbDataSource>(), sp.GetRequiredService<IOptions<SubmissionOptions>>().Value.Dialect, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton(sp => new SubmissionOutbox(sp.GetRequiredService<IOptions<SubmissionOptions>>().Value.OutboxDirectory));
        services.TryAddTransient(sp => new SubmissionService(
            sp.GetRequiredService<ICentralGateway>(),
            sp.GetRequiredService<ISubmissionLedger>(),
            sp.GetRequiredService<SubmissionOutbox>(),
            sp.GetService<PortfolioPolicy>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<SubmissionService>>()));
        return services;
    }
}
