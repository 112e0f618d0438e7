using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Schools;

namespace Portfolio.Sdk.Tests.Courses;

public sealed class SchoolCodeTests
{
    [Theory]
    [InlineData("060322", true, null)]
    [InlineData("", false, DiagnosticCodes.SchoolCodeEmpty)]
    [InlineData("06032", false, DiagnosticCodes.SchoolCodeLength)]
    [InlineData("06032a", false, DiagnosticCodes.SchoolCodeCharacters)]
    public void Validate_ChecksLengthAndCharacters(string input, bool success, string? code)
    {
        var outcome = SchoolCode.Validate(input);

        outcome.Success.ShouldBe(success);
        outcome.Diagnostics.Select(d => d.Code).ShouldBe(code is null ? [] : [code]);
    }

    [Theory]
    [InlineData("000000")]
    [InlineData("000001")]
    [InlineData("000005")]
    [InlineData("000B00")]
    public void Validate_TestSchool_IsValidButWarned(string input)
    {
        var outcome = SchoolCode.Validate(input);

        outcome.Success.ShouldBeTrue();
        outcome.Value.IsTestSchool().ShouldBeTrue();
        var warning = outcome.Diagnostics.Single();
        warning.Code.ShouldBe(DiagnosticCodes.SchoolCodeTest);
        warning.Severity.ShouldBe(DiagnosticSeverity.Warning);
    }

    [Fact]
    public void Parse_ProductionCode_IsNotATestSchool()
    {
        var code = SchoolCode.Parse("060322");

        code.IsTestSchool().ShouldBeFalse();
        code.ToString().ShouldBe("060322");
        Should.Throw<FormatException>(() => SchoolCode.Parse("12"));
    }
}
