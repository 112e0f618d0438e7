using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Privacy;

namespace Portfolio.Sdk.Storage;

/// <summary>One student's portfolio status in a school year (學生狀態), as a 導師 sees the class.</summary>
/// <param name="StudentKey">The student.</param>
/// <param name="ClassName">The student's class.</param>
/// <param name="Uploaded">課程學習成果 uploaded (any state).</param>
/// <param name="Sent">課程學習成果 sent for certification (待認證, 認證通過 or 認證不通過).</param>
/// <param name="Certified">課程學習成果 certified.</param>
/// <param name="Rejected">課程學習成果 rejected.</param>
/// <param name="Selected">課程學習成果 selected for the year.</param>
/// <param name="PerformancesUploaded">The student's own 多元表現 of the year.</param>
/// <param name="PerformancesSelected">多元表現 selected for the year.</param>
public sealed record StudentStatus(string StudentKey, string? ClassName, int Uploaded, int Sent, int Certified, int Rejected, int Selected, int PerformancesUploaded, int PerformancesSelected)
{
    /// <summary>Gets whether the student has selected nothing yet for the year (尚未勾選).</summary>
    public bool HasNothingSelected => Selected == 0 && PerformancesSelected == 0;

    /// <summary>Returns the counts with the student key masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        $"StudentStatus {{ StudentKey = {Redaction.MaskIdentifier(StudentKey)}, ClassName = {ClassName}, Uploaded = {Uploaded}, Sent = {Sent}, Certified = {Certified}, Rejected = {Rejected}, Selected = {Selected}, PerformancesUploaded = {PerformancesUploaded}, PerformancesSelected = {PerformancesSelected} }}";
}

/// <summary>How school statistics are grouped.</summary>
public enum StatisticsGroup
{
    /// <summary>By grade (年級): the first digit of the class name (101 → 1), the usual numbering.</summary>
    Grade = 1,

    /// <summary>By class (班級).</summary>
    Class,

    /// <summary>By certifying teacher (認證教師).</summary>
    Teacher,
}

/// <summary>
/// The statistics of one grade, class or teacher for a school year (學習歷程統計): 上傳率 (students who uploaded a course
/// outcome, of the students), 認證率 (course outcomes certified, of those sent) and 勾選率 (students who selected something,
/// of the students). The students of a grade or class are those with a credited course or an item in it that year; a
/// teacher's students are those whose course outcomes the teacher certifies.
/// </summary>
/// <param name="Group">How the row is grouped.</param>
/// <param name="Key">The grade, class or teacher's user id.</param>
/// <param name="Students">The students.</param>
/// <param name="StudentsUploaded">Students with at least one course outcome.</param>
/// <param name="StudentsSelected">Students with at least one item selected (for a teacher: one of the teacher's course outcomes).</param>
/// <param name="Uploaded">Course outcomes uploaded.</param>
/// <param name="Sent">Course outcomes sent for certification.</param>
/// <param name="Certified">Course outcomes certified.</param>
/// <param name="Selected">Course outcomes selected for the year.</param>
public sealed record PortfolioStatistics(StatisticsGroup Group, string Key, int Students, int StudentsUploaded, int StudentsSelected, int Uploaded, int Sent, int Certified, int Selected)
{
    /// <summary>Gets the 上傳率: students who uploaded, of the students (0 when there are none).</summary>
    public double UploadRate => Students == 0 ? 0 : StudentsUploaded / (double)Students;

    /// <summary>Gets the 認證率: course outcomes certified, of those sent (0 when none was sent).</summary>
    public double CertificationRate => Sent == 0 ? 0 : Certified / (double)Sent;

    /// <summary>Gets the 勾選率: students who selected something, of the students (0 when there are none).</summary>
    public double SelectionRate => Students == 0 ? 0 : StudentsSelected / (double)Students;
}

/// <summary>The statistics of a school year by grade, class and certifying teacher (全校統計).</summary>
/// <param name="Year">The school year.</param>
/// <param name="Grades">By grade.</param>
/// <param name="Classes">By class.</param>
/// <param name="Teachers">By certifying teacher.</param>
public sealed record SchoolStatistics(SchoolYear Year, IReadOnlyList<PortfolioStatistics> Grades, IReadOnlyList<PortfolioStatistics> Classes, IReadOnlyList<PortfolioStatistics> Teachers);

/// <summary>How many school-entered cadre records (校內幹部經歷) a student has in a school year.</summary>
/// <param name="StudentKey">The student.</param>
/// <param name="ClassName">The student's class.</param>
/// <param name="Cadres">The cadre records.</param>
public sealed record CadreCount(string StudentKey, string? ClassName, int Cadres)
{
    /// <summary>Returns the count with the student key masked.</summary>
    /// <returns>The text.</returns>
    public override string ToString() => $"CadreCount {{ StudentKey = {Redaction.MaskIdentifier(StudentKey)}, ClassName = {ClassName}, Cadres = {Cadres} }}";
}

/// <summary>A stored file opened for download (下載檔案), verified against its SHA-256; dispose it to close <see cref="Content"/>.</summary>
public sealed class PortfolioFileDownload : IDisposable, IAsyncDisposable
{
    /// <summary>Initializes the download.</summary>
    /// <param name="sha256">The file's SHA-256.</param>
    /// <param name="type">The type read from its content, or <see langword="null"/> when none of the accepted ones.</param>
    /// <param name="length">The size in bytes.</param>
    /// <param name="content">The content, positioned at the start; owned by this object.</param>
    public PortfolioFileDownload(string sha256, PortfolioFileType? type, long length, Stream content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sha256);
        ArgumentNullException.ThrowIfNull(content);
        Sha256 = sha256;
        Type = type;
        Length = length;
        Content = content;
    }

    /// <summary>Gets the file's SHA-256 (lower-case hex), its name in the content store.</summary>
    public string Sha256 { get; }

    /// <summary>Gets the type read from the content, or <see langword="null"/>.</summary>
    public PortfolioFileType? Type { get; }

    /// <summary>Gets the size in bytes.</summary>
    public long Length { get; }

    /// <summary>Gets the content, positioned at the start.</summary>
    public Stream Content { get; }

    /// <summary>Gets the media type of <see cref="Type"/> (<c>application/pdf</c>, <c>image/png</c> …), <c>application/octet-stream</c> when unknown.</summary>
    public string MediaType => Type switch
    {
        PortfolioFileType.Pdf => "application/pdf",
        PortfolioFileType.Jpeg => "image/jpeg",
        PortfolioFileType.Png => "image/png",
        PortfolioFileType.Mp3 => "audio/mpeg",
        PortfolioFileType.Mp4 => "video/mp4",
        _ => "application/octet-stream",
    };

    /// <summary>Closes the content.</summary>
    public void Dispose() => Content.Dispose();

    /// <summary>Closes the content.</summary>
    /// <returns>The work.</returns>
    public ValueTask DisposeAsync() => Content.DisposeAsync();
}
