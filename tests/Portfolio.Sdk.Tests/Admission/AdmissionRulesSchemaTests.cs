using System.Text;
using System.Text.Json;
using NJsonSchema;
using Portfolio.Sdk.Admission;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Tests.Admission;

/// <summary>
/// schemas/admission-rules.schema.json is generated from <see cref="AdmissionRules"/>'s file DTOs, the shipped rules
/// validate against it and load cleanly, and the loader refuses what the schema refuses, naming the path.
/// </summary>
public sealed class AdmissionRulesSchemaTests
{
    internal static JsonSchema Generated() => InputFileSchemas.Generate(
        typeof(AdmissionRules.RulesFileDto), AdmissionRules.RulesFileDto.Options, "admission-rules.schema.json",
        "Portfolio.Sdk admission rules (升學參採規則)",
        "The admission rules AdmissionRules.Load reads: per route (大學個人申請, 四技二專甄選入學) and 招生學年度, the item codes, what each accepts and the caps per 校系, with sources and evidence. The SDK ships src/Portfolio.Sdk/Admission/admission-rules.json. See docs/admission-rules.md.");

    private static async Task<JsonSchema> CheckedInAsync() =>
        await JsonSchema.FromFileAsync(RepositoryPaths.Combine("schemas", "admission-rules.schema.json"), TestContext.Current.CancellationToken);

