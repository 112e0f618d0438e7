using System.Text.Json;
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

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

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

        return builder.Build();
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

    private sealed class ProfileDto
    {
        public string? Name { get; set; }

        public string? Dialect { get; set; }

        public Dictionary<string, RecordDto>? Records { get; set; }
    }

    private sealed class RecordDto
    {
        public string? Table { get; set; }

        public string? Query { get; set; }

        public Dictionary<string, string>? Columns { get; set; }

        public Dictionary<string, Dictionary<string, string>>? Values { get; set; }
    }
}
