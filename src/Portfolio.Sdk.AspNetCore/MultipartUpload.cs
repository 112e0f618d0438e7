using System.Text;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Policy;

namespace Portfolio.Sdk.AspNetCore;

/// <summary>
/// Reads a multipart upload as it arrives, never buffering a file: the body's declared length is checked against the
/// policy before a byte is read, each file's type is read from its first bytes before it is stored, and each file is
/// streamed into the content store with its type's size limit enforced as it streams. The antiforgery token comes from
/// the header, or from a form field (validated before anything is saved).
/// </summary>
internal sealed class MultipartUpload : IAsyncDisposable
{
    private readonly List<Stream> _opened = [];

    private MultipartUpload(Dictionary<string, string> fields, List<StoredFile> files, FileSystemContentStore store)
    {
        Fields = fields;
        Files = files;
        Store = store;
    }

    public Dictionary<string, string> Fields { get; }

    public List<StoredFile> Files { get; }

    private FileSystemContentStore Store { get; }

    public string? Field(string name) => Fields.TryGetValue(name, out var value) && !string.IsNullOrWhiteSpace(value) ? value : null;

    /// <summary>Opens the stored files (verified) for the module, which reads each once.</summary>
    public async Task<IReadOnlyList<Stream>> OpenFilesAsync(CancellationToken cancellationToken)
    {
        foreach (var file in Files)
        {
            _opened.Add(await Store.OpenVerifiedAsync(file.Sha256, cancellationToken).ConfigureAwait(false));
        }

        return _opened;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var stream in _opened)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>The largest body an upload may have: every file at the largest size any policy year allows, plus the form's fields.</summary>
    public static long MaxBodyBytes(PortfolioPolicy policy, PortfolioEndpointOptions options) =>
        (options.MaxFilesPerUpload * policy.National.Max(n => Math.Max(n.DocumentMaxBytes, n.MediaMaxBytes))) + options.MaxFormFieldBytes + (16 * 1024);

    public static async Task<(MultipartUpload? Upload, IReadOnlyList<Diagnostic>? Problems)> ReadAsync(
        HttpContext context, FileSystemContentStore store, PortfolioPolicy policy, Func<IReadOnlyDictionary<string, string>, NationalPolicy?> limitsOf, CancellationToken cancellationToken)
    {
        var options = context.RequestServices.GetRequiredService<IOptions<PortfolioEndpointOptions>>().Value;
        var request = context.Request;
        if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var mediaType)
            || !string.Equals(mediaType.MediaType.Value, "multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(mediaType.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return (null, [DiagnosticCatalog.Create(DiagnosticCodes.HttpRequestInvalid, null, "上傳須為 multipart/form-data", "an upload must be multipart/form-data")]);
        }

