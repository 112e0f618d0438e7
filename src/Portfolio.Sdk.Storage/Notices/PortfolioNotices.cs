using System.Data.Common;
using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Notices;

/// <summary>
/// The module's targeted notices (通知): who to tell what, planned from the store and the policy's windows, and raised
/// once. Planning reads: students with nothing uploaded or selected as their window nears its end (a grade's own window
/// for its classes, the school-wide one for the rest), teachers with course outcomes awaiting certification, rejected
/// course outcomes with their reason, and the confirmation window of a receipt. Raising delivers each notice through
/// the vendor's <see cref="INoticeDelivery"/> under a claim in the store's notice table (keyed by kind, recipient and
/// event): two scheduler nodes running at once deliver each notice once, a restart does not deliver it again, and a
/// failed delivery is not recorded as sent, so the next run retries it. A node that dies mid-delivery leaves a claim
/// that lapses after <see cref="ClaimLease"/>; the notice is then delivered again (at least once, never lost).
/// </summary>
public sealed class PortfolioNotices
{
    private readonly PortfolioModule _module;
    private readonly PortfolioStore _store;
    private readonly SchoolCalendar _calendar;
    private readonly TimeProvider _clock;

    /// <summary>Initializes the notices of a module.</summary>
    /// <param name="module">The module: its store, policy and reading of a class's grade.</param>
    /// <param name="clock">The clock (today in Taiwan decides the lead time; claims are timed by it).</param>
    public PortfolioNotices(PortfolioModule module, TimeProvider clock)
    {
        ArgumentNullException.ThrowIfNull(module);
        ArgumentNullException.ThrowIfNull(clock);
        _module = module;
        _store = module.Store;
        _clock = clock;
        _calendar = new SchoolCalendar(clock);
    }

