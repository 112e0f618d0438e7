using System.Globalization;
using System.IO.Compression;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Sdk;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Rosters.Rows;
using Portfolio.Sdk.Sandbox;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.Demo;
using Portfolio.Sdk.Sis.Reading;
using Portfolio.Sdk.Sis.Records;
using Portfolio.Sdk.Sis.TermRosters;
using Portfolio.Sdk.Sis.YearPackages;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Storage.Packages;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Submission.Receipts;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Cli.Demo;

/// <summary>A roster the demo wrote.</summary>
internal sealed record DemoBook(string Id, string Name, string File, int Rows, int LeftOut);

/// <summary>A submission as the demo left it.</summary>
internal sealed record DemoSubmission(SubmissionRecord Record, bool IsNew, ReconciliationReport? Reconciliation);

/// <summary>Everything the demo did.</summary>
internal sealed class DemoSummary
{
    public required string Folder { get; init; }

    public required SchoolTerm Term { get; init; }

    public int Students { get; set; }

    public List<DemoBook> Books { get; } = [];

    public List<Diagnostic> Diagnostics { get; } = [];

    public List<DemoSubmission> Submissions { get; } = [];

    /// <summary>The per-year packages as built, by book id: what is locked once its submission is accepted.</summary>
    public Dictionary<string, YearPackage> Packages { get; } = new(StringComparer.Ordinal);

    /// <summary>The items locked after the per-year packages' submission (now, and already locked).</summary>
    public (int Locked, int AlreadyLocked) Locks { get; set; }
}

/// <summary>
/// The main job on embedded defaults: the demo SIS (SQLite) → the adapter → the policy and the certification and
/// selection workflow → this term's rosters and the per-year packages, validated → the sandbox gateway in process
/// (idempotent, ledgered) → receipts → reconciliation. Running it again over the same folder submits nothing twice.
/// </summary>
internal sealed class DemoJob(string folder, IProgress<(string Step, double Fraction)> progress)
{
    public const int Students = 120;
    private static readonly SchoolCode School = SchoolCode.Parse("060322");

