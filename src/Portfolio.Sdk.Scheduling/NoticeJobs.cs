using System.Globalization;
using Microsoft.Extensions.Logging;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Notices;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Submission;
using Portfolio.Sdk.Submission.Ledger;
using Quartz;

namespace Portfolio.Sdk.Scheduling;

/// <summary>
/// Raises the notices of a school's window (上傳、勾選、認證) as it nears its end: the students with nothing uploaded or
/// selected, the teachers with course outcomes awaiting certification (<see cref="PortfolioNotices.PlanWindowAsync"/>).
/// The window and the lead time travel in the job data; each notice is raised once, whichever node runs the job and
/// however often. Never runs twice at once for a window, and is re-run on another node if its node dies mid-way.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class WindowNoticeJob(PortfolioModule module, INoticeDelivery delivery, TimeProvider clock, ILogger<WindowNoticeJob> logger) : IJob
{
    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await SchedulingTelemetry.RunAsync(context, nameof(WindowNoticeJob), async () =>
        {
            var school = PortfolioJobData.SchoolOf(context);
            var window = PortfolioJobData.WindowOf(context);
            var notices = new PortfolioNotices(module, clock);
            var planned = await notices.PlanWindowAsync(school.Value, window, PortfolioJobData.LeadDaysOf(context), cancellationToken).ConfigureAwait(false);
            NoticeLog.Account(logger, nameof(WindowNoticeJob), school.Value, await notices.RaiseAsync(planned, delivery, cancellationToken).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// Tells each student whose course outcome was rejected (認證不通過), with the teacher's reason
/// (<see cref="PortfolioNotices.PlanRejectionsAsync"/>); runs through the school year's certification windows and the
/// day after the last, each rejection raised once.
/// </summary>
[DisallowConcurrentExecution]
public sealed class RejectionNoticeJob(PortfolioModule module, INoticeDelivery delivery, TimeProvider clock, ILogger<RejectionNoticeJob> logger) : IJob
{
    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await SchedulingTelemetry.RunAsync(context, nameof(RejectionNoticeJob), async () =>
        {
            var school = PortfolioJobData.SchoolOf(context);
            var year = new SchoolYear(int.Parse(PortfolioJobData.TermText(context), NumberStyles.None, CultureInfo.InvariantCulture));
            var notices = new PortfolioNotices(module, clock);
            var planned = await notices.PlanRejectionsAsync(school.Value, year, cancellationToken).ConfigureAwait(false);
            NoticeLog.Account(logger, nameof(RejectionNoticeJob), school.Value, await notices.RaiseAsync(planned, delivery, cancellationToken).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// The students' confirmation window of each receipt (收訖確認期間), as the ledger holds it (opened when the receipt
/// arrived, until <see cref="SubmissionRecord.ConfirmUntil"/>, at least the policy's <c>ConfirmationMinDays</c>): each
/// student listed in the receipt is told that it opened, and, in the lead time before it closes, each student who has
/// not answered yet is told that it closes. Each notice once.
/// </summary>
[DisallowConcurrentExecution]
public sealed class ConfirmationNoticeJob(SubmissionService submissions, PortfolioModule module, INoticeDelivery delivery, TimeProvider clock, ILogger<ConfirmationNoticeJob> logger) : IJob
{
    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await SchedulingTelemetry.RunAsync(context, nameof(ConfirmationNoticeJob), async () =>
        {
            var school = PortfolioJobData.SchoolOf(context);
            var leadDays = PortfolioJobData.LeadDaysOf(context);
            var today = new SchoolCalendar(clock).Today;
            var planned = new List<PortfolioNotice>();
            foreach (var record in await submissions.Ledger.ListAsync(school.Value, [SubmissionState.ReceiptReceived], cancellationToken).ConfigureAwait(false))
            {
                if (record.ConfirmUntil is not { } until || today > until)
                {
                    continue;
                }

                var label = $"{record.Identity.Term} {record.Identity.Book}";
                var answered = (await submissions.Ledger.ReadConfirmationsAsync(record.IdempotencyKey, cancellationToken).ConfigureAwait(false)).Select(c => c.StudentKey).ToHashSet(StringComparer.Ordinal);
                var students = new SortedSet<string>(StringComparer.Ordinal);
                await foreach (var row in submissions.Ledger.ReadReceiptRowsAsync(record.IdempotencyKey, cancellationToken).ConfigureAwait(false))
                {
                    students.Add(row.StudentKey);
                }

                foreach (var student in students)
                {
                    planned.Add(PortfolioNotices.ConfirmationOpened(school.Value, record.IdempotencyKey, label, student, until));
                    if (until.DayNumber - today.DayNumber <= leadDays && !answered.Contains(student))
                    {
                        planned.Add(PortfolioNotices.ConfirmationClosing(school.Value, record.IdempotencyKey, label, student, until));
                    }
                }
            }

            var notices = new PortfolioNotices(module, clock);
            NoticeLog.Account(logger, nameof(ConfirmationNoticeJob), school.Value, await notices.RaiseAsync(planned, delivery, cancellationToken).ConfigureAwait(false));
        }, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The delivery used when the vendor registers none: it logs each notice (a warning, so that it is seen), recipient masked.</summary>
/// <param name="logger">The logger.</param>
public sealed partial class LoggingNoticeDelivery(ILogger<LoggingNoticeDelivery> logger) : INoticeDelivery
{
    /// <inheritdoc />
    public Task DeliverAsync(PortfolioNotice notice, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notice);
        Log(logger, notice.Code, notice.Kind, notice.Recipient.ToString(), notice.MessageEnglish);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 4210, Level = LogLevel.Warning, Message = "{Code} {Kind} to {Recipient}: {Text}")] // Recipient: role and masked key
    private static partial void Log(ILogger logger, string code, NoticeKind kind, string recipient, string text);
}

/// <summary>The account of a notice run in the log: every notice planned, and each failed delivery's PF3502.</summary>
internal static partial class NoticeLog
{
    internal static void Account(ILogger logger, string job, string school, NoticeRun run)
    {
        Summary(logger, job, school, run.Planned, run.Delivered, run.AlreadySent, run.HeldElsewhere, run.Failed);
        foreach (var failure in run.Diagnostics)
        {
            Failed(logger, school, failure.Code, failure.MessageEnglish);
        }
    }

    [LoggerMessage(EventId = 4211, Level = LogLevel.Information, Message = "{Job} of {School}: {Planned} notices planned, {Delivered} delivered, {AlreadySent} sent before, {HeldElsewhere} held by another node, {Failed} failed")]
    private static partial void Summary(ILogger logger, string job, string school, int planned, int delivered, int alreadySent, int heldElsewhere, int failed);

    [LoggerMessage(EventId = 4212, Level = LogLevel.Warning, Message = "{School}: {Code} {Text}")]
    private static partial void Failed(ILogger logger, string school, string code, string text);
}
