using System.Buffers;
using System.Globalization;
using System.Text;

namespace Portfolio.Sdk.Rosters;

/// <summary>
/// Writes one worksheet part as UTF-8 bytes straight into its zip entry: a frozen header row, column widths and the
/// styles of <see cref="WorkbookStyles"/>. Cells carry no <c>r</c> reference unless an empty cell comes before them
/// (references are optional in SpreadsheetML; every reader places unreferenced cells one after the other), which
/// keeps the files small and the writer close to the cost of the bytes themselves.
/// </summary>
internal sealed class SheetXmlWriter : IDisposable
{
    private const int FlushAt = 60 * 1024;
    private readonly Stream _entry;
    private byte[] _buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
    private int _length;
    private int _column;
    private int _row;
    private bool _afterGap;
    private bool _disposed;

    public SheetXmlWriter(Stream entry, IReadOnlyList<double> columnWidths, bool freezeHeader)
    {
        _entry = entry;
        Ascii("""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"""u8);
        Ascii("""<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"""u8);
        if (freezeHeader)
        {
            Ascii("""<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft" activeCell="A2" sqref="A2"/></sheetView></sheetViews>"""u8);
        }

        if (columnWidths.Count > 0)
        {
            Ascii("<cols>"u8);
            for (var i = 0; i < columnWidths.Count; i++)
            {
                Ascii("<col min=\""u8);
                Integer(i + 1);
                Ascii("\" max=\""u8);
                Integer(i + 1);
                Ascii("\" width=\""u8);
                Invariant(columnWidths[i].ToString("0.##", CultureInfo.InvariantCulture));
                Ascii("\" customWidth=\"1\"/>"u8);
            }

            Ascii("</cols>"u8);
        }

        Ascii("<sheetData>"u8);
    }

    public void StartRow(int rowNumber)
    {
        _row = rowNumber;
        _column = 0;
        _afterGap = false;
        Ascii("<row r=\""u8);
        Integer(rowNumber);
        Ascii("\">"u8);
    }

    public void EndRow() => Ascii("</row>"u8);

    public void Skip()
    {
        _column++;
        _afterGap = true;
    }

    public void Text(string value, CellStyle style)
    {
        StartCell(style);
        Ascii("\" t=\"inlineStr\"><is>"u8);
        Ascii(value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])) ? "<t xml:space=\"preserve\">"u8 : "<t>"u8);
        Escaped(value);
        Ascii("</t></is></c>"u8);
    }

    public void Number(string value, CellStyle style)
    {
        StartCell(style);
        Ascii("\"><v>"u8);
        Invariant(value);
        Ascii("</v></c>"u8);
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Ascii("</sheetData></worksheet>"u8);
        Flush();
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = [];
        _entry.Dispose();
    }

    internal static string ColumnName(int index) => Diagnostics.DiagnosticLocation.SpreadsheetColumn(index);

    private void StartCell(CellStyle style)
    {
        Ascii("<c"u8);
        if (_afterGap)
        {
            Ascii(" r=\""u8);
            Invariant(ColumnName(_column));
            Integer(_row);
            Ascii("\""u8);
            _afterGap = false;
        }

        Ascii(" s=\""u8);
        Integer((int)style);
        _column++;
    }

    private void Ascii(ReadOnlySpan<byte> bytes)
    {
        Reserve(bytes.Length);
        bytes.CopyTo(_buffer.AsSpan(_length));
        _length += bytes.Length;
    }

    private void Integer(int value)
    {
        Reserve(11);
        value.TryFormat(_buffer.AsSpan(_length), out var written, default, CultureInfo.InvariantCulture);
        _length += written;
    }

    // Numbers and references: ASCII by construction (the writer checked the number parses invariantly).
    private void Invariant(string value)
    {
        Reserve(Encoding.UTF8.GetMaxByteCount(value.Length));
        _length += Encoding.UTF8.GetBytes(value, _buffer.AsSpan(_length));
    }

    // Text content: &, < and > escaped; characters XML 1.0 forbids (most controls, U+FFFE, U+FFFF) become U+FFFD,
    // since one of them would make the whole file unreadable. Runs without any go through the encoder in one call.
    private void Escaped(string value)
    {
        var span = value.AsSpan();
        while (!span.IsEmpty)
        {
            var special = span.IndexOfAny(Special);
            var run = special < 0 ? span : span[..special];
            if (!run.IsEmpty)
            {
                Reserve(Encoding.UTF8.GetMaxByteCount(run.Length));
                _length += Encoding.UTF8.GetBytes(run, _buffer.AsSpan(_length));
            }

            if (special < 0)
            {
                return;
            }

            Ascii(span[special] switch
            {
                '&' => "&amp;"u8,
                '<' => "&lt;"u8,
                '>' => "&gt;"u8,
                '\t' => "\t"u8,
                '\n' => "\n"u8,
                '\r' => "&#13;"u8,
                _ => "\uFFFD"u8,
            });
            span = span[(special + 1)..];
        }
    }

    private static readonly SearchValues<char> Special = SearchValues.Create(
        "&<>\uFFFE\uFFFF\u0000\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000A\u000B\u000C\u000D\u000E\u000F\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001A\u001B\u001C\u001D\u001E\u001F");

    private void Reserve(int bytes)
    {
        if (_length + bytes <= _buffer.Length)
        {
            return;
        }

        Flush();
        if (bytes > _buffer.Length)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = ArrayPool<byte>.Shared.Rent(bytes);
        }
    }

    private void Flush()
    {
        if (_length > 0)
        {
            _entry.Write(_buffer, 0, _length);
            _length = 0;
        }
    }
}

