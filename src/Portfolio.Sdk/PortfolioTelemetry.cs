using System.Diagnostics;
using System.Diagnostics.Metrics;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk;

/// <summary>
/// The telemetry of the Portfolio.Sdk package (遙測): one <see cref="ActivitySource"/> and one <see cref="Meter"/>,
/// both named <see cref="Name"/>. Roster validation reports its rows and its diagnostics by code and severity. Tags
/// follow OpenTelemetry's conventions and never carry an ID or a name: only codes, kinds and outcomes.
/// </summary>
/// <remarks>
/// Instruments: <c>portfolio.roster.validations</c> (validations, by <c>portfolio.roster.book</c> and <c>portfolio.outcome</c>),
/// <c>portfolio.roster.rows</c> (rows validated, by book) and <c>portfolio.diagnostics</c> (diagnostics, by
/// <c>portfolio.diagnostic.code</c> and <c>portfolio.diagnostic.severity</c>). Activity: <c>roster.validate</c>.
/// </remarks>
public static class PortfolioTelemetry
{
    /// <summary>The name of the activity source and the meter: <c>Portfolio.Sdk</c>.</summary>
    public const string Name = "Portfolio.Sdk";

    /// <summary>The tag of a diagnostic's code (<c>PF0106</c>).</summary>
    public const string DiagnosticCodeTag = "portfolio.diagnostic.code";

    /// <summary>The tag of a diagnostic's severity (<c>error</c>, <c>warning</c>, <c>info</c>).</summary>
    public const string DiagnosticSeverityTag = "portfolio.diagnostic.severity";

    /// <summary>The tag of a roster book's id (<c>grades</c>).</summary>
    public const string RosterBookTag = "portfolio.roster.book";

    /// <summary>The tag of an operation's outcome (<c>valid</c>, <c>invalid</c>, <c>unreadable</c>, <c>success</c>, <c>failure</c>…).</summary>
    public const string OutcomeTag = "portfolio.outcome";

    internal static readonly ActivitySource Source = new(Name, typeof(PortfolioTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(PortfolioTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> Validations = Meter.CreateCounter<long>("portfolio.roster.validations", "{validation}", "Roster workbooks validated.");

    internal static readonly Counter<long> RowsValidated = Meter.CreateCounter<long>("portfolio.roster.rows", "{row}", "Roster rows validated.");

    internal static readonly Counter<long> Diagnostics = Meter.CreateCounter<long>("portfolio.diagnostics", "{diagnostic}", "Diagnostics reported, by code and severity.");

    /// <summary>Gets the tag value of a severity as OpenTelemetry-style lower case.</summary>
    /// <param name="severity">The severity.</param>
    /// <returns><c>error</c>, <c>warning</c> or <c>info</c>.</returns>
    public static string SeverityName(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "info",
    };

    /// <summary>
    /// Adds <paramref name="diagnostics"/> to a diagnostics counter, one measurement per code and severity (counted, not
    /// one per diagnostic); each package passes its own counter.
    /// </summary>
    /// <param name="counter">The counter.</param>
    /// <param name="diagnostics">The diagnostics.</param>
    /// <param name="tag">An extra tag (e.g. the roster book), or <see langword="null"/>.</param>
    public static void RecordDiagnostics(Counter<long> counter, IEnumerable<Diagnostic> diagnostics, KeyValuePair<string, object?>? tag = null)
    {
        ArgumentNullException.ThrowIfNull(counter);
        ArgumentNullException.ThrowIfNull(diagnostics);
        if (!counter.Enabled)
        {
            return;
        }

        foreach (var group in diagnostics.GroupBy(d => (d.Code, d.Severity)))
        {
            var tags = new TagList
            {
                { DiagnosticCodeTag, group.Key.Code },
                { DiagnosticSeverityTag, SeverityName(group.Key.Severity) },
            };
            if (tag is { } extra)
            {
                tags.Add(extra);
            }

            counter.Add(group.Count(), tags);
        }
    }
}
