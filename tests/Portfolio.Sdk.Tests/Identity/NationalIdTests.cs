using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Testing;
using Portfolio.Sdk.Tests.Infrastructure;

namespace Portfolio.Sdk.Tests.Identity;

public sealed class NationalIdTests
{
    [Theory]
    [InlineData("A123456789", NationalIdKind.NationalIdentityCard)]
    [InlineData("F131104093", NationalIdKind.NationalIdentityCard)]
    [InlineData("AC01234567", NationalIdKind.ResidentCertificateLegacy)]
    [InlineData("A800000014", NationalIdKind.ResidentCertificate)]
    public void Validate_KnownValidIds_SucceedWithKind(string input, NationalIdKind kind)
    {
        var outcome = NationalId.Validate(input);

        outcome.Success.ShouldBeTrue();
        outcome.Diagnostics.ShouldBeEmpty();
        outcome.Value.Kind.ShouldBe(kind);
        outcome.Value.Value.ShouldBe(input);
        ReferenceIds.ChecksumHolds(input).ShouldBeTrue();
    }

    [Theory]
    [InlineData(null, DiagnosticCodes.NationalIdEmpty)]
    [InlineData("   ", DiagnosticCodes.NationalIdEmpty)]
    [InlineData("A12345678", DiagnosticCodes.NationalIdLength)]
    [InlineData("A1234567890", DiagnosticCodes.NationalIdLength)]
    [InlineData("1123456789", DiagnosticCodes.NationalIdFirstLetter)]
    [InlineData("A323456789", DiagnosticCodes.NationalIdSecondCharacter)]
    [InlineData("AE01234567", DiagnosticCodes.NationalIdSecondCharacter)]
    [InlineData("A12345678X", DiagnosticCodes.NationalIdDigits)]
    [InlineData("A123456788", DiagnosticCodes.NationalIdCheckDigit)]
    [InlineData("AC01234568", DiagnosticCodes.NationalIdCheckDigit)]
    [InlineData("A800000015", DiagnosticCodes.NationalIdCheckDigit)]
    public void Validate_InvalidIds_ReportTheStableCode(string? input, string code)
    {
        var outcome = NationalId.Validate(input);

        outcome.Success.ShouldBeFalse();
        outcome.Diagnostics.Where(d => d.IsError).Select(d => d.Code).ShouldContain(code);
    }

    [Fact]
    public void Validate_SeveralFormatProblems_ReportsEachOfThem()
    {
        var outcome = NationalId.Validate("1X2345678Y");

        outcome.Diagnostics.Select(d => d.Code).ShouldBe(
            [DiagnosticCodes.NationalIdFirstLetter, DiagnosticCodes.NationalIdSecondCharacter, DiagnosticCodes.NationalIdDigits]);
    }

    [Fact]
    public void Validate_CheckDigitMismatch_NamesTheExpectedDigitNotTheId()
    {
        var diagnostic = NationalId.Validate("A123456788").Diagnostics.Single();

        diagnostic.Message.ShouldContain("9");
        diagnostic.Message.ShouldNotContain("A123456788");
        diagnostic.MessageEnglish.ShouldNotContain("A123456788");
    }

    [Theory]
    [InlineData(" a123456789 ")]
    [InlineData("Ａ１２３４５６７８９")]
    public void Validate_LowerCaseOrFullWidth_IsNormalisedWithInformation(string input)
    {
        var outcome = NationalId.Validate(input);

        outcome.Success.ShouldBeTrue();
        outcome.Value.Value.ShouldBe("A123456789");
        var info = outcome.Diagnostics.Single();
        info.Code.ShouldBe(DiagnosticCodes.NationalIdNormalised);
        info.Severity.ShouldBe(DiagnosticSeverity.Info);
    }

    [Fact]
    public void Validate_Location_IsAttachedToEveryDiagnostic()
    {
        var location = new DiagnosticLocation(Book: "student", Sheet: "學生資料", Row: 7, Column: "身分證號");

        var outcome = NationalId.Validate("A12345678X", location);

        outcome.Diagnostics.ShouldAllBe(d => d.Location == location);
    }

    [Fact]
    public void ToString_NeverShowsTheFullNumber()
    {
        var id = NationalId.Parse("A123456789");

        id.ToString().ShouldBe("A12****789");
        $"{id}".ShouldBe("A12****789");
        id.ToString("M", null).ShouldBe("A12****789");
        id.Masked.ShouldBe("A12****789");
    }

    [Fact]
    public void ToString_WithUnmaskedFormat_IsAnExplicitOptIn()
    {
        var id = NationalId.Parse("A123456789");

        id.ToString("U", null).ShouldBe("A123456789");
        Should.Throw<FormatException>(() => id.ToString("X", null));
    }

    [Fact]
    public void Parse_Invalid_ThrowsFormatExceptionWithMaskedInput()
    {
        var ex = Should.Throw<FormatException>(() => NationalId.Parse("A123456788"));

        ex.Message.ShouldNotContain("A123456788");
        ex.Message.ShouldContain("A12****788");
        ex.Message.ShouldContain(DiagnosticCodes.NationalIdCheckDigit);
    }

    [Fact]
    public void TryParse_ReturnsFalseForInvalidAndTrueForValid()
    {
        NationalId.TryParse("A123456788", out _).ShouldBeFalse();
        NationalId.TryParse(null, out _).ShouldBeFalse();
        NationalId.TryParse("A123456789", out var id).ShouldBeTrue();
        id.Kind.ShouldBe(NationalIdKind.NationalIdentityCard);
    }

    [Fact]
    public void Equality_IsByValue()
    {
        var a = NationalId.Parse("A123456789");
        var b = NationalId.Parse(" a123456789");

        (a == b).ShouldBeTrue();
        a.GetHashCode().ShouldBe(b.GetHashCode());
        (a != NationalId.Parse("AC01234567")).ShouldBeTrue();
    }

    [Fact]
    public void Default_IsEmptyAndRefusesToGiveAValue()
    {
        var empty = default(NationalId);

        empty.IsEmpty.ShouldBeTrue();
        empty.ToString().ShouldBe(string.Empty);
        Should.Throw<InvalidOperationException>(() => empty.Value);
    }

    [Fact]
    public void ComputeCheckDigit_AgreesWithTheReferenceAlgorithm()
    {
        NationalId.ComputeCheckDigit("A12345678").ShouldBe(9);
        NationalId.ComputeCheckDigit("AC0123456").ShouldBe(7);
        Should.Throw<ArgumentException>(() => NationalId.ComputeCheckDigit("A3234567"));
    }
}
