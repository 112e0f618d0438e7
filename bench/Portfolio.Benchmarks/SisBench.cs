using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.Records;

namespace Portfolio.Benchmarks;

/// <summary>
/// Reads one term's grades from a demo SIS in PostgreSQL: through <see cref="SisReader"/> (mapped and checked
/// records) against the floor of the same SQL read with a bare <c>DbDataReader</c> (every value fetched with its typed
/// getter, nothing mapped). Each scenario runs in its own child process; the parent prints the ratio.
/// </summary>
internal static class SisBench
{
    private static readonly SchoolTerm Term = SchoolTerm.Parse("113-1");

    public static async Task<int> RunAsync(string[] args)
    {
        var connectionString = Environment.GetEnvironmentVariable("PORTFOLIO_TEST_PG")
            ?? throw new InvalidOperationException("Set PORTFOLIO_TEST_PG (./build.sh test prints how PostgreSQL is started).");
        if (args is ["--child", var childScenario, var childSchema])
        {
            return await ChildAsync(connectionString, childScenario, childSchema);
        }

        if (args is ["build", .. var buildArgs])
        {
            return await BuildAsync(connectionString, buildArgs);
        }

        if (args is ["cli", .. var cliArgs])
        {
            return await CliAsync(connectionString, cliArgs);
        }

        if (args is ["phases", .. var phaseArgs])
        {
            var schema = string.Create(CultureInfo.InvariantCulture, $"bench_sis_{(phaseArgs.Length > 0 ? int.Parse(phaseArgs[0], CultureInfo.InvariantCulture) : 3_000)}");
            await PrepareAsync(connectionString, schema, phaseArgs.Length > 0 ? int.Parse(phaseArgs[0], CultureInfo.InvariantCulture) : 3_000);
            for (var i = 0; i < 3; i++)
            {
                var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
                if (Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal))
                {
                    start.ArgumentList.Add(typeof(SisBench).Assembly.Location);
                }

                foreach (var argument in new[] { "sis", "--child", "phases", schema })
                {
                    start.ArgumentList.Add(argument);
                }

                using var child = Process.Start(start)!;
                Console.WriteLine(child.StandardOutput.ReadToEnd().Trim());
                child.WaitForExit();
            }

            return 0;
        }

        var sizes = args.Length > 0 ? args.Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [125_000, 500_000];
        Console.WriteLine($"SIS read benchmark: grades of one term from PostgreSQL, {Environment.ProcessorCount} cores, .NET {Environment.Version}, median of 3");
        Console.WriteLine($"{"scenario",-44} {"rows",8} {"cold s",7} {"cold rows/s",12} {"vs floor",9} {"warm s",7} {"warm rows/s",12} {"vs floor",9} {"peak MiB",9}");
        foreach (var rows in sizes)
        {
            // The demo gives each student 11 courses a term (plus a few 補修/重修 rows).
            var students = Math.Max(3, rows / 11);
            var schema = string.Create(CultureInfo.InvariantCulture, $"bench_sis_{students}");
            await PrepareAsync(connectionString, schema, students);
            double? floor = null;
            double? warmFloor = null;
            foreach (var (scenario, label) in new[] { ("raw", "floor: same SQL, typed getters"), ("sdk", "SisReader.ReadGradesAsync (mapped records)") })
            {
                var runs = Enumerable.Range(0, 3).Select(_ => Child(scenario, schema)).OrderBy(r => r.Seconds).ToList();
                var median = runs[1];
                var throughput = median.Rows / median.Seconds;
                var warm = median.Rows / runs.Select(r => r.WarmSeconds).Order().ElementAt(1);
                floor ??= throughput;
                warmFloor ??= warm;
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{label,-44} {median.Rows,8} {median.Seconds,7:F2} {throughput,12:N0} {throughput / floor.Value,9:F2} {median.Rows / warm,7:F2} {warm,12:N0} {warm / warmFloor.Value,9:F2} {median.PeakBytes / 1048576.0,9:F0}"));
            }
        }

