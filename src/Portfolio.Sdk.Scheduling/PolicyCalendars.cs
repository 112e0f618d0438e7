using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Schools;
using Quartz.Impl.Calendar;

namespace Portfolio.Sdk.Scheduling;

/// <summary>
/// Quartz calendars built from the policy's windows (政策期間): every day of the school year outside the windows
/// of a kind is excluded, in Asia/Taipei. A built-in <see cref="HolidayCalendar"/>, so a clustered store persists it.
/// </summary>
public static class PolicyCalendars
{
    /// <summary>
    /// The name a school's calendar of a window kind is registered under. Each school has its own: schools sharing a
    /// scheduler have windows of their own, and one school's calendar must never move another's triggers.
    /// </summary>
    /// <param name="school">The school.</param>
    /// <param name="kind">The window kind.</param>
    /// <param name="year">The school year.</param>
    /// <returns>The name, e.g. <c>portfolio-060322-submission-113</c>.</returns>
    public static string NameOf(SchoolCode school, PolicyWindowKind kind, SchoolYear year) => $"portfolio-{school.Value}-{kind.ToString().ToLowerInvariant()}-{year.RocYear}";

    /// <summary>Builds the calendar that includes only the days inside the school's windows of <paramref name="kind"/> in <paramref name="year"/>.</summary>
    /// <param name="policy">The policy.</param>
    /// <param name="kind">The window kind.</param>
    /// <param name="year">The school year.</param>
    /// <returns>The calendar (every day excluded when the school has no such window).</returns>
    public static HolidayCalendar For(PortfolioPolicy policy, PolicyWindowKind kind, SchoolYear year)
    {
        ArgumentNullException.ThrowIfNull(policy);
        var windows = policy.School.Windows.Where(w => w.Kind == kind && w.Term.Year == year).ToList();
        var calendar = new HolidayCalendar { TimeZone = SchoolCalendar.TaiwanTimeZone, Description = $"{kind} windows of {year}" };
        for (var day = year.StartDate; day <= year.EndDate.AddDays(31); day = day.AddDays(1))
        {
            if (!windows.Exists(w => day >= w.Start && day <= w.End))
            {
                calendar.AddExcludedDay(day);
            }
        }

        return calendar;
    }
}
