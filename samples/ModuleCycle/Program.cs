// The whole course-outcome and 多元表現 cycle through PortfolioModule alone, on SQLite (or PostgreSQL).
// Usage: ModuleCycle [cycle] [--provider sqlite|postgres] [--connection <string>] [--files <folder>]
//        ModuleCycle select --provider … --connection … --files … --student S --year 113 --entry-year 113 --workers 8
//                    --course-outcomes id,id,… --performances id,id,… [--per-term-cap 3] [--start-at <utc ticks>]
// "select" is a burst of concurrent selectors against a shared database (the concurrency test runs it as a second process).
using System.Data.Common;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Portfolio.Sdk;
using Portfolio.Sdk.Audit;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;

var mode = args.Length > 0 && !args[0].StartsWith("--", StringComparison.Ordinal) ? args[0] : "cycle";
string? Option(string name) => Array.IndexOf(args, name) is var i and >= 0 && i + 1 < args.Length ? args[i + 1] : null;
var provider = Option("--provider") ?? "sqlite";
var work = Directory.CreateDirectory(Option("--files") ?? Path.Combine(Path.GetTempPath(), $"module-cycle-{Guid.NewGuid():N}")).FullName;
var connection = Option("--connection") ?? $"Data Source={Path.Combine(work, "module.db")};Pooling=False";
var perTermCap = Option("--per-term-cap") is { } cap ? int.Parse(cap, CultureInfo.InvariantCulture) : (int?)null;

// <readme:module>
var services = new ServiceCollection();
services.AddSingleton<DbDataSource>(provider == "postgres" ? NpgsqlDataSource.Create(connection) : SqliteFactory.Instance.CreateDataSource(connection));
services.AddPortfolioDatabase(provider == "postgres" ? SqlDialect.PostgreSql : SqlDialect.Sqlite);   // once, for every package
services.AddPortfolioModule(o =>
{
    o.FilesRoot = Path.Combine(work, "files");
    o.Policy = new PortfolioPolicy(PortfolioPolicy.Default.National, new SchoolPolicy { SelectionCapPerTerm = perTermCap });
});
await using var provided = services.BuildServiceProvider();
var module = provided.GetRequiredService<PortfolioModule>();
await module.Store.CreateSchemaAsync();                      // idempotent: creates or migrates, every start
// </readme:module>

return mode == "select" ? await SelectBurstAsync() : await CycleAsync();

