using System.Data.Common;
using Portfolio.Sdk.Data;

namespace Portfolio.Sdk.Submission;

/// <summary>Settings of the submission service (<c>Portfolio:Submission</c> in configuration).</summary>
public sealed class SubmissionOptions
{
    /// <summary>The configuration section these options bind from.</summary>
    public const string SectionName = "Portfolio:Submission";

    /// <summary>The default outbox folder.</summary>
    public const string DefaultOutboxDirectory = "portfolio-outbox";

    /// <summary>Gets or sets the outbox folder, where content waits under its SHA-256.</summary>
    /// <value>Default <see cref="DefaultOutboxDirectory"/>. Key <c>OutboxDirectory</c>.</value>
    public string OutboxDirectory { get; set; } = DefaultOutboxDirectory;

    /// <summary>
    /// Gets or sets the dialect of the <see cref="DbDataSource"/> holding the ledger, when it differs from the one the host
    /// stated once for every package (<c>AddPortfolioDatabase</c>, <see cref="PortfolioDatabaseOptions"/>).
    /// </summary>
    /// <value>Default <see langword="null"/>: <see cref="PortfolioDatabaseOptions.Dialect"/> (SQLite when the host stated
    /// none). Key <c>Dialect</c>, one of <c>oracle</c>, <c>sqlserver</c>, <c>postgresql</c>, <c>mysql</c>, <c>sqlite</c>.</value>
    public SqlDialect? Dialect { get; set; }

    /// <summary>Gets or sets a dialect name from configuration that names no dialect, reported by start-up validation.</summary>
    internal string? UnknownDialect { get; set; }
}
