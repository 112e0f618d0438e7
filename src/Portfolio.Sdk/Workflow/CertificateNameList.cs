using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Unicode;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Json;

namespace Portfolio.Sdk.Workflow;

/// <summary>One entry of the certificate-name list (證照名稱).</summary>
/// <param name="Id">The entry's number; it never changes, so a rename keeps what refers to it.</param>
/// <param name="Name">The name students pick from the drop-down list (下拉選單).</param>
/// <param name="Code">The 證照代碼 the 檢定證照紀錄 roster carries, when the school records one.</param>
/// <param name="IsRetired">Whether the entry is retired (停用): kept for the records that use it, no longer offered.</param>
public sealed record CertificateName(int Id, string Name, string? Code = null, bool IsRetired = false);

/// <summary>
/// The certificate-name list (檢定證照名稱下拉選單, seed 001 §4-6): managed data the 證照項目管理者 (or the 系統管理者)
/// maintains. Immutable and versioned: <see cref="Add"/>, <see cref="Rename"/> and <see cref="Retire"/> check the
/// actor's permission (<see cref="PortfolioOperation.ManageCertificateNames"/>) and the version the actor read, and
/// return a new list with <see cref="Version"/> increased, or a PF diagnostic. Names compare as people read them:
/// full-width and half-width forms and letter case do not make a second name. Load and save it as JSON:
/// <c>{ "version": 3, "entries": [ { "id": 1, "name": "TQC 文書處理", "code": "…", "retired": false } ] }</c>.
/// </summary>
public sealed class CertificateNameList
{
    /// <summary>The longest certificate name, in characters.</summary>
    public const int NameMaxLength = 100;

    private static readonly JsonSerializerOptions ReadOptions = new() { PropertyNameCaseInsensitive = true, ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private static readonly JsonWriterOptions WriteOptions = new() { Indented = true, Encoder = JavaScriptEncoder.Create(UnicodeRanges.All) };

    private CertificateNameList(long version, IReadOnlyList<CertificateName> entries)
    {
        Version = version;
        Entries = entries;
        Active = [.. entries.Where(e => !e.IsRetired)];
    }

    /// <summary>Gets an empty list at version 0.</summary>
    public static CertificateNameList Empty { get; } = new(0, []);

    /// <summary>Gets the version, increased by every change.</summary>
    public long Version { get; }

    /// <summary>Gets every entry, retired ones included, by number.</summary>
    public IReadOnlyList<CertificateName> Entries { get; }

    /// <summary>Gets the entries offered to students (not retired), by number.</summary>
    public IReadOnlyList<CertificateName> Active { get; }

    /// <summary>Finds an entry by name, as people read it (width and case do not matter), retired ones included.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The entry, or <see langword="null"/>.</returns>
    public CertificateName? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var key = Key(Normalize(name));
        return Entries.FirstOrDefault(e => Key(e.Name) == key);
    }

    /// <summary>Adds a certificate name.</summary>
    /// <param name="actor">Who acts (證照項目管理者).</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="name">The name.</param>
    /// <param name="code">The 證照代碼, when known.</param>
    /// <returns>The new list (the new entry is the last), or why it was refused.</returns>
    public WorkflowResult<CertificateNameList> Add(PortfolioActor actor, long expectedVersion, string name, string? code = null)
    {
        ArgumentNullException.ThrowIfNull(name);
        var normalized = Normalize(name);
        if ((Precheck(actor, expectedVersion) ?? CheckName(normalized, exceptId: null)) is { } problem)
        {
            return WorkflowResult<CertificateNameList>.Refused(problem);
        }

        var id = Entries.Count == 0 ? 1 : Entries.Max(e => e.Id) + 1;
        var trimmedCode = string.IsNullOrWhiteSpace(code) ? null : code.Trim();
        return WorkflowResult<CertificateNameList>.Ok(new CertificateNameList(Version + 1, [.. Entries, new CertificateName(id, normalized, trimmedCode)]));
    }

    /// <summary>Renames an entry; records that refer to its number follow.</summary>
    /// <param name="actor">Who acts (證照項目管理者).</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="id">The entry's number.</param>
    /// <param name="newName">The new name.</param>
    /// <returns>The new list, or why it was refused.</returns>
    public WorkflowResult<CertificateNameList> Rename(PortfolioActor actor, long expectedVersion, int id, string newName)
    {
        ArgumentNullException.ThrowIfNull(newName);
        var normalized = Normalize(newName);
        if ((Precheck(actor, expectedVersion) ?? CheckEntry(id) ?? CheckName(normalized, exceptId: id)) is { } problem)
        {
            return WorkflowResult<CertificateNameList>.Refused(problem);
        }

        return WorkflowResult<CertificateNameList>.Ok(new CertificateNameList(Version + 1, [.. Entries.Select(e => e.Id == id ? e with { Name = normalized } : e)]));
    }

    /// <summary>Retires an entry (停用): it stays for the records that use it and is no longer offered.</summary>
    /// <param name="actor">Who acts (證照項目管理者).</param>
    /// <param name="expectedVersion">The version the actor read.</param>
    /// <param name="id">The entry's number.</param>
    /// <returns>The new list, or why it was refused.</returns>
    public WorkflowResult<CertificateNameList> Retire(PortfolioActor actor, long expectedVersion, int id)
    {
        if ((Precheck(actor, expectedVersion) ?? CheckEntry(id)) is { } problem)
        {
            return WorkflowResult<CertificateNameList>.Refused(problem);
        }

        return WorkflowResult<CertificateNameList>.Ok(new CertificateNameList(Version + 1, [.. Entries.Select(e => e.Id == id ? e with { IsRetired = true } : e)]));
    }

