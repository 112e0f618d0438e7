using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;
using DocumentFormat.OpenXml.Packaging;
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
/// Reads any .xlsx workbook sheet by sheet, streaming (活頁簿讀取): rows come one at a time from an
/// <see cref="XmlReader"/> straight over the worksheet's zip entry; a sheet is never loaded whole, and the shared
/// strings are read once into an array. Reads workbooks this SDK wrote and those a vendor or Excel produced (shared
/// strings, inline strings, rich text, numbers, booleans).
/// </summary>
public sealed class RosterWorkbookReader : IDisposable
{
    private const string RelationshipsNamespace = "http://schemas.openxmlformats.org/package/2006/relationships";

    private static readonly XmlReaderSettings XmlSettings = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    private readonly ZipArchive _zip;
    private readonly Dictionary<string, ZipArchiveEntry> _parts;
    private readonly ZipArchiveEntry? _sharedStringsEntry;
    private readonly InputLimits _limits;
    private readonly string? _source;
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly DiagnosticBudget _budget;
    private string[]? _sharedStrings;

    private RosterWorkbookReader(ZipArchive zip, List<(string Name, ZipArchiveEntry Part)> sheets, ZipArchiveEntry? sharedStrings, InputLimits limits, string? source)
    {
        _zip = zip;
        _sharedStringsEntry = sharedStrings;
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
        ZipArchive? zip = null;
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

            zip = new ZipArchive(input, ZipArchiveMode.Read, leaveOpen: true);
            var entries = new Dictionary<string, ZipArchiveEntry>(StringComparer.OrdinalIgnoreCase);
            foreach (var entry in zip.Entries)
            {
                entries.TryAdd(entry.FullName, entry);
            }

            // The package's own checks, as System.IO.Packaging made them: a content-types part, then the main part.
            if (!entries.ContainsKey("[Content_Types].xml"))
            {
                throw new FileFormatException("the zip has no [Content_Types].xml");
            }

            var workbookName = Relationships(entries, string.Empty, "_rels/.rels").Values.FirstOrDefault(r => r.Type.EndsWith("/officeDocument", StringComparison.Ordinal)).Target;
            if (workbookName is null || !entries.TryGetValue(workbookName, out var workbookEntry))
            {
                throw new OpenXmlPackageException("the package has no workbook part");
            }

            var folder = workbookName.LastIndexOf('/') is var slash and >= 0 ? workbookName[..(slash + 1)] : string.Empty;
            var relationships = Relationships(entries, folder, folder + "_rels/" + workbookName[folder.Length..] + ".rels");
            var sheets = new List<(string, ZipArchiveEntry)>();
            foreach (var (name, id) in SheetsOf(workbookEntry))
            {
                if (!relationships.TryGetValue(id, out var relationship))
                {
                    throw new ArgumentOutOfRangeException(nameof(input), "a sheet names a relationship the workbook does not have");
                }

                // Only worksheets (a chartsheet or dialog sheet has no rows), and only parts that exist.
                if (relationship.Type.EndsWith("/worksheet", StringComparison.Ordinal) && entries.TryGetValue(relationship.Target, out var part))
                {
                    sheets.Add((name, part));
                }
            }

            var sharedStrings = relationships.Values.FirstOrDefault(r => r.Type.EndsWith("/sharedStrings", StringComparison.Ordinal)).Target is { } stringsName
                && entries.TryGetValue(stringsName, out var stringsEntry) ? stringsEntry : null;
            return ParseOutcome.From<RosterWorkbookReader>(new RosterWorkbookReader(zip, sheets, sharedStrings, limits, source), diagnostics);
        }
        catch (Exception ex) when (IsFormatProblem(ex))
        {
            zip?.Dispose();
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
    public void Dispose() => _zip.Dispose();

    internal static bool IsFormatProblem(Exception ex) =>
        ex is InvalidDataException or FileFormatException or OpenXmlPackageException or XmlException or FormatException
            or InvalidOperationException or NotSupportedException or ArgumentException or IOException;

    internal static Diagnostic Unreadable(string? source, Exception ex)
    {
        var reason = ex switch
        {
            InvalidDataException or FileFormatException => ("不是有效的 .xlsx（zip）檔案", "not a valid .xlsx (zip) file"),
            OpenXmlPackageException => ("不是 Excel 活頁簿", "not an Excel workbook"),
            XmlException => ("活頁簿內容的 XML 毀損", "the workbook's XML is corrupt"),
            _ => ("檔案毀損或格式不符", "the file is corrupt or of another format"),
        };
        return DiagnosticCatalog.Create(DiagnosticCodes.WorkbookUnreadable, new DiagnosticLocation(Source: source), reason.Item1, reason.Item2);
    }

    // A relationship target as a zip entry name: relative to the source part's folder, or absolute from the root.
    internal static string ResolveTarget(string folder, string target)
    {
        target = Uri.UnescapeDataString(target).Replace('\\', '/');
        var path = target.StartsWith('/') ? target[1..] : folder + target;
        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment == "..")
            {
                if (segments.Count > 0)
                {
                    segments.RemoveAt(segments.Count - 1);
                }
            }
            else if (segment is not ("." or ""))
            {
                segments.Add(segment);
            }
        }