    private static ParseOutcome<AdmissionRules> Load(string json) => AdmissionRules.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "rules.json");

    private const string Edition = """
        { "from": 113, "sourcedThrough": 113, "itemCodes": [ { "code": "B-1", "name": "專題", "courseOutcomeAttributes": [ "3" ] }, { "code": "C-5", "name": "競賽", "performanceCategories": [ "performance-competition" ] } ],
          "caps": [ { "id": "B-1", "codes": [ "B-1" ], "max": 3, "min": 1 }, { "id": "C", "codes": [ "C-5" ], "max": 10 } ] }
        """;

    private static string File(string edition = Edition, string extraRoute = "") =>
        $$"""{ "routes": [ { "id": "vocational-selection", "name": "四技二專甄選入學", "editions": [ {{edition}} ] } {{extraRoute}} ] }""";

    [Fact]
    public void CheckedInSchema_MatchesTheCode() => InputFileSchemas.CheckDrift(Generated(), "admission-rules.schema.json");

    [Fact]
    public void DocsPage_NamesEveryProperty() => InputFileSchemas.CheckDocs(Generated(), "admission-rules.md");

    [Fact]
    public async Task ShippedRules_ValidateAgainstTheSchema_AndLoadCleanly()
    {
        var json = await System.IO.File.ReadAllTextAsync(RepositoryPaths.Combine("src", "Portfolio.Sdk", "Admission", "admission-rules.json"), TestContext.Current.CancellationToken);

        (await CheckedInAsync()).Validate(json).ShouldBeEmpty();
        var outcome = Load(json);
        outcome.Diagnostics.ShouldBeEmpty();
        outcome.Value!.Routes.Select(r => r.Id).ShouldBe([AdmissionRoute.UniversityApplication, AdmissionRoute.VocationalSelection]);
        JsonDocument.Parse(json).RootElement.GetProperty("$schema").GetString().ShouldBe("../../../schemas/admission-rules.schema.json");
    }

    [Fact]
    public void SmallestFile_LoadsCleanly()
    {
        var outcome = Load(File());

        outcome.Diagnostics.ShouldBeEmpty();
        var edition = outcome.Value![AdmissionRoute.VocationalSelection].Editions.ShouldHaveSingleItem();
        edition.CapOf("C-5").Max.ShouldBe(10);
        edition.CapOf("B-1").Min.ShouldBe(1);
    }

    [Theory]
    [InlineData("""{ "routes": [] }""")]
    [InlineData("""{ "rotues": [] }""")]
    [InlineData("""{ "formatVersion": 2, "routes": [ { "id": "x", "name": "X", "editions": [] } ] }""")]
    [InlineData("""{ "routes": [ { "id": "Bad Id", "name": "X", "editions": [] } ] }""")]
    [InlineData("""{ "routes": [ { "id": "x", "name": "X", "editions": [ { "from": 113, "itemCodes": [ { "code": "A", "name": "a", "courseOutcomeAttributes": [ "*" ] } ], "caps": [ { "id": "A", "codes": [ "A" ], "max": 3 } ] } ] } ] }""")]
    [InlineData("""{ "routes": [ { "id": "x", "name": "X", "editions": [ { "from": 113, "sourcedThrough": 113, "itemCodes": [ { "code": "A", "name": "a", "courseOutcomeAttributes": [ "*" ] } ], "caps": [ { "id": "A", "codes": [ "A" ], "max": 0 } ] } ] } ] }""")]
    [InlineData("""{ "routes": [ { "id": "x", "name": "X", "editions": [ { "from": 113, "sourcedThrough": 113, "evidence": "maybe", "itemCodes": [ { "code": "A", "name": "a", "courseOutcomeAttributes": [ "*" ] } ], "caps": [ { "id": "A", "codes": [ "A" ], "max": 3 } ] } ] } ] }""")]
    [InlineData("""{ "routes": [ { "id": "x", "name": "X", "editions": [ { "from": 113, "sourcedThrough": 113, "itemCodes": [ { "code": "A", "name": "a", "courseOutcomeAttributes": [ "*" ], "cap": 3 } ], "caps": [ { "id": "A", "codes": [ "A" ], "max": 3 } ] } ] } ] }""")]
    public async Task BrokenFiles_AreRejectedByTheSchema_AndByTheLoader(string json)
    {
        (await CheckedInAsync()).Validate(json).ShouldNotBeEmpty();
        Load(json).Success.ShouldBeFalse();
    }

    [Theory]
    [InlineData("""{ "routes": [], "extra": 1 }""", "extra")]
    [InlineData("""{ "routes": [ { "id": "x", "name": "X", "edtions": [] } ] }""", "routes[0].edtions")]
    [InlineData("""{ "routes": [ { "id": "x", "name": "X", "editions": [ { "from": 113, "sourcedThrough": 113, "itemCodes": [ { "code": "A", "name": "a", "courseOutcomeAttributes": [ "*" ], "cap": 3 } ], "caps": [ { "id": "A", "codes": [ "A" ], "max": 3 } ] } ] } ] }""", "routes[0].editions[0].itemCodes[0].cap")]
    [InlineData("""{ "routes": [ { "id": "x", "name": "X", "editions": [ { "from": 113, "sourcedThrough": 113, "itemCodes": [ { "code": "A", "name": "a", "courseOutcomeAttributes": [ "*" ] } ], "caps": [ { "id": "A", "codes": [ "A" ], "max": 3, "mn": 1 } ] } ] } ] }""", "routes[0].editions[0].caps[0].mn")]
    public void UnknownKeys_AreRefusedWithTheirPath(string json, string path)
    {
        var outcome = Load(json);

        outcome.Success.ShouldBeFalse();
        var unknown = outcome.Diagnostics.Single(d => d.Code == DiagnosticCodes.JsonKeyUnknown);
        unknown.Location!.Path.ShouldBe(path);
        unknown.Location.Source.ShouldBe("rules.json");
        unknown.Message.ShouldContain("升學參採規則");
        unknown.MessageEnglish.ShouldContain(path);
    }

    [Theory]
    [InlineData("""{ "id": "X", "codes": [ "B-2" ], "max": 3 }""", "routes[0].editions[0].caps[2].codes[0]")]
    [InlineData("""{ "id": "X", "codes": [ "B-1" ], "max": 3 }""", "routes[0].editions[0].caps")]
    [InlineData("""{ "id": "X", "codes": [ "C-5" ], "max": 2, "min": 3 }""", "routes[0].editions[0].caps[2]")]
    [InlineData("""{ "id": "B-1", "codes": [ "C-5" ], "max": 2 }""", "routes[0].editions[0].caps[2].id")]
    public void BrokenCaps_AreRefusedWithTheirPath(string extraCap, string path)
    {
        var outcome = Load(File(Edition.Replace("""{ "id": "C", "codes": [ "C-5" ], "max": 10 } ]""", """{ "id": "C", "codes": [ "C-5" ], "max": 10 }, """ + extraCap + " ]", StringComparison.Ordinal)));

        outcome.Success.ShouldBeFalse();
        outcome.Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.AdmissionRulesInvalid && d.Location!.Path == path);
    }

    [Fact]
    public void OverlappingEditions_DuplicateRoutesAndCodes_AreRefused()
    {
        var first = Edition.Replace("\"from\": 113,", "\"from\": 111, \"until\": 113,", StringComparison.Ordinal);
        Load(File(first + ", " + Edition)).Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.AdmissionRulesInvalid && d.Location!.Path == "routes[0].editions");
        Load(File(Edition, """, { "id": "vocational-selection", "name": "again", "editions": [ """ + Edition + " ] }"))
            .Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.AdmissionRulesInvalid && d.Location!.Path == "routes[1].id");
        var twice = Edition.Replace("""{ "code": "C-5",""", """{ "code": "B-1", "name": "again", "courseOutcomeAttributes": [ "1" ] }, { "code": "C-5",""", StringComparison.Ordinal);
        Load(File(twice)).Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.AdmissionRulesInvalid && d.Location!.Path == "routes[0].editions[0].itemCodes[1].code");
        var nothing = Edition.Replace("[ \"3\" ]", "[ \"33\" ]", StringComparison.Ordinal);
        Load(File(nothing)).Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.AdmissionRulesInvalid && d.Location!.Path == "routes[0].editions[0].itemCodes[0].courseOutcomeAttributes[0]");
        Load(File(Edition.Replace("\"sourcedThrough\": 113", "\"sourcedThrough\": 112", StringComparison.Ordinal)))
            .Diagnostics.ShouldContain(d => d.Code == DiagnosticCodes.AdmissionRulesInvalid);
        Load("{ \"routes\": [ ").Diagnostics.ShouldHaveSingleItem().Code.ShouldBe(DiagnosticCodes.AdmissionRulesInvalid);
    }

    [Fact]
    public void WithOverrides_ReplacesARouteAndKeepsTheOthers()
    {
        var newer = Load(File()).Value!;

        var combined = AdmissionRules.Default.WithOverrides(newer);

        combined.Routes.Count.ShouldBe(2);
        combined[AdmissionRoute.VocationalSelection].Editions.ShouldHaveSingleItem().From.RocYear.ShouldBe(113);
        combined[AdmissionRoute.UniversityApplication].ShouldBeSameAs(AdmissionRules.Default[AdmissionRoute.UniversityApplication]);
        combined.Revision.ShouldBe("2026.11.1+rules.json");
    }
}
