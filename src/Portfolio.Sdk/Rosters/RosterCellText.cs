using System.Globalization;

namespace Portfolio.Sdk.Rosters;

/// <summary>Parsing of roster cell text shared by the validator and the typed rows.</summary>
internal static class RosterCellText
{
    public const string NoValue = "-1";

    public static bool TryDecimal(string text, out decimal value) =>
        decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out value);

    public static bool TryInteger(string text, out long value) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)
        || (TryDecimal(text, out var d) && d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue && (value = (long)d) == d);

    public static bool TryDate(string text, out DateOnly date) => Calendar.DateText.TryParse(text, out date);
}
