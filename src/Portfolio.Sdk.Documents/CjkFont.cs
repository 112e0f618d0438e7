using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using PdfSharp.Fonts;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Documents;

/// <summary>
/// Reads one face of a TrueType/OpenType font file or font collection (TTC) as a standalone font, because PDFsharp
/// embeds single faces only. A collection's face is found by its family name (name IDs 1 and 16) and rebuilt with its
/// own table directory; every offset and length is checked against the file, so a damaged file is a PF6101 and never
/// an out-of-range read.
/// </summary>
internal static class CjkFont
{
    private const uint CollectionTag = 0x74746366;   // 'ttcf'
    private const uint NameTag = 0x6E616D65;         // 'name'
    private const int MaxTables = 256;
    private const int MaxFaces = 64;

    /// <summary>Extracts the face of <paramref name="family"/> (or the first face when <see langword="null"/>).</summary>
    /// <param name="file">The font file's bytes.</param>
    /// <param name="source">The file name, for diagnostics.</param>
    /// <param name="family">The family, e.g. <c>Noto Sans CJK TC</c>.</param>
    /// <returns>The face as a standalone font.</returns>
    /// <exception cref="PortfolioException">PF6101 for an unreadable file; PF6102 when no face has the family.</exception>
    public static byte[] ExtractFace(byte[] file, string source, string? family)
    {
        ArgumentNullException.ThrowIfNull(file);
        var offsets = new List<int>();
        if (file.Length >= 12 && BinaryPrimitives.ReadUInt32BigEndian(file) == CollectionTag)
        {
            var count = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(8));
            if (count is 0 or > MaxFaces || 12 + (4 * (long)count) > file.Length)
            {
                throw Unreadable(source);
            }

            for (var i = 0; i < (int)count; i++)
            {
                offsets.Add(checked((int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(12 + (4 * i))), int.MaxValue)));
            }
        }
        else
        {
            offsets.Add(0);
        }

        foreach (var offset in offsets)
        {
            var tables = ReadTables(file, offset, source);
            if (family is null || FamiliesOf(file, tables).Any(f => string.Equals(f, family, StringComparison.OrdinalIgnoreCase)))
            {
                return offset == 0 && offsets.Count == 1 ? file : Rebuild(file, offset, tables);
            }
        }

        throw new PortfolioException(DiagnosticCatalog.Create(DiagnosticCodes.ConfirmationSheetFontFace, new DiagnosticLocation(Source: source), source, family));
    }

    private static PortfolioException Unreadable(string source) =>
        new(DiagnosticCatalog.Create(DiagnosticCodes.ConfirmationSheetFontMissing, new DiagnosticLocation(Source: source), source));

    private static List<(uint Tag, uint Checksum, int Offset, int Length)> ReadTables(byte[] file, int offset, string source)
    {
        if (offset < 0 || (long)offset + 12 > file.Length)
        {
            throw Unreadable(source);
        }

        var sfnt = BinaryPrimitives.ReadUInt32BigEndian(file.AsSpan(offset));
        if (sfnt is not (0x00010000 or 0x4F54544F or 0x74727565))   // TrueType, 'OTTO', 'true'
        {
            throw Unreadable(source);
        }

        int count = BinaryPrimitives.ReadUInt16BigEndian(file.AsSpan(offset + 4));
        if (count is 0 or > MaxTables || (long)offset + 12 + (16L * count) > file.Length)
        {
            throw Unreadable(source);
        }

        var tables = new List<(uint, uint, int, int)>(count);
        for (var i = 0; i < count; i++)
        {
            var record = file.AsSpan(offset + 12 + (16 * i));
            var start = BinaryPrimitives.ReadUInt32BigEndian(record[8..]);
            var length = BinaryPrimitives.ReadUInt32BigEndian(record[12..]);
            if ((long)start + length > file.Length)
            {
                throw Unreadable(source);
            }

            tables.Add((BinaryPrimitives.ReadUInt32BigEndian(record), BinaryPrimitives.ReadUInt32BigEndian(record[4..]), (int)start, (int)length));
        }

        return tables;
    }

    // The family names of a face: name IDs 1 and 16, Windows Unicode (UTF-16BE) or Mac Roman (ASCII).
    private static List<string> FamiliesOf(byte[] file, List<(uint Tag, uint Checksum, int Offset, int Length)> tables)
    {
        var names = new List<string>();
        var name = tables.FirstOrDefault(t => t.Tag == NameTag);
        if (name.Tag != NameTag || name.Length < 6)
        {
            return names;
        }

        var table = file.AsSpan(name.Offset, name.Length);
        int count = BinaryPrimitives.ReadUInt16BigEndian(table[2..]);
        int storage = BinaryPrimitives.ReadUInt16BigEndian(table[4..]);
        for (var i = 0; i < count && 6 + (12 * (i + 1)) <= table.Length; i++)
        {
            var record = table[(6 + (12 * i))..];
            int platform = BinaryPrimitives.ReadUInt16BigEndian(record);
            int id = BinaryPrimitives.ReadUInt16BigEndian(record[6..]);
            int length = BinaryPrimitives.ReadUInt16BigEndian(record[8..]);
            int start = storage + BinaryPrimitives.ReadUInt16BigEndian(record[10..]);
            if (id is not (1 or 16) || start + length > table.Length)
            {
                continue;
            }

            var bytes = table.Slice(start, length);
            names.Add(platform is 0 or 3 ? Encoding.BigEndianUnicode.GetString(bytes) : Encoding.ASCII.GetString(bytes));
        }

        return names;
    }

    private static byte[] Rebuild(byte[] file, int offset, List<(uint Tag, uint Checksum, int Offset, int Length)> tables)
    {
        var header = 12 + (16 * tables.Count);
        var output = new byte[header + tables.Sum(t => (long)((t.Length + 3) & ~3))];
        file.AsSpan(offset, 12).CopyTo(output);
        var position = header;
        for (var i = 0; i < tables.Count; i++)
        {
            var (tag, checksum, start, length) = tables[i];
            var record = output.AsSpan(12 + (16 * i));
            BinaryPrimitives.WriteUInt32BigEndian(record, tag);
            BinaryPrimitives.WriteUInt32BigEndian(record[4..], checksum);
            BinaryPrimitives.WriteUInt32BigEndian(record[8..], (uint)position);
            BinaryPrimitives.WriteUInt32BigEndian(record[12..], (uint)length);
            file.AsSpan(start, length).CopyTo(output.AsSpan(position));
            position += (length + 3) & ~3;
        }

        return output;
    }
}

