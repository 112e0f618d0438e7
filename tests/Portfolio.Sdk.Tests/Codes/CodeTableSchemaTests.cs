using System.Text;
using System.Text.Json;
using NJsonSchema;
using Portfolio.Sdk.Codes;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Tests.Codes;

/// <summary>
/// schemas/code-tables.schema.json is generated from <see cref="CodeTableCatalog"/>'s file DTOs: it describes the file
/// the SDK ships and vendors write, and cannot drift from the loader.
/// </summary>
public sealed class CodeTableSchemaTests
{
    internal static JsonSchema Generated() => InputFileSchemas.Generate(
        typeof(CodeTableCatalog.CodeTableFile), CodeTableCatalog.CodeTableFile.Options, "code-tables.schema.json",
        "Portfolio.Sdk code tables (代碼表)",
        "The file format of Portfolio.Sdk's code tables: the embedded src/Portfolio.Sdk/Codes/code-tables.json, and newer tables a vendor loads with CodeTableCatalog.Load and layers over the default with WithOverrides. See docs/code-tables.md.");

    private static async Task<JsonSchema> SchemaAsync() =>
        await JsonSchema.FromFileAsync(RepositoryPaths.Combine("schemas", "code-tables.schema.json"), TestContext.Current.CancellationToken);

    [Fact]
    public void CheckedInSchema_MatchesTheCode() => InputFileSchemas.CheckDrift(Generated(), "code-tables.schema.json");

    [Fact]
    public void DocsPage_NamesEveryProperty() => InputFileSchemas.CheckDocs(Generated(), "code-tables.md");

    [Theory]
    [InlineData("src/Portfolio.Sdk/Codes/code-tables.json")]
    [InlineData("samples/CodeTables/code-table-overrides.json")]
    public async Task ShippedAndSampleFiles_ValidateAgainstTheSchema_AndLoadCleanly(string file)
    {
        var schema = await SchemaAsync();
        var json = await File.ReadAllTextAsync(RepositoryPaths.Combine(file.Split('/')), TestContext.Current.CancellationToken);

        schema.Validate(json).ShouldBeEmpty();
        var outcome = CodeTableCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), Path.GetFileName(file));
        outcome.Diagnostics.ShouldBeEmpty();
        JsonDocument.Parse(json).RootElement.GetProperty("$schema").GetString().ShouldEndWith("schemas/code-tables.schema.json");
    }

    [Theory]
    [InlineData("""{ "tables": [ { "id": "Bad Id", "name": "X" } ] }""")]
    [InlineData("""{ "tables": [ { "id": "x", "name": "X", "entries": [ { "name": "no code" } ] } ] }""")]
    [InlineData("""{ "tables": [ { "id": "x", "name": "X", "evidence": "maybe" } ] }""")]
    [InlineData("""{ "tables": [ { "id": "x", "name": "X", "entries": [ { "code": "1", "from": 1000 } ] } ] }""")]
    [InlineData("""{ "tables": [], "extra": 1 }""")]
    [InlineData("""{ "tables": [ { "id": "x", "name": "X", "colsed": true } ] }""")]
    [InlineData("""{ "formatVersion": 2, "tables": [] }""")]
    [InlineData("""{ "mappings": [] }""")]
    public async Task BrokenFiles_AreRejectedByTheSchema(string json)
    {
        var schema = await SchemaAsync();

        schema.Validate(json).ShouldNotBeEmpty();
    }

    [Theory]
    [InlineData("""{ "tables": [], "extra": 1 }""", "extra", "$")]
    [InlineData("""{ "tables": [ { "id": "x", "name": "X", "colsed": true } ] }""", "tables[0].colsed", "tables[0]")]
    [InlineData("""{ "tables": [ { "id": "x", "name": "X", "entries": [ { "code": "1", "nmae": "a" } ] } ] }""", "tables[0].entries[0].nmae", "tables[0].entries[0]")]
    [InlineData("""{ "tables": [], "mappings": [ { "id": "m", "from": "a", "to": "b", "rules": [ { "codes": ["1"], "value": "2", "valeu": "3" } ] } ] }""", "mappings[0].rules[0].valeu", "mappings[0].rules[0]")]
    [InlineData("""{ "tables": [ { "id": "x", "name": "X", "$schema": "nested" } ] }""", "tables[0].$schema", "tables[0]")]
    public void UnknownKeys_AreRejectedWithTheKeyAndWhereItIs(string json, string path, string parent)
    {
        var outcome = CodeTableCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "vendor.json");

        outcome.Success.ShouldBeFalse();
        var unknown = outcome.Diagnostics.ShouldHaveSingleItem();
        unknown.Code.ShouldBe(DiagnosticCodes.CodeTableFileUnknownKey);
        unknown.Location!.Source.ShouldBe("vendor.json");
        unknown.Location.Path.ShouldBe(path);
        var key = path[(path.LastIndexOf('.') + 1)..];
        unknown.Message.ShouldContain($"「{key}」");
        unknown.Message.ShouldContain(parent);
        unknown.MessageEnglish.ShouldContain($"\"{key}\"");
        unknown.MessageEnglish.ShouldContain(parent);
    }

    [Fact]
    public void SchemaAndCommentKeys_AreIgnored()
    {
        const string json = """{ "$schema": "../schemas/code-tables.schema.json", "$comment": "x", "tables": [ { "$comment": "y", "id": "x", "name": "X", "entries": [ { "$comment": "z", "code": "1" } ] } ] }""";

        var outcome = CodeTableCatalog.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)));

        outcome.Diagnostics.ShouldBeEmpty();
        outcome.Value!["x"].Entries.ShouldHaveSingleItem().Code.ShouldBe("1");
    }
}
