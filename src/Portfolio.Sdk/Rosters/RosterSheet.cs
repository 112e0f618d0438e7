using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;

namespace Portfolio.Sdk.Rosters;

/// <summary>A sheet (工作表) of a roster book, e.g. 4.2 學期成績, with every column it has had over the years.</summary>
public sealed class RosterSheet
{
    internal RosterSheet(string id, string name, string? section, Evidence evidence, IReadOnlyList<string> keyColumns, IReadOnlyList<RosterColumn> columns)
    {
        Id = id;
        Name = name;
        Section = section;
        Evidence = evidence;
        KeyColumns = keyColumns;
        Columns = columns;
    }

    /// <summary>Gets the stable identifier, e.g. <c>semester-grades</c>.</summary>
    public string Id { get; }

    /// <summary>Gets the Chinese sheet name as written on the workbook tab, e.g. <c>學期成績</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the specification section, e.g. <c>4.2</c>, or <see langword="null"/> where unknown.</summary>
    public string? Section { get; }

    /// <summary>Gets how well the sheet is backed by the sources.</summary>
    public Evidence Evidence { get; }

    /// <summary>Gets the keys of the columns that identify a row; two rows with the same values are duplicates.</summary>
    public IReadOnlyList<string> KeyColumns { get; }

    /// <summary>Gets every column the sheet has had, in sheet order.</summary>
    public IReadOnlyList<RosterColumn> Columns { get; }

    /// <summary>Gets the book this sheet belongs to.</summary>
    public RosterBook Book { get; internal set; } = null!;

    /// <summary>Gets the columns in force in <paramref name="year"/>, in sheet order.</summary>
    /// <param name="year">The school year of the roster.</param>
    /// <returns>The layout.</returns>
    public RosterSheetLayout LayoutFor(SchoolYear year) => new(this, year, [.. Columns.Where(c => c.AppliesTo(year))]);

    /// <inheritdoc />
    public override string ToString() => Section is null ? Name : $"{Section} {Name}";
}
