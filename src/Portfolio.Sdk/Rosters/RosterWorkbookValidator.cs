using System.Diagnostics;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Input;
using Portfolio.Sdk.Schools;

namespace Portfolio.Sdk.Rosters;

/// <summary>What <see cref="RosterWorkbookValidator"/> found in one workbook (名冊檢核結果).</summary>
public sealed class RosterValidationReport
{
    internal RosterValidationReport(string? source, bool isReadable, RosterBook? book, RosterCover? cover, IReadOnlyDictionary<string, int> rowCounts, IReadOnlyList<Diagnostic> diagnostics)
    {
        Source = source;
        IsReadable = isReadable;
        Book = book;
        Cover = cover;
        RowCounts = rowCounts;
        Diagnostics = diagnostics;
    }

    /// <summary>Gets the file name given to the validator.</summary>
    public string? Source { get; }

    /// <summary>Gets whether the file could be read as a roster book at all (a zip, an xlsx, a known book with a cover).</summary>
    public bool IsReadable { get; }

    /// <summary>Gets the book the workbook was identified as.</summary>
    public RosterBook? Book { get; }

    /// <summary>Gets the cover, when it could be read.</summary>
    public RosterCover? Cover { get; }

    /// <summary>Gets the number of data rows per sheet name.</summary>
    public IReadOnlyDictionary<string, int> RowCounts { get; }

    /// <summary>Gets every problem found, in file order.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Gets whether any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// Validates a roster workbook, ours or a vendor's (名冊檢核): reads it streaming, identifies the book, checks the
/// cover, the sheets and their headers, then every row with <see cref="RosterRowValidator"/>. Returns every problem;
/// never throws for bad input.
/// </summary>
public sealed class RosterWorkbookValidator
{
    private readonly RosterCatalogue _catalogue;
    private readonly CodeTableCatalog _codes;

    /// <summary>Initializes a validator.</summary>
    /// <param name="catalogue">The roster catalogue; <see cref="RosterCatalogue.Default"/> when <see langword="null"/>.</param>
    /// <param name="codes">The code tables; <see cref="CodeTableCatalog.Default"/> when <see langword="null"/>.</param>
    /// <param name="limits">The reading limits; <see cref="InputLimits.Default"/> when <see langword="null"/>.</param>
    public RosterWorkbookValidator(RosterCatalogue? catalogue = null, CodeTableCatalog? codes = null, InputLimits? limits = null)
    {
        _catalogue = catalogue ?? RosterCatalogue.Default;
        _codes = codes ?? CodeTableCatalog.Default;
        Limits = (limits ?? InputLimits.Default).Validate();
    }

    /// <summary>Gets the reading limits: sizes, rows, cell length and how many diagnostics a report keeps.</summary>
    public InputLimits Limits { get; }

    /// <summary>Gets the policy whose pass marks (及格基準 by 學制) the pass flags are checked against (PF1115).</summary>
    /// <value>The default is <see cref="Sdk.Policy.PortfolioPolicy.Default"/>.</value>
    public Policy.PortfolioPolicy Policy { get; init; } = Sdk.Policy.PortfolioPolicy.Default;

    /// <summary>Validates the workbook in <paramref name="workbook"/>.</summary>
    /// <param name="workbook">A readable, seekable stream.</param>
    /// <param name="source">The file name, for diagnostic locations.</param>
    /// <param name="cancellationToken">Cancels between rows.</param>
    /// <returns>The report.</returns>
    public RosterValidationReport Validate(Stream workbook, string? source = null, CancellationToken cancellationToken = default) =>
        Validate(workbook, source, packageFiles: null, cancellationToken);

