using System.Data.Common;
using System.Diagnostics;
using System.Globalization;
using Microsoft.Data.Sqlite;
using Npgsql;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Benchmarks;

/// <summary>
/// The module's views and selections on a 3,000-student school with 60,000 items (40,000 course outcomes, 20,000
/// 多元表現), on SQLite and PostgreSQL: a class's status and the school statistics (median and p95), and a burst of
/// concurrent selections (per second), then a count of cap violations in the database.
/// </summary>
internal static class ModuleBench
{
    private const int Students = 3_000;
    private const int CourseOutcomes = 40_000;
    private const int Performances = 20_000;
    private const int PerTermCap = 3;
    private static readonly SchoolYear Year = new(113);
    private static readonly CourseCode Course = CourseCode.Parse("113060322H1110101010101");
    private static readonly PortfolioActor Staff = new("staff", new HashSet<PortfolioRole> { PortfolioRole.CourseOutcomeSubmitter });

    public static async Task<int> RunAsync(string[] args)
    {
        var providers = args.Length > 0 ? args : ["sqlite", "postgres"];
        Console.WriteLine($"module benchmark: {Students:N0} students, {CourseOutcomes + Performances:N0} items, {Environment.ProcessorCount} cores, .NET {Environment.Version}");
        foreach (var provider in providers)
        {
            var (dataSource, dialect, cleanup) = await OpenAsync(provider);
            try
            {
                var files = Directory.CreateTempSubdirectory("bench-module-files-").FullName;
                var store = new PortfolioStore(dataSource, dialect);
                await store.CreateSchemaAsync();
                var watch = Stopwatch.StartNew();
                await SeedAsync(dataSource, dialect);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{provider}] seeded in {watch.Elapsed.TotalSeconds:F1} s"));
                var module = new PortfolioModule(store, new FileSystemContentStore(files), new PortfolioPolicy(PortfolioPolicy.Default.National, new SchoolPolicy { SelectionCapPerTerm = PerTermCap }), TimeProvider.System);

                var classes = Enumerable.Range(1, 3).SelectMany(g => Enumerable.Range(1, 20).Select(c => string.Create(CultureInfo.InvariantCulture, $"{g}{c:00}"))).ToArray();
                await module.GetClassStatusAsync(Staff, Year, classes[0]);   // warm-up
                var classTimes = new List<double>();
                for (var i = 0; i < 100; i++)
                {
                    var lap = Stopwatch.StartNew();
                    var status = await module.GetClassStatusAsync(Staff, Year, classes[i % classes.Length]);
                    classTimes.Add(lap.Elapsed.TotalMilliseconds);
                    if (status.Value!.Count != 50)
                    {
                        throw new InvalidOperationException($"class {classes[i % classes.Length]} has {status.Value.Count} students");
                    }
                }

                await module.GetSchoolStatisticsAsync(Staff, Year);
                var schoolTimes = new List<double>();
                for (var i = 0; i < 20; i++)
                {
                    var lap = Stopwatch.StartNew();
                    var statistics = (await module.GetSchoolStatisticsAsync(Staff, Year)).Value!;
                    schoolTimes.Add(lap.Elapsed.TotalMilliseconds);
                    if (statistics.Classes.Sum(c => c.Students) != Students)
                    {
                        throw new InvalidOperationException("statistics lost students");
                    }
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{provider}] class status (50 students): median {Percentile(classTimes, 0.5):F1} ms, p95 {Percentile(classTimes, 0.95):F1} ms ({classTimes.Count} runs)"));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"[{provider}] school statistics: median {Percentile(schoolTimes, 0.5):F1} ms, p95 {Percentile(schoolTimes, 0.95):F1} ms ({schoolTimes.Count} runs)"));

                var (attempts, selected, seconds) = await BurstAsync(module, store);
                var violations = await ViolationsAsync(dataSource, dialect);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"[{provider}] selection burst, 16 workers: {attempts} attempts in {seconds:F1} s = {attempts / seconds:F0} attempts/s, {selected} selections written ({selected / seconds:F0}/s); cap violations: {violations}"));
                Directory.Delete(files, recursive: true);
            }
            finally
            {
                await cleanup();
            }
        }

        return 0;
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static async Task<(DbDataSource, SqlDialect, Func<Task>)> OpenAsync(string provider)
    {
        if (provider == "sqlite")
        {
            var path = Path.Combine(Path.GetTempPath(), $"bench-module-{Guid.NewGuid():N}.db");
            var dataSource = SqliteFactory.Instance.CreateDataSource($"Data Source={path}");
            return (dataSource, SqlDialect.Sqlite, () =>
            {
                dataSource.Dispose();
                SqliteConnection.ClearAllPools();
                File.Delete(path);
                return Task.CompletedTask;
            });
        }

        var admin = Environment.GetEnvironmentVariable("PORTFOLIO_TEST_PG") ?? throw new InvalidOperationException("Set PORTFOLIO_TEST_PG.");
        var schema = $"bench_module_{Guid.NewGuid():N}";
        await using (var adminSource = NpgsqlDataSource.Create(admin))
        await using (var create = adminSource.CreateCommand($"CREATE SCHEMA {schema}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var pg = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(admin) { SearchPath = schema, MaxPoolSize = 32 }.ConnectionString);
        return (pg, SqlDialect.PostgreSql, async () =>
        {
            await pg.DisposeAsync();
            await using var adminSource = NpgsqlDataSource.Create(admin);
            await using var drop = adminSource.CreateCommand($"DROP SCHEMA {schema} CASCADE");
            await drop.ExecuteNonQueryAsync();
        });
    }

    private static string StudentKey(int i) => string.Create(CultureInfo.InvariantCulture, $"S{i:0000000}");

    private static string ClassOf(int i) => string.Create(CultureInfo.InvariantCulture, $"{1 + (i / 1000)}{1 + (i % 1000 / 50):00}");

    // The school is written with plain INSERTs in one transaction (setup, not measured): 70% of course outcomes in
    // 113 and 30% in 112; 15% draft, 20% pending, 55% certified, 10% rejected; about half the certified ones of 113
    // selected (at most 3 a term); 10% of 多元表現 school-entered cadre records; about 40% of the others selected (at most 10).
    private static async Task SeedAsync(DbDataSource dataSource, SqlDialect dialect)
    {
        var random = new Random(42);
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        async Task InsertAsync(string table, string[] columns, List<object?[]> rows)
        {
            var batch = dialect == SqlDialect.Sqlite ? 20 : 200;   // SQLite binds parameters by name, slowly in long statements
            for (var start = 0; start < rows.Count; start += batch)
            {
                var chunk = rows.Skip(start).Take(batch).ToList();
                await using var command = connection.CreateCommand();
                command.Transaction = transaction;
                var values = new List<string>();
                var p = 0;
                foreach (var row in chunk)
                {
                    var markers = new List<string>();
                    foreach (var value in row)
                    {
                        var parameter = command.CreateParameter();
                        parameter.ParameterName = dialect.ParameterName(p);
                        parameter.Value = value ?? DBNull.Value;
                        command.Parameters.Add(parameter);
                        markers.Add(dialect.ParameterMarker(p++));
                    }

                    values.Add("(" + string.Join(", ", markers) + ")");
                }

                command.CommandText = $"INSERT INTO {table} ({string.Join(", ", columns)}) VALUES {string.Join(", ", values)}";
                await command.ExecuteNonQueryAsync();
            }
        }

        var outcomes = new List<object?[]>(CourseOutcomes);
        var selectedPerTerm = new Dictionary<(int, int), int>();
        for (var n = 0; n < CourseOutcomes; n++)
        {
            var i = n % Students;
            var year = random.NextDouble() < 0.7 ? 113 : 112;
            var term = 1 + random.Next(2);
            var roll = random.NextDouble();
            var state = roll < 0.15 ? CertificationState.Draft : roll < 0.35 ? CertificationState.Pending : roll < 0.9 ? CertificationState.Certified : CertificationState.Rejected;
            var selected = year == 113 && state == CertificationState.Certified && random.NextDouble() < 0.5 && selectedPerTerm.GetValueOrDefault((i, term)) < PerTermCap;
            if (selected)
            {
                selectedPerTerm[(i, term)] = selectedPerTerm.GetValueOrDefault((i, term)) + 1;
            }

            outcomes.Add([Guid.NewGuid().ToString("D"), StudentKey(i), ClassOf(i), year, term, Course.Value, 0, "簡述", new string('a', 64), (int)state,
                string.Create(CultureInfo.InvariantCulture, $"t{random.Next(100):000}"), null, null, selected ? 113 : null, 0, 1L]);
        }

        await InsertAsync(StoreSchema.CourseOutcomeTable, ["id", "student_key", "class_name", "school_year", "term", "course_code", "kind", "summary", "file_hashes", "state", "certifying_teacher", "proxy_teacher", "certification_note", "selected_for", "is_locked", "version"], outcomes);

        var performances = new List<object?[]>(Performances);
        var selectedPerformances = new Dictionary<int, int>();
        for (var n = 0; n < Performances; n++)
        {
            var i = n % Students;
            var schoolEntered = random.NextDouble() < 0.1;
            var date = random.NextDouble() < 0.75 ? 20241001 + random.Next(25) : 20231015;
            var selected = !schoolEntered && random.NextDouble() < 0.4 && selectedPerformances.GetValueOrDefault(i) < 10;
            if (selected)
            {
                selectedPerformances[i] = selectedPerformances.GetValueOrDefault(i) + 1;
            }

            performances.Add([Guid.NewGuid().ToString("D"), StudentKey(i), ClassOf(i), schoolEntered ? "performance-cadre" : "performance-competition", date,
                schoolEntered ? 1 : 0, selected ? 113 : null, 0, 1L, null, "簡述", new string('b', 64)]);
        }

        await InsertAsync(StoreSchema.PerformanceTable, ["id", "student_key", "class_name", "category", "item_date", "school_entered", "selected_for", "is_locked", "version", "fields_json", "summary", "file_hashes"], performances);
        await InsertAsync(StoreSchema.CreditedCourseTable, ["student_key", "school_year", "term", "course_code", "class_name"],
            [.. Enumerable.Range(0, Students).SelectMany(i => new[] { new object?[] { StudentKey(i), 113, 1, Course.Value, ClassOf(i) }, [StudentKey(i), 113, 2, Course.Value, ClassOf(i)] })]);
        await transaction.CommitAsync();
    }

    // 16 workers, 400 attempts each, over the course outcomes and 多元表現 of 50 students of class 120 (certified and
    // unselected, or not yet selected): every attempt reads the item and selects it through the service.
    private static async Task<(int Attempts, int Selected, double Seconds)> BurstAsync(PortfolioModule module, PortfolioStore store)
    {
        // The seed writes no audit entries: every select entry afterwards is a selection the burst wrote.
        var targets = new List<(string Student, Guid Id, bool IsOutcome)>();
        for (var i = 950; i < 1000; i++)
        {
            var key = StudentKey(i);
            var actor = PortfolioActor.StudentOf("u", key);
            await foreach (var o in module.ListCourseOutcomesAsync(actor, key, Year, CertificationState.Certified))
            {
                targets.Add((key, o.Id, true));
            }

            await foreach (var p in module.ListPerformancesAsync(actor, key, Year))
            {
                targets.Add((key, p.Id, false));
            }
        }

        var attempts = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            for (var n = 0; n < 400; n++)
            {
                var (student, id, isOutcome) = targets[random.Next(targets.Count)];
                var actor = PortfolioActor.StudentOf("u", student);
                _ = isOutcome
                    ? await module.SelectCourseOutcomeAsync(actor, id, (await store.GetAsync(id))!.Version, Year)
                    : (object)await module.SelectPerformanceAsync(actor, id, (await store.GetPerformanceAsync(id))!.Version, Year, Year);
                Interlocked.Increment(ref attempts);
            }
        })));
        var seconds = watch.Elapsed.TotalSeconds;
        var selected = 0;
        await foreach (var entry in store.ReadAuditAsync())
        {
            selected += entry.Action.EndsWith(".select", StringComparison.Ordinal) ? 1 : 0;
        }

        return (attempts, selected, seconds);
    }

    // Students over a cap in the database: course outcomes per year (6) or per term (3), 多元表現 per year (10, cadres not counted).
    private static async Task<int> ViolationsAsync(DbDataSource dataSource, SqlDialect dialect)
    {
        _ = dialect;
        await using var connection = await dataSource.OpenConnectionAsync();
        var total = 0;
        foreach (var sql in new[]
        {
            $"SELECT COUNT(*) FROM (SELECT student_key FROM {StoreSchema.CourseOutcomeTable} WHERE selected_for = 113 GROUP BY student_key HAVING COUNT(*) > 6) v",
            $"SELECT COUNT(*) FROM (SELECT student_key FROM {StoreSchema.CourseOutcomeTable} WHERE selected_for = 113 GROUP BY student_key, term HAVING COUNT(*) > {PerTermCap}) v",
            $"SELECT COUNT(*) FROM (SELECT student_key FROM {StoreSchema.PerformanceTable} WHERE selected_for = 113 AND school_entered = 0 GROUP BY student_key HAVING COUNT(*) > 10) v",
        })
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            total += Convert.ToInt32(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture);
        }

        return total;
    }
}
