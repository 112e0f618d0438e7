using System.IO.Compression;
using System.Text.Json;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Input;

namespace Portfolio.Sdk.Rosters.Packages;

/// <summary>What <see cref="RosterPackageVerifier"/> found in one upload package.</summary>
public sealed class RosterPackageReport
{
    internal RosterPackageReport(RosterPackageManifest? manifest, RosterValidationReport? workbook, IReadOnlyList<Diagnostic> diagnostics)
    {
        Manifest = manifest;
        Workbook = workbook;
        Diagnostics = diagnostics;
    }

    /// <summary>Gets the manifest, when it could be read.</summary>
    public RosterPackageManifest? Manifest { get; }

    /// <summary>Gets the validation of the roster workbook inside the package, when it could be read.</summary>
    public RosterValidationReport? Workbook { get; }

    /// <summary>Gets every problem found: package-level first, then the workbook's.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Gets whether any diagnostic is an error.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.IsError);
}

/// <summary>
/// Verifies an upload package (上傳包檢核): every file listed in the manifest is present with its hashes, nothing
/// unlisted is present, the workbook validates, and every row's file link and MD5 match a file of the package.
/// A package beyond <see cref="InputLimits"/>, with an unsafe or duplicate entry name, or whose manifest lists a
/// path twice, no path or an unsafe path, is refused with a diagnostic before anything in it is inflated.
/// </summary>
public sealed class RosterPackageVerifier
{
    /// <summary>The largest manifest.json read: 16 MiB (a manifest of 65,536 files is about 12 MiB).</summary>
    public const long MaxManifestBytes = 16L * 1024 * 1024;

    private readonly RosterWorkbookValidator _validator;

    /// <summary>Initializes a verifier.</summary>
    /// <param name="catalogue">The roster catalogue; <see cref="RosterCatalogue.Default"/> when <see langword="null"/>.</param>
    /// <param name="codes">The code tables; <see cref="CodeTableCatalog.Default"/> when <see langword="null"/>.</param>
    /// <param name="limits">The reading limits; <see cref="InputLimits.Default"/> when <see langword="null"/>.</param>
    public RosterPackageVerifier(RosterCatalogue? catalogue = null, CodeTableCatalog? codes = null, InputLimits? limits = null) =>
        _validator = new RosterWorkbookValidator(catalogue, codes, limits);

    /// <summary>Gets the reading limits.</summary>
    public InputLimits Limits => _validator.Limits;

    /// <summary>Verifies the package in <paramref name="package"/>.</summary>
    /// <param name="package">A readable, seekable stream.</param>
    /// <param name="source">The file name, for diagnostic locations.</param>
    /// <param name="cancellationToken">Cancels between files.</param>
    /// <returns>The report.</returns>
    public RosterPackageReport Verify(Stream package, string? source = null, CancellationToken cancellationToken = default) =>
        Verify(package, source, onRow: null, cancellationToken);

    /// <summary>
    /// Verifies the package in <paramref name="package"/> and hands every data row of its workbook to
    /// <paramref name="onRow"/> as it is read.
    /// </summary>
    /// <param name="package">A readable, seekable stream.</param>
    /// <param name="source">The file name, for diagnostic locations.</param>
    /// <param name="onRow">Called for each data row; its values are reused after the call returns. <see langword="null"/> for none.</param>
    /// <param name="cancellationToken">Cancels between files.</param>
    /// <returns>The report.</returns>
    public RosterPackageReport Verify(Stream package, string? source, Action<RosterRowRead>? onRow, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(package);
        var at = new DiagnosticLocation(Source: source);
        var diagnostics = new List<Diagnostic>();
        ZipArchive zip;
        try
        {
            if (!package.CanSeek || ZipInspector.Inspect(package, Limits, at, diagnostics) is null)
            {
                if (diagnostics.Count == 0)
                {
                    diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.PackageUnreadable, at, "不是可隨機讀取的檔案", "not a seekable file"));
                }

                return new RosterPackageReport(null, null, diagnostics);
            }