    /// <summary>Gets or sets how long a node's claim on a notice holds before another node may deliver it. Default 10 minutes.</summary>
    public TimeSpan ClaimLease { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Plans the notices of a window that closes within <paramref name="leadDays"/> days (today included, in Taiwan):
    /// an upload window tells each student with nothing uploaded in the school year; a selection window each student with
    /// nothing selected for it; a certification window each teacher (certifying teacher or proxy) with course outcomes of
    /// its term awaiting certification. Students and outcomes are those of the classes the window applies to. Outside the
    /// lead time, or for a submission window, nothing.
    /// </summary>
    /// <param name="school">The school's code, part of the event key.</param>
    /// <param name="window">The window.</param>
    /// <param name="leadDays">How many days before the window's end the notices start (0: its last day only).</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The notices.</returns>
    public async Task<IReadOnlyList<PortfolioNotice>> PlanWindowAsync(string school, PolicyWindow window, int leadDays, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(school);
        ArgumentNullException.ThrowIfNull(window);
        ArgumentOutOfRangeException.ThrowIfNegative(leadDays);
        var today = _calendar.Today;
        if (today > window.End || today < window.End.AddDays(-leadDays) || today < window.Start)
        {
            return [];
        }

        var end = window.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var eventKey = string.Create(CultureInfo.InvariantCulture,
            $"{school}/{window.Kind.ToString().ToLowerInvariant()}/{window.Term}/{(window.Grade is { } g ? ((int)g).ToString(CultureInfo.InvariantCulture) : "all")}/{end}");
        var notices = new List<PortfolioNotice>();
        switch (window.Kind)
        {
            case PolicyWindowKind.Upload or PolicyWindowKind.Selection:
                var upload = window.Kind == PolicyWindowKind.Upload;
                foreach (var student in await _store.StudentStatusesAsync(window.Term.Year, null, cancellationToken).ConfigureAwait(false))
                {
                    if (!AppliesTo(window, student.ClassName) || (upload ? student.Uploaded + student.PerformancesUploaded > 0 : !student.HasNothingSelected))
                    {
                        continue;
                    }

                    var notice = PortfolioNotice.Create(upload ? NoticeKind.NothingUploaded : NoticeKind.NothingSelected, new NoticeRecipient(PortfolioRole.Student, student.StudentKey), eventKey,
                        upload ? DiagnosticCodes.NoticeNothingUploaded : DiagnosticCodes.NoticeNothingSelected, window.Term.ToString(), end);
                    notices.Add(notice with { StudentKey = student.StudentKey, Window = window });
                }

                break;
            case PolicyWindowKind.Certification:
                foreach (var (teacher, count) in await PendingByTeacherAsync(window, cancellationToken).ConfigureAwait(false))
                {
                    var notice = PortfolioNotice.Create(NoticeKind.PendingCertifications, new NoticeRecipient(PortfolioRole.CourseTeacher, teacher), eventKey,
                        DiagnosticCodes.NoticePendingCertifications, window.Term.ToString(), end, count);
                    notices.Add(notice with { Window = window });
                }

                break;
        }

        return notices;
    }

    /// <summary>
    /// Plans a notice to the student for each course outcome of the year now rejected (認證不通過), with the teacher's
    /// reason (the teacher's words, ID-shaped text in them masked; the course code stays out of the text, which an ID
    /// pattern could mistake, and the outcome is <see cref="PortfolioNotice.ItemId"/>). The event is the rejection (the outcome at its version): a student rejected
    /// again after a correction is told again.
    /// </summary>
    /// <param name="school">The school's code, part of the event key.</param>
    /// <param name="year">The school year.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The notices.</returns>
    public async Task<IReadOnlyList<PortfolioNotice>> PlanRejectionsAsync(string school, SchoolYear year, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(school);
        var notices = new List<PortfolioNotice>();
        await foreach (var outcome in _store.StreamRowsAsync(
            $"SELECT {PortfolioStore.CourseOutcomeColumnList(Q)} FROM {Q(StoreSchema.CourseOutcomeTable)} WHERE {Q("state")} = {P(0)} AND {Q("school_year")} = {P(1)} ORDER BY {Q("id")}",
            [(int)CertificationState.Rejected, year.RocYear], PortfolioStore.ReadCourseOutcome, cancellationToken).ConfigureAwait(false))
        {
            var eventKey = string.Create(CultureInfo.InvariantCulture, $"{school}/rejected/{outcome.Id:D}/v{outcome.Version}");
            var notice = PortfolioNotice.Create(NoticeKind.CertificationRejected, new NoticeRecipient(PortfolioRole.Student, outcome.StudentKey), eventKey,
                DiagnosticCodes.NoticeCertificationRejected, outcome.Term.ToString(), outcome.CertificationNote ?? string.Empty);
            notices.Add(notice with { StudentKey = outcome.StudentKey, ItemId = outcome.Id });
        }

        return notices;
    }

    /// <summary>Plans the notice that a receipt's confirmation window is open, to one student listed in it.</summary>
    /// <param name="school">The school's code.</param>
    /// <param name="submission">The submission's idempotency key (the event).</param>
    /// <param name="label">What was submitted, as users read it (e.g. <c>113-1 學期成績</c>); no personal data.</param>
    /// <param name="studentKey">The student.</param>
    /// <param name="confirmUntil">The window's last day.</param>
    /// <returns>The notice.</returns>
    public static PortfolioNotice ConfirmationOpened(string school, string submission, string label, string studentKey, DateOnly confirmUntil) =>
        PortfolioNotice.Create(NoticeKind.ConfirmationWindowOpened, new NoticeRecipient(PortfolioRole.Student, studentKey), $"{school}/confirmation-opened/{submission}",
            DiagnosticCodes.NoticeConfirmationOpened, label, confirmUntil.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) with { StudentKey = studentKey };

    /// <summary>Plans the notice that a receipt's confirmation window closes soon, to one student who has not answered.</summary>
    /// <param name="school">The school's code.</param>
    /// <param name="submission">The submission's idempotency key.</param>
    /// <param name="label">What was submitted, as users read it; no personal data.</param>
    /// <param name="studentKey">The student.</param>
    /// <param name="confirmUntil">The window's last day (part of the event: a window moved later is a new event).</param>
    /// <returns>The notice.</returns>
    public static PortfolioNotice ConfirmationClosing(string school, string submission, string label, string studentKey, DateOnly confirmUntil)
    {
        var until = confirmUntil.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return PortfolioNotice.Create(NoticeKind.ConfirmationWindowClosing, new NoticeRecipient(PortfolioRole.Student, studentKey), $"{school}/confirmation-closing/{submission}/{until}",
            DiagnosticCodes.NoticeConfirmationClosing, label, until) with { StudentKey = studentKey };
    }

    /// <summary>
    /// Raises notices: each one not sent before and not held by another node is claimed in the store, delivered, and
    /// recorded as sent; a delivery that throws releases the claim (not sent: the next run retries it) and is reported
    /// as <c>PF3502</c>. Notices are delivered one after the other, in order.
    /// </summary>
    /// <param name="notices">The notices.</param>
    /// <param name="delivery">The vendor's delivery.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The account of the run.</returns>
    public async Task<NoticeRun> RaiseAsync(IEnumerable<PortfolioNotice> notices, INoticeDelivery delivery, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notices);
        ArgumentNullException.ThrowIfNull(delivery);
        var (planned, delivered, sent, held) = (0, 0, 0, 0);
        var failures = new List<Diagnostic>();
        foreach (var notice in notices)
        {
            planned++;
            var claim = await ClaimAsync(notice, cancellationToken).ConfigureAwait(false);
            if (claim is not { } token)
            {
                if (await IsSentAsync(notice, cancellationToken).ConfigureAwait(false))
                {
                    sent++;
                }
                else
                {
                    held++;
                }

                continue;
            }

            try
            {
                await delivery.DeliverAsync(notice, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                await ExecuteAsync($"UPDATE {Q(StoreSchema.NoticeTable)} SET {Q("claimed_until")} = 0 WHERE {KeyCondition(0)} AND {Q("claim_token")} = {P(4)}",
                    [.. Key(notice), token], CancellationToken.None).ConfigureAwait(false);
                var kind = PortfolioDisplay(notice.Kind);
                failures.Add(DiagnosticCatalog.Create(DiagnosticCodes.NoticeDeliveryFailed, null, kind.Chinese, ex.GetType().Name, kind.English));
                continue;
            }

            await ExecuteAsync($"UPDATE {Q(StoreSchema.NoticeTable)} SET {Q("state")} = 1, {Q("sent_at")} = {P(5)} WHERE {KeyCondition(0)} AND {Q("claim_token")} = {P(4)}",
                [.. Key(notice), token, _clock.GetUtcNow().UtcTicks], CancellationToken.None).ConfigureAwait(false);
            delivered++;
        }

        return new NoticeRun(planned, delivered, sent, held, failures);
    }

    /// <summary>Gets whether a notice is recorded as sent.</summary>
    /// <param name="notice">The notice.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns><see langword="true"/> when it was delivered.</returns>
    public async Task<bool> IsSentAsync(PortfolioNotice notice, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notice);
        return (await ReadClaimAsync(notice, cancellationToken).ConfigureAwait(false))?.State == 1;
    }

