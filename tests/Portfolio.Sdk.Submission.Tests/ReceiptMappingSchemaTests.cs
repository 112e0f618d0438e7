using System.Text;
using System.Text.Json;
using NJsonSchema;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Rosters;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Submission.Receipts;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>schemas/receipt-mapping.schema.json is generated from <see cref="ReceiptColumnMapping.Load"/>'s file DTO.</summary>
public sealed class ReceiptMappingSchemaTests
{
    internal static JsonSchema Generated() => InputFileSchemas.Generate(
        typeof(ReceiptColumnMapping.MappingFile), GatewayJson.Options, "receipt-mapping.schema.json",
        "Portfolio.Sdk receipt column mapping (收訖明細欄位對應)",
        "How the columns of a 收訖明細 spreadsheet map to a roster sheet's columns (ReceiptColumnMapping.Load). See docs/receipt-mapping.md.");

    private static JsonSchema CheckedIn() =>
        JsonSchema.FromFileAsync(RepositoryPaths.Combine("schemas", "receipt-mapping.schema.json")).GetAwaiter().GetResult();

    private static ParseOutcome<ReceiptColumnMapping> Load(string json) => ReceiptColumnMapping.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "map.json");

    [Fact]
    public void CheckedInSchema_MatchesTheCode() => InputFileSchemas.CheckDrift(Generated(), "receipt-mapping.schema.json");

    [Fact]
    public void DocsPage_NamesEveryProperty() => InputFileSchemas.CheckDocs(Generated(), "receipt-mapping.md");

    [Fact]
    public void SampleMapping_ValidatesAgainstTheSchema_AndMapsRosterColumns()
    {
        var json = File.ReadAllText(RepositoryPaths.Combine("samples", "Receipts", "receipt-mapping.json"));

        CheckedIn().Validate(json).ShouldBeEmpty();
        var outcome = Load(json);
        outcome.Diagnostics.ShouldBeEmpty();
        var layout = RosterCatalogue.Default["grades"].FindSheet("semester-grades")!.LayoutFor(new Calendar.SchoolYear(113));
        outcome.Value!.Columns.Values.ShouldAllBe(key => layout.Columns.Any(c => c.Key == key));
        outcome.Value.StudentKeyHeader.ShouldBe("身分證字號");
        JsonDocument.Parse(json).RootElement.GetProperty("$schema").GetString().ShouldBe("../../schemas/receipt-mapping.schema.json");
    }

    [Theory]
    [InlineData("""{ "columns": {} }""")]
    [InlineData("""{ "studentKeyHeader": "身分證號" }""")]
    [InlineData("""{ "columns": { "成績": "score" }, "colums": {} }""")]
    [InlineData("""{ "columns": { "成績": 1 } }""")]
    public void BrokenMappings_AreRejectedByTheSchema(string json) => CheckedIn().Validate(json).ShouldNotBeEmpty();

    [Fact]
    public void UnknownKey_IsRejectedWithTheKeyAndWhereItIs()
    {
        var outcome = Load("""{ "columns": { "成績": "score" }, "studentKeyHeadr": "身分證字號" }""");

        outcome.Success.ShouldBeFalse();
        var unknown = outcome.Diagnostics.ShouldHaveSingleItem();
        unknown.Code.ShouldBe(DiagnosticCodes.ReceiptMappingUnknownKey);
        unknown.Location!.Source.ShouldBe("map.json");
        unknown.Location.Path.ShouldBe("studentKeyHeadr");
        unknown.Message.ShouldContain("「studentKeyHeadr」");
        unknown.MessageEnglish.ShouldContain("\"studentKeyHeadr\"");
    }

    [Fact]
    public void SchemaAndCommentKeys_AreIgnored()
    {
        var outcome = Load("""{ "$schema": "x.json", "$comment": "y", "columns": { "成績": "score" } }""");

        outcome.Diagnostics.ShouldBeEmpty();
        outcome.Value!.Columns["成績"].ShouldBe("score");
    }
}