            zip = new ZipArchive(package, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (Exception ex) when (ex is InvalidDataException or IOException or NotSupportedException)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.PackageUnreadable, at, "不是有效的 zip 檔", "not a valid zip file"));
            return new RosterPackageReport(null, null, diagnostics);
        }

        using (zip)
        {
            try
            {
                return VerifyArchive(zip, at, source, diagnostics, onRow, cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidDataException or IOException or NotSupportedException)
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.PackageUnreadable, at, "zip 內容毀損", "the zip's content is corrupt"));
                return new RosterPackageReport(null, null, diagnostics);
            }
        }
    }

    private static RosterPackageManifest? ReadManifest(ZipArchive zip, DiagnosticLocation at, List<Diagnostic> diagnostics)
    {
        var entry = zip.GetEntry(RosterPackageManifest.EntryName);
        if (entry is null)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.PackageManifestInvalid, at, "缺少 manifest.json", "manifest.json is missing"));
            return null;
        }

        if (entry.Length > MaxManifestBytes)
        {
            diagnostics.Add(ZipInspector.LimitExceeded(at with { Path = RosterPackageManifest.EntryName }, "manifest.json 大小（位元組）", "bytes of manifest.json", entry.Length, MaxManifestBytes));
            return null;
        }

        try
        {
            using var stream = entry.Open();
            var manifest = JsonSerializer.Deserialize<RosterPackageManifest>(stream);
            if (manifest is null || manifest.Files is null || manifest.Workbook is null || manifest.FormatVersion != RosterPackageManifest.CurrentFormatVersion)
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.PackageManifestInvalid, at, "欄位不完整或版本不符", "fields are missing or the format version is not 1"));
                return null;
            }

            var paths = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { RosterPackageManifest.EntryName };
            foreach (var file in manifest.Files.Append(manifest.Workbook))
            {
                if (file is null || string.IsNullOrEmpty(file.Path) || file.Md5 is null || file.Sha256 is null)
                {
                    diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.PackageManifestInvalid, at, "檔案項目缺少路徑或雜湊值", "a file entry has no path or no hashes"));
                    return null;
                }

                if (!ZipInspector.IsSafeName(file.Path) || file.Path.EndsWith('/'))
                {
                    diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ZipEntryNameUnsafe, at with { Path = Privacy.Redaction.QuoteText(file.Path) }, file.Path));
                    return null;
                }

                if (!paths.Add(file.Path))
                {
                    diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.PackageManifestInvalid, at with { Path = Privacy.Redaction.QuoteText(file.Path) }, "路徑重複列出", "a path is listed twice"));
                    return null;
                }
            }

            return manifest;
        }
        catch (JsonException ex)
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.PackageManifestInvalid, at, $"JSON 格式錯誤（第 {ex.LineNumber + 1} 行）", $"malformed JSON (line {ex.LineNumber + 1})"));
            return null;
        }
    }

    private static bool Matches(ZipArchiveEntry entry, PackageFile expected)
    {
        using var stream = entry.Open();
        var (md5, sha256, length) = HashingStream.HashOf(stream);
        return length == expected.Length
            && string.Equals(md5, expected.Md5, StringComparison.OrdinalIgnoreCase)
            && string.Equals(sha256, expected.Sha256, StringComparison.OrdinalIgnoreCase);
    }

    private RosterPackageReport VerifyArchive(ZipArchive zip, DiagnosticLocation at, string? source, List<Diagnostic> diagnostics, Action<RosterRowRead>? onRow, CancellationToken cancellationToken)
    {
        var manifest = ReadManifest(zip, at, diagnostics);
        if (manifest is null)
        {
            return new RosterPackageReport(null, null, diagnostics);
        }

        var listed = manifest.Files.Append(manifest.Workbook).ToList();
        var present = new Dictionary<string, PackageFile>(StringComparer.Ordinal);
        foreach (var file in listed)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var fileAt = at with { Path = file.Path };
            var entry = zip.GetEntry(file.Path);
            if (entry is null)
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.PackageFileMissing, fileAt, file.Path));
            }
            else if (!Matches(entry, file))
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.PackageFileCorrupted, fileAt, file.Path));
            }
            else
            {
                present[file.Path] = file;
            }
        }

        var names = listed.Select(f => f.Path).Append(RosterPackageManifest.EntryName).ToHashSet(StringComparer.Ordinal);
        foreach (var extra in zip.Entries.Where(e => !names.Contains(e.FullName) && !e.FullName.EndsWith('/')))
        {
            diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.PackageFileExtra, at with { Path = extra.FullName }, extra.FullName));
        }

        RosterValidationReport? workbook = null;
        if (present.ContainsKey(manifest.Workbook.Path) && zip.GetEntry(manifest.Workbook.Path) is { } workbookEntry)
        {
            // The validator needs a seekable stream; workbooks beyond 64 MiB go through a temporary file.
            using var copy = workbookEntry.Length > 64L * 1024 * 1024
                ? new FileStream(Path.GetTempFileName(), FileMode.Open, FileAccess.ReadWrite, FileShare.None, 81920, FileOptions.DeleteOnClose)
                : (Stream)new MemoryStream();
            using (var entryStream = workbookEntry.Open())
            {
                entryStream.CopyTo(copy);
            }

            copy.Position = 0;
            var files = manifest.Files.Where(f => present.ContainsKey(f.Path)).ToDictionary(f => f.Path, StringComparer.Ordinal);
            workbook = _validator.Validate(copy, $"{source}/{manifest.Workbook.Path}", files, cancellationToken, onRow);
            diagnostics.AddRange(workbook.Diagnostics);
        }

        return new RosterPackageReport(manifest, workbook, diagnostics);
    }
}