        return string.Join('/', segments);
    }

    // The relationships of a part, by id: (type, target as a zip entry name resolved against the part's folder).
    private static Dictionary<string, (string Type, string Target)> Relationships(Dictionary<string, ZipArchiveEntry> entries, string folder, string relsName)
    {
        var result = new Dictionary<string, (string, string)>(StringComparer.Ordinal);
        if (!entries.TryGetValue(relsName, out var rels))
        {
            return result;
        }

        using var xml = XmlReader.Create(rels.Open(), XmlSettings);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && xml.LocalName == "Relationship" && xml.NamespaceURI == RelationshipsNamespace
                && xml.GetAttribute("Id") is { } id && xml.GetAttribute("Target") is { } target && xml.GetAttribute("TargetMode") is null or "Internal")
            {
                result.TryAdd(id, (xml.GetAttribute("Type") ?? string.Empty, ResolveTarget(folder, target)));
            }
        }

        return result;
    }

    // The sheets listed in workbook.xml, in order: (name, relationship id).
    private static List<(string Name, string Id)> SheetsOf(ZipArchiveEntry workbook)
    {
        var sheets = new List<(string, string)>();
        using var xml = XmlReader.Create(workbook.Open(), XmlSettings);
        while (xml.Read())
        {
            if (xml.NodeType != XmlNodeType.Element || xml.LocalName != "sheet")
            {
                continue;
            }

            string? id = null;
            string? name = null;
            while (xml.MoveToNextAttribute())
            {
                if (xml.LocalName == "id" && xml.NamespaceURI.EndsWith("/officeDocument/2006/relationships", StringComparison.Ordinal))
                {
                    id = xml.Value;
                }
                else if (xml.LocalName == "name" && xml.NamespaceURI.Length == 0)
                {
                    name = xml.Value;
                }
            }

            if (id is not null)
            {
                sheets.Add((name ?? string.Empty, id));
            }
        }

        return sheets;
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

    private static string ColumnName(int index)
    {
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    // The value of the <c> element the reader is on, read to its end: its first <v>, or its inline string for
    // t="inlineStr"; shared strings by index; booleans as TRUE/FALSE. The raw type text, not an enum: a corrupt or
    // unknown type must not throw.
    private static string? ValueOf(XmlReader xml, XmlNames names, string? type, string[] strings)
    {
        string? raw = null;
        string? inline = null;
        var hasInline = false;
        if (!xml.IsEmptyElement)
        {
            var depth = xml.Depth;
            while (xml.Read() && xml.Depth > depth)
            {
                if (xml.NodeType != XmlNodeType.Element || xml.Depth != depth + 1)
                {
                    continue;
                }

                if (ReferenceEquals(xml.LocalName, names.Value) && raw is null)
                {
                    raw = ReadText(xml);
                }
                else if (ReferenceEquals(xml.LocalName, names.InlineString) && !hasInline)
                {
                    hasInline = true;
                    inline = TextOf(xml, names);
                }
            }
        }

        switch (type)
        {
            case "inlineStr":
                return hasInline ? inline : null;
            case "s":
                return int.TryParse(raw, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < strings.Length ? strings[i] : null;
            case "b":
                return raw == "1" ? "TRUE" : "FALSE";
            default:
                return string.IsNullOrEmpty(raw) ? null : raw;
        }
    }

    // The text content of the element the reader is on (text, CDATA and white space), leaving the reader on its end.
    private static string ReadText(XmlReader xml)
    {
        if (xml.IsEmptyElement)
        {
            return string.Empty;
        }

        var depth = xml.Depth;
        string? first = null;
        StringBuilder? more = null;
        while (xml.Read() && xml.Depth > depth)
        {
            if (xml.NodeType is XmlNodeType.Text or XmlNodeType.CDATA or XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace)
            {
                if (first is null)
                {
                    first = xml.Value;
                }
                else
                {
                    (more ??= new StringBuilder(first)).Append(xml.Value);
                }
            }
        }

        return more?.ToString() ?? first ?? string.Empty;
    }

    // The text of a string item (<si>, <is>): its direct <t> and the first <t> of each rich-text run <r>; phonetic
    // hints (<rPh>) are not part of the value. Leaves the reader on the container's end.
    private static string TextOf(XmlReader xml, XmlNames names)
    {
        if (xml.IsEmptyElement)
        {
            return string.Empty;
        }

        var depth = xml.Depth;
        string? first = null;
        StringBuilder? more = null;
        var runDepth = -1;
        var runHasText = false;
        while (xml.Read() && xml.Depth > depth)
        {
            if (xml.NodeType == XmlNodeType.EndElement)
            {
                if (xml.Depth == runDepth)
                {
                    runDepth = -1;
                }

                continue;
            }

            if (xml.NodeType != XmlNodeType.Element)
            {
                continue;
            }

            var name = xml.LocalName;
            string? text = null;
            if (xml.Depth == depth + 1 && ReferenceEquals(name, names.Text))
            {
                text = ReadText(xml);
            }
            else if (xml.Depth == depth + 1 && ReferenceEquals(name, names.Run))
            {
                runDepth = xml.IsEmptyElement ? -1 : xml.Depth;
                runHasText = false;
            }
            else if (runDepth >= 0 && xml.Depth == runDepth + 1 && ReferenceEquals(name, names.Text) && !runHasText)
            {
                runHasText = true;   // a run's text is its first <t>
                text = ReadText(xml);
            }

            // Anything else (<rPh> phonetic hints, run properties) is passed over; its own <t> sit deeper and are not read.
            if (text is not null)
            {
                if (first is null)
                {
                    first = text;
                }
                else
                {
                    (more ??= new StringBuilder(first)).Append(text);
                }
            }
        }

        return more?.ToString() ?? first ?? string.Empty;
    }

    private void Report(Diagnostic diagnostic)
    {
        _diagnostics.Add(diagnostic);
        _budget.Trim(_diagnostics);
    }

    private IEnumerable<WorksheetRow> ReadRowsSafely(ZipArchiveEntry part, string sheetName)
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
                catch (Exception ex) when (IsFormatProblem(ex) || ex is OutOfMemoryException or XmlException)
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

    private IEnumerable<WorksheetRow> ReadRowsCore(ZipArchiveEntry part, string sheetName)
    {
        var strings = _sharedStrings ??= LoadSharedStrings();
        using var xml = XmlReader.Create(part.Open(), XmlSettings);
        var names = new XmlNames(xml.NameTable);
        var cells = new List<string?>();
        var rowNumber = 0;
        var inRow = false;
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element)
            {
                var name = xml.LocalName;
                if (ReferenceEquals(name, names.Row))
                {
                    rowNumber = int.TryParse(xml.GetAttribute("r"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : rowNumber + 1;
                    cells.Clear();
                    inRow = !xml.IsEmptyElement;
                }
                else if (inRow && ReferenceEquals(name, names.Cell))
                {
                    string? reference = null;
                    string? type = null;
                    while (xml.MoveToNextAttribute())
                    {
                        if (ReferenceEquals(xml.LocalName, names.Reference) && xml.NamespaceURI.Length == 0)
                        {
                            reference = xml.Value;
                        }
                        else if (ReferenceEquals(xml.LocalName, names.Type) && xml.NamespaceURI.Length == 0)
                        {
                            type = xml.Value;
                        }
                    }

                    xml.MoveToElement();
                    var index = ColumnIndex(reference, cells.Count);
                    while (cells.Count <= index)
                    {
                        cells.Add(null);
                    }

                    cells[index] = Bounded(ValueOf(xml, names, type, strings), sheetName, rowNumber, index);
                }
            }
            else if (xml.NodeType == XmlNodeType.EndElement && inRow && ReferenceEquals(xml.LocalName, names.Row))
            {
                inRow = false;
                if (cells.Count > 0)
                {
                    yield return new WorksheetRow(rowNumber, cells.ToArray());
                }
            }
        }
    }

    private string[] LoadSharedStrings()
    {
        if (_sharedStringsEntry is null)
        {
            return [];
        }

        var strings = new List<string>();
        using var xml = XmlReader.Create(_sharedStringsEntry.Open(), XmlSettings);
        var names = new XmlNames(xml.NameTable);
        while (xml.Read())
        {
            if (xml.NodeType == XmlNodeType.Element && ReferenceEquals(xml.LocalName, names.StringItem))
            {
                strings.Add(TextOf(xml, names));
            }
        }

        return [.. strings];
    }

    // Element and attribute names atomised in the reader's name table, so that names compare by reference.
    private sealed class XmlNames(XmlNameTable table)
    {
        public string Row { get; } = table.Add("row");

        public string Cell { get; } = table.Add("c");

        public string Value { get; } = table.Add("v");

        public string InlineString { get; } = table.Add("is");

        public string Text { get; } = table.Add("t");

        public string Run { get; } = table.Add("r");

        public string Reference { get; } = table.Add("r");

        public string Type { get; } = table.Add("t");

        public string StringItem { get; } = table.Add("si");
    }
}
