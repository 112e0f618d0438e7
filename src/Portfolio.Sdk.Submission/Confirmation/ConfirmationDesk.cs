using System.Globalization;
using System.Text.Json;
using Portfolio.Sdk.Audit;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Submission.Receipts;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Submission.Confirmation;

/// <summary>
/// The confirmation window as schools run it (收訖確認作業): the school sets the students' window for a roster book and
/// term; each student confirms (正確) or disputes (錯誤) each of their own rows of the receipt with a note, inside the
/// window; staff decide each dispute (更正屬實 or 駁回 with a reason the student sees); the correction resubmits only
/// the rows that were disputed <em>and</em> upheld, as the next revision through <see cref="SubmissionService.SubmitCorrectionAsync"/>.
/// Every action is checked against the <see cref="PermissionMatrix"/> and written to a hash-chained audit trail.
/// </summary>
/// <remarks>
/// The desk keeps its data in the ledger's database (<see cref="SubmissionLedgerSchema"/>); its answers also keep the
/// per-student summary of <see cref="SubmissionService.RecordConfirmationAsync"/> up to date (a student with a disputed row
/// has disputed; one whose rows are all confirmed has confirmed), so <see cref="SubmissionService.CloseConfirmationAsync"/>
/// and the scheduler's jobs work unchanged.
/// </remarks>
public sealed class ConfirmationDesk
{
    private const string EntityType = "receipt-row";
    private readonly SubmissionService _submissions;
    private readonly DbSubmissionLedger _ledger;
    private readonly PortfolioPolicy _policy;
    private readonly SchoolCalendar _calendar;
    private readonly IReceiptRowItems? _items;

    /// <summary>Initializes the desk.</summary>
    /// <param name="submissions">The submission service (its ledger must be <paramref name="ledger"/>).</param>
    /// <param name="ledger">The ledger whose database keeps the windows, answers and audit trail.</param>
    /// <param name="policy">The policy (minimum days, national schedule); <see cref="PortfolioPolicy.Default"/> when <see langword="null"/>.</param>
    /// <param name="clock">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public ConfirmationDesk(SubmissionService submissions, DbSubmissionLedger ledger, PortfolioPolicy? policy = null, TimeProvider? clock = null)
        : this(submissions, ledger, (IReceiptRowItems?)null, policy, clock)
    {
    }

    /// <summary>Initializes the desk with the module's items behind the receipt rows: an upheld dispute unlocks its row's item for correction.</summary>
    /// <param name="submissions">The submission service (its ledger must be <paramref name="ledger"/>).</param>
    /// <param name="ledger">The ledger whose database keeps the windows, answers and audit trail.</param>
    /// <param name="items">The items behind the rows (the portfolio module); <see langword="null"/> unlocks nothing.</param>
    /// <param name="policy">The policy (minimum days, national schedule); <see cref="PortfolioPolicy.Default"/> when <see langword="null"/>.</param>
    /// <param name="clock">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    public ConfirmationDesk(SubmissionService submissions, DbSubmissionLedger ledger, IReceiptRowItems? items, PortfolioPolicy? policy = null, TimeProvider? clock = null)
    {
        _items = items;
        ArgumentNullException.ThrowIfNull(submissions);
        ArgumentNullException.ThrowIfNull(ledger);
        _submissions = submissions;
        _ledger = ledger;
        _policy = policy ?? PortfolioPolicy.Default;
        _calendar = new SchoolCalendar(clock ?? TimeProvider.System);
    }

    /// <summary>
    /// Sets the students' confirmation window of a roster book and term (收訖確認期間). It must last at least the policy's
    /// <see cref="NationalPolicy.ConfirmationMinDays"/> days (PF4303), end after it starts (PF4402) and lie inside the
    /// policy's national schedule (<see cref="PolicyWindowKind.Confirmation"/>) for the term when the policy has one
    /// (PF4401). Setting it again replaces it; entries whose receipt is already open take the new last day.
    /// </summary>
    /// <param name="actor">Staff with <see cref="PortfolioOperation.SetConfirmationWindow"/>.</param>
    /// <param name="window">The window.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The window as stored, or every reason it was refused.</returns>
    public async Task<PortfolioResult<ConfirmationWindow>> SetWindowAsync(PortfolioActor actor, ConfirmationWindow window, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentException.ThrowIfNullOrWhiteSpace(window.Book);
        if (actor.Check(PortfolioOperation.SetConfirmationWindow, new PortfolioTarget()) is { } denied)
        {
            return PortfolioResult<ConfirmationWindow>.Refused(denied);
        }

        var problems = CheckWindow(window);
        if (problems.Count > 0)
        {
            return PortfolioResult<ConfirmationWindow>.Refused(problems);
        }

        var before = await _ledger.FindWindowAsync(window.School, window.Book, window.Term, cancellationToken).ConfigureAwait(false);
        await _ledger.SaveWindowAsync(window, actor.UserId, cancellationToken).ConfigureAwait(false);
        foreach (var open in await _ledger.ListAsync(window.School.Value, [SubmissionState.ReceiptReceived], cancellationToken).ConfigureAwait(false))
        {
            if (open.Identity.Book == window.Book && open.Identity.Term == window.Term)
            {
                await _ledger.TransitionAsync(open.IdempotencyKey, [SubmissionState.ReceiptReceived], r => r with { ConfirmUntil = window.LastDay }, cancellationToken).ConfigureAwait(false);
            }
        }

        await _ledger.AppendAuditAsync(actor.UserId, "confirmation-window.set", "confirmation-window", $"{window.School.Value}/{window.Book}/{window.Term}",
            before is null ? null : WindowJson(before), WindowJson(window), cancellationToken).ConfigureAwait(false);
        return PortfolioResult<ConfirmationWindow>.Ok(window);
    }

