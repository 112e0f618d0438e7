using System.Globalization;

namespace Portfolio.Sdk.Rosters;

/// <summary>Parsing of roster cell text shared by the validator and the typed rows.</summary>
internal static class RosterCellText
{
    public const string NoValue = "-1";

    public static bool TryDecimal(string text, out decimal value) =>
        TryPlainDecimal(text, out value)
        || decimal.TryParse(text, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent | NumberStyles.AllowLeadingWhite | NumberStyles.AllowTrailingWhite, CultureInfo.InvariantCulture, out value);

    /// <summary>
    /// The common shapes of a score or credit (<c>85</c>, <c>85.5</c>, <c>-1</c>, <c>60.50</c>) read without the general
    /// parser: an optional minus, 1–18 digits with at most one decimal point between digits. Gives exactly what
    /// <see cref="decimal.TryParse(string, NumberStyles, IFormatProvider, out decimal)"/> gives (the same value and
    /// scale); anything else, and a negative zero, is left to it.
    /// </summary>
    internal static bool TryPlainDecimal(ReadOnlySpan<char> text, out decimal value)
    {
        value = 0;
        var negative = text.Length > 0 && text[0] == '-';
        var digits = negative ? text[1..] : text;
        if (digits.Length is 0 or > 19)
        {
            return false;
        }

        ulong mantissa = 0;
        var scale = -1;
        var count = 0;
        for (var i = 0; i < digits.Length; i++)
        {
            var c = digits[i];
            if (c == '.' && scale < 0 && i > 0 && i < digits.Length - 1)
            {
                scale = 0;
                continue;
            }

            if (!char.IsAsciiDigit(c) || ++count > 18)
            {
                return false;
            }

            mantissa = (mantissa * 10) + (ulong)(c - '0');
            scale += scale >= 0 ? 1 : 0;
        }

        if (negative && mantissa == 0)
        {
            return false;
        }

        value = new decimal((int)(uint)mantissa, (int)(uint)(mantissa >> 32), 0, negative, (byte)Math.Max(scale, 0));
        return true;
    }

    public static bool TryInteger(string text, out long value) =>
        long.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out value)
        || (TryDecimal(text, out var d) && d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue && (value = (long)d) == d);

    public static bool TryDate(string text, out DateOnly date) => Calendar.DateText.TryParse(text, out date);
}
