using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.TermRosters;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Sis.Tests;

/// <summary>The SIS adapter in a host: options from configuration, keyed data sources, telemetry and redacted logs.</summary>
[Collection(SisTelemetryTests.Name)]
public sealed class SisHostingTests
{
    private static readonly SchoolTerm Term = SchoolTerm.Parse("113-1");

    // Seeded students the SIS leaves out (bad check digit; no birth date): their IDs and names must never reach a log.
    private static readonly (string Id, string Name, string Birth)[] Seeded =
    [
        ("A123456788", "陳美玲", "2008-05-01"),
        ("F234567890", "林志明", ""),
    ];

    private static async Task<string> DemoSisFileAsync(CancellationToken ct)
    {
        var path = Path.Combine(Path.GetTempPath(), $"sis-host-{Guid.NewGuid():N}.db");
        await using var dataSource = SqliteFactory.Instance.CreateDataSource($"Data Source={path};Pooling=False");
        await DemoSis.GenerateAsync(dataSource, new DemoSisOptions { Students = 30, Term = Term }, ct);
        foreach (var (s, i) in Seeded.Select((s, i) => (s, i)))
        {
            await using var insert = dataSource.CreateCommand("INSERT INTO stud_base (stud_no, id_no, stud_name, birthday, sex, entry_sy) VALUES ($no, $id, $name, $birth, 'F', 113)");
            insert.Parameters.Add(new SqliteParameter("$no", $"X{i:0000}"));
            insert.Parameters.Add(new SqliteParameter("$id", s.Id));
            insert.Parameters.Add(new SqliteParameter("$name", s.Name));
            insert.Parameters.Add(new SqliteParameter("$birth", s.Birth));
            await insert.ExecuteNonQueryAsync(ct);
        }

        return path;
    }

    private static async Task<List<(string Id, string Name)>> AllStudentsAsync(string path, CancellationToken ct)
    {
        await using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        await connection.OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT id_no, stud_name FROM stud_base";
        await using var reader = await command.ExecuteReaderAsync(ct);
        var students = new List<(string, string)>();
        while (await reader.ReadAsync(ct))
        {
            students.Add((reader.IsDBNull(0) ? string.Empty : reader.GetString(0), reader.IsDBNull(1) ? string.Empty : reader.GetString(1)));
        }

        return students;
    }

