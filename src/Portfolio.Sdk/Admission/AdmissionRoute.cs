using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;

namespace Portfolio.Sdk.Admission;

/// <summary>
/// An admission route that takes items from the central database (升學管道): 大學個人申請 or 四技二專甄選入學, with its
/// rules by 招生學年度 (editions).
/// </summary>
public sealed class AdmissionRoute
{
    /// <summary>The identifier of 大學個人申請 in the shipped rules.</summary>
    public const string UniversityApplication = "university-application";

    /// <summary>The identifier of 四技二專甄選入學 in the shipped rules.</summary>
    public const string VocationalSelection = "vocational-selection";

    /// <summary>Initializes a route.</summary>
    /// <param name="id">The stable identifier, lower case with dashes.</param>
    /// <param name="name">The Chinese name, e.g. <c>四技二專甄選入學</c>.</param>
    /// <param name="nameEnglish">The English name.</param>
    /// <param name="editions">The rules by the 招生學年度 they start; their year ranges must not overlap.</param>
    public AdmissionRoute(string id, string name, string nameEnglish, IEnumerable<AdmissionRouteEdition> editions)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(nameEnglish);
        ArgumentNullException.ThrowIfNull(editions);
        Id = id;
        Name = name;
        NameEnglish = nameEnglish;
        Editions = [.. editions.OrderBy(e => e.From)];
    }

    /// <summary>Gets the identifier.</summary>
    public string Id { get; }

    /// <summary>Gets the Chinese name.</summary>
    public string Name { get; }

    /// <summary>Gets the English name.</summary>
    public string NameEnglish { get; }

    /// <summary>Gets the editions, earliest first.</summary>
    public IReadOnlyList<AdmissionRouteEdition> Editions { get; }

    /// <summary>Gets the edition in force for a 招生學年度, or <see langword="null"/> when the rules data has none for it.</summary>
    /// <param name="year">The 招生學年度 (the year the student is admitted).</param>
    /// <returns>The edition, or <see langword="null"/>.</returns>
    public AdmissionRouteEdition? EditionFor(SchoolYear year) => Editions.LastOrDefault(e => e.Covers(year));

    /// <inheritdoc />
    public override string ToString() => $"{Id} {Name}";
}

/// <summary>
/// The rules of a route from one 招生學年度 on (簡章 edition): the item codes (項目代碼) and the caps per 校系 (件數上限),
/// with their sources and evidence.
/// </summary>
public sealed class AdmissionRouteEdition
{
    /// <summary>Initializes an edition.</summary>
    /// <param name="from">The first 招生學年度 it applies to.</param>
    /// <param name="until">The last 招生學年度 it applies to, or <see langword="null"/> until a later edition.</param>
    /// <param name="sourcedThrough">The last 招生學年度 a cited source is about; later years are carried forward.</param>
    /// <param name="evidence">How well the edition as a whole is backed.</param>
    /// <param name="source">Where it comes from.</param>
    /// <param name="itemCodes">The item codes.</param>
    /// <param name="caps">The caps; each item code belongs to exactly one.</param>
    public AdmissionRouteEdition(SchoolYear from, SchoolYear? until, SchoolYear sourcedThrough, Evidence evidence, string? source, IEnumerable<AdmissionItemCode> itemCodes, IEnumerable<AdmissionCap> caps)
    {
        ArgumentNullException.ThrowIfNull(itemCodes);
        ArgumentNullException.ThrowIfNull(caps);
        From = from;
        Until = until;
        SourcedThrough = sourcedThrough;
        Evidence = evidence;
        Source = source;
        ItemCodes = [.. itemCodes];
        Caps = [.. caps];
    }

    /// <summary>Gets the first 招生學年度 it applies to.</summary>
    public SchoolYear From { get; }

    /// <summary>Gets the last 招生學年度 it applies to, or <see langword="null"/> until a later edition replaces it.</summary>
    public SchoolYear? Until { get; }

    /// <summary>Gets the last 招生學年度 a cited source is about; an assessment for a later year warns (PF3602).</summary>
    public SchoolYear SourcedThrough { get; }

    /// <summary>Gets how well the edition is backed.</summary>
    public Evidence Evidence { get; }

    /// <summary>Gets where the edition comes from.</summary>
    public string? Source { get; }

    /// <summary>Gets the item codes (項目代碼), in order.</summary>
    public IReadOnlyList<AdmissionItemCode> ItemCodes { get; }

    /// <summary>Gets the caps per 校系 (件數上限).</summary>
    public IReadOnlyList<AdmissionCap> Caps { get; }

    /// <summary>Gets whether the edition applies to a 招生學年度.</summary>
    /// <param name="year">The year.</param>
    /// <returns><see langword="true"/> when <paramref name="year"/> is from <see cref="From"/> to <see cref="Until"/>.</returns>
    public bool Covers(SchoolYear year) => year >= From && (Until is not { } until || year <= until);

