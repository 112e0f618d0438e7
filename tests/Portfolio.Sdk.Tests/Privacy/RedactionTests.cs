using FsCheck;
using FsCheck.Fluent;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Privacy;

namespace Portfolio.Sdk.Tests.Privacy;

public sealed class RedactionTests
{
    [Theory]
    [InlineData("A123456789", "A12****789")]
    [InlineData("AC01234567", "AC0****567")]
    [InlineData("0123456", "0*****6")]
    [InlineData("abc", "***")]
    [InlineData("", "")]
    [InlineData(null, "")]
    public void MaskIdentifier_KeepsOnlyTheEnds(string? input, string expected)
    {
        Redaction.MaskIdentifier(input).ShouldBe(expected);
    }

    [Theory]
    [InlineData("王小明", "王○明")]
    [InlineData("歐陽小明", "歐○○明")]
    [InlineData("王明", "王○")]
    [InlineData("明", "○")]
    [InlineData("", "")]
    public void MaskName_KeepsFirstAndLastCharacter(string input, string expected)
    {
        Redaction.MaskName(input).ShouldBe(expected);
    }

    // A GUID's hex digits can take an ID's shape (c1 and eight digits): it is kept whole, while an ID next to it is
    // still masked. Found by a year-package test whose random item id was garbled one run in a few hundred.
    [Fact]
    public void Guids_AreKeptWhole_IdsBesideThemAreStillMasked()
    {
        Redaction.MaskIdentifiersIn("item 3f2a9c1e-77b0-4d21-9a0e-c123456789ab").ShouldBe("item 3f2a9c1e-77b0-4d21-9a0e-c123456789ab");
        Redaction.MaskIdentifiersIn("A123456789 3f2a9c1e-77b0-4d21-9a0e-c123456789ab").ShouldBe("A12****789 3f2a9c1e-77b0-4d21-9a0e-c123456789ab");
        Redaction.MaskIdentifiersIn("c123456789ab").ShouldBe("c123456789ab");   // a 12-digit hex token: a hash's prefix
        Redaction.MaskIdentifiersIn("c123456789abZ").ShouldBe("c12****789abZ");  // not a hex token: the ID shape inside is masked
        Redaction.MaskIdentifiersIn("a123456789").ShouldBe("a12****789");       // a lowercase ID alone is still masked
        Redaction.MaskIdentifiersIn("id a123456789, sha 0b123456789f").ShouldBe("id a12****789, sha 0b123456789f");
        Prop.ForAll(ArbMap.Default.ArbFor<Guid>(), Gen.Elements("A123456789", "B287654321", "AC01234567").ToArbitrary(), (guid, id) =>
        {
            var text = $"{id} {guid:D} {id}";
            var masked = Redaction.MaskIdentifiersIn(text);
            return masked == $"{Redaction.MaskIdentifier(id)} {guid:D} {Redaction.MaskIdentifier(id)}";
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));

        // Through a diagnostic too: a location path and an argument carrying a GUID.
        var id = Guid.Parse("3f2a9c1e-77b0-4d21-9a0e-c123456789ab");
        var diagnostic = DiagnosticCatalog.Create(DiagnosticCodes.YearPackageNotCertified, DiagnosticLocation.ForPath($"items/{id:D}"), "課程學習成果", id.ToString("D"), "S00****01", "course outcome", "Pending");
        diagnostic.Location!.Path.ShouldBe($"items/{id:D}");
        diagnostic.MessageEnglish.ShouldContain(id.ToString("D"));
    }
}