    private static IConfiguration Configuration(params (string Key, string Value)[] values) =>
        new ConfigurationBuilder().AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value))).Build();

    private static string ProfileFile()
    {
        var path = Path.Combine(RepositoryPaths.Root, "samples", "SisProfiles", "demo-sis.profile.json");
        File.Exists(path).ShouldBeTrue(path);
        return path;
    }

    [Fact]
    public void Defaults_ArePinned()
    {
        var options = new PortfolioSisOptions();

        PortfolioSisOptions.SectionName.ShouldBe("Portfolio:Sis");
        (options.ProfileFile, options.Profile, options.DataSourceKey, options.School, options.DefaultDivision).ShouldBe((null, null, null, null, null));
        SisTelemetry.Name.ShouldBe("Portfolio.Sdk.Sis");
        PortfolioTelemetry.Name.ShouldBe("Portfolio.Sdk");
    }

    [Fact]
    public async Task SisFromConfiguration_ReadsTheKeyedDataSource_NotTheOtherOne()
    {
        var ct = TestContext.Current.CancellationToken;
        var sis = await DemoSisFileAsync(ct);
        var other = Path.Combine(Path.GetTempPath(), $"other-{Guid.NewGuid():N}.db");
        try
        {
            var configuration = Configuration(
                ("Portfolio:Sis:ProfileFile", ProfileFile()),
                ("Portfolio:Sis:DataSourceKey", "sis"),
                ("Portfolio:Sis:School", "060322"),
                ("Portfolio:Sis:DefaultDivision", "1"));
            var services = new ServiceCollection();
            services.AddKeyedSingleton<DbDataSource>("sis", SqliteFactory.Instance.CreateDataSource($"Data Source={sis};Pooling=False"));
            services.AddKeyedSingleton<DbDataSource>("portfolio", SqliteFactory.Instance.CreateDataSource($"Data Source={other};Pooling=False"));
            services.AddPortfolioSis(configuration.GetSection(PortfolioSisOptions.SectionName));
            await using var provider = services.BuildServiceProvider();
            provider.GetRequiredService<IStartupValidator>().Validate();

            var reader = provider.GetRequiredService<SisReader>();
            reader.School.ShouldBe(SchoolCode.Parse("060322"));
            var students = 0;
            await foreach (var row in reader.ReadStudentsAsync(ct))
            {
                students++;
            }

            students.ShouldBe(30 + Seeded.Length);
            provider.GetRequiredService<TermRosterBuilder>().DefaultDivision.ShouldBe("1");
            new FileInfo(other).Exists.ShouldBeFalse();   // the host's other data source was never opened
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(sis);
            File.Delete(other);
        }
    }

    [Fact]
    public async Task AddPortfolioSisWithKey_UsesThatKey_AndTwoUnkeyedDataSourcesAreRefused()
    {
        var ct = TestContext.Current.CancellationToken;
        var sis = await DemoSisFileAsync(ct);
        try
        {
            var services = new ServiceCollection();
            services.AddKeyedSingleton<DbDataSource>("erp", SqliteFactory.Instance.CreateDataSource("Data Source=:memory:"));
            services.AddKeyedSingleton<DbDataSource>("school-sis", SqliteFactory.Instance.CreateDataSource($"Data Source={sis};Pooling=False"));
            services.AddPortfolioSis("school-sis", o => o.Profile = DemoSis.Profile(SqlDialect.Sqlite));
            await using (var provider = services.BuildServiceProvider())
            {
                provider.GetRequiredService<IStartupValidator>().Validate();
                var mapped = 0;
                await foreach (var row in provider.GetRequiredService<SisReader>().ReadStudentsAsync(ct))
                {
                    mapped += row.IsMapped ? 1 : 0;
                }

                mapped.ShouldBeGreaterThan(20);
            }

            var two = new ServiceCollection();
            two.AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource("Data Source=:memory:"));
            two.AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource($"Data Source={sis};Pooling=False"));
            two.AddPortfolioSis(o => o.Profile = DemoSis.Profile(SqlDialect.Sqlite));
            await using var ambiguous = two.BuildServiceProvider();
            Should.Throw<InvalidOperationException>(() => ambiguous.GetRequiredService<SisReader>()).Message.ShouldContain("DataSourceKey");

            var missing = new ServiceCollection();
            missing.AddKeyedSingleton<DbDataSource>("erp", SqliteFactory.Instance.CreateDataSource("Data Source=:memory:"));
            missing.AddPortfolioSis("sis", o => o.Profile = DemoSis.Profile(SqlDialect.Sqlite));
            await using var wrongKey = missing.BuildServiceProvider();
            Should.Throw<InvalidOperationException>(() => wrongKey.GetRequiredService<SisReader>()).Message.ShouldContain("'sis'");
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(sis);
        }
    }

    [Fact]
    public void InvalidSisConfiguration_StopsTheStartWithEveryProblem()
    {
        var bad = Path.Combine(Path.GetTempPath(), $"profile-{Guid.NewGuid():N}.json");
        File.WriteAllText(bad, """{ "name": "x", "dialect": "db2", "records": {} }""");
        try
        {
            var services = new ServiceCollection();
            services.AddPortfolioSis(Configuration(("ProfileFile", bad), ("School", "12")));
            using var provider = services.BuildServiceProvider();
            var ex = Should.Throw<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
            ex.Failures.ShouldContain(f => f.StartsWith("PF", StringComparison.Ordinal) && f.Contains("db2", StringComparison.Ordinal));
            ex.Failures.ShouldContain(f => f.Contains("School '12'", StringComparison.Ordinal));

            using var none = new ServiceCollection().AddPortfolioSis(Configuration()).BuildServiceProvider();
            Should.Throw<OptionsValidationException>(() => none.GetRequiredService<IStartupValidator>().Validate()).Message.ShouldContain("mapping profile is required");
        }
        finally
        {
            File.Delete(bad);
        }
    }

    [Fact]
    public async Task LeftOutStudents_AreLoggedThroughTheRedactor_NoSeededIdOrNameInAnyRecord()
    {
        var ct = TestContext.Current.CancellationToken;
        var sis = await DemoSisFileAsync(ct);
        try
        {
            var services = new ServiceCollection();
            services.AddFakeLogging();
            services.AddPortfolioRedaction();
            services.AddSingleton<DbDataSource>(SqliteFactory.Instance.CreateDataSource($"Data Source={sis};Pooling=False"));
            services.AddPortfolioSis(o => { o.Profile = DemoSis.Profile(SqlDialect.Sqlite); o.DefaultDivision = "1"; });
            await using var provider = services.BuildServiceProvider();

            using (var output = new MemoryStream())
            {
                var result = await provider.GetRequiredService<TermRosterBuilder>().WriteStudentDataAsync(output, SchoolCode.Parse("060322"), Term, ct);
                result.Diagnostics.ShouldNotBeEmpty();
            }

            var records = provider.GetFakeLogCollector().GetSnapshot();
            var leftOut = records.Where(r => r.Id.Id == 2101).ToList();
            leftOut.Count.ShouldBeGreaterThanOrEqualTo(Seeded.Length);
            leftOut.ShouldContain(r => r.Message.Contains("A12****788", StringComparison.Ordinal) && r.Message.Contains("陳○玲", StringComparison.Ordinal));
            leftOut.ShouldContain(r => r.Message.Contains("F23****890", StringComparison.Ordinal) && r.Message.Contains("林○明", StringComparison.Ordinal));

            var secrets = (await AllStudentsAsync(sis, ct)).SelectMany(s => new[] { s.Id, s.Name }).Where(v => v.Length >= 2).ToList();
            secrets.Count.ShouldBeGreaterThan(60);
            foreach (var record in records)
            {
                var text = string.Join("\n", new[] { record.Message, record.Exception?.ToString() ?? string.Empty }
                    .Concat(record.StructuredState?.Select(kv => kv.Key + "=" + kv.Value) ?? []));
                foreach (var secret in secrets)
                {
                    text.ShouldNotContain(secret, Case.Sensitive, $"log record {record.Id} shows a seeded ID or name");
                }
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(sis);
        }
    }

    [Fact]
    public async Task ReadFailure_IsAPortfolioExceptionWithItsCode_AndTheDriversEchoOfAnIdIsMasked()
    {
        var ct = TestContext.Current.CancellationToken;
        var profile = new Portfolio.Sdk.Sis.Profiles.SisProfileBuilder("broken", SqlDialect.Sqlite)
            .MapTable(Portfolio.Sdk.Sis.Records.SisRecordKind.Students, "A123456789", new Dictionary<string, string>
            {
                ["studentNumber"] = "stud_no", ["nationalId"] = "id_no", ["birthDate"] = "birthday", ["name"] = "stud_name",
            }).Build().Value.ShouldNotBeNull();
        await using var dataSource = SqliteFactory.Instance.CreateDataSource("Data Source=:memory:");

        var ex = await Should.ThrowAsync<PortfolioException>(async () =>
        {
            await foreach (var row in new SisReader(dataSource, profile).ReadStudentsAsync(ct))
            {
            }
        });

        ex.Diagnostic.ShouldNotBeNull().Code.ShouldBe("PF2104");
        ex.Message.ShouldContain("A12****789");                  // SQLite says "no such table: A123456789"
        (ex.Message + ex.Diagnostic.Message + ex.Diagnostic.MessageEnglish).ShouldNotContain("A123456789");
        ex.InnerException.ShouldBeAssignableTo<DbException>();
    }

    [Fact]
    public async Task SisReadsAndRosterBuilds_AreMeasuredAndTraced_WithoutIdsOrNames()
    {
        var ct = TestContext.Current.CancellationToken;
        var sis = await DemoSisFileAsync(ct);
        var measurements = new List<(string Name, long Value, Dictionary<string, object?> Tags)>();
        using var meters = new MeterListener();
        meters.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name is SisTelemetry.Name or PortfolioTelemetry.Name)
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
            ShouldListenTo = s => s.Name is SisTelemetry.Name or PortfolioTelemetry.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = a => { lock (activities) { activities.Add(a); } },
        };
        ActivitySource.AddActivityListener(tracing);
        try
        {
            await using var dataSource = SqliteFactory.Instance.CreateDataSource($"Data Source={sis};Pooling=False");
            var reader = new SisReader(dataSource, DemoSis.Profile(SqlDialect.Sqlite));
            long used = 0, leftOut = 0;
            await foreach (var row in reader.ReadStudentsAsync(ct))
            {
                (row.IsMapped ? ref used : ref leftOut)++;
            }

            TermRosterResult built;
            using (var output = new MemoryStream())
            {
                built = await new TermRosterBuilder(reader) { DefaultDivision = "1" }.WriteGradesAsync(output, SchoolCode.Parse("060322"), Term, ct);
                output.Position = 0;
                new Portfolio.Sdk.Rosters.RosterWorkbookValidator().Validate(output, "grades.xlsx", ct).HasErrors.ShouldBeFalse();
            }

            meters.RecordObservableInstruments();
            lock (measurements)
            {
                long Sum(string name, string kind, string outcome) => measurements
                    .Where(m => m.Name == name && (string?)m.Tags.GetValueOrDefault(SisTelemetry.RecordKindTag) == kind && (string?)m.Tags[PortfolioTelemetry.OutcomeTag] == outcome)
                    .Sum(m => m.Value);

                // Two student reads (ours, then the builder's keys) and one grades read.
                Sum("portfolio.sis.rows", "students", "used").ShouldBe(2 * used);
                Sum("portfolio.sis.rows", "students", "left_out").ShouldBe(2 * leftOut);
                leftOut.ShouldBeGreaterThanOrEqualTo(Seeded.Length);
                measurements.ShouldContain(m => m.Name == "portfolio.sis.diagnostics" && (string?)m.Tags[PortfolioTelemetry.DiagnosticCodeTag] == "PF0106" && (string?)m.Tags[PortfolioTelemetry.DiagnosticSeverityTag] == "error");
                measurements.Where(m => m.Name == "portfolio.sis.roster.rows" && (string?)m.Tags[PortfolioTelemetry.OutcomeTag] == "written").Sum(m => m.Value).ShouldBe(built.Rows);
                measurements.Where(m => m.Name == "portfolio.sis.roster.rows" && (string?)m.Tags[PortfolioTelemetry.OutcomeTag] == "left_out").Sum(m => m.Value).ShouldBe(built.RowsLeftOut);
                measurements.Where(m => m.Name == "portfolio.roster.rows" && (string?)m.Tags[PortfolioTelemetry.RosterBookTag] == "grades").Sum(m => m.Value).ShouldBe(built.Rows);
                measurements.ShouldContain(m => m.Name == "portfolio.roster.validations" && (string?)m.Tags[PortfolioTelemetry.OutcomeTag] == "valid");
            }

            var secrets = (await AllStudentsAsync(sis, ct)).SelectMany(s => new[] { s.Id, s.Name }).Where(v => v.Length >= 2).ToHashSet(StringComparer.Ordinal);
            lock (activities)
            {
                activities.Select(a => a.OperationName).ShouldContain("sis.read");
                activities.Select(a => a.OperationName).ShouldContain("sis.roster.build");
                activities.Select(a => a.OperationName).ShouldContain("roster.validate");
                activities.SelectMany(a => a.TagObjects).ShouldAllBe(t => !(t.Value is string && secrets.Contains((string)t.Value!)));
            }

            lock (measurements)
            {
                measurements.SelectMany(m => m.Tags.Values).ShouldAllBe(v => !(v is string && secrets.Contains((string)v!)));
            }
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            File.Delete(sis);
        }
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SisTelemetryTests
{
    public const string Name = "sis-telemetry";
}