    /// <summary>Gets the cap an item code counts against.</summary>
    /// <param name="code">The item code.</param>
    /// <returns>The cap.</returns>
    /// <exception cref="KeyNotFoundException">No cap holds the code.</exception>
    public AdmissionCap CapOf(string code) =>
        Caps.FirstOrDefault(c => c.Codes.Contains(code, StringComparer.Ordinal)) ?? throw new KeyNotFoundException($"No cap holds item code '{code}'.");
}

/// <summary>
/// An item code of a route (項目代碼, e.g. <c>B-1</c> 專題實作、實習科目學習成果): what it means and the evidence it accepts,
/// course outcomes by the 科目屬性 of their 課程代碼 and 多元表現 by category.
/// </summary>
public sealed class AdmissionItemCode
{
    /// <summary>The value that accepts any 科目屬性 or any 多元表現 category.</summary>
    public const string Any = "*";

    /// <summary>Initializes an item code.</summary>
    /// <param name="code">The code, e.g. <c>B-1</c>.</param>
    /// <param name="name">The Chinese meaning.</param>
    /// <param name="nameEnglish">The English meaning.</param>
    /// <param name="evidence">How well the code and what it accepts are backed.</param>
    /// <param name="source">Where it comes from.</param>
    /// <param name="courseOutcomeAttributes">The 科目屬性 (課程代碼 position 19) of the course outcomes it accepts; <c>*</c> for any.</param>
    /// <param name="performanceCategories">The 多元表現 categories (roster sheet ids such as <c>performance-competition</c>) it accepts; <c>*</c> for any.</param>
    public AdmissionItemCode(string code, string name, string nameEnglish, Evidence evidence, string? source, IEnumerable<string> courseOutcomeAttributes, IEnumerable<string> performanceCategories)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(code);
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(nameEnglish);
        ArgumentNullException.ThrowIfNull(courseOutcomeAttributes);
        ArgumentNullException.ThrowIfNull(performanceCategories);
        Code = code;
        Name = name;
        NameEnglish = nameEnglish;
        Evidence = evidence;
        Source = source;
        CourseOutcomeAttributes = [.. courseOutcomeAttributes];
        PerformanceCategories = [.. performanceCategories];
    }

    /// <summary>Gets the code.</summary>
    public string Code { get; }

    /// <summary>Gets the Chinese meaning.</summary>
    public string Name { get; }

    /// <summary>Gets the English meaning.</summary>
    public string NameEnglish { get; }

    /// <summary>Gets how well the code is backed.</summary>
    public Evidence Evidence { get; }

    /// <summary>Gets where the code comes from.</summary>
    public string? Source { get; }

    /// <summary>Gets the 科目屬性 of the course outcomes it accepts (<c>*</c>: any).</summary>
    public IReadOnlyList<string> CourseOutcomeAttributes { get; }

    /// <summary>Gets the 多元表現 categories it accepts (<c>*</c>: any).</summary>
    public IReadOnlyList<string> PerformanceCategories { get; }

    /// <summary>Gets whether an item falls under this code.</summary>
    /// <param name="item">The item.</param>
    /// <returns><see langword="true"/> when the code accepts the item's 科目屬性 or category.</returns>
    public bool Accepts(AdmissionItem item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return item.Kind switch
        {
            AdmissionItemKind.CourseOutcome => item.CourseCode is { } course && Matches(CourseOutcomeAttributes, course.SubjectAttribute),
            AdmissionItemKind.Performance => item.PerformanceCategory is { } category && Matches(PerformanceCategories, category),
            _ => false,
        };
    }

    /// <inheritdoc />
    public override string ToString() => $"{Code} {Name}";

    private static bool Matches(IReadOnlyList<string> accepted, string value) =>
        value.Length > 0 && accepted.Any(a => a == Any || string.Equals(a, value, StringComparison.Ordinal));
}

/// <summary>
/// A cap per 校系 (件數上限): at most <see cref="Max"/> items of its codes together count, and at least <see cref="Min"/>
/// are required when set (四技二專 B-1 必採).
/// </summary>
/// <param name="Id">The identifier within the edition, e.g. <c>B-1</c> or <c>C</c>.</param>
/// <param name="Codes">The item codes it covers.</param>
/// <param name="Max">The most items that count.</param>
/// <param name="Min">The fewest items required, or <see langword="null"/>.</param>
/// <param name="Evidence">How well the numbers are backed.</param>
/// <param name="Source">Where they come from.</param>
public sealed record AdmissionCap(string Id, IReadOnlyList<string> Codes, int Max, int? Min, Evidence Evidence, string? Source);
