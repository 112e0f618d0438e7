using System.Globalization;
using System.IO.Compression;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Unicode;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Input;
using Portfolio.Sdk.Privacy;
using Portfolio.Sdk.Schools;

namespace Portfolio.Sdk.Transfer;

/// <summary>
/// A transfer package (歷程交換檔) as read: the zip checked before anything is inflated (entry names, duplicates, sizes,
/// <see cref="InputLimits"/>), the JSON checked strictly (an unknown key is refused with its path; a value of the wrong
/// type, a missing required key or a <see langword="null"/> where none is allowed with its path), and every record
/// checked on its own (身分證號, school code, term, course code, each file's link and MD5). A record with a problem is
/// left out with its diagnostics at its JSON path; every record is accounted for:
/// <see cref="RecordsRead"/> = <see cref="RecordsAccepted"/> + <see cref="RecordsLeftOut"/>. Reading never throws for
/// bad content: a package that cannot be read at all has <see cref="IsReadable"/> <see langword="false"/> and says why.
/// </summary>
public sealed class TransferPackage : IDisposable
{
    /// <summary>The zip entry of the JSON document.</summary>
    public const string DocumentEntry = "portfolio.json";

    /// <summary>The folder of the zip that holds the files; every file link starts with it.</summary>
    public const string FilesFolder = "files/";

    /// <summary>The certification states as the format writes them (認證狀態).</summary>
    public static IReadOnlyList<string> CertificationStates { get; } = ["未送審", "待認證", "認證通過", "認證不通過"];