    // Claims the notice for this node: a new row, or a row whose claim lapsed or was released, taken by compare-and-swap
    // on its claim token. Null when it is sent or another node holds a live claim.
    private async Task<string?> ClaimAsync(PortfolioNotice notice, CancellationToken cancellationToken)
    {
        var now = _clock.GetUtcNow().UtcTicks;
        var token = Guid.NewGuid().ToString("D");
        var until = now + ClaimLease.Ticks;
        var row = await ReadClaimAsync(notice, cancellationToken).ConfigureAwait(false);
        if (row is null)
        {
            try
            {
                await ExecuteAsync(
                    $"INSERT INTO {Q(StoreSchema.NoticeTable)} ({Q("kind")}, {Q("recipient_role")}, {Q("recipient_key")}, {Q("event_key")}, {Q("state")}, {Q("claim_token")}, {Q("claimed_until")}, {Q("attempts")}) "
                    + $"VALUES ({P(0)}, {P(1)}, {P(2)}, {P(3)}, 0, {P(4)}, {P(5)}, 1)",
                    [.. Key(notice), token, until], cancellationToken).ConfigureAwait(false);
                return token;
            }
            catch (DbException)
            {
                if (await ReadClaimAsync(notice, cancellationToken).ConfigureAwait(false) is null)
                {
                    throw; // not a lost race: the database failed
                }

                return null; // another node inserted it first: theirs
            }
        }

        if (row.Value.State == 1 || row.Value.ClaimedUntil > now)
        {
            return null;
        }

        var taken = await ExecuteAsync(
            $"UPDATE {Q(StoreSchema.NoticeTable)} SET {Q("claim_token")} = {P(4)}, {Q("claimed_until")} = {P(5)}, {Q("attempts")} = {Q("attempts")} + 1 "
            + $"WHERE {KeyCondition(0)} AND {Q("state")} = 0 AND {Q("claim_token")} = {P(6)}",
            [.. Key(notice), token, until, row.Value.Token], cancellationToken).ConfigureAwait(false);
        return taken == 1 ? token : null;
    }

