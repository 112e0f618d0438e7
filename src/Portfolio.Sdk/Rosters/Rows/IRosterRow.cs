namespace Portfolio.Sdk.Rosters.Rows;

/// <summary>
/// A typed row of one roster sheet (名冊資料列), built from domain types. The SDK generates one record per sheet of
/// the shipped catalogue (e.g. <c>SemesterGradesRow</c> for 4.2 學期成績); its JSON form uses the column keys
/// of the catalogue as property names.
/// </summary>
public interface IRosterRow
{
    /// <summary>Gets the identifier of the book the row belongs to, e.g. <c>grades</c>.</summary>
    string BookId { get; }

    /// <summary>Gets the identifier of the sheet the row belongs to, e.g. <c>semester-grades</c>.</summary>
    string SheetId { get; }

    /// <summary>
    /// Writes the row's values as roster cell text into <paramref name="cells"/>, at the positions of
    /// <paramref name="layout"/>; columns the layout does not have in its school year are skipped.
    /// </summary>
    /// <param name="layout">The sheet's columns for the roster's school year.</param>
    /// <param name="cells">The cells, one per layout column.</param>
    void WriteCells(RosterSheetLayout layout, string?[] cells);
}
