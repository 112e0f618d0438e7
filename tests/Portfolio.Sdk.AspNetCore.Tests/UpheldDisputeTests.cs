using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Portfolio.Sdk.Audit;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Storage.Packages;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.Confirmation;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Submission.Receipts;
using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.AspNetCore.Tests;

/// <summary>
/// An upheld dispute unlocks the item behind the row: a real per-year package is written and locked, its receipt rows
/// are read back from the package as the central database reads them, and staff uphold a student's dispute over HTTP.
/// </summary>
public sealed class UpheldDisputeTests
{
    private const string PackageKey = "k-co-113";
    private const string GradesKey = "k-grades-112-2";

    public static TheoryData<string> Providers() => ["sqlite", "postgresql"];

    private static readonly PortfolioActor CourseSubmitter = new("s-course", new HashSet<PortfolioRole> { PortfolioRole.CourseOutcomeSubmitter });

    private static readonly PortfolioActor CadreSubmitter = new("s-cadre", new HashSet<PortfolioRole> { PortfolioRole.CadreSubmitter });

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task UpheldDispute_UnlocksTheLockedCourseOutcome_Once_AndAGradeRowIsNoItem(string provider)
    {
        var token = UserClient.Token;
        await using var host = await ReceiptRowTests.ReceiptHost.StartAsync(provider, unlockItems: true);
        var server = host.Server;
        var student = PortalServer.Student();

        // A certified, selected outcome, packaged for 113 and locked after the submission.
        var certified = await server.CertifiedOutcomeAsync(student, PortalServer.Teacher());
        var selected = await server.Module.SelectCourseOutcomeAsync(student, certified.Id, certified.Version, PortalServer.Year, token);
        selected.Succeeded.ShouldBeTrue(selected.ToString());
        var builder = new YearPackageBuilder(server.Module, new Directory());
        using var package = new MemoryStream();
        var written = await builder.WriteCourseOutcomesAsync(CourseSubmitter, SchoolCode.Parse("060322"), PortalServer.Year, package, token);
        written.Value.ShouldNotBeNull(written.ToString()).Packaged.ShouldHaveSingleItem();
        written.Value.Rows.ShouldHaveSingleItem().RowKeySha256.Length.ShouldBe(64);
        (await builder.LockSubmittedAsync(CourseSubmitter, written.Value, token)).Value!.Locked.ShouldBe(1);
        (await server.Module.Store.GetAsync(certified.Id, token))!.IsLocked.ShouldBeTrue();

        // The receipt rows as the central database reads the package (the sandbox does the same).
        package.Position = 0;
        var rows = new List<ReceiptRow>();
        RosterContent.Read(package, SubmissionContentKind.Package, "package.zip", r => rows.Add(r.ToReceiptRow()), cancellationToken: token);
        rows.ShouldHaveSingleItem().StudentKey.ShouldBe(PortalServer.StudentKey);
        await SaveReceiptAsync(host.Ledger, PackageKey, "course-outcomes", new SchoolTerm(PortalServer.Year, Term.WholeYear), SubmissionContentKind.Package, rows);

        using var pupil = server.As(student);
        var disputed = await pupil.PostAsync($"/portfolio/receipts/{PackageKey}/rows/0/dispute", new { version = 0, note = "簡述少了一段" });
        disputed.Status.ShouldBe(HttpStatusCode.OK, disputed.ToString());
        var version = disputed.Json.GetProperty("version").GetInt64();

        // A role that decides disputes but may not unlock course outcomes: the decision stands, the unlock is refused (PF3101).
        using var cadre = server.As(CadreSubmitter);
        var refused = await cadre.PostAsync($"/portfolio/receipts/{PackageKey}/rows/0/decide", new { version, verdict = "Upheld" });
        refused.Status.ShouldBe(HttpStatusCode.OK, refused.ToString());
        refused.Json.GetProperty("unlock").ValueKind.ShouldBe(JsonValueKind.Null);
        refused.Json.GetProperty("unlockRefused")[0].GetProperty("code").GetString().ShouldBe("PF3101");
        (await server.Module.Store.GetAsync(certified.Id, token))!.IsLocked.ShouldBeTrue();
        version = refused.Json.GetProperty("dispute").GetProperty("row").GetProperty("version").GetInt64();

        // The course-outcome submitter upholds it: the outcome is unlocked for correction, with the dispute as reference.
        using var staff = server.As(CourseSubmitter);
        var upheld = await staff.PostAsync($"/portfolio/receipts/{PackageKey}/rows/0/decide", new { version, verdict = "Upheld" });
        upheld.Status.ShouldBe(HttpStatusCode.OK, upheld.ToString());
        upheld.Json.GetProperty("unlock").GetString().ShouldBe("Unlocked");
        upheld.Json.GetProperty("itemKind").GetString().ShouldBe("CourseOutcome");
        upheld.Json.GetProperty("itemId").GetGuid().ShouldBe(certified.Id);
        upheld.Body.ShouldNotContain(PortalServer.StudentKey, Case.Insensitive);
        var unlocked = (await server.Module.Store.GetAsync(certified.Id, token))!;
        unlocked.IsLocked.ShouldBeFalse();

        // Upheld again (a decision may change until the correction is sent): nothing more happens to the item.
        version = upheld.Json.GetProperty("dispute").GetProperty("row").GetProperty("version").GetInt64();
        var again = await staff.PostAsync($"/portfolio/receipts/{PackageKey}/rows/0/decide", new { version, verdict = "Upheld" });
        again.Json.GetProperty("unlock").GetString().ShouldBe("NotLocked", again.ToString());
        (await server.Module.Store.GetAsync(certified.Id, token))!.Version.ShouldBe(unlocked.Version);

        // Both audit trails: the module's unlock once; the desk's unlock with the dispute and the item, and the refusal.
        var moduleAudit = new List<AuditEntry>();
        await foreach (var entry in server.Module.Store.ReadAuditAsync(token))
        {
            moduleAudit.Add(entry);
        }

        moduleAudit.Count(e => e.Action == "course-outcome.unlock" && e.EntityId == certified.Id.ToString("D")).ShouldBe(1);
        var deskAudit = new List<AuditEntry>();
        await foreach (var entry in host.Desk.ReadAuditAsync(token))
        {
            deskAudit.Add(entry);
        }

        AuditTrail.Verify(deskAudit).ShouldBeEmpty();
        var unlockEntry = deskAudit.Where(e => e.Action == "receipt-row.unlock").ShouldHaveSingleItem();
        unlockEntry.After.ShouldNotBeNull().ShouldContain($"{PackageKey}#0");
        unlockEntry.After!.ShouldContain(certified.Id.ToString("D"));
        deskAudit.Count(e => e.Action == "receipt-row.unlock-refused").ShouldBe(1);
        deskAudit.ShouldAllBe(e => (e.After ?? string.Empty).IndexOf(PortalServer.StudentKey, StringComparison.OrdinalIgnoreCase) < 0);

        // A grade row (from the SIS) maps to no item: upholding it is not an error.
        var gradeRow = new ReceiptRow
        {
            StudentKey = PortalServer.StudentKey,
            Sheet = "semester-grades",
            RowKey = $"{PortalServer.StudentKey}|1122|{PortalServer.MathCourse.Value}",
            Values = new Dictionary<string, string?> { ["score"] = "59" },
        };
        await SaveReceiptAsync(host.Ledger, GradesKey, "grades", SchoolTerm.Parse("112-2"), SubmissionContentKind.Workbook, [gradeRow]);
        var gradeDispute = await pupil.PostAsync($"/portfolio/receipts/{GradesKey}/rows/0/dispute", new { version = 0, note = "成績應為 60" });
        gradeDispute.Status.ShouldBe(HttpStatusCode.OK, gradeDispute.ToString());
        var grade = await staff.PostAsync($"/portfolio/receipts/{GradesKey}/rows/0/decide", new { version = gradeDispute.Json.GetProperty("version").GetInt64(), verdict = "Upheld" });
        grade.Status.ShouldBe(HttpStatusCode.OK, grade.ToString());
        grade.Json.GetProperty("unlock").GetString().ShouldBe("NoItem");
        grade.Json.GetProperty("itemId").ValueKind.ShouldBe(JsonValueKind.Null);
    }

