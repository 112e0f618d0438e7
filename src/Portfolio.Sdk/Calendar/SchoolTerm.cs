using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Calendar;

/// <summary>
/// A school year and term (學年度學期), written <c>113-1</c>. <see cref="Term.WholeYear"/> (<c>113-0</c>) names the
/// per-year rosters.
/// </summary>
/// <param name="Year">The school year.</param>
/// <param name="Term">The term.</param>
public readonly record struct SchoolTerm(SchoolYear Year, Term Term) : IComparable<SchoolTerm>, IParsable<SchoolTerm>
{
    /// <summary>The month in which the second term starts (February).</summary>
    public const int SecondTermFirstMonth = 2;

    /// <summary>Gets the first day of the term (of the year, for <see cref="Term.WholeYear"/>).</summary>
    public DateOnly StartDate => Term == Term.Second ? new DateOnly(Year.StartDate.Year + 1, SecondTermFirstMonth, 1) : Year.StartDate;

    /// <summary>Gets the last day of the term (of the year, for <see cref="Term.WholeYear"/>).</summary>
    public DateOnly EndDate => Term == Term.First ? new DateOnly(Year.StartDate.Year + 1, SecondTermFirstMonth, 1).AddDays(-1) : Year.EndDate;

    /// <summary>Compares two terms.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is earlier.</returns>
    public static bool operator <(SchoolTerm left, SchoolTerm right) => left.CompareTo(right) < 0;

    /// <summary>Compares two terms.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is later.</returns>
    public static bool operator >(SchoolTerm left, SchoolTerm right) => left.CompareTo(right) > 0;

    /// <summary>Compares two terms.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is not later.</returns>
    public static bool operator <=(SchoolTerm left, SchoolTerm right) => left.CompareTo(right) <= 0;

    /// <summary>Compares two terms.</summary>
    /// <param name="left">The first.</param>
    /// <param name="right">The second.</param>
    /// <returns><see langword="true"/> when <paramref name="left"/> is not earlier.</returns>
    public static bool operator >=(SchoolTerm left, SchoolTerm right) => left.CompareTo(right) >= 0;

    /// <summary>Gets the term (1 or 2) that contains <paramref name="date"/>.</summary>
    /// <param name="date">A calendar date.</param>
    /// <returns>The school term.</returns>
    public static SchoolTerm FromDate(DateOnly date)
    {
        var year = SchoolYear.FromDate(date);
        var term = date.Month is >= SecondTermFirstMonth and < SchoolYear.FirstMonth ? Term.Second : Term.First;
        return new SchoolTerm(year, term);
    }

    /// <summary>Validates a term number (0, 1 or 2).</summary>
    /// <param name="input">The text.</param>
    /// <param name="location">Where the text came from.</param>
    /// <returns>The outcome.</returns>
    public static ParseOutcome<Term> ValidateTerm(string? input, DiagnosticLocation? location = null)
    {
        var diagnostics = new List<Diagnostic>();
        var text = input?.Trim();
        Term term = default;
        if (text is "0" or "1" or "2")
        {
            term = (Term)(text[0] - '0');
        }
        else
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.TermInvalid, location, input ?? string.Empty));
        }

        return ParseOutcome.From<Term>(term, diagnostics);
    }

    /// <summary>Validates text written <c>year-term</c>, e.g. <c>113-1</c>.</summary>
    /// <param name="input">The text.</param>
    /// <param name="location">Where the text came from.</param>
    /// <returns>The outcome.</returns>
    public static ParseOutcome<SchoolTerm> Validate(string? input, DiagnosticLocation? location = null)
    {
        var diagnostics = new List<Diagnostic>();
        var text = input?.Trim() ?? string.Empty;
        var dash = text.IndexOf('-', StringComparison.Ordinal);
        if (dash <= 0 || dash == text.Length - 1)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SchoolTermFormat, location, input ?? string.Empty));
            return ParseOutcome.From<SchoolTerm>(default, diagnostics);
        }

        var year = SchoolYear.Validate(text[..dash], location);
        var term = ValidateTerm(text[(dash + 1)..], location);
        diagnostics.AddRange(year.Diagnostics);
        diagnostics.AddRange(term.Diagnostics);
        return ParseOutcome.From<SchoolTerm>(new SchoolTerm(year.Value, term.Value), diagnostics);
    }

    /// <summary>Parses text written <c>year-term</c>.</summary>
    /// <param name="s">The text.</param>
    /// <returns>The school term.</returns>
    /// <exception cref="FormatException">The text is not a school term.</exception>
    public static SchoolTerm Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var outcome = Validate(s);
        return outcome.Success ? outcome.Value : throw new FormatException(outcome.Diagnostics.First(d => d.IsError).MessageEnglish);
    }

    /// <summary>Tries to parse text written <c>year-term</c>.</summary>
    /// <param name="s">The text.</param>
    /// <param name="result">The school term.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out SchoolTerm result)
    {
        var outcome = Validate(s);
        result = outcome.Value;
        return outcome.Success;
    }

    /// <summary>Gets the term that follows this one (113-1 → 113-2 → 114-1).</summary>
    /// <returns>The next term.</returns>
    /// <exception cref="InvalidOperationException">This is a whole-year value.</exception>
    public SchoolTerm Next() => Term switch
    {
        Term.First => this with { Term = Term.Second },
        Term.Second => new SchoolTerm(Year.AddYears(1), Term.First),
        _ => throw new InvalidOperationException("A whole-year term has no next term."),
    };

    /// <summary>Gets whether <paramref name="date"/> falls in this term.</summary>
    /// <param name="date">The date.</param>
    /// <returns><see langword="true"/> when the date is in the term.</returns>
    public bool Contains(DateOnly date) => date >= StartDate && date <= EndDate;

    /// <inheritdoc />
    public int CompareTo(SchoolTerm other)
    {
        var byYear = Year.CompareTo(other.Year);
        return byYear != 0 ? byYear : ((int)Term).CompareTo((int)other.Term);
    }

    /// <summary>Returns the term as <c>113-1</c>.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Year.RocYear}-{(int)Term}");

    /// <inheritdoc cref="Parse(string)" />
    static SchoolTerm IParsable<SchoolTerm>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc cref="TryParse(string?, out SchoolTerm)" />
    static bool IParsable<SchoolTerm>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out SchoolTerm result) => TryParse(s, out result);
}