    private async Task<(int State, string Token, long ClaimedUntil)?> ReadClaimAsync(PortfolioNotice notice, CancellationToken cancellationToken)
    {
        await foreach (var row in _store.StreamRowsAsync(
            $"SELECT {Q("state")}, {Q("claim_token")}, {Q("claimed_until")} FROM {Q(StoreSchema.NoticeTable)} WHERE {KeyCondition(0)}",
            Key(notice), r => (Convert.ToInt32(r.GetValue(0), CultureInfo.InvariantCulture), Convert.ToString(r.GetValue(1), CultureInfo.InvariantCulture)!.Trim(), Convert.ToInt64(r.GetValue(2), CultureInfo.InvariantCulture)),
            cancellationToken).ConfigureAwait(false))
        {
            return row;
        }

        return null;
    }

    private async Task<int> ExecuteAsync(string sql, object[] values, CancellationToken cancellationToken)
    {
        var connection = await _store.DataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using (connection.ConfigureAwait(false))
        {
            var command = _store.CreateCommand(connection, null, sql, values);
            await using (command.ConfigureAwait(false))
            {
                return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
            }
        }
    }

    // Each teacher (certifying teacher, and the proxy when one is assigned) with their outcomes awaiting certification
    // in the window's term, of the classes the window applies to.
    private async Task<SortedDictionary<string, int>> PendingByTeacherAsync(PolicyWindow window, CancellationToken cancellationToken)
    {
        var byTerm = window.Term.Term == Term.WholeYear ? string.Empty : $" AND {Q("term")} = {P(2)}";
        object[] values = window.Term.Term == Term.WholeYear
            ? [(int)CertificationState.Pending, window.Term.Year.RocYear]
            : [(int)CertificationState.Pending, window.Term.Year.RocYear, (int)window.Term.Term];
        var teachers = new SortedDictionary<string, int>(StringComparer.Ordinal);
        await foreach (var (teacher, proxy, className) in _store.StreamRowsAsync(
            $"SELECT {Q("certifying_teacher")}, {Q("proxy_teacher")}, {Q("class_name")} FROM {Q(StoreSchema.CourseOutcomeTable)} WHERE {Q("state")} = {P(0)} AND {Q("school_year")} = {P(1)}{byTerm}",
            values, r => (r.GetString(0), r.IsDBNull(1) ? null : r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2)), cancellationToken).ConfigureAwait(false))
        {
            if (!AppliesTo(window, className))
            {
                continue;
            }

            foreach (var who in proxy is null || proxy == teacher ? [teacher] : new[] { teacher, proxy })
            {
                teachers[who] = teachers.GetValueOrDefault(who) + 1;
            }
        }

        return teachers;
    }

    // The window applies to a class when it is the one the policy gives the class's grade: a grade's own window for its
    // classes, the school-wide window for the classes of grades without one.
    private bool AppliesTo(PolicyWindow window, string? className) =>
        _module.Policy.WindowFor(window.Kind, window.Term, _module.GradeLevelOf(className)) == window;

    private static object[] Key(PortfolioNotice notice) => [(int)notice.Kind, (int)notice.Recipient.Role, notice.Recipient.UserKey, notice.EventKey];

    private string KeyCondition(int first) =>
        $"{Q("kind")} = {P(first)} AND {Q("recipient_role")} = {P(first + 1)} AND {Q("recipient_key")} = {P(first + 2)} AND {Q("event_key")} = {P(first + 3)}";

    private string Q(string name) => _store.QuoteName(name);

    private string P(int index) => _store.P(index);

    private static BilingualName PortfolioDisplay(NoticeKind kind) => kind switch
    {
        NoticeKind.NothingUploaded => new("尚未上傳提醒", "nothing-uploaded reminder"),
        NoticeKind.NothingSelected => new("尚未勾選提醒", "nothing-selected reminder"),
        NoticeKind.PendingCertifications => new("待認證提醒", "pending-certification reminder"),
        NoticeKind.ConfirmationWindowOpened => new("收訖確認開始通知", "confirmation-window notice"),
        NoticeKind.ConfirmationWindowClosing => new("收訖確認截止提醒", "confirmation-deadline reminder"),
        NoticeKind.CertificationRejected => new("認證不通過通知", "rejection notice"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Not a notice kind."),
    };
}
