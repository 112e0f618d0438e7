namespace Portfolio.Cli.Tests;

public sealed class CodesCommandTests
{
    [Fact]
    public async Task List_Json_HasEveryTableWithEvidence()
    {
        var (exitCode, json) = await CliRunner.RunJsonAsync("codes", "list", "--json");

        exitCode.ShouldBe(0);
        var group = json.EnumerateArray().Single(t => t.GetProperty("id").GetString() == "group");
        group.GetProperty("name").GetString().ShouldBe("群別代碼");
        group.GetProperty("closed").GetBoolean().ShouldBeFalse();
        group.GetProperty("evidence").GetString().ShouldBe("C-3p");
    }

    [Fact]
    public async Task Show_KnownTable_ListsEntries()
    {
        var (exitCode, json) = await CliRunner.RunJsonAsync("codes", "show", "pass-flag", "--json");

        exitCode.ShouldBe(0);
        json.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("code").GetString()).ShouldBe(["1", "0", "-1"]);
    }

    [Fact]
    public async Task Show_UnknownTable_ExitsTwo()
    {
        var (exitCode, _, error) = await CliRunner.RunAsync("codes", "show", "nope");

        exitCode.ShouldBe(2);
        error.ShouldContain("nope");
    }

    [Fact]
    public async Task Show_WithVendorFile_LayersItOverTheBuiltInTables()
    {
        var file = Path.Combine(Path.GetTempPath(), $"codes-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, """{ "revision": "v", "tables": [ { "id": "department", "name": "科班學程別代碼", "entries": [ { "code": "301", "name": "機械科" } ] } ] }""", TestContext.Current.CancellationToken);
        try
        {
            var (exitCode, json) = await CliRunner.RunJsonAsync("codes", "show", "department", "--file", file, "--json");

            exitCode.ShouldBe(0);
            json.GetProperty("entries")[0].GetProperty("name").GetString().ShouldBe("機械科");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Show_WithCorruptFile_ExitsTwoWithDiagnostic()
    {
        var file = Path.Combine(Path.GetTempPath(), $"codes-{Guid.NewGuid():N}.json");
        await File.WriteAllTextAsync(file, "{ not json", TestContext.Current.CancellationToken);
        try
        {
            var (exitCode, output, error) = await CliRunner.RunAsync("codes", "show", "group", "--file", file);

            exitCode.ShouldBe(2);
            output.ShouldBeEmpty();
            error.ShouldContain("PF0503");
            error.ShouldNotContain("   at ");
        }
        finally
        {
            File.Delete(file);
        }
    }
}
