using System.Text.Json;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Workflow;

namespace Portfolio.Sdk.Policy;

/// <summary>The national rules from one school year on (全國規定), until a later entry replaces them.</summary>
public sealed record NationalPolicy
{
    /// <summary>Gets the first school year the rules apply to.</summary>
    public required SchoolYear From { get; init; }

    /// <summary>Gets the 課程學習成果 selected per school year.</summary>
    /// <value>The default value is 6.</value>
    public int CourseOutcomeSelectionCap { get; init; } = PolicyDefaults.CourseOutcomeSelectionCap;

    /// <summary>Gets the 多元表現 selected per school year.</summary>
    /// <value>The default value is 10.</value>
    public int PerformanceSelectionCap { get; init; } = PolicyDefaults.PerformanceSelectionCap;

    /// <summary>Gets the largest document (pdf, jpg, png) in bytes.</summary>
    /// <value>The default value is 4 MB.</value>
    public long DocumentMaxBytes { get; init; } = PolicyDefaults.DocumentMaxBytes;

    /// <summary>Gets the largest media file (mp3, mp4) in bytes.</summary>
    /// <value>The default value is 10 MB.</value>
    public long MediaMaxBytes { get; init; } = PolicyDefaults.MediaMaxBytes;

    /// <summary>Gets the largest 課程諮詢 attachment in bytes.</summary>
    /// <value>The default value is 2 MB.</value>
    public long CounselingAttachmentMaxBytes { get; init; } = PolicyDefaults.CounselingAttachmentMaxBytes;

    /// <summary>Gets the longest 簡述 in characters a person sees.</summary>
    /// <value>The default value is 100.</value>
    public int SummaryMaxLength { get; init; } = PolicyDefaults.SummaryMaxLength;

    /// <summary>Gets the shortest student confirmation window for receipts, in days.</summary>
    /// <value>The default value is 3.</value>
    public int ConfirmationMinDays { get; init; } = PolicyDefaults.ConfirmationMinDays;

    /// <summary>Gets the selection caps as the workflow takes them.</summary>
    public SelectionCaps SelectionCaps => new(CourseOutcomeSelectionCap, PerformanceSelectionCap);
}

/// <summary>The periods in which the school allows each activity (學校規定期間).</summary>
public enum PolicyWindowKind
{
    /// <summary>Students upload (上傳).</summary>
    Upload = 1,

    /// <summary>Teachers certify (認證).</summary>
    Certification,

    /// <summary>Students select (勾選).</summary>
    Selection,

    /// <summary>Staff submit the rosters (提交).</summary>
    Submission,
}

/// <summary>A period, inclusive, in which the school allows an activity for a term.</summary>
/// <param name="Kind">The activity.</param>
/// <param name="Term">The term (for selection and per-year submissions, the whole year: <c>113-0</c>).</param>
/// <param name="Start">The first day.</param>
/// <param name="End">The last day.</param>
public sealed record PolicyWindow(PolicyWindowKind Kind, SchoolTerm Term, DateOnly Start, DateOnly End);

/// <summary>The school's own parameters (學校參數); <see langword="null"/> means no limit.</summary>
public sealed record SchoolPolicy
{
    /// <summary>Gets the 課程學習成果 a student may upload per term (e.g. 6 or 20).</summary>
    public int? CourseOutcomeUploadsPerTerm { get; init; }

    /// <summary>Gets the 課程學習成果 a student may upload per subject and term (e.g. 5).</summary>
    public int? CourseOutcomeUploadsPerSubject { get; init; }

    /// <summary>Gets the 多元表現 a student may upload per school year (e.g. 20).</summary>
    public int? PerformanceUploadsPerYear { get; init; }

    /// <summary>Gets the storage quota per student in bytes (Taipei: 200 MB).</summary>
    public long? StorageQuotaBytes { get; init; }

    /// <summary>Gets the 課程學習成果 a student may select per term (Taipei's platform: 3), within the national cap per year.</summary>
    public int? SelectionCapPerTerm { get; init; }

