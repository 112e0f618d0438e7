using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Policy;

/// <summary>
/// Builds a <see cref="PortfolioPolicy"/> in code (規定設定), as <see cref="PortfolioPolicy.Load"/> does from JSON:
/// national rules start from <see cref="PortfolioPolicy.Default"/>, windows may be school-wide or per grade, and
/// <see cref="Build"/> validates the result so a host can refuse to start with a bad policy.
/// </summary>
/// <example>
/// <code>
/// var policy = new PortfolioPolicyBuilder()
///     .WithWindow(PolicyWindowKind.Selection, SchoolTerm.Parse("113-0"), new DateOnly(2025, 6, 1), new DateOnly(2025, 7, 10))
///     .WithWindow(PolicyWindowKind.Selection, SchoolTerm.Parse("113-0"), GradeLevel.Third, new DateOnly(2025, 3, 1), new DateOnly(2025, 3, 31))
///     .Build();
/// </code>
/// </example>
public sealed class PortfolioPolicyBuilder
{
    private readonly List<NationalPolicy> _national = [];
    private readonly List<PolicyWindow> _windows = [];
    private SchoolPolicy _school = new();

    /// <summary>Adds national rules from a school year on, replacing the default entry of that year if there is one.</summary>
    /// <param name="rules">The rules.</param>
    /// <returns>This builder.</returns>
    public PortfolioPolicyBuilder WithNational(NationalPolicy rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        _national.RemoveAll(n => n.From == rules.From);
        _national.Add(rules);
        return this;
    }

    /// <summary>Sets the school's parameters (upload caps, quota); its windows are kept and those added here follow them.</summary>
    /// <param name="school">The school's parameters.</param>
    /// <returns>This builder.</returns>
    public PortfolioPolicyBuilder WithSchool(SchoolPolicy school)
    {
        ArgumentNullException.ThrowIfNull(school);
        _school = school;
        return this;
    }

    /// <summary>Adds a school-wide window for an activity and term.</summary>
    /// <param name="kind">The activity.</param>
    /// <param name="term">The term (the whole year, <c>113-0</c>, for per-year selection and submission).</param>
    /// <param name="start">The first day.</param>
    /// <param name="end">The last day.</param>
    /// <returns>This builder.</returns>
    public PortfolioPolicyBuilder WithWindow(PolicyWindowKind kind, SchoolTerm term, DateOnly start, DateOnly end)
    {
        _windows.Add(new PolicyWindow(kind, term, start, end));
        return this;
    }

    /// <summary>Adds a grade's own window for an activity and term; it replaces the school-wide window for that grade.</summary>
    /// <param name="kind">The activity.</param>
    /// <param name="term">The term.</param>
    /// <param name="grade">The grade (高一, 高二, 高三).</param>
    /// <param name="start">The first day.</param>
    /// <param name="end">The last day.</param>
    /// <returns>This builder.</returns>
    public PortfolioPolicyBuilder WithWindow(PolicyWindowKind kind, SchoolTerm term, GradeLevel grade, DateOnly start, DateOnly end)
    {
        _windows.Add(new PolicyWindow(kind, term, start, end) { Grade = grade });
        return this;
    }

    /// <summary>Builds and validates the policy.</summary>
    /// <returns>The policy when valid, with every problem found (<see cref="PortfolioPolicy.Validate"/>).</returns>
    public ParseOutcome<PortfolioPolicy> Build()
    {
        var national = PortfolioPolicy.Default.National.Where(d => _national.TrueForAll(n => n.From != d.From)).Concat(_national);
        var policy = new PortfolioPolicy(national, _school with { Windows = [.. _school.Windows, .. _windows] });
        return ParseOutcome.From(policy, policy.Validate());
    }
}
