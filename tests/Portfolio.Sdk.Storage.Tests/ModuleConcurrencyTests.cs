using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Portfolio.Sdk.Audit;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Workflow;
using static Portfolio.Sdk.Storage.Tests.ModuleFixture;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>
/// Caps hold in the database: 16 selectors, 8 in this process and 8 in a second process (samples/ModuleCycle), select
/// one student's items at the same moment; no cap is exceeded and the end state equals a serial run's.
/// </summary>
public sealed class ModuleConcurrencyTests
{
    private const int PerTermCap = 3;

    public static TheoryData<string> Providers() => ["sqlite", "postgres"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static readonly PortfolioPolicy Policy = new(PortfolioPolicy.Default.National, new SchoolPolicy { SelectionCapPerTerm = PerTermCap });

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task SixteenSelectorsInTwoProcesses_NeverExceedACap_AndEndAsASerialRun(string provider)
    {
        await using var serial = await SharedDatabase.CreateAsync(provider);
        var (serialOutcomes, serialPerformances) = await SeedAsync(serial);
        await BurstAsync(serial.Module, 1, serialOutcomes, serialPerformances);
        var expected = await EndStateAsync(serial);
        expected.ShouldBe((PerTermCap, PerTermCap, 10, PerTermCap * 2, 10));

        await using var shared = await SharedDatabase.CreateAsync(provider);
        var (outcomes, performances) = await SeedAsync(shared);
        var startAt = DateTime.UtcNow.AddSeconds(5);
        var child = StartChild(shared, outcomes, performances, startAt);
        var wait = startAt - DateTime.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, Token);
        }

        await BurstAsync(shared.Module, 8, outcomes, performances);
        var output = await child.StandardOutput.ReadToEndAsync(Token);
        var errors = await child.StandardError.ReadToEndAsync(Token);
        await child.WaitForExitAsync(Token);
        child.ExitCode.ShouldBe(0, errors);
        output.ShouldContain("selected ");

