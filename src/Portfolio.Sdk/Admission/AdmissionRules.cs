using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.RegularExpressions;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Json;

namespace Portfolio.Sdk.Admission;

/// <summary>
/// The admission rules as versioned data (升學參採規則): per route (大學個人申請, 四技二專甄選入學) and 招生學年度, the item
/// codes, what each accepts and the caps per 校系, every number with its source and evidence level. <see cref="Default"/>
/// holds the rules shipped with the SDK (<c>admission-rules.json</c>); a vendor loads a newer file with
/// <see cref="Load(Stream, string?)"/> and layers it over the default with <see cref="WithOverrides(AdmissionRules)"/>.
/// </summary>
public sealed partial class AdmissionRules
{
    private static readonly Lazy<AdmissionRules> DefaultInstance = new(LoadEmbedded);

    /// <summary>Initializes a set of rules.</summary>
    /// <param name="revision">A label for this set, e.g. <c>2026.11.1</c>.</param>
    /// <param name="routes">The routes; identifiers must be unique.</param>
    /// <exception cref="ArgumentException">Two routes share an identifier.</exception>
    public AdmissionRules(string revision, IEnumerable<AdmissionRoute> routes)
    {
        ArgumentNullException.ThrowIfNull(revision);
        ArgumentNullException.ThrowIfNull(routes);
        Revision = revision;
        Routes = [.. routes];
        if (Routes.GroupBy(r => r.Id, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } twice)
        {
            throw new ArgumentException($"Route '{twice.Key}' is defined twice.", nameof(routes));
        }
    }

    /// <summary>Gets the rules shipped with the SDK.</summary>
    public static AdmissionRules Default => DefaultInstance.Value;

    /// <summary>Gets the revision label.</summary>
    public string Revision { get; }

    /// <summary>Gets the routes.</summary>
    public IReadOnlyList<AdmissionRoute> Routes { get; }

    /// <summary>Gets a route by identifier.</summary>
    /// <param name="id">The identifier, e.g. <see cref="AdmissionRoute.VocationalSelection"/>.</param>
    /// <returns>The route.</returns>
    /// <exception cref="KeyNotFoundException">There is no such route.</exception>
    public AdmissionRoute this[string id] =>
        Routes.FirstOrDefault(r => string.Equals(r.Id, id, StringComparison.Ordinal)) ?? throw new KeyNotFoundException($"There is no admission route '{id}'.");

