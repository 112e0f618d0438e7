using FsCheck;
using FsCheck.Fluent;
using Portfolio.Sdk.Diagnostics;

namespace Portfolio.Sdk.Documents.Tests;

/// <summary>The font reader reads outside files: any bytes, and any damage to a real font, end in a face or a PF6101/PF6102, never another exception.</summary>
public sealed class FontPropertyTests
{
    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(2000);

    private static bool ReadsOrRefuses(byte[] bytes)
    {
        try
        {
            CjkFont.ExtractFace(bytes, "fuzz.ttc", "Noto Sans CJK TC");
            return true;
        }
        catch (PortfolioException ex)
        {
            return ex.Diagnostic?.Code is DiagnosticCodes.ConfirmationSheetFontMissing or DiagnosticCodes.ConfirmationSheetFontFace;
        }
    }

    [Fact]
    public void AnyBytes_AreReadOrRefusedWithACode() =>
        Prop.ForAll(ArbMap.Default.ArbFor<byte[]>(), ReadsOrRefuses).Check(Runs);

    [Fact]
    public void ADamagedCollectionHeader_IsReadOrRefusedWithACode()
    {
        // The first 4 KB of a real TTC (the collection header and the first faces' table directories) with bytes changed.
        var real = ConfirmationSheetOptions.DefaultFontPaths.FirstOrDefault(File.Exists);
        if (real is null)
        {
            PdfTools.Require("NotoSansCJK-Regular.ttc");
        }

        var head = new byte[4096];
        using (var file = File.OpenRead(real!))
        {
            file.ReadExactly(head);
        }

        var damage = Gen.Zip(Gen.Choose(0, head.Length - 1), Gen.Choose(0, 255)).ArrayOf();
        Prop.ForAll(damage.ToArbitrary(), changes =>
        {
            var bytes = (byte[])head.Clone();
            foreach (var (at, value) in changes)
            {
                bytes[at] = (byte)value;
            }

            return ReadsOrRefuses(bytes);
        }).Check(Runs);
    }

    [Fact]
    public void TheTcFace_OfTheCollection_IsAStandaloneOpenTypeFont()
    {
        var real = ConfirmationSheetOptions.DefaultFontPaths.FirstOrDefault(File.Exists);
        if (real is null)
        {
            PdfTools.Require("NotoSansCJK-Regular.ttc");
        }

        var face = CjkFont.ExtractFace(File.ReadAllBytes(real!), real!, "Noto Sans CJK TC");
        System.Text.Encoding.ASCII.GetString(face, 0, 4).ShouldBe("OTTO");
        CjkFont.ExtractFace(face, "face.otf", "Noto Sans CJK TC").ShouldBeSameAs(face);
    }
}