    private static readonly DateTimeOffset EntryTime = new(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private readonly ZipArchive? _zip;
    private readonly HashSet<string> _entries;

    private TransferPackage(ZipArchive? zip, HashSet<string> entries, TransferDocument? document, IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<TransferRecord> records)
    {
        _zip = zip;
        _entries = entries;
        Document = document;
        Diagnostics = diagnostics;
        Records = records;
    }

    /// <summary>Gets the options the format is written and read with: the Chinese keys as they are, nulls left out, nullable annotations respected.</summary>
    public static JsonSerializerOptions SerializerOptions { get; } = new()
    {
        WriteIndented = true,
        Encoder = JavaScriptEncoder.Create(UnicodeRanges.All),
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
        AllowDuplicateProperties = false,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary>Gets the document, or <see langword="null"/> when the package could not be read.</summary>
    public TransferDocument? Document { get; }

    /// <summary>Gets the problems of the package as a whole (the zip, the JSON, 基本資料, files no record refers to).</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Gets every record read, accepted or left out, in document order (cadre records, course outcomes, 多元表現).</summary>
    public IReadOnlyList<TransferRecord> Records { get; }

    /// <summary>Gets whether the package was read: a document, and no error in <see cref="Diagnostics"/>.</summary>
    public bool IsReadable => Document is not null && !Diagnostics.Any(d => d.IsError);

    /// <summary>Gets the number of records read.</summary>
    public int RecordsRead => Records.Count;

    /// <summary>Gets the number of records accepted.</summary>
    public int RecordsAccepted => Records.Count(r => r.IsAccepted);

    /// <summary>Gets the number of records left out, each with its diagnostics.</summary>
    public int RecordsLeftOut => Records.Count(r => !r.IsAccepted);

    /// <summary>Gets every diagnostic: the package's, then each record's.</summary>
    public IEnumerable<Diagnostic> AllDiagnostics => Diagnostics.Concat(Records.SelectMany(r => r.Problems));

    /// <summary>Reads and checks a package.</summary>
    /// <param name="input">The zip; seekable (a file or a memory stream). The caller disposes it, after this package.</param>
    /// <param name="limits">The limits; <see cref="InputLimits.Default"/> when <see langword="null"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The package; dispose it.</returns>
    /// <exception cref="ArgumentException"><paramref name="input"/> is not seekable.</exception>
    public static async Task<TransferPackage> ReadAsync(Stream input, InputLimits? limits = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (!input.CanSeek || !input.CanRead)
        {
            throw new ArgumentException("A transfer package is read from a seekable stream.", nameof(input));
        }

        limits = (limits ?? InputLimits.Default).Validate();
        var diagnostics = new List<Diagnostic>();
        var at = DiagnosticLocation.ForPath(string.Empty);
        if (input.Length == 0)
        {
            return Failed(Unreadable("檔案是空的", "the file is empty"));
        }

        if (ZipInspector.Inspect(input, limits, at, diagnostics) is null)
        {
            return Failed([.. diagnostics]);
        }

        ZipArchive zip;
        try
        {
            zip = await ZipArchive.CreateAsync(input, ZipArchiveMode.Read, leaveOpen: true, entryNameEncoding: null, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or IOException or ArgumentException)
        {
            return Failed(Unreadable("不是 zip 或已損毀", "it is not a zip, or it is corrupt"));
        }

        var keep = false;
        try
        {
            var entries = new HashSet<string>(zip.Entries.Select(e => e.FullName), StringComparer.Ordinal);
            var documentEntry = zip.GetEntry(DocumentEntry);
            if (documentEntry is null)
            {
                keep = true;
                return new TransferPackage(zip, entries, null, [DiagnosticCatalog.Create(DiagnosticCodes.TransferDocumentMissing, at, DocumentEntry)], []);
            }

            var (document, problems) = await ParseDocumentAsync(documentEntry, cancellationToken).ConfigureAwait(false);
            if (document is null)
            {
                keep = true;
                return new TransferPackage(zip, entries, null, problems, []);
            }

            diagnostics.AddRange(problems);
            var count = document.CourseOutcomes.Count + document.Student.Cadres.Count + document.Performances.ByCategory().Sum(c => c.Records.Count);
            if (count > limits.MaxRows)
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.TransferTooManyRecords, at, count, limits.MaxRows));
                keep = true;
                return new TransferPackage(zip, entries, document, diagnostics, []);
            }

            diagnostics.AddRange(CheckStudent(document.Student, out var studentId));
            if (diagnostics.Any(d => d.IsError))
            {
                // Without a valid 基本資料 there is no student to check the records against: the package is refused whole.
                keep = true;
                return new TransferPackage(zip, entries, document, diagnostics, []);
            }

            var checker = new RecordChecker(zip, entries, studentId);
            var records = new List<TransferRecord>(count);
            for (var i = 0; i < document.Student.Cadres.Count; i++)
            {
                records.Add(await checker.PerformanceAsync(document.Student.Cadres[i], TransferRecordKind.SchoolCadre, TransferCategories.SchoolCadreCategory, $"基本資料.擔任學校幹部經歷紀錄[{i}]", cancellationToken).ConfigureAwait(false));
            }

            for (var i = 0; i < document.CourseOutcomes.Count; i++)
            {
                records.Add(await checker.CourseOutcomeAsync(document.CourseOutcomes[i], $"課程學習成果紀錄[{i}]", cancellationToken).ConfigureAwait(false));
            }

            foreach (var (key, category, list) in document.Performances.ByCategory())
            {
                for (var i = 0; i < list.Count; i++)
                {
                    records.Add(await checker.PerformanceAsync(list[i], TransferRecordKind.Performance, category, $"多元表現.{key}[{i}]", cancellationToken).ConfigureAwait(false));
                }
            }

            var referenced = records.SelectMany(r => r.Files).Select(f => f.Link).ToHashSet(StringComparer.Ordinal);
            foreach (var name in entries.Where(n => n != DocumentEntry && !n.EndsWith('/') && !referenced.Contains(n)).Order(StringComparer.Ordinal))
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.TransferFileUnreferenced, DiagnosticLocation.ForPath(name), name));
            }

            keep = true;
            return new TransferPackage(zip, entries, document, diagnostics, records);
        }
        catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or IOException)
        {
            return Failed(Unreadable("zip 內容已損毀", "an entry of the zip is corrupt"));
        }
        finally
        {
            if (!keep)
            {
                zip.Dispose();
            }
        }

        static TransferPackage Failed(params Diagnostic[] diagnostics) => new(null, [], null, diagnostics, []);
    }

    /// <summary>Opens a file of an accepted record by its link.</summary>
    /// <param name="link">The link (<see cref="TransferFile.Link"/>).</param>
    /// <param name="cancellationToken">Cancels the open.</param>
    /// <returns>The file's content; dispose it.</returns>
    /// <exception cref="InvalidOperationException">The package was not read, or holds no such entry.</exception>
    public async Task<Stream> OpenFileAsync(string link, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(link);
        if (_zip?.GetEntry(link) is not { } entry || !_entries.Contains(link))
        {
            throw new InvalidOperationException("The package holds no such file.");
        }

        return await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Writes a package: the JSON document first, then the files in the order of their links, every entry with the same
    /// fixed time, so that the same content always gives the same bytes.
    /// </summary>
    /// <param name="output">Where the zip goes; left open.</param>
    /// <param name="document">The document.</param>
    /// <param name="files">The files, by link (each under <see cref="FilesFolder"/>); a link given twice is written once.</param>
    /// <param name="cancellationToken">Cancels the write.</param>
    /// <returns>A task that completes when the zip is written.</returns>
    public static async Task WriteAsync(Stream output, TransferDocument document, IEnumerable<TransferPackageFile> files, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(document);
        ArgumentNullException.ThrowIfNull(files);
        var ordered = files.DistinctBy(f => f.Link, StringComparer.Ordinal).OrderBy(f => f.Link, StringComparer.Ordinal).ToList();
        if (ordered.FirstOrDefault(f => !IsFileLink(f.Link)) is { } bad)
        {
            throw new ArgumentException($"A file link must be a plain relative path under {FilesFolder}: {bad.Link}", nameof(files));
        }

        var zip = await ZipArchive.CreateAsync(output, ZipArchiveMode.Create, leaveOpen: true, entryNameEncoding: null, cancellationToken).ConfigureAwait(false);
        await using (zip.ConfigureAwait(false))
        {
            var json = zip.CreateEntry(DocumentEntry, CompressionLevel.Optimal);
            json.LastWriteTime = EntryTime;
            var target = await json.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (target.ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(target, document, SerializerOptions, cancellationToken).ConfigureAwait(false);
            }

            foreach (var file in ordered)
            {
                var entry = zip.CreateEntry(file.Link, CompressionLevel.Optimal);
                entry.LastWriteTime = EntryTime;
                var source = await file.Open(cancellationToken).ConfigureAwait(false);
                await using (source.ConfigureAwait(false))
                {
                    var content = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
                    await using (content.ConfigureAwait(false))
                    {
                        await source.CopyToAsync(content, cancellationToken).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    /// <summary>Whether a link is a plain relative path under <see cref="FilesFolder"/> (no <c>..</c>, not absolute, no backslash).</summary>
    /// <param name="link">The link.</param>
    /// <returns><see langword="true"/> when it is.</returns>
    public static bool IsFileLink(string? link) =>
        link is { Length: > 6 } && link.StartsWith(FilesFolder, StringComparison.Ordinal) && !link.EndsWith('/') && ZipInspector.IsSafeName(link);

    /// <summary>A record's content key: the SHA-256 of its kind, category and JSON as the format writes it.</summary>
    /// <param name="kind">The kind.</param>
    /// <param name="category">The roster sheet identifier, or <see langword="null"/> for a course outcome.</param>
    /// <param name="record">The record.</param>
    /// <returns>64 lower-case hexadecimal digits.</returns>
    public static string ContentKey(TransferRecordKind kind, string? category, object record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var json = JsonSerializer.Serialize(record, record.GetType(), SerializerOptions);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{kind}|{category}|{json}")));
    }

    /// <inheritdoc />
    public void Dispose() => _zip?.Dispose();

    private static Diagnostic Unreadable(string zh, string en) => DiagnosticCatalog.Create(DiagnosticCodes.TransferPackageUnreadable, DiagnosticLocation.ForPath(string.Empty), zh, en);

    private static async Task<(TransferDocument? Document, IReadOnlyList<Diagnostic> Problems)> ParseDocumentAsync(ZipArchiveEntry entry, CancellationToken cancellationToken)
    {
        JsonDocument parsed;
        try
        {
            var stream = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                parsed = await JsonDocument.ParseAsync(stream, new JsonDocumentOptions { MaxDepth = 32, AllowDuplicateProperties = false }, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (JsonException ex)
        {
            var where = string.Create(CultureInfo.InvariantCulture, $"{ex.LineNumber + 1}:{ex.BytePositionInLine + 1}");
            return (null, [DiagnosticCatalog.Create(DiagnosticCodes.TransferJsonInvalid, DiagnosticLocation.ForPath(ex.Path ?? "$"), $"第 {where} 處語法錯誤", $"a syntax error at {where}")]);
        }

        using (parsed)
        {
            List<(string Key, string Path)> unknown;
            try
            {
                unknown = [.. UnknownKeys(parsed.RootElement, typeof(TransferDocument), string.Empty)];
            }
            catch (InvalidOperationException)
            {
                // JsonDocument checks the UTF-8 of a name or string only when it is read.
                return (null, [DiagnosticCatalog.Create(DiagnosticCodes.TransferJsonInvalid, DiagnosticLocation.ForPath("$"), "文字不是有效的 UTF-8", "the text is not valid UTF-8")]);
            }

            if (unknown.Count > 0)
            {
                return (null, [.. unknown.Select(u => DiagnosticCatalog.Create(DiagnosticCodes.TransferJsonUnknownKey, DiagnosticLocation.ForPath(u.Path), u.Key, u.Path))]);
            }

            try
            {
                var document = parsed.RootElement.Deserialize<TransferDocument>(SerializerOptions);
                if (document is null)
                {
                    return (null, [DiagnosticCatalog.Create(DiagnosticCodes.TransferJsonInvalid, DiagnosticLocation.ForPath("$"), "根不是物件", "the root is not an object")]);
                }

                // Nullable annotations are not applied to the items of a list: a null item is refused here, with its path.
                return NullItem(document) is { } nullPath
                    ? (null, [DiagnosticCatalog.Create(DiagnosticCodes.TransferJsonInvalid, DiagnosticLocation.ForPath(nullPath), "清單中有 null", "a list holds null")])
                    : (document, []);
            }
            catch (InvalidOperationException)
            {
                return (null, [DiagnosticCatalog.Create(DiagnosticCodes.TransferJsonInvalid, DiagnosticLocation.ForPath("$"), "文字不是有效的 UTF-8", "the text is not valid UTF-8")]);
            }
            catch (JsonException ex)
            {
                // The message names the missing key or the type expected; it quotes no value from the file.
                var what = Redaction.MaskIdentifiersIn(ex.Message) ?? string.Empty;
                return (null, [DiagnosticCatalog.Create(DiagnosticCodes.TransferJsonInvalid, DiagnosticLocation.ForPath(ex.Path ?? "$"), what, what)]);
            }
        }
    }

    // The path of the first null item of a list of the document, or null when there is none.
    private static string? NullItem(TransferDocument document)
    {
        static string? In<T>(IReadOnlyList<T?>? list, string path, Func<T, string, string?>? inner = null)
            where T : class
        {
            if (list is null)
            {
                return path;
            }

            for (var i = 0; i < list.Count; i++)
            {
                if (list[i] is not { } item)
                {
                    return $"{path}[{i}]";
                }

                if (inner?.Invoke(item, $"{path}[{i}]") is { } found)
                {
                    return found;
                }
            }

            return null;
        }

        static string? Files(TransferPerformance p, string path) => In(p.MoreFiles, $"{path}.附加檔案");
        return (document.Student is null ? "$.基本資料" : null)
            ?? In(document.Student!.Cadres, "$.基本資料.擔任學校幹部經歷紀錄", Files)
            ?? In(document.CourseOutcomes, "$.課程學習成果紀錄", (o, path) => In(o.MoreFiles, $"{path}.附加檔案"))
            ?? (document.Performances is null ? "$.多元表現" : null)
            ?? document.Performances!.ByCategory().Select(c => In(c.Records, $"$.多元表現.{c.Key}", Files)).FirstOrDefault(p => p is not null);
    }

    // The keys of the document the format does not have, at every level, by their JSON names (exact, as the format writes them).
    private static IEnumerable<(string Key, string Path)> UnknownKeys(JsonElement element, Type type, string path)
    {
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(JsonElement) || type == typeof(string) || type.IsPrimitive)
        {
            yield break;
        }

        if (element.ValueKind == JsonValueKind.Array && type.IsGenericType && type.GetGenericArguments() is [var itemType])
        {
            var i = 0;
            foreach (var item in element.EnumerateArray())
            {
                foreach (var unknown in UnknownKeys(item, itemType, $"{path}[{i++}]"))
                {
                    yield return unknown;
                }
            }

            yield break;
        }

        if (element.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Select(p => (Name: p.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name, p.PropertyType))
            .Where(p => p.Name is not null)
            .ToDictionary(p => p.Name!, p => p.PropertyType, StringComparer.Ordinal);
        foreach (var member in element.EnumerateObject())
        {
            var childPath = path.Length == 0 ? member.Name : $"{path}.{member.Name}";
            if (!properties.TryGetValue(member.Name, out var propertyType))
            {
                yield return (member.Name, childPath);
                continue;
            }

            foreach (var unknown in UnknownKeys(member.Value, propertyType, childPath))
            {
                yield return unknown;
            }
        }
    }

    private static List<Diagnostic> CheckStudent(TransferStudent student, out NationalId? id)
    {
        var problems = new List<Diagnostic>();
        const string root = "基本資料";
        problems.AddRange(SchoolCode.Validate(student.SchoolCode, DiagnosticLocation.ForPath($"{root}.就讀學校代碼")).Diagnostics.Where(d => d.IsError));
        var national = NationalId.Validate(student.NationalId, DiagnosticLocation.ForPath($"{root}.國民身分證統一編號(或居留證統一證號)"));
        problems.AddRange(national.Diagnostics.Where(d => d.IsError));
        id = national.Success ? national.Value : null;
        if (student.SchoolYear is < SchoolYear.MinValue or > SchoolYear.MaxValue)
        {
            problems.Add(Invalid($"{root}.學年度", "學年度", student.SchoolYear.ToString(CultureInfo.InvariantCulture)));
        }

        if (student.Term is not (1 or 2))
        {
            problems.Add(Invalid($"{root}.學期", "學期", student.Term.ToString(CultureInfo.InvariantCulture)));
        }

        if (string.IsNullOrWhiteSpace(student.Name))
        {
            problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.TransferValueRequired, DiagnosticLocation.ForPath($"{root}.學生中文姓名"), "學生中文姓名"));
        }

        if (!DateOnly.TryParseExact(student.BirthDate, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _))
        {
            // A birth date is personal data: the message does not quote it.
            problems.Add(Invalid($"{root}.學生出生年月日", "學生出生年月日", Redaction.MaskIdentifier(student.BirthDate)));
        }

        return problems;
    }

    private static Diagnostic Invalid(string path, string field, string value) =>
        DiagnosticCatalog.Create(DiagnosticCodes.TransferValueInvalid, DiagnosticLocation.ForPath(path), field, value);

    // Checks records one by one; the MD5 of each entry is computed once, streaming.
    private sealed class RecordChecker(ZipArchive zip, HashSet<string> entries, NationalId? student)
    {
        private readonly Dictionary<string, string?> _md5 = new(StringComparer.Ordinal);

        public async Task<TransferRecord> CourseOutcomeAsync(TransferCourseOutcome record, string path, CancellationToken cancellationToken)
        {
            var problems = new List<Diagnostic>();
            CheckId(record.NationalId, $"{path}.身分證", problems);
            problems.AddRange(SchoolCode.Validate(record.SchoolCode, DiagnosticLocation.ForPath($"{path}.修課學校代碼")).Diagnostics);
            if (record.SchoolYear is < SchoolYear.MinValue or > SchoolYear.MaxValue)
            {
                problems.Add(Invalid($"{path}.應修課學年度", "應修課學年度", record.SchoolYear.ToString(CultureInfo.InvariantCulture)));
            }

            if (record.Term is not (1 or 2))
            {
                problems.Add(Invalid($"{path}.應修課學期", "應修課學期", record.Term.ToString(CultureInfo.InvariantCulture)));
            }

            problems.AddRange(CourseCode.Validate(record.CourseCode, DiagnosticLocation.ForPath($"{path}.課程代碼")).Diagnostics);
            var flags = new[] { record.IsVisiting, record.IsRetake, record.IsMakeup, record.IsRepeatYear, record.IsBeforeTransfer }.Count(f => f);
            if (flags > 1)
            {
                problems.Add(Invalid($"{path}.是否為重修時的課程學習成果", "是否為…的課程學習成果", $"{flags} 個為 true"));
            }

            if (!CertificationStates.Contains(record.CertificationState, StringComparer.Ordinal))
            {
                problems.Add(Invalid($"{path}.認證狀態", "認證狀態", record.CertificationState));
            }

            CheckSubmitted(record.Submitted, $"{path}.提交紀錄(學年度及學期)", problems);
            var files = await CheckFilesAsync(path, ("課程學習成果文件檔案連結", record.DocumentLink, "文件檔案MD5", record.DocumentMd5), ("課程學習成果影音檔案連結", record.MediaLink, "影音檔案MD5", record.MediaMd5), record.MoreFiles, problems, cancellationToken).ConfigureAwait(false);
            return new TransferRecord(TransferRecordKind.CourseOutcome, path, null, record, null, files, problems, TransferPackage.ContentKey(TransferRecordKind.CourseOutcome, null, record));
        }

        public async Task<TransferRecord> PerformanceAsync(TransferPerformance record, TransferRecordKind kind, string category, string path, CancellationToken cancellationToken)
        {
            var problems = new List<Diagnostic>();
            CheckId(record.NationalId, $"{path}.身分證", problems);
            problems.AddRange(SchoolCode.Validate(record.SchoolCode, DiagnosticLocation.ForPath($"{path}.就讀學校代碼")).Diagnostics);
            if (!DateOnly.TryParseExact(record.Date, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                || date.Year - SchoolYear.RocOffset is < SchoolYear.MinValue or >= SchoolYear.MaxValue)
            {
                problems.Add(Invalid($"{path}.日期", "日期", record.Date));
            }

            if (record.Fields is { } fields && fields.ValueKind != JsonValueKind.Object)
            {
                problems.Add(Invalid($"{path}.類別欄位", "類別欄位", fields.ValueKind.ToString()));
            }

            CheckSubmitted(record.Submitted, $"{path}.提交紀錄(學年度及學期)", problems);
            var files = await CheckFilesAsync(path, ("證明文件連結", record.DocumentLink, "證明文件MD5", record.DocumentMd5), ("影音檔案連結", record.MediaLink, "影音檔案MD5", record.MediaMd5), record.MoreFiles, problems, cancellationToken).ConfigureAwait(false);
            return new TransferRecord(kind, path, category, null, record, files, problems, TransferPackage.ContentKey(kind, category, record));
        }

        private void CheckId(string value, string path, List<Diagnostic> problems)
        {
            var id = NationalId.Validate(value, DiagnosticLocation.ForPath(path));
            problems.AddRange(id.Diagnostics.Where(d => d.IsError));
            if (id.Success && student is { } expected && id.Value != expected)
            {
                problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.TransferOtherStudent, DiagnosticLocation.ForPath(path), id.Value.Masked, expected.Masked));
            }
        }

        private static void CheckSubmitted(string? submitted, string path, List<Diagnostic> problems)
        {
            if (submitted is not null && (!SchoolTerm.TryParse(submitted, out var term) || term.Term != Calendar.Term.WholeYear))
            {
                problems.Add(Invalid(path, "提交紀錄(學年度及學期)", submitted));
            }
        }

        private async Task<IReadOnlyList<TransferFile>> CheckFilesAsync(string path, (string LinkKey, string? Link, string Md5Key, string? Md5) document, (string LinkKey, string? Link, string Md5Key, string? Md5) media,
            IReadOnlyList<TransferFile> more, List<Diagnostic> problems, CancellationToken cancellationToken)
        {
            var files = new List<TransferFile>();
            var pairs = new List<(string LinkPath, string? Link, string Md5Path, string? Md5)>
            {
                ($"{path}.{document.LinkKey}", document.Link, $"{path}.{document.Md5Key}", document.Md5),
                ($"{path}.{media.LinkKey}", media.Link, $"{path}.{media.Md5Key}", media.Md5),
            };
            pairs.AddRange(more.Select((f, i) => ($"{path}.附加檔案[{i}].檔案連結", (string?)f.Link, $"{path}.附加檔案[{i}].檔案MD5", (string?)f.Md5)));
            foreach (var (linkPath, link, md5Path, md5) in pairs)
            {
                if (link is null && md5 is null)
                {
                    continue;
                }

                if (string.IsNullOrEmpty(link) || string.IsNullOrEmpty(md5))
                {
                    var (missingPath, missing) = string.IsNullOrEmpty(link) ? (linkPath, linkPath) : (md5Path, md5Path);
                    problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.TransferValueRequired, DiagnosticLocation.ForPath(missingPath), missing[(missing.LastIndexOf('.') + 1)..]));
                    continue;
                }

                if (!IsFileLink(link))
                {
                    problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.TransferFileLinkUnsafe, DiagnosticLocation.ForPath(linkPath), link));
                    continue;
                }

                if (md5.Length != 32 || !md5.All(char.IsAsciiHexDigit))
                {
                    problems.Add(Invalid(md5Path, md5Path[(md5Path.LastIndexOf('.') + 1)..], md5));
                    continue;
                }

                if (!entries.Contains(link) || zip.GetEntry(link) is not { } entry)
                {
                    problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.TransferFileMissing, DiagnosticLocation.ForPath(linkPath), link));
                    continue;
                }

                if (!_md5.TryGetValue(link, out var actual))
                {
                    actual = await Md5Async(entry, cancellationToken).ConfigureAwait(false);
                    _md5[link] = actual;
                }

                if (actual is null)
                {
                    problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.TransferPackageUnreadable, DiagnosticLocation.ForPath(linkPath), "檔案已損毀", "the file is corrupt"));
                }
                else if (!string.Equals(actual, md5, StringComparison.OrdinalIgnoreCase))
                {
                    problems.Add(DiagnosticCatalog.Create(DiagnosticCodes.TransferFileMd5Mismatch, DiagnosticLocation.ForPath(md5Path), link, md5.ToLowerInvariant(), actual));
                }
                else
                {
                    files.Add(new TransferFile { Link = link, Md5 = actual });
                }
            }

            return files;
        }

        private static async Task<string?> Md5Async(ZipArchiveEntry entry, CancellationToken cancellationToken)
        {
            try
            {
                var stream = await entry.OpenAsync(cancellationToken).ConfigureAwait(false);
                await using (stream.ConfigureAwait(false))
                {
#pragma warning disable CA5351 // MD5 is the exchange format's own checksum of each file, not a security measure; the store keys files by SHA-256.
                    return Convert.ToHexStringLower(await MD5.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
#pragma warning restore CA5351
                }
            }
            catch (Exception ex) when (ex is InvalidDataException or NotSupportedException or IOException)
            {
                return null;
            }
        }
    }
}

