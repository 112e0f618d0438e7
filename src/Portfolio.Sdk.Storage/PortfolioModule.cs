using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Storage;

/// <summary>
/// The portfolio module as one service (學習歷程模組): each activity of students, teachers and staff in one call. The
/// caller passes the actor and the item; the service checks the permission (<see cref="PermissionMatrix"/>), the
/// school's window (<see cref="PortfolioPolicy.CheckWindow(PolicyWindowKind, SchoolTerm, DateOnly)"/>), the caps (counted in the database under a lock per
/// student and school year, so they hold under concurrent requests from any number of processes), the state and the
/// version, then writes the change and its audit entry in one transaction. Refusals are results
/// (<see cref="PortfolioResult{T}"/> with PF diagnostics); database and file failures are exceptions.
/// </summary>
public sealed partial class PortfolioModule
{
    private readonly PortfolioStore _store;
    private readonly FileSystemContentStore _files;
    private readonly SchoolCalendar _calendar;
    private readonly Func<string?, GradeLevel?> _gradeOfClass;

    /// <summary>Initializes the service.</summary>
    /// <param name="store">The store (its schema created or migrated).</param>
    /// <param name="files">The content store for uploaded files.</param>
    /// <param name="policy">The policy: caps, school parameters, windows.</param>
    /// <param name="clock">The clock; windows are checked against today in Taiwan.</param>
    public PortfolioModule(PortfolioStore store, FileSystemContentStore files, PortfolioPolicy policy, TimeProvider clock)
        : this(store, files, policy, clock, null)
    {
    }

