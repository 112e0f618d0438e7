using System.Data.Common;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.Confirmation;
using Portfolio.Sdk.Submission.FileDrop;
using Portfolio.Sdk.Submission.Health;
using Portfolio.Sdk.Submission.Http;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Workflow;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the central-database gateway and the submission service.</summary>
public static class SubmissionServiceCollectionExtensions
{
    /// <summary>
    /// Registers the HTTP gateway client as <see cref="ICentralGateway"/>: a typed client of <c>IHttpClientFactory</c>
    /// behind the standard resilience handler of Microsoft.Extensions.Http.Resilience (rate limiter, total timeout,
    /// retry honouring <c>Retry-After</c>, circuit breaker, attempt timeout) set from
    /// <see cref="GatewayClientOptions.Resilience"/>, with fresh request content per attempt. The options are
    /// validated at start-up (an address, HTTPS unless loopback, a coherent pipeline). The pipeline belongs to the
    /// client name, so the circuit breaker sees every call.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (runs after any configuration binding of <see cref="GatewayClientOptions.SectionName"/>).</param>
    /// <returns>The HTTP client builder, for further handlers.</returns>
    public static IHttpClientBuilder AddPortfolioGateway(this IServiceCollection services, Action<GatewayClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<GatewayClientOptions>().Configure(configure);
        return AddGatewayClient(services);
    }

    /// <summary>
    /// Registers the HTTP gateway client as <see cref="AddPortfolioGateway(IServiceCollection, Action{GatewayClientOptions})"/>
    /// does, with its options bound from configuration: pass <c>configuration.GetSection(GatewayClientOptions.SectionName)</c>
    /// (keys <c>BaseAddress</c>, <c>AccessToken</c>, <c>Resilience:TotalTimeout</c>, ...; see <c>docs/gateway-protocol.md</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The gateway's configuration section.</param>
    /// <returns>The HTTP client builder, for further handlers.</returns>
    public static IHttpClientBuilder AddPortfolioGateway(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<GatewayClientOptions>().Bind(configuration);
        return AddGatewayClient(services);
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
    /// <see cref="AddPortfolioGateway(IServiceCollection, Action{GatewayClientOptions})"/> or
    /// <see cref="AddPortfolioFileDrop"/>; the policy is the registered <see cref="PortfolioPolicy"/> (from
    /// <c>AddPortfolioModule</c>) or the default. The options are validated at start-up. The per-row
    /// <see cref="ConfirmationDesk"/> is registered too, over the same ledger, with the module's <see cref="IReceiptRowItems"/>
    /// when registered (<c>AddPortfolioModule</c>): an upheld dispute unlocks its row's item.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioSubmission(this IServiceCollection services, Action<SubmissionOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddOptions<SubmissionOptions>().Configure(configure ?? (_ => { }));
        return AddSubmissionService(services);
    }

