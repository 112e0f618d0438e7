using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Xml;

namespace Portfolio.Sdk.Rosters;

/// <summary>
/// Writes a roster book as an .xlsx workbook, streaming (名冊寫出): rows go straight from the caller into the
/// worksheet's zip entry as UTF-8 bytes; no sheet or workbook is held in memory, so memory does not grow with the
/// number of rows.
/// </summary>
/// <remarks>
/// <para>The cover comes first, then every sheet of the book in catalogue order. Sheets are written one at a time:
/// <see cref="BeginSheet(string)"/> a sheet, write its rows, dispose it, then begin the next. Sheets never begun
/// are written with their header row only when the workbook is completed.</para>
/// <para>IDs, school codes, course codes and other codes are written as text (leading zeros kept); scores, credits
/// and numbers as numbers; <c>-1</c> ("no value") as the number -1. The writer does not validate: run rows through
/// <see cref="RosterRowValidator"/> first, or use <see cref="RosterSheetWriter.WriteRow(IReadOnlyList{string?})"/> after
/// validation.</para>
/// <para>The workbook is laid out for a clerk: a bold, wrapped header row that stays frozen while scrolling, column
/// widths from each column's type, codes and IDs in text format (<c>@</c>) so that Excel neither flags them nor
/// offers to turn <c>060322</c> into <c>60322</c>, numbers right-aligned, and document properties naming the book,
/// school and term. The bytes are deterministic: the same content gives the same file (fixed entry times, fixed
/// order), so a content hash tells a real change from a rebuild.</para>
/// </remarks>
public sealed class RosterWorkbookWriter : IDisposable
{
    private const string SpreadsheetNamespace = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private const string RelationshipNamespace = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private const string PackageRelationshipNamespace = "http://schemas.openxmlformats.org/package/2006/relationships";
    private const string WorksheetRelationshipType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet";
    private const string StylesRelationshipType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles";

