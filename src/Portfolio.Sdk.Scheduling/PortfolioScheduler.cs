using Portfolio.Sdk.Schools;
using Quartz;

namespace Portfolio.Sdk.Scheduling;

/// <summary>One scheduled job of a school (排程工作) and when it fires.</summary>
/// <param name="School">The school.</param>
/// <param name="Job">The job's name, e.g. <c>semester-rosters-113-1</c> or <c>receipts-113</c>.</param>
/// <param name="NextFireTime">When it fires next, or <see langword="null"/> when it will not fire again.</param>
/// <param name="PreviousFireTime">When it last fired, or <see langword="null"/> when it has not.</param>
/// <param name="IsPaused">Whether the school's jobs are paused.</param>
public sealed record ScheduledSchoolJob(SchoolCode School, string Job, DateTimeOffset? NextFireTime, DateTimeOffset? PreviousFireTime, bool IsPaused);

/// <summary>
/// What a host does with the portfolio's schedule (排程管理): pause and resume a school, run a school's jobs now, and
/// list what fires next. It works on the scheduler <c>AddPortfolioScheduling</c> registers, in memory
/// or clustered (a pause or a run-now on one node holds for the whole cluster). For anything else, take Quartz's
/// <see cref="ISchedulerFactory"/> from DI and call <see cref="ISchedulerFactory.GetScheduler(CancellationToken)"/>.
/// </summary>
public sealed class PortfolioScheduler
{
    private const string GroupPrefix = "portfolio-";
    private readonly ISchedulerFactory _factory;

    /// <summary>Initializes the service.</summary>
    /// <param name="factory">Quartz's scheduler factory (registered by <c>AddPortfolioScheduling</c>).</param>
    public PortfolioScheduler(ISchedulerFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        _factory = factory;
    }

    /// <summary>
    /// Pauses every job of a school: none fires until <see cref="ResumeSchoolAsync"/>, and jobs scheduled for the school
    /// later (<see cref="PortfolioSchedule.ScheduleSchoolAsync"/>) start paused. A job already running finishes.
    /// </summary>
    /// <param name="school">The school.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    public async Task PauseSchoolAsync(SchoolCode school, CancellationToken cancellationToken = default)
    {
        var scheduler = await _factory.GetScheduler(cancellationToken).ConfigureAwait(false);
        await scheduler.PauseTriggerGroups(GroupMatcher<TriggerKey>.GroupEquals(PortfolioSchedule.GroupOf(school)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Resumes a paused school. A trigger whose firing time passed while paused fires once at once, if its window is
    /// still open (the misfire rule in docs/scheduling.md).
    /// </summary>
    /// <param name="school">The school.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    public async Task ResumeSchoolAsync(SchoolCode school, CancellationToken cancellationToken = default)
    {
        var scheduler = await _factory.GetScheduler(cancellationToken).ConfigureAwait(false);
        await scheduler.ResumeTriggerGroups(GroupMatcher<TriggerKey>.GroupEquals(PortfolioSchedule.GroupOf(school)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Gets whether a school's jobs are paused.</summary>
    /// <param name="school">The school.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns><see langword="true"/> when paused.</returns>
    public async Task<bool> IsSchoolPausedAsync(SchoolCode school, CancellationToken cancellationToken = default)
    {
        var scheduler = await _factory.GetScheduler(cancellationToken).ConfigureAwait(false);
        var paused = await scheduler.GetPausedTriggerGroups(cancellationToken).ConfigureAwait(false);
        return paused.Contains(PortfolioSchedule.GroupOf(school));
    }

    /// <summary>
    /// Runs a school's jobs once, now, besides their schedule (an operator's "submit now"); this holds even when the
    /// school is paused or outside its window, since the operator asked. Each job is still idempotent: nothing already
    /// in the ledger is sent twice.
    /// </summary>
    /// <param name="school">The school.</param>
    /// <param name="job">One job's name (see <see cref="ListAsync"/>), or <see langword="null"/> for all of the school's jobs.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The names of the jobs started; empty when the school (or the named job) has none scheduled.</returns>
    public async Task<IReadOnlyList<string>> TriggerNowAsync(SchoolCode school, string? job = null, CancellationToken cancellationToken = default)
    {
        var scheduler = await _factory.GetScheduler(cancellationToken).ConfigureAwait(false);
        var keys = await scheduler.GetJobKeys(GroupMatcher<JobKey>.GroupEquals(PortfolioSchedule.GroupOf(school)), cancellationToken).ConfigureAwait(false);
        var started = new List<string>();
        foreach (var key in keys.Where(k => job is null || k.Name == job).OrderBy(k => k.Name, StringComparer.Ordinal))
        {
            await scheduler.TriggerJob(key, cancellationToken).ConfigureAwait(false);
            started.Add(key.Name);
        }

        return started;
    }

    /// <summary>Lists the scheduled jobs with their next firing time, soonest first (those that will not fire again last).</summary>
    /// <param name="school">One school, or <see langword="null"/> for every school.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The jobs.</returns>
    public async Task<IReadOnlyList<ScheduledSchoolJob>> ListAsync(SchoolCode? school = null, CancellationToken cancellationToken = default)
    {
        var scheduler = await _factory.GetScheduler(cancellationToken).ConfigureAwait(false);
        var groups = school is { } one
            ? [PortfolioSchedule.GroupOf(one)]
            : (await scheduler.GetTriggerGroupNames(cancellationToken).ConfigureAwait(false)).Where(g => g.StartsWith(GroupPrefix, StringComparison.Ordinal)).ToList();
        var jobs = new List<ScheduledSchoolJob>();
        foreach (var group in groups)
        {
            if (!SchoolCode.TryParse(group[GroupPrefix.Length..], out var code))
            {
                continue;
            }

            foreach (var key in await scheduler.GetTriggerKeys(GroupMatcher<TriggerKey>.GroupEquals(group), cancellationToken).ConfigureAwait(false))
            {
                if (await scheduler.GetTrigger(key, cancellationToken).ConfigureAwait(false) is not { } trigger)
                {
                    continue;
                }

                var state = await scheduler.GetTriggerState(key, cancellationToken).ConfigureAwait(false);
                jobs.Add(new ScheduledSchoolJob(code, trigger.JobKey.Name, trigger.NextFireTimeUtc, trigger.PreviousFireTimeUtc, state == TriggerState.Paused));
            }
        }

        return [.. jobs.OrderBy(j => j.NextFireTime ?? DateTimeOffset.MaxValue).ThenBy(j => j.School.Value, StringComparer.Ordinal).ThenBy(j => j.Job, StringComparer.Ordinal)];
    }
}