    /// <summary>Initializes the service, with the vendor's own reading of a class name's grade.</summary>
    /// <param name="store">The module's store.</param>
    /// <param name="files">The content store of uploaded files.</param>
    /// <param name="policy">The policy of the school year.</param>
    /// <param name="clock">The clock (today's date decides the windows).</param>
    /// <param name="gradeOfClass">The grade (年級) of a class name, so that a grade's own window applies (高三下 closing
    /// earlier); <see cref="GradeFromClassName"/> when <see langword="null"/>.</param>
    public PortfolioModule(PortfolioStore store, FileSystemContentStore files, PortfolioPolicy policy, TimeProvider clock, Func<string?, GradeLevel?>? gradeOfClass)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(clock);
        _store = store;
        _files = files;
        Policy = policy;
        _calendar = new SchoolCalendar(clock);
        _gradeOfClass = gradeOfClass ?? GradeFromClassName;
    }

    /// <summary>
    /// The grade of a class name as most Taiwanese schools write it: three or more digits, the first being the grade
    /// (<c>101</c> 高一1班, <c>312</c> 高三12班); <see langword="null"/> (school-wide windows only) for any other name.
    /// </summary>
    /// <param name="className">The class name.</param>
    /// <returns>The grade, or <see langword="null"/>.</returns>
    public static GradeLevel? GradeFromClassName(string? className) =>
        className is { Length: >= 3 } name && name.All(char.IsAsciiDigit) && name[0] is >= '1' and <= '3' ? (GradeLevel)(name[0] - '0') : null;

    /// <summary>Gets the grade of a class as this module reads it (the vendor's reading, or <see cref="GradeFromClassName"/>).</summary>
    internal GradeLevel? GradeLevelOf(string? className) => _gradeOfClass(className);

    /// <summary>Gets the policy the service applies.</summary>
    public PortfolioPolicy Policy { get; }

    /// <summary>Gets the store.</summary>
    public PortfolioStore Store => _store;

    internal FileSystemContentStore Files => _files;

    private DateOnly Today => _calendar.Today;

    // ---------------------------------------------------------------- 課程學習成果

    /// <summary>The student uploads a course outcome (上傳): type by content, size by school year, 簡述, window, and the school's caps per term and subject counted in the store.</summary>
    /// <param name="actor">The student (or staff acting for the school).</param>
    /// <param name="upload">The course outcome and its files.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The saved outcome (未送審), or the refusal.</returns>
    public async Task<PortfolioResult<CourseOutcome>> UploadCourseOutcomeAsync(PortfolioActor actor, CourseOutcomeUpload upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(upload);
        var outcome = new CourseOutcome
        {
            Id = Guid.NewGuid(),
            StudentKey = upload.StudentKey,
            ClassName = upload.ClassName,
            Term = upload.Term,
            CourseCode = upload.CourseCode,
            Kind = upload.Kind,
            Summary = upload.Summary.Trim(),
            CertifyingTeacher = upload.CertifyingTeacher,
        };
        if (actor.Check(PortfolioOperation.EditOwnPortfolio, outcome.Target) is { } denied)
        {
            return PortfolioResult<CourseOutcome>.Refused(denied);
        }

        var stored = await StoreFilesAsync(upload.Files, cancellationToken).ConfigureAwait(false);
        outcome = outcome with { FileHashes = [.. stored.Select(s => s.File.Sha256).Distinct(StringComparer.Ordinal)] };
        return await _store.RunAsync(async tx =>
        {
            await tx.LockStudentYearAsync(outcome.StudentKey, outcome.Term.Year, cancellationToken).ConfigureAwait(false);
            var thisTerm = await tx.CountAsync(
                $"SELECT COUNT(*) FROM {Q(StoreSchema.CourseOutcomeTable)} WHERE {Q("student_key")} = {P(0)} AND {Q("school_year")} = {P(1)} AND {Q("term")} = {P(2)} AND {Q("transferred_from")} IS NULL",
                [outcome.StudentKey, outcome.Term.Year.RocYear, (int)outcome.Term.Term], cancellationToken).ConfigureAwait(false);
            var thisSubject = await tx.CountAsync(
                $"SELECT COUNT(*) FROM {Q(StoreSchema.CourseOutcomeTable)} WHERE {Q("student_key")} = {P(0)} AND {Q("school_year")} = {P(1)} AND {Q("term")} = {P(2)} AND {Q("course_code")} = {P(3)} AND {Q("transferred_from")} IS NULL",
                [outcome.StudentKey, outcome.Term.Year.RocYear, (int)outcome.Term.Term, outcome.CourseCode.Value], cancellationToken).ConfigureAwait(false);
            var request = new UploadRequest
            {
                Kind = UploadKind.CourseOutcome,
                Term = outcome.Term,
                Grade = _gradeOfClass(outcome.ClassName),
                Today = Today,
                Summary = outcome.Summary,
                IsGroupWork = upload.IsGroupWork,
                UploadedThisTerm = thisTerm,
                UploadedThisSubject = thisSubject,
            };
            var diagnostics = Check(request, stored, await StorageUsedAsync(tx, outcome.StudentKey, null, stored, cancellationToken).ConfigureAwait(false));
            if (diagnostics.Any(d => d.IsError))
            {
                return (false, PortfolioResult<CourseOutcome>.Refused(diagnostics));
            }

            await tx.InsertAsync(outcome, actor.UserId, "course-outcome.upload", cancellationToken).ConfigureAwait(false);
            return (true, PortfolioResult<CourseOutcome>.Ok(outcome, diagnostics));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The student edits the 簡述 and, when given, replaces the files (未送審 or 認證不通過 only, in the upload window).</summary>
    /// <param name="actor">The student.</param>
    /// <param name="id">The outcome.</param>
    /// <param name="expectedVersion">The version the student read.</param>
    /// <param name="summary">The new 簡述.</param>
    /// <param name="files">New files replacing the old, or <see langword="null"/> to keep them.</param>
    /// <param name="isGroupWork">Whether the work was done by a group.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The saved outcome, or the refusal.</returns>
    public async Task<PortfolioResult<CourseOutcome>> EditCourseOutcomeAsync(PortfolioActor actor, Guid id, long expectedVersion, string summary, IReadOnlyList<Stream>? files = null, bool isGroupWork = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(summary);
        var stored = files is null ? null : await StoreFilesAsync(files, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Diagnostic> warnings = [];
        var result = await ChangeCourseOutcomeAsync(actor, id, "course-outcome.edit", PortfolioOperation.EditOwnPortfolio, null, async (tx, o) =>
        {
            var request = new UploadRequest { Kind = UploadKind.CourseOutcome, Term = o.Term, Grade = _gradeOfClass(o.ClassName), Today = Today, Summary = summary, IsGroupWork = isGroupWork };
            var used = stored is null ? 0 : await StorageUsedAsync(tx, o.StudentKey, o.Id, stored, cancellationToken).ConfigureAwait(false);
            var diagnostics = Check(request, stored ?? [], used);
            if (diagnostics.Any(d => d.IsError))
            {
                return (null, diagnostics);
            }

            warnings = diagnostics;
            var hashes = stored is null ? o.FileHashes : [.. stored.Select(s => s.File.Sha256).Distinct(StringComparer.Ordinal)];
            return From(CourseOutcomeWorkflow.Edit(o, actor, expectedVersion, summary.Trim(), hashes));
        }, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? PortfolioResult<CourseOutcome>.Ok(result.Value, warnings) : result;
    }

    /// <summary>The student sends the outcome for certification (送審), in the upload window.</summary>
    /// <param name="actor">The student.</param>
    /// <param name="id">The outcome.</param>
    /// <param name="expectedVersion">The version the student read.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The outcome, now 待認證, or the refusal.</returns>
    public Task<PortfolioResult<CourseOutcome>> SendForCertificationAsync(PortfolioActor actor, Guid id, long expectedVersion, CancellationToken cancellationToken = default) =>
        ChangeCourseOutcomeAsync(actor, id, "course-outcome.send", PortfolioOperation.SubmitForCertification, PolicyWindowKind.Upload,
            (_, o) => Transition(CourseOutcomeWorkflow.SubmitForCertification(o, actor, expectedVersion)), cancellationToken);

    /// <summary>The certifying teacher (or the proxy) certifies the outcome (認證通過), in the certification window.</summary>
    /// <param name="actor">The teacher.</param>
    /// <param name="id">The outcome.</param>
    /// <param name="expectedVersion">The version the teacher read.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The certified outcome, or the refusal.</returns>
    public Task<PortfolioResult<CourseOutcome>> CertifyAsync(PortfolioActor actor, Guid id, long expectedVersion, CancellationToken cancellationToken = default) =>
        ChangeCourseOutcomeAsync(actor, id, "course-outcome.certify", PortfolioOperation.CertifyCourseOutcome, PolicyWindowKind.Certification,
            (_, o) => Transition(CourseOutcomeWorkflow.Certify(o, actor, expectedVersion)), cancellationToken);

    /// <summary>The certifying teacher (or the proxy) rejects the outcome with a reason (認證不通過), in the certification window.</summary>
    /// <param name="actor">The teacher.</param>
    /// <param name="id">The outcome.</param>
    /// <param name="expectedVersion">The version the teacher read.</param>
    /// <param name="reason">The 認證說明; required.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The rejected outcome, or the refusal.</returns>
    public Task<PortfolioResult<CourseOutcome>> RejectAsync(PortfolioActor actor, Guid id, long expectedVersion, string? reason, CancellationToken cancellationToken = default) =>
        ChangeCourseOutcomeAsync(actor, id, "course-outcome.reject", PortfolioOperation.CertifyCourseOutcome, PolicyWindowKind.Certification,
            (_, o) => Transition(CourseOutcomeWorkflow.Reject(o, actor, expectedVersion, reason)), cancellationToken);

    /// <summary>The certifying teacher (or the proxy) withdraws a certification so the student can edit (取消認證); it is unselected.</summary>
    /// <param name="actor">The teacher.</param>
    /// <param name="id">The outcome.</param>
    /// <param name="expectedVersion">The version the teacher read.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The outcome, back to 未送審, or the refusal.</returns>
    public Task<PortfolioResult<CourseOutcome>> WithdrawCertificationAsync(PortfolioActor actor, Guid id, long expectedVersion, CancellationToken cancellationToken = default) =>
        ChangeCourseOutcomeAsync(actor, id, "course-outcome.withdraw", PortfolioOperation.CertifyCourseOutcome, PolicyWindowKind.Certification,
            (_, o) => Transition(CourseOutcomeWorkflow.WithdrawCertification(o, actor, expectedVersion)), cancellationToken);

    /// <summary>Staff or the course's teacher change the certifying teacher (更換認證教師); not once certified.</summary>
    /// <param name="actor">Staff (課程學習提交者) or the course's teacher.</param>
    /// <param name="id">The outcome.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="teacher">The new certifying teacher's user id.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The outcome, or the refusal.</returns>
    public Task<PortfolioResult<CourseOutcome>> ChangeCertifyingTeacherAsync(PortfolioActor actor, Guid id, long expectedVersion, string teacher, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(teacher);
        return ChangeCourseOutcomeAsync(actor, id, "course-outcome.change-teacher", PortfolioOperation.AssignCertifyingTeacher, null,
            (_, o) => Transition(CourseOutcomeWorkflow.ChangeCertifyingTeacher(o, actor, expectedVersion, teacher)), cancellationToken);
    }

    /// <summary>Staff or the course's teacher assign (or clear) a proxy teacher (代理人).</summary>
    /// <param name="actor">Staff (課程學習提交者) or the course's teacher.</param>
    /// <param name="id">The outcome.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="proxy">The proxy's user id, or <see langword="null"/> to clear.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The outcome, or the refusal.</returns>
    public Task<PortfolioResult<CourseOutcome>> AssignProxyAsync(PortfolioActor actor, Guid id, long expectedVersion, string? proxy, CancellationToken cancellationToken = default) =>
        ChangeCourseOutcomeAsync(actor, id, "course-outcome.proxy", PortfolioOperation.AssignCertifyingTeacher, null,
            (_, o) => Transition(CourseOutcomeWorkflow.AssignProxy(o, actor, expectedVersion, proxy)), cancellationToken);

    /// <summary>
    /// The student selects a certified outcome for <paramref name="year"/>'s submission (勾選): only in its own school
    /// year, only for a credited course the student took (<see cref="PortfolioStore.RecordCreditedCoursesAsync"/>), in
    /// the selection window, under the national cap per year and the school's cap per term, counted in the store.
    /// </summary>
    /// <param name="actor">The student.</param>
    /// <param name="id">The outcome.</param>
    /// <param name="expectedVersion">The version the student read.</param>
    /// <param name="year">The school year of the submission.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The selected outcome, or the refusal.</returns>
    public Task<PortfolioResult<CourseOutcome>> SelectCourseOutcomeAsync(PortfolioActor actor, Guid id, long expectedVersion, SchoolYear year, CancellationToken cancellationToken = default) =>
        ChangeCourseOutcomeAsync(actor, id, "course-outcome.select", PortfolioOperation.SelectItems, PolicyWindowKind.Selection, async (tx, o) =>
        {
            if (o.Term.Year != year)
            {
                return (null, [DiagnosticCatalog.Create(DiagnosticCodes.SelectionOutsideOwnYear, null, o.Term.Year.RocYear, year.RocYear)]);
            }

            var credited = await tx.CountAsync(
                $"SELECT COUNT(*) FROM {Q(StoreSchema.CreditedCourseTable)} WHERE {Q("student_key")} = {P(0)} AND {Q("school_year")} = {P(1)} AND {Q("term")} = {P(2)} AND {Q("course_code")} = {P(3)}",
                [o.StudentKey, o.Term.Year.RocYear, (int)o.Term.Term, o.CourseCode.Value], cancellationToken).ConfigureAwait(false);
            // A transferred outcome was taken and certified at the sending school: its credit is that school's record.
            if (credited == 0 && o.TransferredFrom is null)
            {
                return (null, [DiagnosticCatalog.Create(DiagnosticCodes.CourseNotCredited, null, o.Term, o.CourseCode.Value)]);
            }

            var selected = await tx.CountAsync(
                $"SELECT COUNT(*) FROM {Q(StoreSchema.CourseOutcomeTable)} WHERE {Q("student_key")} = {P(0)} AND {Q("selected_for")} = {P(1)} AND {Q("id")} <> {P(2)}",
                [o.StudentKey, year.RocYear, o.Id.ToString("D")], cancellationToken).ConfigureAwait(false);
            if (o.SelectedFor != year && Policy.School.SelectionCapPerTerm is { } perTerm)
            {
                var selectedThisTerm = await tx.CountAsync(
                    $"SELECT COUNT(*) FROM {Q(StoreSchema.CourseOutcomeTable)} WHERE {Q("student_key")} = {P(0)} AND {Q("selected_for")} = {P(1)} AND {Q("school_year")} = {P(1)} AND {Q("term")} = {P(2)}",
                    [o.StudentKey, year.RocYear, (int)o.Term.Term], cancellationToken).ConfigureAwait(false);
                if (selectedThisTerm >= perTerm)
                {
                    return (null, [DiagnosticCatalog.Create(DiagnosticCodes.SelectionCap, null, year.RocYear, selectedThisTerm, $"第 {(int)o.Term.Term} 學期課程學習成果", perTerm, $"course outcomes of term {o.Term}")]);
                }
            }

            return From(CourseOutcomeWorkflow.Select(o, actor, expectedVersion, year, selected, Policy.For(year).SelectionCaps));
        }, cancellationToken, lockYear: year);

    /// <summary>The student unselects an outcome (取消勾選), in the selection window; not once locked.</summary>
    /// <param name="actor">The student.</param>
    /// <param name="id">The outcome.</param>
    /// <param name="expectedVersion">The version the student read.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The outcome, or the refusal.</returns>
    public Task<PortfolioResult<CourseOutcome>> UnselectCourseOutcomeAsync(PortfolioActor actor, Guid id, long expectedVersion, CancellationToken cancellationToken = default) =>
        ChangeCourseOutcomeAsync(actor, id, "course-outcome.unselect", PortfolioOperation.SelectItems, PolicyWindowKind.Selection,
            (_, o) => o.SelectedFor is null ? Transition(InvalidUnselect()) : Transition(CourseOutcomeWorkflow.Unselect(o, actor, expectedVersion)), cancellationToken);

    /// <summary>Submitting the roster locks a selected outcome (提交後鎖定).</summary>
    /// <param name="actor">The 課程學習提交者.</param>
    /// <param name="id">The outcome.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The locked outcome, or the refusal.</returns>
    public Task<PortfolioResult<CourseOutcome>> LockCourseOutcomeAsync(PortfolioActor actor, Guid id, long expectedVersion, CancellationToken cancellationToken = default) =>
        ChangeCourseOutcomeAsync(actor, id, "course-outcome.lock", PortfolioOperation.SubmitCourseOutcomeRoster, null,
            (_, o) => Transition(CourseOutcomeWorkflow.LockForSubmission(o, actor, expectedVersion)), cancellationToken);

    /// <summary>A dispute after the receipt (收訖明細) unlocks a submitted outcome for correction.</summary>
    /// <param name="actor">The 課程學習提交者.</param>
    /// <param name="id">The outcome.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="disputeReference">The receipt dispute that calls for the correction.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The unlocked outcome, or the refusal.</returns>
    public Task<PortfolioResult<CourseOutcome>> UnlockCourseOutcomeForCorrectionAsync(PortfolioActor actor, Guid id, long expectedVersion, string disputeReference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(disputeReference);
        return ChangeCourseOutcomeAsync(actor, id, "course-outcome.unlock", PortfolioOperation.SubmitCourseOutcomeRoster, null,
            (_, o) => Transition(CourseOutcomeWorkflow.UnlockForCorrection(o, actor, expectedVersion, disputeReference)), cancellationToken);
    }

    // ---------------------------------------------------------------- 多元表現

    /// <summary>
    /// Adds a 多元表現 item: a student's own (a proof file and a 簡述 required, the school's cap per year counted in the
    /// store, in the upload window), a staff bulk import (多元項目管理者; the item becomes the student's, who attaches the
    /// proof), or a school-entered cadre record (校內幹部提交者; not selected, not counted).
    /// </summary>
    /// <param name="actor">The student, or staff.</param>
    /// <param name="upload">The item and its proof files.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The saved item, or the refusal.</returns>
    public async Task<PortfolioResult<PerformanceItem>> UploadPerformanceAsync(PortfolioActor actor, PerformanceUpload upload, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(upload);
        var target = new PortfolioTarget(upload.StudentKey, upload.ClassName);
        var byStudent = !upload.IsSchoolEntered && actor.Can(PortfolioOperation.EditOwnPortfolio, target);
        var operation = upload.IsSchoolEntered ? PortfolioOperation.ImportCadres : byStudent ? PortfolioOperation.EditOwnPortfolio : PortfolioOperation.ImportPerformances;
        if (actor.Check(operation, target) is { } denied)
        {
            return PortfolioResult<PerformanceItem>.Refused(denied);
        }

        if (byStudent && upload.Files.Count == 0)
        {
            return PortfolioResult<PerformanceItem>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.ProofRequired, DiagnosticLocation.ForPath("files")));
        }

        var stored = await StoreFilesAsync(upload.Files, cancellationToken).ConfigureAwait(false);
        var item = new PerformanceItem
        {
            Id = Guid.NewGuid(),
            StudentKey = upload.StudentKey,
            ClassName = upload.ClassName,
            Category = upload.Category,
            Date = upload.Date,
            Summary = upload.Summary?.Trim(),
            FieldsJson = upload.FieldsJson,
            IsSchoolEntered = upload.IsSchoolEntered,
            FileHashes = [.. stored.Select(s => s.File.Sha256).Distinct(StringComparer.Ordinal)],
        };
        var year = SchoolYear.FromDate(item.Date);
        return await _store.RunAsync(async tx =>
        {
            await tx.LockStudentYearAsync(item.StudentKey, year, cancellationToken).ConfigureAwait(false);
            var thisYear = await tx.CountAsync(
                $"SELECT COUNT(*) FROM {Q(StoreSchema.PerformanceTable)} WHERE {Q("student_key")} = {P(0)} AND {Q("item_date")} >= {P(1)} AND {Q("item_date")} <= {P(2)} AND {Q("school_entered")} = 0 AND {Q("transferred_from")} IS NULL",
                [item.StudentKey, DateKey(year.StartDate), DateKey(year.EndDate)], cancellationToken).ConfigureAwait(false);
            var request = new UploadRequest
            {
                Kind = UploadKind.Performance,
                Term = _calendar.CurrentTerm,
                Grade = _gradeOfClass(item.ClassName),
                Today = Today,
                Summary = item.Summary,
                IsGroupWork = upload.IsGroupWork,
                UploadedThisYear = item.IsSchoolEntered ? 0 : thisYear,
            };
            var diagnostics = Check(request, stored, await StorageUsedAsync(tx, item.StudentKey, null, stored, cancellationToken).ConfigureAwait(false));
            if (!byStudent)
            {
                // Staff enter what the school holds; the student completes the 簡述 and the proof (§4-5.2), and the
                // upload window is the students'.
                diagnostics = StaffEntry(diagnostics);
            }

            if (diagnostics.Any(d => d.IsError))
            {
                return (false, PortfolioResult<PerformanceItem>.Refused(diagnostics));
            }

            var action = upload.IsSchoolEntered ? "performance.enter-cadre" : byStudent ? "performance.upload" : "performance.import";
            await tx.InsertAsync(item, actor.UserId, action, cancellationToken).ConfigureAwait(false);
            return (true, PortfolioResult<PerformanceItem>.Ok(item, diagnostics));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The student edits their item (or a staff-imported one, now theirs): the 簡述, the fields and, when given, the proof
    /// files; staff (校內幹部提交者) edit school-entered cadre records. Not once locked.
    /// </summary>
    /// <param name="actor">The student, or staff for cadre records.</param>
    /// <param name="id">The item.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="summary">The new 簡述.</param>
    /// <param name="fieldsJson">The new fields, or <see langword="null"/> to keep them.</param>
    /// <param name="files">New proof files replacing the old, or <see langword="null"/> to keep them.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The saved item, or the refusal.</returns>
    public async Task<PortfolioResult<PerformanceItem>> EditPerformanceAsync(PortfolioActor actor, Guid id, long expectedVersion, string? summary, string? fieldsJson = null, IReadOnlyList<Stream>? files = null, CancellationToken cancellationToken = default)
    {
        var stored = files is null ? null : await StoreFilesAsync(files, cancellationToken).ConfigureAwait(false);
        IReadOnlyList<Diagnostic> warnings = [];
        var result = await ChangePerformanceAsync(actor, id, "performance.edit", p => p.IsSchoolEntered ? PortfolioOperation.ImportCadres : PortfolioOperation.EditOwnPortfolio, null, async (tx, p) =>
        {
            var used = stored is null ? 0 : await StorageUsedAsync(tx, p.StudentKey, p.Id, stored, cancellationToken).ConfigureAwait(false);
            var diagnostics = Check(new UploadRequest { Kind = UploadKind.Performance, Term = _calendar.CurrentTerm, Grade = _gradeOfClass(p.ClassName), Today = Today, Summary = summary }, stored ?? [], used);
            if (p.IsSchoolEntered)
            {
                diagnostics = StaffEntry(diagnostics);
            }
            var hashes = stored is null ? p.FileHashes : [.. stored.Select(s => s.File.Sha256).Distinct(StringComparer.Ordinal)];
            if (!p.IsSchoolEntered && hashes.Count == 0)
            {
                diagnostics = [.. diagnostics, DiagnosticCatalog.Create(DiagnosticCodes.ProofRequired, DiagnosticLocation.ForPath("files"))];
            }

            if (diagnostics.Any(d => d.IsError))
            {
                return (null, diagnostics);
            }

            warnings = diagnostics;
            var edited = p with { Summary = summary?.Trim(), FieldsJson = fieldsJson ?? p.FieldsJson, FileHashes = hashes, Version = p.Version + 1 };
            return Checked(p, expectedVersion, edited);
        }, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? PortfolioResult<PerformanceItem>.Ok(result.Value, warnings) : result;
    }

    /// <summary>
    /// The student selects an item for <paramref name="year"/> (勾選): a proof file attached, dated from 1 July of the
    /// entry year, in the selection window, under the national cap (10 a year, school-entered records not counted),
    /// counted in the store.
    /// </summary>
    /// <param name="actor">The student.</param>
    /// <param name="id">The item.</param>
    /// <param name="expectedVersion">The version the student read.</param>
    /// <param name="year">The school year of the submission.</param>
    /// <param name="entryYear">The school year the student entered.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The selected item, or the refusal.</returns>
    public Task<PortfolioResult<PerformanceItem>> SelectPerformanceAsync(PortfolioActor actor, Guid id, long expectedVersion, SchoolYear year, SchoolYear entryYear, CancellationToken cancellationToken = default) =>
        ChangePerformanceAsync(actor, id, "performance.select", _ => PortfolioOperation.SelectItems, new SchoolTerm(year, Term.WholeYear), async (tx, p) =>
        {
            if (!p.IsSchoolEntered && p.FileHashes.Count == 0 && !p.IsLocked)
            {
                return (null, [DiagnosticCatalog.Create(DiagnosticCodes.ProofRequired, DiagnosticLocation.ForPath("files"))]);
            }

            var selected = await tx.CountAsync(
                $"SELECT COUNT(*) FROM {Q(StoreSchema.PerformanceTable)} WHERE {Q("student_key")} = {P(0)} AND {Q("selected_for")} = {P(1)} AND {Q("school_entered")} = 0 AND {Q("id")} <> {P(2)}",
                [p.StudentKey, year.RocYear, p.Id.ToString("D")], cancellationToken).ConfigureAwait(false);
            return From(PerformanceSelection.Select(p, actor, expectedVersion, year, entryYear, selected, Policy.For(year).SelectionCaps));
        }, cancellationToken, lockYear: year);

    /// <summary>The student unselects an item (取消勾選), in the selection window; not once locked.</summary>
    /// <param name="actor">The student.</param>
    /// <param name="id">The item.</param>
    /// <param name="expectedVersion">The version the student read.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The item, or the refusal.</returns>
    public Task<PortfolioResult<PerformanceItem>> UnselectPerformanceAsync(PortfolioActor actor, Guid id, long expectedVersion, CancellationToken cancellationToken = default) =>
        ChangePerformanceAsync(actor, id, "performance.unselect", _ => PortfolioOperation.SelectItems, null, (_, p) =>
        {
            var window = p.SelectedFor is { } y ? Policy.CheckWindow(PolicyWindowKind.Selection, new SchoolTerm(y, Term.WholeYear), _gradeOfClass(p.ClassName), Today) : null;
            var problem = window ?? (p.SelectedFor is null ? InvalidPerformance("未勾選", "not selected", "取消勾選", "unselected") : null);
            return Task.FromResult<(PerformanceItem?, IReadOnlyList<Diagnostic>?)>(problem is null
                ? Checked(p, expectedVersion, p with { SelectedFor = null, Version = p.Version + 1 })
                : (null, [problem]));
        }, cancellationToken);

    /// <summary>Submitting the roster locks a selected item, or a school-entered cadre record (提交後鎖定).</summary>
    /// <param name="actor">The 多元表現提交者 (the 校內幹部提交者 for cadre records).</param>
    /// <param name="id">The item.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The locked item, or the refusal.</returns>
    public Task<PortfolioResult<PerformanceItem>> LockPerformanceAsync(PortfolioActor actor, Guid id, long expectedVersion, CancellationToken cancellationToken = default) =>
        ChangePerformanceAsync(actor, id, "performance.lock", RosterOperation, null, (_, p) =>
            Task.FromResult<(PerformanceItem?, IReadOnlyList<Diagnostic>?)>(p.SelectedFor is null && !p.IsSchoolEntered
                ? (null, [InvalidPerformance("未勾選", "not selected", "鎖定", "locked")])
                : Checked(p, expectedVersion, p with { IsLocked = true, Version = p.Version + 1 })), cancellationToken);

    /// <summary>A dispute after the receipt (收訖明細) unlocks a submitted item for correction.</summary>
    /// <param name="actor">The 多元表現提交者 (the 校內幹部提交者 for cadre records).</param>
    /// <param name="id">The item.</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="disputeReference">The receipt dispute that calls for the correction.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The unlocked item, or the refusal.</returns>
    public Task<PortfolioResult<PerformanceItem>> UnlockPerformanceForCorrectionAsync(PortfolioActor actor, Guid id, long expectedVersion, string disputeReference, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(disputeReference);
        return ChangePerformanceAsync(actor, id, "performance.unlock", RosterOperation, null, (_, p) =>
            Task.FromResult<(PerformanceItem?, IReadOnlyList<Diagnostic>?)>(!p.IsLocked
                ? (null, [InvalidPerformance("未鎖定", "not locked", "解除鎖定", "unlocked")])
                : Checked(p with { IsLocked = false }, expectedVersion, p with { IsLocked = false, Version = p.Version + 1 })), cancellationToken);
    }

    // ---------------------------------------------------------------- the one path every change takes

    private static PortfolioOperation RosterOperation(PerformanceItem p) => p.IsSchoolEntered ? PortfolioOperation.SubmitCadreRoster : PortfolioOperation.SubmitPerformanceRoster;

    private string Q(string name) => _store.QuoteName(name);

    private string P(int index) => _store.P(index);

    private static int DateKey(DateOnly d) => (d.Year * 10000) + (d.Month * 100) + d.Day;

    private static Task<(CourseOutcome?, IReadOnlyList<Diagnostic>?)> Transition(WorkflowResult<CourseOutcome> result) => Task.FromResult(From(result));

    private static Task<(CourseOutcome?, IReadOnlyList<Diagnostic>?)> Transition(Diagnostic problem) =>
        Task.FromResult<(CourseOutcome?, IReadOnlyList<Diagnostic>?)>((null, [problem]));

    private static (T?, IReadOnlyList<Diagnostic>?) From<T>(WorkflowResult<T> result)
        where T : class => result.Problem is { } problem ? (null, [problem]) : (result.Value, null);

    private static Diagnostic InvalidUnselect() => DiagnosticCatalog.Create(DiagnosticCodes.TransitionInvalid, null, "未勾選", "取消勾選", "not selected", "unselected");

    private static Diagnostic InvalidPerformance(string stateZh, string stateEn, string zh, string en) =>
        DiagnosticCatalog.Create(DiagnosticCodes.TransitionInvalid, null, stateZh, zh, stateEn, en);

    // The version and lock checks of a 多元表現 change the workflow has no transition for.
    private static (PerformanceItem?, IReadOnlyList<Diagnostic>?) Checked(PerformanceItem p, long expectedVersion, PerformanceItem after) =>
        expectedVersion != p.Version ? (null, [DiagnosticCatalog.Create(DiagnosticCodes.VersionConflict, null, expectedVersion, p.Version)])
        : p.IsLocked ? (null, [DiagnosticCatalog.Create(DiagnosticCodes.ItemLocked, null)])
        : (after, null);

    private Task<PortfolioResult<CourseOutcome>> ChangeCourseOutcomeAsync(PortfolioActor actor, Guid id, string action, PortfolioOperation operation, PolicyWindowKind? window,
        Func<PortfolioStore.StoreTransaction, CourseOutcome, Task<(CourseOutcome? Value, IReadOnlyList<Diagnostic>? Problems)>> transition,
        CancellationToken cancellationToken, SchoolYear? lockYear = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _store.RunAsync(async tx =>
        {
            var current = await tx.GetCourseOutcomeAsync(id, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return (false, PortfolioResult<CourseOutcome>.Refused(NotFound("課程學習成果", id, "course outcome")));
            }

            // The lock of the student's year first, then the item read again: what is checked is what is written.
            await tx.LockStudentYearAsync(current.StudentKey, lockYear ?? current.Term.Year, cancellationToken).ConfigureAwait(false);
            current = await tx.GetCourseOutcomeAsync(id, cancellationToken).ConfigureAwait(false) ?? current;
            // A transferred outcome is the sending school's: nobody here edits or certifies it, whatever their role.
            if (TransferredProblem(current.TransferredFrom, action, operation) is { } readOnly)
            {
                return (false, PortfolioResult<CourseOutcome>.Refused(readOnly));
            }

            if (actor.Check(operation, current.Target) is { } denied)
            {
                return (false, PortfolioResult<CourseOutcome>.Refused(denied));
            }

            if (window is { } kind && WindowProblem(kind, current.Term, current.ClassName) is { } closed)
            {
                return (false, PortfolioResult<CourseOutcome>.Refused(closed));
            }

            var (changed, problems) = await transition(tx, current).ConfigureAwait(false);
            if (problems is not null || changed is null)
            {
                return (false, PortfolioResult<CourseOutcome>.Refused(problems ?? []));
            }

            if (ReferenceEquals(changed, current))
            {
                return (false, PortfolioResult<CourseOutcome>.Ok(current));
            }

            return await tx.UpdateAsync(current, changed, actor.UserId, action, cancellationToken).ConfigureAwait(false)
                ? (true, PortfolioResult<CourseOutcome>.Ok(changed))
                : (false, PortfolioResult<CourseOutcome>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.VersionConflict, null, current.Version, current.Version + 1)));
        }, cancellationToken);
    }

    private Task<PortfolioResult<PerformanceItem>> ChangePerformanceAsync(PortfolioActor actor, Guid id, string action, Func<PerformanceItem, PortfolioOperation> operation, SchoolTerm? selectionWindow,
        Func<PortfolioStore.StoreTransaction, PerformanceItem, Task<(PerformanceItem? Value, IReadOnlyList<Diagnostic>? Problems)>> transition,
        CancellationToken cancellationToken, SchoolYear? lockYear = null)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return _store.RunAsync(async tx =>
        {
            var current = await tx.GetPerformanceAsync(id, cancellationToken).ConfigureAwait(false);
            if (current is null)
            {
                return (false, PortfolioResult<PerformanceItem>.Refused(NotFound("多元表現", id, "performance record")));
            }

            await tx.LockStudentYearAsync(current.StudentKey, lockYear ?? SchoolYear.FromDate(current.Date), cancellationToken).ConfigureAwait(false);
            current = await tx.GetPerformanceAsync(id, cancellationToken).ConfigureAwait(false) ?? current;
            if (TransferredProblem(current.TransferredFrom, action, operation(current)) is { } readOnly)
            {
                return (false, PortfolioResult<PerformanceItem>.Refused(readOnly));
            }

            if (actor.Check(operation(current), new PortfolioTarget(current.StudentKey, current.ClassName)) is { } denied)
            {
                return (false, PortfolioResult<PerformanceItem>.Refused(denied));
            }

            if (selectionWindow is { } term && Policy.CheckWindow(PolicyWindowKind.Selection, term, _gradeOfClass(current.ClassName), Today) is { } closed)
            {
                return (false, PortfolioResult<PerformanceItem>.Refused(closed));
            }

            var (changed, problems) = await transition(tx, current).ConfigureAwait(false);
            if (problems is not null || changed is null)
            {
                return (false, PortfolioResult<PerformanceItem>.Refused(problems ?? []));
            }

            if (ReferenceEquals(changed, current))
            {
                return (false, PortfolioResult<PerformanceItem>.Ok(current));
            }

            return await tx.UpdateAsync(current, changed, actor.UserId, action, cancellationToken).ConfigureAwait(false)
                ? (true, PortfolioResult<PerformanceItem>.Ok(changed))
                : (false, PortfolioResult<PerformanceItem>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.VersionConflict, null, current.Version, current.Version + 1)));
        }, cancellationToken);
    }

    // Selection is open in the whole year's window (113-0) and, when the school set one, the term's; other activities in the term's.
    // A grade's own window wins over the school-wide one (PortfolioPolicy.CheckWindow with the grade of the class).
    private Diagnostic? WindowProblem(PolicyWindowKind kind, SchoolTerm term, string? className)
    {
        var grade = _gradeOfClass(className);
        return (kind == PolicyWindowKind.Selection ? Policy.CheckWindow(kind, new SchoolTerm(term.Year, Term.WholeYear), grade, Today) : null)
            ?? Policy.CheckWindow(kind, term, grade, Today);
    }

    // What staff enter is checked for its files only: the 簡述 is the student's to write, and the window is the students'.
    private static IReadOnlyList<Diagnostic> StaffEntry(IReadOnlyList<Diagnostic> diagnostics) =>
        [.. diagnostics.Where(d => d.Code is not (DiagnosticCodes.SummaryRequired or DiagnosticCodes.SummarySaysNothing or DiagnosticCodes.GroupWorkWithoutShare or DiagnosticCodes.WindowClosed))];

    private static Diagnostic NotFound(string zh, Guid id, string en) => DiagnosticCatalog.Create(DiagnosticCodes.ItemNotFound, null, zh, id, en);

    // Each file's checks (type by content, size) with the request's own (簡述, window, caps) once; duplicates removed.
    // The quota is checked against the student's storage after the upload (every request adds up to the same total).
    private IReadOnlyList<Diagnostic> Check(UploadRequest request, IReadOnlyList<(StoredFile File, byte[] Header)> stored, long storageAfter = 0)
    {
        var diagnostics = new List<Diagnostic>(UploadChecks.Check(request with { StorageUsedBytes = storageAfter }, Policy));
        foreach (var (file, header) in stored)
        {
            diagnostics.AddRange(UploadChecks.Check(request with { FileHeader = header, FileLength = file.Length, StorageUsedBytes = Math.Max(0, storageAfter - file.Length) }, Policy));
        }

        return [.. diagnostics.Distinct()];
    }

    // The student's storage after a change (Taipei: 200 MB a student): every distinct file of their items, but those of
    // the item being edited, plus the new files; counted only when the school sets a quota.
    private async Task<long> StorageUsedAsync(PortfolioStore.StoreTransaction tx, string studentKey, Guid? except, IReadOnlyList<(StoredFile File, byte[] Header)> added, CancellationToken cancellationToken)
    {
        if (Policy.School.StorageQuotaBytes is null)
        {
            return 0;
        }

        var lists = await tx.ReadStringsAsync(
            $"SELECT {Q("file_hashes")} FROM {Q(StoreSchema.CourseOutcomeTable)} WHERE {Q("student_key")} = {P(0)} AND {Q("id")} <> {P(1)} "
            + $"UNION ALL SELECT {Q("file_hashes")} FROM {Q(StoreSchema.PerformanceTable)} WHERE {Q("student_key")} = {P(0)} AND {Q("id")} <> {P(1)}",
            [studentKey, (except ?? Guid.Empty).ToString("D")], cancellationToken).ConfigureAwait(false);
        var lengths = new Dictionary<string, long>(StringComparer.OrdinalIgnoreCase);
        foreach (var hash in lists.SelectMany(l => l.Split(',', StringSplitOptions.RemoveEmptyEntries)).Where(h => h.Length == 64 && h.All(char.IsAsciiHexDigit)))
        {
            lengths.TryAdd(hash, _files.LengthOf(hash) ?? 0);
        }

        foreach (var (file, _) in added)
        {
            lengths.TryAdd(file.Sha256, file.Length);
        }

        return lengths.Values.Sum();
    }

    // Files go to the content store first (by content, so a refused upload leaves at most an unreferenced blob), and
    // their leading bytes are read back from the verified copy: the type comes from the content, never from a name.
    private async Task<IReadOnlyList<(StoredFile File, byte[] Header)>> StoreFilesAsync(IReadOnlyList<Stream> files, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(files);
        var stored = new List<(StoredFile, byte[])>(files.Count);
        foreach (var content in files)
        {
            var file = await _files.PutAsync(content, cancellationToken).ConfigureAwait(false);
            var header = new byte[FileSignature.HeaderLength];
            var stream = await _files.OpenVerifiedAsync(file.Sha256, cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                var read = await stream.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
                stored.Add((file, header[..read]));
            }
        }

        return stored;
    }
}