        (await EndStateAsync(shared)).ShouldBe(expected);
    }

    // Term 1 selected, term 2 selected, 多元表現 selected, course-outcome select entries, 多元表現 select entries (the audit
    // trail, intact, shows each item selected once: nothing was selected over a cap and then undone).
    private static async Task<(int Term1, int Term2, int Performances, int OutcomeSelects, int PerformanceSelects)> EndStateAsync(SharedDatabase database)
    {
        await using var connection = await database.DataSource.OpenConnectionAsync(Token);
        async Task<int> Count(string sql)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            return Convert.ToInt32(await command.ExecuteScalarAsync(Token), CultureInfo.InvariantCulture);
        }

        var audit = new List<AuditEntry>();
        await foreach (var entry in database.Module.Store.ReadAuditAsync(Token))
        {
            audit.Add(entry);
        }

        AuditTrail.Verify(audit).ShouldBeEmpty();
        return (
            await Count($"SELECT COUNT(*) FROM {StoreSchema.CourseOutcomeTable} WHERE selected_for = 113 AND term = 1"),
            await Count($"SELECT COUNT(*) FROM {StoreSchema.CourseOutcomeTable} WHERE selected_for = 113 AND term = 2"),
            await Count($"SELECT COUNT(*) FROM {StoreSchema.PerformanceTable} WHERE selected_for = 113"),
            audit.Count(a => a.Action == "course-outcome.select"),
            audit.Count(a => a.Action == "performance.select"));
    }

    private static async Task<(Guid[] Outcomes, Guid[] Performances)> SeedAsync(SharedDatabase database)
    {
        var module = database.Module;
        var outcomes = new List<Guid>();
        foreach (var term in new[] { Term1, SchoolTerm.Parse("113-2") })
        {
            await module.Store.RecordCreditedCoursesAsync(StudentKey, "101", term, [MathCourse], Token);
            for (var i = 0; i < 5; i++)
            {
                var uploaded = (await module.UploadCourseOutcomeAsync(Student, Outcome(term: term), Token)).Value!;
                var sent = (await module.SendForCertificationAsync(Student, uploaded.Id, uploaded.Version, Token)).Value!;
                outcomes.Add((await module.CertifyAsync(MathTeacher, sent.Id, sent.Version, Token)).Value!.Id);
            }
        }

        var performances = new List<Guid>();
        for (var i = 0; i < 14; i++)
        {
            performances.Add((await module.UploadPerformanceAsync(Student, Performance(), Token)).Value!.Id);
        }

        return ([.. outcomes], [.. performances]);
    }

    private static async Task BurstAsync(PortfolioModule module, int workers, Guid[] outcomes, Guid[] performances) =>
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(100 + w);
            foreach (var (id, isOutcome) in outcomes.Select(o => (o, true)).Concat(performances.Select(p => (p, false))).OrderBy(_ => random.Next()).ToList())
            {
                var result = isOutcome
                    ? (await module.SelectCourseOutcomeAsync(Student, id, (await module.Store.GetAsync(id, Token))!.Version, Year, Token)).Problem
                    : (await module.SelectPerformanceAsync(Student, id, (await module.Store.GetPerformanceAsync(id, Token))!.Version, Year, Year, Token)).Problem;
                result?.Code.ShouldBeOneOf(Portfolio.Sdk.Diagnostics.DiagnosticCodes.SelectionCap, Portfolio.Sdk.Diagnostics.DiagnosticCodes.VersionConflict);
            }
        }, Token)));

    private static Process StartChild(SharedDatabase database, Guid[] outcomes, Guid[] performances, DateTime startAt)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepositoryPaths.Combine("samples", "ModuleCycle", "bin", configuration, "net10.0", "ModuleCycle.dll"));
        string[] arguments =
        [
            "select", "--provider", database.Provider, "--connection", database.ConnectionString, "--files", database.FilesRoot,
            "--student", StudentKey, "--year", "113", "--entry-year", "113", "--workers", "8", "--per-term-cap", PerTermCap.ToString(CultureInfo.InvariantCulture),
            "--course-outcomes", string.Join(',', outcomes), "--performances", string.Join(',', performances),
            "--start-at", startAt.Ticks.ToString(CultureInfo.InvariantCulture),
        ];
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start)!;
    }

    /// <summary>A database two processes open by connection string: a SQLite file, or a PostgreSQL schema of its own.</summary>
    private sealed class SharedDatabase : IAsyncDisposable
    {
        private readonly Func<ValueTask> _cleanup;

        private SharedDatabase(string provider, string connectionString, DbDataSource dataSource, SqlDialect dialect, string filesRoot, Func<ValueTask> cleanup)
        {
            Provider = provider;
            ConnectionString = connectionString;
            DataSource = dataSource;
            FilesRoot = filesRoot;
            _cleanup = cleanup;
            var clock = new FakeTimeProvider(Now);
            Module = new PortfolioModule(new PortfolioStore(dataSource, dialect, clock), new FileSystemContentStore(filesRoot), Policy, clock);
        }

        public string Provider { get; }

        public string ConnectionString { get; }

        public DbDataSource DataSource { get; }

        public string FilesRoot { get; }

        public PortfolioModule Module { get; }

        public static async Task<SharedDatabase> CreateAsync(string provider)
        {
            var files = Path.Combine(Path.GetTempPath(), $"module-burst-{Guid.NewGuid():N}");
            SharedDatabase database;
            if (provider == "sqlite")
            {
                var path = Path.Combine(Path.GetTempPath(), $"module-burst-{Guid.NewGuid():N}.db");
                var connectionString = $"Data Source={path};Pooling=False";
                var dataSource = SqliteFactory.Instance.CreateDataSource(connectionString);
                database = new SharedDatabase("sqlite", connectionString, dataSource, SqlDialect.Sqlite, files, () =>
                {
                    dataSource.Dispose();
                    File.Delete(path);
                    return ValueTask.CompletedTask;
                });
            }
            else
            {
                var admin = TestDatabase.PostgresConnectionStringOrSkip();
                var schema = $"burst_{Guid.NewGuid():N}";
                await using (var adminSource = NpgsqlDataSource.Create(admin))
                await using (var create = adminSource.CreateCommand($"CREATE SCHEMA {schema}"))
                {
                    await create.ExecuteNonQueryAsync();
                }

                var connectionString = new NpgsqlConnectionStringBuilder(admin) { SearchPath = schema }.ConnectionString;
                var dataSource = NpgsqlDataSource.Create(connectionString);
                database = new SharedDatabase("postgres", connectionString, dataSource, SqlDialect.PostgreSql, files, async () =>
                {
                    await dataSource.DisposeAsync();
                    await using var adminSource = NpgsqlDataSource.Create(admin);
                    await using var drop = adminSource.CreateCommand($"DROP SCHEMA {schema} CASCADE");
                    await drop.ExecuteNonQueryAsync();
                });
            }

            await database.Module.Store.CreateSchemaAsync(Token);
            return database;
        }

        public async ValueTask DisposeAsync()
        {
            await _cleanup();
            if (Directory.Exists(FilesRoot))
            {
                Directory.Delete(FilesRoot, recursive: true);
            }
        }
    }
}
