using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Portfolio.Sdk.Sandbox;
using Portfolio.Sdk.Submission.Protocol;

namespace Portfolio.Sdk.Submission.Tests;

/// <summary>The sandbox is safe by default: a token or an explicit loopback-only anonymous mode, unguessable ids, durable state, and 4xx for any content.</summary>
public sealed class SandboxSafetyTests
{
    private static string Json(SubmissionMetadata m) => JsonSerializer.Serialize(m, GatewayJson.Options);

    [Fact]
    public void WithoutAToken_TheSandboxRefusesToStart_AndAnonymousListensOnLoopbackOnly()
    {
        Should.Throw<InvalidOperationException>(() => SandboxServer.Build(["--urls", "http://127.0.0.1:0"], new SandboxOptions()));
        Should.Throw<InvalidOperationException>(() => SandboxServer.Build(["--urls", "http://0.0.0.0:0"], new SandboxOptions { AllowAnonymous = true }))
            .Message.ShouldContain("loopback");
        Should.Throw<InvalidOperationException>(() => SandboxServer.Build(["--urls", "http://*:5099"], new SandboxOptions { AllowAnonymous = true }));
        SandboxServer.Build(["--urls", "http://[::1]:0"], new SandboxOptions { AllowAnonymous = true }).ShouldNotBeNull();
        SandboxServer.Build(["--urls", "http://0.0.0.0:0"], new SandboxOptions { AccessToken = "t0ken" }).ShouldNotBeNull();
    }