async Task<int> CycleAsync()
{
    var failures = 0;
    T Step<T>(string what, PortfolioResult<T> result, bool expectSuccess = true)
        where T : class
    {
        var ok = result.Succeeded == expectSuccess;
        failures += ok ? 0 : 1;
        var detail = result.Problem is { } p ? $" {p.Code} {p.Message} / {p.MessageEnglish}" : string.Empty;
        Console.WriteLine($"{(ok ? "ok  " : "FAIL")} {what}{detail}");
        return result.Value!;
    }

    var student = PortfolioActor.StudentOf("u-1001", "S0001001");
    var teacher = new PortfolioActor("t-math", new HashSet<PortfolioRole> { PortfolioRole.CourseTeacher });
    var courseStaff = new PortfolioActor("staff-course", new HashSet<PortfolioRole> { PortfolioRole.CourseOutcomeSubmitter });
    var performanceStaff = new PortfolioActor("staff-perf", new HashSet<PortfolioRole> { PortfolioRole.PerformanceSubmitter });
    var importStaff = new PortfolioActor("staff-import", new HashSet<PortfolioRole> { PortfolioRole.PerformanceManager });
    var cadreStaff = new PortfolioActor("staff-cadre", new HashSet<PortfolioRole> { PortfolioRole.CadreSubmitter });
    var term = SchoolTerm.Parse("113-1");
    var course = CourseCode.Parse("113060322H1110101010101");
    static MemoryStream Pdf(string text) => new(Encoding.ASCII.GetBytes($"%PDF-1.4\n% {text}\n%%EOF\n"));

    // 課程學習成果: upload, 送審, reject with a reason, edit, 送審, certify, select, lock, dispute, unlock, unselect, select, lock.
    await module.Store.RecordCreditedCoursesAsync(student.StudentKey!, "101", term, [course]);
    var outcome = Step("upload course outcome", await module.UploadCourseOutcomeAsync(student, new CourseOutcomeUpload
    {
        StudentKey = student.StudentKey!, ClassName = "101", Term = term, CourseCode = course, CertifyingTeacher = "t-math",
        Summary = "函數圖形的探究：我蒐集資料並畫圖，學到用圖形檢驗猜想。", Files = [Pdf("report v1")],
    }));
    outcome = Step("send for certification", await module.SendForCertificationAsync(student, outcome.Id, outcome.Version));
    outcome = Step("reject with a reason", await module.RejectAsync(teacher, outcome.Id, outcome.Version, "請說明你負責的部分"));
    outcome = Step("edit", await module.EditCourseOutcomeAsync(student, outcome.Id, outcome.Version, "我負責資料蒐集與繪圖，學到用圖形檢驗猜想。", [Pdf("report v2")]));
    outcome = Step("send again", await module.SendForCertificationAsync(student, outcome.Id, outcome.Version));
    outcome = Step("certify", await module.CertifyAsync(teacher, outcome.Id, outcome.Version));
    outcome = Step("select", await module.SelectCourseOutcomeAsync(student, outcome.Id, outcome.Version, term.Year));
    outcome = Step("lock on submission", await module.LockCourseOutcomeAsync(courseStaff, outcome.Id, outcome.Version));
    Step("unselect a locked item (refused)", await module.UnselectCourseOutcomeAsync(student, outcome.Id, outcome.Version), expectSuccess: false);
    outcome = Step("unlock for correction", await module.UnlockCourseOutcomeForCorrectionAsync(courseStaff, outcome.Id, outcome.Version, "receipt dispute 1"));
    outcome = Step("unselect", await module.UnselectCourseOutcomeAsync(student, outcome.Id, outcome.Version));
    outcome = Step("select again", await module.SelectCourseOutcomeAsync(student, outcome.Id, outcome.Version, term.Year));
    Step("lock again", await module.LockCourseOutcomeAsync(courseStaff, outcome.Id, outcome.Version));

    // 多元表現: the student's own (proof required), a staff import the student completes, a school-entered cadre record.
    Step("upload 多元表現 without proof (refused)", await module.UploadPerformanceAsync(student, Performance(student.StudentKey!, [])), expectSuccess: false);
    var own = Step("upload 多元表現 with proof", await module.UploadPerformanceAsync(student, Performance(student.StudentKey!, [Pdf("certificate")])));
    var imported = Step("staff bulk import", await module.UploadPerformanceAsync(importStaff, Performance(student.StudentKey!, []) with { Summary = null }));
    Step("select an import without proof (refused)", await module.SelectPerformanceAsync(student, imported.Id, imported.Version, term.Year, term.Year), expectSuccess: false);
    imported = Step("student attaches the proof", await module.EditPerformanceAsync(student, imported.Id, imported.Version, "擔任隊長：我負責規劃與分工。", files: [Pdf("award")]));
    own = Step("select own", await module.SelectPerformanceAsync(student, own.Id, own.Version, term.Year, term.Year));
    imported = Step("select import", await module.SelectPerformanceAsync(student, imported.Id, imported.Version, term.Year, term.Year));
    var cadre = Step("school enters a cadre record", await module.UploadPerformanceAsync(cadreStaff, Performance(student.StudentKey!, []) with { Category = "performance-cadre", IsSchoolEntered = true, Summary = null }));
    Step("select a cadre record (refused)", await module.SelectPerformanceAsync(student, cadre.Id, cadre.Version, term.Year, term.Year), expectSuccess: false);
    own = Step("lock on submission", await module.LockPerformanceAsync(performanceStaff, own.Id, own.Version));
    own = Step("unlock for correction", await module.UnlockPerformanceForCorrectionAsync(performanceStaff, own.Id, own.Version, "receipt dispute 2"));
    own = Step("unselect", await module.UnselectPerformanceAsync(student, own.Id, own.Version));
    Step("edit", await module.EditPerformanceAsync(student, own.Id, own.Version, "全國科展：我負責實驗設計與數據分析，學到控制變因。"));
    Step("lock the import", await module.LockPerformanceAsync(performanceStaff, imported.Id, imported.Version));
    Step("lock the cadre record", await module.LockPerformanceAsync(cadreStaff, cadre.Id, cadre.Version));

    var audit = new List<AuditEntry>();
    await foreach (var entry in module.Store.ReadAuditAsync())
    {
        audit.Add(entry);
    }

    var problems = AuditTrail.Verify(audit);
    Console.WriteLine($"audit: {audit.Count} entries, {(problems.Count == 0 ? "chain intact" : string.Join("; ", problems))}");
    Console.WriteLine(failures == 0 && problems.Count == 0 ? "cycle complete" : $"cycle FAILED ({failures} steps)");
    return failures == 0 && problems.Count == 0 ? 0 : 1;
}

