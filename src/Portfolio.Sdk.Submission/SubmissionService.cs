using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Submission.Receipts;
using Portfolio.Sdk.Submission.Telemetry;

namespace Portfolio.Sdk.Submission;

/// <summary>What collecting receipts did.</summary>
/// <param name="Received">The entries whose receipt arrived in this call.</param>
/// <param name="Diagnostics">Receipts that could not be matched or read.</param>
public sealed record ReceiptHarvest(IReadOnlyList<SubmissionRecord> Received, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>What closing a confirmation window did.</summary>
/// <param name="Record">The entry after the call.</param>
/// <param name="Disputes">The students' disputes (empty when confirmed).</param>
/// <param name="Diagnostics">Why nothing changed, when the window is still open or the entry is in another state.</param>
public sealed record ConfirmationOutcome(SubmissionRecord? Record, IReadOnlyList<ConfirmationRecord> Disputes, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>
/// Submits rosters to the central database without losing or doubling any (送件服務). Each logical submission is
/// recorded in the ledger with an idempotency key and its content in the outbox <em>before</em> the first send;
/// every send, retry, restart (<see cref="ResumeAsync"/>) and scheduler recovery reuses that key, so the gateway
/// sees one submission however often it is sent. It then collects the receipts, reconciles them, runs the
/// students' confirmation window and drives corrected resubmissions.
/// </summary>
public sealed partial class SubmissionService
{
    private static readonly SubmissionState[] Sendable = [SubmissionState.Pending, SubmissionState.Sent];
    private readonly ICentralGateway _gateway;
    private readonly ISubmissionLedger _ledger;
    private readonly SubmissionOutbox _outbox;
    private readonly PortfolioPolicy _policy;
    private readonly SchoolCalendar _calendar;
    private readonly ILogger _logger;

    /// <summary>Initializes the service.</summary>
    /// <param name="gateway">The central database.</param>
    /// <param name="ledger">The durable ledger.</param>
    /// <param name="outbox">Where content waits until it is no longer needed.</param>
    /// <param name="policy">The policy (confirmation window length); <see cref="PortfolioPolicy.Default"/> when <see langword="null"/>.</param>
    /// <param name="clock">The clock; <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="logger">The logger (keys and states only, never student data).</param>
    public SubmissionService(ICentralGateway gateway, ISubmissionLedger ledger, SubmissionOutbox outbox, PortfolioPolicy? policy = null, TimeProvider? clock = null, ILogger<SubmissionService>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(gateway);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(outbox);
        _gateway = gateway;
        _ledger = ledger;
        _outbox = outbox;
        _policy = policy ?? PortfolioPolicy.Default;
        _calendar = new SchoolCalendar(clock ?? TimeProvider.System);
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>Gets the ledger.</summary>
    public ISubmissionLedger Ledger => _ledger;

    /// <summary>
    /// Records a logical submission: stores its content in the outbox and adds a ledger entry with a new
    /// idempotency key. The same content again returns the earlier entry, so running the same job twice submits
    /// nothing twice. Content that differs from what the ledger holds for the identity is never dropped: it becomes
    /// the next revision (補正), correcting the latest one, whatever state that one reached.
    /// </summary>
    /// <remarks>
    /// Roster workbooks are byte-for-byte deterministic for the same content, so the SHA-256 of the content tells a real
    /// change from a rebuild. A changed revision is recorded only inside the policy's submission window
    /// (<see cref="PolicyWindowKind.Submission"/>); outside it, PF4307 says which revision is pending and why.
    /// </remarks>
    /// <param name="identity">What is submitted.</param>
    /// <param name="content">The workbook or package.</param>
    /// <param name="corrects">For a corrected resubmission, the key of the submission it corrects.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The ledger entry.</returns>
    /// <exception cref="PortfolioException">The content changed, but the submission window is closed (PF4307).</exception>
    public async Task<SubmissionRecord> EnqueueAsync(SubmissionIdentity identity, Stream content, string? corrects = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(content);
        var (sha, length, kind) = await _outbox.StoreAsync(content, cancellationToken).ConfigureAwait(false);
        for (var candidate = identity; ; candidate = candidate with { Revision = candidate.Revision + 1 })
        {
            if (await _ledger.FindAsync(candidate, cancellationToken).ConfigureAwait(false) is { } existing)
            {
                if (string.Equals(existing.Sha256, sha, StringComparison.OrdinalIgnoreCase))
                {
                    return existing;   // the same content: nothing new to send
                }

                corrects = existing.IdempotencyKey;   // changed: the next revision corrects this one
                continue;
            }

            if (candidate.Revision != identity.Revision && _policy.CheckWindow(PolicyWindowKind.Submission, identity.Term, _calendar.Today) is { } closed)
            {
                throw new PortfolioException(DiagnosticCatalog.Create(DiagnosticCodes.SubmissionChangeOutsideWindow, null,
                    identity with { Revision = candidate.Revision - 1 }, candidate.Revision, closed.Message, closed.MessageEnglish));
            }

            var now = _calendar.TimeProvider.GetUtcNow();
            var record = await _ledger.AddOrGetAsync(new SubmissionRecord
            {
                IdempotencyKey = NewKey(),
                Identity = candidate,
                Corrects = corrects,
                ContentKind = kind,
                Sha256 = sha,
                Length = length,
                State = SubmissionState.Pending,
                CreatedAt = now,
                UpdatedAt = now,
            }, cancellationToken).ConfigureAwait(false);
            if (!string.Equals(record.Sha256, sha, StringComparison.OrdinalIgnoreCase))
            {
                corrects = record.IdempotencyKey;   // another process took this revision with other content: go on to the next
                continue;
            }

            LogEnqueued(_logger, record.IdempotencyKey, candidate, length);
            return record;
        }
    }

    /// <summary>
    /// Tells what changed in a rebuilt roster since its latest revision that was sent and not rejected (Sent, Accepted,
    /// ReceiptReceived, Confirmed or Disputed): the content hash first, and when it differs the rows by key, from the
    /// content the outbox kept (<see cref="RosterChanges.Compare"/>). Nothing is recorded or sent.
    /// </summary>
    /// <param name="identity">The roster (school, book, term); its revision is where the search starts, usually 1.</param>
    /// <param name="rebuilt">The rebuilt workbook or package (readable, seekable).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The changes; <see cref="RosterChanges.Submitted"/> is <see langword="null"/> when no revision was sent.
    /// When the outbox no longer holds the submitted content, only the hashes are compared, with PF2307.</returns>
    public async Task<RosterChanges> ChangesSinceSubmissionAsync(SubmissionIdentity identity, Stream rebuilt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(rebuilt);
        SubmissionRecord? submitted = null;
        for (var candidate = identity; await _ledger.FindAsync(candidate, cancellationToken).ConfigureAwait(false) is { } record; candidate = candidate with { Revision = candidate.Revision + 1 })
        {
            if (record.State is not (SubmissionState.Pending or SubmissionState.Rejected))
            {
                submitted = record;
            }
        }

        if (submitted is null)
        {
            return new RosterChanges { RebuiltSha256 = RosterChanges.Sha256(rebuilt) };
        }

        if (!_outbox.Contains(submitted.Sha256))
        {
            return new RosterChanges
            {
                Submitted = submitted,
                SubmittedSha256 = submitted.Sha256,
                RebuiltSha256 = RosterChanges.Sha256(rebuilt),
                Diagnostics = [DiagnosticCatalog.Create(DiagnosticCodes.SubmittedContentNotInOutbox, null, submitted.Identity.ToString())],
            };
        }

        var content = _outbox.Open(submitted.Sha256);
        await using (content.ConfigureAwait(false))
        {
            return RosterChanges.Compare(content, rebuilt, submitted.ContentKind, cancellationToken: cancellationToken) with { Submitted = submitted };
        }
    }

    /// <summary>Records and sends a submission (<see cref="EnqueueAsync"/> then <see cref="SendAsync"/>).</summary>
    /// <param name="identity">What is submitted.</param>
    /// <param name="content">The workbook or package.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The ledger entry after the send.</returns>
    public async Task<SubmissionRecord> SubmitAsync(SubmissionIdentity identity, Stream content, CancellationToken cancellationToken = default)
    {
        var record = await EnqueueAsync(identity, content, null, cancellationToken).ConfigureAwait(false);
        return await SendAsync(record.IdempotencyKey, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Sends an outstanding entry with its idempotency key and records the answer. A failure the resilience
    /// pipeline could not overcome leaves the entry <see cref="SubmissionState.Sent"/> with its masked error, for a
    /// later <see cref="ResumeAsync"/>; entries already answered are returned unchanged.
    /// </summary>
    /// <param name="idempotencyKey">The entry.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The entry after the send.</returns>
    public async Task<SubmissionRecord> SendAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        using var activity = SubmissionTelemetry.Source.StartActivity(SubmissionTelemetry.SendActivity);
        var sending = await _ledger.TransitionAsync(idempotencyKey, Sendable, r => r with { State = SubmissionState.Sent, Attempts = r.Attempts + 1 }, cancellationToken).ConfigureAwait(false);
        if (sending is null)
        {
            var unchanged = await _ledger.GetAsync(idempotencyKey, cancellationToken).ConfigureAwait(false)
                ?? throw new ArgumentException($"No submission {idempotencyKey} in the ledger.", nameof(idempotencyKey));
            activity?.SetTag(SubmissionTelemetry.StateTag, SubmissionTelemetry.StateValue(unchanged.State));
            return unchanged;
        }

        activity?.SetTag(SubmissionTelemetry.BookTag, sending.Identity.Book);
        GatewayDelivery delivery;
        try
        {
            delivery = await _gateway.SubmitAsync(sending.ToMetadata(), () => _outbox.Open(sending.Sha256), cancellationToken).ConfigureAwait(false);
        }
        catch (GatewayException ex)
        {
            LogSendFailed(_logger, idempotencyKey, sending.Attempts, ex.Diagnostic?.Code ?? "?", ex.IsTransient);
            var error = ex.Diagnostic is { } d ? $"{d.Code} {d.MessageEnglish}" : ex.GetType().Name;
            var failed = await _ledger.TransitionAsync(idempotencyKey, [SubmissionState.Sent], r => r with { LastError = error }, cancellationToken).ConfigureAwait(false)
                ?? (await _ledger.GetAsync(idempotencyKey, cancellationToken).ConfigureAwait(false))!;
            var errorType = ex.Diagnostic?.Code ?? ex.GetType().FullName!;
            activity?.SetStatus(ActivityStatusCode.Error, ex.Diagnostic?.Code);
            activity?.SetTag(SubmissionTelemetry.ErrorTypeTag, errorType);
            activity?.SetTag(SubmissionTelemetry.StateTag, SubmissionTelemetry.StateValue(failed.State));
            SubmissionTelemetry.RecordSend(failed, errorType);
            if (ex.Diagnostic is { } diagnostic)
            {
                SubmissionTelemetry.RecordDiagnostics([diagnostic]);
            }

            return failed;
        }

        SubmissionRecord sent;
        if (delivery.Status is not { } status)
        {
            LogDropped(_logger, idempotencyKey, delivery.DroppedAt ?? string.Empty);
            sent = await _ledger.TransitionAsync(idempotencyKey, [SubmissionState.Sent], r => r with { LastError = null }, cancellationToken).ConfigureAwait(false)
                ?? (await _ledger.GetAsync(idempotencyKey, cancellationToken).ConfigureAwait(false))!;
        }
        else
        {
            sent = await RecordVerdictAsync(idempotencyKey, status, delivery.Replayed, cancellationToken).ConfigureAwait(false);
            SubmissionTelemetry.RecordDiagnostics(sent.Diagnostics.Select(d => d.ToDiagnostic()));
        }

        activity?.SetTag(SubmissionTelemetry.StateTag, SubmissionTelemetry.StateValue(sent.State));
        activity?.SetTag("portfolio.submission.replayed", delivery.Replayed);
        SubmissionTelemetry.RecordSend(sent, null);
        return sent;
    }

    /// <summary>
    /// Sends every outstanding entry (pending, or sent without a final answer): what a restarted process or a
    /// recovered scheduler job calls first. Entries are sent one at a time, oldest first.
    /// </summary>
    /// <param name="schoolCode">Only this school's entries, or all when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The entries after their send.</returns>
    public async Task<IReadOnlyList<SubmissionRecord>> ResumeAsync(string? schoolCode = null, CancellationToken cancellationToken = default)
    {
        var result = new List<SubmissionRecord>();
        foreach (var record in await _ledger.ListAsync(schoolCode, Sendable, cancellationToken).ConfigureAwait(false))
        {
            result.Add(await SendAsync(record.IdempotencyKey, cancellationToken).ConfigureAwait(false));
        }

        return result;
    }

    /// <summary>Fetches a school's new receipts from the gateway and stores each with its entry (see <see cref="ImportReceiptAsync"/>).</summary>
    /// <param name="schoolCode">The school.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>What arrived.</returns>
    public async Task<ReceiptHarvest> CollectReceiptsAsync(string schoolCode, CancellationToken cancellationToken = default)
    {
        var received = new List<SubmissionRecord>();
        var diagnostics = new List<Diagnostic>();
        var waiting = (await _ledger.ListAsync(schoolCode, [SubmissionState.Sent, SubmissionState.Accepted], cancellationToken).ConfigureAwait(false))
            .ToDictionary(r => r.IdempotencyKey, StringComparer.Ordinal);
        if (waiting.Count == 0)
        {
            return new ReceiptHarvest(received, diagnostics);
        }

        foreach (var summary in await _gateway.ListReceiptsAsync(schoolCode, null, cancellationToken).ConfigureAwait(false))
        {
            if (!waiting.ContainsKey(summary.IdempotencyKey) || await _gateway.GetReceiptAsync(summary.ReceiptId, cancellationToken).ConfigureAwait(false) is not { } receipt)
            {
                continue;
            }

            var (record, problems) = await ImportReceiptAsync(receipt, cancellationToken).ConfigureAwait(false);
            diagnostics.AddRange(problems);
            if (record is { State: SubmissionState.ReceiptReceived })
            {
                received.Add(record);
            }
        }

        SubmissionTelemetry.RecordDiagnostics(diagnostics);
        return new ReceiptHarvest(received, diagnostics);
    }

    /// <summary>
    /// Stores a receipt with the entry it acknowledges and opens the students' confirmation window: until the last day of
    /// the window the school set for the book and term (<see cref="Confirmation.ConfirmationDesk.SetWindowAsync"/>), or else from
    /// today to today plus the policy's <see cref="NationalPolicy.ConfirmationMinDays"/> (at least 3) in Asia/Taipei. A
    /// file-drop entry still <see cref="SubmissionState.Sent"/> is first marked accepted: the receipt proves it.
    /// Importing the same receipt again changes nothing.
    /// </summary>
    /// <param name="receipt">The receipt.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The entry (or <see langword="null"/>) and any problems.</returns>
    public async Task<(SubmissionRecord? Record, IReadOnlyList<Diagnostic> Diagnostics)> ImportReceiptAsync(Receipt receipt, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(receipt);
        var record = await _ledger.GetAsync(receipt.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        if (record is null)
        {
            return (null, [DiagnosticCatalog.Create(DiagnosticCodes.ReceiptUnknownSubmission, new DiagnosticLocation(Source: receipt.ReceiptId), receipt.IdempotencyKey)]);
        }

        if (record.State == SubmissionState.Sent)
        {
            record = await _ledger.TransitionAsync(record.IdempotencyKey, [SubmissionState.Sent], r => r with
            {
                State = SubmissionState.Accepted,
                GatewayId = receipt.SubmissionId,
                AcceptedRows = receipt.Rows.Count,
                LastError = null,
            }, cancellationToken).ConfigureAwait(false) ?? record;
        }

        if (record.State != SubmissionState.Accepted)
        {
            return (record, record.ReceiptId == receipt.ReceiptId ? [] : [StateProblem(record, "匯入收訖明細", "given a receipt")]);
        }

        // The school's own window for the book and term (ConfirmationDesk.SetWindowAsync) decides the last day when set.
        var days = _policy.For(record.Identity.Term.Year).ConfirmationMinDays;
        var lastDay = _calendar.Today.AddDays(days);
        if (_ledger is DbSubmissionLedger db && await db.FindWindowAsync(record.Identity.School, record.Identity.Book, record.Identity.Term, cancellationToken).ConfigureAwait(false) is { } window)
        {
            lastDay = window.LastDay;
        }

        var saved = await _ledger.SaveReceiptAsync(record.IdempotencyKey, receipt, lastDay, cancellationToken).ConfigureAwait(false);
        if (saved is not null && _logger.IsEnabled(LogLevel.Information))
        {
            // ISO 8601, never the machine's culture (a log once said "12/03/2026").
            var until = saved.ConfirmUntil!.Value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            LogReceipt(_logger, saved.IdempotencyKey, receipt.ReceiptId, receipt.Rows.Count, until);
        }

        return (saved ?? await _ledger.GetAsync(record.IdempotencyKey, cancellationToken).ConfigureAwait(false), []);
    }

    /// <summary>Reconciles an entry's receipt with the content that was submitted, per student.</summary>
    /// <param name="idempotencyKey">The entry (with its receipt).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The report.</returns>
    public async Task<ReconciliationReport> ReconcileAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        using var activity = SubmissionTelemetry.Source.StartActivity(SubmissionTelemetry.ReconcileActivity);
        var record = await _ledger.GetAsync(idempotencyKey, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException($"No submission {idempotencyKey} in the ledger.", nameof(idempotencyKey));
        activity?.SetTag(SubmissionTelemetry.BookTag, record.Identity.Book);
        // Both sides stream: the submitted rows are kept compactly, the receipt's rows not at all.
        var reconciliation = new ReceiptReconciliation(record.ReceiptId);
        var content = _outbox.Open(record.Sha256);
        await using (content.ConfigureAwait(false))
        {
            RosterContent.Read(content, record.ContentKind, record.IdempotencyKey, reconciliation.AddSubmitted, cancellationToken: cancellationToken);
        }

        await foreach (var row in _ledger.ReadReceiptRowsAsync(idempotencyKey, cancellationToken).ConfigureAwait(false))
        {
            reconciliation.AddReceived(row);
        }

        var report = reconciliation.Complete();
        SubmissionTelemetry.RecordReconciliation(report);
        SubmissionTelemetry.RecordDiagnostics(report.Diagnostics);
        activity?.SetTag("portfolio.reconciliation.matched", report.Matched);
        activity?.SetTag("portfolio.reconciliation.differences", report.Diagnostics.Count);
        activity?.SetTag("portfolio.reconciliation.clean", report.IsClean);
        return report;
    }

    /// <summary>
    /// Reads one student's rows of a receipt (收訖明細) for someone who may view them (<see cref="Workflow.PortfolioOperation.ViewReceipts"/>):
    /// the student, the school's submitters, the 導師 of the student's class, or a guardian (家長) bound to the student. A
    /// guardian's <see cref="Workflow.PortfolioActor.Children"/> must come from the module's store: pass the actor through
    /// <c>PortfolioModule.ResolveActorAsync</c> first.
    /// </summary>
    /// <param name="actor">Who reads.</param>
    /// <param name="idempotencyKey">The submission whose receipt it is.</param>
    /// <param name="studentKey">The student.</param>
    /// <param name="className">The student's class (for the 導師's scope), when known.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The student's rows (none when the receipt does not list them), or the refusal (PF3101).</returns>
    public async Task<PortfolioResult<IReadOnlyList<ReceiptRow>>> ReadStudentReceiptAsync(Workflow.PortfolioActor actor, string idempotencyKey, string studentKey, string? className = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(actor);
        ArgumentException.ThrowIfNullOrWhiteSpace(idempotencyKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(studentKey);
        var student = studentKey.Trim().ToUpperInvariant();
        if (actor.Check(Workflow.PortfolioOperation.ViewReceipts, new Workflow.PortfolioTarget(student, className)) is { } denied)
        {
            return PortfolioResult<IReadOnlyList<ReceiptRow>>.Refused(denied);
        }

        var rows = new List<ReceiptRow>();
        await foreach (var row in _ledger.ReadReceiptRowsAsync(idempotencyKey, cancellationToken).ConfigureAwait(false))
        {
            if (row.StudentKey == student)
            {
                rows.Add(row);
            }
        }

        return PortfolioResult<IReadOnlyList<ReceiptRow>>.Ok(rows);
    }

    /// <summary>Records a student's confirmation or dispute while the window is open.</summary>
    /// <param name="idempotencyKey">The entry.</param>
    /// <param name="studentKey">The student's 身分證號.</param>
    /// <param name="decision">Confirm or dispute.</param>
    /// <param name="note">What is wrong, for a dispute.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The confirmation as recorded, or why not (PF4301, PF4302, PF4304).</returns>
    public async Task<PortfolioResult<ConfirmationRecord>> RecordConfirmationAsync(string idempotencyKey, string studentKey, ConfirmationDecision decision, string? note = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(studentKey);
        var record = await _ledger.GetAsync(idempotencyKey, cancellationToken).ConfigureAwait(false);
        if (record is not { State: SubmissionState.ReceiptReceived, ConfirmUntil: { } until })
        {
            return PortfolioResult<ConfirmationRecord>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.ConfirmationNotOpen, null, idempotencyKey));
        }

        if (_calendar.Today > until)
        {
            return PortfolioResult<ConfirmationRecord>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.ConfirmationWindowClosed, null, until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        }

        var student = studentKey.Trim().ToUpperInvariant();
        var listed = false;
        await foreach (var row in _ledger.ReadReceiptRowsAsync(idempotencyKey, cancellationToken).ConfigureAwait(false))
        {
            listed |= row.StudentKey == student;
        }

        if (!listed)
        {
            return PortfolioResult<ConfirmationRecord>.Refused(DiagnosticCatalog.Create(DiagnosticCodes.ConfirmationNotInReceipt, null, Redaction.MaskIdentifier(student)));
        }

        var confirmation = new ConfirmationRecord(idempotencyKey, student, decision, note, _calendar.TimeProvider.GetUtcNow());
        await _ledger.RecordConfirmationAsync(confirmation, cancellationToken).ConfigureAwait(false);
        return PortfolioResult<ConfirmationRecord>.Ok(confirmation);
    }

    /// <summary>
    /// Closes the confirmation window once it has ended (or every student in the receipt has answered): the entry
    /// becomes <see cref="SubmissionState.Disputed"/> if any student disputed, else <see cref="SubmissionState.Confirmed"/>.
    /// Students who did not answer in time are taken to have confirmed.
    /// </summary>
    /// <param name="idempotencyKey">The entry.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The outcome.</returns>
    public async Task<ConfirmationOutcome> CloseConfirmationAsync(string idempotencyKey, CancellationToken cancellationToken = default)
    {
        var record = await _ledger.GetAsync(idempotencyKey, cancellationToken).ConfigureAwait(false);
        if (record is not { State: SubmissionState.ReceiptReceived, ConfirmUntil: { } until })
        {
            return new ConfirmationOutcome(record, [], record is null || record.State is not (SubmissionState.Confirmed or SubmissionState.Disputed)
                ? [DiagnosticCatalog.Create(DiagnosticCodes.ConfirmationNotOpen, null, idempotencyKey)] : []);
        }

        var answers = await _ledger.ReadConfirmationsAsync(idempotencyKey, cancellationToken).ConfigureAwait(false);
        var students = new HashSet<string>(StringComparer.Ordinal);
        await foreach (var row in _ledger.ReadReceiptRowsAsync(idempotencyKey, cancellationToken).ConfigureAwait(false))
        {
            students.Add(row.StudentKey);
        }

        var unanswered = students.Count(s => answers.All(a => a.StudentKey != s));
        if (_calendar.Today <= until && unanswered > 0)
        {
            return new ConfirmationOutcome(record, [], [DiagnosticCatalog.Create(DiagnosticCodes.ConfirmationWindowStillOpen, null, until.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), unanswered)]);
        }

        var disputes = answers.Where(a => a.Decision == ConfirmationDecision.Dispute).ToList();
        var closed = await _ledger.TransitionAsync(idempotencyKey, [SubmissionState.ReceiptReceived],
            r => r with { State = disputes.Count > 0 ? SubmissionState.Disputed : SubmissionState.Confirmed }, cancellationToken).ConfigureAwait(false);
        return new ConfirmationOutcome(closed ?? await _ledger.GetAsync(idempotencyKey, cancellationToken).ConfigureAwait(false), disputes, []);
    }

    /// <summary>
    /// Submits the corrected content of a disputed or rejected submission as its next revision, linked to it.
    /// Calling it again returns the same corrected submission.
    /// </summary>
    /// <param name="idempotencyKey">The disputed or rejected entry.</param>
    /// <param name="correctedContent">The corrected workbook or package.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The corrected submission's entry after its send.</returns>
    /// <exception cref="PortfolioException">The entry is in another state (PF4305).</exception>
    public async Task<SubmissionRecord> SubmitCorrectionAsync(string idempotencyKey, Stream correctedContent, CancellationToken cancellationToken = default)
    {
        var record = await _ledger.GetAsync(idempotencyKey, cancellationToken).ConfigureAwait(false)
            ?? throw new ArgumentException($"No submission {idempotencyKey} in the ledger.", nameof(idempotencyKey));
        if (record.State is not (SubmissionState.Disputed or SubmissionState.Rejected))
        {
            throw new PortfolioException(StateProblem(record, "更正重送", "corrected"));
        }

        var next = record.Identity with { Revision = record.Identity.Revision + 1 };
        var corrected = await EnqueueAsync(next, correctedContent, record.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        return await SendAsync(corrected.IdempotencyKey, cancellationToken).ConfigureAwait(false);
    }

    private static Diagnostic StateProblem(SubmissionRecord record, string zh, string en) =>
        DiagnosticCatalog.Create(DiagnosticCodes.SubmissionState, null, record.IdempotencyKey, record.State, zh, en);

    // Opaque, unique and time-ordered; fixed before the first send and never derived from student data.
    private static string NewKey() => Guid.CreateVersion7().ToString("N");

    private async Task<SubmissionRecord> RecordVerdictAsync(string idempotencyKey, SubmissionStatus status, bool replayed, CancellationToken cancellationToken)
    {
        var accepted = status.Verdict == GatewayVerdict.Accepted;
        var diagnostics = status.Diagnostics;
        if (accepted && status.RejectedRows > 0)
        {
            diagnostics = [GatewayDiagnostic.From(DiagnosticCatalog.Create(DiagnosticCodes.GatewayRowsRejected, null, status.RejectedRows, status.AcceptedRows)), .. diagnostics];
        }

        var updated = await _ledger.TransitionAsync(idempotencyKey, [SubmissionState.Sent], r => r with
        {
            State = accepted ? SubmissionState.Accepted : SubmissionState.Rejected,
            GatewayId = status.SubmissionId,
            AcceptedRows = status.AcceptedRows,
            RejectedRows = status.RejectedRows,
            Diagnostics = diagnostics,
            LastError = null,
        }, cancellationToken).ConfigureAwait(false);
        LogVerdict(_logger, idempotencyKey, status.Verdict, status.AcceptedRows, status.RejectedRows, replayed);
        return updated ?? (await _ledger.GetAsync(idempotencyKey, cancellationToken).ConfigureAwait(false))!;
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Information, Message = "Submission {Key} recorded for {Identity} ({Length} bytes)")]
    private static partial void LogEnqueued(ILogger logger, string key, SubmissionIdentity identity, long length);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Submission {Key} send {Attempt} failed with {Code} (transient: {Transient}); it stays in the ledger")]
    private static partial void LogSendFailed(ILogger logger, string key, int attempt, string code, bool transient);

    [LoggerMessage(EventId = 4103, Level = LogLevel.Information, Message = "Submission {Key}: {Verdict}, {Accepted} rows received, {Rejected} refused (replayed: {Replayed})")]
    private static partial void LogVerdict(ILogger logger, string key, GatewayVerdict verdict, int accepted, int rejected, bool replayed);

    [LoggerMessage(EventId = 4104, Level = LogLevel.Information, Message = "Submission {Key} dropped for manual upload in {Folder}")]
    private static partial void LogDropped(ILogger logger, string key, string folder);

    [LoggerMessage(EventId = 4105, Level = LogLevel.Information, Message = "Submission {Key}: receipt {Receipt} with {Rows} rows; students may confirm until {Until}")]
    private static partial void LogReceipt(ILogger logger, string key, string receipt, int rows, string until);
}
