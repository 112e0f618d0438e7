using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Files;

namespace Portfolio.Sdk.Rosters.Packages;

/// <summary>
/// Writes the per-year upload package (上傳包) of a 課程學習成果 or 多元表現 roster: a zip holding the roster workbook,
/// each evidence file named by its SHA-256 (<c>files/&lt;sha256&gt;.pdf</c>), and <c>manifest.json</c> with the MD5 and
/// SHA-256 of every file. Everything streams; the same content added twice is stored once.
/// </summary>
/// <remarks>
/// Typical use: add the files first and put each returned <see cref="PackageFile.Path"/> and
/// <see cref="PackageFile.Md5"/> into the rows' link and MD5 columns, then write the workbook with
/// <see cref="WriteWorkbook(Action{RosterWorkbookWriter})"/>, then <see cref="Complete"/>.
/// How the real central database wants files to travel is not documented (research §2.2, [U]); this layout is
/// the SDK's, and the manifest makes it verifiable.
/// </remarks>
public sealed class RosterPackageWriter : IDisposable
{
    /// <summary>The entry name of the workbook inside the package.</summary>
    public const string WorkbookEntryName = "roster.xlsx";

    /// <summary>The folder of the evidence files inside the package.</summary>
    public const string FilesFolder = "files/";

    private static readonly JsonSerializerOptions ManifestJson = new() { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly ZipArchive _zip;
    private readonly List<PackageFile> _files = [];
    private readonly Dictionary<string, PackageFile> _bySha = new(StringComparer.Ordinal);
    private PackageFile? _workbook;
    private bool _completed;

    private RosterPackageWriter(Stream output, RosterBook book, RosterCover cover)
    {
        Book = book;
        Cover = cover;
        _zip = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true, Encoding.UTF8);
    }

    /// <summary>Gets the roster book.</summary>
    public RosterBook Book { get; }

    /// <summary>Gets the cover.</summary>
    public RosterCover Cover { get; }

    /// <summary>Gets the files added so far.</summary>
    public IReadOnlyList<PackageFile> Files => _files;

    /// <summary>Starts a package.</summary>
    /// <param name="output">A writable stream; it need not be seekable and is left open.</param>
    /// <param name="book">The roster book.</param>
    /// <param name="cover">The cover.</param>
    /// <returns>The writer.</returns>
    public static RosterPackageWriter Create(Stream output, RosterBook book, RosterCover cover)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(book);
        ArgumentNullException.ThrowIfNull(cover);
        return new RosterPackageWriter(output, book, cover);
    }

    /// <summary>
    /// Adds an evidence file. Its type comes from its content (pdf, jpg, png, mp3, mp4); anything else is refused
    /// with <c>PF1306</c> and nothing is added. Content already in the package is not stored again.
    /// </summary>
    /// <param name="content">The file content. A seekable stream is read twice; another is first buffered to a temporary file.</param>
    /// <param name="location">Where the file came from, for the diagnostic.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>The manifest entry, or the reason the file was refused.</returns>
    public async Task<ParseOutcome<PackageFile>> AddFileAsync(Stream content, DiagnosticLocation? location = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        ObjectDisposedException.ThrowIf(_completed, this);
        Stream? buffer = null;
        try
        {
            var source = content;
            if (!content.CanSeek)
            {
                buffer = new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
                await content.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
                buffer.Position = 0;
                source = buffer;
            }

            var start = source.Position;
            var header = new byte[FileSignature.HeaderLength];
            var read = await source.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (FileSignature.Detect(header.AsSpan(0, read)) is not { } type)
            {
                return ParseOutcome.From<PackageFile>(null, [DiagnosticCatalog.Create(DiagnosticCodes.FileTypeUnsupported, location)]);
            }

            source.Position = start;
            var (md5, sha256, length) = HashingStream.HashOf(source);
            if (_bySha.TryGetValue(sha256, out var existing))
            {
                return ParseOutcome.From<PackageFile>(existing, []);
            }

            source.Position = start;
            var path = $"{FilesFolder}{sha256}.{FileSignature.Extension(type)}";

            // Media is already compressed; deflating it again costs time for nothing.
            var level = type is PortfolioFileType.Mp3 or PortfolioFileType.Mp4 or PortfolioFileType.Jpeg or PortfolioFileType.Png
                ? CompressionLevel.NoCompression
                : CompressionLevel.Fastest;
            var entry = NewEntry(path, level);
            await using (entry.ConfigureAwait(false))
            {
                await source.CopyToAsync(entry, cancellationToken).ConfigureAwait(false);
            }

            var file = new PackageFile(path, FileSignature.Extension(type), length, md5, sha256);
            _bySha.Add(sha256, file);
            _files.Add(file);
            return ParseOutcome.From<PackageFile>(file, []);
        }
        finally
        {
            if (buffer is not null)
            {
                await buffer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    /// <summary>Writes the roster workbook into the package; <paramref name="write"/> writes its sheets.</summary>
    /// <param name="write">Writes the sheets; the workbook is completed when it returns.</param>
    /// <returns>The workbook's manifest entry.</returns>
    /// <exception cref="InvalidOperationException">The workbook was already written.</exception>
    public PackageFile WriteWorkbook(Action<RosterWorkbookWriter> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_workbook is not null)
        {
            throw new InvalidOperationException("The package already has its workbook.");
        }

        using var entry = NewEntry(WorkbookEntryName, CompressionLevel.NoCompression);
        using var hashing = new HashingStream(entry, leaveOpen: true);
        using (var workbook = RosterWorkbookWriter.Create(hashing, Book, Cover))
        {
            write(workbook);
            workbook.Complete();
        }

        var (md5, sha256, length) = hashing.Finish();
        _workbook = new PackageFile(WorkbookEntryName, "xlsx", length, md5, sha256);
        return _workbook;
    }

    // Fixed entry times: the same content gives the same package bytes, so the ledger's SHA-256 tells a real change.
    private Stream NewEntry(string name, CompressionLevel level)
    {
        var entry = _zip.CreateEntry(name, level);
        entry.LastWriteTime = new DateTimeOffset(1980, 1, 1, 0, 0, 0, TimeSpan.Zero);
        return entry.Open();
    }

    /// <summary>Writes the manifest and closes the package. A package without a workbook gets an empty one.</summary>
    /// <returns>The manifest.</returns>
    public RosterPackageManifest Complete()
    {
        ObjectDisposedException.ThrowIf(_completed, this);
        if (_workbook is null)
        {
            WriteWorkbook(_ => { });
        }

        var manifest = new RosterPackageManifest
        {
            Book = Book.Id,
            SchoolCode = Cover.School.Value,
            SchoolYear = Cover.Year.RocYear,
            Term = (int)Cover.Term,
            Workbook = _workbook!,
            Files = [.. _files],
        };
        using (var entry = NewEntry(RosterPackageManifest.EntryName, CompressionLevel.Fastest))
        {
            JsonSerializer.Serialize(entry, manifest, ManifestJson);
        }

        _completed = true;
        _zip.Dispose();
        return manifest;
    }

    /// <summary>Completes the package if needed.</summary>
    public void Dispose()
    {
        if (!_completed)
        {
            Complete();
        }
    }
}
