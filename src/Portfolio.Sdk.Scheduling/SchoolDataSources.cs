using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Sis.TermRosters;
using Portfolio.Sdk.Storage;
using Portfolio.Sdk.Storage.Packages;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Scheduling;

/// <summary>
/// Where one school's data is (學校資料來源): its SIS, and for the per-year packages its portfolio module. The
/// <see cref="StandardSchoolRosterSource"/> builds every roster from these.
/// </summary>
public sealed record SchoolDataSources
{
    /// <summary>Gets the school's SIS (校務系統), read through its profile.</summary>
    public required Sis.Reading.SisReader Sis { get; init; }

    /// <summary>Gets the school's portfolio module (its store and content store), for the per-year packages; without one, the packages are not built (PF3702).</summary>
    public PortfolioModule? Module { get; init; }

    /// <summary>
    /// Gets the directory of 身分證號 and courses the packages are written with; <see langword="null"/> reads it from
    /// <see cref="Sis"/> (<see cref="Sis.YearPackages.SisYearPackageDirectory"/>) for each year built.
    /// </summary>
    public IYearPackageDirectory? PackageDirectory { get; init; }

    /// <summary>Gets the 部別代碼 written for students whose SIS row has none (<see cref="TermRosterBuilder.DefaultDivision"/>).</summary>
    public string? DefaultDivision { get; init; }

    /// <summary>Gets the policy the rosters are checked against (pass marks); <see langword="null"/> for <see cref="Policy.PortfolioPolicy.Default"/>.</summary>
    public Policy.PortfolioPolicy? Policy { get; init; }

    /// <inheritdoc/>
    public override string ToString() => $"SchoolDataSources {{ Module = {Module is not null}, PackageDirectory = {PackageDirectory is not null}, DefaultDivision = {DefaultDivision} }}";
}

/// <summary>
/// The vendor's resolver from a school to its data sources (學校資料來源): the only part of the scheduled submissions a
/// vendor hosting many schools writes when using <see cref="StandardSchoolRosterSource"/>.
/// </summary>
public interface ISchoolDataSources
{
    /// <summary>Finds a school's data sources.</summary>
    /// <param name="school">The school of the job.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>The sources, or <see langword="null"/> for a school this host does not serve (PF3701 is reported; the scheduler goes on).</returns>
    ValueTask<SchoolDataSources?> FindAsync(SchoolCode school, CancellationToken cancellationToken);
}

/// <summary>
/// Hears what <see cref="StandardSchoolRosterSource"/> built and locked, with every row's account and diagnostic
/// (register any number; each is also logged, masked). Observers must not throw: a failure is logged and ignored.
/// </summary>
public interface ISchoolRosterObserver
{
    /// <summary>A school's semester books were built from its SIS.</summary>
    /// <param name="school">The school.</param>
    /// <param name="term">The term.</param>
    /// <param name="results">One result per book written: rows written, the SIS row account and every diagnostic.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    Task TermRostersBuiltAsync(SchoolCode school, SchoolTerm term, IReadOnlyList<TermRosterResult> results, CancellationToken cancellationToken);

    /// <summary>A per-year package was built from the module store (or refused, with the refusal).</summary>
    /// <param name="school">The school.</param>
    /// <param name="year">The school year.</param>
    /// <param name="kind">Which package.</param>
    /// <param name="result">The package's accounting (packaged and left out, each left out with its diagnostics), or the refusal.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    Task YearPackageBuiltAsync(SchoolCode school, SchoolYear year, YearPackageKind kind, PortfolioResult<YearPackage> result, CancellationToken cancellationToken);

    /// <summary>The items of an accepted package were locked (or found locked, or refused with PF1119).</summary>
    /// <param name="submission">The ledger entry of the package.</param>
    /// <param name="result">What locking did, or the refusal.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    Task YearPackageLockedAsync(SubmissionRecord submission, PortfolioResult<YearPackageLock> result, CancellationToken cancellationToken);

    /// <summary>Something was not built or locked for a school (PF3701 unknown school, PF3702 no module store, PF3703 no packaging record).</summary>
    /// <param name="school">The school.</param>
    /// <param name="diagnostic">Why.</param>
    /// <param name="cancellationToken">Cancels the work.</param>
    /// <returns>A task.</returns>
    Task NotBuiltAsync(SchoolCode school, Diagnostic diagnostic, CancellationToken cancellationToken);
}

/// <summary>The options of <see cref="StandardSchoolRosterSource"/>.</summary>
public sealed class StandardRosterSourceOptions
{
    /// <summary>The user id of the default <see cref="Actor"/>, as the module's audit trail records it.</summary>
    public const string SchedulerUserId = "system:portfolio-scheduler";

    /// <summary>
    /// Gets or sets the system actor that builds the packages and locks what was submitted (提交者): audited by the
    /// module under its user id. The default is <see cref="SchedulerUserId"/> with the roles
    /// <see cref="PortfolioRole.CourseOutcomeSubmitter"/> and <see cref="PortfolioRole.PerformanceSubmitter"/>.
    /// </summary>
    public PortfolioActor Actor { get; set; } = new(SchedulerUserId, new HashSet<PortfolioRole> { PortfolioRole.CourseOutcomeSubmitter, PortfolioRole.PerformanceSubmitter });

    /// <summary>
    /// Gets or sets the folder the books and packages are built into before their submission (one file each, deleted
    /// once the submission has stored it; files a killed process left are deleted after a day). The default is a
    /// <c>portfolio-rosters</c> folder under the system's temporary folder.
    /// </summary>
    public string? BuildDirectory { get; set; }

    /// <summary>
    /// Gets or sets the folder of the packaging records (the items and versions of each package submitted, by its
    /// SHA-256), which the lock after an accepted submission reads, on this node or another. Shared by the nodes of a
    /// cluster like the submission outbox; the default is a <c>year-packages</c> folder inside the outbox.
    /// </summary>
    public string? JournalDirectory { get; set; }
}
