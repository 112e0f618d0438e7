using System.Globalization;

namespace Portfolio.Sdk.Calendar;

/// <summary>
/// Reads dates as Taiwanese school data writes them (日期文字): Gregorian (<c>2008/05/13</c>, <c>2008-05-13</c>,
/// <c>20080513</c>), ROC (<c>97/05/13</c>, <c>097/05/13</c>, <c>0970513</c>, <c>970513</c>) or an Excel date serial
/// (<c>39581</c>).
/// </summary>
public static class DateText
{
    private static readonly string[] GregorianFormats = ["yyyy/MM/dd", "yyyy-MM-dd", "yyyy/M/d", "yyyy-M-d", "yyyyMMdd", "yyyy-MM-ddTHH:mm:ss", "yyyy/MM/dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss"];

    /// <summary>Tries to read a date.</summary>
    /// <param name="text">The text.</param>
    /// <param name="date">The date, when read.</param>
    /// <returns><see langword="true"/> when the text is a date in one of the accepted forms.</returns>
    public static bool TryParse(string? text, out DateOnly date)
    {
        date = default;
        var t = text?.Trim() ?? string.Empty;
        if (t.Length == 0)
        {
            return false;
        }

        // The common shapes yyyy/MM/dd and yyyy-MM-dd read without the format list (same dates; anything else below).
        if (TryIsoLike(t, out date))
        {
            return true;
        }

        if (DateTime.TryParseExact(t, GregorianFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var gregorian) && gregorian.Year >= 1900)
        {
            date = DateOnly.FromDateTime(gregorian);
            return true;
        }

        // ROC years: yyy/MM/dd, yy/MM/dd or compact yyyMMdd / yyMMdd.
        var parts = t.Split('/', '-', '.');
        if (parts.Length == 3 && parts.All(p => p.Length > 0 && p.All(char.IsAsciiDigit)) && parts[0].Length <= 3)
        {
            return TryRoc(parts[0], parts[1], parts[2], out date);
        }

        if (t.All(char.IsAsciiDigit) && t.Length is 6 or 7)
        {
            return TryRoc(t[..^4], t[^4..^2], t[^2..], out date);
        }

        // Excel serial dates (1900 system): 1 = 1900-01-01; Excel's fictitious 1900-02-29 is serial 60.
        if (decimal.TryParse(t, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var serial) && serial is >= 61 and < 2958466 && serial == decimal.Truncate(serial))
        {
            date = DateOnly.FromDateTime(new DateTime(1899, 12, 30).AddDays((double)serial));
            return true;
        }

        return false;
    }

    // yyyy/MM/dd or yyyy-MM-dd, a real day, year 1900 or later: exactly what the first two Gregorian formats accept.
    internal static bool TryIsoLike(ReadOnlySpan<char> t, out DateOnly date)
    {
        date = default;
        if (t.Length != 10 || t[4] is not ('/' or '-') || t[7] != t[4]
            || !CharacterSets.AllDigits(t[..4]) || !CharacterSets.AllDigits(t.Slice(5, 2)) || !CharacterSets.AllDigits(t[8..]))
        {
            return false;
        }

        var y = ((t[0] - '0') * 1000) + ((t[1] - '0') * 100) + ((t[2] - '0') * 10) + (t[3] - '0');
        var m = ((t[5] - '0') * 10) + (t[6] - '0');
        var d = ((t[8] - '0') * 10) + (t[9] - '0');
        if (y < 1900 || m is < 1 or > 12 || d < 1 || d > DateTime.DaysInMonth(y, m))
        {
            return false;
        }

        date = new DateOnly(y, m, d);
        return true;
    }

    private static bool TryRoc(string year, string month, string day, out DateOnly date)
    {
        date = default;
        if (!int.TryParse(year, CultureInfo.InvariantCulture, out var y) || !int.TryParse(month, CultureInfo.InvariantCulture, out var m)
            || !int.TryParse(day, CultureInfo.InvariantCulture, out var d) || y < 1 || m is < 1 or > 12)
        {
            return false;
        }

        var gregorianYear = y + SchoolYear.RocOffset;
        if (d < 1 || d > DateTime.DaysInMonth(gregorianYear, m))
        {
            return false;
        }

        date = new DateOnly(gregorianYear, m, d);
        return true;
    }
}
