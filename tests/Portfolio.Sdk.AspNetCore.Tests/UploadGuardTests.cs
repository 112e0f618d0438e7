using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.Extensions.DependencyInjection;

namespace Portfolio.Sdk.AspNetCore.Tests;

/// <summary>What an upload must get past before anything is saved: size (before buffering), type by content, antiforgery, the per-user rate.</summary>
[Collection(nameof(SerialTests))]
public sealed class UploadGuardTests
{
    private const string Boundary = "portfolio-boundary";

    [Fact]
    public async Task DeclaredOversizedBody_Is413_BeforeTheBodyIsRead()
    {
        await using var server = await PortalServer.StartAsync("sqlite");
        using var client = server.As(PortalServer.Student());

        // 1 GiB declared; the server answers from the headers. Count what we had to send before the answer came.
        var (status, body, sent) = await RawUploadAsync(server, client, declaredLength: 1L << 30, fileBytes: 1L << 30);
        TestContext.Current.TestOutputHelper?.WriteLine($"declared 1 GiB: {status} after {sent} bytes sent");
        status.ShouldBe(413, body);
        body.ShouldContain("\"code\":\"PF5002\"");
        sent.ShouldBeLessThan(8L * 1024 * 1024, "the server must answer without reading the declared gigabyte");
    }

    [Fact]
    public async Task ChunkedOversizedFile_Is413_AtTheTypesLimit_WithoutReadingTheRest()
    {
        await using var server = await PortalServer.StartAsync("sqlite");
        using var client = server.As(PortalServer.Student());
        var before = GC.GetTotalAllocatedBytes(precise: true);

        // A 1 GiB PDF sent chunked (no length to refuse up front): the 4 MB document limit of 113 stops it as it streams.
        var (status, body, sent) = await RawUploadAsync(server, client, declaredLength: null, fileBytes: 1L << 30);
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
        TestContext.Current.TestOutputHelper?.WriteLine($"chunked 1 GiB: {status} after {sent} bytes sent, {allocated} bytes allocated in the process");
        status.ShouldBe(413, body);
        body.ShouldContain("\"code\":\"PF5003\"");
        sent.ShouldBeLessThan(64L * 1024 * 1024, "the server must stop reading near the 4 MB limit, not drain the gigabyte");
        allocated.ShouldBeLessThan(256L * 1024 * 1024, "nothing the size of the upload may be buffered");
        Directory.EnumerateFiles(server.Services.GetRequiredService<Portfolio.Sdk.Files.FileSystemContentStore>().Root, "*", SearchOption.AllDirectories).ShouldBeEmpty();
    }

