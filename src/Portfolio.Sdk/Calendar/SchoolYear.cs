using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Calendar;

/// <summary>
/// A school year (學年度) in ROC years (民國, Gregorian − 1911). School year <c>113</c> runs from
/// 1 August 2024 to 31 July 2025.
/// </summary>
[System.Text.Json.Serialization.JsonConverter(typeof(Portfolio.Sdk.Json.SchoolYearJsonConverter))]
public readonly record struct SchoolYear : IComparable<SchoolYear>, IFormattable, IParsable<SchoolYear>
{
    /// <summary>The smallest accepted ROC year.</summary>
    public const int MinValue = 1;

    /// <summary>The largest accepted ROC year (three digits, as in a 課程代碼).</summary>
    public const int MaxValue = 999;

    /// <summary>The difference between a Gregorian year and an ROC year.</summary>
    public const int RocOffset = 1911;

    /// <summary>The month in which a school year starts (August).</summary>
    public const int FirstMonth = 8;

    /// <summary>Initializes a school year.</summary>
    /// <param name="rocYear">The ROC year, 1–999.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="rocYear"/> is out of range.</exception>
    public SchoolYear(int rocYear)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rocYear, MinValue);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rocYear, MaxValue);
        RocYear = rocYear;
    }

    /// <summary>Gets the ROC year, e.g. 113.</summary>
    public int RocYear { get; }

    /// <summary>Gets the first day, 1 August of Gregorian year <see cref="RocYear"/> + 1911.</summary>
    public DateOnly StartDate => new(RocYear + RocOffset, FirstMonth, 1);

    /// <summary>Gets the last day, 31 July of the following Gregorian year.</summary>
    public DateOnly EndDate => StartDate.AddYears(1).AddDays(-1);

    /// <summary>Compares two school years.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is earlier.</returns>
    public static bool operator <(SchoolYear left, SchoolYear right) => left.RocYear < right.RocYear;

    /// <summary>Compares two school years.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is later.</returns>
    public static bool operator >(SchoolYear left, SchoolYear right) => left.RocYear > right.RocYear;

    /// <summary>Compares two school years.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is not later.</returns>
    public static bool operator <=(SchoolYear left, SchoolYear right) => left.RocYear <= right.RocYear;

    /// <summary>Compares two school years.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is not earlier.</returns>
    public static bool operator >=(SchoolYear left, SchoolYear right) => left.RocYear >= right.RocYear;

    /// <summary>Gets the school year that contains <paramref name="date"/>.</summary>
    /// <param name="date">A calendar date.</param>
    /// <returns>The school year.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The date is before ROC year 1 or after 999.</exception>
    public static SchoolYear FromDate(DateOnly date) =>
        new(date.Month >= FirstMonth ? date.Year - RocOffset : date.Year - RocOffset - 1);

    /// <summary>Gets the school year of the first day of <paramref name="gregorianYear"/>'s August.</summary>
    /// <param name="gregorianYear">A Gregorian year, e.g. 2024.</param>
    /// <returns>The school year starting in that year, e.g. 113.</returns>
    public static SchoolYear FromGregorianStartYear(int gregorianYear) => new(gregorianYear - RocOffset);

    /// <summary>Validates <paramref name="input"/> as an ROC school year.</summary>
    /// <param name="input">The text, e.g. <c>113</c>.</param>
    /// <param name="location">Where the text came from.</param>
    /// <returns>The outcome.</returns>
    public static ParseOutcome<SchoolYear> Validate(string? input, DiagnosticLocation? location = null)
    {
        var diagnostics = new List<Diagnostic>();
        var text = input?.Trim();
        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var year))
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SchoolYearFormat, location, input ?? string.Empty));
            return ParseOutcome.From<SchoolYear>(default, diagnostics);
        }

        if (year is < MinValue or > MaxValue)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SchoolYearRange, location, year, MinValue, MaxValue));
            return ParseOutcome.From<SchoolYear>(default, diagnostics);
        }

        return ParseOutcome.From<SchoolYear>(new SchoolYear(year), diagnostics);
    }

    /// <summary>Parses a school year.</summary>
    /// <param name="s">The text.</param>
    /// <returns>The school year.</returns>
    /// <exception cref="FormatException">The text is not a school year.</exception>
    public static SchoolYear Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var outcome = Validate(s);
        return outcome.Success ? outcome.Value : throw new FormatException(outcome.Diagnostics[0].MessageEnglish);
    }

    /// <summary>Tries to parse a school year.</summary>
    /// <param name="s">The text.</param>
    /// <param name="result">The school year.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out SchoolYear result)
    {
        var outcome = Validate(s);
        result = outcome.Value;
        return outcome.Success;
    }

    /// <summary>Gets the school year <paramref name="years"/> later (or earlier, when negative).</summary>
    /// <param name="years">The number of years.</param>
    /// <returns>The school year.</returns>
    public SchoolYear AddYears(int years) => new(RocYear + years);

    /// <summary>Gets whether <paramref name="date"/> falls in this school year.</summary>
    /// <param name="date">The date.</param>
    /// <returns><see langword="true"/> when the date is in the year.</returns>
    public bool Contains(DateOnly date) => date >= StartDate && date <= EndDate;

    /// <inheritdoc />
    public int CompareTo(SchoolYear other) => RocYear.CompareTo(other.RocYear);

    /// <summary>Returns the ROC year, e.g. <c>113</c>.</summary>
    /// <returns>The year as text.</returns>
    public override string ToString() => RocYear.ToString(CultureInfo.InvariantCulture);

    /// <inheritdoc />
    public string ToString(string? format, IFormatProvider? formatProvider) => RocYear.ToString(format, formatProvider);

    /// <inheritdoc cref="Parse(string)" />
    static SchoolYear IParsable<SchoolYear>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc cref="TryParse(string?, out SchoolYear)" />
    static bool IParsable<SchoolYear>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out SchoolYear result) => TryParse(s, out result);
}
