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

    public static TheoryData<string> KillProviders() => TestDatabase.Providers();

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
    /// A host creating its store is killed at delays stepped through its start: samples/ModuleCycle on SQLite and
    /// PostgreSQL, tests/SchemaKillHost on MariaDB (ModuleCycle has no MariaDB provider). A kill leaves a version boundary
    /// where each migration is one transaction (SQLite, PostgreSQL), and some prefix of the script on MariaDB; the
    /// next start completes the schema and the store works.
    /// </summary>
    [Theory]
    [MemberData(nameof(KillProviders))]
    public async Task AHostKilledWhileCreatingItsStore_IsCompletedByTheNextStart(string provider)
    {
        var dialect = provider switch { "sqlite" => SqlDialect.Sqlite, "mariadb" => SqlDialect.MySql, _ => SqlDialect.PostgreSql };

        // The catalogue after each prefix of the script (which a database without transactional DDL may be left with),
        // and the version boundaries among them: nothing, the version table alone, then each version complete.
        var statements = StoreSchema.CreateStatements(dialect);
        var prefixes = new List<IReadOnlyList<string>>();
        await using (var reference = await KillDatabase.OpenAsync(provider))
        {
            prefixes.Add(await SchemaCatalogue.ReadAsync(reference.DataSource, dialect, Token));
            foreach (var statement in statements)
            {
                await SchemaCatalogue.ApplyOneByOneAsync(reference.DataSource, [statement], Token);
                prefixes.Add(await SchemaCatalogue.ReadAsync(reference.DataSource, dialect, Token));
            }
        }

        var boundaryIndexes = new List<int> { 0, 1 };
        for (var version = 1; version <= StoreSchema.CurrentVersion; version++)
        {
            boundaryIndexes.Add(boundaryIndexes[^1] + StoreSchema.MigrationStatements(dialect, version).Count + 1);
        }

        boundaryIndexes[^1].ShouldBe(statements.Count);
        var boundaries = boundaryIndexes.Select(i => prefixes[i]).ToList();
        var allowed = dialect == SqlDialect.MySql ? prefixes : boundaries;

        // The kills walk the delay after start: later after a kill that left nothing, earlier after one that left the
        // whole schema (doubling the step while on the same side, halving it when crossing), a little later after one
        // in between. So a slower or faster machine (the start varies by
        // hundreds of ms under load) still gets its kills around the schema's creation, not before or after it.
        var (first, done) = await TimeToCreateSchemaAsync(provider, dialect);
        var step = TimeSpan.FromMilliseconds(Math.Max(4, (done - first).TotalMilliseconds / 2));
        var lastDirection = 0;
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
            var state = allowed.FindIndex(b => b.SequenceEqual(left));
            state.ShouldBeGreaterThanOrEqualTo(0, $"a kill after {delay.TotalMilliseconds:F0} ms left a state {(dialect == SqlDialect.MySql ? "that no prefix of the script makes" : "between versions")}: {string.Join(" | ", left)}");
            var boundary = boundaries.FindIndex(b => b.SequenceEqual(left));
            var name = boundary switch
            {
                0 => "nothing",
                1 => "version table only",
                > 1 => $"version {boundary - 1}",
                _ => $"{prefixes.FindIndex(b => b.SequenceEqual(left))} of {statements.Count} statements",
            };
            seen[name] = seen.GetValueOrDefault(name) + 1;
            var direction = boundary == 0 ? 1 : boundary == boundaries.Count - 1 ? -1 : 0;
            if (direction == 0)
            {
                delay += TimeSpan.FromMilliseconds(1);   // inside the creation: look a little later
            }
            else
            {
                // The same side again: the window is further away, so take longer steps; the other side: halve them.
                step = direction == lastDirection ? TimeSpan.FromMilliseconds(Math.Min(step.TotalMilliseconds * 2, 200)) : TimeSpan.FromMilliseconds(Math.Max(step.TotalMilliseconds / 2, 1));
                delay += step * direction;
                lastDirection = direction;
            }

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
        string[] arguments = provider == "mariadb"
            ? [RepositoryPaths.Combine("tests", "SchemaKillHost", "bin", configuration, "net10.0", "SchemaKillHost.dll"), "store", "mariadb", database.ConnectionString]
            : [RepositoryPaths.Combine("samples", "ModuleCycle", "bin", configuration, "net10.0", "ModuleCycle.dll"), "cycle", "--provider", provider == "sqlite" ? "sqlite" : "postgres", "--connection", database.ConnectionString, "--files", database.FilesRoot];
        foreach (var argument in arguments)
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

    /// <summary>A new database another process opens by connection string: a SQLite file, a PostgreSQL schema or a MariaDB database of its own.</summary>
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

            if (provider == "mariadb")
            {
                var mariadb = await TestSisDatabase.MySqlAsync();
                return new KillDatabase(mariadb.DataSource, mariadb.ConnectionString!, files, async () =>
                {
                    await mariadb.DisposeAsync();
                    Directory.Delete(files, recursive: true);
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
