using System.IO.Compression;
using System.Text;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Files;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Rosters.Packages;
using Portfolio.Sdk.Schools;

namespace Portfolio.Sdk.Tests.Rosters;

public sealed class RosterPackageTests
{
    private static readonly RosterBook Outcomes = RosterCatalogue.Default["course-outcomes"];
    private static readonly RosterCover YearCover = new(SchoolCode.Parse("060322"), new SchoolYear(113), Term.WholeYear);
    private static readonly byte[] Pdf = Encoding.ASCII.GetBytes("%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n");
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52];

    private static async Task<(MemoryStream Package, PackageFile Document)> BuildAsync(Func<PackageFile, string?>? md5ForRow = null, string? linkForRow = null)
    {
        var stream = new MemoryStream();
        PackageFile document;
        using (var writer = RosterPackageWriter.Create(stream, Outcomes, YearCover))
        {
            document = (await writer.AddFileAsync(new MemoryStream(Pdf), cancellationToken: TestContext.Current.CancellationToken)).Value!;
            (await writer.AddFileAsync(new MemoryStream(Png), cancellationToken: TestContext.Current.CancellationToken)).Success.ShouldBeTrue();
            var layout = Outcomes.FindSheet("outcome-semester")!.LayoutFor(YearCover.Year);
            writer.WriteWorkbook(w =>
            {
                using var sheet = w.BeginSheet("outcome-semester");
                sheet.WriteRow(RosterTestData.Row(layout,
                    ("nationalId", "A123456789"), ("actualTerm", "1131"), ("courseCode", "113060322H1110101010101"), ("subjectName", "國語文"),
                    ("gradeLevel", "1"), ("credits", "4"), ("summary", "閱讀報告，說明我負責的部分"),
                    ("documentLink", linkForRow ?? document.Path), ("documentMd5", md5ForRow is null ? document.Md5 : md5ForRow(document))));
            });
            writer.Complete();
        }

        stream.Position = 0;
        return (stream, document);
    }

    private static RosterPackageReport Verify(Stream package) => new RosterPackageVerifier().Verify(package, "pkg.zip", TestContext.Current.CancellationToken);

    private static MemoryStream Edit(MemoryStream package, Action<ZipArchive> edit)
    {
        var copy = new MemoryStream();
        package.Position = 0;
        package.CopyTo(copy);
        using (var zip = new ZipArchive(copy, ZipArchiveMode.Update, leaveOpen: true))
        {
            edit(zip);
        }

        copy.Position = 0;
        return copy;
    }

    [Fact]
    public async Task Package_WithFilesAndRows_VerifiesClean()
    {
        var (package, document) = await BuildAsync();

        var report = Verify(package);

        report.Diagnostics.ShouldBeEmpty();
        report.Manifest!.Files.Count.ShouldBe(2);
        report.Manifest.Book.ShouldBe("course-outcomes");
        report.Manifest.Term.ShouldBe(0);
        document.Path.ShouldBe($"files/{document.Sha256}.pdf");
#pragma warning disable CA5351 // MD5 is the digest the central database's rows carry; it is not used for security here.
        document.Md5.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.MD5.HashData(Pdf)));
