using System.Collections.Frozen;
using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Codes;

/// <summary>
/// A set of code tables and mappings (代碼表集), loaded from JSON. <see cref="Default"/> holds the tables shipped
/// with the SDK; a vendor loads a newer file with <see cref="Load(Stream, string?)"/> and layers it over the default
/// with <see cref="WithOverrides(CodeTableCatalog)"/>, without waiting for an SDK release.
/// </summary>
public sealed class CodeTableCatalog
{
    private static readonly Lazy<CodeTableCatalog> DefaultInstance = new(LoadEmbedded);
    private readonly FrozenDictionary<string, CodeTable> _tables;
    private readonly FrozenDictionary<string, CodeMapping> _mappings;

    /// <summary>Initializes a catalogue.</summary>
    /// <param name="revision">A label for this set of tables, e.g. <c>2026.11.1</c>.</param>
    /// <param name="tables">The tables; identifiers must be unique.</param>
    /// <param name="mappings">The mappings; identifiers must be unique.</param>
    /// <exception cref="ArgumentException">Two tables or two mappings share an identifier.</exception>
    public CodeTableCatalog(string revision, IEnumerable<CodeTable> tables, IEnumerable<CodeMapping>? mappings = null)
    {
        ArgumentNullException.ThrowIfNull(revision);
        ArgumentNullException.ThrowIfNull(tables);
        Revision = revision;
        Tables = [.. tables];
        Mappings = [.. mappings ?? []];
        _tables = Tables.ToFrozenDictionary(t => t.Id, StringComparer.Ordinal);
        _mappings = Mappings.ToFrozenDictionary(m => m.Id, StringComparer.Ordinal);
    }

    /// <summary>Gets the tables shipped with the SDK.</summary>
    public static CodeTableCatalog Default => DefaultInstance.Value;

    /// <summary>Gets the revision label.</summary>
    public string Revision { get; }

    /// <summary>Gets every table.</summary>
    public IReadOnlyList<CodeTable> Tables { get; }

    /// <summary>Gets every mapping.</summary>
    public IReadOnlyList<CodeMapping> Mappings { get; }

    /// <summary>Gets a table by identifier.</summary>
    /// <param name="id">The identifier; see <see cref="CodeTableIds"/>.</param>
    /// <returns>The table.</returns>
    /// <exception cref="KeyNotFoundException">There is no such table.</exception>
    public CodeTable this[string id] =>
        _tables.TryGetValue(id, out var table) ? table : throw new KeyNotFoundException($"There is no code table '{id}'.");

