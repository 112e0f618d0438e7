using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Schools;

namespace Portfolio.Sdk.Rosters.Rows;

/// <summary>How typed values become roster cell text; used by the generated row records.</summary>
internal static class RosterCells
{
    /// <summary>Dates are written as Gregorian <c>yyyy/MM/dd</c>; the upload format is not documented (research §2.1, [U]).</summary>
    public const string DateFormat = "yyyy/MM/dd";

    public static void Set(RosterSheetLayout layout, string?[] cells, string key, string? value) => Put(layout, cells, key, value);

    public static void Set(RosterSheetLayout layout, string?[] cells, string key, NationalId value) => Put(layout, cells, key, value.IsEmpty ? null : value.Value);

    public static void Set(RosterSheetLayout layout, string?[] cells, string key, NationalId? value) => Put(layout, cells, key, value is { IsEmpty: false } v ? v.Value : null);

    public static void Set(RosterSheetLayout layout, string?[] cells, string key, CourseCode? value) => Put(layout, cells, key, value?.Value);

    public static void Set(RosterSheetLayout layout, string?[] cells, string key, SchoolCode? value) => Put(layout, cells, key, value?.Value);

    public static void Set(RosterSheetLayout layout, string?[] cells, string key, SchoolYear? value) =>
        Put(layout, cells, key, value?.RocYear.ToString(CultureInfo.InvariantCulture));

    public static void Set(RosterSheetLayout layout, string?[] cells, string key, Term? value) =>
        Put(layout, cells, key, value is { } t ? ((int)t).ToString(CultureInfo.InvariantCulture) : null);

    public static void Set(RosterSheetLayout layout, string?[] cells, string key, DateOnly? value) =>
        Put(layout, cells, key, value?.ToString(DateFormat, CultureInfo.InvariantCulture));

    public static void Set(RosterSheetLayout layout, string?[] cells, string key, int? value) =>
        Put(layout, cells, key, value?.ToString(CultureInfo.InvariantCulture));

    public static void Set(RosterSheetLayout layout, string?[] cells, string key, decimal? value) =>
        Put(layout, cells, key, value?.ToString(CultureInfo.InvariantCulture));

    /// <summary>A score: <see langword="null"/> is written as the spec's "no value", <c>-1</c>.</summary>
    public static void SetScore(RosterSheetLayout layout, string?[] cells, string key, decimal? value) =>
        Put(layout, cells, key, value is { } v ? v.ToString(CultureInfo.InvariantCulture) : RosterCellText.NoValue);

    private static void Put(RosterSheetLayout layout, string?[] cells, string key, string? value)
    {
        var index = layout.IndexOf(key);
        if (index >= 0)
        {
            cells[index] = value;
        }
    }
}
