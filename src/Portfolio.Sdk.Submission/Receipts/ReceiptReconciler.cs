using System.Globalization;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Submission.Receipts;

/// <summary>How a row of a receipt differs from what was submitted.</summary>
public enum RowDifferenceKind
{
    /// <summary>Submitted and valid, but not in the receipt.</summary>
    Missing,

    /// <summary>Submitted, refused by validation, and (as expected) not in the receipt.</summary>
    Refused,

    /// <summary>In the receipt but never submitted.</summary>
    Extra,

    /// <summary>In both, with different values.</summary>
    Changed,
}

/// <summary>One difference between a receipt and the submission.</summary>
/// <param name="Kind">The kind.</param>
/// <param name="Sheet">The sheet identifier.</param>
/// <param name="RowKey">The row key (holds the student's ID: mask it before display).</param>
/// <param name="Columns">For <see cref="RowDifferenceKind.Changed"/>, the column keys whose values differ.</param>
public sealed record RowDifference(RowDifferenceKind Kind, string Sheet, string RowKey, IReadOnlyList<string> Columns)
{
    /// <inheritdoc />
    public override string ToString() => $"{Kind} {Sheet}{(Columns.Count > 0 ? " [" + string.Join(", ", Columns) + "]" : string.Empty)}";
}

/// <summary>A student's part of a reconciliation.</summary>
/// <param name="StudentKey">The student's 身分證號 (masked by <see cref="ToString"/>).</param>
/// <param name="Matched">Rows received as submitted.</param>
/// <param name="Differences">Everything else.</param>
public sealed record StudentReconciliation(string StudentKey, int Matched, IReadOnlyList<RowDifference> Differences)
{
    /// <summary>Gets whether the student's rows all arrived unchanged.</summary>
    public bool IsClean => Differences.All(d => d.Kind == RowDifferenceKind.Refused);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Redaction.MaskIdentifier(StudentKey)}: {Matched} matched, {Differences.Count} differences");
}

/// <summary>The result of reconciling a receipt against a submission, per student.</summary>
public sealed class ReconciliationReport
{
    internal ReconciliationReport(IReadOnlyList<StudentReconciliation> students, IReadOnlyList<Diagnostic> diagnostics)
    {
        Students = students;
        Diagnostics = diagnostics;
    }

    /// <summary>Gets each student's reconciliation, ordered by student.</summary>
    public IReadOnlyList<StudentReconciliation> Students { get; }

    /// <summary>Gets one diagnostic per difference (PF4201 missing, PF4202 extra, PF4203 changed), with masked IDs.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Gets how many rows matched.</summary>
    public int Matched => Students.Sum(s => s.Matched);

    /// <summary>Gets how many differences of a kind there are.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The count.</returns>
    public int Count(RowDifferenceKind kind) => Students.Sum(s => s.Differences.Count(d => d.Kind == kind));

    /// <summary>Gets whether everything valid arrived unchanged and nothing unexpected arrived.</summary>
    public bool IsClean => Students.All(s => s.IsClean);

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"{Students.Count} students: {Matched} matched, {Count(RowDifferenceKind.Missing)} missing, {Count(RowDifferenceKind.Extra)} extra, {Count(RowDifferenceKind.Changed)} changed, {Count(RowDifferenceKind.Refused)} refused");
}

/// <summary>
/// Reconciles a receipt (收訖明細) with the submission it acknowledges: rows are matched by sheet and row key;
/// values are compared for the columns both sides have (a real receipt file may carry fewer columns), numbers by
/// value (<c>90</c> equals <c>90.0</c>).
/// </summary>
public static class ReceiptReconciler
{
    /// <summary>Reconciles.</summary>
    /// <param name="submitted">The rows that were submitted.</param>
    /// <param name="received">The receipt's rows.</param>
    /// <param name="source">The receipt's name, for diagnostic locations.</param>
    /// <returns>The report.</returns>
    public static ReconciliationReport Reconcile(IEnumerable<RosterContentRow> submitted, IEnumerable<ReceiptRow> received, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(submitted);
        ArgumentNullException.ThrowIfNull(received);
        var sent = new Dictionary<(string Sheet, string Key), RosterContentRow>();
        foreach (var row in submitted)
        {
            sent.TryAdd((row.Sheet, row.RowKey), row);
        }

        var perStudent = new SortedDictionary<string, (int Matched, List<RowDifference> Differences)>(StringComparer.Ordinal);
        var diagnostics = new List<Diagnostic>();
        (int Matched, List<RowDifference> Differences) Of(string student) =>
            perStudent.TryGetValue(student, out var entry) ? entry : perStudent[student] = (0, []);
        DiagnosticLocation At(string sheet) => new(Source: source, Sheet: sheet);

        var seen = new HashSet<(string, string)>();
        foreach (var row in received)
        {
            var key = (row.Sheet, row.RowKey);
            if (!seen.Add(key))
            {
                continue;
            }

            var masked = RosterContent.MaskRowKey(row.RowKey, row.StudentKey);
            if (!sent.TryGetValue(key, out var mine))
            {
                Of(row.StudentKey).Differences.Add(new RowDifference(RowDifferenceKind.Extra, row.Sheet, row.RowKey, []));
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ReconcileExtra, At(row.Sheet), row.Sheet, masked));
                continue;
            }

            var changed = mine.Values.Keys.Where(c => row.Values.ContainsKey(c) && !SameValue(mine.Values[c], row.Values[c])).ToList();
            var entry = Of(mine.StudentKey);
            if (changed.Count == 0)
            {
                perStudent[mine.StudentKey] = (entry.Matched + 1, entry.Differences);
            }
            else
            {
                entry.Differences.Add(new RowDifference(RowDifferenceKind.Changed, row.Sheet, row.RowKey, changed));
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ReconcileChanged, At(row.Sheet) with { Row = mine.RowNumber }, row.Sheet, masked, string.Join(", ", changed)));
            }
        }

        foreach (var (key, mine) in sent)
        {
            if (seen.Contains(key))
            {
                continue;
            }

            var kind = mine.IsValid ? RowDifferenceKind.Missing : RowDifferenceKind.Refused;
            Of(mine.StudentKey).Differences.Add(new RowDifference(kind, mine.Sheet, mine.RowKey, []));
            if (kind == RowDifferenceKind.Missing)
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ReconcileMissing, At(mine.Sheet) with { Row = mine.RowNumber }, mine.Sheet, RosterContent.MaskRowKey(mine.RowKey, mine.StudentKey)));
            }
        }

        return new ReconciliationReport([.. perStudent.Select(p => new StudentReconciliation(p.Key, p.Value.Matched, p.Value.Differences))], diagnostics);
    }

    private static bool SameValue(string? a, string? b)
    {
        a = RosterContent.Normalize(a);
        b = RosterContent.Normalize(b);
        if (a == b)
        {
            return true;
        }

        return a is not null && b is not null
            && decimal.TryParse(a, NumberStyles.Number, CultureInfo.InvariantCulture, out var x)
            && decimal.TryParse(b, NumberStyles.Number, CultureInfo.InvariantCulture, out var y)
            && x == y;
    }
}
