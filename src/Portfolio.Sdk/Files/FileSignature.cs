namespace Portfolio.Sdk.Files;

/// <summary>The file types the portfolio accepts (檔案類型): documents pdf/jpg/png and media mp3/mp4.</summary>
public enum PortfolioFileType
{
    /// <summary>PDF document.</summary>
    Pdf = 1,

    /// <summary>JPEG image.</summary>
    Jpeg,

    /// <summary>PNG image.</summary>
    Png,

    /// <summary>MP3 audio.</summary>
    Mp3,

    /// <summary>MP4 video.</summary>
    Mp4,
}

/// <summary>
/// Recognises a file's type by its content (magic bytes), never by its name: a renamed executable is not a PDF.
/// </summary>
public static class FileSignature
{
    /// <summary>The number of leading bytes <see cref="Detect(ReadOnlySpan{byte})"/> needs.</summary>
    public const int HeaderLength = 12;

    /// <summary>Detects the type from the first bytes of a file.</summary>
    /// <param name="header">At least <see cref="HeaderLength"/> leading bytes (fewer for a shorter file).</param>
    /// <returns>The type, or <see langword="null"/> when the content is none of the accepted types.</returns>
    public static PortfolioFileType? Detect(ReadOnlySpan<byte> header)
    {
        if (header.StartsWith("%PDF-"u8))
        {
            return PortfolioFileType.Pdf;
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        {
            return PortfolioFileType.Png;
        }

        if (header.StartsWith((ReadOnlySpan<byte>)[0xFF, 0xD8, 0xFF]))
        {
            return PortfolioFileType.Jpeg;
        }

        if (header.Length >= 8 && header.Slice(4, 4).SequenceEqual("ftyp"u8))
        {
            return PortfolioFileType.Mp4;
        }

        // An ID3 tag, or an MPEG audio frame sync (11 set bits) with layer III.
        if (header.StartsWith("ID3"u8) || (header.Length >= 2 && header[0] == 0xFF && (header[1] & 0xE0) == 0xE0 && (header[1] & 0x06) == 0x02))
        {
            return PortfolioFileType.Mp3;
        }

        return null;
    }

    /// <summary>Gets the file extension (without a dot) used for a type.</summary>
    /// <param name="type">The type.</param>
    /// <returns>The extension, e.g. <c>pdf</c>.</returns>
    public static string Extension(PortfolioFileType type) => type switch
    {
        PortfolioFileType.Pdf => "pdf",
        PortfolioFileType.Jpeg => "jpg",
        PortfolioFileType.Png => "png",
        PortfolioFileType.Mp3 => "mp3",
        PortfolioFileType.Mp4 => "mp4",
        _ => throw new ArgumentOutOfRangeException(nameof(type)),
    };
}
