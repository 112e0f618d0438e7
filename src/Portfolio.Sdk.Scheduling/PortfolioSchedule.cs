using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Schools;
using Quartz;

namespace Portfolio.Sdk.Scheduling;

/// <summary>
/// Puts a school's jobs for a school year on a scheduler (排程), from the policy's windows: the semester rosters in
/// each term's submission window, the per-year packages after the selection window closes (inside the per-year
/// submission window), receipt polling, and a reminder on each of the last days of every window. Triggers stay
/// inside their window twice over: they start and end with it, and a calendar built from the windows excludes every
/// other day. With <see cref="PortfolioSchedulingOptions.ScheduleNotices"/>, the targeted notices too (window notices in
/// each upload, selection and certification window's last days, rejections, the receipts' confirmation windows). A trigger that misfired (the scheduler was down) fires once as soon as it can, if that is still inside
/// the window; otherwise it waits for the next included time. Scheduling again replaces the school's jobs.
/// </summary>
public static class PortfolioSchedule
{
    /// <summary>The job group of a school's jobs.</summary>
    /// <param name="school">The school.</param>
    /// <returns>The group.</returns>
    public static string GroupOf(SchoolCode school) => "portfolio-" + school.Value;

    /// <summary>Schedules a school's year.</summary>
    /// <param name="scheduler">The scheduler (a clustered one may be a client that is not started).</param>
    /// <param name="school">The school.</param>
    /// <param name="year">The school year.</param>
    /// <param name="policy">The policy with the school's windows.</param>
    /// <param name="options">The intervals.</param>
    /// <param name="clock">The clock: windows that have already closed are not scheduled. <see cref="TimeProvider.System"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The number of triggers scheduled.</returns>
    public static async Task<int> ScheduleSchoolAsync(IScheduler scheduler, SchoolCode school, SchoolYear year, PortfolioPolicy policy, PortfolioSchedulingOptions options, TimeProvider? clock = null, CancellationToken cancellationToken = default)
    {
        var now = (clock ?? TimeProvider.System).GetUtcNow();
        ArgumentNullException.ThrowIfNull(scheduler);
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentNullException.ThrowIfNull(options);
        var group = GroupOf(school);
        var submissionCalendar = PolicyCalendars.NameOf(school, PolicyWindowKind.Submission, year);
        await scheduler.AddCalendar(submissionCalendar, PolicyCalendars.For(policy, PolicyWindowKind.Submission, year), AddCalendarOptions.ReplacingAndUpdatingTriggers, cancellationToken).ConfigureAwait(false);
        var count = 0;

        foreach (var term in new[] { Term.First, Term.Second })
        {
            if (policy.WindowFor(PolicyWindowKind.Submission, new SchoolTerm(year, term)) is { } window)
            {
                count += await ScheduleAsync<SemesterRostersJob>(scheduler, group, $"semester-rosters-{year.RocYear}-{(int)term}", school, window.Term.ToString(), null,
                    Start(window.Start), End(window.End), options.SubmissionInterval, submissionCalendar, now, cancellationToken).ConfigureAwait(false);
            }
        }

        var wholeYear = new SchoolTerm(year, Term.WholeYear);
        if (policy.WindowFor(PolicyWindowKind.Submission, wholeYear) is { } yearWindow)
        {
            var selectionEnd = policy.WindowFor(PolicyWindowKind.Selection, wholeYear)?.End;
            var from = selectionEnd is { } end && end >= yearWindow.Start ? end.AddDays(1) : yearWindow.Start;
            if (from <= yearWindow.End)
            {
                count += await ScheduleAsync<YearPackagesJob>(scheduler, group, $"year-packages-{year.RocYear}", school, year.RocYear.ToString(System.Globalization.CultureInfo.InvariantCulture), null,
                    Start(from), End(yearWindow.End), options.SubmissionInterval, submissionCalendar, now, cancellationToken).ConfigureAwait(false);
            }
        }

        count += await ScheduleAsync<ReceiptPollingJob>(scheduler, group, $"receipts-{year.RocYear}", school, year.RocYear.ToString(System.Globalization.CultureInfo.InvariantCulture), null,
            Start(year.StartDate), End(year.EndDate.AddDays(60)), options.ReceiptPollInterval, null, now, cancellationToken).ConfigureAwait(false);

        foreach (var window in policy.School.Windows.Where(w => w.Term.Year == year))
        {
            var first = window.End.AddDays(-options.ReminderDaysBefore);
            count += await ScheduleAsync<DeadlineReminderJob>(scheduler, group, $"reminder-{window.Kind.ToString().ToLowerInvariant()}-{window.Term}", school, window.Term.ToString(), window,
                Start(first < window.Start ? window.Start : first), End(window.End), TimeSpan.FromDays(1), null, now, cancellationToken).ConfigureAwait(false);
        }

        if (options.ScheduleNotices)
        {
            count += await ScheduleNoticesAsync(scheduler, group, school, year, policy, options, now, cancellationToken).ConfigureAwait(false);
        }

        return count;
    }

