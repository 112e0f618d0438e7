using System.Globalization;
using System.IO.Packaging;
using System.Text;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Spreadsheet;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Input;

namespace Portfolio.Sdk.Rosters;

/// <summary>One row of a worksheet as text: its 1-based row number and its cells by 0-based column index.</summary>
/// <param name="RowNumber">The row number as in Excel.</param>
/// <param name="Cells">The cell texts; <see langword="null"/> for an empty cell.</param>
public sealed record WorksheetRow(int RowNumber, IReadOnlyList<string?> Cells)
{
    /// <summary>Gets whether every cell is empty or white space.</summary>
    public bool IsBlank => Cells.All(string.IsNullOrWhiteSpace);
}

/// <summary>
/// Reads any .xlsx workbook sheet by sheet, streaming (活頁簿讀取): rows come one at a time from the zip entry
/// through <see cref="OpenXmlReader"/>; a sheet is never loaded whole. Reads workbooks this SDK wrote and those
/// a vendor or Excel produced (shared strings, inline strings, numbers, booleans).
/// </summary>
public sealed class RosterWorkbookReader : IDisposable
{
    private readonly Package _package;
    private readonly SpreadsheetDocument _document;
    private readonly Dictionary<string, WorksheetPart> _parts;
    private readonly InputLimits _limits;
    private readonly string? _source;
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly DiagnosticBudget _budget;
    private List<string>? _sharedStrings;

    private RosterWorkbookReader(Package package, SpreadsheetDocument document, List<(string Name, WorksheetPart Part)> sheets, InputLimits limits, string? source)
    {
        _package = package;
        _document = document;
        _limits = limits;
        _source = source;
        _budget = new DiagnosticBudget(limits.MaxDiagnostics);
        SheetNames = [.. sheets.Select(s => s.Name)];
        _parts = sheets.GroupBy(s => s.Name, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().Part, StringComparer.Ordinal);
    }

    /// <summary>Gets the worksheet names in workbook order.</summary>
    public IReadOnlyList<string> SheetNames { get; }

    /// <summary>
    /// Gets the problems met while reading rows: a cell cut at <see cref="InputLimits.MaxCellLength"/>, a sheet cut at
    /// <see cref="InputLimits.MaxRows"/> (<c>PF1309</c>), a sheet whose XML is corrupt (<c>PF1001</c>; its rows end there).
    /// </summary>
    public IReadOnlyList<Diagnostic> Diagnostics => _diagnostics;

    /// <summary>Gets whether a sheet's XML was corrupt, so that its rows ended early.</summary>
    public bool Failed { get; private set; }

