using System.Globalization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Files;

namespace Portfolio.Sdk.Policy;

/// <summary>What a student uploads (上傳類別).</summary>
public enum UploadKind
{
    /// <summary>課程學習成果: documents and media; a 簡述 is required.</summary>
    CourseOutcome = 1,

    /// <summary>多元表現: documents and media, or an external video link.</summary>
    Performance,

    /// <summary>課程諮詢紀錄 attachment: pdf, jpg or png only, with its own limit.</summary>
    Counseling,
}

/// <summary>One upload to check, with what the store already knows about the student.</summary>
public sealed record UploadRequest
{
    /// <summary>Gets what is uploaded.</summary>
    public required UploadKind Kind { get; init; }

    /// <summary>Gets the term it belongs to.</summary>
    public required SchoolTerm Term { get; init; }

    /// <summary>Gets today's date in the school's time zone.</summary>
    public required DateOnly Today { get; init; }

    /// <summary>Gets the student's grade (年級), so a grade's own upload window applies; <see langword="null"/> for the school-wide window.</summary>
    public GradeLevel? Grade { get; init; }

    /// <summary>Gets the 簡述.</summary>
    public string? Summary { get; init; }

    /// <summary>Gets the first bytes of the file (at least <see cref="FileSignature.HeaderLength"/>), or empty when no file.</summary>
    public ReadOnlyMemory<byte> FileHeader { get; init; }

    /// <summary>Gets the file size in bytes (0 when no file).</summary>
    public long FileLength { get; init; }

    /// <summary>Gets an external video link (多元表現 only), or <see langword="null"/>.</summary>
    public string? ExternalLink { get; init; }

    /// <summary>Gets whether the work was done by a group.</summary>
    public bool IsGroupWork { get; init; }

    /// <summary>Gets how many items of this kind the student already uploaded this term.</summary>
    public int UploadedThisTerm { get; init; }

    /// <summary>Gets how many course outcomes the student already uploaded for this subject this term.</summary>
    public int UploadedThisSubject { get; init; }

    /// <summary>Gets how many 多元表現 the student already uploaded this school year.</summary>
    public int UploadedThisYear { get; init; }

    /// <summary>Gets the bytes the student's files already take.</summary>
    public long StorageUsedBytes { get; init; }
}

/// <summary>
/// Checks an upload against the policy (上傳檢核): file type by content, size by kind and school year, 簡述 length in
/// characters a person sees, https-only links, the school's caps and windows, the storage quota; and warns about the
/// habits the seeds call out (a 簡述 that says nothing, a group work with no stated personal share).
/// </summary>
public static class UploadChecks
{
    // Summaries that say nothing, as the seeds' examples show (如附檔, 謝謝老師 …), compared without spaces and punctuation.
    private static readonly string[] EmptyPhrases = ["如附檔", "如附件", "詳見附件", "詳見附檔", "請見附件", "謝謝老師", "無", "略", "同上", "如題", "作業", "報告", "心得"];

    // Words by which a student states their own part of a group work.
    private static readonly string[] PersonalShareMarkers = ["我負責", "我的部分", "我擔任", "我主要", "負責", "分工", "我"];

    /// <summary>Checks an upload.</summary>
    /// <param name="request">The upload.</param>
    /// <param name="policy">The policy.</param>
    /// <returns>Every problem (errors block the upload; warnings do not).</returns>
    public static IReadOnlyList<Diagnostic> Check(UploadRequest request, PortfolioPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(policy);
        var problems = new List<Diagnostic>();
        var national = policy.For(request.Term.Year);
        var (kindZh, kindEn) = request.Kind switch
        {
            UploadKind.CourseOutcome => ("課程學習成果", "course outcomes"),
            UploadKind.Performance => ("多元表現", "diverse performances"),
            _ => ("課程諮詢紀錄", "course counselling records"),
        };

        if (policy.CheckWindow(PolicyWindowKind.Upload, request.Term, request.Grade, request.Today) is { } closed)
        {
            problems.Add(closed);
        }

        CheckFile(request, national, kindZh, kindEn, problems);
        CheckSummary(request, national, problems);

        if (request.ExternalLink is { } link && (!Uri.TryCreate(link, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps || request.Kind != UploadKind.Performance))
        {
            problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.UrlInvalid, DiagnosticLocation.ForPath("externalLink"), "外部影音連結"));
        }

