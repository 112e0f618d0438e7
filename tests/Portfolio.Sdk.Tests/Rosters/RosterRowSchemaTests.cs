using System.Reflection;
using System.Text.Json;
using NJsonSchema;
using NJsonSchema.Generation;
using NJsonSchema.Generation.TypeMappers;
using Portfolio.Sdk.Calendar;
using Portfolio.Sdk.Courses;
using Portfolio.Sdk.Identity;
using Portfolio.Sdk.Rosters.Rows;
using Portfolio.Sdk.Schools;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Tests.Rosters;

/// <summary>
/// schemas/rows/*.schema.json are generated from the row records with NJsonSchema; this test fails when the code and
/// the checked-in schemas drift. Run the tests with PORTFOLIO_ACCEPT=1 to regenerate them.
/// </summary>
public sealed class RosterRowSchemaTests
{
    public static TheoryData<string> RowTypes() => [.. RowTypeList().Select(t => t.Name)];

    private static IEnumerable<Type> RowTypeList() => typeof(IRosterRow).Assembly.GetTypes()
        .Where(t => t.IsClass && typeof(IRosterRow).IsAssignableFrom(t)).OrderBy(t => t.Name, StringComparer.Ordinal);

    internal static JsonSchema SchemaOf(Type type)
    {
        var settings = new SystemTextJsonSchemaGeneratorSettings
        {
            SerializerOptions = new JsonSerializerOptions(),
            SchemaType = SchemaType.JsonSchema,
            DefaultReferenceTypeNullHandling = ReferenceTypeNullHandling.NotNull,
            GenerateAbstractProperties = false,
            FlattenInheritanceHierarchy = true,
            AlwaysAllowAdditionalObjectProperties = false,
        };
        settings.TypeMappers.Add(new PrimitiveTypeMapper(typeof(NationalId), s => { s.Type = JsonObjectType.String; s.Pattern = "^[A-Z][1289A-D][0-9]{8}$"; s.Description = "身分證號 or 居留證統一證號, with check digit"; }));
        settings.TypeMappers.Add(new PrimitiveTypeMapper(typeof(CourseCode), s => { s.Type = JsonObjectType.String; s.Pattern = "^[0-9A-Z]{23}$"; s.Description = "課程代碼"; }));
        settings.TypeMappers.Add(new PrimitiveTypeMapper(typeof(SchoolCode), s => { s.Type = JsonObjectType.String; s.Pattern = "^[0-9A-Z]{6}$"; s.Description = "學校代碼"; }));
        settings.TypeMappers.Add(new PrimitiveTypeMapper(typeof(SchoolYear), s => { s.Type = JsonObjectType.Integer; s.Minimum = 1; s.Maximum = 999; s.Description = "學年度 (ROC year)"; }));
        settings.TypeMappers.Add(new PrimitiveTypeMapper(typeof(DateOnly), s => { s.Type = JsonObjectType.String; s.Format = "date"; }));
        settings.TypeMappers.Add(new PrimitiveTypeMapper(typeof(Term), s => { s.Type = JsonObjectType.Integer; s.Minimum = 0; s.Maximum = 2; s.Description = "學期: 1, 2 (0 = whole year)"; }));
        var schema = JsonSchema.FromType(type, settings);

        // NJsonSchema 10 gave every [Required] string-typed property minLength 1; 11 does so only for CLR strings, so
        // required dates (DateOnly mapped to a date string) lost it. A validator that treats "format" as an annotation
        // would then accept "" for a required date, which the roster reader rejects: keep the constraint.
        foreach (var (name, property) in schema.Properties)
        {
            if (property.IsRequired && property.Format == "date" && property.Type == JsonObjectType.String)
            {
                property.MinLength = 1;
            }
        }

        schema.Id = type.GetField("Sheet") is { } sheet
            ? $"https://portfolio-sdk.invalid/schemas/rows/{sheet.GetRawConstantValue()}.schema.json"
            : $"https://portfolio-sdk.invalid/schemas/{type.Name}.schema.json";
        return schema;
    }

    [Theory]
    [MemberData(nameof(RowTypes))]
    public void CheckedInSchema_MatchesTheCode(string typeName)
    {
        var type = RowTypeList().Single(t => t.Name == typeName);
        var sheet = (string)type.GetField("Sheet")!.GetRawConstantValue()!;
        var path = RepositoryPaths.Combine("schemas", "rows", sheet + ".schema.json");
        var expected = SchemaOf(type).ToJson().ReplaceLineEndings("\n") + "\n";
        if (Environment.GetEnvironmentVariable("PORTFOLIO_ACCEPT") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }

        var actual = File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : string.Empty;
        actual.ShouldBe(expected, $"{path} drifted from {typeName}; run the tests with PORTFOLIO_ACCEPT=1 and review the diff.");
    }

    [Fact]
    public void CheckedInManifestSchema_MatchesTheCode()
    {
        var path = RepositoryPaths.Combine("schemas", "package-manifest.schema.json");
        var expected = SchemaOf(typeof(Portfolio.Sdk.Rosters.Packages.RosterPackageManifest)).ToJson().ReplaceLineEndings("\n") + "\n";
        if (Environment.GetEnvironmentVariable("PORTFOLIO_ACCEPT") == "1")
        {
            File.WriteAllText(path, expected);
        }

        (File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : string.Empty).ShouldBe(expected, $"{path} drifted; run the tests with PORTFOLIO_ACCEPT=1.");
    }

    [Fact]
    public void JsonForm_OfASampleRow_ValidatesAgainstItsSchema()
    {
        var schema = SchemaOf(typeof(SemesterGradesRow));

        schema.Validate(JsonSerializer.Serialize(RosterRowJsonTests.SampleGrade())).ShouldBeEmpty();
        schema.Validate("""{ "nationalId": "a1", "score": 120 }""").Select(e => e.Property).ShouldContain("courseCode");
        schema.Validate("""{ "nationalId": "a1", "score": 120 }""").Select(e => e.Property).ShouldContain("nationalId");
    }
}