    /// <summary>Gets the windows; an activity with no window for a term is not restricted.</summary>
    public IReadOnlyList<PolicyWindow> Windows { get; init; } = [];
}

/// <summary>
/// The rules the module applies (學習歷程規定): national rules per 學年度 plus the school's parameters. Build it in
/// code or load it from JSON; <see cref="Validate"/> reports every inconsistency, so a host can refuse to start with a
/// bad policy.
/// </summary>
public sealed class PortfolioPolicy
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Initializes a policy.</summary>
    /// <param name="national">The national rules by the school year they start.</param>
    /// <param name="school">The school's parameters.</param>
    public PortfolioPolicy(IEnumerable<NationalPolicy> national, SchoolPolicy? school = null)
    {
        ArgumentNullException.ThrowIfNull(national);
        National = [.. national.OrderBy(n => n.From)];
        School = school ?? new SchoolPolicy();
    }

    /// <summary>Gets the national rules as of the research: 2 MB / 5 MB files before 109, 4 MB / 10 MB from 109.</summary>
    public static PortfolioPolicy Default { get; } = new(
    [
        new NationalPolicy { From = new SchoolYear(104), DocumentMaxBytes = PolicyDefaults.DocumentMaxBytesBefore109, MediaMaxBytes = PolicyDefaults.MediaMaxBytesBefore109 },
        new NationalPolicy { From = new SchoolYear(PolicyDefaults.LargerFilesFrom) },
    ]);

    /// <summary>Gets the national rules, earliest first.</summary>
    public IReadOnlyList<NationalPolicy> National { get; }

    /// <summary>Gets the school's parameters.</summary>
    public SchoolPolicy School { get; }

    /// <summary>Loads a policy from JSON: <c>{ "national": [ { "from": 109, … } ], "school": { … } }</c>. National entries
    /// not given come from <see cref="Default"/>.</summary>
    /// <param name="json">The JSON stream.</param>
    /// <param name="source">A name for the stream, for diagnostics.</param>
    /// <returns>The policy when valid, with every problem found.</returns>
    public static ParseOutcome<PortfolioPolicy> Load(Stream json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var at = new DiagnosticLocation(Source: source);
        PolicyDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<PolicyDto>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            return ParseOutcome.Failure<PortfolioPolicy>(DiagnosticCatalog.Create(DiagnosticCodes.PolicyInvalid, at with { Path = ex.Path }, $"JSON 格式錯誤（第 {ex.LineNumber + 1} 行）", $"malformed JSON (line {ex.LineNumber + 1})"));
        }

        var problems = new List<Diagnostic>();
        var national = new List<NationalPolicy>();
        foreach (var (entry, i) in (dto?.National ?? []).Select((e, i) => (e, i)))
        {
            if (entry.From is not (>= SchoolYear.MinValue and <= SchoolYear.MaxValue))
            {
                problems.Add(Invalid(at with { Path = $"national[{i}].from" }, "from 應為學年度", "from must be a school year"));
                continue;
            }

            var baseline = Default.For(new SchoolYear(entry.From.Value));
            national.Add(baseline with
            {
                From = new SchoolYear(entry.From.Value),
                CourseOutcomeSelectionCap = entry.CourseOutcomeSelectionCap ?? baseline.CourseOutcomeSelectionCap,
                PerformanceSelectionCap = entry.PerformanceSelectionCap ?? baseline.PerformanceSelectionCap,
                DocumentMaxBytes = entry.DocumentMaxMegabytes is { } d ? (long)(d * PolicyDefaults.Megabyte) : baseline.DocumentMaxBytes,
                MediaMaxBytes = entry.MediaMaxMegabytes is { } m ? (long)(m * PolicyDefaults.Megabyte) : baseline.MediaMaxBytes,
                CounselingAttachmentMaxBytes = entry.CounselingAttachmentMaxMegabytes is { } c ? (long)(c * PolicyDefaults.Megabyte) : baseline.CounselingAttachmentMaxBytes,
                SummaryMaxLength = entry.SummaryMaxLength ?? baseline.SummaryMaxLength,
                ConfirmationMinDays = entry.ConfirmationMinDays ?? baseline.ConfirmationMinDays,
            });
        }

        var windows = new List<PolicyWindow>();
        foreach (var (window, i) in (dto?.School?.Windows ?? []).Select((w, i) => (w, i)))
        {
            var path = $"school.windows[{i}]";
            if (!Enum.TryParse<PolicyWindowKind>(window.Kind, ignoreCase: true, out var kind) || !Enum.IsDefined(kind)
                || !SchoolTerm.TryParse(window.Term, out var term) || !DateOnly.TryParseExact(window.Start, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var start)
                || !DateOnly.TryParseExact(window.End, "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var end))
            {
                problems.Add(Invalid(at with { Path = path }, "期間需有 kind（upload、certification、selection、submission）、term（113-1）、start 與 end（yyyy-MM-dd）", "a window needs kind (upload, certification, selection, submission), term (113-1), start and end (yyyy-MM-dd)"));
                continue;
            }

            windows.Add(new PolicyWindow(kind, term, start, end));
        }

        var school = dto?.School is { } s
            ? new SchoolPolicy
            {
                CourseOutcomeUploadsPerTerm = s.CourseOutcomeUploadsPerTerm,
                CourseOutcomeUploadsPerSubject = s.CourseOutcomeUploadsPerSubject,
                PerformanceUploadsPerYear = s.PerformanceUploadsPerYear,
                StorageQuotaBytes = s.StorageQuotaMegabytes is { } q ? (long)(q * PolicyDefaults.Megabyte) : null,
                SelectionCapPerTerm = s.SelectionCapPerTerm,
                Windows = windows,
            }
            : new SchoolPolicy();
        var policy = new PortfolioPolicy(national.Count > 0 ? Default.National.Where(d => national.TrueForAll(n => n.From != d.From)).Concat(national) : Default.National, school);
        problems.AddRange(policy.Validate().Select(d => d.At(at with { Path = d.Location?.Path })));
        return ParseOutcome.From(policy, problems);
    }

    /// <summary>Gets the national rules in force in <paramref name="year"/> (the earliest entry for years before all entries).</summary>
    /// <param name="year">The school year.</param>
    /// <returns>The rules.</returns>
    public NationalPolicy For(SchoolYear year) => National.LastOrDefault(n => n.From <= year) ?? National[0];

    /// <summary>Gets the window for an activity and term, or <see langword="null"/> when the school set none.</summary>
    /// <param name="kind">The activity.</param>
    /// <param name="term">The term.</param>
    /// <returns>The window.</returns>
    public PolicyWindow? WindowFor(PolicyWindowKind kind, SchoolTerm term) => School.Windows.FirstOrDefault(w => w.Kind == kind && w.Term == term);

    /// <summary>
    /// Checks that <paramref name="today"/> falls in the school's window for an activity and term (上傳、認證、勾選、提交期間);
    /// an activity with no window set is open.
    /// </summary>
    /// <param name="kind">The activity.</param>
    /// <param name="term">The term (the whole year, <c>113-0</c>, for per-year selection and submission).</param>
    /// <param name="today">Today in the school's time zone (<see cref="Calendar.SchoolCalendar.Today"/>).</param>
    /// <returns><see langword="null"/> when open; else a <c>PF3305</c> diagnostic naming the window.</returns>
    public Diagnostic? CheckWindow(PolicyWindowKind kind, SchoolTerm term, DateOnly today)
    {
        if (WindowFor(kind, term) is not { } window || (today >= window.Start && today <= window.End))
        {
            return null;
        }

        var (zh, en) = kind switch
        {
            PolicyWindowKind.Upload => ("上傳", "upload"),
            PolicyWindowKind.Certification => ("認證", "certification"),
            PolicyWindowKind.Selection => ("勾選", "selection"),
            _ => ("提交", "submission"),
        };
        string Day(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return DiagnosticCatalog.Create(DiagnosticCodes.WindowClosed, DiagnosticLocation.ForPath("today"), zh, Day(window.Start), Day(window.End), Day(today), en);
    }

    /// <summary>Checks the policy: positive caps and limits, windows that end after they start and do not overlap.</summary>
    /// <returns>Every problem; empty when the policy is usable.</returns>
    public IReadOnlyList<Diagnostic> Validate()
    {
        var problems = new List<Diagnostic>();
        if (National.Count == 0)
        {
            problems.Add(Invalid(DiagnosticLocation.ForPath("national"), "至少需要一筆全國規定", "at least one national entry is needed"));
        }

        foreach (var (n, i) in National.Select((n, i) => (n, i)))
        {
            if (n.CourseOutcomeSelectionCap < 1 || n.PerformanceSelectionCap < 1 || n.DocumentMaxBytes < 1 || n.MediaMaxBytes < 1
                || n.CounselingAttachmentMaxBytes < 1 || n.SummaryMaxLength < 1 || n.ConfirmationMinDays < 1)
            {
                problems.Add(Invalid(DiagnosticLocation.ForPath($"national[{i}]"), $"{n.From} 學年度的上限都須為正數", $"every limit of school year {n.From} must be positive"));
            }
        }

        if (National.GroupBy(n => n.From).Any(g => g.Count() > 1))
        {
            problems.Add(Invalid(DiagnosticLocation.ForPath("national"), "同一學年度有兩筆全國規定", "two national entries start in the same school year"));
        }

        if (School.CourseOutcomeUploadsPerTerm < 1 || School.CourseOutcomeUploadsPerSubject < 1 || School.PerformanceUploadsPerYear < 1 || School.StorageQuotaBytes < 1 || School.SelectionCapPerTerm < 1)
        {
            problems.Add(Invalid(DiagnosticLocation.ForPath("school"), "學校上限須為正數（或不設定）", "school limits must be positive (or absent)"));
        }

        foreach (var (w, i) in School.Windows.Select((w, i) => (w, i)))
        {
            if (w.End < w.Start)
            {
                problems.Add(Invalid(DiagnosticLocation.ForPath($"school.windows[{i}]"), $"{w.Kind} {w.Term} 的結束日早於開始日", $"the {w.Kind} window of {w.Term} ends before it starts"));
            }
        }

        foreach (var group in School.Windows.GroupBy(w => (w.Kind, w.Term)).Where(g => g.Count() > 1))
        {
            problems.Add(Invalid(DiagnosticLocation.ForPath("school.windows"), $"{group.Key.Kind} {group.Key.Term} 設定了兩個期間", $"the {group.Key.Kind} window of {group.Key.Term} is set twice"));
        }

        return problems;
    }

    private static Diagnostic Invalid(DiagnosticLocation at, string zh, string en) => DiagnosticCatalog.Create(DiagnosticCodes.PolicyInvalid, at, zh, en);

    private sealed class PolicyDto
    {
        public List<NationalDto>? National { get; set; }

        public SchoolDto? School { get; set; }
    }

    private sealed class NationalDto
    {
        public int? From { get; set; }

        public int? CourseOutcomeSelectionCap { get; set; }

        public int? PerformanceSelectionCap { get; set; }

        public decimal? DocumentMaxMegabytes { get; set; }

        public decimal? MediaMaxMegabytes { get; set; }

        public decimal? CounselingAttachmentMaxMegabytes { get; set; }

        public int? SummaryMaxLength { get; set; }

        public int? ConfirmationMinDays { get; set; }
    }

    private sealed class SchoolDto
    {
        public int? CourseOutcomeUploadsPerTerm { get; set; }

        public int? CourseOutcomeUploadsPerSubject { get; set; }

        public int? PerformanceUploadsPerYear { get; set; }

        public decimal? StorageQuotaMegabytes { get; set; }

        public int? SelectionCapPerTerm { get; set; }

        public List<WindowDto>? Windows { get; set; }
    }

    private sealed class WindowDto
    {
        public string? Kind { get; set; }

        public string? Term { get; set; }

        public string? Start { get; set; }

        public string? End { get; set; }
    }
}
