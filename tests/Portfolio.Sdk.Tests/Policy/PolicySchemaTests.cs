using System.Reflection;
using System.Text;
using System.Text.Json;
using NJsonSchema;
using Portfolio.Sdk.Policy;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Tests.Policy;

/// <summary>
/// schemas/policy.schema.json is generated from <see cref="PortfolioPolicy.Load"/>'s own file DTO (the loader reads
/// property names case-insensitively, the schema names them in camelCase as the docs do).
/// </summary>
public sealed class PolicySchemaTests
{
    private static readonly JsonSerializerOptions CamelCase = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    // The policy's DTO carries no docs (its loader is not ours to change here): what each key means, and what
    // PortfolioPolicy.Load and Validate demand of it, is added to the generated schema.
    private static readonly Dictionary<string, string> Descriptions = new(StringComparer.Ordinal)
    {
        ["national"] = "National rules (全國規定) by the school year they start; entries not given come from PortfolioPolicy.Default.",
        ["school"] = "The school's own parameters (學校參數); an absent limit means no limit.",
        ["National.from"] = "The first school year (學年度, ROC) the entry applies to.",
        ["National.courseOutcomeSelectionCap"] = "課程學習成果 selected per school year (default 6).",
        ["National.performanceSelectionCap"] = "多元表現 selected per school year (default 10).",
        ["National.documentMaxMegabytes"] = "Largest document (pdf, jpg, png) in MB (default 4; 2 before 109).",
        ["National.mediaMaxMegabytes"] = "Largest media file (mp3, mp4) in MB (default 10; 5 before 109).",
        ["National.counselingAttachmentMaxMegabytes"] = "Largest 課程諮詢 attachment in MB (default 2).",
        ["National.summaryMaxLength"] = "Longest 簡述 in characters a person sees (default 100).",
        ["National.confirmationMinDays"] = "Shortest student confirmation window for receipts, in days (default 3).",
        ["National.passMarks"] = "及格基準 (pass mark, 0–100) by 學制: the course code's 課程類型 (H, V, C, S, M) or continuing (進修部); replaces the default key by key (default H, V, C, S 60 [I]; 進修部 and M unknown [U], not checked).",
        ["School.courseOutcomeUploadsPerTerm"] = "課程學習成果 a student may upload per term.",
        ["School.courseOutcomeUploadsPerSubject"] = "課程學習成果 a student may upload per subject and term.",
        ["School.performanceUploadsPerYear"] = "多元表現 a student may upload per school year.",
        ["School.storageQuotaMegabytes"] = "Storage quota per student in MB.",
        ["School.selectionCapPerTerm"] = "Course outcomes (課程學習成果) a student may select per term (Taipei's platform: 3); absent, only the national cap per year applies.",
        ["School.windows"] = "The periods (學校規定期間) in which the school allows each activity; an activity with no window for a term is open.",
        ["Window.kind"] = "The activity: upload (上傳), certification (認證), selection (勾選), submission (提交) or the national receipt-confirmation schedule (收訖確認).",
        ["Window.term"] = "The term, e.g. 113-1; the whole year (113-0) for selection and per-year submission.",
        ["Window.start"] = "The first day, yyyy-MM-dd (inclusive).",
        ["Window.end"] = "The last day, yyyy-MM-dd (inclusive); not before start.",
        ["Window.grade"] = "The grade (年級) the window is for: 1, 2, 3 or 高一, 高二, 高三; absent, the window is school-wide and applies to every grade without its own.",
    };