    /// <summary>Loads a list from JSON; unknown keys, bad entries and duplicate names are reported, not ignored.</summary>
    /// <param name="json">The JSON stream.</param>
    /// <param name="source">A name for the stream, for diagnostics.</param>
    /// <returns>The list when valid, with every problem found.</returns>
    public static ParseOutcome<CertificateNameList> Load(Stream json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var at = new DiagnosticLocation(Source: source);
        ListDto? dto;
        var problems = new List<Diagnostic>();
        try
        {
            using var document = JsonDocument.Parse(json, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
            foreach (var (key, path) in StrictJson.UnknownKeys(document.RootElement, typeof(ListDto)))
            {
                problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.JsonKeyUnknown, at with { Path = path }, "證照名稱清單", key, path, "The certificate-name list"));
            }

            dto = document.RootElement.Deserialize<ListDto>(ReadOptions);
        }
        catch (JsonException ex)
        {
            return ParseOutcome.Failure<CertificateNameList>(DiagnosticCatalog.Create(DiagnosticCodes.CertificateListInvalid, at with { Path = ex.Path }, $"JSON 格式錯誤（第 {ex.LineNumber + 1} 行）", $"malformed JSON (line {ex.LineNumber + 1})"));
        }

        if (dto is null || dto.Version is not >= 0)
        {
            problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.CertificateListInvalid, at with { Path = "version" }, "version 須為 0 以上的整數", "version must be a whole number of 0 or more"));
        }

        var entries = new List<CertificateName>();
        foreach (var (entry, i) in (dto?.Entries ?? []).Select((e, i) => (e, i)))
        {
            var path = $"entries[{i}]";
            if (entry.Id is not > 0 || entries.Exists(e => e.Id == entry.Id))
            {
                problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.CertificateListInvalid, at with { Path = $"{path}.id" }, "id 須為不重複的正整數", "id must be a positive whole number used once"));
                continue;
            }

            var name = Normalize(entry.Name ?? string.Empty);
            var list = new CertificateNameList(0, entries);
            if (list.CheckName(name, exceptId: null) is { } problem)
            {
                problems.Add(problem.At(at with { Path = $"{path}.name" }));
                continue;
            }

            entries.Add(new CertificateName(entry.Id.Value, name, string.IsNullOrWhiteSpace(entry.Code) ? null : entry.Code.Trim(), entry.Retired ?? false));
        }

        return ParseOutcome.From(new CertificateNameList(dto?.Version ?? 0, [.. entries.OrderBy(e => e.Id)]), problems);
    }

    /// <summary>Writes the list as JSON (UTF-8, indented, Chinese kept readable), in the form <see cref="Load"/> reads.</summary>
    /// <param name="json">The stream to write to.</param>
    /// <param name="cancellationToken">A token to cancel the write.</param>
    /// <returns>A task that completes when written and flushed.</returns>
    public async Task SaveAsync(Stream json, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(json);
        var writer = new Utf8JsonWriter(json, WriteOptions);
        await using var _ = writer.ConfigureAwait(false);
        writer.WriteStartObject();
        writer.WriteNumber("version", Version);
        writer.WriteStartArray("entries");
        foreach (var entry in Entries)
        {
            writer.WriteStartObject();
            writer.WriteNumber("id", entry.Id);
            writer.WriteString("name", entry.Name);
            if (entry.Code is not null)
            {
                writer.WriteString("code", entry.Code);
            }

            writer.WriteBoolean("retired", entry.IsRetired);
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Returns the version and the number of entries.</summary>
    /// <returns>The text.</returns>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"CertificateNameList {{ Version = {Version}, Entries = {Entries.Count}, Active = {Active.Count} }}");

    private static string Normalize(string name) => string.Join(' ', name.Normalize(NormalizationForm.FormKC).Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));

    private static string Key(string name) => name.Normalize(NormalizationForm.FormKC).ToUpperInvariant();

    private Diagnostic? Precheck(PortfolioActor actor, long expectedVersion)
    {
        ArgumentNullException.ThrowIfNull(actor);
        return actor.Check(PortfolioOperation.ManageCertificateNames, new PortfolioTarget())
            ?? (expectedVersion != Version ? DiagnosticCatalog.Create(DiagnosticCodes.VersionConflict, null, expectedVersion, Version) : null);
    }

    private Diagnostic? CheckEntry(int id) =>
        Entries.FirstOrDefault(e => e.Id == id) switch
        {
            null => DiagnosticCatalog.Create(DiagnosticCodes.CertificateNameUnknown, null, id),
            { IsRetired: true } retired => DiagnosticCatalog.Create(DiagnosticCodes.CertificateNameRetired, null, retired.Name),
            _ => null,
        };

    private Diagnostic? CheckName(string normalized, int? exceptId)
    {
        var length = new StringInfo(normalized).LengthInTextElements;
        if (length is 0 or > NameMaxLength)
        {
            return DiagnosticCatalog.Create(DiagnosticCodes.CertificateNameInvalid, null, NameMaxLength, length);
        }

        var key = Key(normalized);
        return Entries.FirstOrDefault(e => e.Id != exceptId && Key(e.Name) == key) is { } same
            ? DiagnosticCatalog.Create(DiagnosticCodes.CertificateNameDuplicate, null, same.Name, same.Id)
            : null;
    }

    private sealed class ListDto
    {
        public long? Version { get; set; }

        public List<EntryDto>? Entries { get; set; }
    }

    private sealed class EntryDto
    {
        public int? Id { get; set; }

        public string? Name { get; set; }

        public string? Code { get; set; }

        public bool? Retired { get; set; }
    }
}
