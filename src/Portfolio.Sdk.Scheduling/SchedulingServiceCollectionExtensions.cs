using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Scheduling;
using Quartz;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers the portfolio's Quartz scheduler.</summary>
public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Registers the portfolio jobs and a Quartz scheduler, started and stopped with the host: in memory by default;
    /// with <see cref="PortfolioSchedulingOptions.PostgresConnectionString"/> (or <see cref="PortfolioSchedulingOptions.MySqlConnectionString"/>,
    /// MySQL or MariaDB through MySqlConnector and Quartz's MySQL delegate) and <see cref="PortfolioSchedulingOptions.Clustered"/>,
    /// a clustered store (instance id AUTO, the given check-in interval and threshold, the System.Text.Json
    /// serializer, job data kept as strings). A shared store without clustering is refused at start-up. Apply
    /// <see cref="QuartzSchema"/> to the database first. The vendor registers <see cref="ISchoolRosterSource"/>
    /// and the submission service, and may register an <see cref="IDeadlineReminder"/> (e-mail, app notification);
    /// without one, reminders are logged by <see cref="LoggingDeadlineReminder"/>. With
    /// <see cref="PortfolioSchedulingOptions.ScheduleNotices"/>, the notice jobs read the module (<c>AddPortfolioModule</c>)
    /// and deliver through the vendor's <see cref="Portfolio.Sdk.Notices.INoticeDelivery"/>, logged by
    /// <see cref="LoggingNoticeDelivery"/> when none is registered.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioScheduling(this IServiceCollection services, Action<PortfolioSchedulingOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        var options = new PortfolioSchedulingOptions();
        configure(options);
        return AddScheduling(services, options, services.AddOptions<PortfolioSchedulingOptions>().Configure(configure));
    }

    /// <summary>
    /// Registers the scheduler as <see cref="AddPortfolioScheduling(IServiceCollection, Action{PortfolioSchedulingOptions})"/>
    /// does, with its options bound from configuration, e.g. <c>configuration.GetSection(PortfolioSchedulingOptions.SectionName)</c>
    /// (<c>{ "Clustered": true, "PostgresConnectionString": "…", "CheckinInterval": "00:00:07.5" }</c>). A bad value
    /// stops the start with a message naming it.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The scheduling section (not the root).</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        var options = new PortfolioSchedulingOptions();
        try
        {
            configuration.Bind(options); // Quartz is configured now, from the same values the options bind at start
        }
        catch (InvalidOperationException)
        {
            options = new PortfolioSchedulingOptions { MaxConcurrency = 0 }; // invalid: the start-up binding below names the bad value
        }

        return AddScheduling(services, options, services.AddOptions<PortfolioSchedulingOptions>().Bind(configuration));
    }

    /// <summary>
    /// Registers <see cref="StandardSchoolRosterSource"/> as the jobs' <see cref="ISchoolRosterSource"/>: every semester
    /// book from each school's SIS and the per-year packages from its module store, locked once accepted. The host
    /// registers its <see cref="ISchoolDataSources"/> (where each school's SIS and module store are), the submission
    /// service (<c>AddPortfolioSubmission</c>) and, optionally, any number of <see cref="ISchoolRosterObserver"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Sets the options (the system actor, the build and journal folders); optional.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioStandardRosters(this IServiceCollection services, Action<StandardRosterSourceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<StandardRosterSourceOptions>();
        if (configure is not null)
        {
            options.Configure(configure);
        }

        services.TryAddSingleton(TimeProvider.System);
        services.Replace(ServiceDescriptor.Singleton<ISchoolRosterSource>(sp => new StandardSchoolRosterSource(
            sp.GetRequiredService<ISchoolDataSources>(),
            sp.GetRequiredService<Portfolio.Sdk.Submission.SubmissionOutbox>(),
            sp.GetRequiredService<IOptions<StandardRosterSourceOptions>>().Value,
            sp.GetServices<ISchoolRosterObserver>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<Microsoft.Extensions.Logging.ILogger<StandardSchoolRosterSource>>())));
        return services;
    }

    /// <summary>
    /// Registers <see cref="StandardSchoolRosterSource"/> as <see cref="AddPortfolioStandardRosters(IServiceCollection, Action{StandardRosterSourceOptions})"/>
    /// does, with the host's resolver given as a function: the school's data sources, or <see langword="null"/> for a
    /// school this host does not serve.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <param name="resolve">Finds a school's data sources (called with the job's services).</param>
    /// <param name="configure">Sets the options; optional.</param>
    /// <returns>The services.</returns>
    public static IServiceCollection AddPortfolioStandardRosters(this IServiceCollection services, Func<IServiceProvider, Portfolio.Sdk.Schools.SchoolCode, CancellationToken, ValueTask<SchoolDataSources?>> resolve, Action<StandardRosterSourceOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(resolve);
        services.Replace(ServiceDescriptor.Singleton<ISchoolDataSources>(sp => new DelegateSchoolDataSources(sp, resolve)));
        return services.AddPortfolioStandardRosters(configure);
    }

    private static IServiceCollection AddScheduling(IServiceCollection services, PortfolioSchedulingOptions options, OptionsBuilder<PortfolioSchedulingOptions> builder)
    {
        builder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<PortfolioSchedulingOptions>, PortfolioSchedulingOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<IDeadlineReminder, LoggingDeadlineReminder>(); // the vendor's own replaces it
        services.TryAddSingleton<PortfolioScheduler>();
        services.TryAddTransient<SemesterRostersJob>();
        services.TryAddTransient<YearPackagesJob>();
        services.TryAddTransient<ReceiptPollingJob>();
        services.TryAddTransient<DeadlineReminderJob>();
        if (options.ScheduleNotices)
        {
            // The notice jobs need the module (PortfolioModule): registered only when they are scheduled, so a host
            // without a module store passes the container's start-up validation (ValidateOnBuild in Development).
            services.TryAddSingleton<Portfolio.Sdk.Notices.INoticeDelivery, LoggingNoticeDelivery>(); // the vendor's own replaces it
            services.TryAddTransient<WindowNoticeJob>();
            services.TryAddTransient<RejectionNoticeJob>();
            services.TryAddTransient<ConfirmationNoticeJob>();
        }
        if (options.Validate().Count > 0)
        {
            return services; // the start-up validation refuses the host with the message above
        }

        services.AddQuartz(q =>
        {
            q.ConfigureScheduler(s =>
            {
                s.InstanceName = options.SchedulerName;
                s.GenerateInstanceId = options.Clustered; // instance id AUTO: unique per node
                s.IdleWaitTime = options.IdleWaitTime;
            });
            q.UseDefaultThreadPool(options.MaxConcurrency);
            if (options.StoreConnectionString is { } connectionString)
            {
                q.UsePersistentStore(store =>
                {
                    if (options.PostgresConnectionString is not null)
                    {
                        store.UseDataSource(d =>
                        {
                            d.Provider = DataSourceOptions.Providers.Npgsql;
                            d.ConnectionString = connectionString;
                        });
                    }
                    else
                    {
                        // MySQL and MariaDB: the MySqlConnector driver (the host references it) and Quartz's MySQL
                        // delegate, on the tables of QuartzSchema's MySQL script (InnoDB, row locks on the locks table).
                        store.UseMySqlConnector(d => d.ConnectionString = connectionString);
                        store.UseDriverDelegate<Quartz.Impl.AdoJobStore.MySQLDelegate>();
                    }

                    store.UseSystemTextJsonSerializer();
                    store.ConfigureStore(s =>
                    {
                        s.TablePrefix = options.TablePrefix;
                        s.StoreJobDataAsStrings = true;
                        s.RecoverFiringsCancelledByShutdown = true;
                    });
                    store.UseClustering(c =>
                    {
                        c.CheckinInterval = options.CheckinInterval;
                        c.CheckinMisfireThreshold = options.CheckinMisfireThreshold;
                    });
                });
            }
            else
            {
                q.UseInMemoryStore(_ => { });
            }
        });
        services.AddQuartzHostedService(o => o.WaitForJobsToComplete = true);
        return services;
    }

    private sealed class PortfolioSchedulingOptionsValidator : IValidateOptions<PortfolioSchedulingOptions>
    {
        public ValidateOptionsResult Validate(string? name, PortfolioSchedulingOptions options) =>
            options.Validate() is { Count: > 0 } problems ? ValidateOptionsResult.Fail(problems) : ValidateOptionsResult.Success;
    }

    private sealed class DelegateSchoolDataSources(IServiceProvider services, Func<IServiceProvider, Portfolio.Sdk.Schools.SchoolCode, CancellationToken, ValueTask<SchoolDataSources?>> resolve) : ISchoolDataSources
    {
        public ValueTask<SchoolDataSources?> FindAsync(Portfolio.Sdk.Schools.SchoolCode school, CancellationToken cancellationToken) => resolve(services, school, cancellationToken);
    }
}
