using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>The module from configuration, the database stated once, keyed data sources, health checks and telemetry.</summary>
[Collection(StorageTelemetryTests.Name)]
public sealed class HostingConventionsTests
{
    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static string TempFile(string name) => Path.Combine(Path.GetTempPath(), $"{name}-{Guid.NewGuid():N}.db");

    [Fact]
    public void ModuleAndDatabase_BindFromConfiguration()
    {
        var files = Path.Combine(Path.GetTempPath(), $"files-{Guid.NewGuid():N}");
        var configuration = Configuration(
            ("Portfolio:Database:Dialect", "postgresql"),
            ("Portfolio:Module:FilesRoot", files));
        var services = new ServiceCollection();
        services.AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource("Data Source=:memory:"));
        services.AddPortfolioDatabase(configuration.GetSection(PortfolioDatabaseOptions.SectionName));
        services.AddPortfolioModule(configuration.GetSection(PortfolioModuleOptions.SectionName));
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        provider.GetRequiredService<PortfolioStore>().Dialect.ShouldBe(SqlDialect.PostgreSql);   // stated once, in Portfolio:Database
        provider.GetRequiredService<FileSystemContentStore>().Root.ShouldBe(files);
        Directory.Delete(files);
    }

    [Fact]
    public void UnknownDialectInConfiguration_StopsTheStart()
    {
        var configuration = Configuration(("Portfolio:Database:Dialect", "db2"));
        var services = new ServiceCollection();
        services.AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource("Data Source=:memory:"));
        services.AddPortfolioDatabase(configuration.GetSection(PortfolioDatabaseOptions.SectionName));
        services.AddPortfolioModule(o => { });
        using var provider = services.BuildServiceProvider();

        Should.Throw<InvalidOperationException>(() => provider.GetRequiredService<IStartupValidator>().Validate()).ToString().ShouldContain("db2");
    }

    [Fact]
    public void BlankFilesRootInConfiguration_StopsTheStart()
    {
        var configuration = Configuration(("FilesRoot", " "));
        var services = new ServiceCollection();
        services.AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource("Data Source=:memory:"));
        services.AddPortfolioModule(configuration);
        using var provider = services.BuildServiceProvider();

        Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate()).Message.ShouldContain("FilesRoot is required");
    }

    [Fact]
    public async Task KeyedStoreDataSource_IsTheOneUsed_AndSeveralUnkeyedAreRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var storeFile = TempFile("store");
        var otherFile = TempFile("other");
        try
        {
            var services = new ServiceCollection();
            services.AddKeyedSingleton<DbDataSource>("portfolio", SqliteFactory.Instance.CreateDataSource($"Data Source={storeFile};Pooling=False"));
            services.AddKeyedSingleton<DbDataSource>("erp", SqliteFactory.Instance.CreateDataSource($"Data Source={otherFile};Pooling=False"));
            services.AddPortfolioDatabase(SqlDialect.Sqlite, "portfolio");
            services.AddPortfolioModule(o => o.FilesRoot = Path.GetTempPath());
            await using (var provider = services.BuildServiceProvider())
            {
                await provider.GetRequiredService<PortfolioStore>().CreateSchemaAsync(ct);
            }

            (await TableCountAsync(storeFile, ct)).ShouldBeGreaterThan(0);
            (await TableCountAsync(otherFile, ct)).ShouldBe(0);   // the other data source was never touched

            var two = new ServiceCollection();
            two.AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource("Data Source=:memory:"));
            two.AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource("Data Source=:memory:"));
            two.AddPortfolioModule(o => { });
            await using var ambiguous = two.BuildServiceProvider();
            Should.Throw<InvalidOperationException>(() => ambiguous.GetRequiredService<PortfolioStore>()).Message.ShouldContain("DataSourceKey");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(storeFile);
            File.Delete(otherFile);
        }
    }

    private static async Task<long> TableCountAsync(string file, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={file};Pooling=False");
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table'";
        return (long)(await command.ExecuteScalarAsync(ct))!;
    }

    private static async Task<HealthReport> CheckAsync(Action<IServiceCollection> register, bool createSchema, CancellationToken ct)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        register(services);
        services.AddPortfolioModule(o => o.FilesRoot = Path.GetTempPath());
        services.AddHealthChecks().AddPortfolioStore(tags: ["ready"]);
        await using var provider = services.BuildServiceProvider();
        if (createSchema)
        {
            await provider.GetRequiredService<PortfolioStore>().CreateSchemaAsync(ct);
        }

        return await provider.GetRequiredService<HealthCheckService>().CheckHealthAsync(ct);
    }

    [Fact]
    public async Task StoreHealthCheck_OnSqlite_IsUnhealthyWithoutTheSchema_AndHealthyWithIt()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = TempFile("health");
        try
        {
            void Register(IServiceCollection s) => s.AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource($"Data Source={file};Pooling=False"));

            var before = await CheckAsync(Register, createSchema: false, ct);
            before.Status.ShouldBe(HealthStatus.Unhealthy);
            before.Entries["portfolio-store"].Description!.ShouldContain("tables are missing");

            var after = await CheckAsync(Register, createSchema: true, ct);
            after.Status.ShouldBe(HealthStatus.Healthy);
            after.Entries["portfolio-store"].Tags.ShouldContain("ready");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }
    }

    [Fact]
    public async Task StoreHealthCheck_OnPostgreSql_IsHealthyWithTheSchema_AndUnhealthyWhenTheServerIsUnreachable()
    {
        var ct = TestContext.Current.CancellationToken;
        var admin = TestDatabase.PostgresConnectionStringOrSkip();
        var schema = $"health_{Guid.NewGuid():N}";
        await using (var source = NpgsqlDataSource.Create(admin))
        await using (var create = source.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await create.ExecuteNonQueryAsync(ct);
        }

        try
        {
            var connectionString = new NpgsqlConnectionStringBuilder(admin) { SearchPath = schema }.ConnectionString;
            var healthy = await CheckAsync(s =>
            {
                s.AddKeyedSingleton<DbDataSource>("portfolio", (_, _) => NpgsqlDataSource.Create(connectionString));
                s.AddPortfolioDatabase(SqlDialect.PostgreSql, "portfolio");
            }, createSchema: true, ct);
            healthy.Status.ShouldBe(HealthStatus.Healthy, healthy.Entries["portfolio-store"].Description);

            var unreachable = new NpgsqlConnectionStringBuilder(admin) { Port = 1, Timeout = 2 }.ConnectionString;
            var down = await CheckAsync(s =>
            {
                s.AddSingleton<DbDataSource>(NpgsqlDataSource.Create(unreachable));
                s.AddPortfolioDatabase(SqlDialect.PostgreSql);
            }, createSchema: false, ct);
            down.Status.ShouldBe(HealthStatus.Unhealthy);
            down.Entries["portfolio-store"].Description!.ShouldNotContain("Password", Case.Insensitive);
        }
        finally
        {
            await using var source = NpgsqlDataSource.Create(admin);
            await using var drop = source.CreateCommand($"DROP SCHEMA {schema} CASCADE");
            await drop.ExecuteNonQueryAsync(ct);
        }
    }

    [Fact]
    public async Task StoreTransactions_AreCountedByOutcome_AndTracedWithoutIds()
    {
        var ct = TestContext.Current.CancellationToken;
        var measurements = new List<(string Name, long Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == StorageTelemetry.Name)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        meters.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            lock (measurements)
            {
                measurements.Add((instrument.Name, value, tags.ToArray().ToDictionary(t => t.Key, t => t.Value)));
            }
        });
        meters.Start();
        var activities = new List<Activity>();
        using var tracing = new ActivityListener
        {
            ShouldListenTo = s => s.Name == StorageTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(tracing);

        var file = TempFile("telemetry");
        try
        {
            var store = new PortfolioStore(SqliteFactory.Instance.CreateDataSource($"Data Source={file};Pooling=False"), SqlDialect.Sqlite);
            await store.CreateSchemaAsync(ct);
            var student = PortfolioActor.StudentOf("u-A123456789", "A123456789");
            var outcome = new CourseOutcome
            {
                Id = Guid.NewGuid(),
                StudentKey = "A123456789",
                ClassName = "101",
                Term = Portfolio.Sdk.Calendar.SchoolTerm.Parse("113-1"),
                CourseCode = Portfolio.Sdk.Courses.CourseCode.Parse("113060322H1110101010101"),
                Summary = "報告",
                FileHashes = [new string('a', 64)],
                CertifyingTeacher = "t-math",
            };
            await store.AddAsync(outcome, student, ct);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(file);
        }

        lock (measurements)
        {
            measurements.ShouldContain(m => m.Name == "portfolio.store.transactions" && (string?)m.Tags["portfolio.outcome"] == "committed" && (string?)m.Tags["db.system.name"] == "sqlite");
            measurements.SelectMany(m => m.Tags.Values).ShouldAllBe(v => !(v is string && ((string)v!).Contains("123456789", StringComparison.Ordinal)));
        }

        lock (activities)
        {
            activities.ShouldContain(a => a.OperationName == "store.transaction");
            activities.SelectMany(a => a.TagObjects).ShouldAllBe(t => !(t.Value is string && ((string)t.Value!).Contains("123456789", StringComparison.Ordinal)));
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class StorageTelemetryTests
{
    public const string Name = "storage-telemetry";
}