    // The targeted notices (通知): a job per upload, selection and certification window over its last NoticeLeadDays days
    // (inside the school's calendar of that kind), the rejections through the certification windows and the day after the
    // last, and the receipts' confirmation windows through the year and the receipt season after it.
    private static async Task<int> ScheduleNoticesAsync(IScheduler scheduler, string group, SchoolCode school, SchoolYear year, PortfolioPolicy policy, PortfolioSchedulingOptions options, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var count = 0;
        var leadDays = options.NoticeLeadDays.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var yearText = year.RocYear.ToString(System.Globalization.CultureInfo.InvariantCulture);
        foreach (var kind in new[] { PolicyWindowKind.Upload, PolicyWindowKind.Selection, PolicyWindowKind.Certification })
        {
            var windows = policy.School.Windows.Where(w => w.Kind == kind && w.Term.Year == year).ToList();
            if (windows.Count == 0)
            {
                continue;
            }

            var calendar = PolicyCalendars.NameOf(school, kind, year);
            await scheduler.AddCalendar(calendar, PolicyCalendars.For(policy, kind, year), AddCalendarOptions.ReplacingAndUpdatingTriggers, cancellationToken).ConfigureAwait(false);
            foreach (var window in windows)
            {
                var first = window.End.AddDays(-options.NoticeLeadDays);
                var grade = window.Grade is { } g ? ((int)g).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
                count += await ScheduleAsync<WindowNoticeJob>(scheduler, group, $"notice-{kind.ToString().ToLowerInvariant()}-{window.Term}{(grade.Length > 0 ? "-g" + grade : string.Empty)}", school, window.Term.ToString(), window,
                    Start(first < window.Start ? window.Start : first), End(window.End), options.NoticeInterval, calendar, now, cancellationToken,
                    (PortfolioJobData.LeadDays, leadDays), (PortfolioJobData.Grade, grade)).ConfigureAwait(false);
            }
        }

        var certification = policy.School.Windows.Where(w => w.Kind == PolicyWindowKind.Certification && w.Term.Year == year).ToList();
        var (from, until) = certification.Count == 0 ? (year.StartDate, year.EndDate) : (certification.Min(w => w.Start), certification.Max(w => w.End).AddDays(1));
        count += await ScheduleAsync<RejectionNoticeJob>(scheduler, group, $"notice-rejections-{year.RocYear}", school, yearText, null,
            Start(from), End(until), options.NoticeInterval, null, now, cancellationToken).ConfigureAwait(false);
        count += await ScheduleAsync<ConfirmationNoticeJob>(scheduler, group, $"notice-confirmation-{year.RocYear}", school, yearText, null,
            Start(year.StartDate), End(year.EndDate.AddDays(60)), options.NoticeInterval, null, now, cancellationToken, (PortfolioJobData.LeadDays, leadDays)).ConfigureAwait(false);
        return count;
    }

    // Windows are whole days in Taiwan: from 08:00 on the first day to the end of the last.
    internal static DateTimeOffset Start(DateOnly day) => At(day, new TimeOnly(8, 0));

    internal static DateTimeOffset End(DateOnly day) => At(day, new TimeOnly(23, 59, 59));

    private static DateTimeOffset At(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time);
        return new DateTimeOffset(local, SchoolCalendar.TaiwanTimeZone.GetUtcOffset(local));
    }

    private static async Task<int> ScheduleAsync<TJob>(IScheduler scheduler, string group, string name, SchoolCode school, string term, PolicyWindow? window,
        DateTimeOffset start, DateTimeOffset end, TimeSpan interval, string? calendar, DateTimeOffset now, CancellationToken cancellationToken, params (string Key, string Value)[] data)
        where TJob : IJob
    {
        if (end <= now)
        {
            return 0; // the window has closed: nothing left to run
        }

        var job = JobBuilder.Create<TJob>()
            .WithIdentity(name, group)
            .RequestRecovery()
            .UsingJobData(PortfolioJobData.School, school.Value)
            .UsingJobData(PortfolioJobData.Term, term);
        if (window is not null)
        {
            job = job.UsingJobData(PortfolioJobData.Window, window.Kind.ToString())
                .UsingJobData(PortfolioJobData.WindowStart, window.Start.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
                .UsingJobData(PortfolioJobData.WindowEnd, window.End.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }

        foreach (var (key, value) in data)
        {
            job = job.UsingJobData(key, value);
        }

        var trigger = TriggerBuilder.Create()
            .WithIdentity(name, group)
            .StartAt(start)
            .EndAt(end)
            .WithSimpleSchedule(s => s.WithInterval(interval).RepeatForever().WithMisfireInstruction(SimpleTriggerMisfireInstruction.FireNow));
        if (calendar is not null)
        {
            trigger = trigger.WithCalendarName(calendar);
        }

        await scheduler.ScheduleJob(job.Build(), trigger.Build(), ScheduleJobOptions.Replacing, cancellationToken).ConfigureAwait(false);
        return 1;
    }
}