/// <summary>What a record of a transfer package is.</summary>
public enum TransferRecordKind
{
    /// <summary>A 課程學習成果 (課程學習成果紀錄).</summary>
    CourseOutcome = 1,

    /// <summary>A 多元表現 of the student's (多元表現).</summary>
    Performance,

    /// <summary>A school-entered cadre record (基本資料.擔任學校幹部經歷紀錄).</summary>
    SchoolCadre,
}

/// <summary>One record of a transfer package as read: what it is, where, its checked files and its problems.</summary>
/// <param name="Kind">What the record is.</param>
/// <param name="Path">Its JSON path, e.g. <c>課程學習成果紀錄[2]</c>.</param>
/// <param name="Category">The roster sheet identifier of a 多元表現 or cadre record; <see langword="null"/> for a course outcome.</param>
/// <param name="CourseOutcome">The course outcome, for <see cref="TransferRecordKind.CourseOutcome"/>.</param>
/// <param name="Performance">The 多元表現 or cadre record, for the other kinds.</param>
/// <param name="Files">The files whose link and MD5 were checked, in the record's order (document, medium, further files).</param>
/// <param name="Problems">The record's diagnostics; an error leaves it out.</param>
/// <param name="ContentKey">The SHA-256 of the record's kind, category and content (<see cref="TransferPackage.ContentKey"/>).</param>
public sealed record TransferRecord(TransferRecordKind Kind, string Path, string? Category, TransferCourseOutcome? CourseOutcome, TransferPerformance? Performance,
    IReadOnlyList<TransferFile> Files, IReadOnlyList<Diagnostic> Problems, string ContentKey)
{
    /// <summary>Gets whether the record is accepted: no error among <see cref="Problems"/>.</summary>
    public bool IsAccepted => !Problems.Any(p => p.IsError);
}

/// <summary>A file to write into a transfer package.</summary>
/// <param name="Link">Its entry, under <see cref="TransferPackage.FilesFolder"/>.</param>
/// <param name="Open">Opens its content (the writer disposes it).</param>
public sealed record TransferPackageFile(string Link, Func<CancellationToken, Task<Stream>> Open);
