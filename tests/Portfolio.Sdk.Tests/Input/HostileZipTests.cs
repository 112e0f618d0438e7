using System.Buffers.Binary;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Input;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Tests.Rosters;

namespace Portfolio.Sdk.Tests.Input;

/// <summary>Hostile zips, made at run time: bombs, lying sizes, zip-slip names, duplicates, too many entries.</summary>
public sealed class HostileZipTests
{
    private static readonly RosterBook Grades = RosterCatalogue.Default["grades"];
    private static readonly RosterSheetLayout SemesterGrades = RosterTestData.Layout("grades", "semester-grades");

    internal static MemoryStream ValidWorkbook(int rows = 1, Func<int, string?[]>? row = null) => RosterTestData.Write(Grades, RosterTestData.Cover113First, w =>
    {
        using var sheet = w.BeginSheet("semester-grades");
        for (var i = 0; i < rows; i++)
        {
            sheet.WriteRow(row?.Invoke(i) ?? RosterTestData.SemesterGrade(SemesterGrades, ("courseCode", "113060322H11101010101" + (i % 100).ToString("D2", System.Globalization.CultureInfo.InvariantCulture))));
        }
    });

    // Copies a zip entry by entry (streaming, Create mode), letting the caller replace or add entries.
    internal static MemoryStream Rewrite(Stream source, Func<ZipArchiveEntry, Action<ZipArchive>?>? replace = null, Action<ZipArchive>? add = null)
    {
        var output = new MemoryStream();
        source.Position = 0;
        using (var from = new ZipArchive(source, ZipArchiveMode.Read, leaveOpen: true))
        using (var to = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in from.Entries)
            {
                if (replace?.Invoke(entry) is { } write)
                {
                    write(to);
                    continue;
                }

                using var input = entry.Open();
                using var copy = to.CreateEntry(entry.FullName, CompressionLevel.Fastest).Open();
                input.CopyTo(copy);
            }

            add?.Invoke(to);
        }

