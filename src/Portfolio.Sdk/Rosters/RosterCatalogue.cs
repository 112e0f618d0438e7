using System.Collections.Frozen;
using System.Text.Json;
using System.Text.Json.Serialization;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Rosters;

/// <summary>
/// The catalogue of roster books (名冊目錄): every book, sheet and column the central database takes, versioned by
/// school year. <see cref="Default"/> is shipped with the SDK; a vendor loads a newer catalogue file with
/// <see cref="Load(Stream, string?)"/> and layers it with <see cref="WithOverrides(RosterCatalogue)"/>, without a new
/// SDK release.
/// </summary>
public sealed class RosterCatalogue
{
    private static readonly Lazy<RosterCatalogue> DefaultInstance = new(LoadEmbedded);
    private readonly FrozenDictionary<string, RosterBook> _books;

    private RosterCatalogue(string revision, IReadOnlyList<RosterBook> books)
    {
        Revision = revision;
        Books = books;
        _books = books.ToFrozenDictionary(b => b.Id, StringComparer.Ordinal);
    }

    /// <summary>Gets the catalogue shipped with the SDK.</summary>
    public static RosterCatalogue Default => DefaultInstance.Value;

    /// <summary>Gets the revision label.</summary>
    public string Revision { get; }

    /// <summary>Gets every book, in catalogue order.</summary>
    public IReadOnlyList<RosterBook> Books { get; }

    /// <summary>Gets a book by identifier.</summary>
    /// <param name="id">The identifier, e.g. <c>grades</c>.</param>
    /// <returns>The book.</returns>
    /// <exception cref="KeyNotFoundException">There is no such book.</exception>
    public RosterBook this[string id] =>
        _books.TryGetValue(id, out var book) ? book : throw new KeyNotFoundException($"There is no roster book '{id}'. Known: {string.Join(", ", _books.Keys)}.");

    /// <summary>Tries to get a book by identifier.</summary>
    /// <param name="id">The identifier.</param>
    /// <param name="book">The book, when found.</param>
    /// <returns><see langword="true"/> when found.</returns>
    public bool TryGetBook(string id, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out RosterBook? book) => _books.TryGetValue(id, out book);

    /// <summary>
    /// Finds the book whose Chinese name is <paramref name="name"/>, or else the book whose sheets best match
    /// <paramref name="sheetNames"/> (most sheets in common; ties go to the day-school book).
    /// </summary>
    /// <param name="name">A book name from a cover sheet, or <see langword="null"/>.</param>
    /// <param name="sheetNames">The data-sheet names of a workbook.</param>
    /// <returns>The book, or <see langword="null"/> when nothing matches.</returns>
    public RosterBook? Identify(string? name, IEnumerable<string> sheetNames)
    {
        ArgumentNullException.ThrowIfNull(sheetNames);
        if (!string.IsNullOrWhiteSpace(name) && Books.FirstOrDefault(b => b.Name == name.Trim() || b.Id == name.Trim()) is { } named)
        {
            return named;
        }

        var names = sheetNames.Select(n => n.Trim()).ToHashSet(StringComparer.Ordinal);
        return Books
            .Select(b => (Book: b, Score: b.Sheets.Count(s => names.Contains(s.Name))))
            .Where(p => p.Score > 0)
            .OrderByDescending(p => p.Score)
            .ThenBy(p => p.Book.Sheets.Count - p.Score)
            .ThenBy(p => p.Book.Division)
            .Select(p => p.Book)
            .FirstOrDefault();
    }

