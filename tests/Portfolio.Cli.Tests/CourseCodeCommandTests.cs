using System.Text.Json;

namespace Portfolio.Cli.Tests;

public sealed class CourseCodeCommandTests
{
    [Fact]
    public async Task Explain_Valid_PrintsEverySegmentKeyedAsDocumented()
    {
        var (exitCode, json) = await CliRunner.RunJsonAsync("course-code", "explain", "108060322H1110101010101", "--json");

        exitCode.ShouldBe(0);
        var item = json[0];
        item.GetProperty("input").GetString().ShouldBe("108060322H1110101010101");
        item.GetProperty("valid").GetBoolean().ShouldBeTrue();
        var segments = item.GetProperty("segments");
        segments.EnumerateObject().Select(p => p.Name).ShouldBe(
            ["cohortYear", "schoolCode", "courseType", "group", "department", "classGroup", "courseCategory", "delivery", "subjectAttribute", "domain", "subject"]);
        segments.GetProperty("courseType").GetProperty("code").GetString().ShouldBe("H");
        segments.GetProperty("courseType").GetProperty("name").GetString().ShouldBe("普通型");
        segments.GetProperty("group").GetProperty("name").GetString().ShouldBe("普通高中");
        segments.GetProperty("domain").GetProperty("name").ValueKind.ShouldBe(JsonValueKind.Null);
        item.GetProperty("diagnostics").GetArrayLength().ShouldBe(0);
    }

    [Fact]
    public async Task Explain_WarningsOnly_StillExitZero()
    {
        var (exitCode, json) = await CliRunner.RunJsonAsync("course-code", "explain", "108060322H1110109010101", "--json");

        exitCode.ShouldBe(0);
        json[0].GetProperty("diagnostics")[0].GetProperty("code").GetString().ShouldBe("PF0408");
        json[0].GetProperty("diagnostics")[0].GetProperty("severity").GetString().ShouldBe("warning");
    }

    [Fact]
    public async Task Explain_Invalid_ExitsOneWithNullSegments()
    {
        var (exitCode, json) = await CliRunner.RunJsonAsync("course-code", "explain", "108060322H1110101010101", "12345", "--json");

        exitCode.ShouldBe(1);
        json[1].GetProperty("valid").GetBoolean().ShouldBeFalse();
        json[1].GetProperty("segments").ValueKind.ShouldBe(JsonValueKind.Null);
        json[1].GetProperty("diagnostics")[0].GetProperty("code").GetString().ShouldBe("PF0402");
    }

    [Fact]
    public async Task Explain_Text_ShowsChineseMeanings()
    {
        var (exitCode, output, _) = await CliRunner.RunAsync("course-code", "explain", "108060322H11101080D0101");

        exitCode.ShouldBe(0);
        output.ShouldContain("團體活動時間");
        output.ShouldContain("科目屬性");
    }
}
