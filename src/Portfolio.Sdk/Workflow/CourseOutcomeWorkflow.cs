using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Workflow;

/// <summary>The national selection caps for one school year (勾選上限).</summary>
/// <param name="CourseOutcomesPerYear">課程學習成果 per school year (6; older wording "3 a semester").</param>
/// <param name="PerformancesPerYear">多元表現 per school year (10; school-entered cadre records not counted).</param>
public sealed record SelectionCaps(int CourseOutcomesPerYear = SelectionCaps.DefaultCourseOutcomes, int PerformancesPerYear = SelectionCaps.DefaultPerformances)
{
    /// <summary>The default cap of course outcomes per school year.</summary>
    public const int DefaultCourseOutcomes = 6;

    /// <summary>The default cap of 多元表現 per school year.</summary>
    public const int DefaultPerformances = 10;
}

/// <summary>
/// The certification (認證) and selection (勾選) transitions of a course outcome, as seed 001 §4-7 describes them:
/// 送審, certify, reject with a required reason, edit and resend, withdraw a certification so the student can edit,
/// change the certifying teacher, assign a proxy, select, and lock on submission. A refused transition returns a
/// diagnostic and leaves the item as it was. Certification confirms the work is the student's own for the course:
/// no grade or quality condition exists here.
/// </summary>
public static class CourseOutcomeWorkflow
{
    /// <summary>The student edits the 簡述 and files (Draft or Rejected only).</summary>
    /// <param name="outcome">The item as read.</param>
    /// <param name="actor">Who acts.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="summary">The new 簡述.</param>
    /// <param name="fileHashes">The new files, by SHA-256.</param>
    /// <returns>The result.</returns>
    public static WorkflowResult<CourseOutcome> Edit(CourseOutcome outcome, PortfolioActor actor, long expectedVersion, string summary, IReadOnlyList<string> fileHashes)
    {
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(fileHashes);
        return Transition(outcome, actor, expectedVersion, PortfolioOperation.EditOwnPortfolio, "修改", "edited", [CertificationState.Draft, CertificationState.Rejected],
            o => o with { Summary = summary, FileHashes = [.. fileHashes] });
    }

    /// <summary>The student sends it for certification (送審): Draft or Rejected → Pending.</summary>
    /// <param name="outcome">The item as read.</param>
    /// <param name="actor">Who acts.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <returns>The result.</returns>
    public static WorkflowResult<CourseOutcome> SubmitForCertification(CourseOutcome outcome, PortfolioActor actor, long expectedVersion) =>
        Transition(outcome, actor, expectedVersion, PortfolioOperation.SubmitForCertification, "送審", "sent for certification", [CertificationState.Draft, CertificationState.Rejected],
            o => o with { State = CertificationState.Pending });

    /// <summary>The certifying teacher or the proxy certifies it: Pending → Certified.</summary>
    /// <param name="outcome">The item as read.</param>
    /// <param name="actor">Who acts.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <returns>The result.</returns>
    public static WorkflowResult<CourseOutcome> Certify(CourseOutcome outcome, PortfolioActor actor, long expectedVersion) =>
        TeacherTransition(outcome, actor, expectedVersion, "認證", "certified", [CertificationState.Pending],
            o => o with { State = CertificationState.Certified, CertificationNote = null });

