using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Data;
using Portfolio.Sdk.Sis.Records;

namespace Portfolio.Sdk.Sis.Profiles;

/// <summary>
/// Builds a <see cref="SisProfile"/> in code (對應設定產生器). <see cref="Build"/> validates exactly as
/// <see cref="SisProfile.Load(Stream, string?)"/> does.
/// </summary>
public sealed class SisProfileBuilder
{
    private readonly List<(string Kind, string? Table, string? Query, IReadOnlyDictionary<string, string> Columns, IReadOnlyDictionary<string, Dictionary<string, string>> Values)> _records = [];

    /// <summary>Initializes a builder.</summary>
    /// <param name="name">The profile's name.</param>
    /// <param name="dialect">The SQL dialect of the vendor's database.</param>
    public SisProfileBuilder(string name, SqlDialect? dialect)
    {
        ArgumentNullException.ThrowIfNull(name);
        Name = name;
        DialectName = dialect?.Name;
    }

    /// <summary>Gets the profile's name.</summary>
    public string Name { get; }

    internal string? DialectName { get; init; }

    internal string? Source { get; init; }

    /// <summary>Maps a record kind onto a table.</summary>
    /// <param name="kind">The record kind.</param>
    /// <param name="table">The table, optionally schema-qualified.</param>
    /// <param name="columns">The source column of each field.</param>
    /// <param name="values">Value translations per field, e.g. <c>gender: { "M": "1" }</c>.</param>
    /// <returns>This builder.</returns>
    public SisProfileBuilder MapTable(SisRecordKind kind, string table, IReadOnlyDictionary<string, string> columns, IReadOnlyDictionary<string, Dictionary<string, string>>? values = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(columns);
        _records.Add((SisProfile.KindName(kind), table, null, columns, values ?? new Dictionary<string, Dictionary<string, string>>()));
        return this;
    }

    /// <summary>Maps a record kind onto a query (a single SELECT; it may use <c>@schoolYear</c>, <c>@term</c>, <c>@schoolCode</c>).</summary>
    /// <param name="kind">The record kind.</param>
    /// <param name="query">The query.</param>
    /// <param name="columns">The result column of each field.</param>
    /// <param name="values">Value translations per field.</param>
    /// <returns>This builder.</returns>
    public SisProfileBuilder MapQuery(SisRecordKind kind, string query, IReadOnlyDictionary<string, string> columns, IReadOnlyDictionary<string, Dictionary<string, string>>? values = null)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(columns);
        _records.Add((SisProfile.KindName(kind), null, query, columns, values ?? new Dictionary<string, Dictionary<string, string>>()));
        return this;
    }

    /// <summary>Validates and builds the profile.</summary>
    /// <returns>The profile when valid, with every problem found.</returns>
    public ParseOutcome<SisProfile> Build()
    {
        var at = new DiagnosticLocation(Source: Source);
        var diagnostics = new List<Diagnostic>();
        void Invalid(string path, string zh, string en) => diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SisProfileInvalid, at with { Path = path }, zh, en));

        if (!SqlDialect.TryGet(DialectName, out var dialect))
        {
            Invalid("dialect", $"未知的 SQL 方言「{DialectName}」（oracle、sqlserver、postgresql、mysql、sqlite）", $"unknown SQL dialect '{DialectName}' (oracle, sqlserver, postgresql, mysql, sqlite)");
        }

        var mappings = new Dictionary<SisRecordKind, SisRecordMapping>();
        foreach (var (kindName, table, query, columns, values) in _records)
        {
            var path = $"records.{kindName}";
            if (SisProfile.KindOf(kindName) is not { } kind)
            {
                Invalid(path, $"未知的資料種類「{kindName}」", $"unknown record kind '{kindName}'");
                continue;
            }

            if (mappings.ContainsKey(kind) || (table is null) == (query is null))
            {
                Invalid(path, "每種資料只能有一個 table 或 query（二擇一）", "each record kind needs exactly one of table or query, once");
                continue;
            }

            var before = diagnostics.Count;
            if (table is not null && !SqlDialect.IsValidIdentifier(table))
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SisProfileIdentifier, at with { Path = path + ".table" }, table));
            }

            if (query is not null)
            {
                ValidateQuery(query, at with { Path = path + ".query" }, dialect ?? SqlDialect.Sqlite, diagnostics);
            }

            var fields = SisField.Of(kind);
            foreach (var (field, column) in columns)
            {
                if (!fields.Any(f => f.Name == field))
                {
                    diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SisProfileFieldUnknown, at with { Path = $"{path}.columns.{field}" }, kindName, field, kindName));
                }
                else if (!SqlDialect.IsValidIdentifier(column))
                {
                    diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SisProfileIdentifier, at with { Path = $"{path}.columns.{field}" }, column));
                }
            }

            foreach (var required in fields.Where(f => f.IsRequired && !columns.ContainsKey(f.Name)))
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SisProfileFieldRequired, at with { Path = $"{path}.columns" }, kindName, required.Name, kindName));
            }

            foreach (var field in values.Keys.Where(k => !fields.Any(f => f.Name == k)))
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SisProfileFieldUnknown, at with { Path = $"{path}.values.{field}" }, kindName, field, kindName));
            }

            if (diagnostics.Count == before)
            {
                mappings[kind] = new SisRecordMapping(kind, table, query,
                    new Dictionary<string, string>(columns, StringComparer.Ordinal),
                    values.ToDictionary(v => v.Key, v => (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(v.Value, StringComparer.Ordinal), StringComparer.Ordinal));
            }
        }

        return ParseOutcome.From<SisProfile>(dialect is null ? null : new SisProfile(Name, dialect, mappings), diagnostics);
    }

    internal void AddRaw(string kind, string? table, string? query, IReadOnlyDictionary<string, string> columns, IReadOnlyDictionary<string, Dictionary<string, string>> values) =>
        _records.Add((kind, table, query, columns, values));

    private static void ValidateQuery(string query, DiagnosticLocation at, SqlDialect dialect, List<Diagnostic> diagnostics)
    {
        void Bad(string zh, string en) => diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.SisProfileQuery, at, zh, en));
        var trimmed = query.Trim().TrimEnd(';').TrimEnd();
        if (!SisProfile.SelectPattern().IsMatch(trimmed))
        {
            Bad("只允許 SELECT（或 WITH … SELECT）查詢", "only a SELECT (or WITH … SELECT) query is allowed");
        }

        if (trimmed.Contains(';', StringComparison.Ordinal))
        {
            Bad("只允許單一查詢（不可含分號）", "only a single statement is allowed (no semicolons)");
        }

        dialect.RewritePlaceholders(trimmed, out var names);
        foreach (var name in names.Where(n => !SisProfile.QueryPlaceholders.Contains(n)))
        {
            Bad($"不支援的參數 @{name}（只可用 @schoolYear、@term、@schoolCode）", $"unsupported placeholder @{name} (only @schoolYear, @term, @schoolCode)");
        }
    }
}
