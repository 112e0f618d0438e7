using System.Globalization;

namespace Portfolio.Sdk.Scheduling;

/// <summary>Settings of the portfolio's scheduler (<c>Portfolio:Scheduling</c>).</summary>
public sealed class PortfolioSchedulingOptions
{
    /// <summary>The configuration section the options bind from: <c>Portfolio:Scheduling</c>.</summary>
    public const string SectionName = "Portfolio:Scheduling";

    /// <summary>Gets or sets the scheduler's name; every node of a cluster uses the same one. Default <c>portfolio</c>.</summary>
    public string SchedulerName { get; set; } = "portfolio";

    /// <summary>
    /// Gets or sets the connection string of the shared PostgreSQL store. <see langword="null"/> (the default) keeps
    /// jobs in memory, for one machine. A shared store must be clustered: see <see cref="Clustered"/>.
    /// </summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>
    /// Gets or sets the connection string of a shared MySQL or MariaDB store (MySQL 8, MariaDB 10.11 and later), reached
    /// through the MySqlConnector driver, which the host references, with Quartz's MySQL delegate. The database is
    /// <c>utf8mb4</c>; apply <see cref="QuartzSchema"/> with <c>SqlDialect.MySql</c> first. <see langword="null"/> (the
    /// default) for no MySQL store; at most one of this and <see cref="PostgresConnectionString"/> is set.
    /// </summary>
    public string? MySqlConnectionString { get; set; }

    /// <summary>Gets the connection string of the shared store, PostgreSQL or MySQL, or <see langword="null"/> when jobs are kept in memory.</summary>
    public string? StoreConnectionString => PostgresConnectionString ?? MySqlConnectionString;

    /// <summary>Gets or sets whether the nodes sharing the store form a cluster. Required with a shared store.</summary>
    public bool Clustered { get; set; }

    /// <summary>
    /// Gets or sets the table prefix of the store. Default <c>qrtz_</c>. On MySQL and MariaDB under Linux table names are
    /// case-sensitive: every Quartz client of the store must use this prefix exactly (Quartz's own default, <c>QRTZ_</c>,
    /// names other tables there).
    /// </summary>
    public string TablePrefix { get; set; } = QuartzSchema.DefaultTablePrefix;

    /// <summary>Gets or sets how often a node records that it is alive. Default 7.5 seconds.</summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(7.5);

    /// <summary>Gets or sets how long past a missed check-in the others wait before recovering a node's jobs. Default 20 seconds.</summary>
    public TimeSpan CheckinMisfireThreshold { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>
    /// Gets or sets how long an idle node waits before looking for due triggers again; a trigger scheduled by another
    /// process is picked up within this time. At least 1 second (Quartz's minimum); default 30 seconds (Quartz's own).
    /// </summary>
    public TimeSpan IdleWaitTime { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Gets or sets how many jobs a node runs at once. Default 4.</summary>
    public int MaxConcurrency { get; set; } = 4;

    /// <summary>Gets or sets how often a submission job fires inside its window (each firing resends only what is outstanding). Default 6 hours.</summary>
    public TimeSpan SubmissionInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Gets or sets how often receipts are polled. Default 6 hours.</summary>
    public TimeSpan ReceiptPollInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Gets or sets how many days before a window closes the reminders start. Default 3.</summary>
    public int ReminderDaysBefore { get; set; } = 3;

    /// <summary>
    /// Gets or sets whether <see cref="PortfolioSchedule.ScheduleSchoolAsync"/> schedules the targeted notices (通知): the
    /// window notices, the rejections and the confirmation window. They read the module's store, so the host registers
    /// the module (<c>AddPortfolioModule</c>) and may register an <c>INoticeDelivery</c>. Default <see langword="false"/>.
    /// </summary>
    public bool ScheduleNotices { get; set; }

    /// <summary>Gets or sets how many days before a window (or a receipt's confirmation window) closes its notices start (0: its last day only). Default 3.</summary>
    public int NoticeLeadDays { get; set; } = 3;

    /// <summary>Gets or sets how often the notice jobs run inside their windows (a failed delivery is retried at the next run). Default 6 hours.</summary>
    public TimeSpan NoticeInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>Checks the settings.</summary>
    /// <returns>What is wrong, in English; empty when valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var problems = new List<string>();
        if (PostgresConnectionString is not null && MySqlConnectionString is not null)
        {
            problems.Add("Portfolio:Scheduling: both PostgresConnectionString and MySqlConnectionString are set; the nodes share one store: keep one.");
        }

        if (StoreConnectionString is not null && !Clustered)
        {
            problems.Add($"Portfolio:Scheduling: a shared {StoreName} store is configured but Clustered is false. Several non-clustered schedulers on shared tables run the same jobs twice and recover nothing; set Clustered = true (every node), or remove the connection string to keep jobs in memory on one machine.");
        }

        if (Clustered && StoreConnectionString is null)
        {
            problems.Add("Portfolio:Scheduling: Clustered needs PostgresConnectionString or MySqlConnectionString (the store the nodes share).");
        }

        if (CheckinInterval <= TimeSpan.Zero || CheckinMisfireThreshold < CheckinInterval)
        {
            problems.Add("Portfolio:Scheduling: CheckinInterval must be positive and CheckinMisfireThreshold at least as long.");
        }

        if (IdleWaitTime < TimeSpan.FromSeconds(1) || MaxConcurrency is < 1 or > 64 || SubmissionInterval <= TimeSpan.Zero || ReceiptPollInterval <= TimeSpan.Zero || ReminderDaysBefore is < 0 or > 30)
        {
            problems.Add("Portfolio:Scheduling: IdleWaitTime of at least 1 s (Quartz's minimum), MaxConcurrency 1–64, positive intervals and ReminderDaysBefore 0–30 are required.");
        }

        if (NoticeLeadDays is < 0 or > 30 || NoticeInterval <= TimeSpan.Zero)
        {
            problems.Add("Portfolio:Scheduling: NoticeLeadDays 0–30 and a positive NoticeInterval are required.");
        }

        return problems;
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{SchedulerName}: {(StoreConnectionString is null ? "in memory" : Clustered ? $"clustered {StoreName}" : $"{StoreName} (not clustered)")}, check-in {CheckinInterval.TotalSeconds}s/{CheckinMisfireThreshold.TotalSeconds}s");

    private string StoreName => PostgresConnectionString is not null ? "PostgreSQL" : "MySQL";
}
