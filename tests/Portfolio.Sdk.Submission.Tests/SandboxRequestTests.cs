using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using Portfolio.Sdk.Diagnostics;
using Portfolio.Sdk.Sandbox;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>Bad requests get a clear 4xx with diagnostics in both languages, never a 500, and nothing is stored.</summary>
public sealed class SandboxRequestTests : IAsyncLifetime
{
    private RunningSandbox _sandbox = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _sandbox = await SandboxServer.StartAsync(new SandboxOptions { MaxRequestBytes = 256 * 1024, AccessToken = "s3cret-token" });
        _http = new HttpClient { BaseAddress = _sandbox.BaseAddress };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "s3cret-token");
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _sandbox.DisposeAsync();
    }

    internal static SubmissionMetadata Metadata(byte[] content, string key = "key-00000001") => new()
    {
        IdempotencyKey = key,
        SchoolCode = Rosters.School.Value,
        Book = "grades",
        SchoolYear = 113,
        Term = 1,
        ContentKind = SubmissionContentKind.Workbook,
        Sha256 = Convert.ToHexStringLower(SHA256.HashData(content)),
        Length = content.Length,
    };

    internal static HttpRequestMessage Request(string metadataJson, byte[]? content, string key = "key-00000001")
    {
        var form = new MultipartFormDataContent { { new StringContent(metadataJson, Encoding.UTF8, "application/json"), GatewayProtocol.MetadataPart } };
        if (content is not null)
        {
            form.Add(new ByteArrayContent(content), GatewayProtocol.ContentPart, "roster.xlsx");
        }

        var request = new HttpRequestMessage(HttpMethod.Post, GatewayProtocol.SubmissionsPath) { Content = form };
        request.Headers.Add(GatewayProtocol.IdempotencyKeyHeader, key);
        return request;
    }

    private static string Json(SubmissionMetadata m) => System.Text.Json.JsonSerializer.Serialize(m, GatewayJson.Options);

    private async Task<GatewayProblem> ProblemAsync(HttpRequestMessage request, HttpStatusCode expected)
    {
        using var response = await _http.SendAsync(request, TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(expected);
        response.Content.Headers.ContentType!.MediaType.ShouldBe(GatewayProtocol.ProblemMediaType);
        var problem = (await response.Content.ReadFromJsonAsync<GatewayProblem>(GatewayJson.Options, TestContext.Current.CancellationToken))!;
        problem.Status.ShouldBe((int)expected);
        problem.Diagnostics.ShouldNotBeEmpty();
        problem.Diagnostics.ShouldAllBe(d => d.Message.Length > 0 && d.MessageEnglish.Length > 0);
        return problem;
    }

    [Fact]
    public async Task MalformedMetadataJson_Is400WithTheJsonDiagnostic()
    {
        var content = Rosters.Grades(1);
        var problem = await ProblemAsync(Request("{\"idempotencyKey\": \"key-00000001\", \"schoolCode\": ", content), HttpStatusCode.BadRequest);
        problem.Diagnostics[0].Code.ShouldBe(DiagnosticCodes.GatewayMetadataJson);
        _sandbox.Store.SubmissionCount.ShouldBe(0);
    }

    [Fact]
    public async Task InvalidMetadataFields_AreEachReported()
    {
        var content = Rosters.Grades(1);
        var bad = Metadata(content) with { SchoolCode = "06x", Term = 7, Book = "nonsense" };
        var problem = await ProblemAsync(Request(Json(bad), content), HttpStatusCode.BadRequest);
        problem.Diagnostics.Select(d => d.Path).ShouldBe(["schoolCode", "book", "term"], ignoreOrder: true);
        problem.Diagnostics.ShouldAllBe(d => d.Code == DiagnosticCodes.GatewayMetadataField);
    }

    [Fact]
    public async Task WrongContentType_Is415()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, GatewayProtocol.SubmissionsPath) { Content = new StringContent("{}", Encoding.UTF8, "application/json") };
        request.Headers.Add(GatewayProtocol.IdempotencyKeyHeader, "key-00000001");
        (await ProblemAsync(request, HttpStatusCode.UnsupportedMediaType)).Diagnostics[0].Code.ShouldBe(DiagnosticCodes.GatewayContentType);
    }

    [Fact]
    public async Task OversizedBody_Is413()
    {
        var content = RandomNumberGenerator.GetBytes(300 * 1024);
        (await ProblemAsync(Request(Json(Metadata(content)), content), HttpStatusCode.RequestEntityTooLarge)).Diagnostics[0].Code.ShouldBe(DiagnosticCodes.GatewayBodyTooLarge);
    }

    [Fact]
    public async Task OversizedBodyWithoutContentLength_Is413()
    {
        var content = RandomNumberGenerator.GetBytes(300 * 1024);
        using var request = Request(Json(Metadata(content)), content);
        var form = request.Content!;
        request.Content = new StreamContent(await form.ReadAsStreamAsync(TestContext.Current.CancellationToken)); // chunked: no Content-Length
        request.Content.Headers.ContentType = form.Headers.ContentType;
        (await ProblemAsync(request, HttpStatusCode.RequestEntityTooLarge)).Diagnostics[0].Code.ShouldBe(DiagnosticCodes.GatewayBodyTooLarge);
    }

    [Fact]
    public async Task BadPackage_Is422RejectedWithTheUnreadableDiagnostic()
    {
        var content = "PK\u0003\u0004 broken zip"u8.ToArray();
        using var response = await _http.SendAsync(Request(Json(Metadata(content) with { ContentKind = SubmissionContentKind.Package }), content), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.UnprocessableEntity);
        var status = (await response.Content.ReadFromJsonAsync<SubmissionStatus>(GatewayJson.Options, TestContext.Current.CancellationToken))!;
        status.Verdict.ShouldBe(GatewayVerdict.Rejected);
        status.Diagnostics.Select(d => d.Code).ShouldContain(DiagnosticCodes.GatewayContentUnreadable);
        status.Diagnostics.Select(d => d.Code).ShouldContain(DiagnosticCodes.PackageUnreadable);
    }

    [Fact]
    public async Task ContentThatDoesNotMatchItsHash_Is400()
    {
        var content = Rosters.Grades(1);
        var metadata = Metadata(content);
        content[^10] ^= 0xFF;
        (await ProblemAsync(Request(Json(metadata), content), HttpStatusCode.BadRequest)).Diagnostics[0].Code.ShouldBe(DiagnosticCodes.GatewayContentHash);
    }

    [Fact]
    public async Task MissingContentPart_Is400()
    {
        (await ProblemAsync(Request(Json(Metadata([1, 2, 3])), null), HttpStatusCode.BadRequest)).Diagnostics[0].Code.ShouldBe(DiagnosticCodes.GatewayPartMissing);
    }

    [Fact]
    public async Task MalformedIdempotencyKey_Is400()
    {
        var content = Rosters.Grades(1);
        (await ProblemAsync(Request(Json(Metadata(content, "short")), content, "short"), HttpStatusCode.BadRequest)).Diagnostics[0].Path.ShouldBe(GatewayProtocol.IdempotencyKeyHeader);
    }

    [Fact]
    public async Task SameKeyForOtherContent_Is409AndTheFirstStays()
    {
        var first = Rosters.Grades(1);
        var second = Rosters.Grades(2);
        using (var response = await _http.SendAsync(Request(Json(Metadata(first)), first), TestContext.Current.CancellationToken))
        {
            response.StatusCode.ShouldBe(HttpStatusCode.Created);
        }

        (await ProblemAsync(Request(Json(Metadata(second)), second), HttpStatusCode.Conflict)).Diagnostics[0].Code.ShouldBe(DiagnosticCodes.GatewayKeyConflict);
        _sandbox.Store.Find("key-00000001")!.Sha256.ShouldBe(Metadata(first).Sha256);
    }

    [Fact]
    public async Task MissingToken_Is401()
    {
        using var anonymous = new HttpClient { BaseAddress = _sandbox.BaseAddress };
        using var response = await anonymous.GetAsync(new Uri("v1/receipts?school=060322", UriKind.Relative), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task UnknownPathsAndIds_Are404WithDiagnostics()
    {
        await ProblemAsync(new HttpRequestMessage(HttpMethod.Get, "v1/submissions/nope-nope-nope"), HttpStatusCode.NotFound);
        await ProblemAsync(new HttpRequestMessage(HttpMethod.Get, "v1/receipts/R-none"), HttpStatusCode.NotFound);
        await ProblemAsync(new HttpRequestMessage(HttpMethod.Get, "v2/anything"), HttpStatusCode.NotFound);
        await ProblemAsync(new HttpRequestMessage(HttpMethod.Get, "v1/receipts?school=bad"), HttpStatusCode.BadRequest);
    }

    /// <summary>
    /// Fuzz: mutated metadata JSON, mutated workbooks and random bytes, a few hundred requests from a fixed seed. Every
    /// answer is a 2xx or a 4xx with a parseable body; never a 500 and never a dropped connection.
    /// </summary>
    [Fact]
    public async Task Fuzz_MutatedRequests_NeverYieldA500()
    {
        var random = new Random(20261122);
        var workbook = Rosters.Grades(2);
        var json = Json(Metadata(workbook));
        for (var i = 0; i < 300; i++)
        {
            var content = random.Next(3) switch
            {
                0 => Mutate(workbook, random),
                1 => RandomNumberGenerator.GetBytes(random.Next(0, 2000)),
                _ => workbook,
            };
            var metadataText = random.Next(4) == 0 ? Encoding.UTF8.GetString(Mutate(Encoding.UTF8.GetBytes(json), random)) : Json(Metadata(content, $"fuzz-key-{i:D4}"));
            using var response = await _http.SendAsync(Request(metadataText, content, $"fuzz-key-{i:D4}"), TestContext.Current.CancellationToken);
            ((int)response.StatusCode).ShouldBeLessThan(500, $"request {i}");
            var body = await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken);
            body.ShouldStartWith("{", customMessage: $"request {i}");
        }
    }

    private static byte[] Mutate(byte[] source, Random random)
    {
        var copy = (byte[])source.Clone();
        for (var n = random.Next(1, 8); n > 0 && copy.Length > 0; n--)
        {
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
        }

        return random.Next(5) == 0 ? copy[..random.Next(copy.Length)] : copy;
    }
}