    // Entry times are fixed so that the same content always gives the same bytes (zip stores local clock time; the
    // DOS epoch is the earliest it can hold).
    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);

    // System.IO.Packaging buffers every part in memory unless the package is write-only, which the OpenXml SDK
    // does not accept; so the zip is assembled here in create (streaming) mode, and each worksheet entry is
    // written by OpenXmlWriter as rows arrive.
    private readonly ZipArchive _zip;
    private readonly List<(string Name, string EntryName)> _written = [];
    private readonly HashSet<string> _begun = new(StringComparer.Ordinal);
    private RosterSheetWriter? _current;
    private bool _completed;

    private RosterWorkbookWriter(Stream output, RosterBook book, RosterCover cover)
    {
        Book = book;
        Cover = cover;
        _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
        WriteCover();
    }

    /// <summary>Gets the book being written.</summary>
    public RosterBook Book { get; }

    /// <summary>Gets the cover.</summary>
    public RosterCover Cover { get; }

    /// <summary>Starts writing a workbook to <paramref name="output"/>.</summary>
    /// <param name="output">A writable stream; it need not be seekable and is left open.</param>
    /// <param name="book">The roster book.</param>
    /// <param name="cover">The cover values.</param>
    /// <returns>The writer; call <see cref="Complete"/> when every sheet is written.</returns>
    public static RosterWorkbookWriter Create(Stream output, RosterBook book, RosterCover cover)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(cover);
        return new RosterWorkbookWriter(output, book, cover);
    }

    /// <summary>Begins a data sheet. Dispose the returned writer before beginning another sheet.</summary>
    /// <param name="sheetIdOrName">The sheet identifier (<c>semester-grades</c>) or Chinese name (<c>學期成績</c>).</param>
    /// <returns>The sheet writer, with the header row already written.</returns>
    /// <exception cref="ArgumentException">The book has no such sheet, or it was already written.</exception>
    /// <exception cref="InvalidOperationException">Another sheet is still open.</exception>
    /// <exception cref="ObjectDisposedException">The workbook is complete.</exception>
    public RosterSheetWriter BeginSheet(string sheetIdOrName)
    {
        ArgumentNullException.ThrowIfNull(sheetIdOrName);
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_current is { IsOpen: true })
        {
            throw new InvalidOperationException($"Sheet '{_current.Layout.Sheet.Name}' is still open; dispose it first.");
        }

        var sheet = Book.FindSheet(sheetIdOrName) ?? throw new ArgumentException($"Book '{Book.Id}' has no sheet '{sheetIdOrName}'.", nameof(sheetIdOrName));
        if (!_begun.Add(sheet.Id))
        {
            throw new ArgumentException($"Sheet '{sheet.Name}' was already written.", nameof(sheetIdOrName));
        }

        _current = new RosterSheetWriter(NewWorksheet(sheet.Name), sheet.LayoutFor(Cover.Year));
        return _current;
    }

    /// <summary>Writes the sheets not yet written (header only) and the workbook parts, and closes the zip.</summary>
    public void Complete()
    {
        if (_completed)
        {
            return;
        }

        _current?.Dispose();
        foreach (var sheet in Book.Sheets.Where(s => !_begun.Contains(s.Id)))
        {
            BeginSheet(sheet.Id).Dispose();
        }

        var order = Book.Sheets.Select(s => s.Name).Prepend(RosterBook.CoverSheetName).ToList();
        var sheets = _written.OrderBy(w => order.IndexOf(w.Name)).ToList();
        WriteXml("[Content_Types].xml", xml =>
        {
            xml.WriteStartElement("Types", "http://schemas.openxmlformats.org/package/2006/content-types");
            Default(xml, "rels", "application/vnd.openxmlformats-package.relationships+xml");
            Default(xml, "xml", "application/xml");
            Override(xml, "/xl/workbook.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml");
            Override(xml, "/xl/styles.xml", "application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml");
            Override(xml, "/docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml");
            Override(xml, "/docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml");
            foreach (var (_, entry) in sheets)
            {
                Override(xml, "/" + entry, "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml");
            }

            xml.WriteEndElement();
        });
        WriteXml("_rels/.rels", xml =>
        {
            xml.WriteStartElement("Relationships", PackageRelationshipNamespace);
            Relationship(xml, "rId1", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument", "xl/workbook.xml");
            Relationship(xml, "rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties", "docProps/core.xml");
            Relationship(xml, "rId3", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties", "docProps/app.xml");
            xml.WriteEndElement();
        });
        WriteXml("xl/_rels/workbook.xml.rels", xml =>
        {
            xml.WriteStartElement("Relationships", PackageRelationshipNamespace);
            for (var i = 0; i < sheets.Count; i++)
            {
                Relationship(xml, $"rId{i + 1}", WorksheetRelationshipType, sheets[i].EntryName["xl/".Length..]);
            }

            Relationship(xml, $"rId{sheets.Count + 1}", StylesRelationshipType, "styles.xml");

            xml.WriteEndElement();
        });
        WriteXml("xl/workbook.xml", xml =>
        {
            xml.WriteStartElement("workbook", SpreadsheetNamespace);
            xml.WriteAttributeString("xmlns", "r", null, RelationshipNamespace);
            xml.WriteStartElement("sheets", SpreadsheetNamespace);
            for (var i = 0; i < sheets.Count; i++)
            {
                xml.WriteStartElement("sheet", SpreadsheetNamespace);
                xml.WriteAttributeString("name", sheets[i].Name);
                xml.WriteAttributeString("sheetId", (i + 1).ToString(CultureInfo.InvariantCulture));
                xml.WriteAttributeString("id", RelationshipNamespace, $"rId{i + 1}");
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
        });

        using (var styles = NewEntry("xl/styles.xml"))
        {
            styles.Write(WorkbookStyles.Xml);
        }

        WriteXml("docProps/core.xml", xml =>
        {
            const string Core = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties";
            const string Elements = "http://purl.org/dc/elements/1.1/";
            xml.WriteStartElement("cp", "coreProperties", Core);
            xml.WriteAttributeString("xmlns", "dc", null, Elements);
            xml.WriteElementString("dc", "title", Elements, Book.Name);
            xml.WriteElementString("dc", "subject", Elements, string.Create(CultureInfo.InvariantCulture,
                $"{Cover.School.Value} {Cover.Year.RocYear}-{(int)Cover.Term}"));
            xml.WriteElementString("dc", "creator", Elements, "Portfolio.Sdk");
            xml.WriteElementString("cp", "keywords", Core, "學生學習歷程檔案");
            xml.WriteEndElement();
        });
        WriteXml("docProps/app.xml", xml =>
        {
            xml.WriteStartElement("Properties", "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties");
            xml.WriteElementString("Application", "http://schemas.openxmlformats.org/officeDocument/2006/extended-properties", "Portfolio.Sdk");
            xml.WriteEndElement();
        });

        _completed = true;
        _zip.Dispose();
    }

    /// <summary>Completes the workbook if needed and closes the zip.</summary>
    public void Dispose()
    {
        if (!_completed)
        {
            Complete();
        }
    }

    private static void Default(XmlWriter xml, string extension, string contentType)
    {
        xml.WriteStartElement("Default", "http://schemas.openxmlformats.org/package/2006/content-types");
        xml.WriteAttributeString("Extension", extension);
        xml.WriteAttributeString("ContentType", contentType);
        xml.WriteEndElement();
    }

    private static void Override(XmlWriter xml, string partName, string contentType)
    {
        xml.WriteStartElement("Override", "http://schemas.openxmlformats.org/package/2006/content-types");
        xml.WriteAttributeString("PartName", partName);
        xml.WriteAttributeString("ContentType", contentType);
        xml.WriteEndElement();
    }

    private static void Relationship(XmlWriter xml, string id, string type, string target)
    {
        xml.WriteStartElement("Relationship", PackageRelationshipNamespace);
        xml.WriteAttributeString("Id", id);
        xml.WriteAttributeString("Type", type);
        xml.WriteAttributeString("Target", target);
        xml.WriteEndElement();
    }

    private void WriteXml(string entryName, Action<XmlWriter> write)
    {
        using var stream = NewEntry(entryName);
        using var xml = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false) });
        xml.WriteStartDocument(standalone: true);
        write(xml);
        xml.WriteEndDocument();
    }

    private Stream NewEntry(string entryName)
    {
        var entry = _zip.CreateEntry(entryName, CompressionLevel.Fastest);
        entry.LastWriteTime = EntryTime;
        return entry.Open();
    }

    private Stream NewWorksheet(string name)
    {
        var entryName = $"xl/worksheets/sheet{_written.Count + 1}.xml";
        _written.Add((name, entryName));
        return NewEntry(entryName);
    }

    private void WriteCover()
    {
        double[] widths = [12, 10, 8, Math.Max(20, Book.Name.Length * 2 + 2)];
        using var cells = new SheetXmlWriter(NewWorksheet(RosterBook.CoverSheetName), widths, freezeHeader: false);
        cells.StartRow(1);
        foreach (var header in RosterCover.Headers)
        {
            cells.Text(header, CellStyle.Header);
        }

        cells.EndRow();
        cells.StartRow(2);
        if (Cover.School.Value.Length > 0)
        {
            cells.Text(Cover.School.Value, CellStyle.Text);
        }
        else
        {
            cells.Skip();
        }

        cells.Number(Cover.Year.RocYear.ToString(CultureInfo.InvariantCulture), CellStyle.Number);
        cells.Number(((int)Cover.Term).ToString(CultureInfo.InvariantCulture), CellStyle.Number);
        cells.Text(Book.Name, CellStyle.Text);
        cells.EndRow();
    }
}

