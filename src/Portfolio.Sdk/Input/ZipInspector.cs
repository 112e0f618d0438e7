using System.Buffers.Binary;
using System.IO.Compression;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Input;

/// <summary>
/// Checks a zip before anything in it is inflated: the entry count from the end-of-central-directory record (before
/// the central directory is parsed), then each entry's name (no <c>..</c>, absolute, drive-letter or backslash
/// names, no duplicates ignoring case) and its declared sizes against <see cref="InputLimits"/>.
/// </summary>
internal static class ZipInspector
{
    private const uint EndOfCentralDirectory = 0x06054b50;
    private const uint Zip64Locator = 0x07064b50;
    private const uint Zip64EndOfCentralDirectory = 0x06064b50;

    /// <summary>Inspects the zip in <paramref name="input"/> (seekable; its position is restored).</summary>
    /// <returns>The entry names when the zip is safe to read; <see langword="null"/> when a diagnostic was added.</returns>
    public static IReadOnlyList<string>? Inspect(Stream input, InputLimits limits, DiagnosticLocation at, List<Diagnostic> diagnostics)
    {
        var start = input.Position;
        try
        {
            var declared = DeclaredEntryCount(input);
            if (declared > limits.MaxEntries)
            {
                diagnostics.Add(LimitExceeded(at, "zip 項目數", "zip entries", declared, limits.MaxEntries));
                return null;
            }

            input.Position = start;
            using var zip = new ZipArchive(input, ZipArchiveMode.Read, leaveOpen: true);
            return Inspect(zip, limits, at, diagnostics);
        }
        catch (InvalidDataException)
        {
            // Not a zip, or a corrupt one: the caller's own reader reports it in its terms.
            return [];
        }
        finally
        {
            input.Position = start;
        }
    }

