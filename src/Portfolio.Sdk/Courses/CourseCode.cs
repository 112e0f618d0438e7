using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Schools;

namespace Portfolio.Sdk.Courses;

/// <summary>
/// A 課程代碼: the 23-character course code issued by the 課程計畫平臺, made of eleven segments (適用入學年度,
/// 學校代碼, 課程類型, 群別, 科別, 班群, 課程類別, 開課方式, 科目屬性, 領域, 科目).
/// </summary>
/// <remarks>
/// Layout and values follow <c>domain-research.md</c> §4 (ischool <c>CourseInfo</c>, third-party evidence).
/// </remarks>
[System.Text.Json.Serialization.JsonConverter(typeof(Portfolio.Sdk.Json.CourseCodeJsonConverter))]
public readonly record struct CourseCode : IParsable<CourseCode>
{
    /// <summary>The number of characters.</summary>
    public const int Length = 23;

    /// <summary>The number of leading characters that identify one curriculum map (課程規劃表).</summary>
    public const int CurriculumMapKeyLength = 16;

    /// <summary>The subject attribute with which categories 8 and 9 may submit grades (充實/補強性教學).</summary>
    public const string EnrichmentAttribute = "D";

    /// <summary>The 是否採計學分 value required for a category 8/9 course with attribute D.</summary>
    public const string GroupActivityCreditCounting = "3";

    private readonly string? _value;

    private CourseCode(string value) => _value = value;

    /// <summary>Gets the 23 characters.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Gets the cohort (適用入學年度).</summary>
    public SchoolYear CohortYear => new(int.Parse(Segment(CourseCodeSegment.CohortYear), CultureInfo.InvariantCulture));

    /// <summary>Gets the school code (學校代碼).</summary>
    public SchoolCode SchoolCode => SchoolCode.Parse(Segment(CourseCodeSegment.SchoolCode));

    /// <summary>Gets the course type (課程類型), e.g. <c>H</c>.</summary>
    public string CourseType => Segment(CourseCodeSegment.CourseType);

    /// <summary>Gets the group (群別代碼), e.g. <c>11</c>.</summary>
    public string Group => Segment(CourseCodeSegment.Group);

    /// <summary>Gets the department, class or programme (科/班/學程別代碼), e.g. <c>101</c>.</summary>
    public string Department => Segment(CourseCodeSegment.Department);

    /// <summary>Gets the class group (班群).</summary>
    public string ClassGroup => Segment(CourseCodeSegment.ClassGroup);

    /// <summary>Gets the course category (課程類別), e.g. <c>1</c> 部定必修.</summary>
    public string CourseCategory => Segment(CourseCodeSegment.CourseCategory);

    /// <summary>Gets the delivery (開課方式).</summary>
    public string Delivery => Segment(CourseCodeSegment.Delivery);

    /// <summary>Gets the subject attribute (科目屬性).</summary>
    public string SubjectAttribute => Segment(CourseCodeSegment.SubjectAttribute);

    /// <summary>Gets the domain code (領域名稱代碼).</summary>
    public string Domain => Segment(CourseCodeSegment.Domain);

    /// <summary>Gets the subject code (科目名稱代碼).</summary>
    public string Subject => Segment(CourseCodeSegment.Subject);

    /// <summary>Gets the first 16 characters, which identify one curriculum map (課程規劃表).</summary>
    public string CurriculumMapKey => Value.Length == Length ? Value[..CurriculumMapKeyLength] : string.Empty;

    /// <summary>Gets whether the course is 團體活動時間 (category 8) or 彈性學習時間 (category 9).</summary>
    public bool IsGroupActivityOrFlexibleLearning => CourseCategory is "8" or "9";

    /// <summary>
    /// Gets whether grades of this course are submitted to the central database: always, except for
    /// categories 8 and 9, which are submitted only with subject attribute D.
    /// </summary>
    public bool AllowsGradeSubmission => !IsGroupActivityOrFlexibleLearning || SubjectAttribute == EnrichmentAttribute;

    /// <summary>
    /// Gets the 是否採計學分 value this course requires, or <see langword="null"/> when any value may be used:
    /// <c>3</c> for category 8/9 with attribute D.
    /// </summary>
    public string? RequiredCreditCounting =>
        IsGroupActivityOrFlexibleLearning && SubjectAttribute == EnrichmentAttribute ? GroupActivityCreditCounting : null;

    /// <summary>
    /// Validates a course code and reports every problem found: length and characters, the cohort year, the
    /// school code, each coded segment against the code tables, and the 8/9 + D rule.
    /// </summary>
    /// <param name="input">The text.</param>
    /// <param name="location">Where the text came from; segment paths are appended to it.</param>
    /// <param name="codes">The code tables; <see cref="CodeTableCatalog.Default"/> when <see langword="null"/>.</param>
    /// <returns>The outcome.</returns>
    public static ParseOutcome<CourseCode> Validate(string? input, DiagnosticLocation? location = null, CodeTableCatalog? codes = null)
    {
        codes ??= CodeTableCatalog.Default;
        var diagnostics = new List<Diagnostic>();
        var text = input?.Trim();
        if (string.IsNullOrEmpty(text))
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CourseCodeEmpty, location));
            return ParseOutcome.From<CourseCode>(default, diagnostics);
        }

        if (!Ascii.IsValid(text))
        {
            text = text.Normalize(NormalizationForm.FormKC);
        }

        if (text.Length != Length)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CourseCodeLength, location, text.Length));
            return ParseOutcome.From<CourseCode>(default, diagnostics);
        }

        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsAsciiDigit(text[i]) && !char.IsAsciiLetterUpper(text[i]))
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CourseCodeCharacters, location, i + 1, text[i]));
            }
        }

        if (diagnostics.Count > 0)
        {
            return ParseOutcome.From<CourseCode>(default, diagnostics);
        }

        var code = new CourseCode(text);
        DiagnosticLocation At(CourseCodeSegmentInfo info) => (location ?? new DiagnosticLocation()).Append(info.Key);

        var cohort = CourseCodeSegmentInfo.Of(CourseCodeSegment.CohortYear);
        var cohortText = code.Segment(CourseCodeSegment.CohortYear);
        if (!CharacterSets.AllDigits(cohortText) || cohortText == "000")
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CourseCodeCohortYear, At(cohort), cohortText));
        }

        var schoolInfo = CourseCodeSegmentInfo.Of(CourseCodeSegment.SchoolCode);
        foreach (var problem in SchoolCode.Validate(code.Segment(CourseCodeSegment.SchoolCode), At(schoolInfo), codes).Diagnostics)
        {
            diagnostics.Add(problem.IsError
                ? DiagnosticCatalog.Create(DiagnosticCodes.CourseCodeSchool, At(schoolInfo), problem.Message, problem.MessageEnglish)
                : problem);
        }

        SchoolYear? year = diagnostics.Exists(d => d.Code == DiagnosticCodes.CourseCodeCohortYear) ? null : code.CohortYear;
        foreach (var info in CourseCodeSegmentInfo.Segments)
        {
            if (info.CodeTableId is null || !codes.TryGetTable(info.CodeTableId, out var table))
            {
                continue;
            }

            var value = code.Segment(info.Segment);
            if (!table.TryGet(value, year, out _))
            {
                diagnostics.Add(DiagnosticCatalog.Create(
                    table.IsClosed ? DiagnosticCodes.CourseCodeSegmentUnknown : DiagnosticCodes.CourseCodeSegmentUnlisted,
                    At(info),
                    info.Positions,
                    info.Name,
                    value,
                    info.NameEnglish));
            }
        }

        if (!code.AllowsGradeSubmission)
        {
            var category = CourseCodeSegmentInfo.Of(CourseCodeSegment.CourseCategory);
            diagnostics.Add(DiagnosticCatalog.Create(
                DiagnosticCodes.CourseCodeGroupActivityAttribute,
                At(CourseCodeSegmentInfo.Of(CourseCodeSegment.SubjectAttribute)),
                code.CourseCategory,
                codes.TryGetTable(category.CodeTableId!, out var categories) ? categories.NameOf(code.CourseCategory) : null,
                code.SubjectAttribute));
        }

        return ParseOutcome.From<CourseCode>(code, diagnostics);
    }

    /// <summary>Parses a valid course code (warnings such as unlisted segment values do not prevent it).</summary>
    /// <param name="s">The text.</param>
    /// <returns>The course code.</returns>
    /// <exception cref="FormatException">The text is not a valid course code.</exception>
    public static CourseCode Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        var outcome = Validate(s);
        return outcome.Success ? outcome.Value : throw new FormatException(outcome.Diagnostics.First(d => d.IsError).MessageEnglish);
    }

    /// <summary>Tries to parse a valid course code.</summary>
    /// <param name="s">The text.</param>
    /// <param name="result">The course code.</param>
    /// <returns><see langword="true"/> when valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out CourseCode result)
    {
        var outcome = Validate(s);
        result = outcome.Value;
        return outcome.Success;
    }

    /// <summary>Gets the characters of one segment.</summary>
    /// <param name="segment">The segment.</param>
    /// <returns>The characters, or an empty string for the default value.</returns>
    public string Segment(CourseCodeSegment segment)
    {
        var info = CourseCodeSegmentInfo.Of(segment);
        return Value.Length == Length ? Value.Substring(info.Start, info.Length) : string.Empty;
    }

    /// <summary>Explains every segment with its value and its meaning from the code tables.</summary>
    /// <param name="codes">The code tables; <see cref="CodeTableCatalog.Default"/> when <see langword="null"/>.</param>
    /// <returns>The eleven segments, in order.</returns>
    public IReadOnlyList<CourseCodeSegmentValue> Explain(CodeTableCatalog? codes = null)
    {
        codes ??= CodeTableCatalog.Default;
        var cohortYear = CohortYear;
        var result = new CourseCodeSegmentValue[CourseCodeSegmentInfo.Segments.Count];
        foreach (var info in CourseCodeSegmentInfo.Segments)
        {
            var value = Segment(info.Segment);
            string? meaning = info.Segment switch
            {
                CourseCodeSegment.CohortYear => $"{cohortYear.RocYear} 學年度入學",
                CourseCodeSegment.SchoolCode => codes.TryGetTable(CodeTableIds.TestSchool, out var tests) ? tests.NameOf(value) : null,
                _ when info.CodeTableId is not null && codes.TryGetTable(info.CodeTableId, out var table) => table.NameOf(value, cohortYear),
                _ => null,
            };
            result[(int)info.Segment] = new CourseCodeSegmentValue(info, value, meaning);
        }

        return result;
    }

    /// <summary>Returns the 23 characters.</summary>
    /// <returns>The code.</returns>
    public override string ToString() => Value;

    /// <inheritdoc cref="Parse(string)" />
    static CourseCode IParsable<CourseCode>.Parse(string s, IFormatProvider? provider) => Parse(s);

    /// <inheritdoc cref="TryParse(string?, out CourseCode)" />
    static bool IParsable<CourseCode>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out CourseCode result) => TryParse(s, out result);
}