    /// <summary>
    /// Validates a roster workbook as <see cref="Validate(Stream, string?, CancellationToken)"/> does, and hands every
    /// data row, with its values in layout order, to <paramref name="onRow"/> as it is read (used to build receipts
    /// and to reconcile them without reading the workbook twice).
    /// </summary>
    /// <param name="workbook">A readable, seekable stream holding the .xlsx file.</param>
    /// <param name="source">The file name, for diagnostic locations.</param>
    /// <param name="onRow">Called for each non-blank data row; its <see cref="RosterRowRead.Values"/> are reused after the call returns.</param>
    /// <param name="cancellationToken">Cancels between rows.</param>
    /// <returns>The report.</returns>
    public RosterValidationReport Validate(Stream workbook, string? source, Action<RosterRowRead> onRow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(onRow);
        return Validate(workbook, source, packageFiles: null, cancellationToken, onRow);
    }

    internal RosterValidationReport Validate(Stream workbook, string? source, IReadOnlyDictionary<string, Packages.PackageFile>? packageFiles, CancellationToken cancellationToken, Action<RosterRowRead>? onRow = null)
    {
        ArgumentNullException.ThrowIfNull(workbook);
        using var activity = PortfolioTelemetry.Source.StartActivity("roster.validate");
        var report = ValidateCore(workbook, source, packageFiles, onRow, cancellationToken);
        var book = new KeyValuePair<string, object?>(PortfolioTelemetry.RosterBookTag, report.Book?.Id ?? "unknown");
        var outcome = new KeyValuePair<string, object?>(PortfolioTelemetry.OutcomeTag, !report.IsReadable ? "unreadable" : report.HasErrors ? "invalid" : "valid");
        var rows = report.RowCounts.Values.Sum();
        PortfolioTelemetry.Validations.Add(1, book, outcome);
        PortfolioTelemetry.RowsValidated.Add(rows, book);
        PortfolioTelemetry.RecordDiagnostics(PortfolioTelemetry.Diagnostics, report.Diagnostics, book);
        if (activity is not null)
        {
            activity.SetTag(book.Key, book.Value);
            activity.SetTag(outcome.Key, outcome.Value);
            activity.SetTag("portfolio.roster.row_count", rows);
            activity.SetTag("portfolio.diagnostic.count", report.Diagnostics.Count);
            if (!report.IsReadable || report.HasErrors)
            {
                activity.SetStatus(ActivityStatusCode.Error, outcome.Value as string);
            }
        }

        return report;
    }

