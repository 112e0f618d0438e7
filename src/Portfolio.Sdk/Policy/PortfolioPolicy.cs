using System.Text.Json;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Json;
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

    /// <summary>
    /// Gets the 及格基準 (pass mark) by 學制: the key is the course code's 課程類型 (<c>H</c>, <c>V</c>, <c>C</c>,
    /// <c>S</c>, <c>M</c>) or <see cref="PolicyDefaults.ContinuingProgram"/> for 進修部. A 學制 without an entry is not checked.
    /// </summary>
    /// <value>The default is <see cref="PolicyDefaults.PassMarks"/>: 60 for H, V, C and S; none for 進修部 and M (unknown).</value>
    public IReadOnlyDictionary<string, decimal> PassMarks { get; init; } = PolicyDefaults.PassMarks;

    /// <summary>Gets the selection caps as the workflow takes them.</summary>
    public SelectionCaps SelectionCaps => new(CourseOutcomeSelectionCap, PerformanceSelectionCap);

    /// <summary>Gets the pass mark of a grade: the 進修部 one for a 進修部 grade, the one of its course type for a day grade.</summary>
    /// <param name="courseType">The course code's 課程類型 (<c>H</c>, <c>V</c> …), or <see langword="null"/> when unknown.</param>
    /// <param name="continuing">Whether the grade is a 進修部 grade.</param>
    /// <returns>The pass mark, or <see langword="null"/> when the policy has none for the 學制 (evidence [U]).</returns>
    public decimal? PassMarkFor(string? courseType, bool continuing) =>
        continuing ? (PassMarks.TryGetValue(PolicyDefaults.ContinuingProgram, out var c) ? c : null)
        : courseType is { Length: > 0 } && PassMarks.TryGetValue(courseType, out var mark) ? mark
        : null;
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

    /// <summary>
    /// The national schedule for the students' receipt confirmation (國教署 收訖確認期程): the school's own confirmation
    /// window (at least <see cref="NationalPolicy.ConfirmationMinDays"/> days) must lie inside it.
    /// </summary>
    Confirmation,
}

