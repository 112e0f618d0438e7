using Portfolio.Sdk.Codes;

namespace Portfolio.Sdk.Rosters;

/// <summary>A roster book (名冊): one Excel workbook with a cover sheet and one sheet per sub-roster.</summary>
public sealed class RosterBook
{
    /// <summary>The name of the cover sheet (封面) that holds 學校代碼, 學年度 and 學期.</summary>
    public const string CoverSheetName = "封面";

    internal RosterBook(string id, string name, string nameEnglish, RosterCadence cadence, RosterDivision division, string? section, Evidence evidence, IReadOnlyList<RosterSheet> sheets)
    {
        Id = id;
        Name = name;
        NameEnglish = nameEnglish;
        Cadence = cadence;
        Division = division;
        Section = section;
        Evidence = evidence;
        Sheets = sheets;
        foreach (var sheet in sheets)
        {
            sheet.Book = this;
        }
    }

    /// <summary>Gets the stable identifier, e.g. <c>grades</c>.</summary>
    public string Id { get; }

    /// <summary>Gets the Chinese name, e.g. <c>學生成績名冊</c>.</summary>
    public string Name { get; }

    /// <summary>Gets the English name.</summary>
    public string NameEnglish { get; }

    /// <summary>Gets how often the book is submitted.</summary>
    public RosterCadence Cadence { get; }

    /// <summary>Gets the division the book is for.</summary>
    public RosterDivision Division { get; }

    /// <summary>Gets the specification section, e.g. <c>4</c>, or <see langword="null"/> where unknown.</summary>
    public string? Section { get; }

    /// <summary>Gets how well the book is backed by the sources.</summary>
    public Evidence Evidence { get; }

    /// <summary>Gets the data sheets, in workbook order (the cover comes first and is not listed).</summary>
    public IReadOnlyList<RosterSheet> Sheets { get; }

    /// <summary>Finds a sheet by identifier or by its Chinese name.</summary>
    /// <param name="idOrName">The identifier (<c>semester-grades</c>) or name (<c>學期成績</c>).</param>
    /// <returns>The sheet, or <see langword="null"/>.</returns>
    public RosterSheet? FindSheet(string idOrName) =>
        Sheets.FirstOrDefault(s => s.Id == idOrName) ?? Sheets.FirstOrDefault(s => s.Name == idOrName.Trim());

    /// <inheritdoc />
    public override string ToString() => $"{Name} ({Id})";
}
