namespace Portfolio.Sdk.Calendar;

/// <summary>
/// Today's date, school year and term in Taiwan (學校行事曆), from an injected <see cref="TimeProvider"/>.
/// The SDK never reads the wall clock directly, so tests drive time with a fake provider.
/// </summary>
public sealed class SchoolCalendar
{
    /// <summary>The IANA identifier of Taiwan's time zone.</summary>
    public const string TaiwanTimeZoneId = "Asia/Taipei";

    /// <summary>Initializes a calendar.</summary>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> in production.</param>
    /// <param name="timeZone">The school's time zone; Taiwan (UTC+8, no daylight saving) when <see langword="null"/>.</param>
    public SchoolCalendar(TimeProvider timeProvider, TimeZoneInfo? timeZone = null)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        TimeProvider = timeProvider;
        TimeZone = timeZone ?? TaiwanTimeZone;
    }

    /// <summary>Gets Taiwan's time zone, from the system database when present, else a fixed UTC+8 zone.</summary>
    public static TimeZoneInfo TaiwanTimeZone { get; } = FindTaiwanTimeZone();

    /// <summary>Gets the clock.</summary>
    public TimeProvider TimeProvider { get; }

    /// <summary>Gets the school's time zone.</summary>
    public TimeZoneInfo TimeZone { get; }

    /// <summary>Gets today's date in the school's time zone.</summary>
    public DateOnly Today => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(TimeProvider.GetUtcNow(), TimeZone).DateTime);

    /// <summary>Gets the current school year.</summary>
    public SchoolYear CurrentYear => SchoolYear.FromDate(Today);

    /// <summary>Gets the current term (1 or 2).</summary>
    public SchoolTerm CurrentTerm => SchoolTerm.FromDate(Today);

    private static TimeZoneInfo FindTaiwanTimeZone()
    {
        if (TimeZoneInfo.TryFindSystemTimeZoneById(TaiwanTimeZoneId, out var zone))
        {
            return zone;
        }

        return TimeZoneInfo.CreateCustomTimeZone(TaiwanTimeZoneId, TimeSpan.FromHours(8), "Taiwan (UTC+08:00)", "Taipei Standard Time");
    }
}