/// <summary>
/// A period, inclusive, in which the school allows an activity for a term: school-wide, or for one grade when
/// <see cref="Grade"/> is set (高三下 often closes earlier). A grade's own window replaces the school-wide one for
/// that grade.
/// </summary>
/// <param name="Kind">The activity.</param>
/// <param name="Term">The term (for selection and per-year submissions, the whole year: <c>113-0</c>).</param>
/// <param name="Start">The first day.</param>
/// <param name="End">The last day.</param>
public sealed record PolicyWindow(PolicyWindowKind Kind, SchoolTerm Term, DateOnly Start, DateOnly End)
{
    /// <summary>Gets the grade the window is for (年級), or <see langword="null"/> for the whole school.</summary>
    public GradeLevel? Grade { get; init; }
}

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
    private static readonly string[] GradeNames = ["高一", "高二", "高三"];

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

    /// <summary>
    /// Loads a policy from JSON: <c>{ "national": [ { "from": 109, … } ], "school": { …, "windows": [ { "kind":
    /// "selection", "term": "113-0", "grade": 3, "start": "2025-06-01", "end": "2025-06-20" } ] } }</c>. National
    /// entries not given come from <see cref="Default"/>. A window's <c>grade</c> is 1, 2 or 3 (or 高一, 高二, 高三);
    /// without it the window is school-wide. Unknown keys are refused (<c>PF3002</c>, naming the key and its path);
    /// a top-level <c>$schema</c> is accepted.
    /// </summary>
    /// <param name="json">The JSON stream.</param>
    /// <param name="source">A name for the stream, for diagnostics.</param>
    /// <returns>The policy when valid, with every problem found.</returns>
    public static ParseOutcome<PortfolioPolicy> Load(Stream json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var at = new DiagnosticLocation(Source: source);
        PolicyDto? dto;
        var problems = new List<Diagnostic>();
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            foreach (var (key, path) in StrictJson.UnknownKeys(document.RootElement, typeof(PolicyDto)))
            {
                problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.JsonKeyUnknown, at with { Path = path }, "規定設定", key, path, "The policy"));
            }

            dto = document.RootElement.Deserialize<PolicyDto>(JsonOptions);
        }
        catch (JsonException ex)
        {
            return ParseOutcome.Failure<PortfolioPolicy>(DiagnosticCatalog.Create(DiagnosticCodes.PolicyInvalid, at with { Path = ex.Path }, $"JSON 格式錯誤（第 {ex.LineNumber + 1} 行）", $"malformed JSON (line {ex.LineNumber + 1})"));
        }

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
                PassMarks = entry.PassMarks is { } marks
                    ? MergePassMarks(baseline.PassMarks, marks)
                    : baseline.PassMarks,
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

            GradeLevel? grade = null;
            if (window.Grade is { ValueKind: not JsonValueKind.Null } g)
            {
                if (!TryReadGrade(g, out var read))
                {
                    problems.Add(Invalid(at with { Path = $"{path}.grade" }, "grade 應為 1、2、3（或高一、高二、高三）", "grade must be 1, 2 or 3 (or 高一, 高二, 高三)"));
                    continue;
                }

                grade = read;
            }

            windows.Add(new PolicyWindow(kind, term, start, end) { Grade = grade });
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

    /// <summary>Gets the school-wide window for an activity and term, or <see langword="null"/> when the school set none.</summary>
    /// <param name="kind">The activity.</param>
    /// <param name="term">The term.</param>
    /// <returns>The window.</returns>
    public PolicyWindow? WindowFor(PolicyWindowKind kind, SchoolTerm term) => WindowFor(kind, term, grade: null);

    /// <summary>
    /// Gets the window that applies to a grade: the grade's own window when the school set one, else the school-wide
    /// window, else <see langword="null"/>.
    /// </summary>
    /// <param name="kind">The activity.</param>
    /// <param name="term">The term.</param>
    /// <param name="grade">The student's grade, or <see langword="null"/> for the school-wide window.</param>
    /// <returns>The window.</returns>
    public PolicyWindow? WindowFor(PolicyWindowKind kind, SchoolTerm term, GradeLevel? grade) =>
        (grade is null ? null : School.Windows.FirstOrDefault(w => w.Kind == kind && w.Term == term && w.Grade == grade))
        ?? School.Windows.FirstOrDefault(w => w.Kind == kind && w.Term == term && w.Grade is null);

    /// <summary>
    /// Checks that <paramref name="today"/> falls in the school-wide window for an activity and term (上傳、認證、勾選、提交期間);
    /// an activity with no school-wide window is open. Grades' own windows are not consulted: when the student's grade
    /// is known, use the overload that takes it.
    /// </summary>
    /// <param name="kind">The activity.</param>
    /// <param name="term">The term (the whole year, <c>113-0</c>, for per-year selection and submission).</param>
    /// <param name="today">Today in the school's time zone (<see cref="Calendar.SchoolCalendar.Today"/>).</param>
    /// <returns><see langword="null"/> when open; else a <c>PF3305</c> diagnostic naming the window.</returns>
    public Diagnostic? CheckWindow(PolicyWindowKind kind, SchoolTerm term, DateOnly today) => CheckWindow(kind, term, grade: null, today);

    /// <summary>
    /// Checks that <paramref name="today"/> falls in the window that applies to a grade: the grade's own window
    /// (e.g. 高三 selection closing earlier), else the school-wide one; an activity with neither is open.
    /// </summary>
    /// <param name="kind">The activity.</param>
    /// <param name="term">The term (the whole year, <c>113-0</c>, for per-year selection and submission).</param>
    /// <param name="grade">The student's grade, or <see langword="null"/> for the school-wide window.</param>
    /// <param name="today">Today in the school's time zone (<see cref="Calendar.SchoolCalendar.Today"/>).</param>
    /// <returns><see langword="null"/> when open; else a <c>PF3305</c> diagnostic naming the window, its grade and its dates (ISO 8601).</returns>
    public Diagnostic? CheckWindow(PolicyWindowKind kind, SchoolTerm term, GradeLevel? grade, DateOnly today)
    {
        if (WindowFor(kind, term, grade) is not { } window || (today >= window.Start && today <= window.End))
        {
            return null;
        }

        var (zh, en) = WindowName(window);
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

            foreach (var (program, mark) in n.PassMarks.Where(p => p.Value is < 0 or > 100 || p.Key.Length == 0))
            {
                problems.Add(Invalid(DiagnosticLocation.ForPath($"national[{i}].passMarks.{program}"), $"{n.From} 學年度「{program}」的及格基準 {mark} 須為 0 到 100 的分數", $"the pass mark {mark} of \"{program}\" in school year {n.From} must be a score from 0 to 100"));
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
            var (zh, en) = WindowName(w);
            var at = DiagnosticLocation.ForPath($"school.windows[{i}]");
            if (w.End < w.Start)
            {
                problems.Add(Invalid(at, $"{w.Term} {zh}期間的結束日 {Day(w.End)} 早於開始日 {Day(w.Start)}", $"the {en} window of {w.Term} ends ({Day(w.End)}) before it starts ({Day(w.Start)})"));
            }

            if (w.Grade is { } grade && !Enum.IsDefined(grade))
            {
                problems.Add(Invalid(at, "年級應為高一、高二或高三", "the grade must be 10, 11 or 12 (高一, 高二, 高三)"));
            }
            else if (w.Grade is not null && (!w.Term.Year.Contains(w.Start) || !w.Term.Year.Contains(w.End)))
            {
                problems.Add(Invalid(at, $"{w.Term} {zh}期間 {Day(w.Start)} 至 {Day(w.End)} 超出 {w.Term.Year.RocYear} 學年度（{Day(w.Term.Year.StartDate)} 至 {Day(w.Term.Year.EndDate)}）",
                    $"the {en} window of {w.Term}, {Day(w.Start)} to {Day(w.End)}, lies outside school year {w.Term.Year.RocYear} ({Day(w.Term.Year.StartDate)} to {Day(w.Term.Year.EndDate)})"));
            }
        }

        foreach (var group in School.Windows.Select((w, i) => (w, i)).GroupBy(x => (x.w.Kind, x.w.Term, x.w.Grade)).Where(g => g.Count() > 1))
        {
            var (zh, en) = WindowName(group.First().w);
            var set = group.ToList();
            var overlapping = set.SelectMany((a, j) => set.Skip(j + 1).Where(b => a.w.Start <= b.w.End && b.w.Start <= a.w.End).Select(b => (a, b))).FirstOrDefault();
            var (first, second) = overlapping;
            problems.Add(first.w is not null
                ? Invalid(DiagnosticLocation.ForPath($"school.windows[{second.i}]"),
                    $"{group.Key.Term} {zh}期間 {Day(first.w.Start)} 至 {Day(first.w.End)} 與 {Day(second.w.Start)} 至 {Day(second.w.End)} 重疊",
                    $"the {en} windows of {group.Key.Term}, {Day(first.w.Start)} to {Day(first.w.End)} and {Day(second.w.Start)} to {Day(second.w.End)}, overlap")
                : Invalid(DiagnosticLocation.ForPath($"school.windows[{set[1].i}]"), $"{group.Key.Term} {zh}期間設定了兩次", $"the {en} window of {group.Key.Term} is set twice"));
        }

        return problems;
    }

    // The file's pass marks replace the baseline's key by key; the others stay.
    private static Dictionary<string, decimal> MergePassMarks(IReadOnlyDictionary<string, decimal> baseline, Dictionary<string, decimal> file)
    {
        var merged = new Dictionary<string, decimal>(baseline, StringComparer.Ordinal);
        foreach (var (program, mark) in file)
        {
            merged[program.Trim()] = mark;
        }

        return merged;
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    // 勾選 / selection, or 高三勾選 / grade 12 selection: the words of the window's activity and grade.
    private static (string Chinese, string English) WindowName(PolicyWindow window)
    {
        var kind = PortfolioDisplayNames.Of(window.Kind);
        return window.Grade is { } grade && Enum.IsDefined(grade)
            ? (PortfolioDisplayNames.Of(grade).Chinese + kind.Chinese, $"{PortfolioDisplayNames.Of(grade).English} {kind.English}")
            : (kind.Chinese, kind.English);
    }

    private static bool TryReadGrade(JsonElement element, out GradeLevel grade)
    {
        grade = default;
        var number = element.ValueKind switch
        {
            JsonValueKind.Number when element.TryGetInt32(out var n) => n,
            JsonValueKind.String when int.TryParse(element.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n) => n,
            JsonValueKind.String => Array.IndexOf(GradeNames, element.GetString()?.Trim()) + 1,
            _ => 0,
        };
        grade = (GradeLevel)number;
        return number is >= 1 and <= 3;
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

        public Dictionary<string, decimal>? PassMarks { get; set; }
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

        public JsonElement? Grade { get; set; }
    }
}
