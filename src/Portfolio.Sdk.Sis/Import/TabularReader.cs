using System.Globalization;
using System.Text;
using ExcelDataReader;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Input;
using Portfolio.Sdk.Rosters;

namespace Portfolio.Sdk.Sis.Import;

/// <summary>The formats <see cref="TabularReader"/> reads.</summary>
public enum TabularFormat
{
    /// <summary>Excel 2007+ workbook (.xlsx).</summary>
    Xlsx = 1,

    /// <summary>Legacy Excel 97–2003 workbook (.xls).</summary>
    Xls,

    /// <summary>Comma-separated values, RFC 4180 (UTF-8 with or without BOM, UTF-16 with BOM, or Big5).</summary>
    Csv,
}

/// <summary>
/// Reads one sheet of a school's import file as rows of text (匯入檔讀取), streaming: .xlsx, legacy .xls and
/// CSV. The format is recognised by content, not by name; a CSV without a byte-order mark is read as UTF-8 when
/// its first 64 KiB are valid UTF-8, else as Big5 (code page 950), which Taiwanese school files still use.
/// Dates in Excel cells become <c>yyyy/MM/dd</c>; numbers use invariant formatting.
/// </summary>
public sealed class TabularReader : IDisposable
{
    private const int SniffLength = 64 * 1024;

    private readonly Func<IEnumerable<WorksheetRow>> _rows;
    private readonly IDisposable? _owned;
    private readonly List<Diagnostic> _diagnostics = [];
    private readonly InputLimits _limits;
    private readonly string? _source;

    static TabularReader() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    private TabularReader(TabularFormat format, Encoding? encoding, Func<TabularReader, IEnumerable<WorksheetRow>> rows, IDisposable? owned, InputLimits limits, string? source)
    {
        Format = format;
        Encoding = encoding;
        _rows = () => rows(this);
        _owned = owned;
        _limits = limits;
        _source = source;
    }

    /// <summary>Gets the recognised format.</summary>
    public TabularFormat Format { get; }

    /// <summary>Gets the text encoding of a CSV file.</summary>
    public Encoding? Encoding { get; }

    /// <summary>
    /// Gets the problems met while reading rows: a cell or field cut at <see cref="InputLimits.MaxCellLength"/> or
    /// rows cut at <see cref="InputLimits.MaxRows"/> (<c>PF1309</c>), an unterminated CSV quote (<c>PF2205</c>), corrupt
    /// content that ended the rows early (<c>PF2201</c>). Reading rows never throws for bad content.
    /// </summary>
    public IReadOnlyList<Diagnostic> Diagnostics => _owned is RosterWorkbookReader workbook ? [.. _diagnostics, .. workbook.Diagnostics] : _diagnostics;

    /// <summary>Opens an import file.</summary>
    /// <param name="input">A readable, seekable stream; left open.</param>
    /// <param name="source">The file name, for diagnostics.</param>
    /// <param name="preferredSheet">In a workbook, the sheet to read when present (e.g. the sheet of a roster template); else the first sheet.</param>
    /// <param name="limits">The reading limits; <see cref="InputLimits.Default"/> when <see langword="null"/>.</param>
    /// <returns>The reader, or why the file cannot be read (<c>PF2201</c>, with the limit or zip problem when there is one).</returns>
    public static ParseOutcome<TabularReader> Open(Stream input, string? source = null, string? preferredSheet = null, InputLimits? limits = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        limits = (limits ?? InputLimits.Default).Validate();
        var at = new DiagnosticLocation(Source: source);
        var head = new byte[8];
        var read = input.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        input.Position = 0;
        try
        {
            if (read >= 4 && head.AsSpan(0, 4).SequenceEqual("PK\u0003\u0004"u8))
            {
                var opened = RosterWorkbookReader.Open(input, source, limits);
                if (!opened.Success)
                {
                    return ParseOutcome.From<TabularReader>(null, [Unreadable(at, "不是有效的 .xlsx", "not a valid .xlsx"), .. opened.Diagnostics.Where(d => d.Code != DiagnosticCodes.WorkbookUnreadable || d.Location?.Path is not null)]);
                }

                var workbook = opened.Value!;
                var sheet = preferredSheet is not null && workbook.SheetNames.Contains(preferredSheet) ? preferredSheet
                    : workbook.SheetNames.Count > 0 ? workbook.SheetNames[0] : null;
                return ParseOutcome.From<TabularReader>(new TabularReader(TabularFormat.Xlsx, null, _ => sheet is null ? [] : workbook.ReadRows(sheet), workbook, limits, source), []);
            }

            if (read >= 8 && head.AsSpan(0, 8).SequenceEqual((ReadOnlySpan<byte>)[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]))
            {
                // A legacy workbook is not compressed, but ExcelDataReader holds its sheet streams: bound the file itself
                // as one entry of a zip is bounded (the input is seekable here: it was rewound above).
                if (input.Length > limits.MaxEntryBytes)
                {
                    return ParseOutcome.From<TabularReader>(null, [InputDiagnostics.LimitExceeded(at, ".xls 檔案大小（位元組）", "size of the .xls file (bytes)", input.Length, limits.MaxEntryBytes)]);
                }

                var excel = ExcelReaderFactory.CreateBinaryReader(input, new ExcelReaderConfiguration { LeaveOpen = true, FallbackEncoding = Encoding.GetEncoding(950) });
                if (preferredSheet is not null)
                {
                    // Move to the preferred sheet if the workbook has it; otherwise stay on the first.
                    for (var i = 0; i < excel.ResultsCount && excel.Name != preferredSheet; i++)
                    {
                        excel.NextResult();
                    }

                    if (excel.Name != preferredSheet)
                    {
                        excel.Reset();
                    }
                }

                return ParseOutcome.From<TabularReader>(new TabularReader(TabularFormat.Xls, null, r => r.Guarded(r.ReadExcel(excel)), excel, limits, source), []);
            }

            var encoding = DetectEncoding(input);
            return ParseOutcome.From<TabularReader>(new TabularReader(TabularFormat.Csv, encoding, r => r.Guarded(r.ReadCsv(input, encoding)), null, limits, source), []);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException or NotSupportedException or InvalidOperationException or FormatException
            or System.Xml.XmlException or ExcelDataReader.Exceptions.ExcelReaderException)
        {
            return ParseOutcome.Failure<TabularReader>(Unreadable(at, "檔案毀損或格式不符", "the file is corrupt or of another format"));
        }
    }