    /// <summary>
    /// Registers <see cref="SubmissionService"/> as <see cref="AddPortfolioSubmission(IServiceCollection, Action{SubmissionOptions})"/>
    /// does, with its options bound from configuration: pass <c>configuration.GetSection(SubmissionOptions.SectionName)</c>
    /// (keys <c>OutboxDirectory</c> and <c>Dialect</c>, a dialect name such as <c>postgresql</c>).
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The submission service's configuration section.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioSubmission(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<SubmissionOptions>().Configure(o => Bind(configuration, o));
        return AddSubmissionService(services);
    }

    /// <summary>
    /// Adds the package's health checks: <c>portfolio-ledger</c> (<see cref="SubmissionLedgerHealthCheck"/>: the
    /// ledger database opens and has its tables) and, when the HTTP gateway is registered, <c>portfolio-gateway</c>
    /// (<see cref="GatewayHealthCheck"/>: the gateway answers a status probe that never submits).
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="failureStatus">The status a failing check reports; <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags for both checks, to filter them in health endpoints.</param>
    /// <param name="timeout">How long each check may take; 10 seconds when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddPortfolioSubmissionHealthChecks(this IHealthChecksBuilder builder, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var tagList = tags?.ToArray() ?? [];
        builder.AddPortfolioLedgerHealthCheck(failureStatus, tagList, timeout);
        if (builder.Services.Any(d => d.ServiceType == typeof(IValidateOptions<GatewayClientOptions>)))
        {
            builder.AddPortfolioGatewayHealthCheck(failureStatus, tagList, timeout);
        }

        return builder;
    }

    /// <summary>Adds the <c>portfolio-ledger</c> check (<see cref="SubmissionLedgerHealthCheck"/>) over the ledger's database (the host's <see cref="PortfolioDatabaseOptions"/>, or <see cref="SubmissionOptions.Dialect"/>).</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="failureStatus">The status a failing check reports; <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags, to filter the check in health endpoints.</param>
    /// <param name="timeout">How long the check may take; 10 seconds when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddPortfolioLedgerHealthCheck(this IHealthChecksBuilder builder, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.Add(new HealthCheckRegistration(
            "portfolio-ledger",
            sp =>
            {
                var (dataSource, dialect) = LedgerDatabase(sp);
                return new SubmissionLedgerHealthCheck(dataSource, dialect);
            },
            failureStatus,
            tags,
            timeout ?? DefaultHealthTimeout));
    }

    /// <summary>Adds the <c>portfolio-gateway</c> check (<see cref="GatewayHealthCheck"/>) with the registered <see cref="GatewayClientOptions"/>.</summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="failureStatus">The status a failing check reports; <see cref="HealthStatus.Unhealthy"/> when <see langword="null"/>.</param>
    /// <param name="tags">Tags, to filter the check in health endpoints.</param>
    /// <param name="timeout">How long the check may take; 10 seconds when <see langword="null"/>.</param>
    /// <returns>The builder.</returns>
    public static IHealthChecksBuilder AddPortfolioGatewayHealthCheck(this IHealthChecksBuilder builder, HealthStatus? failureStatus = null, IEnumerable<string>? tags = null, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddHttpClient(GatewayHealthCheck.HttpClientName, client => client.Timeout = timeout ?? DefaultHealthTimeout);
        return builder.Add(new HealthCheckRegistration(
            "portfolio-gateway",
            sp => ActivatorUtilities.CreateInstance<GatewayHealthCheck>(sp),
            failureStatus,
            tags,
            timeout ?? DefaultHealthTimeout));
    }

    private static TimeSpan DefaultHealthTimeout => TimeSpan.FromSeconds(10);

    private static IHttpClientBuilder AddGatewayClient(IServiceCollection services)
    {
        services.AddOptions<GatewayClientOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<GatewayClientOptions>, GatewayClientOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        var builder = services.AddHttpClient<ICentralGateway, HttpCentralGateway>((sp, client) =>
        {
            client.BaseAddress = sp.GetRequiredService<IOptions<GatewayClientOptions>>().Value.BaseAddress;
            client.Timeout = Timeout.InfiniteTimeSpan; // the resilience handler owns every timeout
        });
        builder.AddStandardResilienceHandler()
            .Configure((standard, sp) =>
            {
                try
                {
                    GatewayResilience.Apply(standard, sp.GetRequiredService<IOptions<GatewayClientOptions>>().Value.Resilience);
                }
                catch (OptionsValidationException)
                {
                    // Reported once, by the gateway options' own start-up validation; the typed client cannot be
                    // created with invalid options, so the library's defaults left here never carry a call.
                }
            });
        builder.AddHttpMessageHandler(() => new GatewayAttemptHandler()); // below the resilience handler: runs once per attempt
        return builder;
    }

    // The ledger's database: the host's (AddPortfolioDatabase: its data source, by key when it has several, and its
    // dialect, stated once), unless the submission options name another dialect.
    private static (DbDataSource DataSource, SqlDialect Dialect) LedgerDatabase(IServiceProvider sp)
    {
        var database = sp.GetService<IOptions<PortfolioDatabaseOptions>>()?.Value;
        var dialect = sp.GetService<IOptions<SubmissionOptions>>()?.Value.Dialect ?? database?.Dialect ?? SqlDialect.Sqlite;
        return (sp.GetPortfolioDataSource(database?.DataSourceKey, SubmissionOptions.SectionName), dialect);
    }

    private static IServiceCollection AddSubmissionService(IServiceCollection services)
    {
        services.AddOptions<SubmissionOptions>()
            .Validate(o => !string.IsNullOrWhiteSpace(o.OutboxDirectory), "Portfolio:Submission:OutboxDirectory is required.")
            .Validate(o => o.UnknownDialect is null, $"Portfolio:Submission:Dialect names no dialect; use one of {string.Join(", ", SqlDialect.All.Select(d => d.Name))}.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<ISubmissionLedger>(sp =>
        {
            var (dataSource, dialect) = LedgerDatabase(sp);
            return new DbSubmissionLedger(dataSource, dialect, sp.GetRequiredService<TimeProvider>());
        });
        services.TryAddSingleton(sp => new SubmissionOutbox(sp.GetRequiredService<IOptions<SubmissionOptions>>().Value.OutboxDirectory));
        services.TryAddTransient(sp => new SubmissionService(
            sp.GetRequiredService<ICentralGateway>(),
            sp.GetRequiredService<ISubmissionLedger>(),
            sp.GetRequiredService<SubmissionOutbox>(),
            sp.GetService<PortfolioPolicy>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetService<ILogger<SubmissionService>>()));

        // The per-row confirmation desk keeps its answers in the ledger's own database (it needs the database ledger).
        services.TryAddTransient(sp => sp.GetRequiredService<ISubmissionLedger>() is DbSubmissionLedger ledger
            ? new ConfirmationDesk(sp.GetRequiredService<SubmissionService>(), ledger, sp.GetService<IReceiptRowItems>(), sp.GetService<PortfolioPolicy>(), sp.GetRequiredService<TimeProvider>())
            : throw new InvalidOperationException("The confirmation desk keeps its answers in the database ledger: register DbSubmissionLedger as the ISubmissionLedger."));
        return services;
    }

    private static void Bind(IConfiguration configuration, SubmissionOptions options)
    {
        if (configuration[nameof(SubmissionOptions.OutboxDirectory)] is { } outbox)
        {
            options.OutboxDirectory = outbox;
        }

        if (configuration[nameof(SubmissionOptions.Dialect)] is { } name)
        {
            if (SqlDialect.TryGet(name, out var dialect))
            {
                options.Dialect = dialect;
                options.UnknownDialect = null;
            }
            else
            {
                options.UnknownDialect = name;
            }
        }
    }
}
