using System.Net.Http.Json;
using System.Text.Json;
using NJsonSchema;
using NJsonSchema.Generation;
using Portfolio.Sdk.Submission.Protocol;
using Portfolio.Sdk.Testing;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>
/// schemas/gateway/*.schema.json are generated from the protocol's records with the protocol's own JSON settings;
/// the tests fail when code and schemas drift, and validate what the sandbox really sends against them.
/// </summary>
public sealed class GatewaySchemaTests
{
    private static readonly Dictionary<string, Type> Messages = new(StringComparer.Ordinal)
    {
        ["submission-metadata"] = typeof(SubmissionMetadata),
        ["submission-status"] = typeof(SubmissionStatus),
        ["problem"] = typeof(GatewayProblem),
        ["receipt-summary"] = typeof(ReceiptSummary),
        ["receipt"] = typeof(Receipt),
    };

    public static TheoryData<string> Names() => [.. Messages.Keys];

    private static JsonSchema SchemaOf(string name)
    {
        var settings = new SystemTextJsonSchemaGeneratorSettings
        {
            SerializerOptions = new JsonSerializerOptions(GatewayJson.Options),
            SchemaType = SchemaType.JsonSchema,
            DefaultReferenceTypeNullHandling = ReferenceTypeNullHandling.NotNull,
            FlattenInheritanceHierarchy = true,
            AlwaysAllowAdditionalObjectProperties = true,
        };
        var schema = JsonSchema.FromType(Messages[name], settings);

        // NJsonSchema does not apply the converter's naming policy to enum values: apply it here.
        foreach (var definition in schema.Definitions.Values.Where(d => d.IsEnumeration))
        {
            var names = definition.Enumeration.OfType<object>().Select(v => JsonNamingPolicy.KebabCaseLower.ConvertName(v.ToString()!)).ToList();
            definition.Enumeration.Clear();
            definition.EnumerationNames.Clear();
            foreach (var value in names)
            {
                definition.Enumeration.Add(value);
                definition.EnumerationNames.Add(value);
            }
        }

        // Nor does it read C#'s `required`: mark those properties required, and give the keys their patterns.
        var protocol = typeof(SubmissionMetadata).Assembly.GetTypes().Where(t => t.Namespace == typeof(SubmissionMetadata).Namespace).ToDictionary(t => t.Name);
        foreach (var (typeName, part) in schema.Definitions.Append(new KeyValuePair<string, JsonSchema>(Messages[name].Name, schema)))
        {
            if (!protocol.TryGetValue(typeName, out var type))
            {
                continue;
            }

            foreach (var property in type.GetProperties().Where(p => p.IsDefined(typeof(System.Runtime.CompilerServices.RequiredMemberAttribute), inherit: true)))
            {
                if (part.Properties.TryGetValue(JsonNamingPolicy.CamelCase.ConvertName(property.Name), out var member))
                {
                    member.IsRequired = true;
                }
            }

            foreach (var (property, pattern) in new[] { ("idempotencyKey", "^[A-Za-z0-9_-]{8,64}$"), ("schoolCode", "^[0-9A-Z]{6}$"), ("sha256", "^[0-9a-f]{64}$") })
            {
                if (part.Properties.TryGetValue(property, out var member))
                {
                    member.Pattern = pattern;
                }
            }
        }

        schema.Id = $"https://portfolio-sdk.invalid/schemas/gateway/{name}.schema.json";
        return schema;
    }

    private static JsonSchema CheckedIn(string name) =>
        JsonSchema.FromJsonAsync(File.ReadAllText(RepositoryPaths.Combine("schemas", "gateway", name + ".schema.json"))).GetAwaiter().GetResult();

    [Theory]
    [MemberData(nameof(Names))]
    public void CheckedInSchema_MatchesTheCode(string name)
    {
        var path = RepositoryPaths.Combine("schemas", "gateway", name + ".schema.json");
        var expected = SchemaOf(name).ToJson().ReplaceLineEndings("\n") + "\n";
        if (Environment.GetEnvironmentVariable("PORTFOLIO_ACCEPT") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }

        (File.Exists(path) ? File.ReadAllText(path).ReplaceLineEndings("\n") : string.Empty).ShouldBe(expected, $"{path} drifted; run the tests with PORTFOLIO_ACCEPT=1 and review the diff.");
    }

    [Fact]
    public async Task WhatTheSandboxSends_ValidatesAgainstTheSchemas()
    {
        await using var h = await Harness.StartAsync();
        var ct = TestContext.Current.CancellationToken;
        var record = await h.Service.SubmitAsync(Rosters.Identity(), new MemoryStream(Rosters.Grades(2, invalid: 1)), ct);
        using var http = new HttpClient { BaseAddress = h.Sandbox.BaseAddress };

        var metadata = JsonSerializer.Serialize(record.ToMetadata(), GatewayJson.Options);
        var status = await http.GetStringAsync(new Uri($"v1/submissions/{record.IdempotencyKey}", UriKind.Relative), ct);
        var list = JsonDocument.Parse(await http.GetStringAsync(new Uri("v1/receipts?school=060322", UriKind.Relative), ct)).RootElement;
        var receipt = await http.GetStringAsync(new Uri($"v1/receipts/{list[0].GetProperty("receiptId").GetString()}", UriKind.Relative), ct);
        using var missing = await http.GetAsync(new Uri("v1/receipts/nothing", UriKind.Relative), ct);
        var problem = await missing.Content.ReadAsStringAsync(ct);

        CheckedIn("submission-metadata").Validate(metadata).ShouldBeEmpty();
        CheckedIn("submission-status").Validate(status).ShouldBeEmpty();
        CheckedIn("receipt-summary").Validate(list[0].GetRawText()).ShouldBeEmpty();
        CheckedIn("receipt").Validate(receipt).ShouldBeEmpty();
        CheckedIn("problem").Validate(problem).ShouldBeEmpty();
        CheckedIn("submission-status").Validate("{\"verdict\":\"maybe\"}").ShouldNotBeEmpty();
    }
}