    private RosterValidationReport ValidateCore(Stream workbook, string? source, IReadOnlyDictionary<string, Packages.PackageFile>? packageFiles, Action<RosterRowRead>? onRow, CancellationToken cancellationToken)
    {
        var diagnostics = new List<Diagnostic>();
        var budget = new DiagnosticBudget(Limits.MaxDiagnostics);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var opened = RosterWorkbookReader.Open(workbook, source, Limits);
        diagnostics.AddRange(opened.Diagnostics);
        if (!opened.Success)
        {
            return new RosterValidationReport(source, false, null, null, counts, diagnostics);
        }

        using var reader = opened.Value!;
        try
        {
            // Sheet names with stray spaces, full-width or zero-width characters are the catalogue's names a clerk
            // retyped: matched (with a warning), never skipped.
            var known = _catalogue.Books.SelectMany(b => b.Sheets.Select(sh => sh.Name)).Append(RosterBook.CoverSheetName)
                .GroupBy(CanonicalSheetName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var canonical = reader.SheetNames.ToDictionary(n => n, n => known.TryGetValue(CanonicalSheetName(n), out var name) ? name : n, StringComparer.Ordinal);
            var coverName = reader.SheetNames.FirstOrDefault(n => canonical[n] == RosterBook.CoverSheetName)
                ?? reader.SheetNames.FirstOrDefault(n => n.EndsWith(RosterBook.CoverSheetName, StringComparison.Ordinal));
            var coverRows = coverName is null ? [] : reader.ReadRows(coverName).Take(2).ToList();
            var bookName = coverRows.Count == 2 && coverRows[1].Cells.Count > 3 ? coverRows[1].Cells[3] : null;
            var book = _catalogue.Identify(bookName, reader.SheetNames.Where(n => n != coverName).Select(n => canonical[n]));
            if (book is null)
            {
                diagnostics.AddRange(reader.Diagnostics);
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.BookUnrecognised, new DiagnosticLocation(Source: source), string.Join("、", reader.SheetNames)));
                return new RosterValidationReport(source, false, null, null, counts, diagnostics);
            }

            var cover = ReadCover(book, coverName, coverRows, source, diagnostics);
            if (cover is null || reader.Failed)
            {
                diagnostics.AddRange(reader.Diagnostics);
                return new RosterValidationReport(source, false, book, null, counts, diagnostics);
            }

            if (coverName is not null && coverName != RosterBook.CoverSheetName)
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SheetNameApproximate, new DiagnosticLocation(Source: source, Book: book.Id, Sheet: coverName), coverName, RosterBook.CoverSheetName));
            }

            foreach (var name in reader.SheetNames.Where(n => n != coverName && book.FindSheet(canonical[n]) is null))
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SheetUnknown, new DiagnosticLocation(Source: source, Book: book.Id, Sheet: name), name, book.Name));
            }

            foreach (var sheet in book.Sheets)
            {
                var actual = reader.SheetNames.Contains(sheet.Name) ? sheet.Name : reader.SheetNames.FirstOrDefault(n => n != coverName && canonical[n] == sheet.Name);
                if (actual is null)
                {
                    diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SheetMissing, new DiagnosticLocation(Source: source, Book: book.Id), sheet.Name));
                    continue;
                }

                if (actual != sheet.Name)
                {
                    diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SheetNameApproximate, new DiagnosticLocation(Source: source, Book: book.Id, Sheet: actual), actual, sheet.Name));
                }

                counts[sheet.Name] = ValidateSheet(reader, actual, sheet.LayoutFor(cover.Year), cover, source, packageFiles, diagnostics, budget, onRow, cancellationToken);
                if (reader.Failed)
                {
                    break;
                }
            }

            diagnostics.AddRange(reader.Diagnostics);
            budget.Complete(diagnostics, new DiagnosticLocation(Source: source));
            return new RosterValidationReport(source, !reader.Failed, book, cover, counts, diagnostics);
        }
        catch (Exception ex) when (RosterWorkbookReader.IsFormatProblem(ex))
        {
            diagnostics.Add(RosterWorkbookReader.Unreadable(source, ex));
            return new RosterValidationReport(source, false, null, null, counts, diagnostics);
        }
    }

    private RosterCover? ReadCover(RosterBook book, string? coverName, List<WorksheetRow> rows, string? source, List<Diagnostic> diagnostics)
    {
        if (coverName is null || rows.Count < 2)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CoverMissing, new DiagnosticLocation(Source: source, Book: book.Id, Sheet: coverName)));
            return null;
        }

        var cells = rows[1].Cells;
        string? Cell(int i) => i < cells.Count ? cells[i] : null;
        DiagnosticLocation At(int column) => new(Source: source, Book: book.Id, Sheet: coverName, Row: rows[1].RowNumber, Column: RosterCover.Headers[column]);

        var school = SchoolCode.Validate(Cell(0), At(0), _codes);
        if (!school.Success && RosterRowValidator.LostLeadingZeros(Cell(0), 6) is { } padded && SchoolCode.Validate(padded, At(0), _codes) is { Success: true } repaired)
        {
            // 060322 became 60322 in a spreadsheet: an error at the cell, with the code it was; the rows are still checked.
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.LeadingZerosLost, At(0), RosterCover.Headers[0], Cell(0), padded));
            school = repaired;
        }

        foreach (var d in school.Diagnostics)
        {
            diagnostics.Add(d.Code == DiagnosticCodes.SchoolCodeTest ? DiagnosticCatalog.Create(DiagnosticCodes.CoverTestSchool, At(0), school.Value.Value) : d);
        }

        var year = SchoolYear.Validate(Cell(1), At(1));
        var term = SchoolTerm.ValidateTerm(Cell(2), At(2));
        diagnostics.AddRange(year.Diagnostics);
        diagnostics.AddRange(term.Diagnostics);
        if (term.Success)
        {
            var perYear = book.Cadence == RosterCadence.Year;
            if (perYear != (term.Value == Term.WholeYear))
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CoverTermCadence, At(2), book.Name, perYear ? "每學年" : "每學期", perYear ? "0" : "1 或 2", (int)term.Value, perYear ? "per-year" : "per-semester"));
            }
        }

        // Rows are checked against the cover's school, year and term, so an unusable cover stops here.
        return school.Success && year.Success && term.Success ? new RosterCover(school.Value, year.Value, term.Value) : null;
    }

    // A sheet name as the catalogue would spell it: compatibility forms folded (full-width letters, digits and
    // brackets), spaces and zero-width characters removed.
    private static string CanonicalSheetName(string name)
    {
        var folded = name.Normalize(System.Text.NormalizationForm.FormKC);
        var sb = new System.Text.StringBuilder(folded.Length);
        foreach (var c in folded)
        {
            if (!char.IsWhiteSpace(c) && c is not ('\u200B' or '\u200C' or '\u200D' or '\uFEFF'))
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }

    private int ValidateSheet(RosterWorkbookReader reader, string sheetName, RosterSheetLayout layout, RosterCover cover, string? source, IReadOnlyDictionary<string, Packages.PackageFile>? packageFiles, List<Diagnostic> diagnostics, DiagnosticBudget budget, Action<RosterRowRead>? onRow, CancellationToken cancellationToken)
    {
        var sheetAt = new DiagnosticLocation(Source: source, Book: layout.Sheet.Book.Id, Sheet: layout.Sheet.Name, Row: 1);
        var validator = new RosterRowValidator(layout, cover, _codes, source) { PackageFiles = packageFiles, Policy = Policy };
        int[]? map = null;
        var values = new string?[layout.Columns.Count];
        var rows = 0;
        foreach (var row in reader.ReadRows(sheetName))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (map is null)
            {
                map = MapHeaders(row, layout, sheetAt, diagnostics);
                continue;
            }

            if (row.IsBlank)
            {
                continue;
            }

            for (var i = 0; i < values.Length; i++)
            {
                var from = map[i];
                values[i] = from >= 0 && from < row.Cells.Count ? row.Cells[from] : null;
            }

            var valid = validator.Validate(values, row.RowNumber, diagnostics);
            budget.Trim(diagnostics);
            onRow?.Invoke(new RosterRowRead(layout, row.RowNumber, values, valid));
            rows++;
        }

        if (map is null)
        {
            MapHeaders(new WorksheetRow(1, []), layout, sheetAt, diagnostics);
        }

        return rows;
    }

    // Maps each layout column to the sheet column with the same header; reports missing, unknown and misplaced headers.
    private static int[] MapHeaders(WorksheetRow header, RosterSheetLayout layout, DiagnosticLocation at, List<Diagnostic> diagnostics)
    {
        var headers = header.Cells.Select(c => c?.Trim()).ToList();
        var map = new int[layout.Columns.Count];
        var outOfOrder = false;
        for (var i = 0; i < layout.Columns.Count; i++)
        {
            var column = layout.Columns[i];
            map[i] = headers.IndexOf(column.Header);
            if (map[i] < 0)
            {
                var missing = DiagnosticCatalog.Create(DiagnosticCodes.ColumnMissing, at with { Column = column.Header }, column.Header);
                diagnostics.Add(column.IsRequired ? missing : missing with { Severity = DiagnosticSeverity.Warning });
            }
            else if (map[i] != i && !outOfOrder)
            {
                outOfOrder = true;
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ColumnOrder, at with { Column = column.Header }, i + 1, column.Header, headers.ElementAtOrDefault(i) ?? string.Empty));
            }
        }

        // Located by the column's letters: the header text is quoted only through value redaction (it may hold a name).
        for (var i = 0; i < headers.Count; i++)
        {
            if (headers[i] is { Length: > 0 } extra && layout.Columns.All(c => c.Header != extra))
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ColumnUnknown, at with { Column = DiagnosticLocation.SpreadsheetColumn(i) }, extra, layout.Year.RocYear));
            }
        }

        return map;
    }
}
