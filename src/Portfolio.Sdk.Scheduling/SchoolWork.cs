using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Submission.Ledger;

namespace Portfolio.Sdk.Scheduling;

/// <summary>
/// A roster or package to submit (送件名冊): what it is, and how to build its content. The jobs open the content on
/// every firing: the ledger tells the same content (its entry, nothing sent again) from a change (the next revision,
/// 補正, inside the submission window), so a change in the school's data is never left unsent.
/// </summary>
/// <param name="Identity">The logical submission (school, book, term, revision).</param>
/// <param name="OpenAsync">Builds or opens the content, positioned at its start; called at most once per job run and disposed by the caller.</param>
public sealed record SchoolRoster(SubmissionIdentity Identity, Func<CancellationToken, Task<Stream>> OpenAsync)
{
    /// <summary>
    /// Gets what to do with the ledger entry once the job has submitted the roster or found it already answered
    /// (called on every firing, whatever the entry's state, after the send; e.g. lock a year package's items once its
    /// submission was accepted). It must be idempotent: a re-fired or recovering job calls it again.
    /// </summary>
    public Func<SubmissionRecord, CancellationToken, Task>? SubmittedAsync { get; init; }
}

/// <summary>
/// Where the scheduled jobs get a school's rosters (名冊來源). <see cref="StandardSchoolRosterSource"/>
/// (<c>AddPortfolioStandardRosters</c>) builds them all from each school's SIS and module store, given only
/// <see cref="ISchoolDataSources"/>; a vendor may implement it instead over their own systems.
/// </summary>
public interface ISchoolRosterSource
{
    /// <summary>Builds a school's semester rosters (學生資料, 校內幹部經歷, 學期成績) for a term whose grades are final.</summary>
    /// <param name="school">The school.</param>
    /// <param name="term">The term.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The rosters.</returns>
    Task<IReadOnlyList<SchoolRoster>> SemesterRostersAsync(SchoolCode school, SchoolTerm term, CancellationToken cancellationToken);

    /// <summary>Builds a school's per-year packages (課程學習成果, 多元表現) once the selection window has closed.</summary>
    /// <param name="school">The school.</param>
    /// <param name="year">The school year.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The packages.</returns>
    Task<IReadOnlyList<SchoolRoster>> YearPackagesAsync(SchoolCode school, SchoolYear year, CancellationToken cancellationToken);
}

/// <summary>Sends the reminders before a window closes (e-mail, app notification): the vendor implements it.</summary>
public interface IDeadlineReminder
{
    /// <summary>Reminds a school's users that a window closes soon.</summary>
    /// <param name="school">The school.</param>
    /// <param name="window">The window.</param>
    /// <param name="daysLeft">Whole days until it closes (0 on its last day).</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    Task RemindAsync(SchoolCode school, PolicyWindow window, int daysLeft, CancellationToken cancellationToken);
}