/// <summary>The cell formats of <see cref="WorkbookStyles.Xml"/>, by their index in <c>cellXfs</c>.</summary>
internal enum CellStyle
{
    /// <summary>Excel's default.</summary>
    Default = 0,

    /// <summary>A header: bold on a light fill, bordered, centred and wrapped, text format.</summary>
    Header = 1,

    /// <summary>Text (number format <c>@</c>), left-aligned: Excel neither flags nor converts codes such as <c>060322</c>.</summary>
    Text = 2,

    /// <summary>A number, right-aligned, shown with the decimals it has.</summary>
    Number = 3,
}

/// <summary>The styles part every roster workbook carries, and column widths by column type.</summary>
internal static class WorkbookStyles
{
    /// <summary>The styles part (<c>xl/styles.xml</c>); its <c>cellXfs</c> follow <see cref="CellStyle"/>.</summary>
    public static ReadOnlySpan<byte> Xml => """
        <?xml version="1.0" encoding="UTF-8" standalone="yes"?>
        <styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><fonts count="2"><font><sz val="12"/><name val="新細明體"/><family val="1"/><charset val="136"/></font><font><b/><sz val="12"/><name val="新細明體"/><family val="1"/><charset val="136"/></font></fonts><fills count="3"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill><fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill></fills><borders count="2"><border><left/><right/><top/><bottom/><diagonal/></border><border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right><top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="4"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="49" fontId="1" fillId="2" borderId="1" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1" applyBorder="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf><xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyAlignment="1"><alignment horizontal="left"/></xf><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="1"><alignment horizontal="right"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>
        """u8;

    /// <summary>Whether a column type is written as a number.</summary>
    public static bool IsNumeric(RosterColumnType type) => type is RosterColumnType.Score or RosterColumnType.Credits
        or RosterColumnType.Number or RosterColumnType.WholeNumber or RosterColumnType.SchoolYear or RosterColumnType.Term;

    /// <summary>
    /// A column's width in Excel's character units: wide enough for the values of its type (a 身分證號, a 23-character
    /// 課程代碼, a date) and for its header, counting a CJK character as two.
    /// </summary>
    public static double Width(RosterColumnType type, string header, int? maxLength)
    {
        double forValues = type switch
        {
            RosterColumnType.NationalId => 13,
            RosterColumnType.Date => 12,
            RosterColumnType.SchoolYear or RosterColumnType.Term => 7,
            RosterColumnType.WholeNumber or RosterColumnType.Number or RosterColumnType.Score or RosterColumnType.Credits => 9,
            RosterColumnType.Code or RosterColumnType.SchoolCode => 10,
            RosterColumnType.CodeList => 14,
            RosterColumnType.CourseCode => 27,
            RosterColumnType.Md5 => 35,
            RosterColumnType.Url => 40,
            _ => maxLength is { } max ? Math.Clamp(max + 2, 10, 40) : 20,
        };

        // Headers wrap onto two lines, so half their width (plus padding) is enough.
        var headerWidth = 0;
        foreach (var rune in header.EnumerateRunes())
        {
            headerWidth += rune.Value >= 0x1100 ? 2 : 1;
        }

        return Math.Min(60, Math.Max(forValues, Math.Ceiling(headerWidth / 2.0) + 3));
    }
}
