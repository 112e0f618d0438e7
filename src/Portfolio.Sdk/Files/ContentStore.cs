using System.Security.Cryptography;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Files;

/// <summary>A file kept by content (內容定址檔案): its SHA-256 names it; its MD5 is what the central database's rows carry.</summary>
/// <param name="Sha256">The SHA-256, lower-case hex; the file's name in the store.</param>
/// <param name="Md5">The MD5, lower-case hex.</param>
/// <param name="Length">The size in bytes.</param>
/// <param name="AlreadyStored">Whether the same content was stored before (a re-upload).</param>
public sealed record StoredFile(string Sha256, string Md5, long Length, bool AlreadyStored);

/// <summary>
/// Stores files by content in a folder (檔案庫): <c>ab/cd/abcd…</c> by SHA-256. A re-upload of the same content is
/// recognised and not stored twice, so a file lost elsewhere can be matched to its earlier certification by hash
/// (the lesson of the 2021 公版模組 data loss). Every read verifies the content against its name.
/// </summary>
public sealed class FileSystemContentStore
{
    /// <summary>Initializes a store.</summary>
    /// <param name="root">The folder; created when missing.</param>
    public FileSystemContentStore(string root)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        Root = Directory.CreateDirectory(root).FullName;
    }

    /// <summary>Gets the store's folder.</summary>
    public string Root { get; }

    /// <summary>Stores a file; the content is hashed as it is written to a temporary file, then moved into place.</summary>
    /// <param name="content">The content.</param>
    /// <param name="cancellationToken">Cancels the copy.</param>
    /// <returns>The stored file, marked when the same content was already there.</returns>
    public async Task<StoredFile> PutAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var temporary = Path.Combine(Root, $".incoming-{Guid.NewGuid():N}");
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var md5 = IncrementalHash.CreateHash(HashAlgorithmName.MD5);
        long length = 0;
        try
        {
            var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 81920, FileOptions.Asynchronous);
            await using (target.ConfigureAwait(false))
            {
                var buffer = new byte[81920];
                int read;
                while ((read = await content.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    sha256.AppendData(buffer, 0, read);
                    md5.AppendData(buffer, 0, read);
                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    length += read;
                }

                await target.FlushAsync(cancellationToken).ConfigureAwait(false);
            }

            var hash = Convert.ToHexStringLower(sha256.GetHashAndReset());
            var digest = Convert.ToHexStringLower(md5.GetHashAndReset());
            var path = PathOf(hash);
            if (File.Exists(path))
            {
                return new StoredFile(hash, digest, length, AlreadyStored: true);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            try
            {
                File.Move(temporary, path, overwrite: false);
            }
            catch (IOException) when (File.Exists(path))
            {
                // Another upload of the same content won the race: it is stored, once.
                return new StoredFile(hash, digest, length, AlreadyStored: true);
            }

            return new StoredFile(hash, digest, length, AlreadyStored: false);
        }
        finally
        {
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>Opens a stored file after verifying that its content still matches its SHA-256.</summary>
    /// <param name="sha256">The file's SHA-256.</param>
    /// <param name="cancellationToken">Cancels the verification.</param>
    /// <returns>A read-only stream positioned at the start.</returns>
    /// <exception cref="PortfolioException">The file is missing (<c>PF3402</c>) or corrupted (<c>PF3401</c>).</exception>
    /// <exception cref="ArgumentException"><paramref name="sha256"/> is not 64 hexadecimal characters.</exception>
    public async Task<Stream> OpenVerifiedAsync(string sha256, CancellationToken cancellationToken = default)
    {
        var path = PathOf(sha256);
        if (!File.Exists(path))
        {
            throw new PortfolioException(DiagnosticCatalog.Create(DiagnosticCodes.StoredFileMissing, null, sha256));
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous);
        try
        {
            var actual = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken).ConfigureAwait(false));
            if (!string.Equals(actual, sha256, StringComparison.OrdinalIgnoreCase))
            {
                throw new PortfolioException(DiagnosticCatalog.Create(DiagnosticCodes.StoredFileCorrupted, null, sha256));
            }

            stream.Position = 0;
            return stream;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Gets the size of a stored file (for a student's storage quota), or <see langword="null"/> when it is not stored.</summary>
    /// <param name="sha256">The SHA-256.</param>
    /// <returns>The size in bytes.</returns>
    public long? LengthOf(string sha256)
    {
        var file = new FileInfo(PathOf(sha256));
        return file.Exists ? file.Length : null;
    }

    /// <summary>Gets whether content with this SHA-256 is stored (a re-upload can be matched to earlier work).</summary>
    /// <param name="sha256">The SHA-256.</param>
    /// <returns><see langword="true"/> when stored.</returns>
    public bool Contains(string sha256) => File.Exists(PathOf(sha256));

    private string PathOf(string sha256)
    {
        if (sha256 is not { Length: 64 } || !sha256.All(char.IsAsciiHexDigit))
        {
            throw new ArgumentException("A SHA-256 is 64 hexadecimal characters.", nameof(sha256));
        }

        var name = sha256.ToLowerInvariant();
        return Path.Combine(Root, name[..2], name[2..4], name);
    }
}