    /// <summary>The certifying teacher or the proxy rejects it with a reason: Pending → Rejected.</summary>
    /// <param name="outcome">The item as read.</param>
    /// <param name="actor">Who acts.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="reason">The 認證說明; required.</param>
    /// <returns>The result.</returns>
    public static WorkflowResult<CourseOutcome> Reject(CourseOutcome outcome, PortfolioActor actor, long expectedVersion, string? reason)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.UserId != outcome.CertifyingTeacher && actor.UserId != outcome.ProxyTeacher)
        {
            return WorkflowResult<CourseOutcome>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.NotCertifyingTeacher, null));
        }

        if (string.IsNullOrWhiteSpace(reason))
        {
            return WorkflowResult<CourseOutcome>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.RejectionReasonRequired, null));
        }

        return TeacherTransition(outcome, actor, expectedVersion, "退回", "rejected", [CertificationState.Pending],
            o => o with { State = CertificationState.Rejected, CertificationNote = reason.Trim() });
    }

    /// <summary>The certifying teacher or the proxy withdraws a certification so the student can edit (取消認證): Certified → Draft, unselected.</summary>
    /// <param name="outcome">The item as read.</param>
    /// <param name="actor">Who acts.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <returns>The result.</returns>
    public static WorkflowResult<CourseOutcome> WithdrawCertification(CourseOutcome outcome, PortfolioActor actor, long expectedVersion) =>
        TeacherTransition(outcome, actor, expectedVersion, "取消認證", "withdrawn", [CertificationState.Certified],
            o => o with { State = CertificationState.Draft, SelectedFor = null });

    /// <summary>Staff or the course's teacher change the certifying teacher (更換認證教師); not once certified.</summary>
    /// <param name="outcome">The item as read.</param>
    /// <param name="actor">Who acts.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="teacher">The new certifying teacher's user id.</param>
    /// <returns>The result.</returns>
    public static WorkflowResult<CourseOutcome> ChangeCertifyingTeacher(CourseOutcome outcome, PortfolioActor actor, long expectedVersion, string teacher)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(teacher);
        return Transition(outcome, actor, expectedVersion, PortfolioOperation.AssignCertifyingTeacher, "更換認證教師", "given another certifying teacher",
            [CertificationState.Draft, CertificationState.Pending, CertificationState.Rejected], o => o with { CertifyingTeacher = teacher });
    }

    /// <summary>Staff or the course's teacher assign (or clear) a proxy teacher (代理人).</summary>
    /// <param name="outcome">The item as read.</param>
    /// <param name="actor">Who acts.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="proxy">The proxy's user id, or <see langword="null"/> to clear.</param>
    /// <returns>The result.</returns>
    public static WorkflowResult<CourseOutcome> AssignProxy(CourseOutcome outcome, PortfolioActor actor, long expectedVersion, string? proxy) =>
        Transition(outcome, actor, expectedVersion, PortfolioOperation.AssignCertifyingTeacher, "指定代理教師", "given a proxy teacher",
            [CertificationState.Draft, CertificationState.Pending, CertificationState.Rejected, CertificationState.Certified], o => o with { ProxyTeacher = proxy });

    /// <summary>The student selects it for <paramref name="year"/>'s submission (勾選): only when certified and under the cap.</summary>
    /// <param name="outcome">The item as read.</param>
    /// <param name="actor">Who acts.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="year">The school year of the submission.</param>
    /// <param name="alreadySelected">How many of the student's course outcomes are already selected for that year.</param>
    /// <param name="caps">The caps.</param>
    /// <returns>The result.</returns>
    public static WorkflowResult<CourseOutcome> Select(CourseOutcome outcome, PortfolioActor actor, long expectedVersion, SchoolYear year, int alreadySelected, SelectionCaps caps)
    {
        ArgumentNullException.ThrowIfNull(caps);
        if (Precheck(outcome, actor, expectedVersion, PortfolioOperation.SelectItems) is { } problem)
        {
            return WorkflowResult<CourseOutcome>.Refused(problem);
        }

        if (outcome.State != CertificationState.Certified)
        {
            return WorkflowResult<CourseOutcome>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.SelectionNotCertified, null));
        }

        if (outcome.SelectedFor == year)
        {
            return WorkflowResult<CourseOutcome>.Ok(outcome);
        }

        if (alreadySelected >= caps.CourseOutcomesPerYear)
        {
            return WorkflowResult<CourseOutcome>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.SelectionCap, null, year.RocYear, alreadySelected, "課程學習成果", caps.CourseOutcomesPerYear, "course outcomes"));
        }

        return WorkflowResult<CourseOutcome>.Ok(outcome with { SelectedFor = year, Version = outcome.Version + 1 });
    }

    /// <summary>The student unselects it (not once locked).</summary>
    /// <param name="outcome">The item as read.</param>
    /// <param name="actor">Who acts.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <returns>The result.</returns>
    public static WorkflowResult<CourseOutcome> Unselect(CourseOutcome outcome, PortfolioActor actor, long expectedVersion) =>
        Precheck(outcome, actor, expectedVersion, PortfolioOperation.SelectItems) is { } problem
            ? WorkflowResult<CourseOutcome>.Refused(problem)
            : WorkflowResult<CourseOutcome>.Ok(outcome with { SelectedFor = null, Version = outcome.Version + 1 });

    /// <summary>Submitting the roster locks what it took (提交後學生端即鎖定).</summary>
    /// <param name="outcome">The item as read.</param>
    /// <param name="actor">Who submits (課程學習提交者).</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <returns>The result.</returns>
    public static WorkflowResult<CourseOutcome> LockForSubmission(CourseOutcome outcome, PortfolioActor actor, long expectedVersion)
    {
        if (Precheck(outcome, actor, expectedVersion, PortfolioOperation.SubmitCourseOutcomeRoster) is { } problem)
        {
            return WorkflowResult<CourseOutcome>.Refused(problem);
        }

        return outcome.SelectedFor is null
            ? Invalid(outcome, "鎖定（未勾選）", "locked (not selected)")
            : WorkflowResult<CourseOutcome>.Ok(outcome with { IsLocked = true, Version = outcome.Version + 1 });
    }

    /// <summary>A dispute after the receipt (收訖明細) unlocks a submitted item for correction; nothing else does.</summary>
    /// <param name="outcome">The item as read.</param>
    /// <param name="actor">Who submits the correction (課程學習提交者).</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="disputeReference">The receipt dispute that calls for the correction; required.</param>
    /// <returns>The result.</returns>
    public static WorkflowResult<CourseOutcome> UnlockForCorrection(CourseOutcome outcome, PortfolioActor actor, long expectedVersion, string disputeReference)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(disputeReference);
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Check(PortfolioOperation.SubmitCourseOutcomeRoster, outcome.Target) is { } denied)
        {
            return WorkflowResult<CourseOutcome>.Refused(denied);
        }

        if (expectedVersion != outcome.Version)
        {
            return WorkflowResult<CourseOutcome>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.VersionConflict, null, expectedVersion, outcome.Version));
        }

        return outcome.IsLocked
            ? WorkflowResult<CourseOutcome>.Ok(outcome with { IsLocked = false, Version = outcome.Version + 1 })
            : Invalid(outcome, "解除鎖定（未鎖定）", "unlocked (it is not locked)");
    }

    private static WorkflowResult<CourseOutcome> TeacherTransition(CourseOutcome outcome, PortfolioActor actor, long expectedVersion, string zh, string en,
        CertificationState[] from, Func<CourseOutcome, CourseOutcome> apply)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(actor);

        // Only the assigned teacher or the proxy certifies: not the course's other teachers, not staff, not the administrator.
        if (actor.UserId != outcome.CertifyingTeacher && actor.UserId != outcome.ProxyTeacher)
        {
            return WorkflowResult<CourseOutcome>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.NotCertifyingTeacher, null));
        }

        return Transition(outcome, actor, expectedVersion, PortfolioOperation.CertifyCourseOutcome, zh, en, from, apply);
    }

    private static WorkflowResult<CourseOutcome> Transition(CourseOutcome outcome, PortfolioActor actor, long expectedVersion, PortfolioOperation operation,
        string zh, string en, CertificationState[] from, Func<CourseOutcome, CourseOutcome> apply)
    {
        if (Precheck(outcome, actor, expectedVersion, operation) is { } problem)
        {
            return WorkflowResult<CourseOutcome>.Refused(problem);
        }

        return Array.IndexOf(from, outcome.State) < 0
            ? Invalid(outcome, zh, en)
            : WorkflowResult<CourseOutcome>.Ok(apply(outcome) with { Version = outcome.Version + 1 });
    }

    private static Diagnostic? Precheck(CourseOutcome outcome, PortfolioActor actor, long expectedVersion, PortfolioOperation operation)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Check(operation, outcome.Target) is { } denied)
        {
            return denied;
        }

        if (expectedVersion != outcome.Version)
        {
            return DiagnosticCatalog.Create(DiagnosticCodes.VersionConflict, null, expectedVersion, outcome.Version);
        }

        return outcome.IsLocked ? DiagnosticCatalog.Create(DiagnosticCodes.ItemLocked, null) : null;
    }

    private static WorkflowResult<CourseOutcome> Invalid(CourseOutcome outcome, string zh, string en)
    {
        var state = PortfolioDisplayNames.Of(outcome.State);
        return WorkflowResult<CourseOutcome>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.TransitionInvalid, null, state.Chinese, zh, state.English, en));
    }
}
