namespace Portfolio.Sdk.Policy;

/// <summary>The national defaults (全國規定), with their sources; <see cref="PortfolioPolicy.Default"/> is built from them.</summary>
public static class PolicyDefaults
{
    /// <summary>One mebibyte.</summary>
    public const long Megabyte = 1024 * 1024;

    /// <summary>課程學習成果 selected per school year (seeds 000, 002, 003, 004).</summary>
    public const int CourseOutcomeSelectionCap = 6;

    /// <summary>多元表現 selected per school year (seeds 000–004).</summary>
    public const int PerformanceSelectionCap = 10;

    /// <summary>簡述 length in characters a person sees (seeds 003, 004).</summary>
    public const int SummaryMaxLength = 100;

    /// <summary>Days students have at least to confirm a receipt (research §3.10).</summary>
    public const int ConfirmationMinDays = 3;

    /// <summary>Document limit (pdf/jpg/png) before school year 109: 2 MB (research §5.1).</summary>
    public const long DocumentMaxBytesBefore109 = 2 * Megabyte;

    /// <summary>Media limit (mp3/mp4) before school year 109: 5 MB (research §5.1).</summary>
    public const long MediaMaxBytesBefore109 = 5 * Megabyte;

    /// <summary>Document limit from school year 109: 4 MB (seeds 003, 004).</summary>
    public const long DocumentMaxBytes = 4 * Megabyte;

    /// <summary>Media limit from school year 109: 10 MB (seeds 003, 004).</summary>
    public const long MediaMaxBytes = 10 * Megabyte;

    /// <summary>課程諮詢 attachment limit: 2 MB (seed 003).</summary>
    public const long CounselingAttachmentMaxBytes = 2 * Megabyte;

    /// <summary>The school year the 4 MB / 10 MB limits start (109-1).</summary>
    public const int LargerFilesFrom = 109;

    /// <summary>The 學制 key of 進修部 in <see cref="PassMarks"/>: a 進修部 grade's pass mark, before its course type.</summary>
    public const string ContinuingProgram = "continuing";

    /// <summary>
    /// The 及格基準 (pass mark) by 學制: the course code's 課程類型 (H 普通型, V 技術型, C 綜合型, S 單科型) or
    /// <see cref="ContinuingProgram"/>. 60 for H, V, C and S is evidence [I]: the 高級中等學校學生學習評量辦法's 60-point
    /// pass mark as schools apply it, which the project's seeds and research do not quote. The 進修部 and 特殊教育 (M)
    /// pass marks are [U] (not found in the seeds, the research or DOMAIN): they are absent, so rows of those 學制 are not
    /// checked until a school's policy file gives them.
    /// </summary>
    public static IReadOnlyDictionary<string, decimal> PassMarks { get; } = new Dictionary<string, decimal>(StringComparer.Ordinal)
    {
        ["H"] = 60m,
        ["V"] = 60m,
        ["C"] = 60m,
        ["S"] = 60m,
    };
}