/// <summary>
/// PDFsharp's font resolver for the SDK's documents: each font the SDK loads is registered under a family name of its
/// own; any other family goes to the resolver that was set before (the platform's, or the vendor's).
/// </summary>
internal sealed class DocumentFontResolver(IFontResolver? fallback) : IFontResolver
{
    private static readonly Lock Gate = new();
    private readonly ConcurrentDictionary<string, byte[]> _faces = new(StringComparer.Ordinal);

    /// <summary>Gets the resolver PDFsharp uses, installing it once.</summary>
    public static DocumentFontResolver Installed
    {
        get
        {
            lock (Gate)
            {
                if (GlobalFontSettings.FontResolver is DocumentFontResolver installed)
                {
                    return installed;
                }

                var resolver = new DocumentFontResolver(GlobalFontSettings.FontResolver);
                GlobalFontSettings.FontResolver = resolver;
                return resolver;
            }
        }
    }

    /// <summary>Registers a face under a family name.</summary>
    public void Register(string family, byte[] face) => _faces.TryAdd(family, face);

    /// <inheritdoc />
    public FontResolverInfo? ResolveTypeface(string familyName, bool isBold, bool isItalic) =>
        _faces.ContainsKey(familyName) ? new FontResolverInfo(familyName, isBold, false) : fallback?.ResolveTypeface(familyName, isBold, isItalic);

    /// <inheritdoc />
    public byte[]? GetFont(string faceName) => _faces.TryGetValue(faceName, out var face) ? face : fallback?.GetFont(faceName);
}
