using System.Globalization;
using System.Text;

namespace Portfolio.Sdk.Diagnostics;

/// <summary>
/// Where a <see cref="Diagnostic"/> was found (位置): a roster book, sheet, row and column, a field path in a
/// record, or a source such as a file name or an argument position. Every part is optional.
/// </summary>
/// <param name="Source">The file, argument or input the problem came from, e.g. <c>roster.xlsx</c> or <c>args[2]</c>.</param>
/// <param name="Book">The roster book (名冊) identifier.</param>
/// <param name="Sheet">The sheet (工作表) name.</param>
/// <param name="Row">The 1-based row number in the sheet or source file.</param>
/// <param name="Column">The column header or letter.</param>
/// <param name="Path">A field path inside a record, e.g. <c>courseCode.subjectAttribute</c>.</param>
public sealed record DiagnosticLocation(
    string? Source = null,
    string? Book = null,
    string? Sheet = null,
    int? Row = null,
    string? Column = null,
    string? Path = null)
{
    /// <summary>A location that names only a field path.</summary>
    /// <param name="path">The field path.</param>
    /// <returns>The location.</returns>
    public static DiagnosticLocation ForPath(string path) => new(Path: path);

    /// <summary>
    /// The spreadsheet letters of a column (<c>A</c>, <c>Z</c>, <c>AA</c>): a location that names where a cell is without
    /// quoting what it holds (a header cell may hold anything, a name included).
    /// </summary>
    /// <param name="index">The column's zero-based index.</param>
    /// <returns>The letters.</returns>
    public static string SpreadsheetColumn(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        Span<char> buffer = stackalloc char[8];
        var position = buffer.Length;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            buffer[--position] = (char)('A' + ((n - 1) % 26));
        }

        return new string(buffer[position..]);
    }

    /// <summary>Returns this location with <paramref name="path"/> appended to its field path.</summary>
    /// <param name="path">The child path segment.</param>
    /// <returns>A new location.</returns>
    public DiagnosticLocation Append(string path) =>
        this with { Path = string.IsNullOrEmpty(Path) ? path : Path + "." + path };

    /// <inheritdoc />
    public override string ToString()
    {
        var sb = new StringBuilder();
        void Part(string name, object? value)
        {
            if (value is null)
            {
                return;
            }

            if (sb.Length > 0)
            {
                sb.Append(", ");
            }

            sb.Append(name).Append('=').Append(Convert.ToString(value, CultureInfo.InvariantCulture));
        }

        Part("source", Source);
        Part("book", Book);
        Part("sheet", Sheet);
        Part("row", Row);
        Part("column", Column);
        Part("path", Path);
        return sb.ToString();
    }
}
