using Portfolio.Sdk.Codes;

namespace Portfolio.Sdk.Courses;

/// <summary>
/// The layout of one 課程代碼 segment: where it sits, its names, and the code table that gives its values.
/// </summary>
public sealed class CourseCodeSegmentInfo
{
    private static readonly CourseCodeSegmentInfo[] All =
    [
        new(CourseCodeSegment.CohortYear, 0, 3, "cohortYear", "適用入學年度", "cohort year", null),
        new(CourseCodeSegment.SchoolCode, 3, 6, "schoolCode", "學校代碼", "school code", null),
        new(CourseCodeSegment.CourseType, 9, 1, "courseType", "課程類型", "course type", CodeTableIds.CourseType),
        new(CourseCodeSegment.Group, 10, 2, "group", "群別", "group", CodeTableIds.Group),
        new(CourseCodeSegment.Department, 12, 3, "department", "科/班/學程別", "department", CodeTableIds.Department),
        new(CourseCodeSegment.ClassGroup, 15, 1, "classGroup", "班群", "class group", CodeTableIds.ClassGroup),
        new(CourseCodeSegment.CourseCategory, 16, 1, "courseCategory", "課程類別", "course category", CodeTableIds.CourseCategory),
        new(CourseCodeSegment.Delivery, 17, 1, "delivery", "開課方式", "delivery", CodeTableIds.Delivery),
        new(CourseCodeSegment.SubjectAttribute, 18, 1, "subjectAttribute", "科目屬性", "subject attribute", CodeTableIds.SubjectAttribute),
        new(CourseCodeSegment.Domain, 19, 2, "domain", "領域名稱代碼", "domain", null),
        new(CourseCodeSegment.Subject, 21, 2, "subject", "科目名稱代碼", "subject", null),
    ];

    private CourseCodeSegmentInfo(CourseCodeSegment segment, int start, int length, string key, string name, string nameEnglish, string? codeTableId)
    {
        Segment = segment;
        Start = start;
        Length = length;
        Key = key;
        Name = name;
        NameEnglish = nameEnglish;
        CodeTableId = codeTableId;
    }

    /// <summary>Gets every segment, in order.</summary>
    public static IReadOnlyList<CourseCodeSegmentInfo> Segments => All;

    /// <summary>Gets the segment.</summary>
    public CourseCodeSegment Segment { get; }

    /// <summary>Gets the 0-based start index in the code.</summary>
    public int Start { get; }

    /// <summary>Gets the number of characters.</summary>
    public int Length { get; }

    /// <summary>Gets the stable camel-case key used in JSON, e.g. <c>subjectAttribute</c>.</summary>
    public string Key { get; }

    /// <summary>Gets the Chinese name.</summary>
    public string Name { get; }

    /// <summary>Gets the English name.</summary>
    public string NameEnglish { get; }

    /// <summary>Gets the identifier of the code table that names the segment's values, if there is one.</summary>
    public string? CodeTableId { get; }

    /// <summary>Gets the 1-based positions as written in the specification, e.g. <c>11–12</c>.</summary>
    public string Positions => Length == 1 ? $"{Start + 1}" : $"{Start + 1}–{Start + Length}";

    /// <summary>Gets the layout of <paramref name="segment"/>.</summary>
    /// <param name="segment">The segment.</param>
    /// <returns>The layout.</returns>
    public static CourseCodeSegmentInfo Of(CourseCodeSegment segment) => All[(int)segment];

    /// <inheritdoc />
    public override string ToString() => $"{Positions} {Name}";
}
