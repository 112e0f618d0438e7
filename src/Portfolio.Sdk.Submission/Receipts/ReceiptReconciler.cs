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

/// <summary>Reconciles a receipt (收訖明細) with the rows that were submitted, per student.</summary>
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
        var reconciliation = new ReceiptReconciliation(source);
        foreach (var row in submitted)
        {
            reconciliation.AddSubmitted(row);
        }

        foreach (var row in received)
        {
            reconciliation.AddReceived(row);
        }

        return reconciliation.Complete();
    }
}

/// <summary>
/// A reconciliation (收訖核對) built row by row, for rosters too large to hold twice: the submitted rows first (kept
/// compactly: their values in column order, the column names shared per sheet), then the receipt's rows as they
/// stream in (not kept), then <see cref="Complete"/>. Memory grows with the submitted rows only.
/// </summary>
/// <param name="source">The receipt's name, for diagnostic locations.</param>
public sealed class ReceiptReconciliation(string? source = null)
{
    private readonly Dictionary<(string Sheet, string Key), Sent> _sent = [];
    private readonly Dictionary<string, string[]> _columns = new(StringComparer.Ordinal);
    private readonly SortedDictionary<string, Student> _students = new(StringComparer.Ordinal);
    private readonly List<Diagnostic> _diagnostics = [];
    private bool _receiving;
    private bool _completed;

    /// <summary>Adds a submitted row; the first of two rows with the same sheet and key wins.</summary>
    /// <param name="row">The row.</param>
    /// <exception cref="InvalidOperationException">Receipt rows were already added, or the reconciliation is complete.</exception>
    public void AddSubmitted(RosterContentRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (_receiving || _completed)
        {
            throw new InvalidOperationException("Submitted rows go before the receipt's rows.");
        }

        var key = (row.Sheet, row.RowKey);
        if (_sent.ContainsKey(key))
        {
            return;
        }

        var columns = ColumnsOf(row);
        var values = new string?[columns.Length];
        for (var i = 0; i < columns.Length; i++)
        {
            values[i] = row.Values[columns[i]];
        }

        _sent.Add(key, new Sent(row.StudentKey, row.RowNumber, row.IsValid, columns, values));
    }

    /// <summary>Adds a row of the receipt: matched, changed (with the columns that differ) or extra. A repeated row is ignored.</summary>
    /// <param name="row">The row.</param>
    /// <exception cref="InvalidOperationException">The reconciliation is complete.</exception>
    public void AddReceived(ReceiptRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        ObjectDisposedException.ThrowIf(_completed, this);
        _receiving = true;
        var masked = RosterContent.MaskRowKey(row.RowKey, row.StudentKey);
        if (!_sent.TryGetValue((row.Sheet, row.RowKey), out var mine))
        {
            if (StudentOf(row.StudentKey).SeenExtra.Add((row.Sheet, row.RowKey)))
            {
                StudentOf(row.StudentKey).Differences.Add(new RowDifference(RowDifferenceKind.Extra, row.Sheet, row.RowKey, []));
                _diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ReconcileExtra, At(row.Sheet), row.Sheet, masked));
            }

            return;
        }

        if (mine.Received)
        {
            return;
        }

        mine.Received = true;
        List<string>? changed = null;
        for (var i = 0; i < mine.Columns.Length; i++)
        {
            if (row.Values.TryGetValue(mine.Columns[i], out var theirs) && !SameValue(mine.Values[i], theirs))
            {
                (changed ??= []).Add(mine.Columns[i]);
            }
        }

        var student = StudentOf(mine.StudentKey);
        if (changed is null)
        {
            student.Matched++;
        }
        else
        {
            student.Differences.Add(new RowDifference(RowDifferenceKind.Changed, row.Sheet, row.RowKey, changed));
            _diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ReconcileChanged, At(row.Sheet) with { Row = mine.RowNumber }, row.Sheet, masked, string.Join(", ", changed)));
        }
    }

    /// <summary>Adds the rows the receipt lacks (missing, or refused when the SDK had found them invalid) and returns the report.</summary>
    /// <returns>The report, students in ordinal order of their keys.</returns>
    /// <exception cref="InvalidOperationException">Already completed.</exception>
    public ReconciliationReport Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        _completed = true;
        foreach (var ((sheet, key), mine) in _sent)
        {
            if (mine.Received)
            {
                continue;
            }

            var kind = mine.IsValid ? RowDifferenceKind.Missing : RowDifferenceKind.Refused;
            StudentOf(mine.StudentKey).Differences.Add(new RowDifference(kind, sheet, key, []));
            if (kind == RowDifferenceKind.Missing)
            {
                _diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ReconcileMissing, At(sheet) with { Row = mine.RowNumber }, sheet, RosterContent.MaskRowKey(key, mine.StudentKey)));
            }
        }

        return new ReconciliationReport([.. _students.Select(p => new StudentReconciliation(p.Key, p.Value.Matched, p.Value.Differences))], _diagnostics);
    }

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"reconciliation of {_sent.Count} submitted rows{(_completed ? " (complete)" : string.Empty)}");

    private DiagnosticLocation At(string sheet) => new(Source: source, Sheet: sheet);

    private Student StudentOf(string studentKey) =>
        _students.TryGetValue(studentKey, out var student) ? student : _students[studentKey] = new Student();

    // One array of column names per sheet, shared by its rows (a new one only if a row's columns differ).
    private string[] ColumnsOf(RosterContentRow row)
    {
        if (_columns.TryGetValue(row.Sheet, out var columns) && columns.Length == row.Values.Count && columns.All(row.Values.ContainsKey))
        {
            return columns;
        }

        columns = [.. row.Values.Keys];
        _columns.TryAdd(row.Sheet, columns);
        return columns;
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

    private sealed class Sent(string studentKey, int rowNumber, bool isValid, string[] columns, string?[] values)
    {
        public string StudentKey { get; } = studentKey;

        public int RowNumber { get; } = rowNumber;

        public bool IsValid { get; } = isValid;

        public string[] Columns { get; } = columns;

        public string?[] Values { get; } = values;

        public bool Received { get; set; }
    }

    private sealed class Student
    {
        public int Matched { get; set; }

        public List<RowDifference> Differences { get; } = [];

        public HashSet<(string Sheet, string Key)> SeenExtra { get; } = [];
    }
}
