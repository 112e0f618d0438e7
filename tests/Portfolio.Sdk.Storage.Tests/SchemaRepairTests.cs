using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>
/// Schema creation is atomic where the database allows it and self-repairing everywhere (issue 16): a store left
/// half-made (by MariaDB's non-transactional DDL, or by a process killed part-way) is completed by the next start,
/// and concurrent first starts end with one schema.
/// </summary>
public sealed class SchemaRepairTests
{
    private static readonly PortfolioActor Student = PortfolioActor.StudentOf("u-student", "S000001");

    public static TheoryData<string> Providers() => TestDatabase.Providers();

    public static TheoryData<string> KillProviders() => ["sqlite", "postgresql"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task EveryPrefixOfTheScript_AppliedWithoutATransaction_IsCompletedByTheNextStart(string provider)
    {
        IReadOnlyList<string> complete;
        await using (var reference = await TestSisDatabase.OpenAsync(provider))
        {
            await new PortfolioStore(reference.DataSource, reference.Dialect).CreateSchemaAsync(Token);
            complete = await SchemaCatalogue.ReadAsync(reference.DataSource, reference.Dialect, Token);
        }

        complete.ShouldContain(l => l.Contains("ix_performance_class", StringComparison.Ordinal));
        var dialect = provider == "sqlite" ? SqlDialect.Sqlite : provider == "mariadb" ? SqlDialect.MySql : SqlDialect.PostgreSql;
        var statements = StoreSchema.CreateStatements(dialect);
        for (var prefix = 0; prefix <= statements.Count; prefix++)
        {
            await using var database = await TestSisDatabase.OpenAsync(provider);
            await SchemaCatalogue.ApplyOneByOneAsync(database.DataSource, statements.Take(prefix), Token);

            var store = new PortfolioStore(database.DataSource, database.Dialect);
            await store.CreateSchemaAsync(Token);

            (await SchemaCatalogue.ReadAsync(database.DataSource, database.Dialect, Token)).ShouldBe(complete, $"after the first {prefix} of {statements.Count} statements");
            await ShouldBeCompleteAndWorkAsync(store, database.DataSource, database.Dialect);
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ConcurrentFirstStarts_EndWithOneSchema(string provider)
    {
        IReadOnlyList<string>? complete = null;
        for (var round = 0; round < 4; round++)
        {
            await using var database = await TestSisDatabase.OpenAsync(provider);
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => new PortfolioStore(database.DataSource, database.Dialect).CreateSchemaAsync(Token), Token)));

            var catalogue = await SchemaCatalogue.ReadAsync(database.DataSource, database.Dialect, Token);
            catalogue.ShouldBe(complete ?? catalogue);
            complete = catalogue;
            await ShouldBeCompleteAndWorkAsync(new PortfolioStore(database.DataSource, database.Dialect), database.DataSource, database.Dialect);
        }
    }

