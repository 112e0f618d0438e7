using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.RegularExpressions;
using NJsonSchema;
using NJsonSchema.Generation;

namespace Portfolio.Sdk.Testing;

/// <summary>
/// Generates the JSON Schemas of the files vendors and schools write by hand (schemas/*.schema.json) from the
/// loaders' own DTOs, checks the checked-in copies for drift (PORTFOLIO_ACCEPT=1 rewrites them) and checks that
/// each file's docs page names every property.
/// </summary>
public static partial class InputFileSchemas
{
    public static JsonSchema Generate(Type file, JsonSerializerOptions serializerOptions, string fileName, string title, string description)
    {
        ArgumentNullException.ThrowIfNull(file);
        var settings = new SystemTextJsonSchemaGeneratorSettings
        {
            SerializerOptions = new JsonSerializerOptions(serializerOptions),
            SchemaType = SchemaType.JsonSchema,
            DefaultReferenceTypeNullHandling = ReferenceTypeNullHandling.NotNull,
            GenerateAbstractProperties = false,
            FlattenInheritanceHierarchy = true,
            AlwaysAllowAdditionalObjectProperties = false,
        };
        settings.SchemaProcessors.Add(new NumbersFromStrings(settings.SerializerOptions.PropertyNamingPolicy));
        var schema = JsonSchema.FromType(file, settings);
        schema.Id = $"https://portfolio-sdk.invalid/schemas/{fileName}";
        schema.Title = title;
        schema.Description = description;

        // Every loader accepts a "$schema" reference at the root (so editors validate as you type) and "$comment" anywhere.
        schema.Properties["$schema"] = new JsonSchemaProperty { Type = JsonObjectType.String, Description = "The schema this file follows, e.g. ../../schemas/" + fileName + " (ignored by the loader)." };
        foreach (var part in ObjectSchemas(schema))
        {
            // The loaders collect unknown keys to report them (a [JsonExtensionData] member): in the schema they are not allowed.
            part.AdditionalPropertiesSchema = null;
            part.AllowAdditionalProperties = false;
            part.Properties["$comment"] = new JsonSchemaProperty { Type = JsonObjectType.String, Description = "A comment (ignored by the loader)." };
        }

        // Name the definitions after what they are in the file, not after the loader's DTO classes.
        foreach (var (name, definition) in schema.Definitions.Where(d => d.Key.EndsWith("Dto", StringComparison.Ordinal)).ToList())
        {
            schema.Definitions.Remove(name);
            schema.Definitions[name[..^3]] = definition;
        }

        return schema;
    }

    public static void CheckDrift(JsonSchema schema, params string[] path)
    {
        ArgumentNullException.ThrowIfNull(schema);
        var file = RepositoryPaths.Combine(["schemas", .. path]);
        var expected = schema.ToJson().ReplaceLineEndings("\n") + "\n";
        if (Environment.GetEnvironmentVariable("PORTFOLIO_ACCEPT") == "1")
        {
            File.WriteAllText(file, expected);
        }

        (File.Exists(file) ? File.ReadAllText(file).ReplaceLineEndings("\n") : string.Empty)
            .ShouldBe(expected, $"{file} drifted from the code; run the tests with PORTFOLIO_ACCEPT=1 and review the diff.");
    }

    /// <summary>Every property name the schema declares, at any depth, except the ignored $schema and $comment.</summary>
    public static IReadOnlyCollection<string> PropertyNames(JsonSchema schema) =>
        [.. ObjectSchemas(schema).SelectMany(s => s.Properties.Keys).Where(k => k is not "$schema" and not "$comment").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>The property names a docs page documents: the first column of its tables, in backticks.</summary>
    public static IReadOnlySet<string> DocumentedNames(string docsPage)
    {
        var text = File.ReadAllText(RepositoryPaths.Combine("docs", docsPage));
        return TableKey().Matches(text).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);
    }

    public static void CheckDocs(JsonSchema schema, string docsPage)
    {
        var documented = DocumentedNames(docsPage);
        PropertyNames(schema).Where(p => !documented.Contains(p)).ShouldBeEmpty($"docs/{docsPage} does not document these properties of its schema in a table row (| `name` | …).");

        // The page's examples are files of this format: each must validate.
        var examples = JsonBlock().Matches(File.ReadAllText(RepositoryPaths.Combine("docs", docsPage))).Select(m => m.Groups["json"].Value).ToList();
        examples.ShouldNotBeEmpty($"docs/{docsPage} has no ```json example");
        foreach (var example in examples)
        {
            schema.Validate(example).Select(e => e.ToString()).ShouldBeEmpty($"an example in docs/{docsPage} does not validate");
        }
    }

    private static List<JsonSchema> ObjectSchemas(JsonSchema root)
    {
        var found = new List<JsonSchema>();
        var seen = new HashSet<JsonSchema>(ReferenceEqualityComparer.Instance);
        void Visit(JsonSchema? s)
        {
            if (s is null || !seen.Add(s))
            {
                return;
            }

            s = s.HasReference ? s.Reference! : s;
            if (s.Properties.Count > 0 && !found.Contains(s))
            {
                found.Add(s);
            }

            foreach (var child in s.Properties.Values.Cast<JsonSchema>().Concat(s.Definitions.Values).Concat(s.OneOf).Concat(s.AnyOf).Concat(s.AllOf))
            {
                Visit(child);
            }

            Visit(s.Item);
            Visit(s.AdditionalPropertiesSchema);
        }

        Visit(root);
        return found;
    }

    /// <summary>A number the loader also reads from a string (<c>[JsonNumberHandling(AllowReadingFromString)]</c>) may be a string of digits.</summary>
    private sealed class NumbersFromStrings(JsonNamingPolicy? naming) : ISchemaProcessor
    {
        public void Process(SchemaProcessorContext context)
        {
            foreach (var member in context.ContextualType.Type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
            {
                var handling = member.GetCustomAttribute<JsonNumberHandlingAttribute>()?.Handling ?? JsonNumberHandling.Strict;
                var name = member.GetCustomAttribute<JsonPropertyNameAttribute>()?.Name ?? naming?.ConvertName(member.Name) ?? member.Name;
                if (handling.HasFlag(JsonNumberHandling.AllowReadingFromString) && context.Schema.Properties.TryGetValue(name, out var property))
                {
                    property.Type |= JsonObjectType.String;
                    property.Pattern = "^-?[0-9]+$";
                }
            }
        }
    }

    [GeneratedRegex(@"^```json\n(?<json>.*?)^```", RegexOptions.Multiline | RegexOptions.Singleline)]
    private static partial Regex JsonBlock();

    [GeneratedRegex(@"^\|\s*`(?<name>[^`]+)`", RegexOptions.Multiline)]
    private static partial Regex TableKey();
}
