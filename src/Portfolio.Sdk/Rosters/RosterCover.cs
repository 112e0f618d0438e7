using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Schools;

namespace Portfolio.Sdk.Rosters;

/// <summary>
/// The cover sheet (封面) of a roster book: 學校代碼, 學年度 and 學期 (0 for the per-year books).
/// </summary>
/// <param name="School">The school code.</param>
/// <param name="Year">The school year.</param>
/// <param name="Term">The term; <see cref="Calendar.Term.WholeYear"/> for per-year books.</param>
public sealed record RosterCover(SchoolCode School, SchoolYear Year, Term Term)
{
    /// <summary>The cover's header row, in order.</summary>
    public static readonly IReadOnlyList<string> Headers = ["學校代碼", "學年度", "學期", "名冊"];

    /// <summary>Gets the school term of the cover.</summary>
    public SchoolTerm SchoolTerm => new(Year, Term);

    /// <summary>Creates the cover for <paramref name="book"/>: term 0 for per-year books.</summary>
    /// <param name="book">The book.</param>
    /// <param name="school">The school code.</param>
    /// <param name="term">The term (the year is taken from it).</param>
    /// <returns>The cover.</returns>
    public static RosterCover For(RosterBook book, SchoolCode school, SchoolTerm term)
    {
        ArgumentNullException.ThrowIfNull(book);
        return new RosterCover(school, term.Year, book.Cadence == RosterCadence.Year ? Term.WholeYear : term.Term);
    }
}