    /// <summary>
    /// samples/ModuleCycle (a host that creates its store on start) is killed at delays stepped through its start; each
    /// kill leaves a state that must be a version boundary (each migration is one transaction on these databases), and
    /// the next start completes the schema and the store works.
    /// </summary>
    [Theory]
    [MemberData(nameof(KillProviders))]
    public async Task AHostKilledWhileCreatingItsStore_IsCompletedByTheNextStart(string provider)
    {
        var dialect = provider == "sqlite" ? SqlDialect.Sqlite : SqlDialect.PostgreSql;

        // The states a kill may leave: nothing, the version table alone, then each version complete.
        var boundaries = new List<IReadOnlyList<string>>();
        await using (var reference = await KillDatabase.OpenAsync(provider))
        {
            boundaries.Add(await SchemaCatalogue.ReadAsync(reference.DataSource, dialect, Token));
            await SchemaCatalogue.ApplyOneByOneAsync(reference.DataSource, [StoreSchema.CreateStatements(dialect)[0]], Token);
            boundaries.Add(await SchemaCatalogue.ReadAsync(reference.DataSource, dialect, Token));
            for (var version = 1; version <= StoreSchema.CurrentVersion; version++)
            {
                await SchemaCatalogue.ApplyOneByOneAsync(reference.DataSource, StoreSchema.MigrationStatements(dialect, version), Token);
                boundaries.Add(await SchemaCatalogue.ReadAsync(reference.DataSource, dialect, Token));
            }
        }

        // How long the host takes to start and create its store here: an uninterrupted run, stopped as soon as the schema is there.
        // The kills walk the delay after start: later after a kill that left nothing, earlier after one that left the
        // whole schema, a little later after one in between. So a slower or faster machine (the start varies by
        // hundreds of ms under load) still gets its kills around the schema's creation, not before or after it.
        var (first, done) = await TimeToCreateSchemaAsync(provider, dialect);
        var step = TimeSpan.FromMilliseconds(Math.Max(2, (done - first).TotalMilliseconds / 4));
        var delay = first;
        var seen = new SortedDictionary<string, int>(StringComparer.Ordinal);
        var (earliest, latest) = (TimeSpan.MaxValue, TimeSpan.Zero);
        const int Kills = 40;
        for (var kill = 0; kill < Kills; kill++)
        {
            await using var database = await KillDatabase.OpenAsync(provider);
            (earliest, latest) = (delay < earliest ? delay : earliest, delay > latest ? delay : latest);
            using (var child = StartHost(provider, database))
            {
                await Task.Delay(delay, Token);
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync(Token);
            }

            var left = await SchemaCatalogue.ReadAsync(database.DataSource, dialect, Token);
            var boundary = boundaries.FindIndex(b => b.SequenceEqual(left));
            boundary.ShouldBeGreaterThanOrEqualTo(0, $"a kill after {delay.TotalMilliseconds:F0} ms left a state between versions: {string.Join(" | ", left)}");
            var name = boundary switch { 0 => "nothing", 1 => "version table only", _ => $"version {boundary - 1}" };
            seen[name] = seen.GetValueOrDefault(name) + 1;
            delay += boundary == 0 ? step : boundary == boundaries.Count - 1 ? -step : step / 3;
            delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay;

            var store = new PortfolioStore(database.DataSource, dialect);
            await store.CreateSchemaAsync(Token);
            (await SchemaCatalogue.ReadAsync(database.DataSource, dialect, Token)).ShouldBe(boundaries[^1]);
            await ShouldBeCompleteAndWorkAsync(store, database.DataSource, dialect);
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{provider}: schema seen from {first.TotalMilliseconds:F0} to {done.TotalMilliseconds:F0} ms after start; {Kills} kills from {earliest.TotalMilliseconds:F0} to {latest.TotalMilliseconds:F0} ms; states left: {string.Join(", ", seen.Select(p => $"{p.Key} ×{p.Value}"))}");
        seen.Values.Sum().ShouldBe(Kills);
    }

    private static async Task ShouldBeCompleteAndWorkAsync(PortfolioStore store, System.Data.Common.DbDataSource dataSource, SqlDialect dialect)
    {
        (await store.SchemaVersionAsync(Token)).ShouldBe(StoreSchema.CurrentVersion);
        (await SchemaCatalogue.CountAsync(dataSource, $"SELECT COUNT(*) FROM {dialect.QuoteIdentifier(StoreSchema.SchemaVersionTable)}", Token)).ShouldBe(StoreSchema.CurrentVersion);
        var before = await AuditCountAsync(store);
        var item = new PerformanceItem { Id = Guid.NewGuid(), StudentKey = "S000001", Category = "performance-competition", Date = new DateOnly(2024, 11, 15), Summary = "校內科展" };
        await store.AddAsync(item, Student, Token);
        (await store.GetPerformanceAsync(item.Id, Token))!.Summary.ShouldBe("校內科展");
        (await AuditCountAsync(store)).ShouldBe(before + 1);
    }

    private static async Task<int> AuditCountAsync(PortfolioStore store)
    {
        var count = 0;
        await foreach (var entry in store.ReadAuditAsync(Token))
        {
            count++;
        }

        return count;
    }

    // When the host, started at 0, is first seen with its version table and then with its whole schema (polled every 2 ms).
    private static async Task<(TimeSpan First, TimeSpan Done)> TimeToCreateSchemaAsync(string provider, SqlDialect dialect)
    {
        await using var database = await KillDatabase.OpenAsync(provider);
        var clock = Stopwatch.StartNew();
        using var child = StartHost(provider, database);
        var store = new PortfolioStore(database.DataSource, dialect);
        TimeSpan? first = null;
        int version;
        while ((version = await store.SchemaVersionAsync(Token)) < StoreSchema.CurrentVersion)
        {
            first ??= version >= 0 ? clock.Elapsed : null;
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60), "the host did not create its store");
            await Task.Delay(2, Token);
        }