#pragma warning restore CA5351
        document.Sha256.ShouldBe(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Pdf)));
        report.Workbook!.RowCounts["學期課程學習成果"].ShouldBe(1);
    }

    [Fact]
    public async Task AddFile_SameContentTwice_IsStoredOnce()
    {
        using var stream = new MemoryStream();
        using var writer = RosterPackageWriter.Create(stream, Outcomes, YearCover);

        var first = await writer.AddFileAsync(new MemoryStream(Pdf), cancellationToken: TestContext.Current.CancellationToken);
        var second = await writer.AddFileAsync(new NonSeekable(Pdf), cancellationToken: TestContext.Current.CancellationToken);

        second.Value.ShouldBe(first.Value);
        writer.Files.Count.ShouldBe(1);
    }

    [Fact]
    public async Task AddFile_ContentThatIsNotAnAcceptedType_IsRefused()
    {
        using var stream = new MemoryStream();
        using var writer = RosterPackageWriter.Create(stream, Outcomes, YearCover);

        var outcome = await writer.AddFileAsync(new MemoryStream("MZ\x90\0executable"u8.ToArray()), new DiagnosticLocation(Source: "homework.pdf"), TestContext.Current.CancellationToken);

        outcome.Success.ShouldBeFalse();
        outcome.Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.FileTypeUnsupported);
        outcome.Diagnostics.Single().Location!.Source.ShouldBe("homework.pdf");
        writer.Files.ShouldBeEmpty();
    }

    [Fact]
    public async Task Verify_CorruptedMissingAndExtraFiles_AreEachReported()
    {
        var (package, document) = await BuildAsync();
        var tampered = Edit(package, zip =>
        {
            zip.GetEntry(document.Path)!.Delete();
            using (var replaced = zip.CreateEntry(document.Path).Open())
            {
                replaced.Write("%PDF-1.7 forged"u8);
            }

            zip.Entries.Single(e => e.FullName.EndsWith(".png", StringComparison.Ordinal)).Delete();
            using var extra = new StreamWriter(zip.CreateEntry("files/notes.txt").Open());
            extra.Write("hello");
        });

        var codes = Verify(tampered).Diagnostics.Select(d => d.Code).ToList();

        codes.ShouldContain(DiagnosticCodes.PackageFileCorrupted);
        codes.ShouldContain(DiagnosticCodes.PackageFileMissing);
        codes.ShouldContain(DiagnosticCodes.PackageFileExtra);
        codes.ShouldContain(DiagnosticCodes.RowFileMissing);
    }

    [Fact]
    public async Task Verify_RowWithAWrongMd5_OrAnUnknownFile_IsReported()
    {
        var (wrongMd5, _) = await BuildAsync(md5ForRow: _ => new string('0', 32));
        var (unknownFile, _) = await BuildAsync(linkForRow: "files/nothing.pdf");

        Verify(wrongMd5).Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.RowFileMd5Mismatch);
        var missing = Verify(unknownFile).Diagnostics.Single();
        missing.Code.ShouldBe(DiagnosticCodes.RowFileMissing);
        missing.Location!.Sheet.ShouldBe("學期課程學習成果");
        missing.Location.Row.ShouldBe(2);
    }

    [Fact]
    public async Task Verify_NoManifest_OrNotAZip_IsReported()
    {
        var (package, _) = await BuildAsync();
        var noManifest = Edit(package, zip => zip.GetEntry(RosterPackageManifest.EntryName)!.Delete());
        var badManifest = Edit(package, zip =>
        {
            zip.GetEntry(RosterPackageManifest.EntryName)!.Delete();
            using var w = new StreamWriter(zip.CreateEntry(RosterPackageManifest.EntryName).Open());
            w.Write("{ \"formatVersion\": 1, ");
        });

        Verify(noManifest).Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.PackageManifestInvalid);
        Verify(badManifest).Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.PackageManifestInvalid);
        Verify(new MemoryStream([1, 2, 3])).Diagnostics.Single().Code.ShouldBe(DiagnosticCodes.PackageUnreadable);
    }

    [Theory]
    [InlineData(new byte[] { 0x25, 0x50, 0x44, 0x46, 0x2D, 0x31 }, PortfolioFileType.Pdf)]
    [InlineData(new byte[] { 0xFF, 0xD8, 0xFF, 0xE0 }, PortfolioFileType.Jpeg)]
    [InlineData(new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A }, PortfolioFileType.Png)]
    [InlineData(new byte[] { 0x49, 0x44, 0x33, 0x04 }, PortfolioFileType.Mp3)]
    [InlineData(new byte[] { 0xFF, 0xFB, 0x90, 0x64 }, PortfolioFileType.Mp3)]
    [InlineData(new byte[] { 0, 0, 0, 0x18, 0x66, 0x74, 0x79, 0x70, 0x6D, 0x70, 0x34, 0x32 }, PortfolioFileType.Mp4)]
    public void FileSignature_RecognisesTheAcceptedTypesByContent(byte[] header, PortfolioFileType type)
    {
        FileSignature.Detect(header).ShouldBe(type);
    }

    [Theory]
    [InlineData(new byte[] { 0x4D, 0x5A, 0x90, 0x00 })]
    [InlineData(new byte[] { 0x50, 0x4B, 0x03, 0x04 })]
    [InlineData(new byte[0])]
    [InlineData(new byte[] { 0xFF })]
    public void FileSignature_RejectsOtherContent(byte[] header)
    {
        FileSignature.Detect(header).ShouldBeNull();
    }

    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