    /// <summary>
    /// Opens a workbook. A stream that is not an .xlsx (not a zip, a corrupt zip, a zip without a workbook) gives a
    /// diagnostic (<c>PF1001</c>), never an exception; so does a zip beyond <paramref name="limits"/> (<c>PF1309</c>)
    /// or with unsafe or duplicate entry names (<c>PF1310</c>, <c>PF1311</c>), before anything is inflated.
    /// </summary>
    /// <param name="input">A readable, seekable stream; left open.</param>
    /// <param name="source">A name for the stream (a file name) used in diagnostics.</param>
    /// <param name="limits">The limits; <see cref="InputLimits.Default"/> when <see langword="null"/>.</param>
    /// <returns>The reader, or the reason the workbook cannot be read.</returns>
    public static ParseOutcome<RosterWorkbookReader> Open(Stream input, string? source = null, InputLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        limits = (limits ?? InputLimits.Default).Validate();
        var diagnostics = new List<Diagnostic>();
        Package? package = null;
        SpreadsheetDocument? document = null;
        try
        {
            if (!input.CanSeek || ZipInspector.Inspect(input, limits, new DiagnosticLocation(Source: source), diagnostics) is null)
            {
                if (diagnostics.Count == 0)
                {
                    diagnostics.Add(Unreadable(source, new NotSupportedException()));
                }

                return ParseOutcome.From<RosterWorkbookReader>(null, diagnostics);
            }

            if (ZipInspector.FindXmlWithDtd(input) is { } withDtd)
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.WorkbookUnreadable, new DiagnosticLocation(Source: source, Path: withDtd), "活頁簿的 XML 含有 DTD（文件類型定義），不予讀取", "the workbook's XML declares a DTD, which is refused"));
                return ParseOutcome.From<RosterWorkbookReader>(null, diagnostics);
            }

            package = Package.Open(input, FileMode.Open, FileAccess.Read);
            document = SpreadsheetDocument.Open(package);
            var workbook = document.WorkbookPart ?? throw new InvalidDataException("the package has no workbook part");
            var sheets = new List<(string, WorksheetPart)>();
            using (var reader = OpenXmlReader.Create(workbook))
            {
                while (reader.Read())
                {
                    if (reader.ElementType == typeof(Sheet) && reader.IsStartElement && reader.LoadCurrentElement() is Sheet sheet
                        && sheet.Id?.Value is { } id && workbook.GetPartById(id) is WorksheetPart part)
                    {
                        sheets.Add((sheet.Name?.Value ?? string.Empty, part));
                    }
                }
            }

            return ParseOutcome.From<RosterWorkbookReader>(new RosterWorkbookReader(package, document, sheets, limits, source), diagnostics);
        }
        catch (Exception ex) when (IsFormatProblem(ex))
        {
            document?.Dispose();
            package?.Close();
            diagnostics.Add(Unreadable(source, ex));
            return ParseOutcome.From<RosterWorkbookReader>(null, diagnostics);
        }
    }

    /// <summary>
    /// Reads the rows of a sheet, one at a time, skipping rows with no cells. Corrupt XML ends the rows with a
    /// diagnostic in <see cref="Diagnostics"/> instead of an exception; so does the row limit.
    /// </summary>
    /// <param name="sheetName">The sheet name.</param>
    /// <returns>The rows in order.</returns>
    /// <exception cref="KeyNotFoundException">There is no such sheet.</exception>
    public IEnumerable<WorksheetRow> ReadRows(string sheetName)
    {
        ArgumentNullException.ThrowIfNull(sheetName);
        if (!_parts.TryGetValue(sheetName, out var part))
        {
            throw new KeyNotFoundException($"The workbook has no sheet '{sheetName}'.");
        }

        return ReadRowsSafely(part, sheetName);
    }

    /// <inheritdoc />
    public void Dispose()
    {
        _document.Dispose();
        _package.Close();
    }

    internal static bool IsFormatProblem(Exception ex) =>
        ex is InvalidDataException or FileFormatException or OpenXmlPackageException or System.Xml.XmlException or FormatException
            or InvalidOperationException or NotSupportedException or ArgumentException or IOException;

    internal static Diagnostic Unreadable(string? source, Exception ex)
    {
        var reason = ex switch
        {
            InvalidDataException or FileFormatException => ("不是有效的 .xlsx（zip）檔案", "not a valid .xlsx (zip) file"),
            OpenXmlPackageException => ("不是 Excel 活頁簿", "not an Excel workbook"),
            System.Xml.XmlException => ("活頁簿內容的 XML 毀損", "the workbook's XML is corrupt"),
            _ => ("檔案毀損或格式不符", "the file is corrupt or of another format"),
        };
        return DiagnosticCatalog.Create(DiagnosticCodes.WorkbookUnreadable, new DiagnosticLocation(Source: source), reason.Item1, reason.Item2);
    }

    private static int ColumnIndex(string? reference, int fallback)
    {
        if (string.IsNullOrEmpty(reference))
        {
            return fallback;
        }

        var index = 0;
        var letters = 0;
        foreach (var c in reference)
        {
            if (c is < 'A' or > 'Z')
            {
                break;
            }

            index = (index * 26) + (c - 'A' + 1);
            letters++;
        }

        return letters is > 0 and <= 3 ? index - 1 : fallback;
    }

    private static string TextOf(OpenXmlElement container)
    {
        // Direct <t> and rich-text runs <r><t>; phonetic hints (<rPh>) are not part of the value.
        var sb = new StringBuilder();
        foreach (var child in container.ChildElements)
        {
            if (child is Text text)
            {
                sb.Append(text.Text);
            }
            else if (child is Run run && run.Text is { } runText)
            {
                sb.Append(runText.Text);
            }
        }

        return sb.ToString();
    }

    private void Report(Diagnostic diagnostic)
    {
        _diagnostics.Add(diagnostic);
        _budget.Trim(_diagnostics);
    }

    private IEnumerable<WorksheetRow> ReadRowsSafely(WorksheetPart part, string sheetName)
    {
        IEnumerator<WorksheetRow>? rows = null;
        try
        {
            var count = 0;
            while (true)
            {
                WorksheetRow row;
                try
                {
                    rows ??= ReadRowsCore(part, sheetName).GetEnumerator();
                    if (!rows.MoveNext())
                    {
                        yield break;
                    }

                    row = rows.Current;
                }
                catch (Exception ex) when (IsFormatProblem(ex) || ex is OutOfMemoryException or System.Xml.XmlException)
                {
                    Failed = true;
                    Report(Unreadable(_source, ex).At(new DiagnosticLocation(Source: _source, Sheet: sheetName)));
                    yield break;
                }

                if (++count > _limits.MaxRows)
                {
                    Report(ZipInspector.LimitExceeded(new DiagnosticLocation(Source: _source, Sheet: sheetName, Row: row.RowNumber), "工作表列數", "rows of a sheet", count, _limits.MaxRows));
                    yield break;
                }

                yield return row;
            }
        }
        finally
        {
            rows?.Dispose();
        }
    }

    private string? Bounded(string? value, string sheetName, int rowNumber, int column)
    {
        if (value is null || value.Length <= _limits.MaxCellLength)
        {
            return value;
        }

        Report(ZipInspector.LimitExceeded(new DiagnosticLocation(Source: _source, Sheet: sheetName, Row: rowNumber, Column: ColumnName(column)), "儲存格字數", "characters of a cell", value.Length, _limits.MaxCellLength));
        return value[.._limits.MaxCellLength];
    }

    private static string ColumnName(int index)
    {
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private IEnumerable<WorksheetRow> ReadRowsCore(WorksheetPart part, string sheetName)
    {
        using var reader = OpenXmlReader.Create(part);
        var cells = new List<string?>();
        var rowNumber = 0;
        var inRow = false;
        while (reader.Read())
        {
            if (reader.ElementType == typeof(Row))
            {
                if (reader.IsStartElement)
                {
                    inRow = true;
                    cells.Clear();
                    var r = reader.Attributes.FirstOrDefault(a => a.LocalName == "r").Value;
                    rowNumber = int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : rowNumber + 1;
                }
                else if (inRow)
                {
                    inRow = false;
                    if (cells.Count > 0)
                    {
                        yield return new WorksheetRow(rowNumber, cells.ToArray());
                    }
                }
            }
            else if (inRow && reader.ElementType == typeof(Cell) && reader.IsStartElement)
            {
                var cell = (Cell)reader.LoadCurrentElement()!;
                var index = ColumnIndex(cell.CellReference?.Value, cells.Count);
                while (cells.Count <= index)
                {
                    cells.Add(null);
                }

                cells[index] = Bounded(ValueOf(cell), sheetName, rowNumber, index);
            }
        }
    }

    private string? ValueOf(Cell cell)
    {
        var raw = cell.CellValue?.Text;

        // The raw attribute text, not the typed enum: a corrupt or unknown type must not throw.
        switch (cell.DataType?.InnerText)
        {
            case "inlineStr":
                return cell.InlineString is { } inline ? TextOf(inline) : null;
            case "s":
                var strings = _sharedStrings ??= LoadSharedStrings();
                return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < strings.Count ? strings[i] : null;
            case "b":
                return raw == "1" ? "TRUE" : "FALSE";
            default:
                return string.IsNullOrEmpty(raw) ? null : raw;
        }
    }

    private List<string> LoadSharedStrings()
    {
        var strings = new List<string>();
        if (_document.WorkbookPart?.SharedStringTablePart is not { } part)
        {
            return strings;
        }

        using var reader = OpenXmlReader.Create(part);
        while (reader.Read())
        {
            if (reader.ElementType == typeof(SharedStringItem) && reader.IsStartElement)
            {
                strings.Add(TextOf(reader.LoadCurrentElement()!));
            }
        }

        return strings;
    }
}