    public async Task<DemoSummary> RunAsync(SchoolTerm term, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        var rosters = Directory.CreateDirectory(Path.Combine(folder, "rosters")).FullName;
        var summary = new DemoSummary { Folder = Path.GetFullPath(folder), Term = term };
        var policy = PortfolioPolicy.Default;

        // The portfolio module's store, rebuilt on every run like the SIS: the students' and teachers' work goes in
        // through the workflow, and the per-year packages come out of it (YearPackageBuilder).
        var moduleDb = Path.Combine(folder, "module.db");
        File.Delete(moduleDb);
        var moduleSource = SqliteFactory.Instance.CreateDataSource(new SqliteConnectionStringBuilder { DataSource = moduleDb, Pooling = false }.ToString());
        await using var moduleSourceScope = moduleSource.ConfigureAwait(false);
        var store = new PortfolioStore(moduleSource, SqlDialect.Sqlite, TimeProvider.System);
        await store.CreateSchemaAsync(cancellationToken).ConfigureAwait(false);
        var files = new FileSystemContentStore(Path.Combine(folder, "module-files"));
        var module = new PortfolioModule(store, files, policy, TimeProvider.System);
        YearPackageBuilder? packages = null;

        // 1. The demo SIS, rebuilt from its seed on every run (the same school each time).
        progress.Report(("demo SIS", 0));
        var sis = SqliteFactory.Instance.CreateDataSource(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "demo-sis.db"), Pooling = false }.ToString());
        await using (sis.ConfigureAwait(false))
        {
            var counts = await DemoSis.GenerateAsync(sis, new DemoSisOptions { Students = Students, Term = term, School = School }, cancellationToken).ConfigureAwait(false);
            summary.Students = counts.Students;
            var reader = new SisReader(sis, DemoSis.Profile(SqlDialect.Sqlite));

            // 2. This term's rosters, streamed from the SIS and validated row by row.
            var builder = new TermRosterBuilder(reader) { DefaultDivision = "1" };
            var steps = new (string Book, Func<Stream, Task<TermRosterResult>> Write)[]
            {
                ("student", s => builder.WriteStudentDataAsync(s, School, term, cancellationToken)),
                ("grades", s => builder.WriteGradesAsync(s, School, term, cancellationToken)),
                ("cadre", s => builder.WriteCadresAsync(s, School, term, cancellationToken)),
            };
            for (var i = 0; i < steps.Length; i++)
            {
                var book = RosterCatalogue.Default[steps[i].Book];
                progress.Report(($"roster {book.Name}", (i + 1) / 6.0));
                var path = Path.Combine(rosters, $"{School.Value}_{term}_{book.Name}.xlsx");
                TermRosterResult result;
                await using (var file = File.Create(path))
                {
                    result = await steps[i].Write(file).ConfigureAwait(false);
                }

                summary.Books.Add(new DemoBook(book.Id, book.Name, path, result.Rows, result.RowsLeftOut));
                summary.Diagnostics.AddRange(result.Diagnostics);
            }

            // 3. The per-year packages: course outcomes through certification and the policy's selection cap, and
            //    cadre posts as 多元表現 up to the policy's cap.
            progress.Report(("課程學習成果 package", 4 / 6.0));
            await SeedCourseOutcomesAsync(reader, term, module, files, summary.Diagnostics, cancellationToken).ConfigureAwait(false);
            packages = new YearPackageBuilder(module, await SisYearPackageDirectory.LoadAsync(reader, term.Year, cancellationToken).ConfigureAwait(false));
            summary.Books.Add(await WritePackageAsync(packages.WriteCourseOutcomesAsync, "course-outcomes", term, rosters, summary, cancellationToken).ConfigureAwait(false));
            progress.Report(("多元表現 package", 5 / 6.0));
            await SeedPerformancesAsync(reader, term, module, files, cancellationToken).ConfigureAwait(false);
            summary.Books.Add(await WritePackageAsync(packages.WritePerformancesAsync, "performances", term, rosters, summary, cancellationToken).ConfigureAwait(false));
        }

        // 4. Every file validated as the central database would.
        foreach (var book in summary.Books)
        {
            await using var file = File.OpenRead(book.File);
            summary.Diagnostics.AddRange(book.File.EndsWith(".zip", StringComparison.Ordinal)
                ? new RosterPackageVerifier().Verify(file, Path.GetFileName(book.File), cancellationToken).Diagnostics
                : new RosterWorkbookValidator().Validate(file, Path.GetFileName(book.File), cancellationToken).Diagnostics);
        }

        progress.Report(("submitting to the sandbox", 1));
        await SubmitAsync(summary, cancellationToken).ConfigureAwait(false);

        // 5. What the central database accepted is locked in the module (提交後鎖定), idempotently.
        var (locked, already) = (0, 0);
        foreach (var submission in summary.Submissions.Where(s => s.Record.State is SubmissionState.Accepted or SubmissionState.ReceiptReceived or SubmissionState.Confirmed))
        {
            if (summary.Packages.TryGetValue(submission.Record.Identity.Book, out var package))
            {
                var result = await packages!.LockSubmittedAsync(Staff, package, cancellationToken).ConfigureAwait(false);
                summary.Diagnostics.AddRange(result.Diagnostics);
                summary.Diagnostics.AddRange(result.Value?.Refused.SelectMany(r => r.Diagnostics) ?? []);
                (locked, already) = (locked + (result.Value?.Locked ?? 0), already + (result.Value?.AlreadyLocked ?? 0));
            }
        }

        summary.Locks = (locked, already);
        return summary;
    }

    private async Task SubmitAsync(DemoSummary summary, CancellationToken cancellationToken)
    {
        await using var sandbox = await SandboxServer.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        var services = new ServiceCollection();
        services.AddPortfolioGateway(o => o.BaseAddress = sandbox.BaseAddress);
        await using var provider = services.BuildServiceProvider();
        var ledgerSource = SqliteFactory.Instance.CreateDataSource(new SqliteConnectionStringBuilder { DataSource = Path.Combine(folder, "ledger.db"), Pooling = false }.ToString());
        await using (ledgerSource.ConfigureAwait(false))
        {
            var ledger = new DbSubmissionLedger(ledgerSource, SqlDialect.Sqlite);
            await ledger.EnsureCreatedAsync(cancellationToken).ConfigureAwait(false);
            var service = new SubmissionService(provider.GetRequiredService<ICentralGateway>(), ledger, new SubmissionOutbox(Path.Combine(folder, "outbox")));
            await service.ResumeAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            foreach (var book in summary.Books)
            {
                var catalogueBook = RosterCatalogue.Default[book.Id];
                var term = catalogueBook.Cadence == RosterCadence.Year ? new SchoolTerm(summary.Term.Year, Term.WholeYear) : summary.Term;
                var identity = new SubmissionIdentity(School, book.Id, term);
                var isNew = await ledger.FindAsync(identity, cancellationToken).ConfigureAwait(false) is null;
                await using var file = File.OpenRead(book.File);
                var record = await service.EnqueueAsync(identity, file, cancellationToken: cancellationToken).ConfigureAwait(false);
                record = await service.SendAsync(record.IdempotencyKey, cancellationToken).ConfigureAwait(false);
                summary.Submissions.Add(new DemoSubmission(record, isNew, null));
            }

            var harvest = await service.CollectReceiptsAsync(School.Value, cancellationToken).ConfigureAwait(false);
            summary.Diagnostics.AddRange(harvest.Diagnostics);
            for (var i = 0; i < summary.Submissions.Count; i++)
            {
                var record = await ledger.GetAsync(summary.Submissions[i].Record.IdempotencyKey, cancellationToken).ConfigureAwait(false) ?? summary.Submissions[i].Record;
                var reconciliation = record.ReceiptId is null ? null : await service.ReconcileAsync(record.IdempotencyKey, cancellationToken).ConfigureAwait(false);
                summary.Submissions[i] = summary.Submissions[i] with { Record = record, Reconciliation = reconciliation };
                summary.Diagnostics.AddRange(reconciliation?.Diagnostics ?? []);
            }
        }
    }

    // The school's submitter: builds the per-year packages and locks what was submitted.
    private const string DemoDateFormat = "yyyy/MM/dd";

    private static readonly PortfolioActor Staff = new("staff-submitter", new HashSet<PortfolioRole> { PortfolioRole.CourseOutcomeSubmitter, PortfolioRole.PerformanceSubmitter });

    private static async Task<HashSet<string>> StudentsAsync(SisReader reader, CancellationToken cancellationToken)
    {
        var students = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in reader.ReadStudentsAsync(cancellationToken).ConfigureAwait(false))
        {
            if (row.Record is { } s)
            {
                students.Add(s.StudentNumber);
            }
        }

        return students;
    }

    // The same content on every run: ids from what they stand for, so a second run builds the same package bytes and
    // submits nothing new; a changed SIS would give a new revision instead.
    private static Guid StableId(string text) => new(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(text))[..16]);

    private static async Task SeedCourseOutcomesAsync(SisReader reader, SchoolTerm term, PortfolioModule module, FileSystemContentStore files, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var students = await StudentsAsync(reader, cancellationToken).ConfigureAwait(false);
        var caps = module.Policy.For(term.Year).SelectionCaps;
        var perStudent = new Dictionary<string, int>(StringComparer.Ordinal);
        var written = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in reader.ReadGradesAsync(term, cancellationToken).ConfigureAwait(false))
        {
            // Thirty students write an outcome for one more passed course than the policy lets them select; the teacher
            // certifies each; the student selects them for the year, and the policy's cap refuses the one too many.
            if (row.Record is not { Kind: GradeKind.Regular, Score: >= 60 } grade || !students.Contains(grade.StudentNumber)
                || written.GetValueOrDefault(grade.StudentNumber) > caps.CourseOutcomesPerYear || perStudent.Count >= 30 && !perStudent.ContainsKey(grade.StudentNumber))
            {
                continue;
            }

            written[grade.StudentNumber] = written.GetValueOrDefault(grade.StudentNumber) + 1;
            var student = PortfolioActor.StudentOf("u-" + grade.StudentNumber, grade.StudentNumber);
            var teacher = new PortfolioActor("t-" + grade.CourseCode.Value[^4..], new HashSet<PortfolioRole> { PortfolioRole.CourseTeacher }) { Courses = new HashSet<string> { grade.CourseCode.Value } };
            var id = StableId($"{grade.StudentNumber}/{grade.CourseCode.Value}/{term}");
            var evidence = await files.PutAsync(new MemoryStream(Encoding.UTF8.GetBytes($"%PDF-1.7\n% {id}\n%%EOF\n")), cancellationToken).ConfigureAwait(false);
            var draft = new CourseOutcome
            {
                Id = id, StudentKey = grade.StudentNumber, Term = term, CourseCode = grade.CourseCode, CertifyingTeacher = teacher.UserId, FileHashes = [evidence.Sha256],
                Summary = $"{grade.SubjectName}課堂的學習成果報告：整理單元重點並提出自己的延伸問題，我負責資料蒐集與結論撰寫。",
            };
            var outcome = Step(CourseOutcomeWorkflow.SubmitForCertification(draft, student, draft.Version), diagnostics);
            outcome = outcome is null ? null : Step(CourseOutcomeWorkflow.Certify(outcome, teacher, outcome.Version), diagnostics);
            outcome = outcome is null ? null : Step(CourseOutcomeWorkflow.Select(outcome, student, outcome.Version, term.Year, perStudent.GetValueOrDefault(grade.StudentNumber), caps), diagnostics);
            perStudent.TryAdd(grade.StudentNumber, 0);
            if (outcome is not null)
            {
                perStudent[grade.StudentNumber]++;
                await module.Store.AddAsync(outcome, student, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Cadre posts as 多元表現 (sheet performance-cadre), each with a proof, selected up to the policy's cap.
    private static async Task SeedPerformancesAsync(SisReader reader, SchoolTerm term, PortfolioModule module, FileSystemContentStore files, CancellationToken cancellationToken)
    {
        var cap = module.Policy.For(term.Year).PerformanceSelectionCap;
        var perStudent = new Dictionary<string, int>(StringComparer.Ordinal);
        await foreach (var row in reader.ReadCadresAsync(term, cancellationToken).ConfigureAwait(false))
        {
            if (row.Record is not { } cadre || perStudent.GetValueOrDefault(cadre.StudentNumber) >= cap)
            {
                continue;
            }

            perStudent[cadre.StudentNumber] = perStudent.GetValueOrDefault(cadre.StudentNumber) + 1;
            var start = cadre.StartDate ?? term.Year.StartDate;
            var id = StableId($"{cadre.StudentNumber}/{cadre.UnitName}/{cadre.Position}/{term}");
            var proof = await files.PutAsync(new MemoryStream(Encoding.UTF8.GetBytes($"%PDF-1.7\n% {id}\n%%EOF\n")), cancellationToken).ConfigureAwait(false);
            var fields = new Dictionary<string, string?>
            {
                ["unitName"] = cadre.UnitName,
                ["position"] = cadre.Position,
                ["startDate"] = start.ToString(DemoDateFormat, CultureInfo.InvariantCulture),
                ["endDate"] = cadre.EndDate?.ToString(DemoDateFormat, CultureInfo.InvariantCulture),
                ["cadreLevel"] = cadre.CadreLevel ?? string.Empty,
            };
            await module.Store.AddAsync(
                new PerformanceItem
                {
                    Id = id, StudentKey = cadre.StudentNumber, Category = PerformanceCadreRow.Sheet, Date = start, SelectedFor = term.Year, FileHashes = [proof.Sha256],
                    FieldsJson = System.Text.Json.JsonSerializer.Serialize(fields),
                    Summary = $"擔任{cadre.Position}，協助班級事務並學習溝通與規劃，我負責聯絡與紀錄。",
                },
                PortfolioActor.StudentOf("u-" + cadre.StudentNumber, cadre.StudentNumber), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task<DemoBook> WritePackageAsync(Func<PortfolioActor, SchoolCode, SchoolYear, Stream, CancellationToken, Task<PortfolioResult<YearPackage>>> write, string bookId, SchoolTerm term, string rosters, DemoSummary summary, CancellationToken cancellationToken)
    {
        var book = RosterCatalogue.Default[bookId];
        var path = Path.Combine(rosters, $"{School.Value}_{term.Year}_{book.Name}.zip");
        PortfolioResult<YearPackage> result;
        await using (var file = File.Create(path))
        {
            result = await write(Staff, School, term.Year, file, cancellationToken).ConfigureAwait(false);
        }

        summary.Diagnostics.AddRange(result.Diagnostics);
        if (result.Value is not { } package)
        {
            return new DemoBook(book.Id, book.Name, path, 0, 0);
        }

        summary.Packages[book.Id] = package;
        summary.Diagnostics.AddRange(package.Diagnostics);
        return new DemoBook(book.Id, book.Name, path, package.Packaged.Count, package.LeftOut.Count);
    }

    private static CourseOutcome? Step(WorkflowResult<CourseOutcome> result, List<Diagnostic> diagnostics)
    {
        if (result.Problem is { } problem)
        {
            diagnostics.Add(problem);
        }

        return result.Value;
    }
}
