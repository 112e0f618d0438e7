using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Input;
using Portfolio.Sdk.Rosters;

namespace Portfolio.Sdk.Sis.Import;

/// <summary>One accepted row of an import: its values in the target sheet's column order.</summary>
/// <param name="RowNumber">The row number in the file.</param>
/// <param name="Values">The values, in <see cref="BulkImporter.Layout"/> order.</param>
/// <param name="Fingerprint">The row's fingerprint in the ledger.</param>
public sealed record ImportedRow(int RowNumber, IReadOnlyList<string?> Values, string Fingerprint);

/// <summary>What an import did.</summary>
/// <param name="Rows">Data rows read from the file.</param>
/// <param name="Imported">Rows handed to the sink and recorded in the ledger.</param>
/// <param name="AlreadyImported">Rows skipped because the ledger had them.</param>
/// <param name="Rejected">Rows refused because of errors.</param>
/// <param name="Diagnostics">Every problem found, by row.</param>
public sealed record BulkImportResult(int Rows, int Imported, int AlreadyImported, int Rejected, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>
/// Imports a school's Excel or CSV file into one roster sheet (整批匯入): 校內幹部經歷 (seed 001 §4-4) or a 多元表現
/// category (§4-5). The file's headers are mapped onto the sheet's columns, every row is checked with
/// <see cref="RosterRowValidator"/>, valid rows go to the caller's sink, and an <see cref="IImportLedger"/> keeps the
/// same row from being imported twice when the file is imported again. Rows with errors are reported and skipped;
/// the rest go through.
/// </summary>
public sealed class BulkImporter
{
    private readonly CodeTableCatalog _codes;
    private readonly IImportLedger _ledger;

    /// <summary>Initializes an importer.</summary>
    /// <param name="layout">The target sheet's columns for the school year, e.g. <c>cadre-records</c> or <c>performance-competition</c>.</param>
    /// <param name="cover">The school, year and term the rows belong to.</param>
    /// <param name="ledger">Where imported rows are remembered.</param>
    /// <param name="codes">The code tables; <see cref="CodeTableCatalog.Default"/> when <see langword="null"/>.</param>
    /// <param name="limits">The reading limits (sizes, rows, cell length, diagnostics kept); <see cref="InputLimits.Default"/> when <see langword="null"/>.</param>
    public BulkImporter(RosterSheetLayout layout, RosterCover cover, IImportLedger ledger, CodeTableCatalog? codes = null, InputLimits? limits = null)
    {
        Limits = (limits ?? InputLimits.Default).Validate();
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(cover);
        ArgumentNullException.ThrowIfNull(ledger);
        Layout = layout;
        Cover = cover;
        _ledger = ledger;
        _codes = codes ?? CodeTableCatalog.Default;
    }

    /// <summary>Gets the target sheet's columns.</summary>
    public RosterSheetLayout Layout { get; }

    /// <summary>Gets the cover the rows belong to.</summary>
    public RosterCover Cover { get; }

    /// <summary>Gets the reading limits.</summary>
    public InputLimits Limits { get; }

    /// <summary>
    /// Maps file headers onto the layout's columns: by an explicit entry of <paramref name="headerMap"/> (file header →
    /// column key or header), else by header text after removing white space and folding full-width characters.
    /// </summary>
    /// <param name="headers">The file's header row.</param>
    /// <param name="headerMap">Explicit mappings, or <see langword="null"/>.</param>
    /// <returns>For each layout column, the file column index, or -1.</returns>
    public int[] MapHeaders(IReadOnlyList<string?> headers, IReadOnlyDictionary<string, string>? headerMap = null)
    {
        ArgumentNullException.ThrowIfNull(headers);
        var map = Enumerable.Repeat(-1, Layout.Columns.Count).ToArray();
        for (var f = 0; f < headers.Count; f++)
        {
            if (headers[f] is not { } header || string.IsNullOrWhiteSpace(header))
            {
                continue;
            }

            var target = headerMap is not null && headerMap.TryGetValue(header.Trim(), out var explicitTarget) ? Normalise(explicitTarget) : Normalise(header);
            var index = Layout.Columns.ToList().FindIndex(c => Normalise(c.Header) == target || Normalise(c.Key) == target);
            if (index >= 0 && map[index] < 0)
            {
                map[index] = f;
            }
        }

        return map;
    }

    /// <summary>Imports a file.</summary>
    /// <param name="file">The file content (xlsx, xls or csv; recognised by content).</param>
    /// <param name="fileName">The file name, for diagnostics.</param>
    /// <param name="sink">Receives each accepted row; the row is recorded in the ledger after the sink returns.</param>
    /// <param name="headerMap">Explicit header mappings (file header → column key or header), or <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels between rows.</param>
    /// <returns>What was imported and every problem found.</returns>
    public async Task<BulkImportResult> ImportAsync(Stream file, string fileName, Func<ImportedRow, CancellationToken, ValueTask> sink, IReadOnlyDictionary<string, string>? headerMap = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(file);
        ArgumentNullException.ThrowIfNull(sink);
        var diagnostics = new List<Diagnostic>();
        var budget = new DiagnosticBudget(Limits.MaxDiagnostics);
        var opened = TabularReader.Open(file, fileName, Layout.Sheet.Name, Limits);
        if (!opened.Success)
        {
            return new BulkImportResult(0, 0, 0, 0, opened.Diagnostics);
        }

        using var reader = opened.Value!;
        var validator = new RosterRowValidator(Layout, Cover, _codes, fileName);
        var scope = $"{Layout.Sheet.Book.Id}/{Layout.Sheet.Id}/{Cover.School.Value}";
        int rows = 0, imported = 0, already = 0, rejected = 0;
        int[]? map = null;
        var values = new string?[Layout.Columns.Count];
        IEnumerator<Rosters.WorksheetRow> enumerator;
        try
        {
            enumerator = reader.ReadRows().GetEnumerator();
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ExcelDataReader.Exceptions.ExcelReaderException)
        {
            return new BulkImportResult(0, 0, 0, 0, [TabularReader.Unreadable(new DiagnosticLocation(Source: fileName), "檔案毀損", "the file is corrupt")]);
        }

        using (enumerator)
        {
            while (true)
            {
                cancellationToken.ThrowIfCancellationRequested();
                try
                {
                    if (!enumerator.MoveNext())
                    {
                        break;
                    }
                }
                catch (Exception ex) when (ex is InvalidDataException or IOException or System.Xml.XmlException or ExcelDataReader.Exceptions.ExcelReaderException)
                {
                    diagnostics.Add(TabularReader.Unreadable(new DiagnosticLocation(Source: fileName), "檔案內容毀損，其後的列無法讀取", "the file's content is corrupt; the rows after this point cannot be read"));
                    break;
                }

                var row = enumerator.Current;
                if (map is null)
                {
                    map = MapHeaders(row.Cells, headerMap);
                    if (!CheckHeaders(row, map, fileName, diagnostics))
                    {
                        diagnostics.AddRange(reader.Diagnostics);
                        return new BulkImportResult(0, 0, 0, 0, diagnostics);
                    }

                    continue;
                }

                rows++;
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = map[i] >= 0 && map[i] < row.Cells.Count ? row.Cells[map[i]]?.Trim() : null;
                }

                var rowDiagnostics = new List<Diagnostic>();
                var valid = validator.Validate(values, row.RowNumber, rowDiagnostics);
                diagnostics.AddRange(rowDiagnostics);
                budget.Trim(diagnostics);
                if (!valid)
                {
                    rejected++;
                    continue;
                }

                var fingerprint = Fingerprint(values);
                if (await _ledger.ContainsAsync(scope, fingerprint, cancellationToken).ConfigureAwait(false))
                {
                    already++;
                    diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ImportRowAlreadyImported, new DiagnosticLocation(Source: fileName, Sheet: Layout.Sheet.Name, Row: row.RowNumber)));
                    budget.Trim(diagnostics);
                    continue;
                }

                await sink(new ImportedRow(row.RowNumber, [.. values], fingerprint), cancellationToken).ConfigureAwait(false);
                await _ledger.AddAsync(scope, fingerprint, cancellationToken).ConfigureAwait(false);
                imported++;
            }
        }

        if (map is null)
        {
            CheckHeaders(new Rosters.WorksheetRow(1, []), MapHeaders([], headerMap), fileName, diagnostics);
        }

        diagnostics.AddRange(reader.Diagnostics);
        budget.Complete(diagnostics, new DiagnosticLocation(Source: fileName));
        return new BulkImportResult(rows, imported, already, rejected, diagnostics);
    }

    private static string Normalise(string text) =>
        new string(text.Normalize(NormalizationForm.FormKC).Where(c => !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();

    // The same values give the same fingerprint, however the file spelled case and spacing of the ID.
    private string Fingerprint(string?[] values)
    {
        var text = new StringBuilder(Layout.Sheet.Id);
        for (var i = 0; i < values.Length; i++)
        {
            var value = values[i] ?? string.Empty;
            text.Append('\u001F').Append(Layout.Columns[i].Type == RosterColumnType.NationalId ? value.ToUpperInvariant() : value);
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    private bool CheckHeaders(Rosters.WorksheetRow header, int[] map, string fileName, List<Diagnostic> diagnostics)
    {
        var ok = true;
        for (var i = 0; i < map.Length; i++)
        {
            if (map[i] < 0 && Layout.Columns[i].IsRequired)
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ImportColumnMissing, new DiagnosticLocation(Source: fileName, Row: header.RowNumber, Column: Layout.Columns[i].Header), Layout.Columns[i].Header));
                ok = false;
            }
        }

        for (var f = 0; f < header.Cells.Count; f++)
        {
            if (header.Cells[f] is { Length: > 0 } name && !map.Contains(f))
            {
                // Located by the column's letters: a header cell may hold anything, a name included, so its text is
                // quoted only through value redaction.
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ImportColumnUnknown, new DiagnosticLocation(Source: fileName, Row: header.RowNumber, Column: DiagnosticLocation.SpreadsheetColumn(f)), name));
            }
        }

        return ok;
    }
}