        var done = clock.Elapsed;
        child.Kill(entireProcessTree: true);
        await child.WaitForExitAsync(Token);
        return (first ?? done, done);
    }

    private static Process StartHost(string provider, KillDatabase database)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(RepositoryPaths.Combine("samples", "ModuleCycle", "bin", configuration, "net10.0", "ModuleCycle.dll"));
        foreach (var argument in new[] { "cycle", "--provider", provider == "sqlite" ? "sqlite" : "postgres", "--connection", database.ConnectionString, "--files", database.FilesRoot })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>A new database another process opens by connection string: a SQLite file, or a PostgreSQL schema of its own.</summary>
    private sealed class KillDatabase : IAsyncDisposable
    {
        private readonly Func<ValueTask> _cleanup;

        private KillDatabase(System.Data.Common.DbDataSource dataSource, string connectionString, string filesRoot, Func<ValueTask> cleanup)
        {
            (DataSource, ConnectionString, FilesRoot, _cleanup) = (dataSource, connectionString, filesRoot, cleanup);
        }

        public System.Data.Common.DbDataSource DataSource { get; }

        public string ConnectionString { get; }

        public string FilesRoot { get; }

        public static async Task<KillDatabase> OpenAsync(string provider)
        {
            var files = Directory.CreateDirectory(Path.Combine(Path.GetTempPath(), $"schema-kill-{Guid.NewGuid():N}")).FullName;
            if (provider == "sqlite")
            {
                var connectionString = $"Data Source={Path.Combine(files, "module.db")};Pooling=False";
                var sqlite = SqliteFactory.Instance.CreateDataSource(connectionString);
                return new KillDatabase(sqlite, connectionString, files, () =>
                {
                    sqlite.Dispose();
                    Directory.Delete(files, recursive: true);
                    return ValueTask.CompletedTask;
                });
            }

            var admin = TestDatabase.PostgresConnectionStringOrSkip();
            var schema = $"kill_{Guid.NewGuid():N}";
            await using (var source = NpgsqlDataSource.Create(admin))
            await using (var create = source.CreateCommand($"CREATE SCHEMA {schema}"))
            {
                await create.ExecuteNonQueryAsync();
            }

            var own = new NpgsqlConnectionStringBuilder(admin) { SearchPath = schema }.ConnectionString;
            var postgres = NpgsqlDataSource.Create(own);
            return new KillDatabase(postgres, own, files, async () =>
            {
                await postgres.DisposeAsync();
                await using var source = NpgsqlDataSource.Create(admin);
                await using var drop = source.CreateCommand($"DROP SCHEMA {schema} CASCADE");
                await drop.ExecuteNonQueryAsync();
                Directory.Delete(files, recursive: true);
            });
        }

        public ValueTask DisposeAsync() => _cleanup();
    }
}
