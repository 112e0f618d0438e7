using System.Collections.Frozen;
using System.Globalization;
using Portfolio.Sdk.Calendar;

namespace Portfolio.Sdk.Rosters;

/// <summary>The columns of a sheet in force for one school year, in order, with their section numbers (4.2.1 …).</summary>
public sealed class RosterSheetLayout
{
    private readonly FrozenDictionary<string, int> _indexByKey;

    internal RosterSheetLayout(RosterSheet sheet, SchoolYear year, IReadOnlyList<RosterColumn> columns)
    {
        Sheet = sheet;
        Year = year;
        Columns = columns;
        _indexByKey = columns.Select((c, i) => (c.Key, i)).ToFrozenDictionary(p => p.Key, p => p.i, StringComparer.Ordinal);
    }

    /// <summary>Gets the sheet.</summary>
    public RosterSheet Sheet { get; }

    /// <summary>Gets the school year.</summary>
    public SchoolYear Year { get; }

    /// <summary>Gets the columns, in sheet order.</summary>
    public IReadOnlyList<RosterColumn> Columns { get; }

    /// <summary>Gets the 0-based index of the column with <paramref name="key"/>, or -1.</summary>
    /// <param name="key">The column key.</param>
    /// <returns>The index, or -1 when the column is not in this layout.</returns>
    public int IndexOf(string key) => _indexByKey.TryGetValue(key, out var index) ? index : -1;

    /// <summary>Gets the specification number of the column at <paramref name="index"/>, e.g. <c>4.2.3</c>, or <see langword="null"/> when the sheet has no section.</summary>
    /// <param name="index">The 0-based column index.</param>
    /// <returns>The section number.</returns>
    public string? SectionOf(int index) =>
        Sheet.Section is null ? null : string.Create(CultureInfo.InvariantCulture, $"{Sheet.Section}.{index + 1}");
}