        // The declared length is refused before a byte is read; a chunked body is stopped by Kestrel at the same bound.
        var maxBody = MaxBodyBytes(policy, options);
        if (request.ContentLength is { } declared && declared > maxBody)
        {
            return (null, [DiagnosticCatalog.Create(DiagnosticCodes.HttpRequestTooLarge, null, PortfolioProblemDetails.Size(declared), PortfolioProblemDetails.Size(maxBody))]);
        }

        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = maxBody;
        }

        var antiforgery = options.RequireAntiforgery ? context.RequestServices.GetRequiredService<IAntiforgery>() : null;
        var antiforgeryOptions = context.RequestServices.GetRequiredService<IOptions<AntiforgeryOptions>>().Value;
        var tokenInHeader = antiforgeryOptions.HeaderName is { } headerName && request.Headers.ContainsKey(headerName);
        if (antiforgery is not null && tokenInHeader && !await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
        {
            return (null, [DiagnosticCatalog.Create(DiagnosticCodes.HttpAntiforgeryInvalid, null)]);
        }

        try
        {
            return await ReadSectionsAsync(context, store, policy, limitsOf, options, antiforgery, antiforgeryOptions, tokenInHeader, boundary, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception exception) when (exception is InvalidDataException or MalformedBodyException || (exception is IOException && exception is not BadHttpRequestException))
        {
            // The body is not a well-formed multipart form (a cut-off stream, a section without its boundary): the
            // caller's mistake, not the server's.
            return (null, [DiagnosticCatalog.Create(DiagnosticCodes.HttpRequestInvalid, null, "multipart 內容格式錯誤", "the multipart body is malformed")]);
        }
    }

    private static async Task<(MultipartUpload? Upload, IReadOnlyList<Diagnostic>? Problems)> ReadSectionsAsync(
        HttpContext context, FileSystemContentStore store, PortfolioPolicy policy, Func<IReadOnlyDictionary<string, string>, NationalPolicy?> limitsOf,
        PortfolioEndpointOptions options, IAntiforgery? antiforgery, AntiforgeryOptions antiforgeryOptions, bool tokenInHeader, string boundary, CancellationToken cancellationToken)
    {
        var request = context.Request;
        var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var files = new List<StoredFile>();
        var fieldBytes = 0L;
        // Every read of the request goes through the wrapper, so a cut-off or malformed body is told apart from a
        // failure of the file store (which stays a server error).
        var reader = new MultipartReader(boundary, new LimitedStream(ReadOnlyMemory<byte>.Empty, request.Body, long.MaxValue)) { HeadersCountLimit = 16, HeadersLengthLimit = 16 * 1024 };
        for (var section = await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false); section is not null; section = await reader.ReadNextSectionAsync(cancellationToken).ConfigureAwait(false))
        {
            if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition) || !disposition.DispositionType.Equals("form-data", StringComparison.OrdinalIgnoreCase))
            {
                return (null, [DiagnosticCatalog.Create(DiagnosticCodes.HttpRequestInvalid, null, "表單區段缺少 Content-Disposition: form-data", "a form section lacks Content-Disposition: form-data")]);
            }

            var name = HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? string.Empty;
            if (!disposition.IsFileDisposition())
            {
                var (text, used) = await ReadFieldAsync(section.Body, options.MaxFormFieldBytes - fieldBytes, cancellationToken).ConfigureAwait(false);
                if (text is null)
                {
                    return (null, [DiagnosticCatalog.Create(DiagnosticCodes.HttpRequestTooLarge, DiagnosticLocation.ForPath(name), "表單文字欄位", PortfolioProblemDetails.Size(options.MaxFormFieldBytes))]);
                }

                fieldBytes += used;
                fields[name] = text;
                continue;
            }

            if (files.Count >= options.MaxFilesPerUpload)
            {
                return (null, [DiagnosticCatalog.Create(DiagnosticCodes.HttpFieldInvalid, DiagnosticLocation.ForPath("files"), "files", $"最多 {options.MaxFilesPerUpload} 個檔案", $"takes at most {options.MaxFilesPerUpload} files")]);
            }

            var index = files.Count + 1;
            var header = new byte[FileSignature.HeaderLength];
            var read = await section.Body.ReadAtLeastAsync(header, header.Length, throwOnEndOfStream: false, cancellationToken).ConfigureAwait(false);
            if (FileSignature.Detect(header.AsSpan(0, read)) is not { } type)
            {
                return (null, [DiagnosticCatalog.Create(DiagnosticCodes.HttpFileTypeUnknown, DiagnosticLocation.ForPath("files"), index)]);
            }

            var national = limitsOf(fields) ?? LargestOf(policy);
            var media = type is PortfolioFileType.Mp3 or PortfolioFileType.Mp4;
            var max = media ? national.MediaMaxBytes : national.DocumentMaxBytes;
            var limited = new LimitedStream(header.AsMemory(0, read), section.Body, max);
            try
            {
                files.Add(await store.PutAsync(limited, cancellationToken).ConfigureAwait(false));
            }
            catch (IOException exception) when (exception is not BadHttpRequestException)
            {
                // Reads of the request are wrapped by LimitedStream: an I/O failure here is the file store's, a server error.
                throw new ContentStoreException(exception);
            }
            catch (LimitedStream.LimitExceededException)
            {
                return (null, [DiagnosticCatalog.Create(DiagnosticCodes.HttpFileTooLarge, DiagnosticLocation.ForPath("files"), index, media ? "影音檔" : "文件檔", PortfolioProblemDetails.Size(max), media ? "media" : "document")]);
            }
        }

        if (antiforgery is not null && !tokenInHeader)
        {
            // A browser form's token arrives as a field: it is checked as if it were the header, before anything is saved.
            if (!fields.TryGetValue(antiforgeryOptions.FormFieldName, out var token) || antiforgeryOptions.HeaderName is not { } tokenHeader)
            {
                return (null, [DiagnosticCatalog.Create(DiagnosticCodes.HttpAntiforgeryInvalid, null)]);
            }

            request.Headers[tokenHeader] = token;
            if (!await antiforgery.IsRequestValidAsync(context).ConfigureAwait(false))
            {
                return (null, [DiagnosticCatalog.Create(DiagnosticCodes.HttpAntiforgeryInvalid, null)]);
            }
        }

        return (new MultipartUpload(fields, files, store), null);
    }

    private static NationalPolicy LargestOf(PortfolioPolicy policy) =>
        new() { From = policy.National[0].From, DocumentMaxBytes = policy.National.Max(n => n.DocumentMaxBytes), MediaMaxBytes = policy.National.Max(n => n.MediaMaxBytes) };

    private static async Task<(string? Text, long Used)> ReadFieldAsync(Stream body, long budget, CancellationToken cancellationToken)
    {
        var buffer = new MemoryStream();
        await using (buffer.ConfigureAwait(false))
        {
            var chunk = new byte[4096];
            int read;
            while ((read = await body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > budget)
                {
                    return (null, buffer.Length + read);
                }

                buffer.Write(chunk, 0, read);
            }

            return (Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length), buffer.Length);
        }
    }

    /// <summary>The content store failed while a file was written (a server error, unlike a malformed body).</summary>
    private sealed class ContentStoreException(Exception inner) : Exception("The content store failed to store an uploaded file.", inner);

    /// <summary>Reading the request's body failed: it is malformed or cut off (told apart from a failure of the file store).</summary>
    private sealed class MalformedBodyException(Exception inner) : Exception("The request body is malformed.", inner);

    /// <summary>The bytes already read (the type's signature), then the rest of the section, up to a limit.</summary>
    private sealed class LimitedStream(ReadOnlyMemory<byte> prefix, Stream inner, long limit) : Stream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;
        private long _total;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => _total; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            int read;
            if (!_prefix.IsEmpty)
            {
                read = Math.Min(buffer.Length, _prefix.Length);
                _prefix[..read].CopyTo(buffer);
                _prefix = _prefix[read..];
            }
            else
            {
                try
                {
                    read = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception exception) when (exception is InvalidDataException || (exception is IOException && exception is not BadHttpRequestException))
                {
                    throw new MalformedBodyException(exception);
                }
            }

            _total += read;
            return _total > limit ? throw new LimitExceededException() : read;
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        internal sealed class LimitExceededException : Exception
        {
            public LimitExceededException()
                : base("The file is over its size limit.")
            {
            }
        }
    }
}
