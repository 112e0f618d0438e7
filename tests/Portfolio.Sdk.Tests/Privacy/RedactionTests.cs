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
}
