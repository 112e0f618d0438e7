using System.Diagnostics;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Scheduling.Tests;

/// <summary>
/// Quartz's tables are applied atomically where the database allows it and completed on every run (issue 16): every
/// prefix of the script left by a crash is completed, a second run changes nothing, concurrent runs end with one
/// schema, and a failure part-way leaves nothing behind on PostgreSQL and SQLite.
/// </summary>
public sealed class QuartzSchemaRepairTests
{
    public static TheoryData<string> Providers() => TestDatabase.Providers();

    public static TheoryData<string> TransactionalProviders() => ["sqlite", "postgresql"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task EveryPrefixOfTheScript_IsCompletedByTheNextApply(string provider)
    {
        IReadOnlyList<string> complete;
        SqlDialect dialect;
        await using (var reference = await TestSisDatabase.OpenAsync(provider))
        {
            dialect = reference.Dialect;
            await QuartzSchema.ApplyAsync(reference.DataSource, dialect, cancellationToken: Token);
            complete = await SchemaCatalogue.ReadAsync(reference.DataSource, dialect, Token);
        }

        var statements = QuartzSchema.Statements(dialect);
        QuartzSchema.Tables(dialect).Count.ShouldBe(15);
        statements.Count.ShouldBeGreaterThanOrEqualTo(15);
        foreach (var table in QuartzSchema.Tables(dialect))
        {
            complete.ShouldContain(l => l.Contains(" " + table + " ", StringComparison.OrdinalIgnoreCase), table);
        }

        for (var prefix = 0; prefix <= statements.Count; prefix++)
        {
            await using var database = await TestSisDatabase.OpenAsync(provider);
            await SchemaCatalogue.ApplyOneByOneAsync(database.DataSource, statements.Take(prefix), Token);
            await QuartzSchema.ApplyAsync(database.DataSource, dialect, cancellationToken: Token);
            (await SchemaCatalogue.ReadAsync(database.DataSource, dialect, Token)).ShouldBe(complete, $"after the first {prefix} of {statements.Count} statements");
        }
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ASecondApply_ChangesNothing_AndKeepsTheRows(string provider)
    {
        await using var database = await TestSisDatabase.OpenAsync(provider);
        await QuartzSchema.ApplyAsync(database.DataSource, database.Dialect, cancellationToken: Token);
        var locks = QuartzSchema.Tables(database.Dialect).Single(t => t.EndsWith("locks", StringComparison.OrdinalIgnoreCase));   // qrtz_LOCKS on MariaDB, where names are case-sensitive
        await SchemaCatalogue.ApplyOneByOneAsync(database.DataSource, [$"INSERT INTO {locks} (sched_name, lock_name) VALUES ('portfolio', 'TRIGGER_ACCESS')"], Token);
        var before = await SchemaCatalogue.ReadAsync(database.DataSource, database.Dialect, Token);

        await QuartzSchema.ApplyAsync(database.DataSource, database.Dialect, cancellationToken: Token);

        (await SchemaCatalogue.ReadAsync(database.DataSource, database.Dialect, Token)).ShouldBe(before);
        (await SchemaCatalogue.CountAsync(database.DataSource, $"SELECT COUNT(*) FROM {locks}", Token)).ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ConcurrentApplies_EndWithOneSchema(string provider)
    {
        IReadOnlyList<string>? complete = null;
        for (var round = 0; round < 3; round++)
        {
            await using var database = await TestSisDatabase.OpenAsync(provider);
            await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => QuartzSchema.ApplyAsync(database.DataSource, database.Dialect, cancellationToken: Token), Token)));
            var catalogue = await SchemaCatalogue.ReadAsync(database.DataSource, database.Dialect, Token);
            catalogue.ShouldBe(complete ?? catalogue);
            complete = catalogue;
        }
    }

    [Theory]
    [MemberData(nameof(TransactionalProviders))]
    public async Task AFailurePartWay_LeavesNothingBehind(string provider)
    {
        await using var database = await TestSisDatabase.OpenAsync(provider);

        // A qrtz_triggers table of someone else's, without Quartz's columns: IF NOT EXISTS keeps it, and the first
        // index on it fails after the job-details table was created in the same transaction.
        await SchemaCatalogue.ApplyOneByOneAsync(database.DataSource, ["CREATE TABLE qrtz_triggers (x INTEGER)"], Token);
        await Should.ThrowAsync<System.Data.Common.DbException>(() => QuartzSchema.ApplyAsync(database.DataSource, database.Dialect, cancellationToken: Token));

        var left = await SchemaCatalogue.ReadAsync(database.DataSource, database.Dialect, Token);
        left.Where(l => l.Contains("qrtz_", StringComparison.OrdinalIgnoreCase) && !l.Contains("qrtz_triggers", StringComparison.OrdinalIgnoreCase)).ShouldBeEmpty();

        // Once the stray table is gone, the next run creates everything.
        await SchemaCatalogue.ApplyOneByOneAsync(database.DataSource, ["DROP TABLE qrtz_triggers"], Token);
        await QuartzSchema.ApplyAsync(database.DataSource, database.Dialect, cancellationToken: Token);
        (await SchemaCatalogue.CountAsync(database.DataSource, "SELECT COUNT(*) FROM qrtz_fired_triggers", Token)).ShouldBe(0);
    }