static PerformanceUpload Performance(string studentKey, IReadOnlyList<Stream> files) => new()
{
    StudentKey = studentKey, ClassName = "101", Category = "performance-competition", Date = new DateOnly(2024, 9, 20),
    Summary = "全國科展化學組：我負責實驗設計與數據分析。", Files = files,
};

// Each worker walks the items in its own order and selects what it can; refusals (caps, lost races) are results.
async Task<int> SelectBurstAsync()
{
    var actor = PortfolioActor.StudentOf("u-burst", Option("--student")!);
    var year = new SchoolYear(int.Parse(Option("--year")!, CultureInfo.InvariantCulture));
    var entry = new SchoolYear(int.Parse(Option("--entry-year")!, CultureInfo.InvariantCulture));
    var workers = int.Parse(Option("--workers") ?? "8", CultureInfo.InvariantCulture);
    var outcomes = (Option("--course-outcomes") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToArray();
    var performances = (Option("--performances") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse).ToArray();
    if (Option("--start-at") is { } startAt && new DateTime(long.Parse(startAt, CultureInfo.InvariantCulture), DateTimeKind.Utc) - DateTime.UtcNow is { Ticks: > 0 } wait)
    {
        await Task.Delay(wait);
    }

    var counts = await SelectionBurst.RunAsync(module, actor, year, entry, workers, outcomes, performances);
    Console.WriteLine($"selected {counts.Selected} refused {counts.Refused}");
    return 0;
}

/// <summary>A burst of concurrent selectors (勾選) by one student: the same loop the concurrency test runs in its own process.</summary>
internal static class SelectionBurst
{
    public static async Task<(int Selected, int Refused)> RunAsync(PortfolioModule module, PortfolioActor actor, SchoolYear year, SchoolYear entry, int workers, Guid[] outcomes, Guid[] performances)
    {
        var selected = 0;
        var refused = 0;
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var random = new Random(w);
            foreach (var (id, isOutcome) in outcomes.Select(o => (o, true)).Concat(performances.Select(p => (p, false))).OrderBy(_ => random.Next()).ToList())
            {
                var ok = isOutcome
                    ? (await module.SelectCourseOutcomeAsync(actor, id, (await module.Store.GetAsync(id))!.Version, year)).Succeeded
                    : (await module.SelectPerformanceAsync(actor, id, (await module.Store.GetPerformanceAsync(id))!.Version, year, entry)).Succeeded;
                Interlocked.Increment(ref ok ? ref selected : ref refused);
            }
        })));
        return (selected, refused);
    }
}
