using System.Text;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>A module over a real database (SQLite file or a PostgreSQL schema of its own) and a content store in a temporary folder.</summary>
internal sealed class ModuleFixture : IAsyncDisposable
{
    public const string StudentKey = "S000001";

    public static readonly SchoolTerm Term1 = SchoolTerm.Parse("113-1");

    public static readonly SchoolYear Year = new(113);

    public static readonly CourseCode MathCourse = CourseCode.Parse("113060322H1110101010101");

    public static readonly PortfolioActor Student = PortfolioActor.StudentOf("u-student", StudentKey);

    public static readonly PortfolioActor OtherStudent = PortfolioActor.StudentOf("u-other", "S000002");

    public static readonly PortfolioActor MathTeacher = new("t-math", new HashSet<PortfolioRole> { PortfolioRole.CourseTeacher });

    public static readonly PortfolioActor OtherTeacher = new("t-other", new HashSet<PortfolioRole> { PortfolioRole.CourseTeacher });

    public static readonly PortfolioActor CourseStaff = new("staff-course", new HashSet<PortfolioRole> { PortfolioRole.CourseOutcomeSubmitter });

    public static readonly PortfolioActor PerformanceStaff = new("staff-perf", new HashSet<PortfolioRole> { PortfolioRole.PerformanceSubmitter });

    public static readonly PortfolioActor ImportStaff = new("staff-import", new HashSet<PortfolioRole> { PortfolioRole.PerformanceManager });

    public static readonly PortfolioActor CadreStaff = new("staff-cadre", new HashSet<PortfolioRole> { PortfolioRole.CadreSubmitter });

    private readonly TestSisDatabase _database;

    private ModuleFixture(TestSisDatabase database, PortfolioModule module, FakeTimeProvider clock, string filesRoot)
    {
        _database = database;
        Module = module;
        Clock = clock;
        FilesRoot = filesRoot;
    }

    public PortfolioModule Module { get; }

    public PortfolioStore Store => Module.Store;

    public FakeTimeProvider Clock { get; }

    public string FilesRoot { get; }

    public TestSisDatabase Database => _database;

    // 2024-10-15 10:00 in Taiwan: school year 113, first term.
    public static DateTimeOffset Now { get; } = new(2024, 10, 15, 2, 0, 0, TimeSpan.Zero);

    public static async Task<ModuleFixture> OpenAsync(string provider, PortfolioPolicy? policy = null)
    {
        var database = provider == "sqlite" ? TestSisDatabase.Sqlite() : await TestSisDatabase.PostgresAsync();
        var clock = new FakeTimeProvider(Now);
        var store = new PortfolioStore(database.DataSource, database.Dialect, clock);
        await store.CreateSchemaAsync(TestContext.Current.CancellationToken);
        var root = Path.Combine(Path.GetTempPath(), $"module-files-{Guid.NewGuid():N}");
        return new ModuleFixture(database, new PortfolioModule(store, new FileSystemContentStore(root), policy ?? PortfolioPolicy.Default, clock), clock, root);
    }

    public static Stream Pdf(string text = "work") => new MemoryStream(Encoding.ASCII.GetBytes($"%PDF-1.4\n% {text} {Guid.NewGuid()}\n%%EOF\n"));

    public static CourseOutcomeUpload Outcome(string student = StudentKey, CourseCode? course = null, SchoolTerm? term = null) => new()
    {
        StudentKey = student,
        ClassName = "101",
        Term = term ?? Term1,
        CourseCode = course ?? MathCourse,
        Summary = "函數圖形的探究報告：我蒐集資料並畫出圖形，學到如何檢驗猜想。",
        CertifyingTeacher = "t-math",
        Files = [Pdf()],
    };

    public static PerformanceUpload Performance(string student = StudentKey, DateOnly? date = null, bool proof = true) => new()
    {
        StudentKey = student,
        ClassName = "101",
        Category = "performance-competition",
        Date = date ?? new DateOnly(2024, 9, 20),
        Summary = "全國科展化學組：我負責實驗設計與數據分析。",
        Files = proof ? [Pdf("proof")] : [],
    };

    public static PortfolioActor StudentActor(string studentKey) => PortfolioActor.StudentOf("u-" + studentKey, studentKey);

    /// <summary>Uploads, sends, certifies and credits a course outcome: ready to select.</summary>
    public async Task<CourseOutcome> CertifiedOutcomeAsync(string student = StudentKey, CourseCode? course = null, SchoolTerm? term = null)
    {
        var token = TestContext.Current.CancellationToken;
        var actor = StudentActor(student);
        var uploaded = await Module.UploadCourseOutcomeAsync(actor, Outcome(student, course, term), token);
        uploaded.Succeeded.ShouldBeTrue(uploaded.ToString());
        var sent = await Module.SendForCertificationAsync(actor, uploaded.Value.Id, uploaded.Value.Version, token);
        var certified = await Module.CertifyAsync(MathTeacher, sent.Value!.Id, sent.Value.Version, token);
        certified.Succeeded.ShouldBeTrue(certified.ToString());
        await Store.RecordCreditedCoursesAsync(student, "101", certified.Value.Term, [certified.Value.CourseCode], token);
        return certified.Value;
    }

    public async ValueTask DisposeAsync()
    {
        await _database.DisposeAsync();
        if (Directory.Exists(FilesRoot))
        {
            Directory.Delete(FilesRoot, recursive: true);
        }
    }
}