        return 0;
    }

    // A school's semester rosters (學生資料, 幹部, 學期成績, 補修重修) from PostgreSQL to files, as `portfolio build`
    // makes them, in a child process per run: the process start-up (runtime start to Main), the first build (cold:
    // JIT, connection pool, code tables), a second build in the same process (warm), and the SIS reads alone.
    //   dotnet run -c Release --project bench/Portfolio.Benchmarks -- sis build [students]   (default 3000)
    private static async Task<int> BuildAsync(string connectionString, string[] args)
    {
        var students = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3_000;
        var schema = string.Create(CultureInfo.InvariantCulture, $"bench_sis_{students}");
        await PrepareAsync(connectionString, schema, students);
        Console.WriteLine($"term rosters from PostgreSQL: {students:N0} students, {Environment.ProcessorCount} cores, .NET {Environment.Version}, median of 3 processes");
        var runs = new List<string[]>();
        for (var i = 0; i < 3; i++)
        {
            var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
            if (Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal))
            {
                start.ArgumentList.Add(typeof(SisBench).Assembly.Location);
            }

            foreach (var argument in new[] { "sis", "--child", "build", schema })
            {
                start.ArgumentList.Add(argument);
            }

            var wall = Stopwatch.StartNew();
            using var child = Process.Start(start)!;
            var line = child.StandardOutput.ReadToEnd().Trim();
            child.WaitForExit();
            runs.Add([.. line.Split(' '), wall.Elapsed.TotalSeconds.ToString("F3", CultureInfo.InvariantCulture)]);
        }

        string Median(int column) => runs.Select(r => double.Parse(r[column], CultureInfo.InvariantCulture)).Order().ElementAt(1).ToString("F2", CultureInfo.InvariantCulture);
        Console.WriteLine($"rows written {runs[0][0]}, left out {runs[0][1]}");
        Console.WriteLine($"start-up (process start to Main) {Median(2)} s; first build {Median(3)} s; second build (warm) {Median(4)} s; SIS reads alone (warm) {Median(5)} s; whole process {Median(6)} s");
        return 0;
    }

    private static async Task<int> BuildChildAsync(NpgsqlDataSource dataSource)
    {
        using var self = Process.GetCurrentProcess();
        var startUp = (DateTime.Now - self.StartTime).TotalSeconds;
        var profile = DemoSis.Profile(SqlDialect.PostgreSql);
        var folder = Directory.CreateTempSubdirectory("bench-build-");
        try
        {
            async Task<(double Seconds, long Rows, long LeftOut)> BuildOnceAsync()
            {
                var watch = Stopwatch.StartNew();
                var builder = new Portfolio.Sdk.Sis.TermRosters.TermRosterBuilder(new SisReader(dataSource, profile)) { DefaultDivision = "1" };
                var results = await builder.WriteTermAsync(book => File.Create(Path.Combine(folder.FullName, book.Id + ".xlsx")), Portfolio.Sdk.Schools.SchoolCode.Parse("060322"), Term);
                return (watch.Elapsed.TotalSeconds, results.Sum(r => (long)r.Rows), results.Sum(r => (long)r.RowsLeftOut));
            }

            var cold = await BuildOnceAsync();
            var warm = await BuildOnceAsync();

            // Each book alone (warm), to see where a build's time goes.
            var school = Portfolio.Sdk.Schools.SchoolCode.Parse("060322");
            var perBook = new List<string>();
            var books = new Portfolio.Sdk.Sis.TermRosters.TermRosterBuilder(new SisReader(dataSource, profile)) { DefaultDivision = "1" };
            foreach (var (id, write) in new (string, Func<Stream, Task<Portfolio.Sdk.Sis.TermRosters.TermRosterResult>>)[]
            {
                ("student", o => books.WriteStudentDataAsync(o, school, Term)), ("cadre", o => books.WriteCadresAsync(o, school, Term)),
                ("grades", o => books.WriteGradesAsync(o, school, Term)), ("retake-grades", o => books.WriteRetakeGradesAsync(o, school, Term)),
            })
            {
                var bookWatch = Stopwatch.StartNew();
                await using (var output = File.Create(Path.Combine(folder.FullName, id + "-alone.xlsx")))
                {
                    await write(output);
                }

                perBook.Add(string.Create(CultureInfo.InvariantCulture, $"{id}={bookWatch.Elapsed.TotalSeconds:F3}"));
            }

            Console.Error.WriteLine(string.Join(' ', perBook));
            var reads = Stopwatch.StartNew();
            var reader = new SisReader(dataSource, profile);
            long read = 0;
            await foreach (var _ in reader.ReadStudentsAsync())
            {
                read++;
            }

            await foreach (var _ in reader.ReadGradesAsync(Term))
            {
                read++;
            }

            await foreach (var _ in reader.ReadCadresAsync(Term))
            {
                read++;
            }

            var readSeconds = reads.Elapsed.TotalSeconds;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{cold.Rows} {cold.LeftOut} {startUp:F3} {cold.Seconds:F3} {warm.Seconds:F3} {readSeconds:F3}"));
            return read > 0 ? 0 : 1;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // `portfolio build` itself, as a school runs it: the Release CLI (build src/Portfolio.Cli first) in a process of its
    // own per run, its whole wall time from process start to exit (runtime start-up, JIT, reads, books), median of 5.
    //   dotnet build src/Portfolio.Cli -c Release && dotnet run -c Release --project bench/Portfolio.Benchmarks -- sis cli [students]
    private static async Task<int> CliAsync(string connectionString, string[] args)
    {
        var students = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3_000;
        var schema = string.Create(CultureInfo.InvariantCulture, $"bench_sis_{students}");
        await PrepareAsync(connectionString, schema, students);
        var root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "Portfolio.Sdk.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("Run from inside the repository.");
        }

        var cli = Path.Combine(root, "src", "Portfolio.Cli", "bin", "Release", "net10.0", "portfolio.dll");
        var profile = Path.Combine(root, "samples", "SisProfiles", "demo-sis.profile.json");
        var connection = new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString;
        var folder = Directory.CreateTempSubdirectory("bench-cli-");
        try
        {
            var seconds = new List<double>();
            string? summary = null;
            for (var i = 0; i < 5; i++)
            {
                var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
                foreach (var argument in new[] { cli, "build", "--profile", profile, "--provider", "postgres", "--connection", connection, "--school", "060322", "--term", "113-1", "--division", "1", "--out", folder.FullName, "--json" })
                {
                    start.ArgumentList.Add(argument);
                }

                var wall = Stopwatch.StartNew();
                using var child = Process.Start(start)!;
                var stderr = child.StandardError.ReadToEndAsync();
                var output = await child.StandardOutput.ReadToEndAsync();
                await child.WaitForExitAsync();
                seconds.Add(wall.Elapsed.TotalSeconds);
                await stderr;
                using var json = System.Text.Json.JsonDocument.Parse(output);
                summary ??= string.Join(", ", json.RootElement.GetProperty("books").EnumerateArray().Select(b => $"{b.GetProperty("id").GetString()} {b.GetProperty("rows").GetInt32():N0}"));
            }

            Console.WriteLine($"portfolio build, {students:N0} students from PostgreSQL, {Environment.ProcessorCount} cores, load {File.ReadAllText("/proc/loadavg").Trim()}");
            Console.WriteLine($"  books: {summary}");
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  whole process: median {seconds.Order().ElementAt(2):F2} s (runs {string.Join(' ', seconds.Select(s => s.ToString("F2", CultureInfo.InvariantCulture)))})"));
            return 0;
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // Where a cold build's time goes, in a fresh process: each phase timed the first time it runs (its JIT included),
    // then a whole build (the phases already warm), then a second build.
    //   dotnet run -c Release --project bench/Portfolio.Benchmarks -- sis phases [students]
    private static async Task<int> PhasesChildAsync(NpgsqlDataSource dataSource)
    {
        var phases = new List<string>();
        var watch = Stopwatch.StartNew();
        void Phase(string name)
        {
            phases.Add(string.Create(CultureInfo.InvariantCulture, $"{name}={watch.Elapsed.TotalSeconds:F3}"));
            watch.Restart();
        }

        _ = Portfolio.Sdk.Rosters.RosterCatalogue.Default;
        Phase("catalogue");
        _ = Portfolio.Sdk.Codes.CodeTableCatalog.Default;
        Phase("code-tables");
        var profile = DemoSis.Profile(SqlDialect.PostgreSql);
        Phase("profile");
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
        }

        Phase("connect");
        var reader = new SisReader(dataSource, profile);
        await foreach (var _ in reader.ReadStudentsAsync())
        {
        }

        Phase("read-students");
        await foreach (var _ in reader.ReadGradesAsync(Term))
        {
        }

        Phase("read-grades");
        await foreach (var _ in reader.ReadCadresAsync(Term))
        {
        }

        Phase("read-cadres");
        await foreach (var _ in reader.ReadStudentTermsAsync(Term))
        {
        }

        Phase("read-placements");
        var folder = Directory.CreateTempSubdirectory("bench-phases-");
        try
        {
            var school = Portfolio.Sdk.Schools.SchoolCode.Parse("060322");
            for (var i = 1; i <= 2; i++)
            {
                var builder = new Portfolio.Sdk.Sis.TermRosters.TermRosterBuilder(new SisReader(dataSource, profile)) { DefaultDivision = "1" };
                await builder.WriteTermAsync(book => File.Create(Path.Combine(folder.FullName, book.Id + ".xlsx")), school, Term);
                Phase(i == 1 ? "build-after-reads" : "build-warm");
            }
        }
        finally
        {
            folder.Delete(recursive: true);
        }

        Console.WriteLine(string.Join(' ', phases));
        return 0;
    }

    private static async Task PrepareAsync(string connectionString, string schema, int students)
    {
        await using var admin = NpgsqlDataSource.Create(connectionString);
        await using (var exists = admin.CreateCommand($"SELECT count(*) FROM information_schema.tables WHERE table_schema = '{schema}' AND table_name = 'score_sem'"))
        {
            if ((long)(await exists.ExecuteScalarAsync())! > 0)
            {
                return;
            }
        }

        await using (var create = admin.CreateCommand($"CREATE SCHEMA IF NOT EXISTS {schema}"))
        {
            await create.ExecuteNonQueryAsync();
        }

        var watch = Stopwatch.StartNew();
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString);
        var counts = await DemoSis.GenerateAsync(dataSource, new DemoSisOptions { Students = students, Term = Term, DirtyRows = false });
        Console.WriteLine($"  (generated {counts.Scores:N0} score rows for {students:N0} students in {watch.Elapsed.TotalSeconds:F0} s into schema {schema})");
    }

    private static (long Rows, double Seconds, long PeakBytes, double WarmSeconds) Child(string scenario, string schema)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { RedirectStandardOutput = true };
        if (Environment.ProcessPath!.EndsWith("dotnet", StringComparison.Ordinal))
        {
            start.ArgumentList.Add(typeof(SisBench).Assembly.Location);
        }

        foreach (var argument in new[] { "sis", "--child", scenario, schema })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start)!;
        var line = child.StandardOutput.ReadToEnd().Trim().Split(' ');
        child.WaitForExit();
        return (long.Parse(line[0], CultureInfo.InvariantCulture), double.Parse(line[1], CultureInfo.InvariantCulture), long.Parse(line[2], CultureInfo.InvariantCulture), double.Parse(line[3], CultureInfo.InvariantCulture));
    }

    private static async Task<int> ChildAsync(string connectionString, string scenario, string schema)
    {
        await using var dataSource = NpgsqlDataSource.Create(new NpgsqlConnectionStringBuilder(connectionString) { SearchPath = schema }.ConnectionString);
        if (scenario == "build")
        {
            return await BuildChildAsync(dataSource);
        }

        if (scenario == "phases")
        {
            return await PhasesChildAsync(dataSource);
        }

        var profile = DemoSis.Profile(SqlDialect.PostgreSql);
        var (rows, cold) = await ReadOnceAsync(dataSource, profile, scenario);
        var (_, warm) = await ReadOnceAsync(dataSource, profile, scenario);
        using var self = Process.GetCurrentProcess();
        self.Refresh();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{rows} {cold:F3} {self.PeakWorkingSet64} {warm:F3}"));
        return 0;
    }

    private static async Task<(long Rows, double Seconds)> ReadOnceAsync(NpgsqlDataSource dataSource, Portfolio.Sdk.Sis.Profiles.SisProfile profile, string scenario)
    {
        var watch = Stopwatch.StartNew();
        long rows = 0;
        if (scenario == "raw")
        {
            var query = SisQuery.Build(profile, SisRecordKind.Grades, Term);
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = query.CommandText;
            foreach (var (name, value) in query.Parameters)
            {
                command.Parameters.Add(new NpgsqlParameter(name, value));
            }

            // A true floor: each column read with its typed getter by ordinal (no boxing GetValue), chosen once from
            // the column's type; the values are summed so that nothing is optimised away.
            await using var reader = await command.ExecuteReaderAsync();
            var width = reader.FieldCount;
            var types = Enumerable.Range(0, width).Select(reader.GetFieldType).ToArray();
            long sink = 0;
            while (await reader.ReadAsync())
            {
                for (var i = 0; i < width; i++)
                {
                    if (reader.IsDBNull(i))
                    {
                        continue;
                    }

                    var type = types[i];
                    sink += type == typeof(string) ? reader.GetString(i).Length
                        : type == typeof(decimal) ? (long)reader.GetDecimal(i)
                        : type == typeof(int) ? reader.GetInt32(i)
                        : type == typeof(long) ? reader.GetInt64(i)
                        : type == typeof(short) ? reader.GetInt16(i)
                        : type == typeof(double) ? (long)reader.GetDouble(i)
                        : type == typeof(DateTime) ? reader.GetDateTime(i).Ticks
                        : reader.GetValue(i).GetHashCode();
                }

                rows++;
            }

            rows += sink == long.MinValue ? 1 : 0;
        }
        else
        {
            await foreach (var row in new SisReader(dataSource, profile).ReadGradesAsync(Term))
            {
                rows += row.IsMapped ? 1 : 0;
            }
        }

        return (rows, watch.Elapsed.TotalSeconds);
    }
}