    /// <summary>Reads the rows of the first sheet, one at a time (the header is row 1).</summary>
    /// <returns>The rows with their 1-based row numbers; rows with no cells are skipped.</returns>
    public IEnumerable<WorksheetRow> ReadRows() => _rows();

    /// <inheritdoc />
    public void Dispose() => _owned?.Dispose();

    internal static Diagnostic Unreadable(DiagnosticLocation at, string zh, string en) =>
        DiagnosticCatalog.Create(DiagnosticCodes.ImportFileUnreadable, at, zh, en);

    private static Encoding DetectEncoding(Stream input)
    {
        var buffer = new byte[SniffLength];
        var length = input.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        input.Position = 0;
        var span = buffer.AsSpan(0, length);
        if (span.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            return new UTF8Encoding(true);
        }

        if (span.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xFE]) || span.StartsWith((ReadOnlySpan<byte>)[0xFE, 0xFF]))
        {
            return span[0] == 0xFF ? Encoding.Unicode : Encoding.BigEndianUnicode;
        }

        // A multi-byte character cut at the end of the sample is not a reason to reject UTF-8.
        var trimmed = length == SniffLength ? span[..TrimIncompleteUtf8(span)] : span;
        return System.Text.Unicode.Utf8.IsValid(trimmed) ? new UTF8Encoding(false) : Encoding.GetEncoding(950);
    }

    private static int TrimIncompleteUtf8(ReadOnlySpan<byte> span)
    {
        var end = span.Length;
        for (var back = 1; back <= 3 && end - back >= 0; back++)
        {
            if ((span[end - back] & 0xC0) != 0x80)
            {
                return (span[end - back] & 0x80) == 0 ? end : end - back;
            }
        }

        return end;
    }

    // Ends the rows with a diagnostic instead of an exception when the content turns out to be corrupt.
    private IEnumerable<WorksheetRow> Guarded(IEnumerable<WorksheetRow> rows)
    {
        using var enumerator = rows.GetEnumerator();
        while (true)
        {
            try
            {
                if (!enumerator.MoveNext())
                {
                    yield break;
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or ArgumentException or NotSupportedException or InvalidOperationException or FormatException
                or InvalidCastException or IndexOutOfRangeException or System.Xml.XmlException or DecoderFallbackException or ExcelDataReader.Exceptions.ExcelReaderException)
            {
                _diagnostics.Add(Unreadable(new DiagnosticLocation(Source: _source), "檔案內容毀損，其後的列無法讀取", "the file's content is corrupt; the rows after this point cannot be read"));
                yield break;
            }

            yield return enumerator.Current;
        }
    }

    private IEnumerable<WorksheetRow> ReadCsv(Stream input, Encoding encoding)
    {
        using var text = new StreamReader(input, encoding, detectEncodingFromByteOrderMarks: true, leaveOpen: true);
        foreach (var row in CsvRows.Read(text, _limits, _source, _diagnostics))
        {
            yield return row;
        }
    }

    private IEnumerable<WorksheetRow> ReadExcel(IExcelDataReader excel)
    {
        var row = 0;
        while (excel.Read())
        {
            row++;
            if (row > _limits.MaxRows)
            {
                _diagnostics.Add(InputDiagnostics.LimitExceeded(new DiagnosticLocation(Source: _source, Row: row), "工作表列數", "rows of a sheet", row, _limits.MaxRows));
                yield break;
            }

            var cells = new string?[excel.FieldCount];
            for (var i = 0; i < cells.Length; i++)
            {
                cells[i] = excel.GetValue(i) switch
                {
                    null => null,
                    DateTime date => date.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture),
                    double number => number.ToString("R", CultureInfo.InvariantCulture),
                    bool flag => flag ? "TRUE" : "FALSE",
                    var other => Convert.ToString(other, CultureInfo.InvariantCulture),
                };
                if (cells[i] is { } text && text.Length > _limits.MaxCellLength)
                {
                    _diagnostics.Add(InputDiagnostics.LimitExceeded(new DiagnosticLocation(Source: _source, Row: row, Column: (i + 1).ToString(CultureInfo.InvariantCulture)), "儲存格字數", "characters of a cell", text.Length, _limits.MaxCellLength));
                    cells[i] = text[.._limits.MaxCellLength];
                }
            }

            if (cells.Any(c => !string.IsNullOrWhiteSpace(c)))
            {
                yield return new WorksheetRow(row, cells);
            }
        }
    }
}
