using System.Text;
using System.Text.Json;
using NJsonSchema;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Sis.Profiles;
using Portfolio.Sdk.Sis.Records;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Sis.Tests;

/// <summary>
/// schemas/sis-profile.schema.json is generated from <see cref="SisProfile.Load"/>'s file DTOs, with each record
/// kind's fields (<see cref="SisField"/>) listed so an editor completes and checks column mappings.
/// </summary>
public sealed class SisProfileSchemaTests
{
    internal static JsonSchema Generated()
    {
        var schema = InputFileSchemas.Generate(
            typeof(SisProfile.ProfileDto), SisProfile.JsonOptions, "sis-profile.schema.json",
            "Portfolio.Sdk SIS mapping profile (對應設定)",
            "How a vendor's SIS tables or queries map onto the SDK's records (SisProfile.Load). See docs/sis-profile.md.");

        // The loader keys records by kind and columns by field: name them, so a misspelt kind or field is flagged as you type.
        var records = schema.Properties["records"];
        var record = records.AdditionalPropertiesSchema!.ActualSchema;
        records.AdditionalPropertiesSchema = null;
        records.AllowAdditionalProperties = false;
        foreach (var kind in Enum.GetValues<SisRecordKind>())
        {
            var fields = SisField.Of(kind);
            var columns = new JsonSchema { Type = JsonObjectType.Object, AllowAdditionalProperties = false, Description = $"The source column of each {SisProfile.KindName(kind)} field." };
            foreach (var field in fields)
            {
                columns.Properties[field.Name] = new JsonSchemaProperty
                {
                    Type = JsonObjectType.String,
                    MinLength = 1,
                    IsRequired = field.IsRequired,
                    Description = $"{field.Type}{(field.IsRequired ? ", required" : string.Empty)}.",
                };
            }

            var values = new JsonSchema { Type = JsonObjectType.Object, AllowAdditionalProperties = false, Description = "Value translations per field." };
            foreach (var field in fields)
            {
                values.Properties[field.Name] = new JsonSchemaProperty { Type = JsonObjectType.Object, AdditionalPropertiesSchema = new JsonSchema { Type = JsonObjectType.String } };
            }

            var kindSchema = new JsonSchema { Type = JsonObjectType.Object, AllowAdditionalProperties = false, Description = $"How {SisProfile.KindName(kind)} records are read." };
            foreach (var (key, property) in record.Properties)
            {
                kindSchema.Properties[key] = key switch
                {
                    "columns" => new JsonSchemaProperty { Reference = columns, IsRequired = true, Description = property.Description },
                    "values" => new JsonSchemaProperty { Reference = values, Description = property.Description },
                    _ => new JsonSchemaProperty { Type = property.Type, Description = property.Description },
                };
            }

            kindSchema.OneOf.Add(new JsonSchema { RequiredProperties = { "table" } });
            kindSchema.OneOf.Add(new JsonSchema { RequiredProperties = { "query" } });
            var name = SisProfile.KindName(kind);
            schema.Definitions[char.ToUpperInvariant(name[0]) + name[1..] + "Columns"] = columns;
            schema.Definitions[char.ToUpperInvariant(name[0]) + name[1..] + "Values"] = values;
            schema.Definitions[char.ToUpperInvariant(name[0]) + name[1..] + "Record"] = kindSchema;
            records.Properties[name] = new JsonSchemaProperty { Reference = kindSchema };
        }

        schema.Definitions.Remove(schema.Definitions.Single(d => d.Value == record).Key);
        return schema;
    }

    private static JsonSchema CheckedIn() =>
        JsonSchema.FromFileAsync(RepositoryPaths.Combine("schemas", "sis-profile.schema.json")).GetAwaiter().GetResult();

    [Fact]
    public void CheckedInSchema_MatchesTheCode() => InputFileSchemas.CheckDrift(Generated(), "sis-profile.schema.json");

    [Fact]
    public void DocsPage_NamesEveryProperty() => InputFileSchemas.CheckDocs(Generated(), "sis-profile.md");

    [Fact]
    public void SampleProfile_ValidatesAgainstTheSchema()
    {
        var json = File.ReadAllText(RepositoryPaths.Combine("samples", "SisProfiles", "demo-sis.profile.json"));

        CheckedIn().Validate(json).ShouldBeEmpty();
        JsonDocument.Parse(json).RootElement.GetProperty("$schema").GetString().ShouldBe("../../schemas/sis-profile.schema.json");
    }

    [Theory]
    [InlineData("""{ "dialect": "sqlite", "records": { "students": { "table": "s", "columns": { "studentNumber": "a", "nationalId": "b" } } } }""")]
    [InlineData("""{ "dialect": "sqlite", "records": { "pupils": { "table": "s", "columns": {} } } }""")]
    [InlineData("""{ "dialect": "sqlite", "records": { "courses": { "table": "c", "query": "select 1", "columns": { "schoolYear": "sy", "term": "t", "courseCode": "c", "subjectName": "n" } } } }""")]
    [InlineData("""{ "dialect": "db2" }""")]
    [InlineData("""{ "dialect": "sqlite", "recrods": {} }""")]
    public void BrokenProfiles_AreRejectedByTheSchema(string json) => CheckedIn().Validate(json).ShouldNotBeEmpty();

    [Theory]
    [InlineData("""{ "dialect": "sqlite", "nmae": "x" }""", "nmae", "$")]
    [InlineData("""{ "dialect": "sqlite", "records": { "students": { "tabel": "s", "table": "s", "columns": { "studentNumber": "a", "nationalId": "b", "birthDate": "c" } } } }""", "records.students.tabel", "records.students")]
    [InlineData("""{ "dialect": "sqlite", "records": { "students": { "$schema": "x", "table": "s", "columns": { "studentNumber": "a", "nationalId": "b", "birthDate": "c" } } } }""", "records.students.$schema", "records.students")]
    public void UnknownKeys_AreRejectedWithTheKeyAndWhereItIs(string json, string path, string parent)
    {
        var outcome = SisProfile.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "p.json");

        outcome.Success.ShouldBeFalse();
        var unknown = outcome.Diagnostics.ShouldHaveSingleItem();
        unknown.Code.ShouldBe(DiagnosticCodes.SisProfileUnknownKey);
        unknown.Location!.Source.ShouldBe("p.json");
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
        const string json = """{ "$schema": "s.json", "$comment": "x", "dialect": "sqlite", "records": { "students": { "$comment": "y", "table": "s", "columns": { "studentNumber": "a", "nationalId": "b", "birthDate": "c" } } } }""";

        var outcome = SisProfile.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "p.json");

        outcome.Diagnostics.ShouldBeEmpty();
        outcome.Value!.Mappings[SisRecordKind.Students].Table.ShouldBe("s");
    }
}