    /// <summary>Loads a catalogue from JSON in the format of the SDK's embedded <c>code-tables.json</c>.</summary>
    /// <param name="json">The JSON stream.</param>
    /// <param name="source">A name for the stream (a file name) used in diagnostics.</param>
    /// <returns>The catalogue when the file is valid, with every problem found.</returns>
    public static ParseOutcome<CodeTableCatalog> Load(Stream json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var location = new DiagnosticLocation(Source: source);
        var diagnostics = new List<Diagnostic>();
        CodeTableFile? file;
        try
        {
            file = JsonSerializer.Deserialize<CodeTableFile>(json, CodeTableFile.Options);
        }
        catch (JsonException ex)
        {
            var where = ex.Path is null ? string.Empty : $" ({ex.Path}, line {ex.LineNumber + 1})";
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CodeTableFileInvalid, location, "JSON 格式錯誤" + where, "malformed JSON" + where));
            return ParseOutcome.From<CodeTableCatalog>(null, diagnostics);
        }

        ReportUnknownKeys(file?.Extra, null, location, diagnostics);
        if (file?.FormatVersion is { } version && version != 1)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CodeTableFileInvalid, location with { Path = "formatVersion" }, $"不支援的 formatVersion {version}（只有 1）", $"formatVersion {version} is not supported (only 1)"));
            return ParseOutcome.From<CodeTableCatalog>(null, diagnostics);
        }

        if (file?.Tables is null)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CodeTableFileInvalid, location, "缺少 tables", "'tables' is missing"));
            return ParseOutcome.From<CodeTableCatalog>(null, diagnostics);
        }

        var tables = new List<CodeTable>();
        var tableIds = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < file.Tables.Count; i++)
        {
            var table = file.Tables[i];
            var at = location with { Path = $"tables[{i}]" };
            ReportUnknownKeys(table.Extra, at.Path, location, diagnostics);
            if (string.IsNullOrWhiteSpace(table.Id) || string.IsNullOrWhiteSpace(table.Name))
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CodeTableFileInvalid, at, "代碼表缺少 id 或 name", "a table has no id or name"));
                continue;
            }

            if (!tableIds.Add(table.Id))
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CodeTableFileInvalid, at, $"代碼表 {table.Id} 重複", $"table {table.Id} is defined twice"));
                continue;
            }

            var entries = new List<CodeEntry>();
            foreach (var (entry, index) in (table.Entries ?? []).Select((e, n) => (e, n)))
            {
                var entryAt = at with { Path = $"tables[{i}].entries[{index}]" };
                ReportUnknownKeys(entry.Extra, entryAt.Path, location, diagnostics);
                if (string.IsNullOrEmpty(entry.Code))
                {
                    diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CodeTableFileInvalid, entryAt, "代碼為空白", "an entry has no code"));
                    continue;
                }

                if (entry.From is < SchoolYear.MinValue or > SchoolYear.MaxValue || entry.Until is < SchoolYear.MinValue or > SchoolYear.MaxValue)
                {
                    diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CodeTableFileInvalid, entryAt, "from/until 學年度超出範圍", "from/until school year out of range"));
                    continue;
                }

                var from = entry.From is { } f ? new SchoolYear(f) : (SchoolYear?)null;
                var until = entry.Until is { } u ? new SchoolYear(u) : (SchoolYear?)null;
                var candidate = new CodeEntry(entry.Code, entry.Name, EvidenceTags.Parse(entry.Evidence ?? table.Evidence), from, until);
                if (entries.Exists(e => string.Equals(e.Code, candidate.Code, StringComparison.Ordinal) && EvidenceTags.YearsOverlap(e.From, e.Until, entry.From, entry.Until)))
                {
                    diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CodeTableDuplicate, entryAt, table.Name, entry.Code));
                    continue;
                }

                entries.Add(candidate);
            }

            tables.Add(new CodeTable(table.Id, table.Name, table.NameEnglish ?? table.Id, table.Closed, EvidenceTags.Parse(table.Evidence), table.Source, entries));
        }

        var mappings = new List<CodeMapping>();
        foreach (var (mapping, index) in (file.Mappings ?? []).Select((m, n) => (m, n)))
        {
            ReportUnknownKeys(mapping.Extra, $"mappings[{index}]", location, diagnostics);
            foreach (var (rule, ruleIndex) in (mapping.Rules ?? []).Select((r, n) => (r, n)))
            {
                ReportUnknownKeys(rule.Extra, $"mappings[{index}].rules[{ruleIndex}]", location, diagnostics);
            }

            if (string.IsNullOrWhiteSpace(mapping.Id) || string.IsNullOrWhiteSpace(mapping.From) || string.IsNullOrWhiteSpace(mapping.To))
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CodeTableFileInvalid, location with { Path = $"mappings[{index}]" }, "對應缺少 id、from 或 to", "a mapping has no id, from or to"));
                continue;
            }

            var rules = (mapping.Rules ?? []).Select(r => new KeyValuePair<string, IReadOnlyList<string>>(r.Value ?? string.Empty, r.Codes ?? []));
            mappings.Add(new CodeMapping(mapping.Id, mapping.From, mapping.To, EvidenceTags.Parse(mapping.Evidence), rules));
        }

        return ParseOutcome.From<CodeTableCatalog>(new CodeTableCatalog(file.Revision ?? source ?? "custom", tables, mappings), diagnostics);
    }

    /// <summary>Tries to get a table by identifier.</summary>
    /// <param name="id">The identifier.</param>
    /// <param name="table">The table, when found.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public bool TryGetTable(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CodeTable? table) => _tables.TryGetValue(id, out table);

    /// <summary>Tries to get a mapping by identifier.</summary>
    /// <param name="id">The identifier.</param>
    /// <param name="mapping">The mapping, when found.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public bool TryGetMapping(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out CodeMapping? mapping) => _mappings.TryGetValue(id, out mapping);

    /// <summary>
    /// Returns a catalogue in which each table and mapping of <paramref name="newer"/> replaces the one with the
    /// same identifier here, and new ones are added.
    /// </summary>
    /// <param name="newer">The newer tables.</param>
    /// <returns>The combined catalogue.</returns>
    public CodeTableCatalog WithOverrides(CodeTableCatalog newer)
    {
        ArgumentNullException.ThrowIfNull(newer);
        var tables = Tables.Where(t => !newer._tables.ContainsKey(t.Id)).Concat(newer.Tables);
        var mappings = Mappings.Where(m => !newer._mappings.ContainsKey(m.Id)).Concat(newer.Mappings);
        return new CodeTableCatalog($"{Revision}+{newer.Revision}", tables, mappings);
    }



    private static CodeTableCatalog LoadEmbedded()
    {
        using var stream = typeof(CodeTableCatalog).Assembly.GetManifestResourceStream("Portfolio.Sdk.code-tables.json")
            ?? throw new InvalidOperationException("The embedded code tables are missing from Portfolio.Sdk.");
        var outcome = Load(stream, "code-tables.json");
        return outcome.Success && outcome.Diagnostics.Count == 0
            ? outcome.Value!
            : throw new InvalidOperationException("The embedded code tables are invalid: " + string.Join("; ", outcome.Diagnostics));
    }

    private static void ReportUnknownKeys(Dictionary<string, JsonElement>? extra, string? path, DiagnosticLocation location, List<Diagnostic> diagnostics)
    {
        foreach (var key in (extra?.Keys ?? Enumerable.Empty<string>()).Where(k => k != "$comment" && !(path is null && k == "$schema")))
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CodeTableFileUnknownKey, location with { Path = path is null ? key : $"{path}.{key}" }, key, path ?? "$"));
        }
    }

    /// <summary>A code-table file (代碼表檔案): the SDK's embedded <c>code-tables.json</c>, or a vendor's newer tables.</summary>
    internal sealed class CodeTableFile
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

        /// <summary>A label for this set of tables, e.g. <c>2026.11.1</c>; the file name when absent.</summary>
        [MinLength(1)]
        public string? Revision { get; set; }

        /// <summary>The code tables; a table replaces the default table with the same <c>id</c>.</summary>
        [Required]
        public List<TableDto>? Tables { get; set; }

        /// <summary>The code mappings; a mapping replaces the default mapping with the same <c>id</c>.</summary>
        public List<MappingDto>? Mappings { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Extra { get; set; }
    }

    /// <summary>A code table (代碼表).</summary>
    internal sealed class TableDto
    {
        /// <summary>The stable identifier, lower case with dashes, e.g. <c>group</c> or <c>special-status</c>.</summary>
        [Required]
        [RegularExpression("^[a-z0-9-]+$")]
        public string? Id { get; set; }

        /// <summary>The Chinese name, e.g. <c>群別代碼</c>.</summary>
        [Required]
        public string? Name { get; set; }

        /// <summary>The English name; the id when absent.</summary>
        public string? NameEnglish { get; set; }

        /// <summary>true when the table is complete: a code outside it is an error (PF0501); false (the default): a warning (PF0502).</summary>
        public bool Closed { get; set; }

        /// <summary>How well the table is backed: C confirmed, C-3p third-party, I inferred, U unknown (the default).</summary>
        [RegularExpression("^(C|C-3p|I|U)$")]
        public string? Evidence { get; set; }

        /// <summary>Where the table comes from (free text).</summary>
        public string? Source { get; set; }

        /// <summary>The codes; one code may appear more than once with school-year ranges that do not overlap.</summary>
        public List<EntryDto>? Entries { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Extra { get; set; }
    }

    /// <summary>One code (代碼) of a table.</summary>
    internal sealed class EntryDto
    {
        /// <summary>The code as written in rosters.</summary>
        [Required]
        public string? Code { get; set; }

        /// <summary>The Chinese name; null when the meaning is unknown.</summary>
        public string? Name { get; set; }

        /// <summary>How well the entry is backed (C, C-3p, I, U); the table's evidence when absent.</summary>
        [RegularExpression("^(C|C-3p|I|U)$")]
        public string? Evidence { get; set; }

        /// <summary>The first school year (學年度, ROC) the code applies to, inclusive; always when absent. A numeric string is accepted.</summary>
        [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
        [Range(1, 999)]
        public int? From { get; set; }

        /// <summary>The last school year (學年度, ROC) the code applies to, inclusive; still current when absent. A numeric string is accepted.</summary>
        [JsonNumberHandling(JsonNumberHandling.AllowReadingFromString)]
        [Range(1, 999)]
        public int? Until { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Extra { get; set; }
    }

    /// <summary>A mapping from the codes of one table to those of another (代碼對應).</summary>
    internal sealed class MappingDto
    {
        /// <summary>The stable identifier, e.g. <c>enrollment-change-to-student-type</c>.</summary>
        [Required]
        [RegularExpression("^[a-z0-9-]+$")]
        public string? Id { get; set; }

        /// <summary>The id of the source table.</summary>
        [Required]
        public string? From { get; set; }

        /// <summary>The id of the target table.</summary>
        [Required]
        public string? To { get; set; }

        /// <summary>How well the mapping is backed (C, C-3p, I, U).</summary>
        [RegularExpression("^(C|C-3p|I|U)$")]
        public string? Evidence { get; set; }

        /// <summary>Where the mapping comes from (free text).</summary>
        public string? Source { get; set; }

        /// <summary>The rules, tried in order: the first whose codes hold the source code gives the target value.</summary>
        public List<RuleDto>? Rules { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Extra { get; set; }
    }

    /// <summary>One rule of a mapping.</summary>
    internal sealed class RuleDto
    {
        /// <summary>Source codes or inclusive ranges such as <c>111-115</c>.</summary>
        [Required]
        public List<string>? Codes { get; set; }

        /// <summary>The target code these source codes map to.</summary>
        [Required]
        public string? Value { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Extra { get; set; }
    }
}