    /// <summary>Inspects an open archive's entries.</summary>
    /// <returns>The entry names when safe; <see langword="null"/> when a diagnostic was added.</returns>
    public static IReadOnlyList<string>? Inspect(ZipArchive zip, InputLimits limits, DiagnosticLocation at, List<Diagnostic> diagnostics)
    {
        var entries = zip.Entries;
        if (entries.Count > limits.MaxEntries)
        {
            diagnostics.Add(LimitExceeded(at, "zip 項目數", "zip entries", entries.Count, limits.MaxEntries));
            return null;
        }

        var ok = true;
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var names = new List<string>(entries.Count);
        long total = 0;
        foreach (var entry in entries)
        {
            var name = entry.FullName;
            var entryAt = at with { Path = Cut(name) };
            if (!IsSafeName(name))
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ZipEntryNameUnsafe, entryAt, Cut(name)));
                ok = false;
                continue;
            }

            if (!seen.Add(name.TrimEnd('/')))
            {
                diagnostics.Add(DiagnosticCatalog.Create(DiagnosticCodes.ZipEntryDuplicate, entryAt, Cut(name)));
                ok = false;
                continue;
            }

            names.Add(name);
            if (entry.Length > limits.MaxEntryBytes)
            {
                diagnostics.Add(LimitExceeded(entryAt, "zip 項目解壓後大小（位元組）", "uncompressed bytes of a zip entry", entry.Length, limits.MaxEntryBytes));
                ok = false;
            }
            else if (entry.Length >= InputLimits.CompressionRatioFloorBytes && entry.Length > (Math.Max(entry.CompressedLength, 1) * limits.MaxCompressionRatio))
            {
                diagnostics.Add(LimitExceeded(entryAt, "zip 項目壓縮比", "compression ratio of a zip entry", entry.Length / Math.Max(entry.CompressedLength, 1), limits.MaxCompressionRatio));
                ok = false;
            }

            total += entry.Length;
        }

        if (ok && total > limits.MaxTotalBytes)
        {
            diagnostics.Add(LimitExceeded(at, "zip 解壓後總大小（位元組）", "uncompressed bytes of all zip entries", total, limits.MaxTotalBytes));
            ok = false;
        }

        return ok ? names : null;
    }

    /// <summary>
    /// Finds an XML part that declares a DTD (an Office Open XML part never does; a DTD can expand entities without
    /// bound or reach outside the file). Only the prolog of each part is read, streaming.
    /// </summary>
    /// <returns>The name of the first such part, or <see langword="null"/>.</returns>
    public static string? FindXmlWithDtd(Stream input)
    {
        var start = input.Position;
        try
        {
            using var zip = new ZipArchive(input, ZipArchiveMode.Read, leaveOpen: true);
            var settings = new System.Xml.XmlReaderSettings { DtdProcessing = System.Xml.DtdProcessing.Prohibit, XmlResolver = null, IgnoreWhitespace = true, IgnoreComments = true };
            foreach (var entry in zip.Entries)
            {
                if (!entry.FullName.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) && !entry.FullName.EndsWith(".rels", StringComparison.OrdinalIgnoreCase))
                {
                    continue;
                }

                try
                {
                    using var stream = entry.Open();
                    using var reader = System.Xml.XmlReader.Create(stream, settings);
                    reader.MoveToContent();
                }
                catch (System.Xml.XmlException ex) when (ex.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase))
                {
                    return entry.FullName;
                }
                catch (System.Xml.XmlException)
                {
                    // Broken XML is the part reader's to report, in its own terms.
                }
            }

            return null;
        }
        catch (InvalidDataException)
        {
            return null;
        }
        finally
        {
            input.Position = start;
        }
    }

    /// <summary>Whether a zip entry name is a plain relative path: no <c>..</c> segment, no leading <c>/</c>, no drive letter, no backslash, no control character.</summary>
    public static bool IsSafeName(string name)
    {
        if (string.IsNullOrEmpty(name) || name.Length > 1024 || name[0] == '/' || name.Contains('\\', StringComparison.Ordinal)
            || (name.Length >= 2 && name[1] == ':') || name.Any(char.IsControl))
        {
            return false;
        }

        foreach (var segment in name.Split('/'))
        {
            if (segment is ".." or ".")
            {
                return false;
            }
        }

        return true;
    }

    public static Diagnostic LimitExceeded(DiagnosticLocation? at, string whatZh, string whatEn, long actual, long limit) =>
        InputDiagnostics.LimitExceeded(at, whatZh, whatEn, actual, limit);

    private static string Cut(string name) => name.Length <= 120 ? name : string.Concat(name.AsSpan(0, 120), "…");

    // The entry count from the end-of-central-directory record (or its zip64 form), read without parsing the directory.
    private static long DeclaredEntryCount(Stream input)
    {
        var length = input.Length;
        var tail = (int)Math.Min(length, 22 + 65535);
        if (tail < 22)
        {
            return 0;
        }

        var buffer = new byte[tail];
        input.Position = length - tail;
        input.ReadExactly(buffer);
        for (var i = tail - 22; i >= 0; i--)
        {
            if (BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i)) != EndOfCentralDirectory)
            {
                continue;
            }

            long count = BinaryPrimitives.ReadUInt16LittleEndian(buffer.AsSpan(i + 10));
            if (count == ushort.MaxValue && i >= 20 && BinaryPrimitives.ReadUInt32LittleEndian(buffer.AsSpan(i - 20)) == Zip64Locator)
            {
                var offset = BinaryPrimitives.ReadInt64LittleEndian(buffer.AsSpan(i - 20 + 8));
                if (offset >= 0 && offset + 56 <= length)
                {
                    var record = new byte[56];
                    input.Position = offset;
                    input.ReadExactly(record);
                    if (BinaryPrimitives.ReadUInt32LittleEndian(record) == Zip64EndOfCentralDirectory)
                    {
                        var count64 = BinaryPrimitives.ReadUInt64LittleEndian(record.AsSpan(32));
                        return count64 > long.MaxValue ? long.MaxValue : (long)count64;
                    }
                }
            }

            return count;
        }

        return 0;
    }
}