    /// <summary>
    /// Loads rules from JSON in the format of the SDK's <c>admission-rules.json</c> (<c>schemas/admission-rules.schema.json</c>).
    /// Unknown keys are refused (<c>PF3002</c>, naming the key and its path); every other problem is <c>PF3608</c> with its path.
    /// </summary>
    /// <param name="json">The JSON stream.</param>
    /// <param name="source">A name for the stream (a file name) used in diagnostics.</param>
    /// <returns>The rules when the file is valid, with every problem found.</returns>
    public static ParseOutcome<AdmissionRules> Load(Stream json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var at = new DiagnosticLocation(Source: source);
        var problems = new List<Diagnostic>();
        RulesFileDto? file;
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            foreach (var (key, path) in StrictJson.UnknownKeys(document.RootElement, typeof(RulesFileDto)))
            {
                problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.JsonKeyUnknown, at with { Path = path }, "升學參採規則", key, path, "The admission rules"));
            }

            file = document.RootElement.Deserialize<RulesFileDto>(RulesFileDto.Options);
        }
        catch (JsonException ex)
        {
            return ParseOutcome.Failure<AdmissionRules>(Invalid(at with { Path = ex.Path }, $"JSON 格式錯誤（第 {ex.LineNumber + 1} 行）", $"malformed JSON (line {ex.LineNumber + 1})"));
        }

        if (file?.FormatVersion is { } version && version != 1)
        {
            problems.Add(Invalid(at with { Path = "formatVersion" }, $"不支援的 formatVersion {version}（只有 1）", $"formatVersion {version} is not supported (only 1)"));
            return ParseOutcome.From<AdmissionRules>(null, problems);
        }

        if (file?.Routes is not { Count: > 0 })
        {
            problems.Add(Invalid(at with { Path = "routes" }, "缺少 routes", "'routes' is missing or empty"));
            return ParseOutcome.From<AdmissionRules>(null, problems);
        }

        var routes = new List<AdmissionRoute>();
        foreach (var (route, i) in file.Routes.Select((r, i) => (r, i)))
        {
            if (ReadRoute(route, $"routes[{i}]", at, problems) is { } read)
            {
                if (routes.Exists(r => r.Id == read.Id))
                {
                    problems.Add(Invalid(at with { Path = $"routes[{i}].id" }, $"管道 {read.Id} 重複", $"route {read.Id} is defined twice"));
                    continue;
                }

                routes.Add(read);
            }
        }

        return ParseOutcome.From(new AdmissionRules(file.Revision ?? source ?? "custom", routes), problems);
    }

    /// <summary>Returns rules in which each route of <paramref name="newer"/> replaces the one with the same identifier here, and new ones are added.</summary>
    /// <param name="newer">The newer rules.</param>
    /// <returns>The combined rules.</returns>
    public AdmissionRules WithOverrides(AdmissionRules newer)
    {
        ArgumentNullException.ThrowIfNull(newer);
        return new AdmissionRules($"{Revision}+{newer.Revision}", Routes.Where(r => !newer.Routes.Any(n => n.Id == r.Id)).Concat(newer.Routes));
    }

    private static AdmissionRoute? ReadRoute(RouteDto route, string path, DiagnosticLocation at, List<Diagnostic> problems)
    {
        if (string.IsNullOrWhiteSpace(route.Id) || !IdPattern().IsMatch(route.Id) || string.IsNullOrWhiteSpace(route.Name))
        {
            problems.Add(Invalid(at with { Path = path }, "管道需有 id（小寫英數與 -）與 name", "a route needs an id (lower case, digits and dashes) and a name"));
            return null;
        }

        var editions = new List<AdmissionRouteEdition>();
        foreach (var (edition, j) in (route.Editions ?? []).Select((e, j) => (e, j)))
        {
            if (ReadEdition(edition, $"{path}.editions[{j}]", at, problems) is { } read)
            {
                editions.Add(read);
            }
        }

        if ((route.Editions ?? []).Count == 0)
        {
            problems.Add(Invalid(at with { Path = $"{path}.editions" }, $"管道 {route.Id} 沒有任何版本", $"route {route.Id} has no editions"));
            return null;
        }

        var ordered = editions.OrderBy(e => e.From).ToList();
        for (var k = 1; k < ordered.Count; k++)
        {
            var (earlier, later) = (ordered[k - 1], ordered[k]);
            if (earlier.From == later.From || (earlier.Until is { } until && until >= later.From))
            {
                problems.Add(Invalid(at with { Path = $"{path}.editions" }, $"管道 {route.Id} 的 {earlier.From} 與 {later.From} 學年度版本重疊", $"the editions of route {route.Id} from {earlier.From} and {later.From} overlap"));
            }
        }

        return new AdmissionRoute(route.Id, route.Name, route.NameEnglish ?? route.Id, editions);
    }

    private static AdmissionRouteEdition? ReadEdition(EditionDto edition, string path, DiagnosticLocation at, List<Diagnostic> problems)
    {
        var count = problems.Count;
        if (edition.From is not (>= SchoolYear.MinValue and <= SchoolYear.MaxValue) || edition.SourcedThrough is not (>= SchoolYear.MinValue and <= SchoolYear.MaxValue)
            || edition.Until is < SchoolYear.MinValue or > SchoolYear.MaxValue)
        {
            problems.Add(Invalid(at with { Path = path }, "版本需有 from 與 sourcedThrough（學年度 1–999），until 亦須為學年度", "an edition needs from and sourcedThrough (school years 1–999); until, when given, is a school year"));
            return null;
        }

        if (edition.Until < edition.From || edition.SourcedThrough < edition.From || (edition.Until is { } u && edition.SourcedThrough > u))
        {
            problems.Add(Invalid(at with { Path = path }, $"版本 {edition.From} 的 until 或 sourcedThrough 不在 from 與 until 之間", $"edition {edition.From}: until and sourcedThrough must lie between from and until"));
        }

        if (!ValidEvidence(edition.Evidence))
        {
            problems.Add(Invalid(at with { Path = $"{path}.evidence" }, "evidence 應為 C、C-3p、I 或 U", "evidence must be C, C-3p, I or U"));
        }

        var codes = new List<AdmissionItemCode>();
        foreach (var (code, k) in (edition.ItemCodes ?? []).Select((c, k) => (c, k)))
        {
            var codePath = $"{path}.itemCodes[{k}]";
            if (string.IsNullOrWhiteSpace(code.Code) || string.IsNullOrWhiteSpace(code.Name))
            {
                problems.Add(Invalid(at with { Path = codePath }, "項目代碼需有 code 與 name", "an item code needs a code and a name"));
                continue;
            }

            if (codes.Exists(c => c.Code == code.Code))
            {
                problems.Add(Invalid(at with { Path = $"{codePath}.code" }, $"項目代碼 {code.Code} 重複", $"item code {code.Code} is defined twice"));
                continue;
            }

            var attributes = code.CourseOutcomeAttributes ?? [];
            var categories = code.PerformanceCategories ?? [];
            if (attributes.Count + categories.Count == 0)
            {
                problems.Add(Invalid(at with { Path = codePath }, $"項目代碼 {code.Code} 未採計任何科目屬性或多元表現類別", $"item code {code.Code} accepts no subject attribute and no performance category"));
            }

            foreach (var (value, n) in attributes.Select((v, n) => (v, n)).Where(x => !AttributePattern().IsMatch(x.v ?? string.Empty)))
            {
                problems.Add(Invalid(at with { Path = $"{codePath}.courseOutcomeAttributes[{n}]" }, $"科目屬性「{value}」應為一個英數字或 *", $"subject attribute \"{value}\" must be one letter or digit, or *"));
            }

            foreach (var (value, n) in categories.Select((v, n) => (v, n)).Where(x => !CategoryPattern().IsMatch(x.v ?? string.Empty)))
            {
                problems.Add(Invalid(at with { Path = $"{codePath}.performanceCategories[{n}]" }, $"多元表現類別「{value}」應為名冊工作表代號（如 performance-competition）或 *", $"performance category \"{value}\" must be a roster sheet id (e.g. performance-competition) or *"));
            }

            if (!ValidEvidence(code.Evidence))
            {
                problems.Add(Invalid(at with { Path = $"{codePath}.evidence" }, "evidence 應為 C、C-3p、I 或 U", "evidence must be C, C-3p, I or U"));
            }

            codes.Add(new AdmissionItemCode(code.Code, code.Name, code.NameEnglish ?? code.Code, EvidenceTags.Parse(code.Evidence), code.Source, attributes, categories));
        }

        if (codes.Count == 0)
        {
            problems.Add(Invalid(at with { Path = $"{path}.itemCodes" }, $"版本 {edition.From} 沒有項目代碼", $"edition {edition.From} has no item codes"));
        }

        var caps = new List<AdmissionCap>();
        foreach (var (cap, k) in (edition.Caps ?? []).Select((c, k) => (c, k)))
        {
            var capPath = $"{path}.caps[{k}]";
            if (string.IsNullOrWhiteSpace(cap.Id) || cap.Codes is not { Count: > 0 } || cap.Max is not >= 1 || cap.Min is < 0 || cap.Min > cap.Max)
            {
                problems.Add(Invalid(at with { Path = capPath }, "上限需有 id、codes、max（≥ 1），min 介於 0 與 max 之間", "a cap needs an id, codes and max (≥ 1); min lies between 0 and max"));
                continue;
            }

            if (caps.Exists(c => c.Id == cap.Id))
            {
                problems.Add(Invalid(at with { Path = $"{capPath}.id" }, $"上限 {cap.Id} 重複", $"cap {cap.Id} is defined twice"));
                continue;
            }

            foreach (var (code, n) in cap.Codes.Select((c, n) => (c, n)).Where(x => !codes.Exists(c => c.Code == x.c)))
            {
                problems.Add(Invalid(at with { Path = $"{capPath}.codes[{n}]" }, $"上限 {cap.Id} 的項目代碼 {code} 不存在", $"cap {cap.Id} names item code {code}, which does not exist"));
            }

            if (!ValidEvidence(cap.Evidence))
            {
                problems.Add(Invalid(at with { Path = $"{capPath}.evidence" }, "evidence 應為 C、C-3p、I 或 U", "evidence must be C, C-3p, I or U"));
            }

            caps.Add(new AdmissionCap(cap.Id, [.. cap.Codes], cap.Max.Value, cap.Min, EvidenceTags.Parse(cap.Evidence), cap.Source));
        }

        foreach (var code in codes)
        {
            var holders = caps.Count(c => c.Codes.Contains(code.Code, StringComparer.Ordinal));
            if (holders != 1)
            {
                problems.Add(Invalid(at with { Path = $"{path}.caps" }, $"項目代碼 {code.Code} 應恰屬於一個上限，目前 {holders} 個", $"item code {code.Code} must belong to exactly one cap; it belongs to {holders}"));
            }
        }

        return problems.Count > count
            ? null
            : new AdmissionRouteEdition(new SchoolYear(edition.From.Value), edition.Until is { } until ? new SchoolYear(until) : null, new SchoolYear(edition.SourcedThrough.Value),
                EvidenceTags.Parse(edition.Evidence), edition.Source, codes, caps);
    }

    private static bool ValidEvidence(string? tag) => tag is null or "C" or "C-3p" or "I" or "U";

    private static Diagnostic Invalid(DiagnosticLocation at, string zh, string en) => DiagnosticCatalog.Create(DiagnosticCodes.AdmissionRulesInvalid, at, zh, en);

    private static AdmissionRules LoadEmbedded()
    {
        using var stream = typeof(AdmissionRules).Assembly.GetManifestResourceStream("Portfolio.Sdk.admission-rules.json")
            ?? throw new InvalidOperationException("The embedded admission rules are missing from Portfolio.Sdk.");
        var outcome = Load(stream, "admission-rules.json");
        return outcome.Success && outcome.Diagnostics.Count == 0
            ? outcome.Value!
            : throw new InvalidOperationException("The embedded admission rules are invalid: " + string.Join("; ", outcome.Diagnostics));
    }

    [GeneratedRegex("^[a-z0-9-]+$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^(?:\*|[0-9A-Z])$")]
    private static partial Regex AttributePattern();

    [GeneratedRegex(@"^(?:\*|[a-z0-9-]+)$")]
    private static partial Regex CategoryPattern();

    /// <summary>An admission-rules file (升學參採規則檔): the SDK's embedded <c>admission-rules.json</c>, or a vendor's newer rules.</summary>
    internal sealed class RulesFileDto
    {
        public static readonly JsonSerializerOptions Options = new()
        {
            PropertyNameCaseInsensitive = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        };

        /// <summary>The version of this file format; only 1 exists.</summary>
        [Range(1, 1)]
        public int? FormatVersion { get; set; }

        /// <summary>A label for this set of rules, e.g. <c>2026.11.1</c>; the file name when absent.</summary>
        [MinLength(1)]
        public string? Revision { get; set; }

        /// <summary>The routes; a route replaces the default route with the same <c>id</c>.</summary>
        [Required]
        [MinLength(1)]
        public List<RouteDto>? Routes { get; set; }
    }

    /// <summary>An admission route (升學管道).</summary>
    internal sealed class RouteDto
    {
        /// <summary>The stable identifier, lower case with dashes, e.g. <c>vocational-selection</c>.</summary>
        [Required]
        [RegularExpression("^[a-z0-9-]+$")]
        public string? Id { get; set; }

        /// <summary>The Chinese name, e.g. <c>四技二專甄選入學</c>.</summary>
        [Required]
        [MinLength(1)]
        public string? Name { get; set; }

        /// <summary>The English name; the id when absent.</summary>
        public string? NameEnglish { get; set; }

        /// <summary>The rules by the 招生學年度 they start (簡章 editions); their year ranges must not overlap.</summary>
        [Required]
        [MinLength(1)]
        public List<EditionDto>? Editions { get; set; }
    }

    /// <summary>The rules of a route from one 招生學年度 on.</summary>
    internal sealed class EditionDto
    {
        /// <summary>The first 招生學年度 (ROC) the edition applies to.</summary>
        [Required]
        [Range(1, 999)]
        public int? From { get; set; }

        /// <summary>The last 招生學年度 it applies to, inclusive; until a later edition when absent.</summary>
        [Range(1, 999)]
        public int? Until { get; set; }

        /// <summary>The last 招生學年度 a cited source is about; later years are carried forward with a warning (PF3602).</summary>
        [Required]
        [Range(1, 999)]
        public int? SourcedThrough { get; set; }

        /// <summary>How well the edition is backed: C confirmed, C-3p third-party, I inferred, U unknown (the default).</summary>
        [RegularExpression("^(C|C-3p|I|U)$")]
        public string? Evidence { get; set; }

        /// <summary>Where the edition comes from (free text).</summary>
        public string? Source { get; set; }

        /// <summary>The item codes (項目代碼).</summary>
        [Required]
        [MinLength(1)]
        public List<ItemCodeDto>? ItemCodes { get; set; }

        /// <summary>The caps per 校系 (件數上限); each item code belongs to exactly one.</summary>
        [Required]
        [MinLength(1)]
        public List<CapDto>? Caps { get; set; }
    }

    /// <summary>An item code (項目代碼) and the evidence it accepts.</summary>
    internal sealed class ItemCodeDto
    {
        /// <summary>The code, e.g. <c>B-1</c>.</summary>
        [Required]
        [MinLength(1)]
        public string? Code { get; set; }

        /// <summary>The Chinese meaning.</summary>
        [Required]
        [MinLength(1)]
        public string? Name { get; set; }

        /// <summary>The English meaning; the code when absent.</summary>
        public string? NameEnglish { get; set; }

        /// <summary>How well the code and what it accepts are backed (C, C-3p, I, U).</summary>
        [RegularExpression("^(C|C-3p|I|U)$")]
        public string? Evidence { get; set; }

        /// <summary>Where it comes from (free text).</summary>
        public string? Source { get; set; }

        /// <summary>The 科目屬性 (課程代碼 position 19) of the course outcomes it accepts; * for any.</summary>
        public List<string>? CourseOutcomeAttributes { get; set; }

        /// <summary>The 多元表現 categories (roster sheet ids) it accepts; * for any.</summary>
        public List<string>? PerformanceCategories { get; set; }
    }

    /// <summary>A cap per 校系 (件數上限).</summary>
    internal sealed class CapDto
    {
        /// <summary>The identifier within the edition, e.g. <c>B-1</c> or <c>C</c>.</summary>
        [Required]
        [MinLength(1)]
        public string? Id { get; set; }

        /// <summary>The item codes whose items count together against it.</summary>
        [Required]
        [MinLength(1)]
        public List<string>? Codes { get; set; }

        /// <summary>The most items that count per 校系.</summary>
        [Required]
        [Range(1, 999)]
        public int? Max { get; set; }

        /// <summary>The fewest items required (必採), when set.</summary>
        [Range(0, 999)]
        public int? Min { get; set; }

        /// <summary>How well the numbers are backed (C, C-3p, I, U).</summary>
        [RegularExpression("^(C|C-3p|I|U)$")]
        public string? Evidence { get; set; }

        /// <summary>Where they come from (free text).</summary>
        public string? Source { get; set; }
    }
}