    /// <summary>Loads a catalogue from JSON in the format of the SDK's embedded <c>roster-catalogue.json</c>.</summary>
    /// <param name="json">The JSON stream.</param>
    /// <param name="source">A name for the stream (a file name) used in diagnostics.</param>
    /// <returns>The catalogue when the file is valid, with every problem found.</returns>
    public static ParseOutcome<RosterCatalogue> Load(Stream json, string? source = null)
    {
        ArgumentNullException.ThrowIfNull(json);
        var location = new DiagnosticLocation(Source: source);
        var diagnostics = new List<Diagnostic>();
        void Problem(string path, string zh, string en) =>
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.CatalogueFileInvalid, location with { Path = path }, zh, en));

        CatalogueDto? file;
        try
        {
            file = JsonSerializer.Deserialize<CatalogueDto>(json, CatalogueDto.Options);
        }
        catch (JsonException ex)
        {
            Problem(ex.Path ?? "$", $"JSON 格式錯誤（第 {ex.LineNumber + 1} 行）", $"malformed JSON (line {ex.LineNumber + 1})");
            return ParseOutcome.From<RosterCatalogue>(null, diagnostics);
        }

        if (file?.Books is null)
        {
            Problem("books", "缺少 books", "'books' is missing");
            return ParseOutcome.From<RosterCatalogue>(null, diagnostics);
        }

        var books = new List<RosterBook>();
        var bookIds = new HashSet<string>(StringComparer.Ordinal);
        for (var b = 0; b < file.Books.Count; b++)
        {
            var dto = file.Books[b];
            var path = $"books[{b}]";
            if (string.IsNullOrWhiteSpace(dto.Id) || string.IsNullOrWhiteSpace(dto.Name) || !bookIds.Add(dto.Id))
            {
                Problem(path, "名冊缺少 id 或 name，或 id 重複", "a book has no id or name, or a duplicate id");
                continue;
            }

            if (!TryCadence(dto.Cadence, out var cadence))
            {
                Problem(path + ".cadence", "cadence 應為 semester 或 year", "cadence must be semester or year");
                continue;
            }

            var sheets = new List<RosterSheet>();
            var sheetNames = new HashSet<string>(StringComparer.Ordinal);
            for (var s = 0; s < (dto.Sheets?.Count ?? 0); s++)
            {
                var sheet = ParseSheet(dto.Sheets![s], $"{path}.sheets[{s}]", dto.Evidence, Problem);
                if (sheet is not null && !sheetNames.Add(sheet.Name))
                {
                    Problem($"{path}.sheets[{s}]", $"工作表名稱 {sheet.Name} 重複", $"sheet name {sheet.Name} is used twice");
                }
                else if (sheet is not null)
                {
                    sheets.Add(sheet);
                }
            }

            var division = dto.Division == "continuing" ? RosterDivision.Continuing : RosterDivision.Day;
            books.Add(new RosterBook(dto.Id, dto.Name, dto.NameEnglish ?? dto.Id, cadence, division, dto.Section, EvidenceTags.Parse(dto.Evidence), sheets));
        }

        return ParseOutcome.From<RosterCatalogue>(new RosterCatalogue(file.Revision ?? source ?? "custom", books), diagnostics);
    }

    /// <summary>Returns a catalogue in which each book of <paramref name="newer"/> replaces the book with the same identifier.</summary>
    /// <param name="newer">The newer books.</param>
    /// <returns>The combined catalogue.</returns>
    public RosterCatalogue WithOverrides(RosterCatalogue newer)
    {
        ArgumentNullException.ThrowIfNull(newer);
        var books = Books.Select(b => newer._books.TryGetValue(b.Id, out var replacement) ? replacement : b)
            .Concat(newer.Books.Where(b => !_books.ContainsKey(b.Id)));
        return new RosterCatalogue($"{Revision}+{newer.Revision}", [.. books]);
    }

    private static RosterSheet? ParseSheet(SheetDto dto, string path, string? bookEvidence, Action<string, string, string> problem)
    {
        if (string.IsNullOrWhiteSpace(dto.Id) || string.IsNullOrWhiteSpace(dto.Name) || dto.Columns is not { Count: > 0 })
        {
            problem(path, "工作表缺少 id、name 或 columns", "a sheet has no id, name or columns");
            return null;
        }

        var columns = new List<RosterColumn>();
        for (var c = 0; c < dto.Columns.Count; c++)
        {
            var column = dto.Columns[c];
            var at = $"{path}.columns[{c}]";
            if (string.IsNullOrWhiteSpace(column.Key) || string.IsNullOrWhiteSpace(column.Header) || !TryColumnType(column.Type, out var type))
            {
                problem(at, "欄位缺少 key、header 或 type 無效", "a column has no key or header, or an unknown type");
                continue;
            }

            if (type is RosterColumnType.Code or RosterColumnType.CodeList && string.IsNullOrWhiteSpace(column.CodeTable))
            {
                problem(at, "代碼欄位缺少 codeTable", "a code column has no codeTable");
                continue;
            }

            if (column.From is < SchoolYear.MinValue or > SchoolYear.MaxValue || column.Until is < SchoolYear.MinValue or > SchoolYear.MaxValue)
            {
                problem(at, "from/until 學年度超出範圍", "from/until school year out of range");
                continue;
            }

            if (columns.Exists(existing => existing.Key == column.Key && EvidenceTags.YearsOverlap(existing.From, existing.Until, column.From, column.Until)))
            {
                problem(at, $"欄位 {column.Key} 重複", $"column {column.Key} is defined twice for the same years");
                continue;
            }

            columns.Add(new RosterColumn(
                column.Key, column.Header, type, column.Required, column.CodeTable,
                EvidenceTags.Parse(column.Evidence ?? dto.Evidence ?? bookEvidence),
                column.From is { } from ? new SchoolYear(from) : null,
                column.Until is { } until ? new SchoolYear(until) : null,
                column.Min, column.Max, column.MaxLength, column.Personal));
        }

        var keys = dto.Key ?? ["nationalId"];
        foreach (var key in keys.Where(k => !columns.Exists(c => c.Key == k)))
        {
            problem(path + ".key", $"鍵欄位 {key} 不存在", $"key column {key} does not exist");
        }

        return new RosterSheet(dto.Id, dto.Name, dto.Section, EvidenceTags.Parse(dto.Evidence ?? bookEvidence), keys, columns);
    }


    private static bool TryColumnType(string? text, out RosterColumnType type)
    {
        switch (text)
        {
            case "integer":
                type = RosterColumnType.WholeNumber;
                return true;
            case "decimal":
                type = RosterColumnType.Number;
                return true;
            case "wholeNumber" or "number" or null:
                type = default;
                return false;
            default:
                return Enum.TryParse(text, ignoreCase: true, out type) && !int.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, out _);
        }
    }

    private static bool TryCadence(string? text, out RosterCadence cadence)
    {
        cadence = text switch { "semester" => RosterCadence.Semester, "year" => RosterCadence.Year, _ => 0 };
        return cadence != 0;
    }


    private static RosterCatalogue LoadEmbedded()
    {
        using var stream = typeof(RosterCatalogue).Assembly.GetManifestResourceStream("Portfolio.Sdk.roster-catalogue.json")
            ?? throw new InvalidOperationException("The embedded roster catalogue is missing from Portfolio.Sdk.");
        var outcome = Load(stream, "roster-catalogue.json");
        return outcome.Success && outcome.Diagnostics.Count == 0
            ? outcome.Value!
            : throw new InvalidOperationException("The embedded roster catalogue is invalid: " + string.Join("; ", outcome.Diagnostics));
    }

    private sealed class CatalogueDto
    {
        public static readonly JsonSerializerOptions Options = new()
        {
            PropertyNameCaseInsensitive = true,
            ReadCommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        };

        public string? Revision { get; set; }

        public List<BookDto>? Books { get; set; }
    }

    private sealed class BookDto
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public string? NameEnglish { get; set; }

        public string? Cadence { get; set; }

        public string? Division { get; set; }

        public string? Section { get; set; }

        public string? Evidence { get; set; }

        public List<SheetDto>? Sheets { get; set; }
    }

    private sealed class SheetDto
    {
        public string? Id { get; set; }

        public string? Name { get; set; }

        public string? Section { get; set; }

        public string? Evidence { get; set; }

        public List<string>? Key { get; set; }

        public List<ColumnDto>? Columns { get; set; }
    }

    private sealed class ColumnDto
    {
        public string? Key { get; set; }

        public string? Header { get; set; }

        public string? Type { get; set; }

        public bool Required { get; set; }

        public string? CodeTable { get; set; }

        public string? Evidence { get; set; }

        public int? From { get; set; }

        public int? Until { get; set; }

        public decimal? Min { get; set; }

        public decimal? Max { get; set; }

        public int? MaxLength { get; set; }

        public bool Personal { get; set; }
    }
}
