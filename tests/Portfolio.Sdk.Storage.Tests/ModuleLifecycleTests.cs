using System.Text;
using Portfolio.Sdk.Audit;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;
using static Portfolio.Sdk.Storage.Tests.ModuleFixture;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>Every activity of the module and every refusal, through the service alone, on SQLite and PostgreSQL.</summary>
public sealed class ModuleLifecycleTests
{
    public static TheoryData<string> Providers() => ["sqlite", "postgres"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<List<AuditEntry>> AuditAsync(PortfolioStore store)
    {
        var entries = new List<AuditEntry>();
        await foreach (var entry in store.ReadAuditAsync(Token))
        {
            entries.Add(entry);
        }

        return entries;
    }

    private static void ShouldBeRefused<T>(PortfolioResult<T> result, string code)
        where T : class
    {
        result.Succeeded.ShouldBeFalse(result.ToString());
        result.Problem!.Code.ShouldBe(code, result.ToString());
        result.Problem.Message.ShouldNotBeNullOrWhiteSpace();
        result.Problem.MessageEnglish.ShouldNotBeNullOrWhiteSpace();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CourseOutcome_WholeCycle_EveryStepAuditedInTheSameTransaction(string provider)
    {
        await using var f = await OpenAsync(provider);
        var m = f.Module;

        var uploaded = await m.UploadCourseOutcomeAsync(Student, Outcome(), Token);
        uploaded.Succeeded.ShouldBeTrue(uploaded.ToString());
        uploaded.Value.State.ShouldBe(CertificationState.Draft);
        uploaded.Value.FileHashes.Count.ShouldBe(1);

        var sent = await m.SendForCertificationAsync(Student, uploaded.Value.Id, uploaded.Value.Version, Token);
        sent.Value!.State.ShouldBe(CertificationState.Pending);

        ShouldBeRefused(await m.RejectAsync(MathTeacher, sent.Value.Id, sent.Value.Version, "  ", Token), DiagnosticCodes.RejectionReasonRequired);
        ShouldBeRefused(await m.CertifyAsync(OtherTeacher, sent.Value.Id, sent.Value.Version, Token), DiagnosticCodes.PermissionDenied);
        var rejected = await m.RejectAsync(MathTeacher, sent.Value.Id, sent.Value.Version, "請補上自己負責的部分", Token);
        rejected.Value!.State.ShouldBe(CertificationState.Rejected);
        rejected.Value.CertificationNote.ShouldBe("請補上自己負責的部分");

        var edited = await m.EditCourseOutcomeAsync(Student, rejected.Value.Id, rejected.Value.Version, "我負責資料蒐集與繪圖，學到用圖形檢驗猜想。", [Pdf("v2")], cancellationToken: Token);
        edited.Succeeded.ShouldBeTrue(edited.ToString());
        edited.Value.FileHashes.ShouldNotBe(uploaded.Value.FileHashes);
        var resent = await m.SendForCertificationAsync(Student, edited.Value.Id, edited.Value.Version, Token);
        var certified = await m.CertifyAsync(MathTeacher, resent.Value!.Id, resent.Value.Version, Token);
        certified.Value!.State.ShouldBe(CertificationState.Certified);
        ShouldBeRefused(await m.EditCourseOutcomeAsync(Student, certified.Value.Id, certified.Value.Version, "改", cancellationToken: Token), DiagnosticCodes.TransitionInvalid);

        // Selection: only for a credited course, only in its own year.
        ShouldBeRefused(await m.SelectCourseOutcomeAsync(Student, certified.Value.Id, certified.Value.Version, Year, Token), DiagnosticCodes.CourseNotCredited);
        (await f.Store.RecordCreditedCoursesAsync(StudentKey, "101", Term1, [MathCourse], Token)).ShouldBe(1);
        (await f.Store.RecordCreditedCoursesAsync(StudentKey, "101", Term1, [MathCourse], Token)).ShouldBe(0);
        ShouldBeRefused(await m.SelectCourseOutcomeAsync(Student, certified.Value.Id, certified.Value.Version, new SchoolYear(114), Token), DiagnosticCodes.SelectionOutsideOwnYear);
        var selected = await m.SelectCourseOutcomeAsync(Student, certified.Value.Id, certified.Value.Version, Year, Token);
        selected.Value!.SelectedFor.ShouldBe(Year);

        // Lock on submission; the student can no longer unselect; a dispute unlocks it for correction.
        ShouldBeRefused(await m.LockCourseOutcomeAsync(Student, selected.Value.Id, selected.Value.Version, Token), DiagnosticCodes.PermissionDenied);
        var locked = await m.LockCourseOutcomeAsync(CourseStaff, selected.Value.Id, selected.Value.Version, Token);
        locked.Value!.IsLocked.ShouldBeTrue();
        ShouldBeRefused(await m.UnselectCourseOutcomeAsync(Student, locked.Value.Id, locked.Value.Version, Token), DiagnosticCodes.ItemLocked);
        ShouldBeRefused(await m.WithdrawCertificationAsync(MathTeacher, locked.Value.Id, locked.Value.Version, Token), DiagnosticCodes.ItemLocked);
        var unlocked = await m.UnlockCourseOutcomeForCorrectionAsync(CourseStaff, locked.Value.Id, locked.Value.Version, "receipt-113-dispute-7", Token);
        unlocked.Value!.IsLocked.ShouldBeFalse();
        var unselected = await m.UnselectCourseOutcomeAsync(Student, unlocked.Value.Id, unlocked.Value.Version, Token);
        unselected.Value!.SelectedFor.ShouldBeNull();
        ShouldBeRefused(await m.UnselectCourseOutcomeAsync(Student, unselected.Value.Id, unselected.Value.Version, Token), DiagnosticCodes.TransitionInvalid);
        var withdrawn = await m.WithdrawCertificationAsync(MathTeacher, unselected.Value.Id, unselected.Value.Version, Token);
        withdrawn.Value!.State.ShouldBe(CertificationState.Draft);

        var read = (await f.Store.GetAsync(withdrawn.Value.Id, Token))!;
        (read.State, read.Version, read.SelectedFor, read.IsLocked, read.Summary).ShouldBe((CertificationState.Draft, withdrawn.Value.Version, (SchoolYear?)null, false, withdrawn.Value.Summary));
        read.FileHashes.ShouldBe(edited.Value.FileHashes);
        var audit = await AuditAsync(f.Store);
        AuditTrail.Verify(audit).ShouldBeEmpty();
        audit.Select(a => a.Action).ShouldBe(
        [
            "course-outcome.upload", "course-outcome.send", "course-outcome.reject", "course-outcome.edit", "course-outcome.send", "course-outcome.certify",
            "course-outcome.select", "course-outcome.lock", "course-outcome.unlock", "course-outcome.unselect", "course-outcome.withdraw",
        ]);
        audit.ShouldAllBe(a => a.ActorId != null && a.EntityId == withdrawn.Value.Id.ToString("D"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task CourseOutcome_TeacherChangeAndProxy_AndEveryRefusal(string provider)
    {
        await using var f = await OpenAsync(provider);
        var m = f.Module;
        var uploaded = (await m.UploadCourseOutcomeAsync(Student, Outcome(), Token)).Value!;

        ShouldBeRefused(await m.UploadCourseOutcomeAsync(OtherStudent, Outcome(), Token), DiagnosticCodes.PermissionDenied);
        ShouldBeRefused(await m.SendForCertificationAsync(OtherStudent, uploaded.Id, uploaded.Version, Token), DiagnosticCodes.PermissionDenied);
        ShouldBeRefused(await m.SendForCertificationAsync(Student, uploaded.Id, uploaded.Version + 5, Token), DiagnosticCodes.VersionConflict);
        ShouldBeRefused(await m.SendForCertificationAsync(Student, Guid.NewGuid(), 1, Token), DiagnosticCodes.ItemNotFound);
        ShouldBeRefused(await m.ChangeCertifyingTeacherAsync(Student, uploaded.Id, uploaded.Version, "t-other", Token), DiagnosticCodes.PermissionDenied);

        // Seed 001: changing the certifying teacher or naming a proxy is the 授課教師's (認證 column), not the staff's.
        ShouldBeRefused(await m.ChangeCertifyingTeacherAsync(CourseStaff, uploaded.Id, uploaded.Version, "t-other", Token), DiagnosticCodes.PermissionDenied);
        var courseTeacher = MathTeacher with { Courses = new HashSet<string> { MathCourse.Value } };
        var changed = (await m.ChangeCertifyingTeacherAsync(courseTeacher, uploaded.Id, uploaded.Version, "t-other", Token)).Value!;
        changed.CertifyingTeacher.ShouldBe("t-other");
        var proxied = (await m.AssignProxyAsync(courseTeacher, changed.Id, changed.Version, "t-proxy", Token)).Value!;
        var sent = (await m.SendForCertificationAsync(Student, proxied.Id, proxied.Version, Token)).Value!;
        ShouldBeRefused(await m.CertifyAsync(MathTeacher, sent.Id, sent.Version, Token), DiagnosticCodes.PermissionDenied);
        var mathOfCourse = MathTeacher with { Courses = new HashSet<string> { MathCourse.Value } };
        ShouldBeRefused(await m.CertifyAsync(mathOfCourse, sent.Id, sent.Version, Token), DiagnosticCodes.NotCertifyingTeacher);
        var proxy = new PortfolioActor("t-proxy", new HashSet<PortfolioRole> { PortfolioRole.CourseTeacher });
        (await m.CertifyAsync(proxy, sent.Id, sent.Version, Token)).Value!.State.ShouldBe(CertificationState.Certified);

        // A file is typed by its content: an executable named anything is refused, and nothing is saved.
        var exe = Outcome() with { Files = [new MemoryStream(Encoding.ASCII.GetBytes("MZ\u0090\0 not a pdf at all"))] };
        ShouldBeRefused(await m.UploadCourseOutcomeAsync(Student, exe, Token), DiagnosticCodes.FileTypeUnsupported);
        (await AuditAsync(f.Store)).Count(a => a.Action == "course-outcome.upload").ShouldBe(1);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Windows_CloseUploadCertificationAndSelection(string provider)
    {
        var policy = new PortfolioPolicy(PortfolioPolicy.Default.National, new SchoolPolicy
        {
            Windows =
            [
                new PolicyWindow(PolicyWindowKind.Upload, Term1, new DateOnly(2024, 9, 1), new DateOnly(2024, 10, 31)),
                new PolicyWindow(PolicyWindowKind.Certification, Term1, new DateOnly(2024, 9, 1), new DateOnly(2024, 11, 15)),
                new PolicyWindow(PolicyWindowKind.Selection, new SchoolTerm(Year, Term.WholeYear), new DateOnly(2024, 9, 1), new DateOnly(2024, 11, 30)),
            ],
        });
        await using var f = await OpenAsync(provider, policy);
        var certified = await f.CertifiedOutcomeAsync();
        var pending = (await f.Module.UploadCourseOutcomeAsync(Student, Outcome(), Token)).Value!;
        pending = (await f.Module.SendForCertificationAsync(Student, pending.Id, pending.Version, Token)).Value!;

        f.Clock.SetUtcNow(new DateTimeOffset(2024, 11, 20, 2, 0, 0, TimeSpan.Zero));
        ShouldBeRefused(await f.Module.UploadCourseOutcomeAsync(Student, Outcome(), Token), DiagnosticCodes.WindowClosed);
        ShouldBeRefused(await f.Module.CertifyAsync(MathTeacher, pending.Id, pending.Version, Token), DiagnosticCodes.WindowClosed);
        (await f.Module.SelectCourseOutcomeAsync(Student, certified.Id, certified.Version, Year, Token)).Succeeded.ShouldBeTrue();

        f.Clock.SetUtcNow(new DateTimeOffset(2024, 12, 2, 2, 0, 0, TimeSpan.Zero));
        var closed = await f.Module.SelectCourseOutcomeAsync(Student, certified.Id, certified.Version + 1, Year, Token);
        ShouldBeRefused(closed, DiagnosticCodes.WindowClosed);
        closed.Problem!.Message.ShouldContain("勾選");
        closed.Problem.MessageEnglish.ShouldContain("selection");
        var item = (await f.Module.UploadPerformanceAsync(ImportStaff, Performance(proof: false), Token)).Value!;
        ShouldBeRefused(await f.Module.SelectPerformanceAsync(Student, item.Id, item.Version, Year, new SchoolYear(113), Token), DiagnosticCodes.WindowClosed);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Caps_UploadPerTermAndSubject_SelectionPerYearAndPerTerm_CountedInTheStore(string provider)
    {
        var policy = new PortfolioPolicy(PortfolioPolicy.Default.National, new SchoolPolicy { CourseOutcomeUploadsPerTerm = 9, CourseOutcomeUploadsPerSubject = 8, SelectionCapPerTerm = 3, PerformanceUploadsPerYear = 12 });
        await using var f = await OpenAsync(provider, policy);
        var term2 = SchoolTerm.Parse("113-2");
        var firstTerm = new List<CourseOutcome>();
        for (var i = 0; i < 4; i++)
        {
            firstTerm.Add(await f.CertifiedOutcomeAsync());
        }

        var secondTerm = new List<CourseOutcome>();
        for (var i = 0; i < 4; i++)
        {
            secondTerm.Add(await f.CertifiedOutcomeAsync(term: term2));
        }

        for (var i = 0; i < 4; i++)
        {
            (await f.Module.UploadCourseOutcomeAsync(Student, Outcome(), Token)).Succeeded.ShouldBeTrue();
        }

        // 8 of the subject this term: the subject cap (8) refuses the 9th upload.
        var refused = await f.Module.UploadCourseOutcomeAsync(Student, Outcome(), Token);
        ShouldBeRefused(refused, DiagnosticCodes.UploadCap);
        refused.Diagnostics.Count(d => d.Code == DiagnosticCodes.UploadCap).ShouldBe(1);
        (await f.Module.UploadCourseOutcomeAsync(Student, Outcome(course: CourseCode.Parse("113060322H1110101010102")), Token)).Succeeded.ShouldBeTrue();
        ShouldBeRefused(await f.Module.UploadCourseOutcomeAsync(Student, Outcome(course: CourseCode.Parse("113060322H1110101010103")), Token), DiagnosticCodes.UploadCap);

        // Per term 3 (Taipei), per year 6.
        for (var i = 0; i < 3; i++)
        {
            (await f.Module.SelectCourseOutcomeAsync(Student, firstTerm[i].Id, firstTerm[i].Version, Year, Token)).Succeeded.ShouldBeTrue();
        }

        var perTerm = await f.Module.SelectCourseOutcomeAsync(Student, firstTerm[3].Id, firstTerm[3].Version, Year, Token);
        ShouldBeRefused(perTerm, DiagnosticCodes.SelectionCap);
        perTerm.Problem!.Message.ShouldContain("第 1 學期");
        for (var i = 0; i < 3; i++)
        {
            (await f.Module.SelectCourseOutcomeAsync(Student, secondTerm[i].Id, secondTerm[i].Version, Year, Token)).Succeeded.ShouldBeTrue();
        }

        (await f.Store.CountSelectedAsync(StudentKey, Year, Token)).ShouldBe(6);
        var reselect = await f.Module.SelectCourseOutcomeAsync(Student, firstTerm[0].Id, firstTerm[0].Version + 1, Year, Token);
        reselect.Succeeded.ShouldBeTrue("selecting an item already selected is a no-op");
        reselect.Value.Version.ShouldBe(firstTerm[0].Version + 1);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task NationalCourseOutcomeCap_SixAYear(string provider)
    {
        await using var f = await OpenAsync(provider);
        var outcomes = new List<CourseOutcome>();
        for (var i = 0; i < 7; i++)
        {
            outcomes.Add(await f.CertifiedOutcomeAsync());
        }

        for (var i = 0; i < 6; i++)
        {
            (await f.Module.SelectCourseOutcomeAsync(Student, outcomes[i].Id, outcomes[i].Version, Year, Token)).Succeeded.ShouldBeTrue();
        }

        var seventh = await f.Module.SelectCourseOutcomeAsync(Student, outcomes[6].Id, outcomes[6].Version, Year, Token);
        ShouldBeRefused(seventh, DiagnosticCodes.SelectionCap);
        seventh.Problem!.Message.ShouldBe("113 學年度已勾選 6 件課程學習成果，上限 6 件");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Performance_ProofImportCadreSelectLockUnlock(string provider)
    {
        var policy = new PortfolioPolicy(PortfolioPolicy.Default.National, new SchoolPolicy { PerformanceUploadsPerYear = 12 });
        await using var f = await OpenAsync(provider, policy);
        var m = f.Module;
        var entry = new SchoolYear(113);

        ShouldBeRefused(await m.UploadPerformanceAsync(Student, Performance(proof: false), Token), DiagnosticCodes.ProofRequired);
        ShouldBeRefused(await m.UploadPerformanceAsync(OtherStudent, Performance(), Token), DiagnosticCodes.PermissionDenied);
        var own = (await m.UploadPerformanceAsync(Student, Performance(), Token)).Value!;
        own.FileHashes.Count.ShouldBe(1);

        // Staff import: no proof yet; the item is the student's, who attaches the proof before selecting (§4-5.2).
        var imported = (await m.UploadPerformanceAsync(ImportStaff, Performance(proof: false) with { Summary = null }, Token)).Value!;
        imported.StudentKey.ShouldBe(StudentKey);
        ShouldBeRefused(await m.SelectPerformanceAsync(Student, imported.Id, imported.Version, Year, entry, Token), DiagnosticCodes.ProofRequired);
        ShouldBeRefused(await m.EditPerformanceAsync(Student, imported.Id, imported.Version, "我是隊長，負責整體規劃。", cancellationToken: Token), DiagnosticCodes.ProofRequired);
        var completed = (await m.EditPerformanceAsync(Student, imported.Id, imported.Version, "我是隊長，負責整體規劃。", files: [Pdf("proof2")], cancellationToken: Token)).Value!;
        var selected = (await m.SelectPerformanceAsync(Student, completed.Id, completed.Version, Year, entry, Token)).Value!;
        selected.SelectedFor.ShouldBe(Year);

        // School-entered cadre records: entered by the 校內幹部提交者, never selected.
        ShouldBeRefused(await m.UploadPerformanceAsync(ImportStaff, Performance(proof: false) with { Category = "performance-cadre", IsSchoolEntered = true }, Token), DiagnosticCodes.PermissionDenied);
        var cadre = (await m.UploadPerformanceAsync(CadreStaff, Performance(proof: false) with { Category = "performance-cadre", IsSchoolEntered = true, Summary = null }, Token)).Value!;
        ShouldBeRefused(await m.SelectPerformanceAsync(Student, cadre.Id, cadre.Version, Year, entry, Token), DiagnosticCodes.SchoolEnteredNotSelectable);
        ShouldBeRefused(await m.EditPerformanceAsync(Student, cadre.Id, cadre.Version, "改", cancellationToken: Token), DiagnosticCodes.PermissionDenied);
        ShouldBeRefused(await m.SelectPerformanceAsync(Student, own.Id, own.Version, Year, new SchoolYear(114), Token), DiagnosticCodes.PerformanceBeforeEntry);

        // Lock on submission, unselect refused, unlock for correction, unselect, edit.
        ShouldBeRefused(await m.LockPerformanceAsync(PerformanceStaff, own.Id, own.Version, Token), DiagnosticCodes.TransitionInvalid);
        var locked = (await m.LockPerformanceAsync(PerformanceStaff, selected.Id, selected.Version, Token)).Value!;
        ShouldBeRefused(await m.UnselectPerformanceAsync(Student, locked.Id, locked.Version, Token), DiagnosticCodes.ItemLocked);
        ShouldBeRefused(await m.EditPerformanceAsync(Student, locked.Id, locked.Version, "改寫", cancellationToken: Token), DiagnosticCodes.ItemLocked);
        ShouldBeRefused(await m.UnlockPerformanceForCorrectionAsync(Student, locked.Id, locked.Version, "d-1", Token), DiagnosticCodes.PermissionDenied);
        var unlocked = (await m.UnlockPerformanceForCorrectionAsync(PerformanceStaff, locked.Id, locked.Version, "d-1", Token)).Value!;
        var unselected = (await m.UnselectPerformanceAsync(Student, unlocked.Id, unlocked.Version, Token)).Value!;
        unselected.SelectedFor.ShouldBeNull();
        var rewritten = (await m.EditPerformanceAsync(Student, unselected.Id, unselected.Version, "我是隊長：負責規劃與分工，學到協調。", cancellationToken: Token)).Value!;
        rewritten.FileHashes.ShouldBe(completed.FileHashes);
        (await m.LockPerformanceAsync(CadreStaff, cadre.Id, cadre.Version, Token)).Value!.IsLocked.ShouldBeTrue();

        // The national cap: 10 a year, the cadre record not counted.
        var items = new List<PerformanceItem> { rewritten };
        for (var i = 0; i < 10; i++)
        {
            items.Add((await m.UploadPerformanceAsync(Student, Performance(), Token)).Value!);
        }

        ShouldBeRefused(await m.UploadPerformanceAsync(Student, Performance(), Token), DiagnosticCodes.UploadCap);
        for (var i = 0; i < 10; i++)
        {
            (await m.SelectPerformanceAsync(Student, items[i].Id, items[i].Version, Year, entry, Token)).Succeeded.ShouldBeTrue();
        }

        ShouldBeRefused(await m.SelectPerformanceAsync(Student, items[10].Id, items[10].Version, Year, entry, Token), DiagnosticCodes.SelectionCap);
        (await f.Store.CountSelectedPerformancesAsync(StudentKey, Year, Token)).ShouldBe(10);
        AuditTrail.Verify(await AuditAsync(f.Store)).ShouldBeEmpty();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task StorageQuota_CountsTheStudentsDistinctFiles_FromTheStore(string provider)
    {
        var policy = new PortfolioPolicy(PortfolioPolicy.Default.National, new SchoolPolicy { StorageQuotaBytes = 1000 });
        await using var f = await OpenAsync(provider, policy);
        static byte[] Padded(string tag, int length) => Encoding.ASCII.GetBytes(("%PDF-1.4\n% " + tag + " ").PadRight(length - 6, 'x') + "\n%%EOF");
        var big = Padded("a", 600);

        var first = (await f.Module.UploadCourseOutcomeAsync(Student, Outcome() with { Files = [new MemoryStream(big)] }, Token)).Value!;
        var over = await f.Module.UploadCourseOutcomeAsync(Student, Outcome() with { Files = [new MemoryStream(Padded("b", 600))] }, Token);
        ShouldBeRefused(over, DiagnosticCodes.StorageQuota);
        (await f.Module.UploadCourseOutcomeAsync(OtherStudent, Outcome("S000002") with { Files = [new MemoryStream(Padded("c", 600))] }, Token)).Succeeded.ShouldBeTrue("another student's files are theirs");
        (await f.Module.UploadCourseOutcomeAsync(Student, Outcome() with { Files = [new MemoryStream(big)] }, Token)).Succeeded.ShouldBeTrue("the same content is stored and counted once");
        (await f.Module.EditCourseOutcomeAsync(Student, first.Id, first.Version, first.Summary, [new MemoryStream(Padded("d", 300))], cancellationToken: Token)).Succeeded.ShouldBeTrue("an edit's old files are not counted");
    }
}
