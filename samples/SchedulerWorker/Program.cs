// Scheduler worker: a generic host that runs the portfolio's Quartz jobs for several schools.
//   dotnet run --project samples/SchedulerWorker                       one machine: jobs in memory, an in-process sandbox,
//                                                                       this school year scheduled from a built-in policy
//   dotnet run --project samples/SchedulerWorker -- --store "Host=…" --gateway http://…/ --schedule false
//                                                                       one node of a cluster on PostgreSQL (apply
//                                                                       QuartzSchema first); run several
//   … --store "Server=…" --store-provider mysql                         the same on MySQL or MariaDB (MySqlConnector)
// Options: --schools 060322,013301  --outbox DIR  --sis DIR (where each school's demo SIS is built)  --sis-term 113-1
//          (the term the demo SIS holds; this term by default)  --pause 013301 (its jobs are scheduled paused)
//          --run-now 013301 (run its jobs once now, even when paused)
// Each school's rosters come from the standard source (AddPortfolioStandardRosters): every semester book from the
// school's SIS; this sample only says where each school's SIS is (DemoSchools, a demo SIS per school).
using System.Data.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Scheduling;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission.Ledger;
using Quartz;
using SchedulerWorker;

var builder = Host.CreateApplicationBuilder(args);
builder.Logging.AddFilter("Quartz", LogLevel.Warning).AddFilter("System.Net.Http", LogLevel.Warning);
var config = builder.Configuration;
var store = config["store"];
var mySql = string.Equals(config["store-provider"], "mysql", StringComparison.OrdinalIgnoreCase);
var work = Directory.CreateDirectory(config["outbox"] ?? Path.Combine(Path.GetTempPath(), "portfolio-worker")).FullName;
var schools = (config["schools"] ?? "060322,013301").Split(',', StringSplitOptions.RemoveEmptyEntries).Select(SchoolCode.Parse).ToList();
var calendar = new SchoolCalendar(TimeProvider.System);
var sisTerm = config["sis-term"] is { } termText ? SchoolTerm.Parse(termText)
    : calendar.CurrentTerm.Term == Term.WholeYear ? new SchoolTerm(calendar.CurrentYear, Term.First) : calendar.CurrentTerm;
Portfolio.Sdk.Sandbox.RunningSandbox? sandbox = null;
var gateway = config["gateway"] is { } address ? new Uri(address) : (sandbox = await Portfolio.Sdk.Sandbox.SandboxServer.StartAsync()).BaseAddress;

// <readme:worker>
builder.Services.AddSingleton<DbDataSource>(store is null
    ? Microsoft.Data.Sqlite.SqliteFactory.Instance.CreateDataSource($"Data Source={Path.Combine(work, "ledger.db")};Pooling=False")
    : mySql ? new MySqlConnector.MySqlDataSource(store) : NpgsqlDataSource.Create(store));   // the ledger, shared by the nodes
builder.Services.AddPortfolioGateway(o => o.BaseAddress = gateway);
builder.Services.AddPortfolioSubmission(o => { o.OutboxDirectory = Path.Combine(work, "outbox"); o.Dialect = store is null ? SqlDialect.Sqlite : mySql ? SqlDialect.MySql : SqlDialect.PostgreSql; });
builder.Services.AddSingleton<ISchoolDataSources>(new DemoSchools(config["sis"] ?? Path.Combine(work, "sis"), schools, sisTerm));
builder.Services.AddPortfolioStandardRosters();                                   // every book from each school's SIS
builder.Services.AddPortfolioScheduling(o =>
{
    o.PostgresConnectionString = mySql ? null : store;                              // both null: in memory, one machine
    o.MySqlConnectionString = mySql ? store : null;                                 // MySQL or MariaDB
    o.Clustered = store is not null;
    o.CheckinInterval = TimeSpan.FromSeconds(double.Parse(config["checkin"] ?? "7.5", System.Globalization.CultureInfo.InvariantCulture));
    o.CheckinMisfireThreshold = o.CheckinInterval * 2;
    o.IdleWaitTime = TimeSpan.FromSeconds(double.Parse(config["idle"] ?? "30", System.Globalization.CultureInfo.InvariantCulture));
});
// </readme:worker>

