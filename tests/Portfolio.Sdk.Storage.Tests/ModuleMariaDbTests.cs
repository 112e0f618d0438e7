using System.Globalization;
using MySqlConnector;
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
/// The module on MariaDB/MySQL (the dialect's SQL run live, not only as text), when <c>PORTFOLIO_TEST_MYSQL</c> names a
/// server (a user that may create databases named <c>portfolio_…</c>, as scripts/mariadb.sh sets up); skipped otherwise.
/// </summary>
public sealed class ModuleMariaDbTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    internal static async Task<(PortfolioModule Module, MySqlDataSource DataSource, Func<Task> Cleanup)> OpenAsync(PortfolioPolicy policy)
    {
        // In CI a missing server fails the run (scripts/mariadb.sh starts one); the user may create portfolio_* databases.
        var server = TestDatabase.MySqlConnectionStringOrSkip();
        var name = $"portfolio_module_{Guid.NewGuid():N}";
        await using (var admin = new MySqlConnection(server))
        {
            await admin.OpenAsync(Token);
            await using var create = new MySqlCommand($"CREATE DATABASE {name} CHARACTER SET utf8mb4", admin);
            await create.ExecuteNonQueryAsync(Token);
        }

        // GuidFormat=None: the store keeps ids as CHAR(36) text and reads them as text.
        var dataSource = new MySqlDataSource(new MySqlConnectionStringBuilder(server) { Database = name, GuidFormat = MySqlGuidFormat.None }.ConnectionString);
        var clock = new FakeTimeProvider(Now);
        var files = Path.Combine(Path.GetTempPath(), $"module-mysql-{Guid.NewGuid():N}");
        var store = new PortfolioStore(dataSource, SqlDialect.MySql, clock);
        await store.CreateSchemaAsync(Token);
        return (new PortfolioModule(store, new FileSystemContentStore(files), policy, clock), dataSource, async () =>
        {
            await dataSource.DisposeAsync();
            await using var admin = new MySqlConnection(server);
            await admin.OpenAsync();
            await using var drop = new MySqlCommand($"DROP DATABASE {name}", admin);
            await drop.ExecuteNonQueryAsync();
            Directory.Delete(files, recursive: true);
        });
    }

    [Fact]
    public async Task MariaDb_SchemaTwice_CycleAndSixteenConcurrentSelectors_HoldEveryCap()
    {
        var (module, dataSource, cleanup) = await OpenAsync(new PortfolioPolicy(PortfolioPolicy.Default.National, new SchoolPolicy { SelectionCapPerTerm = 3 }));
        try
        {
            await module.Store.CreateSchemaAsync(Token);
            (await module.Store.SchemaVersionAsync(Token)).ShouldBe(StoreSchema.CurrentVersion);

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

            await Task.WhenAll(Enumerable.Range(0, 16).Select(w => Task.Run(async () =>
            {
                var random = new Random(w);
                foreach (var (id, isOutcome) in outcomes.Select(o => (o, true)).Concat(performances.Select(p => (p, false))).OrderBy(_ => random.Next()).ToList())
                {
                    var problem = isOutcome
                        ? (await module.SelectCourseOutcomeAsync(Student, id, (await module.Store.GetAsync(id, Token))!.Version, Year, Token)).Problem
                        : (await module.SelectPerformanceAsync(Student, id, (await module.Store.GetPerformanceAsync(id, Token))!.Version, Year, Year, Token)).Problem;
                    problem?.Code.ShouldBeOneOf(Portfolio.Sdk.Diagnostics.DiagnosticCodes.SelectionCap, Portfolio.Sdk.Diagnostics.DiagnosticCodes.VersionConflict);
                }
            }, Token)));

            await using var connection = await dataSource.OpenConnectionAsync(Token);
            async Task<int> Count(string sql)
            {
                await using var command = new MySqlCommand(sql, connection);
                return Convert.ToInt32(await command.ExecuteScalarAsync(Token), CultureInfo.InvariantCulture);
            }

            (await Count($"SELECT COUNT(*) FROM {StoreSchema.CourseOutcomeTable} WHERE selected_for = 113 AND term = 1")).ShouldBe(3);
            (await Count($"SELECT COUNT(*) FROM {StoreSchema.CourseOutcomeTable} WHERE selected_for = 113 AND term = 2")).ShouldBe(3);
            (await Count($"SELECT COUNT(*) FROM {StoreSchema.PerformanceTable} WHERE selected_for = 113")).ShouldBe(10);
            var audit = new List<AuditEntry>();
            await foreach (var entry in module.Store.ReadAuditAsync(Token))
            {
                audit.Add(entry);
            }

            AuditTrail.Verify(audit).ShouldBeEmpty();
            audit.Count(a => a.Action.EndsWith(".select", StringComparison.Ordinal)).ShouldBe(16);
            var statistics = (await module.GetSchoolStatisticsAsync(CourseStaff, Year, Token)).Value!;
            statistics.Classes.Single().ShouldBe(new PortfolioStatistics(StatisticsGroup.Class, "101", 1, 1, 1, 10, 10, 10, 6));
        }
        finally
        {
            await cleanup();
        }
    }
}