    [Fact]
    public async Task WithAToken_ReceiptsNeedIt()
    {
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { AccessToken = "s3cret" }, cancellationToken: TestContext.Current.CancellationToken);
        using var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
        using var response = await http.GetAsync(GatewayProtocol.ReceiptsPath + "?school=060322", TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Ids_AreUnguessable_AndStateSurvivesARestart_WithADataFile()
    {
        var ct = TestContext.Current.CancellationToken;
        var file = Path.Combine(Path.GetTempPath(), $"sandbox-{Guid.NewGuid():N}.db");
        try
        {
            var content = Rosters.Grades(3);
            SubmissionStatus first;
            await using (var sandbox = await SandboxServer.StartAsync(new SandboxOptions { AccessToken = "t", DataFile = file }, cancellationToken: ct))
            {
                using var http = Client(sandbox);
                first = await SubmitAsync(http, content, "durable-key-0001");
                var second = await SubmitAsync(http, Rosters.Grades(3, seed: 7, school: "063301"), "durable-key-0002", "063301");
                first.SubmissionId!.Length.ShouldBe(33);
                first.ReceiptId!.Length.ShouldBe(33);
                first.ReceiptId.ShouldNotBe(second.ReceiptId);
            }

            await using (var restarted = await SandboxServer.StartAsync(new SandboxOptions { AccessToken = "t", DataFile = file }, cancellationToken: ct))
            {
                using var http = Client(restarted);
                restarted.Store.SubmissionCount.ShouldBe(2);
                var receipt = (await http.GetFromJsonAsync<Receipt>(GatewayProtocol.ReceiptsPath + "/" + first.ReceiptId, GatewayJson.Options, ct))!;
                receipt.RowCount.ShouldBe(first.AcceptedRows);
                receipt.RowCount.ShouldBeGreaterThan(0);

                // The same key again is a replay, not a second submission.
                using var replay = await http.SendAsync(SandboxRequestTests.Request(Json(SandboxRequestTests.Metadata(content, "durable-key-0001")), content, "durable-key-0001"), ct);
                replay.StatusCode.ShouldBe(HttpStatusCode.OK);
                restarted.Store.TimesStored("durable-key-0001").ShouldBe(1);
            }
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task HostileContent_IsAlways4xx_NeverA500()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { AccessToken = "t", MaxRequestBytes = 64L * 1024 * 1024 }, cancellationToken: ct);
        using var http = Client(sandbox);
        var valid = Rosters.Grades(2);
        var corpus = new List<byte[]> { Bomb(valid), Slip(valid, "../../x"), Slip(valid, "[Content_Types].xml") };
        var random = new Random(16);
        for (var i = 0; i < 60; i++)
        {
            var bytes = (byte[])valid.Clone();
            for (var flips = random.Next(1, 6); flips > 0; flips--)
            {
                bytes[random.Next(bytes.Length)] = (byte)random.Next(256);
            }

            corpus.Add(bytes);
        }

        var n = 0;
        foreach (var content in corpus)
        {
            var key = $"hostile-key-{n++:D4}";
            foreach (var kind in new[] { SubmissionContentKind.Workbook, SubmissionContentKind.Package })
            {
                var metadata = SandboxRequestTests.Metadata(content, key + kind.ToString()[..1]) with { ContentKind = kind };
                using var response = await http.SendAsync(SandboxRequestTests.Request(Json(metadata), content, metadata.IdempotencyKey), ct);
                ((int)response.StatusCode).ShouldBeLessThan(500, $"{key} {kind}: {await response.Content.ReadAsStringAsync(ct)}");
            }
        }
    }

    [Fact]
    public async Task EveryEndpoint_OverFuzzedRequests_AnswersWithoutA500()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var sandbox = await SandboxServer.StartAsync(new SandboxOptions { AccessToken = "t" }, cancellationToken: ct);
        using var http = Client(sandbox);
        var random = new Random(16);
        string[] pieces = ["%00", "..", "%2e%2e%2f", "A108948473", "'; DROP TABLE x; --", "\u0000", "🙂", new string('x', 5000), "%ff%fe", "{}", "<x>", "060322", "2024-13-45T99:99", " "];
        string Piece() => Uri.EscapeDataString(pieces[random.Next(pieces.Length)]) + random.Next(100).ToString(System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 80; i++)
        {
            var requests = new List<HttpRequestMessage>
            {
                new(HttpMethod.Get, GatewayProtocol.SubmissionsPath + "/" + Piece()),
                new(HttpMethod.Get, GatewayProtocol.ReceiptsPath + "/" + Piece()),
                new(HttpMethod.Get, GatewayProtocol.ReceiptsPath + "?school=" + Piece() + "&since=" + Piece()),
                new(HttpMethod.Post, GatewayProtocol.SubmissionsPath) { Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(Piece())) },
            };
            var multipart = new HttpRequestMessage(HttpMethod.Post, GatewayProtocol.SubmissionsPath)
            {
                Content = new StringContent("--b\r\nContent-Disposition: form-data; name=\"metadata\"\r\n\r\n" + Piece() + "\r\n--b", System.Text.Encoding.UTF8),
            };
            multipart.Content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
            multipart.Headers.TryAddWithoutValidation(GatewayProtocol.IdempotencyKeyHeader, Piece());
            requests.Add(multipart);
            foreach (var request in requests)
            {
                using (request)
                using (var response = await http.SendAsync(request, ct))
                {
                    ((int)response.StatusCode).ShouldBeLessThan(500, $"{request.Method} {request.RequestUri}");
                    (await response.Content.ReadAsStringAsync(ct)).ShouldNotContain("A108948473");
                }
            }
        }
    }

    private static HttpClient Client(RunningSandbox sandbox)
    {
        var http = new HttpClient { BaseAddress = sandbox.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "t");
        return http;
    }

    private static async Task<SubmissionStatus> SubmitAsync(HttpClient http, byte[] content, string key, string? school = null)
    {
        var metadata = SandboxRequestTests.Metadata(content, key) with { SchoolCode = school ?? Rosters.School.Value };
        using var response = await http.SendAsync(SandboxRequestTests.Request(Json(metadata), content, key), TestContext.Current.CancellationToken);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        return (await response.Content.ReadFromJsonAsync<SubmissionStatus>(GatewayJson.Options, TestContext.Current.CancellationToken))!;
    }

    // A workbook whose last sheet inflates to 1.1 GiB of white space.
    private static byte[] Bomb(byte[] workbook) => Rewrite(workbook, (name, to) =>
    {
        if (!name.StartsWith("xl/worksheets/sheet", StringComparison.Ordinal))
        {
            return false;
        }

        using var stream = to.CreateEntry(name, CompressionLevel.Optimal).Open();
        var chunk = new byte[1 << 20];
        chunk.AsSpan().Fill((byte)' ');
        for (var i = 0; i < 1100; i++)
        {
            stream.Write(chunk);
        }

        return true;
    });

    private static byte[] Slip(byte[] workbook, string extra) => Rewrite(workbook, (_, _) => false, to => to.CreateEntry(extra).Open().Dispose());

    private static byte[] Rewrite(byte[] workbook, Func<string, ZipArchive, bool> replace, Action<ZipArchive>? add = null)
    {
        var output = new MemoryStream();
        var replaced = false;
        using (var from = new ZipArchive(new MemoryStream(workbook), ZipArchiveMode.Read))
        using (var to = new ZipArchive(output, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var entry in from.Entries)
            {
                if (!replaced && replace(entry.FullName, to))
                {
                    replaced = true;
                    continue;
                }

                using var input = entry.Open();
                using var copy = to.CreateEntry(entry.FullName).Open();
                input.CopyTo(copy);
            }

            add?.Invoke(to);
        }

        return output.ToArray();
    }
}

/// <summary>A killed process's partial outbox files are removed when the outbox is next opened.</summary>
public sealed class OutboxCleanupTests
{
    [Fact]
    public void IncomingFilesOfDeadProcesses_AreRemovedOnOpen_OursAreKept()
    {
        var folder = Path.Combine(Path.GetTempPath(), $"outbox-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        try
        {
            var dead = Path.Combine(folder, $".incoming-{int.MaxValue - 7}-{Guid.NewGuid():N}");
            var ours = Path.Combine(folder, $".incoming-{Environment.ProcessId}-{Guid.NewGuid():N}");
            var old = Path.Combine(folder, $".incoming-{Guid.NewGuid():N}");
            File.WriteAllText(dead, "partial");
            File.WriteAllText(ours, "partial");
            File.WriteAllText(old, "partial");
            File.SetLastWriteTimeUtc(old, DateTime.UtcNow.AddHours(-1));

            _ = new SubmissionOutbox(folder);

            File.Exists(dead).ShouldBeFalse();
            File.Exists(old).ShouldBeFalse();
            File.Exists(ours).ShouldBeTrue();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