using var host = builder.Build();
await host.Services.GetRequiredService<ISubmissionLedger>().EnsureCreatedAsync();
await host.StartAsync();
var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();   // Quartz itself, for anything
Console.WriteLine($"instance: {scheduler.SchedulerInstanceId}");
var operations = host.Services.GetRequiredService<PortfolioScheduler>();                     // what operators do, per school
foreach (var paused in (config["pause"] ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(SchoolCode.Parse))
{
    await operations.PauseSchoolAsync(paused);   // before scheduling: its jobs start paused, on every node of a cluster
    Console.WriteLine($"{paused.Value}: paused");
}

if (!bool.Parse(config["schedule"] ?? "true"))
{
    // A cluster node: jobs are scheduled once, by whoever manages the schools; every node runs them.
}
else
{
    // One machine: this term's submission window opened yesterday, so the semester jobs run now (a missed first
    // firing runs at once) and then every 6 hours for two weeks.
    var today = calendar.Today;
    var policy = new PortfolioPolicy(PortfolioPolicy.Default.National, new SchoolPolicy
    {
        Windows = [new PolicyWindow(PolicyWindowKind.Submission, calendar.CurrentTerm.Term == Term.WholeYear ? new SchoolTerm(calendar.CurrentYear, Term.First) : calendar.CurrentTerm, today.AddDays(-1), today.AddDays(14))],
    });
    foreach (var school in schools)
    {
        var triggers = await PortfolioSchedule.ScheduleSchoolAsync(scheduler, school, calendar.CurrentYear, policy, new PortfolioSchedulingOptions());
        Console.WriteLine($"{school.Value}: {triggers} jobs scheduled; ledger and outbox in {work}");
    }

    foreach (var job in await operations.ListAsync())
    {
        var next = job.NextFireTime?.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm", System.Globalization.CultureInfo.InvariantCulture) ?? "never";
        Console.WriteLine($"{job.School.Value} {job.Job,-32} next {next}{(job.IsPaused ? " (paused)" : string.Empty)}");
    }

    if (config["run-now"] is { } runNow)
    {
        // An operator's "submit now" for one school, besides the schedule (and even when the school is paused).
        var started = await operations.TriggerNowAsync(SchoolCode.Parse(runNow));
        Console.WriteLine($"{runNow}: started {string.Join(", ", started)}");
    }
}

await host.WaitForShutdownAsync();
if (sandbox is not null)
{
    await sandbox.DisposeAsync();
}

namespace SchedulerWorker
{
    using System.Collections.Concurrent;
    using Portfolio.Sdk.Sis.Demo;
    using Portfolio.Sdk.Sis.Reading;

    /// <summary>
    /// Where each school's data is: here a demo SIS per school, generated once per process on first use (a vendor
    /// returns the school's real SIS, and its module store for the per-year packages; this sample has none).
    /// </summary>
    internal sealed class DemoSchools(string folder, IReadOnlyList<SchoolCode> schools, SchoolTerm term) : ISchoolDataSources
    {
        private readonly ConcurrentDictionary<string, Lazy<Task<SchoolDataSources>>> _sources = new(StringComparer.Ordinal);

        public async ValueTask<SchoolDataSources?> FindAsync(SchoolCode school, CancellationToken cancellationToken) =>
            schools.Contains(school) ? await _sources.GetOrAdd(school.Value, _ => new(() => CreateAsync(school))).Value.WaitAsync(cancellationToken) : null;

        private async Task<SchoolDataSources> CreateAsync(SchoolCode school)
        {
            // One copy per process: the nodes of a cluster each read their own (the demo data is the same every time).
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, $"{school.Value}-{term}-{Environment.ProcessId}.db");
            File.Delete(path);
            var sis = Microsoft.Data.Sqlite.SqliteFactory.Instance.CreateDataSource($"Data Source={path};Pooling=False");
            await DemoSis.GenerateAsync(sis, new DemoSisOptions { Students = 20, School = school, Term = term });
            return new SchoolDataSources { Sis = new SisReader(sis, DemoSis.Profile(SqlDialect.Sqlite)), DefaultDivision = "1" };
        }
    }
}