    /// <summary>
    /// tests/SchemaKillHost applying Quartz's tables is killed at delays walked around the moment it applies them: on
    /// SQLite and PostgreSQL a kill leaves no Quartz table or all of them; on MariaDB some prefix of the script. The next
    /// apply completes the schema.
    /// </summary>
    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AProcessKilledWhileApplying_IsCompletedByTheNextApply(string provider)
    {
        var prefixes = new List<IReadOnlyList<string>>();
        SqlDialect dialect;
        await using (var reference = await TestSisDatabase.OpenAsync(provider))
        {
            dialect = reference.Dialect;
            prefixes.Add(await SchemaCatalogue.ReadAsync(reference.DataSource, dialect, Token));
            foreach (var statement in QuartzSchema.Statements(dialect))
            {
                await SchemaCatalogue.ApplyOneByOneAsync(reference.DataSource, [statement], Token);
                prefixes.Add(await SchemaCatalogue.ReadAsync(reference.DataSource, dialect, Token));
            }
        }

        var allowed = dialect == SqlDialect.MySql ? prefixes : [prefixes[0], prefixes[^1]];
        var seen = new SortedDictionary<int, int>();
        var (delay, step, lastDirection) = (TimeSpan.FromMilliseconds(300), TimeSpan.FromMilliseconds(50), 0);
        const int Kills = 30;
        for (var kill = 0; kill < Kills; kill++)
        {
            await using var database = await TestSisDatabase.OpenAsync(provider);
            using (var child = StartHost(provider, database))
            {
                await Task.Delay(delay, Token);
                child.Kill(entireProcessTree: true);
                await child.WaitForExitAsync(Token);
            }

            var left = await SchemaCatalogue.ReadAsync(database.DataSource, dialect, Token);
            var state = prefixes.FindIndex(p => p.SequenceEqual(left));
            allowed.ShouldContain(p => p.SequenceEqual(left), $"a kill after {delay.TotalMilliseconds:F0} ms left {state} of {prefixes.Count - 1} statements: {string.Join(" | ", left)}");
            seen[state] = seen.GetValueOrDefault(state) + 1;

            await QuartzSchema.ApplyAsync(database.DataSource, dialect, cancellationToken: Token);
            (await SchemaCatalogue.ReadAsync(database.DataSource, dialect, Token)).ShouldBe(prefixes[^1]);

            // Later after a kill that left nothing, earlier after one that left everything (doubling the step on the same
            // side, halving it when crossing), a little later after one in between.
            var direction = state == 0 ? 1 : state == prefixes.Count - 1 ? -1 : 0;
            if (direction == 0)
            {
                delay += TimeSpan.FromMilliseconds(1);
            }
            else
            {
                step = direction == lastDirection ? TimeSpan.FromMilliseconds(Math.Min(step.TotalMilliseconds * 2, 200)) : TimeSpan.FromMilliseconds(Math.Max(step.TotalMilliseconds / 2, 1));
                delay += step * direction;
                lastDirection = direction;
            }

            delay = delay < TimeSpan.Zero ? TimeSpan.Zero : delay;
        }

        TestContext.Current.TestOutputHelper?.WriteLine($"{provider}: {Kills} kills; statements applied when killed (of {prefixes.Count - 1}): {string.Join(", ", seen.Select(p => $"{p.Key} ×{p.Value}"))}");
    }

    private static Process StartHost(string provider, TestSisDatabase database)
    {
        var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Debug{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Debug" : "Release";
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        var connectionString = database.ConnectionString ?? SqliteConnectionString(database);
        foreach (var argument in new[] { RepositoryPaths.Combine("tests", "SchemaKillHost", "bin", configuration, "net10.0", "SchemaKillHost.dll"), "quartz", provider, connectionString })
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

    private static string SqliteConnectionString(TestSisDatabase database)
    {
        using var connection = database.DataSource.CreateConnection();
        return connection.ConnectionString;
    }
}