        output.Position = 0;
        return output;
    }

    internal static string LastSheet(Stream workbook)
    {
        workbook.Position = 0;
        using var zip = new ZipArchive(workbook, ZipArchiveMode.Read, leaveOpen: true);
        return zip.Entries.Select(e => e.FullName).Where(n => n.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Last();
    }

    // A sheet that inflates to `bytes` of XML: a valid start, then white space.
    internal static Action<ZipArchive> Bomb(string name, long bytes) => zip =>
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.Optimal).Open();
        var head = Encoding.UTF8.GetBytes("<?xml version=\"1.0\"?><worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>");
        stream.Write(head);
        var chunk = new byte[1 << 20];
        chunk.AsSpan().Fill((byte)' ');
        for (long written = head.Length; written < bytes; written += chunk.Length)
        {
            stream.Write(chunk);
        }
    };

    [Fact]
    public void Workbook_WhoseSheetInflatesPast1GiB_IsRefusedFromItsDirectory_Quickly_WithBoundedMemory()
    {
        using var valid = ValidWorkbook();
        var sheet = LastSheet(valid);
        using var bomb = Rewrite(valid, e => e.FullName == sheet ? Bomb(sheet, (1L << 30) + (64L << 20)) : null);
        bomb.Length.ShouldBeLessThan(8L << 20);

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var report = new RosterWorkbookValidator().Validate(bomb, "bomb.xlsx", TestContext.Current.CancellationToken);
        clock.Stop();
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        report.IsReadable.ShouldBeFalse();
        var limit = report.Diagnostics.ShouldHaveSingleItem();
        limit.Code.ShouldBe(DiagnosticCodes.InputLimitExceeded);
        limit.Location!.Path.ShouldBe(sheet);
        TestContext.Current.TestOutputHelper?.WriteLine($"bomb of {bomb.Length} bytes refused in {clock.Elapsed.TotalMilliseconds:F0} ms, {allocated} bytes allocated");
        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(5));
        allocated.ShouldBeLessThan(32L << 20, "refusing the bomb must not inflate it");
    }

    [Fact]
    public void Workbook_WithAHighCompressionRatio_IsRefused_AndALimitRaisedForItIsHonoured()
    {
        using var valid = ValidWorkbook();
        var sheet = LastSheet(valid);
        using var bomb = Rewrite(valid, e => e.FullName == sheet ? Bomb(sheet, 48L << 20) : null);

        var report = new RosterWorkbookValidator().Validate(bomb, "ratio.xlsx", TestContext.Current.CancellationToken);
        report.Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.InputLimitExceeded);
        report.Diagnostics[0].MessageEnglish.ShouldContain("compression ratio");

        // Raised limits let the same file through to the XML reader, which finds the sheet unterminated.
        bomb.Position = 0;
        var raised = new RosterWorkbookValidator(limits: InputLimits.Default with { MaxCompressionRatio = 100_000 }).Validate(bomb, "ratio.xlsx", TestContext.Current.CancellationToken);
        raised.Diagnostics.ShouldNotContain(d => d.Code == DiagnosticCodes.InputLimitExceeded);
    }

    [Fact]
    public void Workbook_WhoseDirectoryUnderstatesAnEntry_StopsAtTheDeclaredSize_WithADiagnostic()
    {
        using var valid = ValidWorkbook();
        var sheet = LastSheet(valid);
        using var bomb = Rewrite(valid, e => e.FullName == sheet ? Bomb(sheet, 256L << 20) : null);
        var bytes = bomb.ToArray();
        Understate(bytes, sheet, 4096);

        var allocated = GC.GetAllocatedBytesForCurrentThread();
        var report = new RosterWorkbookValidator().Validate(new MemoryStream(bytes), "liar.xlsx", TestContext.Current.CancellationToken);
        allocated = GC.GetAllocatedBytesForCurrentThread() - allocated;

        TestContext.Current.TestOutputHelper?.WriteLine($"understated entry: {allocated} bytes allocated");
        report.HasErrors.ShouldBeTrue();
        report.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.WorkbookUnreadable);
        allocated.ShouldBeLessThan(64L << 20, "the reader must stop at the declared 4 KiB, not inflate 256 MiB");
    }

    [Theory]
    [InlineData("../../x")]
    [InlineData("/etc/passwd")]
    [InlineData("C:/Windows/x")]
    [InlineData("a\\b")]
    [InlineData("xl/../../x")]
    public void Workbook_AndPackage_WithAnUnsafeEntryName_AreRefused(string name)
    {
        using var valid = ValidWorkbook();
        using var hostile = Rewrite(valid, add: zip => zip.CreateEntry(name).Open().Dispose());

        var report = new RosterWorkbookValidator().Validate(hostile, "slip.xlsx", TestContext.Current.CancellationToken);
        report.IsReadable.ShouldBeFalse();
        report.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.ZipEntryNameUnsafe);

        using var package = PackageOf(valid, add: zip => zip.CreateEntry(name).Open().Dispose());
        var verified = new RosterPackageVerifier().Verify(package, "slip.zip", TestContext.Current.CancellationToken);
        verified.HasErrors.ShouldBeTrue();
        verified.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.ZipEntryNameUnsafe);
        verified.Workbook.ShouldBeNull();
    }

    [Theory]
    [InlineData("manifest.json")]
    [InlineData("roster.xlsx")]
    [InlineData("ROSTER.XLSX")]
    public void Package_WithADuplicateEntry_IsRefused(string duplicate)
    {
        using var valid = ValidWorkbook();
        using var package = PackageOf(valid, add: zip =>
        {
            using var stream = zip.CreateEntry(duplicate).Open();
            stream.Write("{}"u8);
        });

        var verified = new RosterPackageVerifier().Verify(package, "dup.zip", TestContext.Current.CancellationToken);
        verified.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.ZipEntryDuplicate);
        verified.Manifest.ShouldBeNull();
    }

    [Fact]
    public void Package_ListingNoPath_NullEntries_OrAPathTwice_IsADiagnostic_NeverAnException()
    {
        using var valid = ValidWorkbook();
        string[] manifests =
        [
            """{"formatVersion":1,"book":"grades","schoolCode":"060322","schoolYear":113,"term":1,"workbook":{"path":null,"type":"xlsx","length":1,"md5":"a","sha256":"b"},"files":[]}""",
            """{"formatVersion":1,"book":"grades","schoolCode":"060322","schoolYear":113,"term":1,"workbook":{"path":"roster.xlsx","type":"xlsx","length":1,"md5":"a","sha256":"b"},"files":[null]}""",
            """{"formatVersion":1,"book":"grades","schoolCode":"060322","schoolYear":113,"term":1,"workbook":{"path":"roster.xlsx","type":"xlsx","length":1,"md5":"a","sha256":"b"},"files":[{"path":"roster.xlsx","type":"pdf","length":1,"md5":"a","sha256":"b"}]}""",
            """{"formatVersion":1,"book":"grades","schoolCode":"060322","schoolYear":113,"term":1,"workbook":{"path":"roster.xlsx","type":"xlsx","length":1,"md5":"a","sha256":"b"},"files":[{"path":"../x.pdf","type":"pdf","length":1,"md5":"a","sha256":"b"}]}""",
            """{"formatVersion":1,"book":"grades","schoolCode":"060322","schoolYear":113,"term":1,"workbook":{"path":"roster.xlsx","type":"xlsx","length":1,"md5":null,"sha256":null},"files":[]}""",
            """{"formatVersion":1,"book":"grades","schoolCode":"060322","schoolYear":113,"term":1,"workbook":{"path":"roster.xlsx"},"files":[{},{}]}""",
            """{"formatVersion":1,"workbook":null,"files":null}""",
            """[1,2,3]""",
        ];
        foreach (var manifest in manifests)
        {
            using var package = PackageOf(valid, manifest);
            var verified = new RosterPackageVerifier().Verify(package, "m.zip", TestContext.Current.CancellationToken);
            verified.HasErrors.ShouldBeTrue(manifest);
            verified.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.PackageManifestInvalid || d.Code == DiagnosticCodes.ZipEntryNameUnsafe, manifest);
        }
    }

    [Fact]
    public void Package_WithTooManyEntries_IsRefusedBeforeItsDirectoryIsParsed()
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            for (var i = 0; i < 2_000; i++)
            {
                zip.CreateEntry("f" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), CompressionLevel.NoCompression).Open().Dispose();
            }
        }

        stream.Position = 0;
        var verified = new RosterPackageVerifier(limits: InputLimits.Default with { MaxEntries = 1_000 }).Verify(stream, "many.zip", TestContext.Current.CancellationToken);
        var limit = verified.Diagnostics.ShouldHaveSingleItem();
        limit.Code.ShouldBe(DiagnosticCodes.InputLimitExceeded);
        limit.MessageEnglish.ShouldContain("2000");
        InputLimits.Default.MaxEntries.ShouldBe(InputLimits.DefaultMaxEntries);
    }

    [Fact]
    public void Package_WithAnEntryOutsideTheManifest_IsReportedAsExtra()
    {
        using var valid = ValidWorkbook();
        using var package = PackageOf(valid, add: zip => zip.CreateEntry("files/unlisted.pdf").Open().Dispose());
        new RosterPackageVerifier().Verify(package, "x.zip", TestContext.Current.CancellationToken).Diagnostics
            .ShouldContain(d => d.Code == DiagnosticCodes.PackageFileExtra && d.IsError);
    }

    [Fact]
    public void Defaults_ArePinned()
    {
        var limits = InputLimits.Default;
        limits.MaxEntryBytes.ShouldBe(512L * 1024 * 1024);
        limits.MaxTotalBytes.ShouldBe(1024L * 1024 * 1024);
        limits.MaxCompressionRatio.ShouldBe(200);
        limits.MaxEntries.ShouldBe(65_536);
        limits.MaxCellLength.ShouldBe(32_767);
        limits.MaxRows.ShouldBe(1_048_576);
        limits.MaxDiagnostics.ShouldBe(1_000);
        Should.Throw<ArgumentOutOfRangeException>(() => (limits with { MaxRows = 0 }).Validate());
    }

    // A package around a workbook, with a manifest that lists it correctly unless one is given.
    internal static MemoryStream PackageOf(MemoryStream workbook, string? manifest = null, Action<ZipArchive>? add = null)
    {
        var bytes = workbook.ToArray();
#pragma warning disable CA5351 // MD5 is the digest the central database's rows carry; it is not used for security here.
        var md5 = Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(bytes));