    private static async Task SaveReceiptAsync(DbSubmissionLedger ledger, string key, string book, SchoolTerm term, SubmissionContentKind kind, List<ReceiptRow> rows)
    {
        await ledger.AddOrGetAsync(new SubmissionRecord
        {
            IdempotencyKey = key,
            Identity = new SubmissionIdentity(SchoolCode.Parse("060322"), book, term),
            ContentKind = kind,
            Sha256 = new string('b', 64),
            Length = 1,
            State = SubmissionState.Accepted,
            CreatedAt = PortalServer.Now,
            UpdatedAt = PortalServer.Now,
        }, UserClient.Token);
        (await ledger.SaveReceiptAsync(key, new Receipt
        {
            ReceiptId = "r-" + key, IdempotencyKey = key, SubmissionId = "s-" + key, SchoolCode = "060322", Book = book, SchoolYear = term.Year.RocYear, Term = (int)term.Term,
            IssuedAt = PortalServer.Now, RowCount = rows.Count, Rows = rows,
        }, new DateOnly(2024, 10, 25), UserClient.Token)).ShouldNotBeNull();
    }

    // The vendor's directory: the portal's student key is the 身分證號 here; the math course of 113-1.
    private sealed class Directory : IYearPackageDirectory
    {
        public ValueTask<NationalId?> FindNationalIdAsync(string studentKey, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<NationalId?>(NationalId.Parse(studentKey));

        public ValueTask<YearPackageCourse?> FindCourseAsync(string studentKey, SchoolTerm term, CourseCode courseCode, CancellationToken cancellationToken = default) =>
            ValueTask.FromResult<YearPackageCourse?>(new YearPackageCourse("數學", 1, 4));
    }
}
