using System.Diagnostics;
using System.Diagnostics.Metrics;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Submission.Ledger;
using Portfolio.Sdk.Submission.Receipts;

namespace Portfolio.Sdk.Submission.Telemetry;

/// <summary>
/// The package's telemetry: one <see cref="ActivitySource"/> and one <see cref="Meter"/>, both named
/// <see cref="Name"/> (pass it to OpenTelemetry's <c>AddSource</c> and <c>AddMeter</c>). Tags follow OpenTelemetry's
/// conventions (<c>error.type</c>) or live under <c>portfolio.*</c>; none carries a student ID, a name or an
/// idempotency key.
/// </summary>
public static class SubmissionTelemetry
{
    /// <summary>The name of the activity source and of the meter.</summary>
    public const string Name = "Portfolio.Sdk.Submission";

    /// <summary>The activity of one send of a submission (<c>SubmissionService.SendAsync</c>).</summary>
    public const string SendActivity = "portfolio.submission.send";

    /// <summary>The activity of one receipt reconciliation (<c>SubmissionService.ReconcileAsync</c>).</summary>
    public const string ReconcileActivity = "portfolio.submission.reconcile";

    /// <summary>Counter of sends, tagged with the resulting <see cref="StateTag"/> and <see cref="BookTag"/>.</summary>
    public const string SubmissionsCounter = "portfolio.submission.sends";

    /// <summary>Counter of gateway retries (attempts after the first), tagged with <c>error.type</c> of the failed attempt.</summary>
    public const string RetriesCounter = "portfolio.submission.gateway.retries";

    /// <summary>Counter of reconciled rows, tagged with <see cref="ReconciliationOutcomeTag"/>.</summary>
    public const string ReconciliationRowsCounter = "portfolio.submission.reconciliation.rows";

    /// <summary>Counter of diagnostics the package reports, tagged with <see cref="DiagnosticCodeTag"/> and <see cref="DiagnosticSeverityTag"/>.</summary>
    public const string DiagnosticsCounter = "portfolio.submission.diagnostics";

    /// <summary>The tag holding a ledger state (<c>accepted</c>, <c>rejected</c>, <c>sent</c>, ...).</summary>
    public const string StateTag = "portfolio.submission.state";

    /// <summary>The tag holding the book (名冊) of a submission.</summary>
    public const string BookTag = "portfolio.submission.book";

    /// <summary>The tag holding how a reconciled row ended (<c>matched</c>, <c>missing</c>, <c>refused</c>, <c>extra</c>, <c>changed</c>).</summary>
    public const string ReconciliationOutcomeTag = "portfolio.reconciliation.outcome";

    /// <summary>The tag holding a diagnostic's PF code.</summary>
    public const string DiagnosticCodeTag = "portfolio.diagnostic.code";

    /// <summary>The tag holding a diagnostic's severity (<c>info</c>, <c>warning</c>, <c>error</c>).</summary>
    public const string DiagnosticSeverityTag = "portfolio.diagnostic.severity";

    /// <summary>OpenTelemetry's tag for the class of error an operation ended with.</summary>
    public const string ErrorTypeTag = "error.type";

    private static readonly string? Version = typeof(SubmissionTelemetry).Assembly.GetName().Version?.ToString();

    internal static readonly ActivitySource Source = new(Name, Version);

    internal static readonly Meter Meter = new(Name, Version);

    private static readonly Counter<long> Submissions = Meter.CreateCounter<long>(SubmissionsCounter, "{send}", "Sends of a submission to the gateway, by resulting ledger state.");

    private static readonly Counter<long> Retries = Meter.CreateCounter<long>(RetriesCounter, "{retry}", "Gateway attempts retried by the resilience handler, by error type of the failed attempt.");

    private static readonly Counter<long> ReconciliationRows = Meter.CreateCounter<long>(ReconciliationRowsCounter, "{row}", "Rows compared between a submission and its receipt, by outcome.");

    private static readonly Counter<long> DiagnosticCount = Meter.CreateCounter<long>(DiagnosticsCounter, "{diagnostic}", "Diagnostics reported by the submission package, by code and severity.");

    internal static string StateValue(SubmissionState state) => state.ToString().ToLowerInvariant();

    internal static void RecordSend(SubmissionRecord record, string? errorType)
    {
        var tags = new TagList { { StateTag, StateValue(record.State) }, { BookTag, record.Identity.Book } };
        if (errorType is not null)
        {
            tags.Add(ErrorTypeTag, errorType);
        }

        Submissions.Add(1, tags);
    }

    internal static void RecordRetry(string errorType) => Retries.Add(1, new KeyValuePair<string, object?>(ErrorTypeTag, errorType));

    internal static void RecordReconciliation(ReconciliationReport report)
    {
        Add(report.Matched, "matched");
        foreach (var kind in Enum.GetValues<RowDifferenceKind>())
        {
            Add(report.Count(kind), kind.ToString().ToLowerInvariant());
        }

        static void Add(int rows, string outcome)
        {
            if (rows > 0)
            {
                ReconciliationRows.Add(rows, new KeyValuePair<string, object?>(ReconciliationOutcomeTag, outcome));
            }
        }
    }

    internal static void RecordDiagnostics(IEnumerable<Diagnostic> diagnostics)
    {
        foreach (var diagnostic in diagnostics)
        {
            DiagnosticCount.Add(1, new KeyValuePair<string, object?>(DiagnosticCodeTag, diagnostic.Code), new KeyValuePair<string, object?>(DiagnosticSeverityTag, diagnostic.Severity.ToString().ToLowerInvariant()));
        }
    }
}
