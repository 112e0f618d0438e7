using System.Globalization;
using System.Text.Json;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Input;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Sis.Import;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Submission.Receipts;

/// <summary>What importing a receipt file gave: the receipt with every readable row, and a diagnostic for each row left out.</summary>
/// <param name="Receipt">The receipt, or <see langword="null"/> when the file could not be read at all.</param>
/// <param name="Diagnostics">The problems found.</param>
public sealed record ReceiptImport(Receipt? Receipt, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>
/// Imports 收訖明細: the gateway protocol's JSON form (what the sandbox issues), and spreadsheets (.xlsx, .xls,
/// .csv) through a <see cref="ReceiptColumnMapping"/>. A bad row is reported with its location and left out; the
/// rest is imported.
/// </summary>
public static class ReceiptImporter
{
    /// <summary>Reads a receipt in the protocol's JSON form.</summary>
    /// <param name="json">The JSON.</param>
    /// <param name="source">The file name, for diagnostics.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The receipt, or why it could not be read.</returns>
    public static Task<ParseOutcome<Receipt>> ReadJsonAsync(Stream json, string? source = null, CancellationToken cancellationToken = default) =>
        ReadJsonAsync(json, source, InputLimits.Default, cancellationToken);

    /// <summary>
    /// Reads a receipt in the protocol's JSON form within <paramref name="limits"/>: a seekable file larger than
    /// <see cref="InputLimits.MaxEntryBytes"/> or with more than <see cref="InputLimits.MaxRows"/> rows is refused (<c>PF1309</c>).
    /// </summary>
    /// <param name="json">The JSON.</param>
    /// <param name="source">The file name, for diagnostics.</param>
    /// <param name="limits">The reading limits.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The receipt, or why it could not be read.</returns>
    public static async Task<ParseOutcome<Receipt>> ReadJsonAsync(Stream json, string? source, InputLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(limits);
        if (json.CanSeek && json.Length - json.Position > limits.MaxEntryBytes)
        {
            return ParseOutcome.Failure<Receipt>(InputDiagnostics.LimitExceeded(new DiagnosticLocation(Source: source), "收訖明細檔大小（位元組）", "bytes of a receipt file", json.Length - json.Position, limits.MaxEntryBytes));
        }

        Receipt? receipt;
        try
        {
            receipt = await JsonSerializer.DeserializeAsync<Receipt>(json, GatewayJson.Options, cancellationToken).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            return ParseOutcome.Failure<Receipt>(DiagnosticCatalog.Create(DiagnosticCodes.ReceiptJson, new DiagnosticLocation(Source: source, Row: (int?)(ex.LineNumber + 1), Path: ex.Path), Mask(ex.Message)));
        }

        if (receipt is null)
        {
            return ParseOutcome.Failure<Receipt>(DiagnosticCatalog.Create(DiagnosticCodes.ReceiptJson, new DiagnosticLocation(Source: source), "null"));
        }

        if (receipt.Rows is null || receipt.Rows.Any(r => r is null || r.StudentKey is null || r.Values is null))
        {
            return ParseOutcome.Failure<Receipt>(DiagnosticCatalog.Create(DiagnosticCodes.ReceiptJson, new DiagnosticLocation(Source: source, Path: "rows"), "null"));
        }

        if (receipt.Rows.Count > limits.MaxRows)
        {
            return ParseOutcome.Failure<Receipt>(InputDiagnostics.LimitExceeded(new DiagnosticLocation(Source: source, Path: "rows"), "收訖明細列數", "rows of a receipt", receipt.Rows.Count, limits.MaxRows));
        }

        var diagnostics = new List<Diagnostic>();
        var budget = new DiagnosticBudget(limits.MaxDiagnostics);
        for (var i = 0; i < receipt.Rows.Count; i++)
        {
            var at = new DiagnosticLocation(Source: source, Path: string.Create(CultureInfo.InvariantCulture, $"rows[{i}].studentKey"));
            diagnostics.AddRange(NationalId.Validate(receipt.Rows[i].StudentKey, at).Diagnostics.Where(d => d.IsError));
            budget.Trim(diagnostics);
        }

        budget.Complete(diagnostics, new DiagnosticLocation(Source: source));
        return ParseOutcome.From(receipt, diagnostics);
    }

    /// <summary>Imports a receipt spreadsheet for one roster sheet.</summary>
    /// <param name="file">The .xlsx, .xls or .csv file (a CSV in UTF-8 or Big5).</param>
    /// <param name="source">The file name, for diagnostics.</param>
    /// <param name="header">What the receipt acknowledges (its ID, the submission's key, school, book, year and term); its row count is recomputed.</param>
    /// <param name="layout">The roster sheet the rows belong to.</param>
    /// <param name="mapping">The column mapping; the roster's own headers when <see langword="null"/>.</param>
    /// <param name="limits">The reading limits; <see cref="InputLimits.Default"/> when <see langword="null"/>.</param>
    /// <returns>The receipt with every readable row, and the problems. Bad content (corrupt XML, a DTD, a zip bomb) is a diagnostic, never an exception.</returns>
    public static ReceiptImport ImportSpreadsheet(Stream file, string? source, ReceiptSummary header, RosterSheetLayout layout, ReceiptColumnMapping? mapping = null, InputLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(header);
        ArgumentNullException.ThrowIfNull(layout);
        mapping ??= ReceiptColumnMapping.ForLayout(layout);
        var diagnostics = new List<Diagnostic>();
        limits ??= InputLimits.Default;
        var budget = new DiagnosticBudget(limits.MaxDiagnostics);
        var opened = TabularReader.Open(file, source, limits: limits);
        diagnostics.AddRange(opened.Diagnostics);
        if (!opened.Success)
        {
            return new ReceiptImport(null, diagnostics);
        }

        using var reader = opened.Value!;
        var rows = new List<ReceiptRow>();
        int[]? map = null;
        var studentColumn = -1;
        var keys = mapping.Columns.Values.ToList();
        foreach (var row in reader.ReadRows())
        {
            if (map is null)
            {
                var headers = row.Cells.Select(c => c?.Trim()).ToList();
                studentColumn = headers.IndexOf(mapping.StudentKeyHeader);
                if (studentColumn < 0)
                {
                    diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ReceiptColumnMissing, new DiagnosticLocation(Source: source, Row: row.RowNumber, Column: mapping.StudentKeyHeader), mapping.StudentKeyHeader));
                    diagnostics.AddRange(reader.Diagnostics);
                    return new ReceiptImport(null, diagnostics);
                }

                map = [.. mapping.Columns.Keys.Select(h => headers.IndexOf(h))];
                foreach (var missing in mapping.Columns.Keys.Where((_, i) => map[i] < 0))
                {
                    diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ReceiptColumnMissing, new DiagnosticLocation(Source: source, Row: row.RowNumber, Column: missing), missing) with { Severity = DiagnosticSeverity.Warning });
                }

                continue;
            }

            if (row.IsBlank)
            {
                continue;
            }

            var at = new DiagnosticLocation(Source: source, Sheet: layout.Sheet.Name, Row: row.RowNumber, Column: mapping.StudentKeyHeader);
            var id = NationalId.Validate(studentColumn < row.Cells.Count ? row.Cells[studentColumn] : null, at);
            if (!id.Success)
            {
                diagnostics.AddRange(id.Diagnostics.Where(d => d.IsError));
                budget.Trim(diagnostics);
                continue;
            }

            var values = new Dictionary<string, string?>(StringComparer.Ordinal) { ["nationalId"] = id.Value.Value };
            for (var i = 0; i < map.Length; i++)
            {
                if (map[i] >= 0)
                {
                    values[keys[i]] = RosterContent.Normalize(map[i] < row.Cells.Count ? row.Cells[map[i]] : null);
                }
            }

            var inLayout = layout.Columns.Select(c => values.TryGetValue(c.Key, out var v) ? v : null).ToList();
            rows.Add(new ReceiptRow { StudentKey = id.Value.Value, Sheet = layout.Sheet.Id, RowKey = RosterContent.KeyOf(layout, inLayout), Values = values });
        }

        diagnostics.AddRange(reader.Diagnostics);
        budget.Complete(diagnostics, new DiagnosticLocation(Source: source));
        if (map is null && diagnostics.Any(d => d.IsError))
        {
            return new ReceiptImport(null, diagnostics);
        }

        var receipt = new Receipt
        {
            ReceiptId = header.ReceiptId, IdempotencyKey = header.IdempotencyKey, SubmissionId = header.SubmissionId, SchoolCode = header.SchoolCode,
            Book = header.Book, SchoolYear = header.SchoolYear, Term = header.Term, IssuedAt = header.IssuedAt, RowCount = rows.Count, Rows = rows,
        };
        return new ReceiptImport(receipt, diagnostics);
    }

    // System.Text.Json messages can quote the offending text; keep them short and free of IDs.
    private static string Mask(string message) =>
        System.Text.RegularExpressions.Regex.Replace(message, "[A-Za-z][0-9A-Da-d][0-9]{8}", m => Privacy.Redaction.MaskIdentifier(m.Value), System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromSeconds(1));
}
