namespace Portfolio.Sdk.Rosters;

/// <summary>One data row of a roster workbook as a validator read it.</summary>
/// <param name="Layout">The sheet layout; <see cref="Values"/> are in its column order.</param>
/// <param name="RowNumber">The 1-based row number in the sheet.</param>
/// <param name="Values">The cell texts in layout order (<see langword="null"/> for empty or missing columns). The list is reused for the next row: copy what you keep.</param>
/// <param name="IsValid">Whether the row passed validation without errors.</param>
public readonly record struct RosterRowRead(RosterSheetLayout Layout, int RowNumber, IReadOnlyList<string?> Values, bool IsValid);
