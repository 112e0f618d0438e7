using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Sis.Records;

namespace Portfolio.Sdk.Sis.Profiles;

/// <summary>How one record kind is read: from a table with mapped columns, or from a whole query.</summary>
public sealed class SisRecordMapping
{
    internal SisRecordMapping(SisRecordKind kind, string? table, string? query, IReadOnlyDictionary<string, string> columns, IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> values)
    {
        Kind = kind;
        Table = table;
        Query = query;
        Columns = columns;
        Values = values;
    }

    /// <summary>Gets the record kind.</summary>
    public SisRecordKind Kind { get; }

    /// <summary>Gets the table (optionally schema-qualified), when the mapping reads a table.</summary>
    public string? Table { get; }

    /// <summary>Gets the query, when the mapping reads a query; it may use <c>@schoolYear</c>, <c>@term</c> and <c>@schoolCode</c>.</summary>
    public string? Query { get; }

    /// <summary>Gets the source column of each mapped field.</summary>
    public IReadOnlyDictionary<string, string> Columns { get; }

    /// <summary>Gets value translations per field, e.g. <c>gender: { "M": "1", "F": "2" }</c>.</summary>
    public IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> Values { get; }
}

/// <summary>
/// A mapping profile (對應設定): how a vendor's SIS tables or queries map onto the SDK's records, and which SQL
/// dialect they speak. Load one from JSON with <see cref="Load(Stream, string?)"/> or build one with
/// <see cref="SisProfileBuilder"/>; both validate the same way, so a profile cannot inject SQL.
/// </summary>
public sealed partial class SisProfile
{
    /// <summary>The placeholders a profile query may use.</summary>
    public static readonly IReadOnlyList<string> QueryPlaceholders = ["schoolYear", "term", "schoolCode"];

    internal static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    internal SisProfile(string name, SqlDialect dialect, IReadOnlyDictionary<SisRecordKind, SisRecordMapping> mappings)
    {
        Name = name;
        Dialect = dialect;
        Mappings = mappings;
    }

    /// <summary>Gets the profile's name.</summary>
    public string Name { get; }

    /// <summary>Gets the SQL dialect.</summary>
    public SqlDialect Dialect { get; }

    /// <summary>Gets the mapping of each record kind the profile covers.</summary>
    public IReadOnlyDictionary<SisRecordKind, SisRecordMapping> Mappings { get; }

    /// <summary>Loads and validates a profile from JSON.</summary>
    /// <param name="json">The JSON stream.</param>
    /// <param name="source">A name for the stream (a file name) used in diagnostics.</param>
    /// <returns>The profile when valid, with every problem found.</returns>
    public static ParseOutcome<SisProfile> Load(Stream json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var at = new DiagnosticLocation(Source: source);
        ProfileDto? dto;
        try
        {
            dto = JsonSerializer.Deserialize<ProfileDto>(json, JsonOptions);
        }
        catch (JsonException ex)
        {
            return ParseOutcome.Failure<SisProfile>(DiagnosticCatalog.Create(DiagnosticCodes.SisProfileInvalid, at with { Path = ex.Path }, $"JSON 格式錯誤（第 {ex.LineNumber + 1} 行）", $"malformed JSON (line {ex.LineNumber + 1})"));
        }

        var builder = new SisProfileBuilder(dto?.Name ?? source ?? "profile", null) { Source = source, DialectName = dto?.Dialect };
        foreach (var (key, record) in dto?.Records ?? [])
        {
            builder.AddRaw(key, record.Table, record.Query, record.Columns ?? [], record.Values ?? []);
        }

        var built = builder.Build();
        var unknown = UnknownKeys(dto?.Extra, null, at)
            .Concat((dto?.Records ?? []).SelectMany(r => UnknownKeys(r.Value.Extra, $"records.{r.Key}", at)))
            .ToList();
        return unknown.Count == 0 ? built : ParseOutcome.From<SisProfile>(null, [.. unknown, .. built.Diagnostics]);
    }

    /// <summary>Gets the mapping of <paramref name="kind"/>.</summary>
    /// <param name="kind">The record kind.</param>
    /// <param name="mapping">The mapping, when the profile covers the kind.</param>
    /// <returns><see langword="true"/> when covered.</returns>
    public bool TryGetMapping(SisRecordKind kind, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out SisRecordMapping? mapping) =>
        Mappings.TryGetValue(kind, out mapping);

    internal static string KindName(SisRecordKind kind) => kind switch
    {
        SisRecordKind.Students => "students",
        SisRecordKind.StudentTerms => "studentTerms",
        SisRecordKind.EnrollmentChanges => "enrollmentChanges",
        SisRecordKind.Courses => "courses",
        SisRecordKind.Grades => "grades",
        SisRecordKind.Cadres => "cadres",
        _ => kind.ToString(),
    };

    internal static SisRecordKind? KindOf(string name) =>
        Enum.GetValues<SisRecordKind>().Cast<SisRecordKind?>().FirstOrDefault(k => string.Equals(KindName(k!.Value), name, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex(@"^\s*(select|with)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    internal static partial Regex SelectPattern();

    private static IEnumerable<Diagnostic> UnknownKeys(Dictionary<string, JsonElement>? extra, string? path, DiagnosticLocation at) =>
        (extra?.Keys ?? Enumerable.Empty<string>()).Where(k => k != "$comment" && !(path is null && k == "$schema"))
            .Select(key => DiagnosticCatalog.Create(DiagnosticCodes.SisProfileUnknownKey, at with { Path = path is null ? key : $"{path}.{key}" }, key, path ?? "$"));

    /// <summary>A SIS mapping profile (對應設定) as a vendor writes it in JSON.</summary>
    internal sealed class ProfileDto
    {
        /// <summary>The profile's name, shown in diagnostics; the file name when absent.</summary>
        public string? Name { get; set; }

        /// <summary>The SQL dialect of the SIS database: oracle, sqlserver (or mssql), postgresql (or postgres), mysql (or mariadb), sqlite.</summary>
        [Required]
        [RegularExpression("^(oracle|sqlserver|mssql|postgresql|postgres|mysql|mariadb|sqlite)$")]
        public string? Dialect { get; set; }

        /// <summary>How each record kind is read, by kind: students, studentTerms, enrollmentChanges, courses, grades, cadres.</summary>
        public Dictionary<string, RecordDto>? Records { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Extra { get; set; }
    }

    /// <summary>How one record kind is read: exactly one of table or query, and the source column of each field.</summary>
    internal sealed class RecordDto
    {
        /// <summary>The table to read, optionally schema-qualified (<c>dbo.stud_base</c>); letters, digits, _, $ and # only.</summary>
        public string? Table { get; set; }

        /// <summary>A single SELECT (or WITH … SELECT) to read instead of a table; it may use @schoolYear, @term and @schoolCode.</summary>
        public string? Query { get; set; }

        /// <summary>The source column of each record field, by field name (e.g. <c>"nationalId": "id_no"</c>); every required field must be mapped.</summary>
        public Dictionary<string, string>? Columns { get; set; }

        /// <summary>Value translations per field: SIS value to SDK value (e.g. <c>"gender": { "M": "1", "F": "2" }</c>).</summary>
        public Dictionary<string, Dictionary<string, string>>? Values { get; set; }

        [JsonExtensionData]
        public Dictionary<string, JsonElement>? Extra { get; set; }
    }
}
