using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Portfolio.Sdk.Sandbox;
using Portfolio.Sdk.Submission.Http;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>
/// A real sandbox on a loopback port, the real HTTP client from DI with a fast resilience pipeline, a SQLite (or
/// PostgreSQL) ledger and an outbox folder: the whole submission path with nothing faked.
/// </summary>
internal sealed class Harness : IAsyncDisposable
{
    private readonly ServiceProvider _services;
    private readonly string _folder;
    private readonly TestSisDatabase _database;

    private Harness(RunningSandbox sandbox, ServiceProvider services, TestSisDatabase database, string folder, FakeTimeProvider clock, FakeLoggerProvider logs)
    {
        Sandbox = sandbox;
        _services = services;
        _database = database;
        _folder = folder;
        Clock = clock;
        Logs = logs.Collector;
        Ledger = new DbSubmissionLedger(database.DataSource, database.Dialect, clock);
        Outbox = new SubmissionOutbox(Path.Combine(folder, "outbox"));
        Gateway = services.GetRequiredService<ICentralGateway>();
        Service = new SubmissionService(Gateway, Ledger, Outbox, clock: clock, logger: services.GetRequiredService<ILogger<SubmissionService>>());
    }

    public RunningSandbox Sandbox { get; }

    public FakeTimeProvider Clock { get; }

    public FakeLogCollector Logs { get; }

    public DbSubmissionLedger Ledger { get; }

    public SubmissionOutbox Outbox { get; }

    public ICentralGateway Gateway { get; }

    public SubmissionService Service { get; }

    public string Folder => _folder;

    public static void Fast(GatewayResilienceOptions r)
    {
        r.TotalTimeout = TimeSpan.FromSeconds(60);
        r.AttemptTimeout = TimeSpan.FromSeconds(3);
        r.MaxRetryAttempts = 8;
        r.RetryBaseDelay = TimeSpan.FromMilliseconds(20);
        r.RetryMaxDelay = TimeSpan.FromSeconds(2);
        r.CircuitFailureRatio = 0.95;
        r.CircuitMinimumThroughput = 200;
        r.CircuitSamplingDuration = TimeSpan.FromSeconds(10);
        r.CircuitBreakDuration = TimeSpan.FromSeconds(1);
    }

    public static async Task<Harness> StartAsync(SandboxOptions? sandboxOptions = null, string database = "sqlite", Action<GatewayResilienceOptions>? resilience = null, string? token = null)
    {
        var sandbox = await SandboxServer.StartAsync(sandboxOptions);
        var db = await TestSisDatabase.OpenAsync(database);
        var folder = Directory.CreateTempSubdirectory("portfolio-submission-").FullName;
        var clock = new FakeTimeProvider(new DateTimeOffset(2024, 10, 1, 2, 0, 0, TimeSpan.Zero));
        var logs = new FakeLoggerProvider();
        var services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        services.AddPortfolioGateway(o =>
        {
            o.BaseAddress = sandbox.BaseAddress;
            o.AccessToken = token;
            (resilience ?? Fast)(o.Resilience);
        });
        var provider = services.BuildServiceProvider();
        var harness = new Harness(sandbox, provider, db, folder, clock, logs);
        await harness.Ledger.EnsureCreatedAsync();
        return harness;
    }

    public async ValueTask DisposeAsync()
    {
        await Sandbox.DisposeAsync();
        await _services.DisposeAsync();
        await _database.DisposeAsync();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

/// <summary>Collects every log line, to check that nothing personal is logged.</summary>