/// <summary>Writes the rows of one roster sheet; obtained from <see cref="RosterWorkbookWriter.BeginSheet(string)"/>.</summary>
public sealed class RosterSheetWriter : IDisposable
{
    private readonly SheetXmlWriter _cells;
    private readonly bool[] _numeric;
    private readonly string?[] _buffer;

    internal RosterSheetWriter(Stream entry, RosterSheetLayout layout)
    {
        Layout = layout;
        _numeric = [.. layout.Columns.Select(c => WorkbookStyles.IsNumeric(c.Type))];
        _buffer = new string?[layout.Columns.Count];
        _cells = new SheetXmlWriter(entry, [.. layout.Columns.Select(c => WorkbookStyles.Width(c.Type, c.Header, c.MaxLength))], freezeHeader: true);
        _cells.StartRow(1);
        foreach (var column in layout.Columns)
        {
            _cells.Text(column.Header, CellStyle.Header);
        }

        _cells.EndRow();
        IsOpen = true;
    }

    /// <summary>Gets the columns of this sheet for the workbook's school year.</summary>
    public RosterSheetLayout Layout { get; }

    /// <summary>Gets the number of data rows written so far.</summary>
    public int RowCount { get; private set; }

    internal bool IsOpen { get; private set; }

    /// <summary>Writes one data row; <paramref name="values"/> follow <see cref="Layout"/>'s column order.</summary>
    /// <param name="values">The cell values as text; <see langword="null"/> or empty leaves a cell empty.</param>
    /// <exception cref="ArgumentException">The number of values is not the number of columns.</exception>
    /// <exception cref="ObjectDisposedException">The sheet was disposed.</exception>
    public void WriteRow(IReadOnlyList<string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        ObjectDisposedException.ThrowIf(!IsOpen, this);
        if (values.Count != _numeric.Length)
        {
            throw new ArgumentException($"Sheet '{Layout.Sheet.Name}' has {_numeric.Length} columns; got {values.Count} values.", nameof(values));
        }

        _cells.StartRow(RowCount + 2);
        for (var i = 0; i < _numeric.Length; i++)
        {
            var value = values[i];
            if (string.IsNullOrEmpty(value))
            {
                _cells.Skip();
            }
            else if (_numeric[i] && decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out _))
            {
                _cells.Number(value, CellStyle.Number);
            }
            else
            {
                _cells.Text(value, CellStyle.Text);
            }
        }

        _cells.EndRow();
        RowCount++;
    }

    /// <summary>Writes one typed row (e.g. <see cref="Rows.SemesterGradesRow"/>) of this sheet.</summary>
    /// <param name="row">The row.</param>
    /// <exception cref="ArgumentException">The row belongs to another sheet.</exception>
    /// <exception cref="ObjectDisposedException">The sheet was disposed.</exception>
    public void WriteRow(Rows.IRosterRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (row.SheetId != Layout.Sheet.Id)
        {
            throw new ArgumentException($"A {row.SheetId} row cannot be written to sheet {Layout.Sheet.Id}.", nameof(row));
        }

        Array.Clear(_buffer);
        row.WriteCells(Layout, _buffer);
        WriteRow(_buffer);
    }

    /// <summary>Ends the sheet.</summary>
    public void Dispose()
    {
        if (IsOpen)
        {
            IsOpen = false;
            _cells.Dispose();
        }
    }
}
