using System.IO.Compression;
using System.Security.Cryptography;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Submission;

/// <summary>
/// The outbox (待送區): each submission's content, kept in a folder under its SHA-256 until it is no longer needed,
/// so a resend after a crash sends exactly the bytes that were first sent. Files are written to a temporary name
/// and moved into place, so a crash never leaves a partial file under a real name.
/// </summary>
public sealed class SubmissionOutbox
{
    private const string IncomingPrefix = ".incoming-";

    /// <summary>
    /// Initializes an outbox in <paramref name="directory"/> (created if missing). The rosters it keeps hold students'
    /// 身分證號: on Unix the folder is created readable by its owner only (0700) and every stored file is 0600.
    /// </summary>
    /// <param name="directory">The folder.</param>
    public SubmissionOutbox(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        Directory = (OperatingSystem.IsWindows()
            ? System.IO.Directory.CreateDirectory(directory)
            : System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)).FullName;
        RemoveAbandonedFiles();
    }

    // The stored rosters hold 身分證號: created for their owner only on Unix (Windows files inherit the folder's ACL).
    private static FileStreamOptions OwnerOnly(FileMode mode, FileAccess access)
    {
        var options = new FileStreamOptions { Mode = mode, Access = access, Share = FileShare.None, BufferSize = 81920, Options = FileOptions.Asynchronous };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        return options;
    }

    /// <summary>Gets the folder.</summary>
    public string Directory { get; }

    /// <summary>Stores content and tells what it is.</summary>
    /// <param name="content">The workbook or package; read to its end.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>The SHA-256 (lower-case hex), length and kind.</returns>
    public async Task<(string Sha256, long Length, SubmissionContentKind Kind)> StoreAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var temporary = Path.Combine(Directory, $"{IncomingPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}");
        try
        {
            string sha;
            long length;
            var file = new FileStream(temporary, OwnerOnly(FileMode.CreateNew, FileAccess.Write));
            await using (file.ConfigureAwait(false))
            {
                using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    hash.AppendData(buffer, 0, read);
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                }

                await file.FlushAsync(cancellationToken).ConfigureAwait(false);
                file.Flush(flushToDisk: true);
                sha = Convert.ToHexStringLower(hash.GetHashAndReset());
                length = file.Length;
            }

            var kind = KindOf(temporary);
            var final = PathOf(sha);
            if (File.Exists(final))
            {
                File.Delete(temporary);
            }
            else
            {
                File.Move(temporary, final);
            }

            return (sha, length, kind);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>
    /// Deletes the partial files a killed process left (<c>.incoming-{process}-{guid}</c> of a process no longer running,
    /// or of the old unnamed form when older than a minute); called when an outbox is opened.
    /// </summary>
    /// <returns>How many files were deleted.</returns>
    public int RemoveAbandonedFiles()
    {
        var removed = 0;
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, IncomingPrefix + "*"))
        {
            var rest = Path.GetFileName(path)[IncomingPrefix.Length..];
            var dash = rest.IndexOf('-', StringComparison.Ordinal);
            var abandoned = dash > 0 && int.TryParse(rest.AsSpan(0, dash), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid)
                ? pid != Environment.ProcessId && !IsRunning(pid)
                : File.GetLastWriteTimeUtc(path) < DateTime.UtcNow.AddMinutes(-1);
            if (abandoned)
            {
                try
                {
                    File.Delete(path);
                    removed++;
                }
                catch (IOException)
                {
                    // Another process is cleaning up too.
                }
            }
        }

        return removed;
    }

    private static bool IsRunning(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Opens stored content for reading.</summary>
    /// <param name="sha256">Its SHA-256.</param>
    /// <returns>A read-only stream.</returns>
    /// <exception cref="FileNotFoundException">The content is not in the outbox.</exception>
    public Stream Open(string sha256) =>
        new FileStream(PathOf(sha256), FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);

    /// <summary>Whether the content is in the outbox.</summary>
    /// <param name="sha256">Its SHA-256.</param>
    /// <returns><see langword="true"/> when present.</returns>
    public bool Contains(string sha256) => File.Exists(PathOf(sha256));

    /// <summary>Gets the file path of stored content.</summary>
    /// <param name="sha256">Its SHA-256.</param>
    /// <returns>The path (the file may not exist).</returns>
    public string PathOf(string sha256)
    {
        if (sha256 is not { Length: 64 } || !sha256.All(char.IsAsciiHexDigitLower))
        {
            throw new ArgumentException("A SHA-256 is 64 lower-case hex digits.", nameof(sha256));
        }

        return Path.Combine(Directory, sha256 + ".bin");
    }

    // A per-year package is a zip with a manifest; a workbook is a zip without one.
    private static SubmissionContentKind KindOf(string path)
    {
        try
        {
            using var zip = ZipFile.OpenRead(path);
            return zip.GetEntry(RosterPackageManifest.EntryName) is null ? SubmissionContentKind.Workbook : SubmissionContentKind.Package;
        }
        catch (InvalidDataException)
        {
            return SubmissionContentKind.Workbook;
        }
    }
}
