namespace Portfolio.Sdk.Courses;

/// <summary>One segment of a particular 課程代碼 with its value and, where a code table knows it, its meaning.</summary>
/// <param name="Info">The segment's layout and names.</param>
/// <param name="Code">The characters of the segment.</param>
/// <param name="Meaning">The meaning from the code tables, or <see langword="null"/> when unknown.</param>
public sealed record CourseCodeSegmentValue(CourseCodeSegmentInfo Info, string Code, string? Meaning);
