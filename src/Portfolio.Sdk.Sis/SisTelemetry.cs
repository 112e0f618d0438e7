using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Portfolio.Sdk.Sis;

/// <summary>
/// The telemetry of Portfolio.Sdk.Sis (遙測): one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <see cref="Name"/>. SIS reads report the rows read, used and left out; roster builds the rows written and left out
/// and their diagnostics by code and severity. Tags carry record kinds, books, codes and outcomes, never an ID or a name.
/// </summary>
/// <remarks>
/// Instruments: <c>portfolio.sis.rows</c> (SIS rows read, by <c>portfolio.sis.record_kind</c> and <c>portfolio.outcome</c>:
/// <c>used</c> or <c>left_out</c>), <c>portfolio.sis.diagnostics</c> (by <c>portfolio.diagnostic.code</c> and
/// <c>portfolio.diagnostic.severity</c>), <c>portfolio.sis.roster.builds</c> (by <c>portfolio.roster.book</c>),
/// <c>portfolio.sis.roster.rows</c> (by book and outcome: <c>written</c> or <c>left_out</c>).
/// Activities: <c>sis.read</c>, <c>sis.roster.build</c>.
/// </remarks>
public static class SisTelemetry
{
    /// <summary>The name of the activity source and the meter: <c>Portfolio.Sdk.Sis</c>.</summary>
    public const string Name = "Portfolio.Sdk.Sis";

    /// <summary>The tag of a SIS record kind (<c>students</c>, <c>grades</c>…).</summary>
    public const string RecordKindTag = "portfolio.sis.record_kind";

    internal static readonly ActivitySource Source = new(Name, typeof(SisTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Meter Meter = new(Name, typeof(SisTelemetry).Assembly.GetName().Version?.ToString());

    internal static readonly Counter<long> Rows = Meter.CreateCounter<long>("portfolio.sis.rows", "{row}", "SIS rows read, by record kind and outcome (used or left out).");

    internal static readonly Counter<long> Diagnostics = Meter.CreateCounter<long>("portfolio.sis.diagnostics", "{diagnostic}", "Diagnostics of SIS reads and roster builds, by code and severity.");

    internal static readonly Counter<long> RosterBuilds = Meter.CreateCounter<long>("portfolio.sis.roster.builds", "{roster}", "Rosters built from the SIS.");

    internal static readonly Counter<long> RosterRows = Meter.CreateCounter<long>("portfolio.sis.roster.rows", "{row}", "Roster rows built from the SIS, by book and outcome (written or left out).");
}
