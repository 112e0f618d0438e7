using System.Globalization;
using Microsoft.Extensions.Logging;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission;
using Quartz;

namespace Portfolio.Sdk.Scheduling;

/// <summary>The job-data keys (strings only: the store keeps job data as properties).</summary>
public static class PortfolioJobData
{
    /// <summary>The school code.</summary>
    public const string School = "school";

    /// <summary>The term, e.g. <c>113-1</c> (or the year, e.g. <c>113</c>, for per-year work).</summary>
    public const string Term = "term";

    /// <summary>The window kind of a reminder.</summary>
    public const string Window = "window";

    /// <summary>The first day of a reminder's window (<c>yyyy-MM-dd</c>).</summary>
    public const string WindowStart = "windowStart";

    /// <summary>The last day of a reminder's window (<c>yyyy-MM-dd</c>).</summary>
    public const string WindowEnd = "windowEnd";

    /// <summary>The grade of a window set for one grade (<c>1</c>–<c>3</c>); absent for a school-wide window.</summary>
    public const string Grade = "grade";

    /// <summary>How many days before a window closes its notices start.</summary>
    public const string LeadDays = "leadDays";

    internal static PolicyWindow WindowOf(IJobExecutionContext context)
    {
        var data = context.MergedJobDataMap;
        var window = new PolicyWindow(
            Enum.Parse<PolicyWindowKind>(data.GetString(Window) ?? string.Empty, ignoreCase: true),
            SchoolTerm.Parse(TermText(context)),
            DateOnly.ParseExact(data.GetString(WindowStart) ?? string.Empty, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateOnly.ParseExact(data.GetString(WindowEnd) ?? string.Empty, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        return data.GetString(Grade) is { Length: > 0 } grade
            ? window with { Grade = (GradeLevel)int.Parse(grade, NumberStyles.None, CultureInfo.InvariantCulture) }
            : window;
    }

    internal static int LeadDaysOf(IJobExecutionContext context) =>
        int.Parse(context.MergedJobDataMap.GetString(LeadDays) ?? "0", NumberStyles.None, CultureInfo.InvariantCulture);

    internal static SchoolCode SchoolOf(IJobExecutionContext context) =>
        SchoolCode.Parse(context.MergedJobDataMap.GetString(School) ?? throw new JobExecutionException("The job has no school code."));

    internal static string TermText(IJobExecutionContext context) =>
        context.MergedJobDataMap.GetString(Term) ?? throw new JobExecutionException("The job has no term.");
}

/// <summary>
/// Submits a school's semester rosters for a term (學期名冊送件). Idempotent through the ledger: it first resends what
/// the school has outstanding, then builds each roster again and records it: the same content is the ledger's entry
/// (not sent again), a changed one is sent as the next revision (補正) with its changed rows logged (event 4205), and a
/// change outside the submission window is logged as pending with PF4307 (event 4206).
/// Never runs twice at once for a school, and is re-run on another node if its node dies mid-way.
/// </summary>
[DisallowConcurrentExecution]
public sealed partial class SemesterRostersJob(ISchoolRosterSource source, SubmissionService submissions, ILogger<SemesterRostersJob> logger) : IJob
{
    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await SchedulingTelemetry.RunAsync(context, nameof(SemesterRostersJob), async () =>
        {
            var school = PortfolioJobData.SchoolOf(context);
            var term = SchoolTerm.Parse(PortfolioJobData.TermText(context));
            Log(logger, school.Value, term, context.Recovering);
            await SubmitAllAsync(submissions, school, await source.SemesterRostersAsync(school, term, cancellationToken).ConfigureAwait(false), logger, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Resends what the school has outstanding, then submits each roster as built now: the same content is the entry the
    /// ledger holds (nothing is sent twice), a changed one becomes the next revision (補正) inside the submission window,
    /// with its changed rows logged; outside the window PF4307 says what is pending. Warns about what is left outstanding.
    /// </summary>
    internal static async Task SubmitAllAsync(SubmissionService submissions, SchoolCode school, IReadOnlyList<SchoolRoster> rosters, ILogger logger, CancellationToken cancellationToken)
    {
        var outstanding = (await submissions.ResumeAsync(school.Value, cancellationToken).ConfigureAwait(false)).Count(r => r.IsOutstanding);
        foreach (var roster in rosters)
        {
            if (await SubmitAsync(submissions, roster, logger, cancellationToken).ConfigureAwait(false) is not { } record)
            {
                continue;
            }

            if (record.IsOutstanding)
            {
                outstanding++;
            }

            if (roster.SubmittedAsync is { } submitted)
            {
                await submitted(record, cancellationToken).ConfigureAwait(false);
            }
        }

        if (outstanding > 0)
        {
            LogOutstanding(logger, school.Value, outstanding);
        }
    }

    // The ledger entry after this firing. The roster is built again on every firing, so that a change in the school's
    // data (a corrected score) is never left unsent: the ledger tells the same content (its entry, answered or not)
    // from a change (the next revision, correcting the latest). Null when a change cannot be recorded (outside the
    // window: logged with PF4307, the latest revision stays as it is).
    private static async Task<Submission.Ledger.SubmissionRecord?> SubmitAsync(SubmissionService submissions, SchoolRoster roster, ILogger logger, CancellationToken cancellationToken)
    {
        var content = await roster.OpenAsync(cancellationToken).ConfigureAwait(false);
        await using (content.ConfigureAwait(false))
        {
            Submission.Ledger.SubmissionRecord record;
            try
            {
                record = await submissions.EnqueueAsync(roster.Identity, content, cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            catch (PortfolioException ex) when (ex.Diagnostic is { Code: Diagnostics.DiagnosticCodes.SubmissionChangeOutsideWindow } pending)
            {
                LogChangePending(logger, roster.Identity, pending.Code, pending.MessageEnglish);
                return null;
            }

            // A new revision (the content changed): which rows, against the revision sent before. Only then is the
            // content read again; the same content (every other firing) costs one hash.
            if (record is { State: Submission.Ledger.SubmissionState.Pending, Corrects: not null } && content.CanSeek)
            {
                content.Position = 0;
                var changes = await submissions.ChangesSinceSubmissionAsync(roster.Identity, content, cancellationToken).ConfigureAwait(false);
                if (changes is { Submitted: { } submitted, IsSameContent: false })
                {
                    LogChanged(logger, record.Identity, submitted.Identity.Revision, changes.Added, changes.Removed, changes.Changed,
                        string.Join("; ", changes.Rows.Take(20).Select(r => r.ToString())));
                }
            }

            return await submissions.SendAsync(record.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(EventId = 4205, Level = LogLevel.Warning, Message = "{Roster} changed since its revision {Submitted}: {Added} rows added, {Removed} removed, {Changed} changed; sent as its correction (補正). First changes: {Rows}")]
    private static partial void LogChanged(ILogger logger, Submission.Ledger.SubmissionIdentity roster, int submitted, int added, int removed, int changed, string rows);

    [LoggerMessage(EventId = 4206, Level = LogLevel.Error, Message = "{Roster} changed, but the change cannot be submitted: {Code} {Message}")]
    private static partial void LogChangePending(ILogger logger, Submission.Ledger.SubmissionIdentity roster, string code, string message);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "{Count} submissions of {School} are still outstanding; the next firing resends them with the same keys")]
    private static partial void LogOutstanding(ILogger logger, string school, int count);

    [LoggerMessage(EventId = 4201, Level = LogLevel.Information, Message = "Semester rosters of {School} for {Term} (recovering: {Recovering})")]
    private static partial void Log(ILogger logger, string school, SchoolTerm term, bool recovering);
}

/// <summary>Submits a school's per-year packages (課程學習成果, 多元表現) after the selection window closed; idempotent as <see cref="SemesterRostersJob"/>.</summary>
[DisallowConcurrentExecution]
public sealed partial class YearPackagesJob(ISchoolRosterSource source, SubmissionService submissions, ILogger<YearPackagesJob> logger) : IJob
{
    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await SchedulingTelemetry.RunAsync(context, nameof(YearPackagesJob), async () =>
        {
            var school = PortfolioJobData.SchoolOf(context);
            var year = new SchoolYear(int.Parse(PortfolioJobData.TermText(context), NumberStyles.None, CultureInfo.InvariantCulture));
            Log(logger, school.Value, year.RocYear, context.Recovering);
            await SemesterRostersJob.SubmitAllAsync(submissions, school, await source.YearPackagesAsync(school, year, cancellationToken).ConfigureAwait(false), logger, cancellationToken).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    [LoggerMessage(EventId = 4202, Level = LogLevel.Information, Message = "Year packages of {School} for {Year} (recovering: {Recovering})")]
    private static partial void Log(ILogger logger, string school, int year, bool recovering);
}

/// <summary>Collects a school's receipts (收訖明細) and closes the confirmation windows that have ended.</summary>
[DisallowConcurrentExecution]
public sealed class ReceiptPollingJob(SubmissionService submissions) : IJob
{
    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await SchedulingTelemetry.RunAsync(context, nameof(ReceiptPollingJob), async () =>
        {
            var school = PortfolioJobData.SchoolOf(context);
            await submissions.ResumeAsync(school.Value, cancellationToken).ConfigureAwait(false);
            await submissions.CollectReceiptsAsync(school.Value, cancellationToken).ConfigureAwait(false);
            foreach (var open in await submissions.Ledger.ListAsync(school.Value, [Submission.Ledger.SubmissionState.ReceiptReceived], cancellationToken).ConfigureAwait(false))
            {
                await submissions.CloseConfirmationAsync(open.IdempotencyKey, cancellationToken).ConfigureAwait(false);
            }
        }, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>
/// Reminds a school that a window closes soon, through the vendor's <see cref="IDeadlineReminder"/>. The window travels
/// in the job data (each school has its own), so the job needs no policy of its own; outside the window it does nothing.
/// </summary>
[DisallowConcurrentExecution]
public sealed class DeadlineReminderJob(IDeadlineReminder reminder, TimeProvider clock) : IJob
{
    /// <inheritdoc />
    public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        await SchedulingTelemetry.RunAsync(context, nameof(DeadlineReminderJob), () => RemindAsync(context, cancellationToken), cancellationToken).ConfigureAwait(false);
    }

    private async Task RemindAsync(IJobExecutionContext context, CancellationToken cancellationToken)
    {
        var school = PortfolioJobData.SchoolOf(context);
        var data = context.MergedJobDataMap;
        var window = new PolicyWindow(
            Enum.Parse<PolicyWindowKind>(data.GetString(PortfolioJobData.Window) ?? string.Empty, ignoreCase: true),
            SchoolTerm.Parse(PortfolioJobData.TermText(context)),
            DateOnly.ParseExact(data.GetString(PortfolioJobData.WindowStart) ?? string.Empty, "yyyy-MM-dd", CultureInfo.InvariantCulture),
            DateOnly.ParseExact(data.GetString(PortfolioJobData.WindowEnd) ?? string.Empty, "yyyy-MM-dd", CultureInfo.InvariantCulture));
        var today = new SchoolCalendar(clock).Today;
        if (today >= window.Start && today <= window.End)
        {
            await reminder.RemindAsync(school, window, window.End.DayNumber - today.DayNumber, cancellationToken).ConfigureAwait(false);
        }
    }
}

/// <summary>The reminder used when the vendor registers none: it logs each reminder (a warning, so that it is seen).</summary>
/// <param name="logger">The logger.</param>
public sealed partial class LoggingDeadlineReminder(ILogger<LoggingDeadlineReminder> logger) : IDeadlineReminder
{
    /// <inheritdoc />
    public Task RemindAsync(SchoolCode school, PolicyWindow window, int daysLeft, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(window);
        Log(logger, school.Value, window.Kind, window.Term, window.End.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), daysLeft);
        return Task.CompletedTask;
    }

    [LoggerMessage(EventId = 4204, Level = LogLevel.Warning, Message = "{School}: the {Kind} window of {Term} closes on {End} ({DaysLeft} days left)")] // End: ISO 8601 (yyyy-MM-dd), never the machine culture's
    private static partial void Log(ILogger logger, string school, PolicyWindowKind kind, SchoolTerm term, string end, int daysLeft);
}