    internal static JsonSchema Generated()
    {
        var schema = InputFileSchemas.Generate(
            typeof(PortfolioPolicy).GetNestedType("PolicyDto", BindingFlags.NonPublic) ?? throw new InvalidOperationException("PortfolioPolicy's file DTO was renamed; update this test."),
            CamelCase, "policy.schema.json",
            "Portfolio.Sdk school policy (學習歷程規定)",
            "The policy file PortfolioPolicy.Load reads: national rules per school year and the school's own parameters and windows. See docs/policy.md.");
        foreach (var (owner, part) in schema.Definitions.Append(new KeyValuePair<string, JsonSchema>(string.Empty, schema)))
        {
            foreach (var (name, property) in part.Properties.Where(p => p.Key[0] != '$'))
            {
                property.Description = Descriptions[owner.Length == 0 ? name : $"{owner}.{name}"];
                if (property.Type.HasFlag(JsonObjectType.Integer) || property.Type.HasFlag(JsonObjectType.Number))
                {
                    property.Minimum = 1;   // Validate: every cap and limit is positive; from is a school year.
                }
            }
        }

        // Validate: a pass mark is a score from 0 to 100.
        var passMark = schema.Definitions["National"].Properties["passMarks"].AdditionalPropertiesSchema!;
        passMark.Minimum = 0;
        passMark.Maximum = 100;

        var window = schema.Definitions["Window"];
        foreach (var name in new[] { "kind", "term", "start", "end" })
        {
            window.Properties[name].IsRequired = true;   // Load: a window needs all four.
            window.Properties[name].Type = JsonObjectType.String;
        }

        // Load: a grade is 1, 2 or 3, as a number or text, or its name (高一, 高二, 高三); absent or null is school-wide.
        var grade = window.Properties["grade"];
        grade.OneOf.Clear();
        grade.Type = JsonObjectType.Integer | JsonObjectType.String | JsonObjectType.Null;
        foreach (var value in new object?[] { 1, 2, 3, "1", "2", "3", "高一", "高二", "高三", null })
        {
            grade.Enumeration.Add(value);
        }

        window.Properties["kind"].Pattern = "^(?:[Uu]pload|[Cc]ertification|[Ss]election|[Ss]ubmission|[Cc]onfirmation)$";
        window.Properties["term"].Pattern = "^[0-9]{1,3}-[012]$";
        window.Properties["start"].Format = "date";
        window.Properties["end"].Format = "date";
        schema.Definitions["National"].Properties["from"].IsRequired = true;
        schema.Definitions["National"].Properties["from"].Maximum = 999;
        return schema;
    }

    private static JsonSchema CheckedIn() =>
        JsonSchema.FromFileAsync(RepositoryPaths.Combine("schemas", "policy.schema.json")).GetAwaiter().GetResult();

    [Fact]
    public void CheckedInSchema_MatchesTheCode() => InputFileSchemas.CheckDrift(Generated(), "policy.schema.json");

    [Fact]
    public void DocsPage_NamesEveryProperty() => InputFileSchemas.CheckDocs(Generated(), "policy.md");

    [Fact]
    public void SamplePolicy_ValidatesAgainstTheSchema_AndLoadsCleanly()
    {
        var path = RepositoryPaths.Combine("samples", "Policy", "school-policy.json");
        var json = File.ReadAllText(path);

        CheckedIn().Validate(json).ShouldBeEmpty();
        var outcome = PortfolioPolicy.Load(new MemoryStream(Encoding.UTF8.GetBytes(json)), "school-policy.json");
        outcome.Diagnostics.ShouldBeEmpty();
        outcome.Value!.School.Windows.ShouldNotBeEmpty();
        JsonDocument.Parse(json).RootElement.GetProperty("$schema").GetString().ShouldBe("../../schemas/policy.schema.json");
    }

    [Theory]
    [InlineData("""{ "school": { "windows": [ { "kind": "upload", "term": "113-1", "start": "2024-09-01" } ], "typo": 1 } }""")]
    [InlineData("""{ "national": [ { "from": "109" } ] }""")]
    [InlineData("""{ "nationl": [] }""")]
    [InlineData("""{ "national": [ { "courseOutcomeSelectionCap": 6 } ] }""")]
    [InlineData("""{ "national": [ { "from": 109, "performanceSelectionCap": 0 } ] }""")]
    [InlineData("""{ "school": { "windows": [ { "kind": "grading", "term": "113-1", "start": "2024-09-01", "end": "2025-01-31" } ] } }""")]
    [InlineData("""{ "school": { "windows": [ { "kind": "upload", "term": "113-1", "start": "2024/09/01", "end": "2025-01-31" } ] } }""")]
    public void BrokenFiles_AreRejectedByTheSchema(string json) => CheckedIn().Validate(json).ShouldNotBeEmpty();
}