        var school = policy.School;
        if (request.Kind == UploadKind.CourseOutcome && school.CourseOutcomeUploadsPerTerm is { } perTerm && request.UploadedThisTerm >= perTerm)
        {
            problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.UploadCap, null, "本學期課程學習成果", request.UploadedThisTerm, perTerm, "course outcomes this term"));
        }

        if (request.Kind == UploadKind.CourseOutcome && school.CourseOutcomeUploadsPerSubject is { } perSubject && request.UploadedThisSubject >= perSubject)
        {
            problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.UploadCap, null, "本科目課程學習成果", request.UploadedThisSubject, perSubject, "course outcomes for this subject"));
        }

        if (request.Kind == UploadKind.Performance && school.PerformanceUploadsPerYear is { } perYear && request.UploadedThisYear >= perYear)
        {
            problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.UploadCap, null, "本學年多元表現", request.UploadedThisYear, perYear, "performances this school year"));
        }

        if (school.StorageQuotaBytes is { } quota && request.StorageUsedBytes + request.FileLength > quota)
        {
            problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.StorageQuota, null, Size(request.StorageUsedBytes + request.FileLength), Size(quota)));
        }

        return problems;
    }

    private static void CheckFile(UploadRequest request, NationalPolicy national, string kindZh, string kindEn, List<Diagnostic> problems)
    {
        if (request.FileLength == 0 && request.FileHeader.IsEmpty)
        {
            return;
        }

        var at = DiagnosticLocation.ForPath("file");
        if (FileSignature.Detect(request.FileHeader.Span) is not { } type)
        {
            problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.FileTypeUnsupported, at));
            return;
        }

        var isMedia = type is PortfolioFileType.Mp3 or PortfolioFileType.Mp4;
        if (request.Kind == UploadKind.Counseling && isMedia)
        {
            problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.FileTypeNotAllowed, at, kindZh, FileSignature.Extension(type), kindEn));
            return;
        }

        var (limit, limitZh, limitEn) = request.Kind == UploadKind.Counseling
            ? (national.CounselingAttachmentMaxBytes, "課程諮詢附件", "counselling attachment")
            : isMedia ? (national.MediaMaxBytes, "影音檔", "media") : (national.DocumentMaxBytes, "文件", "document");
        if (request.FileLength > limit)
        {
            problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.FileTooLarge, at, Size(request.FileLength), limitZh, Size(limit), request.Term.Year.RocYear, limitEn));
        }
    }

    private static void CheckSummary(UploadRequest request, NationalPolicy national, List<Diagnostic> problems)
    {
        var at = DiagnosticLocation.ForPath("summary");
        var summary = request.Summary?.Trim() ?? string.Empty;
        if (summary.Length == 0)
        {
            if (request.Kind != UploadKind.Counseling)
            {
                problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.SummaryRequired, at));
            }

            return;
        }

        var length = new StringInfo(summary).LengthInTextElements;
        if (length > national.SummaryMaxLength)
        {
            problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.SummaryTooLong, at, national.SummaryMaxLength, length));
        }

        var bare = new string(summary.Where(c => !char.IsWhiteSpace(c) && !char.IsPunctuation(c) && !char.IsSymbol(c)).ToArray());
        if (Array.Exists(EmptyPhrases, p => bare == p) || (bare.Length <= 8 && Array.Exists(EmptyPhrases, p => p.Length >= 3 && bare.Contains(p, StringComparison.Ordinal))))
        {
            problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.SummarySaysNothing, at, summary));
        }

        if (request.IsGroupWork && !Array.Exists(PersonalShareMarkers, m => summary.Contains(m, StringComparison.Ordinal)))
        {
            problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.GroupWorkWithoutShare, at));
        }
    }

    private static string Size(long bytes) => (bytes / (double)PolicyDefaults.Megabyte).ToString("0.##", CultureInfo.InvariantCulture) + " MB";
}