    [Fact]
    public async Task SpoofedContentType_Is415_ByContent()
    {
        await using var server = await PortalServer.StartAsync("sqlite");
        using var student = server.As(PortalServer.Student());

        // A Windows executable named .pdf and sent as application/pdf.
        var exe = Encoding.ASCII.GetBytes("MZ\x90\0\x03\0\0\0\x04\0\0\0this program cannot be run in DOS mode");
        var reply = await student.UploadCourseOutcomeAsync(exe);
        reply.Status.ShouldBe(HttpStatusCode.UnsupportedMediaType, reply.ToString());
        reply.Code.ShouldBe("PF5004");
        reply.Json.GetProperty("location").GetProperty("path").GetString().ShouldBe("files");
        (await student.GetAsync("/portfolio/items?year=113")).Json.GetProperty("courseOutcomes").GetArrayLength().ShouldBe(0);

        // An accepted type whose name and declared type say otherwise is taken for what it is.
        var png = new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 13, 7, 7 };
        var accepted = await student.UploadCourseOutcomeAsync(png);
        accepted.Status.ShouldBe(HttpStatusCode.Created, accepted.ToString());
        var file = accepted.Json.GetProperty("files")[0].GetString();
        using var download = await student.Http.GetAsync(new Uri($"/portfolio/course-outcomes/{accepted.Json.GetProperty("id").GetGuid()}/files/{file}", UriKind.Relative), UserClient.Token);
        download.Content.Headers.ContentType!.MediaType.ShouldBe("image/png");
        download.Headers.GetValues("X-Content-Type-Options").ShouldBe(["nosniff"]);
    }

    [Fact]
    public async Task FormPost_WithoutAValidAntiforgeryToken_Is400_AndSavesNothing()
    {
        await using var server = await PortalServer.StartAsync("sqlite");
        using var student = server.As(PortalServer.Student());
        var fields = new Dictionary<string, string> { ["term"] = "113-1", ["courseCode"] = PortalServer.MathCourse.Value, ["summary"] = "函數圖形的探究報告：我蒐集資料並畫出圖形，學到如何檢驗猜想。", ["certifyingTeacher"] = "t-math" };
        (await student.FormAsync(HttpMethod.Post, "/portfolio/course-outcomes", fields, [("a.pdf", PortalServer.Pdf().ToArray(), "application/pdf")], withToken: false)).Code.ShouldBe("PF5007");

        // Another user's token is no token.
        using var other = server.As(PortalServer.Student("B223456780", "u-other"));
        var stolen = await other.AntiforgeryTokenAsync();
        using var form = new MultipartFormDataContent { { new StringContent("113-1"), "term" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/portfolio/course-outcomes", UriKind.Relative)) { Content = form };
        request.Headers.Add("RequestVerificationToken", stolen);
        var forged = await Reply.ReadAsync(await student.Http.SendAsync(request, UserClient.Token));
        forged.Code.ShouldBe("PF5007");
        (await student.GetAsync("/portfolio/items?year=113")).Json.GetProperty("courseOutcomes").GetArrayLength().ShouldBe(0);

        // A browser form's token as a field (after the file, as form helpers put it) is accepted.
        var asField = await student.FormAsync(HttpMethod.Post, "/portfolio/course-outcomes", fields, [("a.pdf", PortalServer.Pdf().ToArray(), "application/pdf")], tokenAsField: true);
        asField.Status.ShouldBe(HttpStatusCode.Created, asField.ToString());
    }

    [Fact]
    public async Task Uploads_AreRateLimitedPerUser_With429AndRetryAfter()
    {
        await using var server = await PortalServer.StartAsync("sqlite", o => { o.UploadsPerWindow = 2; o.UploadWindow = TimeSpan.FromHours(1); });
        using var student = server.As(PortalServer.Student());
        using var other = server.As(PortalServer.Student("B223456780", "u-other"));
        (await student.UploadCourseOutcomeAsync()).Status.ShouldBe(HttpStatusCode.Created);
        (await student.UploadCourseOutcomeAsync()).Status.ShouldBe(HttpStatusCode.Created);
        var third = await student.UploadCourseOutcomeAsync();
        third.Status.ShouldBe(HttpStatusCode.TooManyRequests, third.ToString());
        third.Code.ShouldBe("PF5005");
        third.Headers.RetryAfter.ShouldNotBeNull();

        // Another user has their own allowance; reads are not limited.
        (await other.UploadCourseOutcomeAsync()).Status.ShouldBe(HttpStatusCode.Created);
        (await student.GetAsync("/portfolio/items?year=113")).Status.ShouldBe(HttpStatusCode.OK);
    }

    // Sends a multipart upload over a raw socket, a chunk at a time, stopping as soon as the server answers.
    private static bool Complete(string response)
    {
        var end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var headers = response[..end];
        var match = System.Text.RegularExpressions.Regex.Match(headers, "Content-Length: (\\d+)", System.Text.RegularExpressions.RegexOptions.IgnoreCase);
        return match.Success
            ? Encoding.UTF8.GetByteCount(response[(end + 4)..]) >= int.Parse(match.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture)
            : response.EndsWith("\r\n0\r\n\r\n", StringComparison.Ordinal);
    }

    private static async Task<(int Status, string Body, long Sent)> RawUploadAsync(PortalServer server, UserClient client, long? declaredLength, long fileBytes)
    {
        var token = await client.AntiforgeryTokenAsync();
        var cancellation = UserClient.Token;
        using var socket = new TcpClient();
        await socket.ConnectAsync(server.Address.Host, server.Address.Port, cancellation);
        var stream = socket.GetStream();
        var head = new StringBuilder()
            .Append("POST /portfolio/course-outcomes HTTP/1.1\r\n")
            .Append("Host: ").Append(server.Address.Authority).Append("\r\n")
            .Append(PortalServer.ActorHeader).Append(": u-student\r\n")
            .Append("RequestVerificationToken: ").Append(token).Append("\r\n")
            .Append("Cookie: ").Append(client.CookieHeader).Append("\r\n")
            .Append("Content-Type: multipart/form-data; boundary=").Append(Boundary).Append("\r\n")
            .Append(declaredLength is { } length ? $"Content-Length: {length}\r\n" : "Transfer-Encoding: chunked\r\n")
            .Append("\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), cancellation);
        var preamble = Encoding.ASCII.GetBytes($"--{Boundary}\r\nContent-Disposition: form-data; name=\"term\"\r\n\r\n113-1\r\n--{Boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF-1.4\n");
        long sent = 0;
        var chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        var response = new MemoryStream();
        var buffer = new byte[16 * 1024];
        var first = true;
        try
        {
            while (sent < fileBytes)
            {
                if (socket.Available > 0)
                {
                    break;
                }

                var payload = first ? [.. preamble, .. chunk] : chunk;
                first = false;
                if (declaredLength is null)
                {
                    await stream.WriteAsync(Encoding.ASCII.GetBytes($"{payload.Length:X}\r\n"), cancellation);
                    await stream.WriteAsync(payload, cancellation);
                    await stream.WriteAsync("\r\n"u8.ToArray(), cancellation);
                }
                else
                {
                    await stream.WriteAsync(payload, cancellation);
                }

                sent += payload.Length;
            }
        }
        catch (IOException)
        {
            // The server closed the connection after answering: what it sent is in the receive buffer.
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                response.Write(buffer, 0, read);
                var text = Encoding.UTF8.GetString(response.ToArray());
                if (Complete(text))
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is IOException or OperationCanceledException && response.Length > 0)
        {
        }

        var all = Encoding.UTF8.GetString(response.ToArray());
        var status = int.Parse(all.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        return (status, all, sent);
    }
}