#pragma warning restore CA5351
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        manifest ??= JsonSerializer.Serialize(new RosterPackageManifest
        {
            Book = "grades", SchoolCode = "060322", SchoolYear = 113, Term = 1, Files = [],
            Workbook = new PackageFile("roster.xlsx", "xlsx", bytes.Length, md5, sha),
        });
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            using (var m = zip.CreateEntry(RosterPackageManifest.EntryName).Open())
            {
                m.Write(Encoding.UTF8.GetBytes(manifest));
            }

            using (var w = zip.CreateEntry("roster.xlsx").Open())
            {
                w.Write(bytes);
            }

            add?.Invoke(zip);
        }

        stream.Position = 0;
        return stream;
    }

    // Rewrites the uncompressed size of `name` in its local header and its central-directory record.
    private static void Understate(byte[] zip, string name, uint size)
    {
        var nameBytes = Encoding.UTF8.GetBytes(name);
        var patched = 0;
        for (var i = 0; i + 46 < zip.Length; i++)
        {
            var signature = BinaryPrimitives.ReadUInt32LittleEndian(zip.AsSpan(i));
            if (signature == 0x04034b50 && zip.AsSpan(i + 30, nameBytes.Length).SequenceEqual(nameBytes) && BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 26)) == nameBytes.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 22), size);
                patched++;
            }
            else if (signature == 0x02014b50 && zip.AsSpan(i + 46, nameBytes.Length).SequenceEqual(nameBytes) && BinaryPrimitives.ReadUInt16LittleEndian(zip.AsSpan(i + 28)) == nameBytes.Length)
            {
                BinaryPrimitives.WriteUInt32LittleEndian(zip.AsSpan(i + 24), size);
                patched++;
            }
        }

        patched.ShouldBe(2);
    }
}
