using System.Reflection;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;
using static Portfolio.Sdk.Storage.Tests.ModuleFixture;

namespace Portfolio.Sdk.Storage.Tests;

/// <summary>
/// The guardian (家長) on a real store: bound by a request and the 導師's approval (臺北市 親子綁定), reading the bound
/// child's items and selections only, nothing before approval or after revocation, and refused on every write.
/// </summary>
public sealed class GuardianTests
{
    private const string GuardianId = "g-parent";

    private static readonly PortfolioActor Guardian = new(GuardianId, new HashSet<PortfolioRole> { PortfolioRole.Guardian });

    private static readonly PortfolioActor Homeroom101 = new("t-home-101", new HashSet<PortfolioRole> { PortfolioRole.HomeroomTeacher }) { Classes = new HashSet<string> { "101" } };

    private static readonly PortfolioActor Homeroom102 = new("t-home-102", new HashSet<PortfolioRole> { PortfolioRole.HomeroomTeacher }) { Classes = new HashSet<string> { "102" } };

    private static readonly PortfolioActor Admin = new("admin", new HashSet<PortfolioRole> { PortfolioRole.SystemAdministrator });

    public static TheoryData<string> Providers() => ["sqlite", "postgres"];

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<List<T>> ToListAsync<T>(IAsyncEnumerable<T> items)
    {
        var list = new List<T>();
        await foreach (var item in items)
        {
            list.Add(item);
        }

        return list;
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Guardian_SeesTheBoundChild_OnlyBetweenApprovalAndRevocation_NeverAnotherStudent(string provider)
    {
        await using var f = await OpenAsync(provider);
        var m = f.Module;
        var mine = await f.CertifiedOutcomeAsync();
        (await m.SelectCourseOutcomeAsync(Student, mine.Id, mine.Version, Year, Token)).Succeeded.ShouldBeTrue();
        (await m.UploadPerformanceAsync(Student, Performance(), Token)).Succeeded.ShouldBeTrue();
        var other = (await m.UploadCourseOutcomeAsync(OtherStudent, Outcome("S000002") with { ClassName = "102" }, Token)).Value!;

        // The guardian's own account asks; nothing is visible while the 導師 has not approved.
        var requested = await m.RequestGuardianBindingAsync(Guardian, GuardianId, StudentKey, "101", Token);
        requested.Succeeded.ShouldBeTrue(requested.ToString());
        requested.Value.State.ShouldBe(GuardianBindingState.Requested);
        (await ToListAsync(m.ListCourseOutcomesAsync(Guardian, StudentKey, Year, cancellationToken: Token))).ShouldBeEmpty();
        (await ToListAsync(m.ListPerformancesAsync(Guardian, StudentKey, Year, Token))).ShouldBeEmpty();

        // A guardian cannot ask for someone else's account; asking twice is PF3501.
        (await m.RequestGuardianBindingAsync(Guardian, "g-someone-else", StudentKey, "101", Token)).Problem!.Code.ShouldBe("PF3101");
        (await m.RequestGuardianBindingAsync(Guardian, GuardianId, StudentKey, "101", Token)).Problem!.Code.ShouldBe("PF3501");

        // Only the 導師 of the student's class decides: another class's 導師 and the school admin are refused.
        (await m.ApproveGuardianBindingAsync(Homeroom102, requested.Value.Id, requested.Value.Version, Token)).Problem!.Code.ShouldBe("PF3101");
        (await m.ApproveGuardianBindingAsync(Admin, requested.Value.Id, requested.Value.Version, Token)).Problem!.Code.ShouldBe("PF3101");
        (await m.ApproveGuardianBindingAsync(Guardian, requested.Value.Id, requested.Value.Version, Token)).Problem!.Code.ShouldBe("PF3101");
        (await ToListAsync(m.ListGuardianBindingsAsync(Homeroom101, "101", Token))).Single().State.ShouldBe(GuardianBindingState.Requested);
        (await ToListAsync(m.ListGuardianBindingsAsync(Homeroom102, "101", Token))).ShouldBeEmpty();
        var approved = await m.ApproveGuardianBindingAsync(Homeroom101, requested.Value.Id, requested.Value.Version, Token);
        approved.Succeeded.ShouldBeTrue(approved.ToString());

        // Approved: the child's items and selections, read only; never another student's.
        var outcomes = await ToListAsync(m.ListCourseOutcomesAsync(Guardian, StudentKey, Year, cancellationToken: Token));
        outcomes.Single().Id.ShouldBe(mine.Id);
        outcomes.Single().SelectedFor.ShouldBe(Year);
        (await ToListAsync(m.ListPerformancesAsync(Guardian, StudentKey, Year, Token))).Count.ShouldBe(1);
        (await ToListAsync(m.ListCourseOutcomesAsync(Guardian, "S000002", Year, cancellationToken: Token))).ShouldBeEmpty();
        (await ToListAsync(m.ListPerformancesAsync(Guardian, "S000002", Year, Token))).ShouldBeEmpty();
        (await m.GetClassStatusAsync(Guardian, Year, "101", Token)).Problem!.Code.ShouldBe("PF3101");
        (await m.GetSchoolStatisticsAsync(Guardian, Year, Token)).Problem!.Code.ShouldBe("PF3101");
        other.StudentKey.ShouldBe("S000002");

        // Children a caller makes up are ignored: the store decides.
        var forged = Guardian with { Children = new HashSet<string> { "S000002" } };
        (await ToListAsync(m.ListCourseOutcomesAsync(forged, "S000002", Year, cancellationToken: Token))).ShouldBeEmpty();

        // Revoked: nothing again.
        var revoked = await m.RevokeGuardianBindingAsync(Homeroom101, approved.Value.Id, approved.Value.Version, Token);
        revoked.Succeeded.ShouldBeTrue(revoked.ToString());
        (await ToListAsync(m.ListCourseOutcomesAsync(Guardian, StudentKey, Year, cancellationToken: Token))).ShouldBeEmpty();
        (await ToListAsync(m.ListPerformancesAsync(Guardian, StudentKey, Year, Token))).ShouldBeEmpty();
        (await m.RevokeGuardianBindingAsync(Homeroom101, revoked.Value.Id, revoked.Value.Version, Token)).Problem!.Code.ShouldBe("PF3102");

        // The school asks again; a stale version is refused; every step is in the audit trail.
        var again = await m.RequestGuardianBindingAsync(Admin, GuardianId, StudentKey, "101", Token);
        again.Succeeded.ShouldBeTrue(again.ToString());
        (await m.ApproveGuardianBindingAsync(Homeroom101, again.Value.Id, revoked.Value.Version, Token)).Problem!.Code.ShouldBe("PF3104");
        var actions = new List<string>();
        await foreach (var entry in f.Store.ReadAuditAsync(Token))
        {
            if (entry.EntityType == "guardian-binding")
            {
                actions.Add(entry.Action);
            }
        }

        actions.ShouldBe(["guardian-binding.request", "guardian-binding.approve", "guardian-binding.revoke", "guardian-binding.request"]);
        approved.Value.ToString().ShouldNotContain(StudentKey);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Guardian_IsRefusedEveryWrite_AndEveryStaffView_OfTheModule(string provider)
    {
        await using var f = await OpenAsync(provider);
        var m = f.Module;
        var outcome = await f.CertifiedOutcomeAsync();
        var performance = (await m.UploadPerformanceAsync(Student, Performance(), Token)).Value!;
        var binding = (await m.RequestGuardianBindingAsync(Admin, GuardianId, StudentKey, "101", Token)).Value!;
        binding = (await m.ApproveGuardianBindingAsync(Homeroom101, binding.Id, binding.Version, Token)).Value!;
        var (id, v, pid, pv) = (outcome.Id, outcome.Version, performance.Id, performance.Version);

        // Every call of the module that returns a result, by the approved guardian, on the bound child's own data.
        var calls = new Dictionary<string, Func<Task<object>>>
        {
            [nameof(m.UploadCourseOutcomeAsync)] = async () => await m.UploadCourseOutcomeAsync(Guardian, Outcome(), Token),
            [nameof(m.EditCourseOutcomeAsync)] = async () => await m.EditCourseOutcomeAsync(Guardian, id, v, "家長代寫的簡述：不可以", cancellationToken: Token),
            [nameof(m.SendForCertificationAsync)] = async () => await m.SendForCertificationAsync(Guardian, id, v, Token),
            [nameof(m.CertifyAsync)] = async () => await m.CertifyAsync(Guardian, id, v, Token),
            [nameof(m.RejectAsync)] = async () => await m.RejectAsync(Guardian, id, v, "no", Token),
            [nameof(m.WithdrawCertificationAsync)] = async () => await m.WithdrawCertificationAsync(Guardian, id, v, Token),
            [nameof(m.ChangeCertifyingTeacherAsync)] = async () => await m.ChangeCertifyingTeacherAsync(Guardian, id, v, GuardianId, Token),
            [nameof(m.AssignProxyAsync)] = async () => await m.AssignProxyAsync(Guardian, id, v, GuardianId, Token),
            [nameof(m.SelectCourseOutcomeAsync)] = async () => await m.SelectCourseOutcomeAsync(Guardian, id, v, Year, Token),
            [nameof(m.UnselectCourseOutcomeAsync)] = async () => await m.UnselectCourseOutcomeAsync(Guardian, id, v, Token),
            [nameof(m.LockCourseOutcomeAsync)] = async () => await m.LockCourseOutcomeAsync(Guardian, id, v, Token),
            [nameof(m.UnlockCourseOutcomeForCorrectionAsync)] = async () => await m.UnlockCourseOutcomeForCorrectionAsync(Guardian, id, v, "dispute", Token),
            [nameof(m.UploadPerformanceAsync)] = async () => await m.UploadPerformanceAsync(Guardian, Performance(), Token),
            [nameof(m.EditPerformanceAsync)] = async () => await m.EditPerformanceAsync(Guardian, pid, pv, "家長代寫", cancellationToken: Token),
            [nameof(m.SelectPerformanceAsync)] = async () => await m.SelectPerformanceAsync(Guardian, pid, pv, Year, Year, Token),
            [nameof(m.UnselectPerformanceAsync)] = async () => await m.UnselectPerformanceAsync(Guardian, pid, pv, Token),
            [nameof(m.LockPerformanceAsync)] = async () => await m.LockPerformanceAsync(Guardian, pid, pv, Token),
            [nameof(m.UnlockPerformanceForCorrectionAsync)] = async () => await m.UnlockPerformanceForCorrectionAsync(Guardian, pid, pv, "dispute", Token),
            [nameof(m.UnlockForCorrectionAsync)] = async () => await m.UnlockForCorrectionAsync(Guardian, new ReceiptRowReference("course-outcomes", new SchoolTerm(Year, Term.WholeYear), "outcome-semester", "A123456789|1131|x", "k#0"), Token),
            [nameof(m.RequestGuardianBindingAsync)] = async () => await m.RequestGuardianBindingAsync(Guardian, "g-other", "S000002", "102", Token),
            [nameof(m.ApproveGuardianBindingAsync)] = async () => await m.ApproveGuardianBindingAsync(Guardian, binding.Id, binding.Version, Token),
            [nameof(m.RevokeGuardianBindingAsync)] = async () => await m.RevokeGuardianBindingAsync(Guardian, binding.Id, binding.Version, Token),
            [nameof(m.GetClassStatusAsync)] = async () => await m.GetClassStatusAsync(Guardian, Year, "101", Token),
            [nameof(m.ListStudentsWithNothingSelectedAsync)] = async () => await m.ListStudentsWithNothingSelectedAsync(Guardian, Year, "101", Token),
            [nameof(m.GetSchoolStatisticsAsync)] = async () => await m.GetSchoolStatisticsAsync(Guardian, Year, Token),
            [nameof(m.GetCadreCountsAsync)] = async () => await m.GetCadreCountsAsync(Guardian, Year, "101", Token),
            [nameof(m.AssessAdmissionAsync)] = async () => await m.AssessAdmissionAsync(Guardian, StudentKey, Year, cancellationToken: Token),
            [nameof(m.ExportTransferAsync)] = async () => await m.ExportTransferAsync(Guardian, new TransferExportRequest
            {
                StudentKey = StudentKey, NationalId = NationalId.Parse("A123456789"), Name = "王小明", BirthDate = new DateOnly(2008, 1, 1),
                SchoolCode = SchoolCode.Parse("010301"), Term = new SchoolTerm(Year, Term.First),
            }, Stream.Null, Token),
            [nameof(m.ImportTransferAsync)] = async () => await m.ImportTransferAsync(Guardian, new TransferImportRequest
            {
                StudentKey = StudentKey, NationalId = NationalId.Parse("A123456789"),
            }, new MemoryStream([0x50, 0x4B, 0x05, 0x06, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]), Token),
        };

        // Reading the bound child's evidence files is allowed (read-only), and only through the approved binding.
        var download = await m.OpenCourseOutcomeFileAsync(Guardian, id, outcome.FileHashes[0], Token);
        download.Succeeded.ShouldBeTrue(download.ToString());
        await download.Value!.Content.DisposeAsync();
        var performanceDownload = await m.OpenPerformanceFileAsync(Guardian, pid, performance.FileHashes[0], Token);
        performanceDownload.Succeeded.ShouldBeTrue(performanceDownload.ToString());
        await performanceDownload.Value!.Content.DisposeAsync();
        var stranger = PortfolioActor.StudentOf("g-stranger", "S000009") with { Roles = new HashSet<PortfolioRole> { PortfolioRole.Guardian }, StudentKey = null };
        (await m.OpenCourseOutcomeFileAsync(stranger, id, outcome.FileHashes[0], Token)).Problem!.Code.ShouldBe("PF3101");
        var reads = new HashSet<string>(StringComparer.Ordinal) { nameof(m.OpenCourseOutcomeFileAsync), nameof(m.OpenPerformanceFileAsync) };

        // The walk covers every public method of the module that returns a result: a new one must be added here.
        var resultMethods = typeof(PortfolioModule).GetMethods(BindingFlags.Public | BindingFlags.Instance)
            .Where(mi => mi.ReturnType.IsGenericType && mi.ReturnType.GetGenericTypeDefinition() == typeof(Task<>)
                && mi.ReturnType.GetGenericArguments()[0].IsGenericType && mi.ReturnType.GetGenericArguments()[0].GetGenericTypeDefinition() == typeof(PortfolioResult<>))
            .Select(mi => mi.Name).Distinct().Order().ToList();
        calls.Keys.Concat(reads).Order().ShouldBe(resultMethods);

        foreach (var (name, call) in calls)
        {
            var result = await call();
            var problem = (Portfolio.Sdk.Diagnostics.Diagnostic?)result.GetType().GetProperty("Problem")!.GetValue(result);
            problem.ShouldNotBeNull(name);
            problem.Code.ShouldBe("PF3101", name);
        }

        // Nothing changed: the outcome and item are as they were, the binding still approved.
        (await f.Store.GetAsync(id, Token))!.Version.ShouldBe(v);
        (await f.Store.GetPerformanceAsync(pid, Token))!.Version.ShouldBe(pv);
        (await ToListAsync(m.ListGuardianBindingsAsync(Guardian, cancellationToken: Token))).Single().State.ShouldBe(GuardianBindingState.Approved);
    }
}
