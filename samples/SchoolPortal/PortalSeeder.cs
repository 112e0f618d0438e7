using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Microsoft.Data.Sqlite;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Sandbox;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.TermRosters;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.Ledger;

namespace SchoolPortal;

/// <summary>What the first start left in the data folder (<c>seeded.json</c>): the term the portal runs in.</summary>
/// <param name="Term">The term, e.g. <c>115-1</c>.</param>
/// <param name="Students">The number of demo SIS students.</param>
internal sealed record PortalSeed(string Term, int Students);

/// <summary>
/// Seeds the portal on its first start and opens it on every start: the demo SIS (SQLite), the module's store (created
/// or migrated, idempotent), each student's credited courses, and this term's 學生資料 and 學生成績 rosters submitted to an
/// in-process sandbox so that each student has a 收訖明細 to confirm or dispute. A second start finds <c>seeded.json</c>
/// and only reopens what is there; a start interrupted before that file was written redoes every step, each idempotent.
/// </summary>
internal static partial class PortalSeeder
{
    public static readonly SchoolCode School = SchoolCode.Parse("060322");

    public static async Task<DemoSchool> SeedAsync(IServiceProvider services, PortalOptions options, ILogger logger, CancellationToken cancellationToken)
    {
        var folder = Directory.CreateDirectory(options.DataFolder).FullName;
        var marker = Path.Combine(folder, "seeded.json");
        var clock = services.GetRequiredService<TimeProvider>();
        var seed = File.Exists(marker) ? JsonSerializer.Deserialize<PortalSeed>(await File.ReadAllTextAsync(marker, cancellationToken).ConfigureAwait(false)) : null;
        var term = seed is null ? new SchoolCalendar(clock).CurrentTerm : SchoolTerm.Parse(seed.Term);
        if (term.Term == Term.WholeYear)
        {
            term = new SchoolTerm(term.Year, Term.First);
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var module = services.GetRequiredService<PortfolioModule>();
        await module.Store.CreateSchemaAsync(cancellationToken).ConfigureAwait(false);
        var receipts = services.GetRequiredService<PortalReceipts>();
        await receipts.Ledger.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);

        var sis = SqliteFactory.Instance.CreateDataSource(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "demo-sis.db"), Pooling = false }.ToString());
        await using (sis.ConfigureAwait(false))
        {
            if (seed is null)
            {
                await DemoSis.GenerateAsync(sis, new DemoSisOptions { Students = options.Students, Term = term, School = School }, cancellationToken).ConfigureAwait(false);
            }

            var sisTime = watch.Elapsed;
            var reader = new SisReader(sis, DemoSis.Profile(SqlDialect.Sqlite));
            var school = await DemoSchool.LoadAsync(reader, term, cancellationToken).ConfigureAwait(false);
            foreach (var (source, c) in school.Account.Counts)
            {
                LogAccount(logger, source, c.Read, c.Used, c.LeftOut);
            }

            if (seed is null)
            {
                foreach (var student in school.Students.Values)
                {
                    foreach (var byTerm in student.Courses.Where(c => c.Credited).GroupBy(c => c.Term))
                    {
                        await module.Store.RecordCreditedCoursesAsync(student.StudentNumber, student.ClassName, byTerm.Key, byTerm.Select(c => c.Code), cancellationToken).ConfigureAwait(false);
                    }
                }

                var creditedTime = watch.Elapsed;
                await SubmitRostersAsync(reader, receipts, folder, term, cancellationToken).ConfigureAwait(false);
                await File.WriteAllTextAsync(marker, JsonSerializer.Serialize(new PortalSeed(term.ToString(), options.Students)), cancellationToken).ConfigureAwait(false);
                LogSeeded(logger, term, school.Students.Count, sisTime.TotalSeconds, (creditedTime - sisTime).TotalSeconds, (watch.Elapsed - creditedTime).TotalSeconds);
            }

            return school;
        }
    }

    // This term's 學生資料 and 學生成績 rosters go to a sandbox central database started for the purpose; its 收訖明細
    // opens each student's confirmation window. Run again, the ledger already holds them and nothing is sent twice.
    private static async Task SubmitRostersAsync(SisReader reader, PortalReceipts receipts, string folder, SchoolTerm term, CancellationToken cancellationToken)
    {
        await using var sandbox = await SandboxServer.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var gatewayServices = new ServiceCollection();
        gatewayServices.AddPortfolioGateway(o => o.BaseAddress = sandbox.BaseAddress);
        await using var provider = gatewayServices.BuildServiceProvider();
        var service = receipts.CreateService(provider.GetRequiredService<ICentralGateway>());
        await service.ResumeAsync(School.Value, cancellationToken).ConfigureAwait(false);
        var builder = new TermRosterBuilder(reader) { DefaultDivision = "1" };
        var books = new (string Book, Func<Stream, Task<TermRosterResult>> Write)[]
        {
            ("student", s => builder.WriteStudentDataAsync(s, School, term, cancellationToken)),
            ("grades", s => builder.WriteGradesAsync(s, School, term, cancellationToken)),
        };
        foreach (var (book, write) in books)
        {
            var path = Path.Combine(folder, string.Create(CultureInfo.InvariantCulture, $"{School.Value}_{term}_{book}.xlsx"));
            await using (var file = File.Create(path))
            {
                await write(file).ConfigureAwait(false);
            }

            await using var content = File.OpenRead(path);
            await service.SubmitAsync(new SubmissionIdentity(School, book, term), content, cancellationToken).ConfigureAwait(false);
        }

        await service.CollectReceiptsAsync(School.Value, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "demo SIS {Source}: {Read} rows read, {Used} used, {LeftOut} left out")]
    private static partial void LogAccount(ILogger logger, string source, int read, int used, int leftOut);

    [LoggerMessage(Level = LogLevel.Information, Message = "portal seeded for {Term}: {Students} students (demo SIS {SisSeconds:F1} s, school and credited courses {CreditedSeconds:F1} s, rosters and receipts {RostersSeconds:F1} s)")]
    private static partial void LogSeeded(ILogger logger, SchoolTerm term, int students, double sisSeconds, double creditedSeconds, double rostersSeconds);
}
