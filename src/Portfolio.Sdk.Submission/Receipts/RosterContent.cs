using System.Globalization;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Submission.Receipts;

/// <summary>One data row of submitted content, keyed as the roster keys it.</summary>
/// <param name="Sheet">The sheet identifier.</param>
/// <param name="RowNumber">The row in the sheet.</param>
/// <param name="StudentKey">The student's 身分證號 as written.</param>
/// <param name="RowKey">The values of the sheet's key columns joined with <c>|</c>.</param>
/// <param name="Values">The values by column key, personal columns left out.</param>
/// <param name="IsValid">Whether the row passed validation.</param>
public sealed record RosterContentRow(string Sheet, int RowNumber, string StudentKey, string RowKey, IReadOnlyDictionary<string, string?> Values, bool IsValid)
{
    /// <summary>Gets the row as a receipt row.</summary>
    /// <returns>The receipt row.</returns>
    public ReceiptRow ToReceiptRow() => new() { StudentKey = StudentKey, Sheet = Sheet, RowKey = RowKey, Values = Values };

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Sheet} row {RowNumber} {Redaction.MaskIdentifier(StudentKey)}{(IsValid ? string.Empty : " (invalid)")}");
}

/// <summary>What reading submitted content found.</summary>
/// <param name="IsReadable">Whether the content could be read as a roster at all.</param>
/// <param name="Cover">The cover, when readable.</param>
/// <param name="Book">The roster book, when recognised.</param>
/// <param name="Diagnostics">Every problem found.</param>
public sealed record RosterContentReport(bool IsReadable, RosterCover? Cover, RosterBook? Book, IReadOnlyList<Diagnostic> Diagnostics);

/// <summary>
/// Reads submitted content (a roster workbook or per-year package) row by row with the SDK's validation, for the
/// sandbox's receipts and for reconciling a receipt against what was sent.
/// </summary>
public static class RosterContent
{
    /// <summary>Reads content, handing each data row to <paramref name="onRow"/>.</summary>
    /// <param name="content">A readable, seekable stream.</param>
    /// <param name="kind">Workbook or package.</param>
    /// <param name="source">The name for diagnostic locations.</param>
    /// <param name="onRow">Called for each data row.</param>
    /// <param name="catalogue">The roster catalogue; the default when <see langword="null"/>.</param>
    /// <param name="codes">The code tables; the default when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels between rows.</param>
    /// <returns>The report.</returns>
    public static RosterContentReport Read(Stream content, SubmissionContentKind kind, string? source, Action<RosterContentRow> onRow,
        RosterCatalogue? catalogue = null, CodeTableCatalog? codes = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(onRow);
        void Row(RosterRowRead read)
        {
            if (Convert(read) is { } row)
            {
                onRow(row);
            }
        }

        if (kind == SubmissionContentKind.Package)
        {
            var package = new RosterPackageVerifier(catalogue, codes).Verify(content, source, Row, cancellationToken);
            var workbook = package.Workbook;
            return new RosterContentReport(workbook is { IsReadable: true } && package.Manifest is not null, workbook?.Cover, workbook?.Book, package.Diagnostics);
        }

        var report = new RosterWorkbookValidator(catalogue, codes).Validate(content, source, Row, cancellationToken);
        return new RosterContentReport(report.IsReadable, report.Cover, report.Book, report.Diagnostics);
    }

    /// <summary>The row key of a row: the values of the sheet's key columns, trimmed, joined with <c>|</c>.</summary>
    /// <param name="layout">The sheet layout.</param>
    /// <param name="values">The values in layout order.</param>
    /// <returns>The key.</returns>
    public static string KeyOf(RosterSheetLayout layout, IReadOnlyList<string?> values)
    {
        ArgumentNullException.ThrowIfNull(layout);
        ArgumentNullException.ThrowIfNull(values);
        return string.Join('|', layout.Sheet.KeyColumns.Select(key => layout.IndexOf(key) is var i and >= 0 && i < values.Count ? Normalize(values[i]) ?? string.Empty : string.Empty));
    }

    /// <summary>A value as compared: trimmed, <see langword="null"/> when empty.</summary>
    /// <param name="value">The value.</param>
    /// <returns>The normalized value.</returns>
    public static string? Normalize(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    /// <summary>Masks the student's ID inside a row key, for messages and logs.</summary>
    /// <param name="rowKey">The row key.</param>
    /// <param name="studentKey">The student's ID.</param>
    /// <returns>The masked key.</returns>
    public static string MaskRowKey(string rowKey, string studentKey)
    {
        ArgumentNullException.ThrowIfNull(rowKey);
        return string.IsNullOrEmpty(studentKey) ? rowKey : rowKey.Replace(studentKey, Redaction.MaskIdentifier(studentKey), StringComparison.Ordinal);
    }

    private static RosterContentRow? Convert(RosterRowRead read)
    {
        var layout = read.Layout;
        var id = layout.IndexOf("nationalId");
        var student = id >= 0 && id < read.Values.Count ? Normalize(read.Values[id])?.ToUpperInvariant() : null;
        if (student is null)
        {
            return null;
        }

        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        for (var i = 0; i < layout.Columns.Count && i < read.Values.Count; i++)
        {
            if (!layout.Columns[i].IsPersonal)
            {
                values[layout.Columns[i].Key] = Normalize(read.Values[i]);
            }
        }

        return new RosterContentRow(layout.Sheet.Id, read.RowNumber, student, KeyOf(layout, read.Values), values, read.IsValid);
    }
}
