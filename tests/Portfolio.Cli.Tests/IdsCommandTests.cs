using System.Text.Json;

namespace Portfolio.Cli.Tests;

public sealed class IdsCommandTests
{
    [Fact]
    public async Task Check_AllValid_ExitsZeroWithJsonFields()
    {
        var (exitCode, json) = await CliRunner.RunJsonAsync("ids", "check", "A123456789", "AC01234567", "A800000014", "--json");

        exitCode.ShouldBe(0);
        json.GetArrayLength().ShouldBe(3);
        var first = json[0];
        first.GetProperty("input").GetString().ShouldBe("A123456789");
        first.GetProperty("valid").GetBoolean().ShouldBeTrue();
        first.GetProperty("kind").GetString().ShouldBe("nationalIdentityCard");
        first.GetProperty("masked").GetString().ShouldBe("A12****789");
        first.GetProperty("diagnostics").GetArrayLength().ShouldBe(0);
        json[1].GetProperty("kind").GetString().ShouldBe("residentCertificateLegacy");
        json[2].GetProperty("kind").GetString().ShouldBe("residentCertificate");
    }

    [Fact]
    public async Task Check_AnyInvalid_ExitsOneWithDiagnostics()
    {
        var (exitCode, json) = await CliRunner.RunJsonAsync("ids", "check", "A123456789", "A123456788", "--json");

        exitCode.ShouldBe(1);
        var bad = json[1];
        bad.GetProperty("valid").GetBoolean().ShouldBeFalse();
        bad.GetProperty("kind").ValueKind.ShouldBe(JsonValueKind.Null);
        bad.GetProperty("masked").GetString().ShouldBe("A12****788");
        var diagnostic = bad.GetProperty("diagnostics")[0];
        diagnostic.GetProperty("code").GetString().ShouldBe("PF0106");
        diagnostic.GetProperty("severity").GetString().ShouldBe("error");
        diagnostic.GetProperty("message").GetString()!.ShouldContain("檢查碼");
        diagnostic.GetProperty("location").GetProperty("source").GetString().ShouldBe("args[1]");
    }

    [Fact]
    public async Task Check_TextOutput_MasksIds()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("ids", "check", "A123456789", "B123456781");

        exitCode.ShouldBe(1);
        output.ShouldContain("A12****789");
        output.ShouldNotContain("A123456789");
        output.ShouldNotContain("B123456781");
        output.ShouldContain("PF0106");
    }

    [Theory]
    [InlineData("ids", "check")]
    [InlineData("ids", "check", "--json")]
    [InlineData("course-code", "explain")]
    [InlineData("ids", "verify", "A123456789")]
    [InlineData("nonsense")]
    public async Task UsageErrors_ExitTwoWithAMessage(params string[] args)
    {
        var (exitCode, output, error) = await CliRunner.RunAsync(args);

        exitCode.ShouldBe(2);
        output.ShouldBeEmpty();
        error.ShouldContain("portfolio --help");
    }

    [Fact]
    public async Task Help_ExitsZeroAndListsCommands()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("--help");

        exitCode.ShouldBe(0);
        output.ShouldContain("ids");
        output.ShouldContain("course-code");
        output.ShouldContain("codes");
    }
}
