using NJsonSchema;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Tests.Codes;

/// <summary>schemas/code-tables.schema.json describes the file the SDK ships and vendors write.</summary>
public sealed class CodeTableSchemaTests
{
    private static async Task<JsonSchema> SchemaAsync() =>
        await JsonSchema.FromFileAsync(RepositoryPaths.Combine("schemas", "code-tables.schema.json"), TestContext.Current.CancellationToken);

    [Fact]
    public async Task ShippedCodeTables_ValidateAgainstTheSchema()
    {
        var schema = await SchemaAsync();
        var json = await File.ReadAllTextAsync(RepositoryPaths.Combine("src", "Portfolio.Sdk", "Codes", "code-tables.json"), TestContext.Current.CancellationToken);

        schema.Validate(json).ShouldBeEmpty();
    }

    [Theory]
    [InlineData("""{ "tables": [ { "id": "Bad Id", "name": "X" } ] }""")]
    [InlineData("""{ "tables": [ { "id": "x", "name": "X", "entries": [ { "name": "no code" } ] } ] }""")]
    [InlineData("""{ "tables": [ { "id": "x", "name": "X", "evidence": "maybe" } ] }""")]
    [InlineData("""{ "tables": [], "extra": 1 }""")]
    public async Task BrokenFiles_AreRejectedByTheSchema(string json)
    {
        var schema = await SchemaAsync();

        schema.Validate(json).ShouldNotBeEmpty();
    }
}