    /// <summary>Checks a window against the policy without storing it.</summary>
    /// <param name="window">The window.</param>
    /// <returns>Every problem (PF4402, PF4303, PF4401); empty when the window may be set.</returns>
    public IReadOnlyList<Diagnostic> CheckWindow(ConfirmationWindow window)
    {
        ArgumentNullException.ThrowIfNull(window);
        var problems = new List<Diagnostic>();
        if (window.LastDay < window.FirstDay)
        {
            problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.ConfirmationWindowInvalid, DiagnosticLocation.ForPath("lastDay"), Day(window.FirstDay), Day(window.LastDay)));
            return problems;
        }

        var minimum = _policy.For(window.Term.Year).ConfirmationMinDays;
        if (window.Days < minimum)
        {
            problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.ConfirmationWindowTooShort, DiagnosticLocation.ForPath("lastDay"), minimum, window.Days));
        }

        if (_policy.WindowFor(PolicyWindowKind.Confirmation, window.Term) is { } schedule && !(window.FirstDay >= schedule.Start && window.LastDay <= schedule.End))
        {
            problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.ConfirmationWindowOutsideSchedule, DiagnosticLocation.ForPath("firstDay"),
                Day(window.FirstDay), Day(window.LastDay), Day(schedule.Start), Day(schedule.End)));
        }

        return problems;
    }

    /// <summary>Reads the window a school set for a roster book and term.</summary>
    /// <param name="school">The school.</param>
    /// <param name="book">The roster book.</param>
    /// <param name="term">The term.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The window, or <see langword="null"/> when none was set (the receipt's own window applies).</returns>
    public Task<ConfirmationWindow?> GetWindowAsync(SchoolCode school, string book, SchoolTerm term, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(book);
        return _ledger.FindWindowAsync(school, book, term, cancellationToken);
    }

    /// <summary>Lists a student's rows of a receipt with their answers and the school's decisions (a rejection's reason included).</summary>
    /// <param name="actor">The student themself, or staff with <see cref="PortfolioOperation.DecideReceiptDispute"/>.</param>
    /// <param name="idempotencyKey">The submission.</param>
    /// <param name="studentKey">The student.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The rows in receipt order, or PF3101.</returns>
    public async Task<PortfolioResult<IReadOnlyList<StudentReceiptRow>>> ListRowsAsync(PortfolioActor actor, string idempotencyKey, string studentKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(studentKey);
        var student = studentKey.Trim().ToUpperInvariant();
        var target = new PortfolioTarget(student);
        if (!actor.Can(PortfolioOperation.DecideReceiptDispute, target) && actor.Check(PortfolioOperation.AnswerReceipt, target) is { } denied)
        {
            return PortfolioResult<IReadOnlyList<StudentReceiptRow>>.Refused(denied);
        }

        var answers = (await _ledger.ReadAnswersAsync(idempotencyKey, student, cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.Row);
        var rows = (await _ledger.ReadReceiptRowsAsync(idempotencyKey, null, student, cancellationToken).ConfigureAwait(false))
            .Select(r => new StudentReceiptRow(r.Ordinal, r.Row.Sheet, r.Row, answers.GetValueOrDefault(r.Ordinal)))
            .ToList();
        return PortfolioResult<IReadOnlyList<StudentReceiptRow>>.Ok(rows);
    }

    /// <summary>
    /// Lists the receipts (收訖明細) that hold rows of the actor's own student key, with the rows, their answers and the
    /// school's decisions: those still open for answers (<see cref="SubmissionState.ReceiptReceived"/>) and those whose
    /// window closed with a dispute (<see cref="SubmissionState.Disputed"/>, so the student sees each decision and reason).
    /// </summary>
    /// <param name="actor">The student (<see cref="PortfolioOperation.ViewReceipts"/> on themself; the key is the actor's).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The receipts, newest first, or PF3101 for an actor without a student key.</returns>
    public async Task<PortfolioResult<IReadOnlyList<OpenReceipt>>> ListOwnReceiptsAsync(PortfolioActor actor, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.StudentKey is not { } key)
        {
            // Only a student has receipts of their own: staff read them per submission (ListRowsAsync).
            // (Only a student answers, on themself, and this actor has no key: the check always refuses.)
            return PortfolioResult<IReadOnlyList<OpenReceipt>>.Refused(actor.Check(PortfolioOperation.AnswerReceipt, new PortfolioTarget(StudentKey: string.Empty))
                ?? throw new System.Diagnostics.UnreachableException("Only an actor with a student key answers receipts."));
        }

        var student = key.Trim().ToUpperInvariant();
        if (actor.Check(PortfolioOperation.ViewReceipts, new PortfolioTarget(student)) is { } denied)
        {
            return PortfolioResult<IReadOnlyList<OpenReceipt>>.Refused(denied);
        }

        var receipts = new List<OpenReceipt>();
        foreach (var record in await _ledger.ListAsync(null, [SubmissionState.ReceiptReceived, SubmissionState.Disputed], cancellationToken).ConfigureAwait(false))
        {
            var rows = await ListRowsAsync(actor, record.IdempotencyKey, student, cancellationToken).ConfigureAwait(false);
            if (rows.Value is { Count: > 0 } mine)
            {
                var window = await _ledger.FindWindowAsync(record.Identity.School, record.Identity.Book, record.Identity.Term, cancellationToken).ConfigureAwait(false);
                receipts.Add(new OpenReceipt(record, window?.LastDay ?? record.ConfirmUntil, mine));
            }
        }

        return PortfolioResult<IReadOnlyList<OpenReceipt>>.Ok([.. receipts.OrderByDescending(r => r.Submission.UpdatedAt)]);
    }

    /// <summary>
    /// Lists the disputes waiting for the school's decision (更正申請待處理) in every receipt still open or disputed, each
    /// with its row and the version to decide it with; only those of students the actor may decide for.
    /// </summary>
    /// <param name="actor">Staff with <see cref="PortfolioOperation.DecideReceiptDispute"/>.</param>
    /// <param name="includeDecided">Also list disputes already decided but not yet resubmitted (a decision may still change).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The disputes, oldest answer first, or PF3101.</returns>
    public async Task<PortfolioResult<IReadOnlyList<OpenDispute>>> ListOpenDisputesAsync(PortfolioActor actor, bool includeDecided = false, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Check(PortfolioOperation.DecideReceiptDispute, new PortfolioTarget()) is { } denied)
        {
            return PortfolioResult<IReadOnlyList<OpenDispute>>.Refused(denied);
        }

        var disputes = new List<OpenDispute>();
        foreach (var record in await _ledger.ListAsync(null, [SubmissionState.ReceiptReceived, SubmissionState.Disputed], cancellationToken).ConfigureAwait(false))
        {
            var open = (await _ledger.ReadAnswersAsync(record.IdempotencyKey, null, cancellationToken).ConfigureAwait(false))
                .Where(a => a.Decision == ConfirmationDecision.Dispute && a.CorrectionKey is null && (includeDecided || a.Verdict is null))
                .Where(a => actor.Can(PortfolioOperation.DecideReceiptDispute, new PortfolioTarget(a.StudentKey)))
                .ToList();
            foreach (var answer in open)
            {
                var received = await _ledger.ReadReceiptRowsAsync(record.IdempotencyKey, answer.Row, null, cancellationToken).ConfigureAwait(false);
                if (received.Count == 1)
                {
                    disputes.Add(new OpenDispute(record, new StudentReceiptRow(answer.Row, received[0].Row.Sheet, received[0].Row, answer)));
                }
            }
        }

        return PortfolioResult<IReadOnlyList<OpenDispute>>.Ok([.. disputes.OrderBy(d => d.Row.Answer!.AnsweredAt).ThenBy(d => d.Submission.IdempotencyKey, StringComparer.Ordinal).ThenBy(d => d.Row.Row)]);
    }

    /// <summary>
    /// A student confirms (正確) or disputes (錯誤, with a note saying what is wrong) one of their own rows of the receipt,
    /// inside the school's window (or, when the school set none, the receipt's own window). Answering again replaces
    /// the answer while the window is open.
    /// </summary>
    /// <param name="actor">The student (<see cref="PortfolioOperation.AnswerReceipt"/>, their own rows only).</param>
    /// <param name="idempotencyKey">The submission.</param>
    /// <param name="row">The row (<see cref="StudentReceiptRow.Row"/>).</param>
    /// <param name="decision">Confirm or dispute.</param>
    /// <param name="note">What is wrong (required for a dispute).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The answer as recorded, or why not (PF4302, PF4403, PF4301, PF4404, PF3101, PF4405).</returns>
    public Task<PortfolioResult<ReceiptRowAnswer>> AnswerAsync(PortfolioActor actor, string idempotencyKey, int row, ConfirmationDecision decision, string? note = null, CancellationToken cancellationToken = default) =>
        AnswerCoreAsync(actor, idempotencyKey, row, decision, note, null, cancellationToken);

    /// <summary>
    /// Answers one row as <see cref="AnswerAsync(PortfolioActor, string, int, ConfirmationDecision, string?, CancellationToken)"/>
    /// does, only while the row's answer is still the one the student read (<paramref name="expectedVersion"/>: the row's
    /// <see cref="StudentReceiptRow.Version"/>, 0 when it was unanswered). Of two answers made from the same reading (two
    /// tabs, a double click) one is saved and the other is refused with PF4414, so no answer is lost unseen.
    /// </summary>
    /// <param name="actor">The student (<see cref="PortfolioOperation.AnswerReceipt"/>, their own rows only).</param>
    /// <param name="idempotencyKey">The submission.</param>
    /// <param name="row">The row (<see cref="StudentReceiptRow.Row"/>).</param>
    /// <param name="decision">Confirm or dispute.</param>
    /// <param name="note">What is wrong (required for a dispute).</param>
    /// <param name="expectedVersion">The version of the row's answer the student read.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The answer as recorded, or why not (PF4302, PF4403, PF4301, PF4404, PF3101, PF4405, PF4414).</returns>
    public Task<PortfolioResult<ReceiptRowAnswer>> AnswerAsync(PortfolioActor actor, string idempotencyKey, int row, ConfirmationDecision decision, string? note, long expectedVersion, CancellationToken cancellationToken = default) =>
        AnswerCoreAsync(actor, idempotencyKey, row, decision, note, expectedVersion, cancellationToken);

    private async Task<PortfolioResult<ReceiptRowAnswer>> AnswerCoreAsync(PortfolioActor actor, string idempotencyKey, int row, ConfirmationDecision decision, string? note, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        if (!Enum.IsDefined(decision))
        {
            throw new ArgumentOutOfRangeException(nameof(decision), decision, "Confirm or Dispute.");
        }

        var record = await _ledger.GetAsync(idempotencyKey, cancellationToken).ConfigureAwait(false);
        if (record is not { State: SubmissionState.ReceiptReceived })
        {
            return PortfolioResult<ReceiptRowAnswer>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.ConfirmationNotOpen, null, idempotencyKey));
        }

        if (await WindowProblemAsync(record, cancellationToken).ConfigureAwait(false) is { } closed)
        {
            return PortfolioResult<ReceiptRowAnswer>.Refused(closed);
        }

        var (received, all) = await ReadRowAsync(idempotencyKey, row, cancellationToken).ConfigureAwait(false);
        if (received is null)
        {
            return PortfolioResult<ReceiptRowAnswer>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.ReceiptRowUnknown, null, row, idempotencyKey));
        }

        if (actor.Check(PortfolioOperation.AnswerReceipt, new PortfolioTarget(received.StudentKey)) is { } denied)
        {
            return PortfolioResult<ReceiptRowAnswer>.Refused(denied);
        }

        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (decision == ConfirmationDecision.Dispute && note is null)
        {
            return PortfolioResult<ReceiptRowAnswer>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.ReceiptDisputeNeedsNote, DiagnosticLocation.ForPath("note")));
        }

        var answers = await _ledger.ReadAnswersAsync(idempotencyKey, received.StudentKey, cancellationToken).ConfigureAwait(false);
        var before = answers.FirstOrDefault(a => a.Row == row);
        var answer = new ReceiptRowAnswer
        {
            IdempotencyKey = idempotencyKey,
            Row = row,
            StudentKey = received.StudentKey,
            Decision = decision,
            Note = note,
            AnsweredBy = actor.UserId,
            AnsweredAt = _calendar.TimeProvider.GetUtcNow(),
        };
        var (saved, current) = await _ledger.TryReplaceAnswerAsync(answer, expectedVersion ?? ReceiptRowAnswer.VersionOf(before), cancellationToken).ConfigureAwait(false);
        if (!saved)
        {
            return PortfolioResult<ReceiptRowAnswer>.Refused(Conflict(row, current));
        }

        await _ledger.AppendAuditAsync(actor.UserId, decision == ConfirmationDecision.Dispute ? "receipt-row.dispute" : "receipt-row.confirm", EntityType,
            EntityId(answer), before is null ? null : AnswerJson(before), AnswerJson(answer), cancellationToken).ConfigureAwait(false);

        // Keep the per-student summary the service and the scheduler read: a disputed row means the student disputed;
        // every row confirmed means the student confirmed. Read again after the save, so answers to other rows saved
        // meanwhile count too.
        var mine = await _ledger.ReadAnswersAsync(idempotencyKey, received.StudentKey, cancellationToken).ConfigureAwait(false);
        var disputed = mine.Count(a => a.Decision == ConfirmationDecision.Dispute);
        if (disputed > 0 || mine.Count == all)
        {
            var summary = disputed > 0
                ? new ConfirmationRecord(idempotencyKey, received.StudentKey, ConfirmationDecision.Dispute, string.Create(CultureInfo.InvariantCulture, $"{disputed} 列申請更正 / {disputed} rows disputed"), answer.AnsweredAt)
                : new ConfirmationRecord(idempotencyKey, received.StudentKey, ConfirmationDecision.Confirm, null, answer.AnsweredAt);
            await _ledger.RecordConfirmationAsync(summary, cancellationToken).ConfigureAwait(false);
        }

        return PortfolioResult<ReceiptRowAnswer>.Ok(answer);
    }

    /// <summary>Lists the disputed rows of a submission with their decisions, for staff.</summary>
    /// <param name="actor">Staff with <see cref="PortfolioOperation.DecideReceiptDispute"/>.</param>
    /// <param name="idempotencyKey">The submission.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The disputes by row, or PF3101.</returns>
    public async Task<PortfolioResult<IReadOnlyList<ReceiptRowAnswer>>> ListDisputesAsync(PortfolioActor actor, string idempotencyKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (actor.Check(PortfolioOperation.DecideReceiptDispute, new PortfolioTarget()) is { } denied)
        {
            return PortfolioResult<IReadOnlyList<ReceiptRowAnswer>>.Refused(denied);
        }

        var answers = await _ledger.ReadAnswersAsync(idempotencyKey, null, cancellationToken).ConfigureAwait(false);
        return PortfolioResult<IReadOnlyList<ReceiptRowAnswer>>.Ok([.. answers.Where(a => a.Decision == ConfirmationDecision.Dispute)]);
    }

    /// <summary>
    /// Staff decide a disputed row: <see cref="DisputeVerdict.Upheld"/> (更正屬實: it goes into the correction) or
    /// <see cref="DisputeVerdict.Rejected"/> (駁回: it stays, and the reason is shown to the student). A decision may change
    /// until the correction carrying the row was resubmitted (PF4413).
    /// </summary>
    /// <param name="actor">Staff with <see cref="PortfolioOperation.DecideReceiptDispute"/>.</param>
    /// <param name="idempotencyKey">The submission.</param>
    /// <param name="row">The disputed row.</param>
    /// <param name="verdict">The decision.</param>
    /// <param name="reason">Why (required for a rejection).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The answer with its decision, or why not (PF3101, PF4407, PF4406, PF4413).</returns>
    public async Task<PortfolioResult<ReceiptRowAnswer>> DecideAsync(PortfolioActor actor, string idempotencyKey, int row, DisputeVerdict verdict, string? reason = null, CancellationToken cancellationToken = default)
    {
        var decided = await DecideCoreAsync(actor, idempotencyKey, row, verdict, reason, null, cancellationToken).ConfigureAwait(false);
        return decided.Succeeded ? PortfolioResult<ReceiptRowAnswer>.Ok(decided.Value!.Answer) : PortfolioResult<ReceiptRowAnswer>.Refused(decided.Diagnostics);
    }

    /// <summary>
    /// Decides a disputed row as <see cref="DecideAsync(PortfolioActor, string, int, DisputeVerdict, string?, CancellationToken)"/>
    /// does, only while the row is still what the staff member read (<paramref name="expectedVersion"/>, the answer's
    /// <see cref="ReceiptRowAnswer.Version"/>): a student's new answer or a colleague's decision in between is refused with PF4414.
    /// </summary>
    /// <param name="actor">Staff with <see cref="PortfolioOperation.DecideReceiptDispute"/>.</param>
    /// <param name="idempotencyKey">The submission.</param>
    /// <param name="row">The disputed row.</param>
    /// <param name="verdict">The decision.</param>
    /// <param name="reason">Why (required for a rejection).</param>
    /// <param name="expectedVersion">The version of the answer the staff member read.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>
    /// The answer with its decision and, for an upheld dispute when the desk has the module's items, what unlocking the
    /// row's item did; or why not (PF3101, PF4407, PF4406, PF4413, PF4414).
    /// </returns>
    public Task<PortfolioResult<DisputeDecision>> DecideAsync(PortfolioActor actor, string idempotencyKey, int row, DisputeVerdict verdict, string? reason, long expectedVersion, CancellationToken cancellationToken = default) =>
        DecideCoreAsync(actor, idempotencyKey, row, verdict, reason, expectedVersion, cancellationToken);

    private async Task<PortfolioResult<DisputeDecision>> DecideCoreAsync(PortfolioActor actor, string idempotencyKey, int row, DisputeVerdict verdict, string? reason, long? expectedVersion, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(actor);
        if (!Enum.IsDefined(verdict))
        {
            throw new ArgumentOutOfRangeException(nameof(verdict), verdict, "Upheld or Rejected.");
        }

        var answer = (await _ledger.ReadAnswersAsync(idempotencyKey, null, cancellationToken).ConfigureAwait(false)).FirstOrDefault(a => a.Row == row);
        if (actor.Check(PortfolioOperation.DecideReceiptDispute, new PortfolioTarget(answer?.StudentKey)) is { } denied)
        {
            return PortfolioResult<DisputeDecision>.Refused(denied);
        }

        if (answer is not { Decision: ConfirmationDecision.Dispute })
        {
            return PortfolioResult<DisputeDecision>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.ReceiptRowNotDisputed, null, row));
        }

        if (answer.CorrectionKey is not null)
        {
            return PortfolioResult<DisputeDecision>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.ReceiptDecisionFinal, null, row));
        }

        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (verdict == DisputeVerdict.Rejected && reason is null)
        {
            return PortfolioResult<DisputeDecision>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.ReceiptDisputeRejectionNeedsReason, DiagnosticLocation.ForPath("reason")));
        }

        var decided = answer with { Verdict = verdict, Reason = reason, DecidedBy = actor.UserId, DecidedAt = _calendar.TimeProvider.GetUtcNow() };
        var (saved, current) = await _ledger.TryReplaceAnswerAsync(decided, expectedVersion ?? answer.Version, cancellationToken).ConfigureAwait(false);
        if (!saved)
        {
            return PortfolioResult<DisputeDecision>.Refused(Conflict(row, current));
        }

        await _ledger.AppendAuditAsync(actor.UserId, verdict == DisputeVerdict.Upheld ? "receipt-row.uphold" : "receipt-row.reject", EntityType,
            EntityId(decided), AnswerJson(answer), AnswerJson(decided), cancellationToken).ConfigureAwait(false);
        if (verdict != DisputeVerdict.Upheld || _items is null)
        {
            return PortfolioResult<DisputeDecision>.Ok(new DisputeDecision(decided, null, []));
        }

        // 更正屬實: the row's item (a course outcome or 多元表現 of a locked per-year package) is unlocked for correction.
        // The decision stands whatever the unlock does; deciding again (with the new version) asks again, and an item
        // already unlocked is left as it is.
        var record = await _ledger.GetAsync(idempotencyKey, cancellationToken).ConfigureAwait(false);
        var (received, _) = await ReadRowAsync(idempotencyKey, row, cancellationToken).ConfigureAwait(false);
        if (record is null || received is null)
        {
            return PortfolioResult<DisputeDecision>.Ok(new DisputeDecision(decided, null, []));
        }

        var reference = new ReceiptRowReference(record.Identity.Book, record.Identity.Term, received.Sheet, received.RowKey, EntityId(decided));
        var unlock = await _items.UnlockForCorrectionAsync(actor, reference, cancellationToken).ConfigureAwait(false);
        if (!unlock.Succeeded || unlock.Value!.Outcome == ReceiptRowUnlockOutcome.Unlocked)
        {
            await _ledger.AppendAuditAsync(actor.UserId, unlock.Succeeded ? "receipt-row.unlock" : "receipt-row.unlock-refused", EntityType, EntityId(decided), null,
                JsonSerializer.Serialize(new
                {
                    dispute = reference.DisputeReference,
                    kind = unlock.Value?.Kind?.ToString(),
                    item = unlock.Value?.ItemId,
                    version = unlock.Value?.Version,
                    refused = unlock.Succeeded ? null : unlock.Diagnostics.Select(d => d.Code).ToArray(),
                }), cancellationToken).ConfigureAwait(false);
        }

        return PortfolioResult<DisputeDecision>.Ok(new DisputeDecision(decided, unlock.Value, unlock.Succeeded ? [] : unlock.Diagnostics));
    }

    /// <summary>
    /// Resubmits the correction of a disputed submission with only the rows that were disputed and upheld: the rows are
    /// taken, by sheet and row key, from <paramref name="correctedContent"/> (the roster rebuilt after the fix), written to
    /// a new workbook of the same book and cover, and sent as the next revision through
    /// <see cref="SubmissionService.SubmitCorrectionAsync"/> (the same call again returns the same correction). Rejected and
    /// confirmed rows are not sent again.
    /// </summary>
    /// <param name="actor">Staff with <see cref="PortfolioOperation.DecideReceiptDispute"/>.</param>
    /// <param name="idempotencyKey">The disputed submission (its window closed: <see cref="SubmissionState.Disputed"/>).</param>
    /// <param name="correctedContent">The rebuilt roster workbook holding the corrected rows (other rows are ignored).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The corrected submission's entry after its send, or why not (PF3101, PF4305, PF4412, PF4408, PF4409, PF4411, PF4410).</returns>
    public async Task<PortfolioResult<SubmissionRecord>> SubmitCorrectionAsync(PortfolioActor actor, string idempotencyKey, Stream correctedContent, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentNullException.ThrowIfNull(correctedContent);
        if (actor.Check(PortfolioOperation.DecideReceiptDispute, new PortfolioTarget()) is { } denied)
        {
            return PortfolioResult<SubmissionRecord>.Refused(denied);
        }

        var record = await _ledger.GetAsync(idempotencyKey, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException($"No submission {idempotencyKey} in the ledger.", nameof(idempotencyKey));
        if (record.State != SubmissionState.Disputed)
        {
            return PortfolioResult<SubmissionRecord>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.SubmissionState, null, record.IdempotencyKey, record.State, "更正重送", "corrected"));
        }

        if (record.ContentKind != SubmissionContentKind.Workbook)
        {
            return PortfolioResult<SubmissionRecord>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.CorrectionPackageUnsupported, null, record.IdempotencyKey));
        }

        var disputes = (await _ledger.ReadAnswersAsync(idempotencyKey, null, cancellationToken).ConfigureAwait(false)).Where(a => a.Decision == ConfirmationDecision.Dispute).ToList();
        if (disputes.Count(d => d.Verdict is null) is var undecided and > 0)
        {
            return PortfolioResult<SubmissionRecord>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.ReceiptDisputesUndecided, null, undecided));
        }

        var upheld = disputes.Where(d => d.Verdict == DisputeVerdict.Upheld).ToList();
        if (upheld.Count == 0)
        {
            return PortfolioResult<SubmissionRecord>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.ReceiptNothingUpheld, null));
        }

        // The receipt rows that were upheld, by sheet and key.
        var wanted = new Dictionary<(string Sheet, string Key), ReceiptRow>();
        var rows = upheld.Select(u => u.Row).ToHashSet();
        var ordinal = 0;
        await foreach (var row in _ledger.ReadReceiptRowsAsync(idempotencyKey, cancellationToken).ConfigureAwait(false))
        {
            if (rows.Contains(ordinal++))
            {
                wanted[(row.Sheet, row.RowKey)] = row;
            }
        }

        using var corrected = new MemoryStream();
        var problems = await FilterAsync(record, correctedContent, wanted, corrected, cancellationToken).ConfigureAwait(false);
        if (problems.Count > 0)
        {
            return PortfolioResult<SubmissionRecord>.Refused(problems);
        }

        corrected.Position = 0;
        var sent = await _submissions.SubmitCorrectionAsync(idempotencyKey, corrected, cancellationToken).ConfigureAwait(false);
        foreach (var answer in upheld.Where(u => u.CorrectionKey is null))
        {
            await _ledger.SaveAnswerAsync(answer with { CorrectionKey = sent.IdempotencyKey }, cancellationToken).ConfigureAwait(false);
        }

        await _ledger.AppendAuditAsync(actor.UserId, "receipt.correction", "submission", idempotencyKey, null,
            JsonSerializer.Serialize(new { correction = sent.IdempotencyKey, revision = sent.Identity.Revision, rows = upheld.Select(u => u.Row).ToArray() }), cancellationToken).ConfigureAwait(false);
        return PortfolioResult<SubmissionRecord>.Ok(sent);
    }

    /// <summary>Reads the desk's audit trail (check it with <see cref="AuditTrail.Verify"/>).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entries in sequence order.</returns>
    public IAsyncEnumerable<AuditEntry> ReadAuditAsync(CancellationToken cancellationToken = default) => _ledger.ReadAuditAsync(cancellationToken);

    private async Task<Diagnostic?> WindowProblemAsync(SubmissionRecord record, CancellationToken cancellationToken)
    {
        var today = _calendar.Today;
        if (await _ledger.FindWindowAsync(record.Identity.School, record.Identity.Book, record.Identity.Term, cancellationToken).ConfigureAwait(false) is { } window)
        {
            if (today < window.FirstDay)
            {
                return DiagnosticCatalog.Create(DiagnosticCodes.ConfirmationWindowNotYetOpen, null, Day(window.FirstDay), Day(today));
            }

            return today > window.LastDay ? DiagnosticCatalog.Create(DiagnosticCodes.ConfirmationWindowClosed, null, Day(window.LastDay)) : null;
        }

        return record.ConfirmUntil is { } until && today > until ? DiagnosticCatalog.Create(DiagnosticCodes.ConfirmationWindowClosed, null, Day(until)) : null;
    }

    // The receipt row at a position and how many rows its student has, read by key.
    private async Task<(ReceiptRow? Row, int StudentRows)> ReadRowAsync(string idempotencyKey, int row, CancellationToken cancellationToken)
    {
        var at = await _ledger.ReadReceiptRowsAsync(idempotencyKey, row, null, cancellationToken).ConfigureAwait(false);
        if (at.Count == 0)
        {
            return (null, 0);
        }

        var found = at[0].Row;
        return (found, (await _ledger.ReadReceiptRowsAsync(idempotencyKey, null, found.StudentKey, cancellationToken).ConfigureAwait(false)).Count);
    }

    private static async Task<IReadOnlyList<Diagnostic>> FilterAsync(SubmissionRecord record, Stream content, Dictionary<(string Sheet, string Key), ReceiptRow> wanted, Stream output, CancellationToken cancellationToken)
    {
        // The validator needs a seekable stream.
        Stream readable = content;
        MemoryStream? copy = null;
        if (!content.CanSeek)
        {
            copy = new MemoryStream();
            await content.CopyToAsync(copy, cancellationToken).ConfigureAwait(false);
            copy.Position = 0;
            readable = copy;
        }

        try
        {
            var kept = new Dictionary<(string Sheet, string Key), string?[]>();
            var report = new RosterWorkbookValidator().Validate(readable, "correction", read =>
            {
                var key = (read.Layout.Sheet.Id, RosterContent.KeyOf(read.Layout, read.Values));
                if (wanted.ContainsKey(key) && !kept.ContainsKey(key))
                {
                    kept[key] = [.. read.Values];
                }
            }, cancellationToken);
            if (!report.IsReadable || report.Book is null || report.Cover is null || report.Book.Id != record.Identity.Book)
            {
                return [DiagnosticCatalog.Create(DiagnosticCodes.CorrectionContentUnreadable, new DiagnosticLocation(Source: "correction"), record.Identity.Book)];
            }

            var missing = wanted.Where(w => !kept.ContainsKey(w.Key))
                .Select(w => DiagnosticCatalog.Create(DiagnosticCodes.CorrectionRowMissing, new DiagnosticLocation(Source: "correction", Sheet: w.Key.Sheet), w.Key.Sheet, RosterContent.MaskRowKey(w.Key.Key, w.Value.StudentKey)))
                .ToList();
            if (missing.Count > 0)
            {
                return missing;
            }

            using (var writer = RosterWorkbookWriter.Create(output, report.Book, report.Cover))
            {
                foreach (var sheet in report.Book.Sheets)
                {
                    var mine = kept.Where(k => k.Key.Sheet == sheet.Id).OrderBy(k => k.Key.Key, StringComparer.Ordinal).ToList();
                    if (mine.Count == 0)
                    {
                        continue;
                    }

                    using var sheetWriter = writer.BeginSheet(sheet.Id);
                    foreach (var (_, values) in mine)
                    {
                        sheetWriter.WriteRow(values);
                    }
                }

                writer.Complete();
            }

            return [];
        }
        finally
        {
            if (copy is not null)
            {
                await copy.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static Diagnostic Conflict(int row, ReceiptRowAnswer? current) =>
        DiagnosticCatalog.Create(DiagnosticCodes.ReceiptAnswerConflict, DiagnosticLocation.ForPath("version"), row, ReceiptRowAnswer.VersionOf(current));

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string EntityId(ReceiptRowAnswer answer) => string.Create(CultureInfo.InvariantCulture, $"{answer.IdempotencyKey}#{answer.Row}");

    private static string WindowJson(ConfirmationWindow w) =>
        JsonSerializer.Serialize(new { school = w.School.Value, book = w.Book, term = w.Term.ToString(), firstDay = Day(w.FirstDay), lastDay = Day(w.LastDay) });

    // The audit keeps the student masked: the entity id already leads to the row.
    private static string AnswerJson(ReceiptRowAnswer a) => JsonSerializer.Serialize(new
    {
        student = Redaction.MaskIdentifier(a.StudentKey),
        decision = a.Decision.ToString(),
        note = a.Note,
        verdict = a.Verdict?.ToString(),
        reason = a.Reason,
        correction = a.CorrectionKey,
    });
}
